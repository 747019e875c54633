import AgentGWKube
import AgentGWModel
import Foundation
import NIOConcurrencyHelpers

/// Lease-based leader election, as client-go's leaderelection does it: one replica holds a
/// `coordination.k8s.io/v1` Lease and renews it; the others take it over once it has not been
/// renewed for `leaseDuration`. Every write carries the Lease's resourceVersion, so two replicas
/// can't both win a race. Only the leader writes status and Services; every replica serves traffic.
public final class LeaderElector: Sendable {
    public struct Options: Sendable {
        /// The Lease.
        public var namespace: String
        public var name: String
        /// Who this replica is (the pod name).
        public var identity: String
        /// How long a lease holds without renewal before others may take it.
        public var leaseDuration: Duration = .seconds(15)
        /// How long the leader keeps trying to renew before it stops acting as leader.
        public var renewDeadline: Duration = .seconds(10)
        /// How often to try to acquire or renew.
        public var retryPeriod: Duration = .seconds(2)

        public init(namespace: String, name: String, identity: String) {
            self.namespace = namespace
            self.name = name
            self.identity = identity
        }
    }

    static let lease = ResourceInfo(group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true)

    let client: KubeClient
    public let options: Options
    private let leading = NIOLockedValueBox(false)

    public init(client: KubeClient, options: Options) {
        self.client = client
        self.options = options
    }

    public var isLeader: Bool { leading.withLockedValue { $0 } }

    /// Runs until cancelled; calls onChange(true) when this replica becomes leader and
    /// onChange(false) when it loses the lease. On cancellation a leader releases the lease, so a
    /// successor doesn't wait out `leaseDuration`.
    public func run(onChange: @escaping @Sendable (Bool) -> Void) async {
        var lastRenew = ContinuousClock.now
        while !Task.isCancelled {
            let ok = (try? await tryAcquireOrRenew()) ?? false
            let now = ContinuousClock.now
            if ok { lastRenew = now }
            let was = isLeader
            // A leader that can't renew within renewDeadline steps down before its lease expires
            // for the others.
            let nowLeading = ok || (was && now - lastRenew < options.renewDeadline)
            if nowLeading != was {
                leading.withLockedValue { $0 = nowLeading }
                onChange(nowLeading)
            }
            try? await Task.sleep(for: options.retryPeriod)
        }
        if isLeader {
            leading.withLockedValue { $0 = false }
            // This task is cancelled, and so would be its requests: release from a fresh task.
            await Task { await self.release() }.value
            onChange(false)
        }
    }

    /// One round: create the Lease, renew ours, or take over an expired one. True when this
    /// replica holds the lease afterwards.
    func tryAcquireOrRenew() async throws -> Bool {
        let now = Date()
        guard let live = try await client.getIfExists(Self.lease, namespace: options.namespace, name: options.name) else {
            do {
                _ = try await client.create(leaseObject(holder: options.identity, acquired: now, renewed: now, transitions: 0, resourceVersion: nil),
                                            Self.lease, namespace: options.namespace)
                return true
            } catch let e as KubeError where e.isConflict || e.apiStatus?.reason == "AlreadyExists" {
                return false   // another replica created it first
            }
        }
        let spec = live["spec"] ?? .null
        let holder = spec["holderIdentity"]?.string ?? ""
        let rv = live["metadata"]?["resourceVersion"]?.string
        let transitions = spec["leaseTransitions"]?.int ?? 0
        let duration = spec["leaseDurationSeconds"]?.int ?? Int(options.leaseDuration.components.seconds)
        let renewed = spec["renewTime"]?.string.flatMap(Self.parseMicroTime)
        if holder == options.identity {
            let acquired = spec["acquireTime"]?.string.flatMap(Self.parseMicroTime) ?? now
            return try await write(leaseObject(holder: holder, acquired: acquired, renewed: now, transitions: transitions, resourceVersion: rv))
        }
        let expired = holder.isEmpty || renewed.map { now.timeIntervalSince($0) > Double(duration) } ?? true
        guard expired else { return false }
        return try await write(leaseObject(holder: options.identity, acquired: now, renewed: now, transitions: transitions + 1, resourceVersion: rv))
    }

    /// A PUT with the resourceVersion read: false when another replica wrote in between.
    func write(_ lease: Node) async throws -> Bool {
        do {
            _ = try await client.replace(lease, Self.lease, namespace: options.namespace, name: options.name)
            return true
        } catch let e as KubeError where e.isConflict {
            return false
        }
    }

    /// Gives the lease up (an empty holder), if we still hold it.
    func release() async {
        guard let live = try? await client.getIfExists(Self.lease, namespace: options.namespace, name: options.name),
              live["spec"]?["holderIdentity"]?.string == options.identity else { return }
        let spec = live["spec"] ?? .null
        let released = leaseObject(holder: "", acquired: nil, renewed: nil, transitions: spec["leaseTransitions"]?.int ?? 0,
                                   resourceVersion: live["metadata"]?["resourceVersion"]?.string)
        _ = try? await write(released)
    }

    func leaseObject(holder: String, acquired: Date?, renewed: Date?, transitions: Int, resourceVersion: String?) -> Node {
        var metadata: [(String, Node)] = [("name", .string(options.name)), ("namespace", .string(options.namespace))]
        if let resourceVersion { metadata.append(("resourceVersion", .string(resourceVersion))) }
        var spec: [(String, Node)] = [("holderIdentity", .string(holder)),
                                      ("leaseDurationSeconds", .int(Int(options.leaseDuration.components.seconds))),
                                      ("leaseTransitions", .int(transitions))]
        if let acquired { spec.append(("acquireTime", .string(Self.microTime(acquired)))) }
        if let renewed { spec.append(("renewTime", .string(Self.microTime(renewed)))) }
        return .object([("apiVersion", "coordination.k8s.io/v1"), ("kind", "Lease"), ("metadata", .object(metadata)), ("spec", .object(spec))])
    }

    // MARK: MicroTime (RFC 3339 with microseconds, UTC), as Leases carry it

    static func microTime(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'"
        return f.string(from: date)
    }

    static func parseMicroTime(_ text: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        for format in ["yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXXXX", "yyyy-MM-dd'T'HH:mm:ssXXXXX"] {
            f.dateFormat = format
            if let d = f.date(from: text) { return d }
        }
        return nil
    }
}
