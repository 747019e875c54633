/// A Backend (`agentgateway.alibabacloud.com/v1alpha1`): the MCP servers behind a route.
public struct BackendResource: Sendable {
    public enum TargetProtocol: String, Sendable, CaseIterable {
        case streamableHTTP = "StreamableHTTP"
        case sse = "SSE"

        /// The path a target gets when it names none.
        public var defaultPath: String { self == .sse ? "/sse" : "/mcp" }
    }

    public struct Target: Sendable {
        public var name: String
        public var host: String
        public var port: Int
        public var path: String
        public var `protocol`: TargetProtocol
        public var includeTools: [String]
        public var excludeTools: [String]
        public var timeout: String?
        /// Header names that take their value from a Secret: `(header, secret, key)`.
        public var secretHeaders: [(header: String, secret: String, key: String)]
        public var nodePath: [PathComponent]
    }

    public var manifest: Manifest
    public var key: ObjectKey
    public var type: String
    public var prefixMode: String
    public var failureMode: String
    public var targets: [Target]

    public init(_ manifest: Manifest, defaultNamespace: String) {
        self.manifest = manifest
        key = manifest.key(defaultNamespace: defaultNamespace)
        let spec = manifest.node["spec"] ?? .null
        type = spec["type"]?.string ?? ""
        let mcp = spec["mcp"] ?? .null
        prefixMode = mcp["prefixMode"]?.string ?? "Conditional"
        failureMode = mcp["failureMode"]?.string ?? "FailClosed"
        targets = mcp.elements("targets", base: [.key("spec"), .key("mcp")]).map { item in
            let t = item.node
            let s = t["static"] ?? .null
            let proto = TargetProtocol(rawValue: s["protocol"]?.string ?? "") ?? .streamableHTTP
            return Target(
                name: t["name"]?.string ?? "",
                host: s["host"]?.string ?? "",
                port: s["port"]?.int ?? 0,
                path: s["path"]?.string ?? proto.defaultPath,
                protocol: proto,
                includeTools: t["tools"]?["include"]?.array?.compactMap(\.string) ?? [],
                excludeTools: t["tools"]?["exclude"]?.array?.compactMap(\.string) ?? [],
                timeout: t["timeout"]?.string,
                secretHeaders: t["headers"]?.array?.compactMap { h in
                    guard let ref = h["valueFrom"]?["secretKeyRef"], let name = h["name"]?.string,
                          let secret = ref["name"]?.string, let key = ref["key"]?.string else { return nil }
                    return (name, secret, key)
                } ?? [],
                nodePath: item.path)
        }
    }
}

/// A TrafficPolicy (`agentgateway.alibabacloud.com/v1alpha1`): auth, limits and tool rules.
public struct TrafficPolicyResource: Sendable {
    public struct RateLimit: Sendable {
        public var requests: Int
        public var unit: String
        public var burst: Int?
        public var per: String
        public var tool: String?
    }

    public var manifest: Manifest
    public var key: ObjectKey
    public var targetRefs: [WrittenRef]
    /// The Secret holding API keys, when API key auth is on.
    public var apiKeySecret: String?
    /// The header the key travels in; nil means `Authorization: Bearer`.
    public var apiKeyHeader: String?
    public var rateLimits: [RateLimit]
    public var allowTools: [String]
    public var denyTools: [String]
    public var requestTimeout: String?
    public var idleTimeout: String?

    public init(_ manifest: Manifest, defaultNamespace: String) {
        self.manifest = manifest
        key = manifest.key(defaultNamespace: defaultNamespace)
        let spec = manifest.node["spec"] ?? .null
        targetRefs = spec.elements("targetRefs", base: [.key("spec")]).map {
            WrittenRef($0.node, defaultGroup: GatewayAPI.group, defaultKind: "HTTPRoute", path: $0.path)
        }
        let traffic = spec["traffic"] ?? .null
        let apiKey = traffic["authentication"]?["apiKeyAuth"]
        apiKeySecret = apiKey?["secretRef"]?["name"]?.string
        apiKeyHeader = apiKey?["header"]?.string
        rateLimits = traffic["rateLimit"]?["local"]?.array?.map {
            RateLimit(requests: $0["requests"]?.int ?? 0, unit: $0["unit"]?.string ?? "Minutes",
                      burst: $0["burst"]?.int, per: $0["per"]?.string ?? "Client", tool: $0["tool"]?.string)
        } ?? []
        let authz = traffic["mcp"]?["authorization"]
        allowTools = authz?["allowTools"]?.array?.compactMap(\.string) ?? []
        denyTools = authz?["denyTools"]?.array?.compactMap(\.string) ?? []
        requestTimeout = traffic["timeouts"]?["request"]?.string
        idleTimeout = traffic["timeouts"]?["idle"]?.string
    }
}

/// A Secret, seen only as far as validation needs: which keys it has and whether each is empty.
/// Values never leave this type except through `values`, which callers must not print.
public struct SecretResource: Sendable {
    public var key: ObjectKey
    /// Key name → whether its value is non-empty (data decoded, stringData as is).
    public var keys: [(name: String, nonEmpty: Bool)]

    public init(_ manifest: Manifest, defaultNamespace: String) {
        key = manifest.key(defaultNamespace: defaultNamespace)
        var keys: [(String, Bool)] = []
        for field in ["data", "stringData"] {
            for e in manifest.node[field]?.entries ?? [] where !keys.contains(where: { $0.0 == e.key }) {
                keys.append((e.key, !(e.value.string ?? "").isEmpty))
            }
        }
        self.keys = keys
    }
}

/// A Service, for backendRefs of kind Service.
public struct ServiceResource: Sendable {
    public var key: ObjectKey
    public var ports: [Int]

    public init(_ manifest: Manifest, defaultNamespace: String) {
        key = manifest.key(defaultNamespace: defaultNamespace)
        ports = manifest.node["spec"]?["ports"]?.array?.compactMap { $0["port"]?.int } ?? []
    }
}
