import AgentGWGateway
import AgentGWKube
import AgentGWModel
import Foundation
import NIOConcurrencyHelpers

/// Settings of `serve --kubernetes`.
public struct ControllerOptions: Sendable {
    /// GatewayClasses with this `spec.controllerName` are ours; only their Gateways are served.
    public var controllerName = AgentGateway.controllerName
    /// Field manager of status writes and Services.
    public var fieldManager = "agentgw-controller"
    /// The compiler's settings (`--resolve`, ...). `referencesAsStatus` is always on and
    /// `gatewayClasses` is set from the cluster's GatewayClasses.
    public var compile = CompileOptions()
    /// Bursts of events within this window become one compile.
    public var debounce: Duration = .milliseconds(100)
    /// Create a LoadBalancer Service per Gateway (and wait for its address before Programmed).
    public var manageServices = true
    /// The data-plane pods' labels (the Services' selector).
    public var dataPlaneSelector: [String: String] = ["app.kubernetes.io/name": InstallBundle.name]
    /// Where the Services go; nil = the Gateway's namespace, owned by the Gateway.
    public var dataPlaneNamespace: String?
    /// Server-side timeout of each watch request (the reflector re-watches after it).
    public var watchTimeoutSeconds = 300
    /// Leader election; nil = this replica always leads.
    public var leaderElection: LeaderElector.Options?

    public init() {}
}

/// `serve --kubernetes`: lists and watches the Gateway API, our CRDs and the Secrets, Services
/// and Namespaces they reference into an `ObjectCache`; on change (debounced) compiles the cache
/// with the same compiler as files mode and swaps the result into the runner's data plane; and,
/// while leading, writes status and keeps one LoadBalancer Service per Gateway.
public final class KubernetesController: Sendable {
    public let client: KubeClient
    public let runner: GatewayRunner
    public let options: ControllerOptions
    public let cache = ObjectCache()
    /// Kubernetes Events about served objects (the leader records them).
    public let recorder: EventRecorder
    let leadership: NIOLockedValueBox<any LeadershipSource>
    let signal: AsyncStream<Void>
    let continuation: AsyncStream<Void>.Continuation
    let state = NIOLockedValueBox(State())

    struct State: Sendable {
        var lastInputs: [Node]?
        var report: StatusReport?
        var classes: Set<String> = []
        var namespaceLabels: [String: [String: String]] = [:]
        var reconciles = 0
        var statusWrites = 0
    }

    /// `leadership` nil: `options.leaderElection` decides (none = always leader).
    public init(client: KubeClient, runner: GatewayRunner, options: ControllerOptions, leadership: (any LeadershipSource)? = nil) {
        self.client = client
        self.runner = runner
        self.options = options
        let source: any LeadershipSource = leadership ?? (options.leaderElection.map { LeaderElector(client: client, options: $0) } ?? AlwaysLeader())
        self.leadership = NIOLockedValueBox(source)
        recorder = EventRecorder(client: client, host: options.leaderElection?.identity ?? ProcessInfo.processInfo.hostName, log: runner.options.eventLog)
        (signal, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    var events: EventLog { runner.options.eventLog }
    public var isLeader: Bool { leadership.withLockedValue { $0 }.isLeader }
    /// How many reconciles ran and how many status writes they sent (for tests and /status).
    public var counters: (reconciles: Int, statusWrites: Int) { state.withLockedValue { ($0.reconciles, $0.statusWrites) } }
    /// The last compile's status report.
    public var lastReport: StatusReport? { state.withLockedValue { $0.report } }

    /// Asks for a reconcile (coalesced with any pending one).
    public func trigger() { continuation.yield() }

    /// Runs until cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            for kind in WatchedKind.allCases {
                group.addTask { await self.reflect(kind) }
            }
            if let elector = leadership.withLockedValue({ $0 }) as? LeaderElector {
                group.addTask {
                    await elector.run { [weak self] leading in
                        self?.events.log(.info, leading ? "became the leader: writing status" : "lost the lease: no longer writing status")
                        self?.trigger()
                    }
                }
            }
            group.addTask { await self.reconcileLoop() }
            await group.waitForAll()
        }
    }

    func reflect(_ kind: WatchedKind) async {
        var backoff: Duration = .seconds(1)
        while !Task.isCancelled {
            do {
                for try await event in client.reflect(kind.resource, namespace: nil, timeoutSeconds: options.watchTimeoutSeconds) {
                    switch event {
                    case .replaced(let items, _): cache.replace(kind, items)
                    case .event(let e): cache.apply(kind, e)
                    }
                    backoff = .seconds(1)
                    trigger()
                }
            } catch let error as KubeError where error.isNotFound {
                // The API isn't served (CRD not installed, or no EndpointSlices): treat it as empty
                // and look again later.
                cache.markEmpty(kind)
                trigger()
                events.log(kind == .endpointSlice ? .debug : .warning, "\(kind.resource.plural) are not served by the API server; retrying in 30s",
                           [("resource", kind.description)])
                try? await Task.sleep(for: .seconds(30))
                continue
            } catch {
                if Task.isCancelled { return }
                events.log(.warning, "watch failed; retrying", [("resource", kind.description), ("error", "\(error)"), ("in", "\(backoff.components.seconds)s")])
            }
            if Task.isCancelled { return }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(30))
        }
    }

    func reconcileLoop() async {
        for await _ in signal {
            if Task.isCancelled { return }
            try? await Task.sleep(for: options.debounce)
            guard cache.isSynced(WatchedKind.allCases) else { continue }
            await reconcile()
        }
    }

    /// One pass: compile when the inputs changed, then (leader only) Services and status.
    public func reconcile() async {
        let snapshot = cache.snapshot()
        let classes = ClusterInputs.ourClasses(snapshot, controllerName: options.controllerName)
        let inputs = ClusterInputs.build(snapshot, classes: classes, controllerName: options.controllerName)
        let nodes = inputs.manifests.map(\.node)
        let namespaceLabels = ClusterInputs.namespaceLabels(snapshot)
        let changed = state.withLockedValue { s -> Bool in
            s.reconciles += 1
            return s.lastInputs != nodes || s.classes != classes || s.namespaceLabels != namespaceLabels
        }
        var rejected: CompileError?
        if changed {
            var compile = options.compile
            compile.gatewayClasses = classes
            compile.referencesAsStatus = true
            compile.namespaceLabels = namespaceLabels
            let config = await runner.apply { generation in
                let result = ConfigCompiler.compile(inputs, options: compile, generation: generation)
                if case .failure(let error) = result { rejected = error }
                return result
            }
            state.withLockedValue {
                $0.lastInputs = nodes
                $0.classes = classes
                $0.namespaceLabels = namespaceLabels
                if let config { $0.report = config.status }
            }
        }
        if let rejected, isLeader { await recordRejection(rejected, snapshot: snapshot) }
        guard isLeader, let report = state.withLockedValue({ $0.report }) else { return }
        let served = report.gateways.compactMap { snapshot.get(.gateway, namespace: $0.key.namespace, name: $0.key.name) }
        let plan = ServicePlan(selector: options.dataPlaneSelector, namespace: options.dataPlaneNamespace)
        var addresses: [String: [Node]] = [:]
        if options.manageServices {
            await applyServices(plan, gateways: served, services: snapshot.items(.service))
            for gw in served {
                let svc = snapshot.get(.service, namespace: plan.serviceNamespace(forGatewayIn: gw.metaNamespace),
                                       name: ServicePlan.serviceName(gw.metaNamespace, gw.metaName))
                addresses["\(gw.metaNamespace)/\(gw.metaName)"] = ServicePlan.addresses(of: svc)
            }
        }
        let statusPlan = StatusPlan(controllerName: options.controllerName, requireAddress: options.manageServices, now: Self.now())
        let writes = statusPlan.writes(snapshot: snapshot, report: report, classes: classes, addresses: addresses,
                                       serviceName: { ServicePlan.serviceName($0, $1) })
        for w in writes { await write(w) }
    }

    func applyServices(_ plan: ServicePlan, gateways: [Node], services: [Node]) async {
        let (actions, conflicts) = plan.actions(gateways: gateways, services: services)
        for c in conflicts { events.log(.warning, c) }
        for gw in gateways {
            let mine = "Gateway \(gw.metaNamespace)/\(gw.metaName) gets no address"
            if let conflict = conflicts.first(where: { $0.hasSuffix(mine) }) {
                await recorder.record(EventRecorder.Subject(gw), .warning, reason: "ServiceConflict", message: conflict)
            }
        }
        let svc = WatchedKind.service.resource
        for action in actions {
            do {
                switch action {
                case .create(let s):
                    _ = try await client.create(s, svc, namespace: s.metaNamespace, fieldManager: options.fieldManager)
                    events.log(.info, "created LoadBalancer Service", [("service", "\(s.metaNamespace)/\(s.metaName)")])
                    if let owner = ServicePlan.owner(of: s), let gw = gateways.first(where: { "\($0.metaNamespace)/\($0.metaName)" == owner }) {
                        await recorder.record(EventRecorder.Subject(gw), .normal, reason: "ServiceCreated",
                                              message: "created LoadBalancer Service \(s.metaNamespace)/\(s.metaName) for the Gateway's address")
                    }
                case .update(let ns, let name, let patch):
                    _ = try await client.mergePatch(patch, svc, namespace: ns, name: name, fieldManager: options.fieldManager)
                    events.log(.info, "updated LoadBalancer Service", [("service", "\(ns)/\(name)")])
                case .delete(let ns, let name):
                    _ = try await client.delete(svc, namespace: ns, name: name)
                    events.log(.info, "deleted the LoadBalancer Service of a removed Gateway", [("service", "\(ns)/\(name)")])
                }
            } catch let e as KubeError where e.isNotFound || e.apiStatus?.code == 409 {
                retryLater()
            } catch {
                events.log(.warning, "Service change failed; retrying", [("error", "\(error)")])
                retryLater()
            }
        }
    }

    /// A change the compiler refused: a Warning on each object a finding names (the data plane
    /// keeps serving the last good configuration, so status alone wouldn't show it).
    func recordRejection(_ error: CompileError, snapshot: ObjectCache.Snapshot) async {
        var seen: Set<String> = []
        for d in error.diagnostics where d.severity == .error {
            guard let file = d.mark?.file, let (kind, namespace, name) = Self.clusterObject(file),
                  let object = snapshot.get(kind, namespace: namespace, name: name), seen.insert("\(file) \(d.message)").inserted else { continue }
            await recorder.record(EventRecorder.Subject(object), .warning, reason: "ConfigRejected",
                                  message: "\(d.message) (\(d.rule)); the gateway keeps serving its last good configuration")
        }
    }

    /// `cluster://kind/namespace/name` (the file name ClusterInputs gives a cached object).
    static func clusterObject(_ file: String) -> (WatchedKind, String, String)? {
        guard file.hasPrefix("cluster://") else { return nil }
        let parts = file.dropFirst("cluster://".count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let kind = WatchedKind.allCases.first(where: { $0.resource.kind.lowercased() == parts[0] }) else { return nil }
        return (kind, parts[1], parts[2])
    }

    func write(_ w: StatusWrite) async {
        var meta: Node = [:]
        if !w.resourceVersion.isEmpty { meta.set("resourceVersion", .string(w.resourceVersion)) }
        let patch: Node = ["metadata": meta, "status": w.status]
        do {
            _ = try await client.mergePatch(patch, w.kind.resource, namespace: w.kind.resource.namespaced ? w.namespace : nil, name: w.name,
                                            subresource: "status", fieldManager: options.fieldManager)
            state.withLockedValue { $0.statusWrites += 1 }
        } catch let e as KubeError where e.isConflict || e.isNotFound {
            // Someone changed or deleted it since our snapshot: the watch brings the new version.
            retryLater()
        } catch {
            events.log(.warning, "status write failed; retrying", [("object", "\(w.kind.resource.kind) \(w.namespace)/\(w.name)"), ("error", "\(error)")])
            retryLater()
        }
    }

    func retryLater() {
        Task { [weak self] in
            try? await Task.sleep(for: .seconds(1))
            self?.trigger()
        }
    }

    static func now() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
        return f.string(from: Date())
    }
}
