import AgentGWModel

/// What the Gateway API status of each served object says after a compile: the conditions the
/// controller writes (`serve --kubernetes`) and files mode shows at /config. Reasons are the
/// spec's (GW `apis/v1/{gateway,httproute,shared}_types.go`). Conditions carry no timestamps:
/// the writer keeps `lastTransitionTime` when a condition's status doesn't change.
public struct StatusReport: Sendable {
    public struct Condition: Sendable, Equatable {
        public var type: String
        public var status: Bool
        public var reason: String
        public var message: String

        public init(_ type: String, _ status: Bool, _ reason: String, _ message: String) {
            self.type = type
            self.status = status
            self.reason = reason
            self.message = message
        }
    }

    public struct Listener: Sendable {
        public var name: String
        public var attachedRoutes: Int
        public var supportedKinds: [String]
        public var conditions: [Condition]
    }

    public struct Gateway: Sendable {
        public var key: ObjectKey
        public var generation: Int
        public var conditions: [Condition]
        public var listeners: [Listener]
    }

    /// One `status.parents[]` entry of a route: the parentRef as written (defaults filled).
    public struct RouteParent: Sendable {
        public var parentRef: WrittenRef
        public var conditions: [Condition]
    }

    public struct Route: Sendable {
        public var key: ObjectKey
        public var generation: Int
        public var parents: [RouteParent]
    }

    public struct PolicyAncestor: Sendable {
        public var ancestorRef: WrittenRef
        public var conditions: [Condition]
    }

    public struct Policy: Sendable {
        public var key: ObjectKey
        public var generation: Int
        public var ancestors: [PolicyAncestor]
    }

    public var gateways: [Gateway] = []
    public var routes: [Route] = []
    public var policies: [Policy] = []

    public init() {}

    public func gateway(_ namespace: String, _ name: String) -> Gateway? {
        gateways.first { $0.key.namespace == namespace && $0.key.name == name }
    }

    public func route(_ namespace: String, _ name: String) -> Route? {
        routes.first { $0.key.namespace == namespace && $0.key.name == name }
    }

    public func policy(_ namespace: String, _ name: String) -> Policy? {
        policies.first { $0.key.namespace == namespace && $0.key.name == name }
    }
}

/// Why a route's parentRef did or didn't attach, in the spec's precedence.
struct ParentOutcome {
    var ref: WrittenRef
    var accepted: Bool
    var reason: String
    var message: String
}

extension Compilation {
    static func generation(_ m: Manifest) -> Int { m.node["metadata"]?["generation"]?.int ?? 0 }

    /// Records the first unresolvable backendRef of a route (ResolvedRefs False).
    mutating func refProblem(_ route: ObjectKey, reason: String, message: String) {
        if refProblems[route] == nil { refProblems[route] = (reason, message) }
    }

    /// The status every served object should have, from what this compile found.
    func statusReport() -> StatusReport {
        var report = StatusReport()
        for key in gatewayOrder {
            guard let gw = gateways[key] else { continue }
            var listeners: [StatusReport.Listener] = []
            var allValid = true
            for l in gw.listeners {
                let served = Self.servedProtocols.contains(l.protocol)
                let count = attachedRoutes["\(key.namespace)/\(key.name)/\(l.name)"] ?? 0
                var conditions: [StatusReport.Condition]
                if served {
                    let certificate = listenerCertificateProblems["\(key.namespace)/\(key.name)/\(l.name)"]
                    conditions = [
                        .init("Accepted", true, "Accepted", "Listener is accepted"),
                        .init("ResolvedRefs", certificate == nil, certificate == nil ? "ResolvedRefs" : "InvalidCertificateRef",
                              certificate ?? "All references are resolved"),
                        .init("Programmed", certificate == nil, certificate == nil ? "Programmed" : "Invalid",
                              certificate == nil ? "Listener is programmed" : "Listener is not programmed: \(certificate!)"),
                        .init("Conflicted", false, "NoConflicts", "No conflicts"),
                    ]
                    if certificate != nil { allValid = false }
                } else {
                    allValid = false
                    conditions = [
                        .init("Accepted", false, "UnsupportedProtocol", "protocol \(l.protocol) is not supported; HTTP and HTTPS are"),
                        .init("Programmed", false, "Invalid", "Listener is not programmed"),
                    ]
                }
                listeners.append(.init(name: l.name, attachedRoutes: count, supportedKinds: served ? ["HTTPRoute"] : [], conditions: conditions))
            }
            let accepted = StatusReport.Condition("Accepted", true, allValid ? "Accepted" : "ListenersNotValid",
                                                  allValid ? "Gateway is accepted" : "Some listeners are not valid")
            let programmed = StatusReport.Condition("Programmed", true, "Programmed", "Gateway is programmed")
            report.gateways.append(.init(key: key, generation: Self.generation(gw.manifest), conditions: [accepted, programmed], listeners: listeners))
        }
        for route in routes {
            let r = route.resource
            guard let outcomes = parentOutcomes[r.key], !outcomes.isEmpty else { continue }
            let refs = refProblems[r.key]
            let resolved = StatusReport.Condition("ResolvedRefs", refs == nil, refs?.reason ?? "ResolvedRefs", refs?.message ?? "All references are resolved")
            report.routes.append(.init(key: r.key, generation: Self.generation(r.manifest), parents: outcomes.map {
                .init(parentRef: $0.ref, conditions: [.init("Accepted", $0.accepted, $0.reason, $0.message), resolved])
            }))
        }
        for p in policies {
            report.policies.append(.init(key: p.key, generation: p.generation, ancestors: p.targetRefs.map { ref in
                let key = ObjectKey(group: GatewayAPI.group, kind: ref.kind, namespace: p.key.namespace, name: ref.name)
                let found = ref.group == GatewayAPI.group && (ref.kind == "Gateway" ? gateways[key] != nil
                    : ref.kind == "HTTPRoute" && (parentOutcomes[key]?.contains { $0.accepted } ?? false))
                return .init(ancestorRef: ref, conditions: [.init("Accepted", found, found ? "Accepted" : "TargetNotFound",
                                                                  found ? "Policy is accepted" : "\(ref.kind) \"\(p.key.namespace)/\(ref.name)\" is not served by this gateway")])
            }))
        }
        return report
    }
}
