/// The objects `get` and `describe` look at, as fetched from a cluster (or from fixtures), with
/// the relations between them: which routes a Gateway has, which policies apply to a route.
///
/// Secrets must be passed without their data (only metadata): analysis needs their names only.
public struct ClusterSnapshot: Sendable {
    public var gateways: [Node] = []
    public var routes: [Node] = []
    public var backends: [Node] = []
    public var policies: [Node] = []
    /// Secrets with `data`/`stringData` removed (see ``redactingSecret(_:)``).
    public var secrets: [Node] = []
    public var services: [Node] = []
    /// False when Secrets could not be listed (e.g. RBAC): then missing Secrets aren't reported.
    public var secretsListed = true
    /// "Now", in seconds since 1970, for AGE columns (a parameter so output is testable).
    public var now: Double

    public init(now: Double) { self.now = now }

    /// Sorts each object into its list by kind; unknown kinds are ignored. Secrets are redacted.
    public init(objects: [Node], now: Double) {
        self.now = now
        for o in objects { add(o) }
    }

    public mutating func add(_ object: Node) {
        let apiVersion = object["apiVersion"]?.string ?? ""
        switch (object.kindName, apiVersion) {
        case ("Gateway", _) where apiVersion.hasPrefix(GatewayAPI.group + "/"): gateways.append(object)
        case ("HTTPRoute", _) where apiVersion.hasPrefix(GatewayAPI.group + "/"): routes.append(object)
        case ("Backend", _) where apiVersion.hasPrefix(AgentGateway.group + "/"): backends.append(object)
        case ("TrafficPolicy", _) where apiVersion.hasPrefix(AgentGateway.group + "/"): policies.append(object)
        case ("Secret", "v1"): secrets.append(Self.redactingSecret(object))
        case ("Service", "v1"): services.append(object)
        default: break
        }
    }

    /// The objects of one kind.
    public func objects(_ kind: DisplayKind) -> [Node] {
        switch kind {
        case .gateway: return gateways
        case .route: return routes
        case .backend: return backends
        case .policy: return policies
        }
    }

    /// A Secret with only apiVersion, kind, metadata and type: its values never reach display code.
    public static func redactingSecret(_ secret: Node) -> Node {
        var out: Node = [:]
        for key in ["apiVersion", "kind", "metadata", "type"] {
            if let v = secret[key] { out.set(key, v) }
        }
        return out
    }

    // MARK: Lookups

    func find(_ list: [Node], namespace: String, name: String) -> Node? {
        list.first { $0.metaName == name && $0.metaNamespace == namespace }
    }

    /// A reference written in an object of namespace `ns`, resolved to (group, kind, namespace, name).
    struct Ref: Hashable {
        var group: String
        var kind: String
        var namespace: String
        var name: String
        var sectionName: String?
        var port: Int?

        var display: String { "\(kind)/\(name)" }
        func display(relativeTo ns: String) -> String { namespace == ns ? display : "\(kind)/\(namespace)/\(name)" }
    }

    static func parentRefs(of route: Node) -> [Ref] {
        let ns = route.metaNamespace
        return route["spec"]?["parentRefs"]?.array?.map {
            Ref(group: $0["group"]?.string ?? GatewayAPI.group, kind: $0["kind"]?.string ?? "Gateway",
                namespace: $0["namespace"]?.string ?? ns, name: $0["name"]?.string ?? "",
                sectionName: $0["sectionName"]?.string, port: $0["port"]?.int)
        } ?? []
    }

    static func backendRefs(of route: Node) -> [Ref] {
        let ns = route.metaNamespace
        var out: [Ref] = []
        for rule in route["spec"]?["rules"]?.array ?? [] {
            for b in rule["backendRefs"]?.array ?? [] {
                out.append(Ref(group: b["group"]?.string ?? "", kind: b["kind"]?.string ?? "Service",
                               namespace: b["namespace"]?.string ?? ns, name: b["name"]?.string ?? "",
                               sectionName: nil, port: b["port"]?.int))
            }
        }
        return out
    }

    static func targetRefs(of policy: Node) -> [Ref] {
        // Policies are direct attachments: targets live in the policy's own namespace.
        let ns = policy.metaNamespace
        return policy["spec"]?["targetRefs"]?.array?.map {
            Ref(group: $0["group"]?.string ?? GatewayAPI.group, kind: $0["kind"]?.string ?? "HTTPRoute",
                namespace: ns, name: $0["name"]?.string ?? "", sectionName: $0["sectionName"]?.string, port: nil)
        } ?? []
    }

    /// The object a reference names, if it is in the snapshot.
    func resolve(_ ref: Ref) -> Node? {
        switch (ref.group, ref.kind) {
        case (GatewayAPI.group, "Gateway"): return find(gateways, namespace: ref.namespace, name: ref.name)
        case (GatewayAPI.group, "HTTPRoute"): return find(routes, namespace: ref.namespace, name: ref.name)
        case (AgentGateway.group, "Backend"): return find(backends, namespace: ref.namespace, name: ref.name)
        case ("", "Service"): return find(services, namespace: ref.namespace, name: ref.name)
        default: return nil
        }
    }

    /// Routes whose parentRefs name this Gateway.
    func routes(attachedTo gateway: Node) -> [Node] {
        let ns = gateway.metaNamespace, name = gateway.metaName
        return routes.filter { route in
            Self.parentRefs(of: route).contains { $0.group == GatewayAPI.group && $0.kind == "Gateway" && $0.namespace == ns && $0.name == name }
        }
    }

    /// Policies that apply to a route: those targeting it, then those targeting one of its
    /// Gateways (route-level policies take precedence, so they come first).
    func policies(for route: Node) -> [(policy: Node, via: String)] {
        let ns = route.metaNamespace, name = route.metaName
        var out: [(Node, String)] = []
        for p in policies where p.metaNamespace == ns {
            if Self.targetRefs(of: p).contains(where: { $0.kind == "HTTPRoute" && $0.group == GatewayAPI.group && $0.name == name }) {
                out.append((p, "HTTPRoute/\(name)"))
            }
        }
        for parent in Self.parentRefs(of: route) where parent.kind == "Gateway" {
            for p in policies where p.metaNamespace == parent.namespace {
                // A policy on one listener (sectionName) reaches routes on that listener only;
                // a route without sectionName attaches to every listener.
                if Self.targetRefs(of: p).contains(where: {
                    $0.kind == "Gateway" && $0.group == GatewayAPI.group && $0.name == parent.name
                        && ($0.sectionName == nil || parent.sectionName == nil || $0.sectionName == parent.sectionName)
                }),
                   !out.contains(where: { $0.0.metaName == p.metaName && $0.0.metaNamespace == p.metaNamespace }) {
                    out.append((p, "Gateway/\(parent.name)"))
                }
            }
        }
        return out
    }

    /// Policies that target this Gateway directly.
    func policies(targetingGateway gateway: Node) -> [Node] {
        policies.filter { p in
            p.metaNamespace == gateway.metaNamespace
                && Self.targetRefs(of: p).contains { $0.kind == "Gateway" && $0.group == GatewayAPI.group && $0.name == gateway.metaName }
        }
    }
}
