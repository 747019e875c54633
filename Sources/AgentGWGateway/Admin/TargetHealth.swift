import AgentGWMCP
#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers

/// What the data plane has seen of each upstream address (`host:port`): the last success and
/// error, and the MCP protocol version it last spoke. For the console's overview; fed by the
/// proxy and the multiplexer on every exchange. Messages are the gateway's own wording, which
/// never carries request headers or bodies (so never credentials).
public final class TargetHealth: Sendable {
    public struct Record: Sendable {
        public var successes = 0
        public var failures = 0
        /// When the last exchange succeeded: a raw clock reading, formatted only when read
        /// (`success` runs on every proxied request).
        var lastSuccessAt: timespec?
        public var lastError: String?
        public var lastErrorTime: String?
        /// Whether the most recent exchange succeeded.
        public var healthy: Bool?
        public var protocolVersion: String?

        public var lastSuccess: String? { lastSuccessAt.map(Timestamp.format) }
    }

    private let records = NIOLockedValueBox<[String: Record]>([:])

    public init() {}

    public static func key(host: String, port: Int) -> String { "\(host):\(port)" }

    public func success(_ key: String, protocolVersion: String?) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        records.withLockedValue { r in
            r[key, default: Record()].successes += 1
            r[key]!.lastSuccessAt = now
            r[key]!.healthy = true
            if let v = protocolVersion, !v.isEmpty, r[key]!.protocolVersion != v { r[key]!.protocolVersion = v }
        }
    }

    public func failure(_ key: String, _ message: String) {
        let now = Timestamp.now()
        records.withLockedValue { r in
            r[key, default: Record()].failures += 1
            r[key]!.lastError = message
            r[key]!.lastErrorTime = now
            r[key]!.healthy = false
        }
    }

    public func record(_ key: String) -> Record? { records.withLockedValue { $0[key] } }
}
