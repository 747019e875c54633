/// Why a generator refused its options. Messages name the flag, as kubectl's do.
public struct GeneratorError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Builds manifests from `create` options, the way kubectl's generators do: the command parses
/// flags, the generator builds the object, and the output applies as is.
public enum Generators {
    static func metadata(_ name: String, _ namespace: String?) -> Node {
        var meta: Node = ["name": .string(name)]
        if let namespace { meta.set("namespace", .string(namespace)) }
        return meta
    }

    static func object(_ apiVersion: String, _ kind: String, _ name: String, _ namespace: String?, _ rest: [(String, Node)]) -> Node {
        .object([("apiVersion", .string(apiVersion)), ("kind", .string(kind)), ("metadata", metadata(name, namespace))] + rest)
    }

    // MARK: Backend

    /// One MCP target of a Backend.
    public struct TargetSpec: Sendable, Equatable {
        public var name: String
        public var host: String
        public var port: Int
        public var path: String?
        public var `protocol`: BackendResource.TargetProtocol

        public init(name: String, host: String, port: Int, path: String? = nil, protocol: BackendResource.TargetProtocol = .streamableHTTP) {
            self.name = name
            self.host = host
            self.port = port
            self.path = path
            self.protocol = `protocol`
        }

        /// Parses `name=..,host=..,port=..,path=..,protocol=..` (the `--target` flag).
        public static func parse(_ text: String) throws(GeneratorError) -> TargetSpec {
            var fields: [String: String] = [:]
            for part in text.split(separator: ",") {
                let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2, !kv[1].isEmpty else { throw GeneratorError("--target: \"\(part)\" is not key=value (expected name=..,host=..,port=..[,path=..][,protocol=..])") }
                let key = kv[0].trimmingSpaces()
                guard ["name", "host", "port", "path", "protocol"].contains(key) else {
                    throw GeneratorError("--target: unknown key \"\(key)\" (expected name, host, port, path, protocol)")
                }
                fields[key] = kv[1].trimmingSpaces()
            }
            guard let name = fields["name"] else { throw GeneratorError("--target \"\(text)\": name is required") }
            guard let host = fields["host"] else { throw GeneratorError("--target \"\(text)\": host is required") }
            guard let portText = fields["port"], let port = Int(portText) else { throw GeneratorError("--target \"\(text)\": port is required and must be a number") }
            let proto = try parseProtocol(fields["protocol"] ?? "StreamableHTTP", flag: "--target protocol")
            return TargetSpec(name: name, host: host, port: port, path: fields["path"], protocol: proto)
        }
    }

    /// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`, at most 63 characters: the Backend CRD's rule.
    static func isTargetName(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard !bytes.isEmpty, bytes.count <= 63 else { return false }
        func alnum(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
        return alnum(bytes[0]) && alnum(bytes[bytes.count - 1]) && bytes.allSatisfy { alnum($0) || $0 == 0x2D }
    }

    public static func parseProtocol(_ text: String, flag: String) throws(GeneratorError) -> BackendResource.TargetProtocol {
        switch text.lowercased() {
        case "streamablehttp", "streamable-http", "http": return .streamableHTTP
        case "sse": return .sse
        default: throw GeneratorError("\(flag): \"\(text)\" is not a protocol (StreamableHTTP or SSE)")
        }
    }

    /// Parses `NAME[.NS]:PORT` into the Service's cluster FQDN and port.
    public static func serviceAddress(_ text: String, defaultNamespace: String) throws(GeneratorError) -> (host: String, port: Int, service: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let port = Int(parts[1]), !parts[0].isEmpty else {
            throw GeneratorError("--service: \"\(text)\" is not NAME[.NAMESPACE]:PORT")
        }
        let nameParts = parts[0].split(separator: ".", maxSplits: 1).map(String.init)
        let service = nameParts[0]
        let namespace = nameParts.count > 1 ? nameParts[1] : defaultNamespace
        if namespace.contains(".") {
            throw GeneratorError("--service: \"\(text)\": give NAME or NAME.NAMESPACE; the cluster domain is added for you")
        }
        return ("\(service).\(namespace).svc.cluster.local", port, service)
    }

    public static func backend(name: String, namespace: String?, targets: [TargetSpec]) throws(GeneratorError) -> Node {
        guard !targets.isEmpty else { throw GeneratorError("a Backend needs a target: give --host and --port, --service, or --target") }
        var seen = Set<String>()
        for t in targets {
            guard seen.insert(t.name).inserted else { throw GeneratorError("--target: the name \"\(t.name)\" is used twice") }
            guard isTargetName(t.name) else {
                throw GeneratorError("target name \"\(t.name)\" must be lowercase letters, digits and '-', at most 63 characters ('_' separates target and tool names)")
            }
            guard (1...65535).contains(t.port) else { throw GeneratorError("target \"\(t.name)\": port \(t.port) is not in 1-65535") }
            if let p = t.path, !p.hasPrefix("/") { throw GeneratorError("target \"\(t.name)\": path \"\(p)\" must start with /") }
        }
        let targetNodes: [Node] = targets.map { t in
            var stat: Node = ["host": .string(t.host)]
            stat.set("path", .string(t.path ?? t.protocol.defaultPath))
            stat.set("port", .int(t.port))
            stat.set("protocol", .string(t.protocol.rawValue))
            return ["name": .string(t.name), "static": stat]
        }
        return object(AgentGateway.apiVersion, "Backend", name, namespace, [
            ("spec", ["type": "MCP", "mcp": ["targets": .array(targetNodes)]]),
        ])
    }

    // MARK: Gateway

    public static func gateway(name: String, namespace: String?, className: String, port: Int,
                               protocol proto: String, listenerName: String = "http", allowedRoutes: String) throws(GeneratorError) -> Node {
        guard (1...65535).contains(port) else { throw GeneratorError("--port: \(port) is not in 1-65535") }
        guard ["HTTP", "HTTPS"].contains(proto) else { throw GeneratorError("--protocol: \"\(proto)\" is not HTTP or HTTPS") }
        guard ["Same", "All"].contains(allowedRoutes) else { throw GeneratorError("--allowed-routes: \"\(allowedRoutes)\" is not Same or All") }
        let listener: Node = [
            "name": .string(listenerName),
            "port": .int(port),
            "protocol": .string(proto),
            "allowedRoutes": ["namespaces": ["from": .string(allowedRoutes)]],
        ]
        return object(GatewayAPI.apiVersion, "Gateway", name, namespace, [
            ("spec", ["gatewayClassName": .string(className), "listeners": [listener]]),
        ])
    }

    // MARK: HTTPRoute

    public static func httpRoute(name: String, namespace: String?, gateway: String, backend: String,
                                 pathPrefix: String?, hostnames: [String]) throws(GeneratorError) -> Node {
        if let p = pathPrefix, !p.hasPrefix("/") { throw GeneratorError("--path-prefix: \"\(p)\" must start with /") }
        var spec: Node = ["parentRefs": [["group": .string(GatewayAPI.group), "kind": "Gateway", "name": .string(gateway)]]]
        if !hostnames.isEmpty { spec.set("hostnames", .array(hostnames.map { .string($0) })) }
        var rule: Node = [:]
        if let p = pathPrefix {
            rule.set("matches", [["path": ["type": "PathPrefix", "value": .string(p)]]])
        }
        rule.set("backendRefs", [["group": .string(AgentGateway.group), "kind": "Backend", "name": .string(backend)]])
        spec.set("rules", [rule])
        return object(GatewayAPI.apiVersion, "HTTPRoute", name, namespace, [("spec", spec)])
    }

    // MARK: TrafficPolicy

    /// `100/minute[,burst=20][,per=APIKey]` → a local rate limit.
    public static func parseRateLimit(_ text: String) throws(GeneratorError) -> Node {
        let parts = text.split(separator: ",").map { String($0).trimmingSpaces() }
        guard let head = parts.first else { throw GeneratorError("--rate-limit: empty") }
        let rate = head.split(separator: "/").map(String.init)
        guard rate.count == 2, let requests = Int(rate[0]), requests >= 1 else {
            throw GeneratorError("--rate-limit: \"\(text)\" is not N/second|minute|hour[,burst=B][,per=Client|APIKey|Route][,tool=T]")
        }
        let unit: String
        switch rate[1].lowercased() {
        case "s", "sec", "second", "seconds": unit = "Seconds"
        case "m", "min", "minute", "minutes": unit = "Minutes"
        case "h", "hour", "hours": unit = "Hours"
        default: throw GeneratorError("--rate-limit: unit \"\(rate[1])\" is not second, minute or hour")
        }
        var limit: Node = ["requests": .int(requests), "unit": .string(unit)]
        for option in parts.dropFirst() {
            let kv = option.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { throw GeneratorError("--rate-limit: \"\(option)\" is not key=value") }
            switch kv[0] {
            case "burst":
                guard let b = Int(kv[1]), b >= 0 else { throw GeneratorError("--rate-limit: burst \"\(kv[1])\" is not a non-negative number") }
                limit.set("burst", .int(b))
            case "per":
                guard ["Client", "APIKey", "Route"].contains(kv[1]) else { throw GeneratorError("--rate-limit: per \"\(kv[1])\" is not Client, APIKey or Route") }
                limit.set("per", .string(kv[1]))
            case "tool":
                limit.set("tool", .string(kv[1]))
            default:
                throw GeneratorError("--rate-limit: unknown option \"\(kv[0])\" (burst, per, tool)")
            }
        }
        return limit
    }

    public static func trafficPolicy(name: String, namespace: String?, targetRoute: String, apiKeySecret: String?,
                                     rateLimits: [String], allowTools: [String], denyTools: [String] = []) throws(GeneratorError) -> Node {
        var traffic: Node = [:]
        if let secret = apiKeySecret {
            traffic.set("authentication", ["apiKeyAuth": ["secretRef": ["name": .string(secret)]]])
        }
        if !rateLimits.isEmpty {
            var limits: [Node] = []
            for r in rateLimits { limits.append(try parseRateLimit(r)) }
            traffic.set("rateLimit", ["local": .array(limits)])
        }
        if !allowTools.isEmpty || !denyTools.isEmpty {
            var authz: Node = [:]
            if !allowTools.isEmpty { authz.set("allowTools", .array(allowTools.map { .string($0) })) }
            if !denyTools.isEmpty { authz.set("denyTools", .array(denyTools.map { .string($0) })) }
            traffic.set("mcp", ["authorization": authz])
        }
        guard traffic.entries?.isEmpty == false else {
            throw GeneratorError("a TrafficPolicy needs at least one of --api-key-secret, --rate-limit, --allow-tools, --deny-tools")
        }
        let targetRef: Node = ["group": .string(GatewayAPI.group), "kind": "HTTPRoute", "name": .string(targetRoute)]
        return object(AgentGateway.apiVersion, "TrafficPolicy", name, namespace, [
            ("spec", ["targetRefs": [targetRef], "traffic": traffic]),
        ])
    }

    // MARK: Secret

    /// A Secret of API keys. Values go in `stringData`, as in the tutorial.
    public static func apiKeySecret(name: String, namespace: String?, keys: [(id: String, value: String)]) throws(GeneratorError) -> Node {
        guard !keys.isEmpty else { throw GeneratorError("give at least one --key ID=VALUE, or --generate N") }
        var seen = Set<String>()
        var data: [(String, Node)] = []
        for k in keys {
            guard !k.id.isEmpty, k.id.allSatisfy({ $0.isLetter || $0.isNumber || "-._".contains($0) }) else {
                throw GeneratorError("--key: \"\(k.id)\" is not a valid Secret key (letters, digits, '-', '_', '.')")
            }
            guard !k.value.isEmpty else { throw GeneratorError("--key \(k.id): the value is empty") }
            guard seen.insert(k.id).inserted else { throw GeneratorError("--key: \"\(k.id)\" is given twice") }
            data.append((k.id, .string(k.value)))
        }
        return object("v1", "Secret", name, namespace, [("type", "Opaque"), ("stringData", .object(data))])
    }

    /// A URL-safe key from 32 bytes of the system CSPRNG (getrandom on Linux).
    public static func generateAPIKey() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return Base64URL.encode(bytes)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
