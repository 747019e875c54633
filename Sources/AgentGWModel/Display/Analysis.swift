/// What `describe` warns about: problems a user can fix, found from the objects and their
/// status. Pure over a snapshot, so it is tested with fixture objects.
public enum Analysis {
    public static func warnings(for object: Node, in snapshot: ClusterSnapshot) -> [String] {
        switch DisplayKind.of(object) {
        case .gateway: return gatewayWarnings(object, snapshot)
        case .route: return routeWarnings(object, snapshot)
        case .backend: return backendWarnings(object, snapshot)
        case .policy: return policyWarnings(object, snapshot)
        case nil: return []
        }
    }

    /// Every warning of every object in the snapshot, prefixed with its `Kind/namespace/name`.
    public static func allWarnings(in snapshot: ClusterSnapshot) -> [String] {
        var out: [String] = []
        for kind in DisplayKind.allCases {
            for o in snapshot.objects(kind).sorted(by: { ($0.metaNamespace, $0.metaName) < ($1.metaNamespace, $1.metaName) }) {
                out += warnings(for: o, in: snapshot).map { "\(kind.kind) \(o.metaNamespace)/\(o.metaName): \($0)" }
            }
        }
        return out
    }

    static func gatewayWarnings(_ gw: Node, _ s: ClusterSnapshot) -> [String] {
        var out: [String] = []
        let conditions = gw["status"]?["conditions"]
        for type in ["Accepted", "Programmed"] {
            if let c = gw.condition(type, in: conditions), c["status"]?.string == "False" {
                out.append("not \(type): \(reasonText(c))")
            }
        }
        for l in gw["status"]?["listeners"]?.array ?? [] {
            for c in l["conditions"]?.array ?? [] {
                let type = c["type"]?.string ?? ""
                let status = c["status"]?.string ?? ""
                // Conflicted is the one condition where True is the problem.
                if (type == "Conflicted" && status == "True") || (type != "Conflicted" && status == "False") {
                    out.append("listener \(l["name"]?.string ?? "?"): \(type)=\(status): \(reasonText(c))")
                }
            }
        }
        // No conditions, or only the CRD's defaults (Unknown/Pending): no controller took it.
        let pending = gw.condition("Accepted", in: conditions).map { $0["status"]?.string == "Unknown" && $0["reason"]?.string == "Pending" } ?? true
        if pending {
            out.append("no controller has written status yet: is the gateway installed (kubectl agentgw install) and is gatewayClassName \"\(Summary.gatewayClass(gw))\" served?")
        }
        if s.routes(attachedTo: gw).isEmpty {
            out.append("no HTTPRoute attaches to this Gateway, so it routes nothing")
        }
        return out
    }

    static func routeWarnings(_ route: Node, _ s: ClusterSnapshot) -> [String] {
        var out: [String] = []
        let ns = route.metaNamespace
        for ref in ClusterSnapshot.parentRefs(of: route) where ref.kind == "Gateway" && ref.group == GatewayAPI.group {
            if s.resolve(ref) == nil { out.append("parent \(ref.display(relativeTo: ns)) does not exist") }
        }
        let parents = route["status"]?["parents"]?.array ?? []
        for p in parents {
            let parentName = p["parentRef"]?["name"]?.string ?? "?"
            let parentNS = p["parentRef"]?["namespace"]?.string
            let label = parentNS.map { $0 == ns ? "Gateway/\(parentName)" : "Gateway/\($0)/\(parentName)" } ?? "Gateway/\(parentName)"
            if let c = route.condition("Accepted", in: p["conditions"]), c["status"]?.string == "False" {
                out.append("not accepted by \(label): \(reasonText(c))")
            }
            if let c = route.condition("ResolvedRefs", in: p["conditions"]), c["status"]?.string == "False" {
                out.append("references not resolved (\(label)): \(reasonText(c))")
            }
        }
        if parents.isEmpty && !ClusterSnapshot.parentRefs(of: route).isEmpty {
            out.append("not accepted yet: no controller has written status for this route")
        }
        for ref in ClusterSnapshot.backendRefs(of: route) {
            let known = (ref.group == AgentGateway.group && ref.kind == "Backend") || (ref.group == "" && ref.kind == "Service")
            if known && s.resolve(ref) == nil {
                out.append("backend \(ref.display(relativeTo: ns)) does not exist")
            }
        }
        return out
    }

    static func backendWarnings(_ b: Node, _ s: ClusterSnapshot) -> [String] {
        var out: [String] = []
        if s.secretsListed {
            for t in b["spec"]?["mcp"]?["targets"]?.array ?? [] {
                for h in t["headers"]?.array ?? [] {
                    guard let secret = h["valueFrom"]?["secretKeyRef"]?["name"]?.string else { continue }
                    if s.find(s.secrets, namespace: b.metaNamespace, name: secret) == nil {
                        out.append("target \(t["name"]?.string ?? "?"): header \(h["name"]?.string ?? "?") reads Secret \"\(secret)\", which does not exist")
                    }
                }
            }
        }
        let usedBy = s.routes.filter { r in
            ClusterSnapshot.backendRefs(of: r).contains { $0.group == AgentGateway.group && $0.kind == "Backend" && $0.namespace == b.metaNamespace && $0.name == b.metaName }
        }
        if usedBy.isEmpty { out.append("no HTTPRoute in namespace \(b.metaNamespace) sends traffic to this Backend") }
        return out
    }

    static func policyWarnings(_ p: Node, _ s: ClusterSnapshot) -> [String] {
        var out: [String] = []
        let refs = ClusterSnapshot.targetRefs(of: p)
        let missing = refs.filter { s.resolve($0) == nil }
        if !refs.isEmpty && missing.count == refs.count {
            out.append("targets nothing: \(missing.map(\.display).joined(separator: ", ")) \(missing.count == 1 ? "does" : "do") not exist in namespace \(p.metaNamespace), so the policy has no effect")
        } else {
            for m in missing { out.append("target \(m.display) does not exist in namespace \(p.metaNamespace)") }
        }
        if s.secretsListed, let secret = p["spec"]?["traffic"]?["authentication"]?["apiKeyAuth"]?["secretRef"]?["name"]?.string,
           s.find(s.secrets, namespace: p.metaNamespace, name: secret) == nil {
            out.append("API key Secret \"\(secret)\" does not exist in namespace \(p.metaNamespace): the gateway refuses to serve its targets until it does")
        }
        for a in p["status"]?["ancestors"]?.array ?? [] {
            if let c = p.condition("Accepted", in: a["conditions"]), c["status"]?.string == "False" {
                out.append("not accepted for \(a["ancestorRef"]?["kind"]?.string ?? "Gateway")/\(a["ancestorRef"]?["name"]?.string ?? "?"): \(reasonText(c))")
            }
        }
        return out
    }

    static func reasonText(_ c: Node) -> String {
        let reason = c["reason"]?.string ?? ""
        let message = c["message"]?.string ?? ""
        switch (reason.isEmpty, message.isEmpty) {
        case (false, false): return "\(reason): \(message)"
        case (false, true): return reason
        case (true, false): return message
        case (true, true): return "no reason given"
        }
    }
}
