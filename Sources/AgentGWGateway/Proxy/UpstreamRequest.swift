import NIOCore
import NIOHTTP1

/// The request as it goes upstream: address, head and the client's original body bytes.
struct UpstreamRequest {
    var connectHost: String
    var connectPort: Int
    var head: HTTPRequestHead
    var body: ByteBuffer
    var isMCP: Bool
    /// TLS to the upstream: the name for SNI and the certificate check.
    var tlsServerName: String? = nil

    /// Hop-by-hop headers (RFC 9110 §7.6.1) never cross the proxy.
    static let hopByHop: Set<String> = ["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
                                        "proxy-authorization", "proxy-authenticate", "content-length", "host"]

    static func build(request: HTTPRequestHead, path: String, query: String?, host: String, body: ByteBuffer, backend: BackendTarget,
                      filters: [RouteFilter], matchedPrefix: String?, policy: EffectivePolicy, clientAddress: String,
                      scheme: String = "http") -> UpstreamRequest {
        var headers: [(name: String, value: String)] = []
        // Headers named in Connection are hop-by-hop too.
        let connectionTokens = Set(request.headers[canonicalForm: "connection"].map { $0.lowercased() })
        // The client's credential for the gateway is never passed through (MCP forbids token
        // passthrough): drop Authorization when it carried the API key, or the key header.
        let credentialHeader = policy.apiKeys == nil ? nil : (policy.apiKeyHeader?.lowercased() ?? "authorization")
        for h in request.headers {
            let lower = h.name.lowercased()
            if hopByHop.contains(lower) || connectionTokens.contains(lower) || lower == credentialHeader { continue }
            if lower.hasPrefix("x-forwarded-") { continue }
            headers.append((h.name, h.value))
        }
        headers.append(("X-Forwarded-For", clientAddress))
        headers.append(("X-Forwarded-Host", request.headers.first(name: "host") ?? host))
        headers.append(("X-Forwarded-Proto", scheme))

        var upstreamPath = path
        var hostHeader: String
        let connectHost: String, connectPort: Int
        var isMCP = false
        switch backend {
        case .mcp(let t):
            isMCP = true
            upstreamPath = t.path
            connectHost = t.connectHost
            connectPort = t.connectPort
            // Like curl --resolve: connect to the resolved address, name the manifest's host:port.
            hostHeader = t.hostHeader
        case .multiplexed(let m):
            // Not proxied byte for byte: the multiplexer talks to each target itself.
            connectHost = m.targets.first?.connectHost ?? ""
            connectPort = m.targets.first?.connectPort ?? 0
            hostHeader = m.targets.first?.hostHeader ?? ""
        case .service(_, let h, let p, let name):
            connectHost = h
            connectPort = p
            hostHeader = name
        }
        for filter in filters {
            switch filter {
            case .requestHeaders(let edits):
                edits.apply(to: &headers)
            case .urlRewrite(let hostname, let pathModifier):
                if let hostname { hostHeader = hostname }
                if let pathModifier, !isMCP {
                    upstreamPath = RouteFilter.rewrittenPath(original: path, matchedPrefix: matchedPrefix, modifier: pathModifier)
                }
            default:
                break
            }
        }
        if case .mcp(let t) = backend {
            for h in t.headers {
                headers.removeAll { $0.name.lowercased() == h.name.lowercased() }
                headers.append(h)
            }
        }
        var nioHeaders = HTTPHeaders(headers.map { ($0.name, $0.value) })
        nioHeaders.replaceOrAdd(name: "Host", value: hostHeader)
        nioHeaders.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        let uri = query.map { "\(upstreamPath)?\($0)" } ?? upstreamPath
        let head = HTTPRequestHead(version: .http1_1, method: request.method, uri: uri, headers: nioHeaders)
        var tlsName: String? = nil
        if case .mcp(let t) = backend, t.tls { tlsName = t.serverName }
        return UpstreamRequest(connectHost: connectHost, connectPort: connectPort, head: head, body: body, isMCP: isMCP, tlsServerName: tlsName)
    }
}
