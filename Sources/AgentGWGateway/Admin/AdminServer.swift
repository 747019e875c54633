import AgentGWConsole
import AgentGWMCP
import AsyncHTTPClient
import Crypto
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// The admin listener: `/healthz`, `/readyz`, `/metrics`, `/config` (secrets redacted), and the
/// web console (`/ui/`, `/api/overview`, `/api/traffic`, and with the playground on,
/// `/api/playground/forward`). Off the data-plane ports, on 127.0.0.1 by default.
public final class AdminServer: Sendable {
    let channel: Channel
    let console: ConsoleService

    /// What the admin endpoints read.
    public struct Sources: Sendable {
        public var metrics: GatewayMetrics
        public var store: ConfigStore
        /// Ready once the first config is served and listeners are bound.
        public var ready: @Sendable () -> Bool
        /// Extra JSON for /config (reload history, last error).
        public var status: @Sendable () -> JSONValue
        /// The data plane, for the console (bound ports, upstream health, open streams).
        public var server: GatewayServer?
        public var console = ConsoleOptions()

        public init(metrics: GatewayMetrics, store: ConfigStore, ready: @escaping @Sendable () -> Bool, status: @escaping @Sendable () -> JSONValue,
                    server: GatewayServer? = nil, console: ConsoleOptions = ConsoleOptions()) {
            self.metrics = metrics
            self.store = store
            self.ready = ready
            self.status = status
            self.server = server
            self.console = console
        }
    }

    public struct ConsoleOptions: Sendable {
        /// `--console-playground`: the console may send MCP requests through the data plane.
        public var playground = false
        /// `--admin-expose`: the listener is bound beyond loopback on purpose, so the console
        /// accepts any Host header (otherwise only loopback names, against DNS rebinding).
        public var exposed = false
        public init(playground: Bool = false, exposed: Bool = false) {
            self.playground = playground
            self.exposed = exposed
        }
    }

    init(channel: Channel, console: ConsoleService) {
        self.channel = channel
        self.console = console
    }

    public var port: Int { channel.localAddress?.port ?? 0 }

    public static func start(host: String, port: Int, sources: Sources, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> AdminServer {
        let console = ConsoleService(sources: sources)
        let channel: Channel
        do {
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(AdminHandler(sources: sources, console: console))
                    }
                }
                .bind(host: host, port: port).get()
        } catch {
            await console.shutdown()
            throw error
        }
        return AdminServer(channel: channel, console: console)
    }

    public func stop() async {
        try? await channel.close()
        await console.shutdown()
    }
}

/// A response the admin handler writes whole.
struct AdminResponse {
    var status: HTTPResponseStatus
    var contentType: String
    var body: [UInt8]
    var headers: [(String, String)] = []

    init(_ status: HTTPResponseStatus, _ contentType: String, _ body: String, headers: [(String, String)] = []) {
        self.init(status, contentType, Array(body.utf8), headers: headers)
    }

    init(_ status: HTTPResponseStatus, _ contentType: String, _ body: [UInt8], headers: [(String, String)] = []) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.headers = headers
    }

    static func json(_ status: HTTPResponseStatus, _ value: JSONValue) -> AdminResponse {
        AdminResponse(status, "application/json", value.serialized() + "\n")
    }

    static func error(_ status: HTTPResponseStatus, _ message: String) -> AdminResponse {
        json(status, .object(JSONObject([("error", .string(message))])))
    }
}

final class AdminHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The playground forwards JSON-RPC messages; nothing bigger is accepted.
    static let maxBody = 4 << 20

    let sources: AdminServer.Sources
    let console: ConsoleService
    var head: HTTPRequestHead?
    var body: [UInt8] = []
    var tooLarge = false
    /// A playground exchange streaming its answer; the connection takes no more requests.
    var forwarding: Task<Void, Never>?

    init(sources: AdminServer.Sources, console: ConsoleService) {
        self.sources = sources
        self.console = console
    }

    func channelInactive(context: ChannelHandlerContext) {
        forwarding?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
            tooLarge = false
        case .body(var chunk):
            if body.count + chunk.readableBytes > Self.maxBody { tooLarge = true } else { body += chunk.readBytes(length: chunk.readableBytes) ?? [] }
        case .end:
            guard let h = head, forwarding == nil else { return }
            head = nil
            let path = String(h.uri.split(separator: "?", maxSplits: 1).first ?? "")
            if tooLarge { return write(context, h, AdminResponse.error(.payloadTooLarge, "request body over \(Self.maxBody) bytes"), close: true) }
            if path.hasPrefix("/ui") || path.hasPrefix("/api/") {
                switch console.handle(h, path: path, body: body) {
                case .respond(let response): write(context, h, response, close: false)
                case .forward(let request): forward(context, h, request)
                }
                return
            }
            write(context, h, route(h.method, path), close: false)
        }
    }

    func route(_ method: HTTPMethod, _ path: String) -> AdminResponse {
        guard method == .GET || method == .HEAD else { return AdminResponse(.methodNotAllowed, "text/plain", "method not allowed\n") }
        switch path {
        case "/healthz": return AdminResponse(.ok, "text/plain", "ok\n")
        case "/readyz": return sources.ready() ? AdminResponse(.ok, "text/plain", "ready\n") : AdminResponse(.serviceUnavailable, "text/plain", "not ready\n")
        case "/metrics": return AdminResponse(.ok, "text/plain; version=0.0.4", sources.metrics.render())
        case "/config":
            var o = JSONObject([("config", sources.store.current.describe())])
            o["status"] = sources.status()
            return AdminResponse(.ok, "application/json", JSONValue.object(o).pretty() + "\n")
        default: return AdminResponse(.notFound, "text/plain", "not found: try /healthz, /readyz, /metrics, /config or /ui/\n")
        }
    }

    func write(_ context: ChannelHandlerContext, _ request: HTTPRequestHead, _ response: AdminResponse, close: Bool) {
        var headers = HTTPHeaders([("content-type", response.contentType), ("content-length", String(response.body.count)), ("cache-control", "no-store")])
        for (k, v) in response.headers { headers.add(name: k, value: v) }
        let mustClose = close || !request.isKeepAlive
        if mustClose { headers.add(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: response.status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if mustClose { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
    }

    /// Streams a playground exchange back as it arrives (SSE included), then closes: one
    /// forwarded exchange per connection keeps responses from interleaving.
    func forward(_ context: ChannelHandlerContext, _ request: HTTPRequestHead, _ forward: ConsoleService.Forward) {
        let channel = context.channel
        let version = request.version
        let console = self.console
        forwarding = Task {
            await console.forward(forward) { part in
                switch part {
                case .head(let status, let headers):
                    var h = HTTPHeaders(headers)
                    h.add(name: "cache-control", value: "no-store")
                    h.add(name: "connection", value: "close")
                    for (k, v) in ConsoleService.securityHeaders { h.add(name: k, value: v) }
                    channel.writeAndFlush(HTTPServerResponsePart.head(HTTPResponseHead(version: version, status: status, headers: h)), promise: nil)
                case .body(let buffer):
                    try? await channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(buffer)))
                case .end:
                    try? await channel.writeAndFlush(HTTPServerResponsePart.end(nil))
                    try? await channel.close()
                }
            }
        }
    }
}
