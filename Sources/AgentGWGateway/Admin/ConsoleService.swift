import AgentGWConsole
import AgentGWMCP
import AsyncHTTPClient
import Crypto
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// The web console on the admin listener: its files, its JSON, and the playground's path
/// through the data plane. Read-only unless `--console-playground`; every state-changing call
/// needs the page's CSRF token and a same-origin Origin; on a loopback admin address only
/// loopback Host names are answered (a DNS-rebinding page can't read it).
final class ConsoleService: Sendable {
    enum Outcome {
        case respond(AdminResponse)
        case forward(Forward)
    }

    /// A playground request for the data plane.
    struct Forward: Sendable {
        var url: String
        var method: HTTPMethod
        var headers: [(String, String)]
        var body: [UInt8]
    }

    enum Part: Sendable {
        case head(HTTPResponseStatus, [(String, String)])
        case body(ByteBuffer)
        case end
    }

    /// Sent with everything the console serves. No inline script or style can run, nothing
    /// loads from elsewhere, and no other site can frame the page.
    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    static let securityHeaders: [(String, String)] = [
        ("content-security-policy", contentSecurityPolicy),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "no-referrer"),
        ("cross-origin-resource-policy", "same-origin"),
        ("cross-origin-opener-policy", "same-origin"),
    ]
    static let csrfHeader = "x-agentgw-csrf"
    static let loopbackNames: Set<String> = ["127.0.0.1", "localhost", "::1", "[::1]"]

    let sources: AdminServer.Sources
    /// Per process, random; the page reads it from its own HTML (same-origin only).
    let csrfToken: String
    let client = NIOLockedValueBox<HTTPClient?>(nil)
    let closed = NIOLockedValueBox(false)

    init(sources: AdminServer.Sources) {
        self.sources = sources
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = generator.next() }
        csrfToken = bytes.map { String(format: "%02x", $0) }.joined()
    }

    func shutdown() async {
        let c = client.withLockedValue { c -> HTTPClient? in
            defer { c = nil }
            return c
        }
        closed.withLockedValue { $0 = true }
        try? await c?.shutdown()
    }

    // MARK: requests

    func handle(_ head: HTTPRequestHead, path: String, body: [UInt8]) -> Outcome {
        guard hostAllowed(head.headers.first(name: "host")) else {
            return .respond(secured(.error(.misdirectedRequest, "the console answers loopback names only (start serve with --admin-expose to open it)")))
        }
        switch (head.method, path) {
        case (.GET, "/ui"), (.HEAD, "/ui"):
            return .respond(secured(AdminResponse(.found, "text/plain", "see /ui/\n", headers: [("location", "/ui/")])))
        case (.GET, "/api/overview"), (.HEAD, "/api/overview"):
            return .respond(secured(.json(.ok, overview())))
        case (.GET, "/api/traffic"), (.HEAD, "/api/traffic"):
            let streams = sources.server?.context.openStreams ?? 0
            return .respond(secured(.json(.ok, ConsoleData.traffic(sources.metrics, openStreams: streams))))
        case (.POST, "/api/playground/forward"), (.DELETE, "/api/playground/forward"):
            return playground(head, body: body)
        case (.GET, _), (.HEAD, _):
            guard path.hasPrefix("/ui/") else { return .respond(secured(.error(.notFound, "no such console API: \(path)"))) }
            return .respond(secured(asset(String(path.dropFirst(4)))))
        default:
            return .respond(secured(.error(.methodNotAllowed, "\(head.method.rawValue) \(path) is not allowed")))
        }
    }

    func secured(_ response: AdminResponse) -> AdminResponse {
        var r = response
        r.headers += Self.securityHeaders
        return r
    }

    func hostAllowed(_ host: String?) -> Bool {
        if sources.console.exposed { return true }
        guard let host else { return false }
        var name = host.lowercased()
        if name.hasPrefix("[") {
            if let close = name.firstIndex(of: "]") { name = String(name[...close]) }
        } else if let colon = name.lastIndex(of: ":") {
            name = String(name[..<colon])
        }
        return Self.loopbackNames.contains(name)
    }

    func asset(_ name: String) -> AdminResponse {
        let file = name.isEmpty ? "index.html" : name
        guard var asset = ConsoleAssets.asset(file) else { return .error(.notFound, "no such console file: \(file)") }
        if file == "index.html" {
            // The token goes into the page's <meta>; only a same-origin page can read it.
            let html = String(decoding: asset.bytes, as: UTF8.self).replacingOccurrences(of: "{{CSRF_TOKEN}}", with: csrfToken)
            asset.bytes = Array(html.utf8)
        }
        return AdminResponse(.ok, asset.contentType, asset.bytes)
    }

    func overview() -> JSONValue {
        let server = sources.server
        let data = ConsoleData(config: sources.store.current, boundPorts: server?.boundPorts ?? [:], bindAddress: server?.bindAddress ?? "",
                               health: server?.context.health ?? TargetHealth(), status: sources.status(), playground: sources.console.playground)
        return data.overview()
    }

    // MARK: playground

    /// Checks a playground call and turns it into a data-plane request: the listener must be
    /// one being served, and the path must be absolute. The API key travels in the request's
    /// own headers and is never kept or logged here.
    func playground(_ head: HTTPRequestHead, body: [UInt8]) -> Outcome {
        guard sources.console.playground else {
            return .respond(secured(.error(.forbidden, "the playground is off: start serve with --console-playground")))
        }
        guard let token = head.headers.first(name: Self.csrfHeader), Self.constantTimeEqual(Array(token.utf8), Array(csrfToken.utf8)) else {
            return .respond(secured(.error(.forbidden, "missing or wrong \(Self.csrfHeader) header (reload the console)")))
        }
        if let origin = head.headers.first(name: "origin"), let host = head.headers.first(name: "host"),
           origin.lowercased() != "http://\(host.lowercased())", origin.lowercased() != "https://\(host.lowercased())" {
            return .respond(secured(.error(.forbidden, "cross-origin request refused")))
        }
        guard let listenerText = head.headers.first(name: "x-agentgw-listener"), let listener = Int(listenerText) else {
            return .respond(secured(.error(.badRequest, "the x-agentgw-listener header must name a listener port")))
        }
        let config = sources.store.current
        guard let served = config.listeners[listener], let bound = sources.server?.boundPorts[listener] else {
            return .respond(secured(.error(.badRequest, "no listener on port \(listener) is being served")))
        }
        let path = head.headers.first(name: "x-agentgw-path") ?? "/"
        guard path.hasPrefix("/"), !path.hasPrefix("//"), path.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "#" }) else {
            return .respond(secured(.error(.badRequest, "the x-agentgw-path header must be an absolute path")))
        }
        let address = Self.loopbackAddress(for: sources.server?.bindAddress ?? "127.0.0.1")
        let scheme = served.tls != nil ? "https" : "http"
        var headers: [(String, String)] = []
        for h in head.headers where Self.forwarded(h.name) { headers.append((h.name, h.value)) }
        if let hostname = head.headers.first(name: "x-agentgw-host"), !hostname.isEmpty,
           hostname.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "*") }) {
            headers.append(("host", hostname))
        }
        headers.append(("user-agent", "kubectl-agentgw-console"))
        return .forward(Forward(url: "\(scheme)://\(address):\(bound)\(path)", method: head.method, headers: headers, body: body))
    }

    /// The browser's own headers stay behind: cookies, Origin, fetch metadata, ours.
    static func forwarded(_ name: String) -> Bool {
        let n = name.lowercased()
        if n.hasPrefix("sec-") || n.hasPrefix("x-agentgw-") || n.hasPrefix("proxy-") || n.hasPrefix("x-forwarded-") { return false }
        return !["host", "origin", "referer", "cookie", "connection", "keep-alive", "transfer-encoding", "content-length", "te", "upgrade",
                 "accept-encoding", "user-agent", "forwarded", "trailer"].contains(n)
    }

    static func loopbackAddress(for bind: String) -> String {
        switch bind {
        case "0.0.0.0", "", "*": return "127.0.0.1"
        case "::", "[::]": return "[::1]"
        default: return bind.contains(":") && !bind.hasPrefix("[") ? "[\(bind)]" : bind
        }
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    func httpClient() -> HTTPClient? {
        client.withLockedValue { c in
            if let c { return c }
            guard !closed.withLockedValue({ $0 }) else { return nil }
            var configuration = HTTPClient.Configuration()
            // The data plane is this process, on loopback: its certificate names the Gateway's
            // hostnames, not the loopback address it is reached at here.
            configuration.tlsConfiguration = .makeClientConfiguration()
            configuration.tlsConfiguration?.certificateVerification = .none
            configuration.redirectConfiguration = .disallow
            configuration.decompression = .disabled
            configuration.timeout.connect = .seconds(5)
            let made = HTTPClient(eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton), configuration: configuration)
            c = made
            return made
        }
    }

    /// Sends the request and hands the answer over part by part as it arrives.
    func forward(_ request: Forward, emit: @Sendable (Part) async -> Void) async {
        guard let client = httpClient() else {
            await emitWhole(.error(.serviceUnavailable, "the admin listener is shutting down"), emit)
            return
        }
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = request.method
        for (k, v) in request.headers { outgoing.headers.add(name: k, value: v) }
        if !request.body.isEmpty { outgoing.body = .bytes(ByteBuffer(bytes: request.body)) }
        do {
            let response = try await client.execute(outgoing, timeout: .minutes(10))
            var headers: [(String, String)] = []
            for h in response.headers where Self.returned(h.name) { headers.append((h.name, h.value)) }
            await emit(.head(response.status, headers))
            for try await chunk in response.body {
                try Task.checkCancellation()
                await emit(.body(chunk))
            }
            await emit(.end)
        } catch is CancellationError {
            return
        } catch {
            await emitWhole(.error(.badGateway, "the data plane did not answer: \(error)"), emit)
        }
    }

    /// What of the data plane's answer the page sees.
    static func returned(_ name: String) -> Bool {
        ["content-type", "mcp-session-id", "mcp-protocol-version", "www-authenticate", "retry-after", "ratelimit", "ratelimit-policy",
         "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"].contains(name.lowercased())
    }

    func emitWhole(_ response: AdminResponse, _ emit: @Sendable (Part) async -> Void) async {
        await emit(.head(response.status, [("content-type", response.contentType), ("content-length", String(response.body.count))]))
        await emit(.body(ByteBuffer(bytes: response.body)))
        await emit(.end)
    }
}
