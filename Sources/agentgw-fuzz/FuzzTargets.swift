import AgentGWGateway
import AgentGWKube
import AgentGWMCP
import AgentGWModel
import Crypto
import Foundation

/// The parsers that read untrusted bytes, each as a fuzz target. A target returns normally for
/// any input; a crash, a trap or a hang is the finding.
enum FuzzTargets {
    static let names = ["yaml", "jsonrpc", "sse", "route", "session", "kubeconfig"]

    static func run(_ name: String, _ bytes: [UInt8]) {
        switch name {
        case "yaml": yaml(bytes)
        case "jsonrpc": jsonrpc(bytes)
        case "sse": sse(bytes)
        case "route": route(bytes)
        case "session": session(bytes)
        case "kubeconfig": kubeconfig(bytes)
        default: break
        }
    }

    /// The YAML reader and validate, with small limits so deep inputs stay fast.
    static func yaml(_ bytes: [UInt8]) {
        var limits = ReadLimits()
        limits.maxBytes = 1 << 20
        limits.maxNodes = 100_000
        guard let docs = try? YAMLReader.read(bytes, file: "fuzz.yaml", limits: limits) else { return }
        var inputs = LoadedInputs()
        inputs.files = ["fuzz.yaml"]
        inputs.manifests = docs.enumerated().filter { !$0.element.isNull }.map { Manifest(node: $0.element, file: "fuzz.yaml", documentIndex: $0.offset) }
        _ = ManifestValidator().validate(inputs)
        _ = YAMLWriter.write(docs)
    }

    /// JSON-RPC decoding and the gateway's envelope scanner, which must agree on what they read.
    static func jsonrpc(_ bytes: [UInt8]) {
        let message = try? JSONRPCMessage(parsing: bytes)
        let envelope = JSONRPCEnvelope.scan(bytes)
        if let message { _ = message.serializedBytes() }
        _ = envelope
    }

    /// The SSE parser, fed in two chunks split at a point the input chooses.
    static func sse(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let rest = Array(bytes.dropFirst())
        let cut = rest.isEmpty ? 0 : Int(first) % (rest.count + 1)
        var parser = SSEParser(maxEventBytes: 1 << 16)
        _ = try? parser.feed(rest[..<cut])
        _ = try? parser.feed(rest[cut...])
        _ = parser.finish()
    }

    /// Route matching: the input is a request line, a Host and headers, matched against a table
    /// with prefix, exact, regular-expression, header and query matches.
    static let table: RouteTable? = {
        let yaml = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec: {gatewayClassName: ack-agent-gateway, listeners: [{name: http, port: 80, protocol: HTTP, hostname: "*.example.com"}]}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r}
        spec:
          parentRefs: [{name: gw}]
          hostnames: [a.example.com, "*.example.com"]
          rules:
          - matches:
            - path: {type: PathPrefix, value: /mcp}
              headers: [{name: x-team, value: blue}]
            - path: {type: Exact, value: /exact}
              queryParams: [{name: q, type: RegularExpression, value: "^[a-z]+$"}]
            - path: {type: RegularExpression, value: "/v[0-9]+/.*"}
            backendRefs: [{name: svc, port: 8080}]
        """
        guard let docs = try? YAMLReader.read(yaml, file: "route.yaml") else { return nil }
        var inputs = LoadedInputs()
        inputs.files = ["route.yaml"]
        inputs.manifests = docs.enumerated().map { Manifest(node: $0.element, file: "route.yaml", documentIndex: $0.offset) }
        return try? ConfigCompiler.compile(inputs, options: CompileOptions(), generation: 1).get().listeners[80]?.routes
    }()

    static func route(_ bytes: [UInt8]) {
        guard let table else { return }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let requestLine = (lines.first ?? "").split(separator: " ", maxSplits: 1).map(String.init)
        let target = requestLine.count > 1 ? requestLine[1] : "/"
        let (path, query) = target.firstIndex(of: "?").map { (String(target[..<$0]), String(target[target.index(after: $0)...])) } ?? (target, "")
        let pairs = query.split(separator: "&").map { p -> (name: String, value: String) in
            let kv = p.split(separator: "=", maxSplits: 1).map(String.init)
            return (kv.first ?? "", kv.count > 1 ? kv[1] : "")
        }
        let headers = lines.dropFirst(2).compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), String(line[line.index(after: colon)...]))
        }
        _ = table.match(RequestInfo(method: requestLine.first ?? "GET", host: lines.count > 1 ? lines[1].lowercased() : "",
                                    path: path, query: pairs, headers: headers))
    }

    /// Session-token decoding: anything but a token sealed with the key must be refused.
    static let sealer = SessionSealer(key: SymmetricKey(data: [UInt8](repeating: 7, count: 32)))

    static func session(_ bytes: [UInt8]) {
        let token = String(decoding: bytes, as: UTF8.self)
        _ = try? sealer.open(token, credential: nil, now: 0)
        _ = try? sealer.open(token, credential: bytes, now: 0)
    }

    /// kubeconfig parsing and resolution (no files are read: paths stay unresolved).
    static func kubeconfig(_ bytes: [UInt8]) {
        guard let config = try? KubeConfig.parse(bytes, file: "/fuzz/kubeconfig") else { return }
        _ = try? ClientConfig.resolve(config, overrides: .init(), environment: [:])
    }
}
