import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The data plane's listeners: one socket per Gateway listener port, bound and unbound as the
/// configuration changes, and drained on shutdown.
public final class GatewayServer: Sendable {
    public let context: GatewayContext
    let group: MultiThreadedEventLoopGroup
    let bindAddress: String
    /// Gateway listener port → local port to bind (`--port-map 80=8080`).
    let portMap: [Int: Int]
    let state = NIOLockedValueBox<State>(State())

    struct State {
        var listeners: [Int: Channel] = [:]     // by Gateway listener port
        var tlsPorts: Set<Int> = []             // listener ports bound with TLS
        var clients: [ObjectIdentifier: Channel] = [:]
        var draining = false
    }

    public init(context: GatewayContext, bindAddress: String, portMap: [Int: Int], threads: Int = System.coreCount) {
        self.context = context
        self.bindAddress = bindAddress
        self.portMap = portMap
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
    }

    /// The local port for a Gateway listener port.
    public func localPort(for listenerPort: Int) -> Int { portMap[listenerPort] ?? listenerPort }

    /// Bound local ports by Gateway listener port (after binding; 0-mapped ports show the real one).
    public var boundPorts: [Int: Int] {
        state.withLockedValue { s in s.listeners.mapValues { $0.localAddress?.port ?? 0 } }
    }

    /// Binds listeners for the config's ports and closes those no longer configured. In-flight
    /// requests on a closed listener's connections finish.
    public func apply(_ config: RuntimeConfig) async throws {
        context.store.swap(config)
        let wanted = Set(config.listeners.keys)
        let (current, draining, tlsPorts) = state.withLockedValue { (Set($0.listeners.keys), $0.draining, $0.tlsPorts) }
        guard !draining else { return }
        // A port that turned from HTTP to HTTPS (or back) is bound again; certificates alone
        // change without a rebind (the handshake reads the current config).
        let flipped = wanted.intersection(current).filter { (config.listeners[$0]?.tls != nil) != tlsPorts.contains($0) }
        for port in flipped {
            if let channel = state.withLockedValue({ $0.listeners.removeValue(forKey: port) }) { try? await channel.close() }
        }
        for port in wanted.subtracting(current).union(flipped).sorted() {
            let tls = config.listeners[port]?.tls != nil
            let channel = try await bind(listenerPort: port, tls: tls ? try serverTLS(listenerPort: port, config: config) : nil)
            state.withLockedValue {
                $0.listeners[port] = channel
                if tls { $0.tlsPorts.insert(port) } else { $0.tlsPorts.remove(port) }
            }
            context.events.log(.info, "listening", [("listener", String(port)), ("address", "\(bindAddress):\(channel.localAddress?.port ?? 0)")])
        }
        for port in current.subtracting(wanted) {
            if let channel = state.withLockedValue({ $0.listeners.removeValue(forKey: port) }) {
                try? await channel.close()
                context.events.log(.info, "listener removed", [("listener", String(port))])
            }
        }
    }

    /// The TLS context of an HTTPS port. Its certificate is a placeholder: each handshake picks
    /// the current config's certificate for the client's SNI name.
    func serverTLS(listenerPort: Int, config: RuntimeConfig) throws -> NIOSSLContext {
        guard let first = config.listeners[listenerPort]?.tls?.certificate(for: nil) else { throw TLSSetupError(port: listenerPort) }
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: first.chain.map { .certificate($0) }, privateKey: .privateKey(first.key))
        tls.applicationProtocols = ["http/1.1"]
        let store = context.store
        tls.sslContextCallback = { values, promise in
            var change = NIOSSLContextConfigurationOverride()
            if let chosen = store.current.listeners[listenerPort]?.tls?.certificate(for: values.serverHostname) {
                change.certificateChain = chosen.chain.map { .certificate($0) }
                change.privateKey = .privateKey(chosen.key)
            }
            promise.succeed(change)
        }
        return try NIOSSLContext(configuration: tls)
    }

    struct TLSSetupError: Error, CustomStringConvertible {
        var port: Int
        var description: String { "listener port \(port) is HTTPS but has no certificate" }
    }

    func bind(listenerPort: Int, tls: NIOSSLContext?) async throws -> Channel {
        let gateway = context
        let server = self
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 32 << 10, high: 256 << 10))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tls { try sync.addHandler(NIOSSLServerHandler(context: tls)) }
                    try sync.addHandler(IdleStateHandler(readTimeout: gateway.options.clientIdleTimeout))
                    try sync.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
                    try sync.addHandler(GatewayHandler(gateway: gateway, listenerPort: listenerPort))
                    server.track(channel)
                }
            }
            .bind(host: bindAddress, port: localPort(for: listenerPort))
            .get()
    }

    func track(_ channel: Channel) {
        let id = ObjectIdentifier(channel)
        let drainingNow = state.withLockedValue { s -> Bool in
            s.clients[id] = channel
            return s.draining
        }
        if drainingNow { channel.close(promise: nil) }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.state.withLockedValue { $0.clients.removeValue(forKey: id) }
        }
    }

    public var openConnections: Int { state.withLockedValue { $0.clients.count } }

    /// Graceful shutdown: stop accepting, end streams, let requests finish, then close what is
    /// left when `timeout` runs out.
    public func drain(timeout: Duration) async {
        let (listeners, clients) = state.withLockedValue { s -> ([Channel], [Channel]) in
            s.draining = true
            let l = Array(s.listeners.values)
            s.listeners.removeAll()
            return (l, Array(s.clients.values))
        }
        for l in listeners { try? await l.close() }
        for c in clients { c.pipeline.fireUserInboundEventTriggered(DrainEvent()) }
        let deadline = ContinuousClock.now + timeout
        while openConnections > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        for c in state.withLockedValue({ Array($0.clients.values) }) { try? await c.close() }
    }

    public func shutdown() async {
        try? await group.shutdownGracefully()
    }
}
