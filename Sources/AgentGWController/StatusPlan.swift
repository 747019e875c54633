import AgentGWGateway
import AgentGWModel

/// One status write: the object's whole desired `status`, sent only when it differs from the live one.
public struct StatusWrite: Sendable {
    public var kind: WatchedKind
    public var namespace: String
    public var name: String
    /// The live resourceVersion the status was computed from (an optimistic-concurrency precondition).
    public var resourceVersion: String
    public var status: Node
}

/// Computes the status writes of one reconcile from the compiler's `StatusReport` and the live
/// objects. Pure: the same inputs give the same writes, and a second pass over the result of the
/// first gives none (no write storms, and our own writes don't loop).
///
/// Rules (Gateway API): conditions are a map by type; `lastTransitionTime` is kept while a
/// condition's status doesn't change; every condition carries `observedGeneration`; route
/// `parents[]` and policy `ancestors[]` entries of other controllers are left alone.
public struct StatusPlan: Sendable {
    public var controllerName: String
    /// When true the Gateway is Programmed only once its LoadBalancer Service has an address.
    public var requireAddress: Bool
    /// The timestamp for conditions that change now (RFC 3339).
    public var now: String

    public init(controllerName: String, requireAddress: Bool, now: String) {
        self.controllerName = controllerName
        self.requireAddress = requireAddress
        self.now = now
    }

    /// `addresses` maps `namespace/name` of a Gateway to its Service's ingress addresses.
    public func writes(snapshot: ObjectCache.Snapshot, report: StatusReport, classes: Set<String>,
                       addresses: [String: [Node]], serviceName: (String, String) -> String) -> [StatusWrite] {
        var out: [StatusWrite] = []
        for cls in snapshot.items(.gatewayClass) where classes.contains(cls.metaName) {
            var status = cls["status"] ?? [:]
            let conditions = Self.merge([.init("Accepted", true, "Accepted", "GatewayClass is accepted by kubectl-agentgw")],
                                        live: status["conditions"]?.array ?? [], generation: cls.metaGeneration, now: now)
            status.set("conditions", .array(conditions))
            append(&out, .gatewayClass, cls, status)
        }
        var served = Set<String>()
        for gw in report.gateways {
            let id = "\(gw.key.namespace)/\(gw.key.name)"
            served.insert(id)
            guard let live = snapshot.get(.gateway, namespace: gw.key.namespace, name: gw.key.name) else { continue }
            var status = live["status"] ?? [:]
            let found = addresses[id] ?? []
            var conditions = gw.conditions
            if requireAddress, found.isEmpty, let i = conditions.firstIndex(where: { $0.type == "Programmed" }) {
                conditions[i] = .init("Programmed", false, "AddressNotAssigned",
                                      "Waiting for the LoadBalancer Service \(gw.key.namespace)/\(serviceName(gw.key.namespace, gw.key.name)) to get an address")
            }
            status.set("conditions", .array(Self.merge(conditions, live: status["conditions"]?.array ?? [], generation: gw.generation, now: now)))
            let liveListeners = status["listeners"]?.array ?? []
            status.set("listeners", .array(gw.listeners.map { l in
                let old = liveListeners.first { $0["name"]?.string == l.name }?["conditions"]?.array ?? []
                return [
                    "name": .string(l.name),
                    "attachedRoutes": .int(l.attachedRoutes),
                    "supportedKinds": .array(l.supportedKinds.map { ["group": .string(GatewayAPI.group), "kind": .string($0)] }),
                    "conditions": .array(Self.merge(l.conditions, live: old, generation: gw.generation, now: now)),
                ]
            }))
            if found.isEmpty { status.remove("addresses") } else { status.set("addresses", .array(found)) }
            append(&out, .gateway, live, status)
        }
        for route in snapshot.items(.httpRoute) {
            let parents = route["status"]?["parents"]?.array ?? []
            let others = parents.filter { $0["controllerName"]?.string != controllerName }
            let ours = parents.filter { $0["controllerName"]?.string == controllerName }
            var desired: [Node] = []
            if let r = report.route(route.metaNamespace, route.metaName) {
                for p in r.parents where p.parentRef.kind == "Gateway" && p.parentRef.group == GatewayAPI.group
                    && served.contains("\(p.parentRef.namespace ?? route.metaNamespace)/\(p.parentRef.name)") {
                    let ref = Self.refNode(p.parentRef)
                    let old = ours.first { $0["parentRef"] == ref }?["conditions"]?.array ?? []
                    desired.append([
                        "parentRef": ref,
                        "controllerName": .string(controllerName),
                        "conditions": .array(Self.merge(p.conditions, live: old, generation: r.generation, now: now)),
                    ])
                }
            }
            if ours.isEmpty && desired.isEmpty { continue }
            var status = route["status"] ?? [:]
            status.set("parents", .array(others + desired))
            append(&out, .httpRoute, route, status)
        }
        for policy in snapshot.items(.trafficPolicy) {
            let ancestors = policy["status"]?["ancestors"]?.array ?? []
            let others = ancestors.filter { $0["controllerName"]?.string != controllerName }
            let ours = ancestors.filter { $0["controllerName"]?.string == controllerName }
            var desired: [Node] = []
            if let p = report.policy(policy.metaNamespace, policy.metaName) {
                for a in p.ancestors.prefix(16 - min(16, others.count)) {
                    var written = a.ancestorRef
                    if written.namespace == nil { written.namespace = policy.metaNamespace }
                    let ref = Self.refNode(written)
                    let old = ours.first { $0["ancestorRef"] == ref }?["conditions"]?.array ?? []
                    desired.append([
                        "ancestorRef": ref,
                        "controllerName": .string(controllerName),
                        "conditions": .array(Self.merge(a.conditions, live: old, generation: p.generation, now: now)),
                    ])
                }
            }
            if ours.isEmpty && desired.isEmpty { continue }
            var status = policy["status"] ?? [:]
            status.set("ancestors", .array(others + desired))
            append(&out, .trafficPolicy, policy, status)
        }
        return out
    }

    func append(_ out: inout [StatusWrite], _ kind: WatchedKind, _ live: Node, _ status: Node) {
        guard status != (live["status"] ?? [:]) else { return }
        out.append(StatusWrite(kind: kind, namespace: live.metaNamespace, name: live.metaName,
                               resourceVersion: live["metadata"]?["resourceVersion"]?.string ?? "", status: status))
    }

    /// A reference as a status entry writes it (group and kind always present).
    static func refNode(_ ref: WrittenRef) -> Node {
        var n: Node = ["group": .string(ref.group), "kind": .string(ref.kind)]
        if let ns = ref.namespace { n.set("namespace", .string(ns)) }
        n.set("name", .string(ref.name))
        if let s = ref.sectionName { n.set("sectionName", .string(s)) }
        if let p = ref.port { n.set("port", .int(p)) }
        return n
    }

    /// Conditions merged by type: ours replace the live ones of the same type (keeping
    /// `lastTransitionTime` when the status value is unchanged); other types stay as they are.
    public static func merge(_ desired: [StatusReport.Condition], live: [Node], generation: Int, now: String) -> [Node] {
        var out: [Node] = desired.map { c in
            let value = c.status ? "True" : "False"
            let old = live.first { $0["type"]?.string == c.type }
            let since = old?["status"]?.string == value ? (old?["lastTransitionTime"]?.string ?? now) : now
            return [
                "type": .string(c.type), "status": .string(value), "reason": .string(c.reason),
                "message": .string(String(c.message.prefix(32768))),
                "observedGeneration": .int(generation), "lastTransitionTime": .string(since),
            ]
        }
        let types = Set(desired.map(\.type))
        out += live.filter { !types.contains($0["type"]?.string ?? "") }
        return out
    }
}
