import NIOConcurrencyHelpers
import NIOCore
import NIOSSL

/// Data-plane limits and behaviour that are not in the manifests.
public struct DataPlaneOptions: Sendable {
    /// Largest request body accepted (413 beyond).
    public var maxBodyBytes = 4 << 20
    /// Most request header fields accepted (431 beyond). NIO's parser already caps the header
    /// block at 80 KiB.
    public var maxHeaderCount = 100
    /// Time a client has to send a whole request, and idle time between keep-alive requests.
    public var clientIdleTimeout: TimeAmount = .seconds(30)
    /// `: keepalive` comments on SSE streams idle this long.
    public var sseKeepalive: TimeAmount = .seconds(15)
    /// Time to the upstream's response head when no policy or rule timeout says otherwise.
    public var defaultRequestTimeout: TimeAmount = .seconds(60)
    /// A stream with no bytes for this long is closed, unless a policy says otherwise.
    public var defaultIdleTimeout: TimeAmount = .seconds(300)
    public var upstreamConnectTimeout: TimeAmount = .seconds(5)
    /// Origin validation (DNS-rebinding protection) applies when the listener binds loopback.
    public var loopbackBind = false
    /// CA certificates (PEM) trusted for TLS upstreams, instead of the system's.
    public var upstreamCAFile: String?

    public init() {}
}

/// What every connection handler shares: the config, policy state, metrics and logs.
public final class GatewayContext: Sendable {
    public let store: ConfigStore
    public let metrics: GatewayMetrics
    public let rateLimiter: RateLimiter
    public let accessLog: AccessLog
    public let events: EventLog
    public let options: DataPlaneOptions
    /// Serves multiplexed Backends (nil: they answer 500).
    public let multiplexer: MultiplexService?
    /// What each upstream address last did (the console's target health).
    public let health: TargetHealth
    let pools = NIOLockedValueBox<[ObjectIdentifier: PoolBox]>([:])
    let streams = NIOLockedValueBox<Int>(0)

    /// Client TLS for upstream targets on port 443, built on first use: loading the system's
    /// CA store costs several MiB a gateway without TLS upstreams shouldn't pay. nil when it
    /// can't be built (those requests then fail with 502).
    var upstreamTLS: NIOSSLContext? {
        upstreamTLSBox.withLockedValue { box in
            if let built = box { return built }
            var tls = TLSConfiguration.makeClientConfiguration()
            if let ca = options.upstreamCAFile { tls.trustRoots = .file(ca) }
            tls.applicationProtocols = ["http/1.1"]
            let built = try? NIOSSLContext(configuration: tls)
            box = .some(built)
            return built
        }
    }
    private let upstreamTLSBox = NIOLockedValueBox<NIOSSLContext??>(nil)

    public init(store: ConfigStore, metrics: GatewayMetrics, rateLimiter: RateLimiter, accessLog: AccessLog, events: EventLog,
                options: DataPlaneOptions, multiplexer: MultiplexService? = nil) {
        self.multiplexer = multiplexer
        self.health = multiplexer?.health ?? TargetHealth()
        self.store = store
        self.metrics = metrics
        self.rateLimiter = rateLimiter
        self.accessLog = accessLog
        self.events = events
        self.options = options
    }

    /// The upstream pool of an event loop (created on first use, then only touched there).
    func pool(for loop: EventLoop) -> UpstreamPool {
        let id = ObjectIdentifier(loop)
        return pools.withLockedValue { pools in
            if let box = pools[id] { return box.pool }
            let box = PoolBox(pool: UpstreamPool(eventLoop: loop, connectTimeout: options.upstreamConnectTimeout))
            pools[id] = box
            return box.pool
        }
    }

    /// Open SSE streams, for metrics and drain.
    public var openStreams: Int { streams.withLockedValue { $0 } }

    func streamOpened() {
        streams.withLockedValue { $0 += 1 }
        metrics.gauge("agentgw_open_streams", [], add: 1)
    }

    func streamClosed() {
        streams.withLockedValue { $0 -= 1 }
        metrics.gauge("agentgw_open_streams", [], add: -1)
    }
}

/// Pools are event-loop bound; this box only carries them to their loop.
final class PoolBox: @unchecked Sendable {
    let pool: UpstreamPool
    init(pool: UpstreamPool) { self.pool = pool }
}
