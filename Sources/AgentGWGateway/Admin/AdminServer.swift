import AgentGWMCP
import NIOCore
import NIOHTTP1
import NIOPosix

/// The admin listener: `/healthz`, `/readyz`, `/metrics` and `/config` (secrets redacted).
/// Off the data-plane ports, on 127.0.0.1 by default.
public final class AdminServer: Sendable {
    let channel: Channel

    /// What the admin endpoints read.
    public struct Sources: Sendable {
        public var metrics: GatewayMetrics
        public var store: ConfigStore
        /// Ready once the first config is served and listeners are bound.
        public var ready: @Sendable () -> Bool
        /// Extra JSON for /config (reload history, last error).
        public var status: @Sendable () -> JSONValue

        public init(metrics: GatewayMetrics, store: ConfigStore, ready: @escaping @Sendable () -> Bool, status: @escaping @Sendable () -> JSONValue) {
            self.metrics = metrics
            self.store = store
            self.ready = ready
            self.status = status
        }
    }

    init(channel: Channel) { self.channel = channel }

    public var port: Int { channel.localAddress?.port ?? 0 }

    public static func start(host: String, port: Int, sources: Sources, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> AdminServer {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(AdminHandler(sources: sources))
                }
            }
            .bind(host: host, port: port).get()
        return AdminServer(channel: channel)
    }

    public func stop() async {
        try? await channel.close()
    }
}

final class AdminHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let sources: AdminServer.Sources
    var head: HTTPRequestHead?

    init(sources: AdminServer.Sources) { self.sources = sources }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h): head = h
        case .body: break
        case .end:
            guard let h = head else { return }
            head = nil
            let path = String(h.uri.split(separator: "?").first ?? "")
            let (status, type, body) = route(h.method, path)
            var headers = HTTPHeaders([("content-type", type), ("content-length", String(body.utf8.count)), ("cache-control", "no-store")])
            if !h.isKeepAlive { headers.add(name: "connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: h.version, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    func route(_ method: HTTPMethod, _ path: String) -> (HTTPResponseStatus, String, String) {
        guard method == .GET || method == .HEAD else { return (.methodNotAllowed, "text/plain", "method not allowed\n") }
        switch path {
        case "/healthz": return (.ok, "text/plain", "ok\n")
        case "/readyz": return sources.ready() ? (.ok, "text/plain", "ready\n") : (.serviceUnavailable, "text/plain", "not ready\n")
        case "/metrics": return (.ok, "text/plain; version=0.0.4", sources.metrics.render())
        case "/config":
            var o = JSONObject([("config", sources.store.current.describe())])
            o["status"] = sources.status()
            return (.ok, "application/json", JSONValue.object(o).pretty() + "\n")
        default: return (.notFound, "text/plain", "not found: try /healthz, /readyz, /metrics or /config\n")
        }
    }
}
