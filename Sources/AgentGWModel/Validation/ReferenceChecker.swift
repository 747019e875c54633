/// Checks references between the objects of one input set.
///
/// A reference to something absent from the input is a warning: it may exist in the cluster.
/// A reference that the input contradicts (a route no listener admits, a Secret with no keys,
/// a port the Service lacks) is an error.
public struct ReferenceChecker: Sendable {
    /// GatewayClass names that kubectl-agentgw serves even when no GatewayClass is in the input.
    public var servedClasses: Set<String>
    public var defaultNamespace: String

    public init(servedClasses: Set<String> = [AgentGateway.defaultGatewayClass], defaultNamespace: String = "default") {
        self.servedClasses = servedClasses
        self.defaultNamespace = defaultNamespace
    }

    /// Longest tool name MCP clients accept; prefixed names must fit in it.
    public static let maxToolName = 64

    public func check(_ manifests: [Manifest]) -> [Diagnostic] {
        let index = ObjectIndex(manifests, defaultNamespace: defaultNamespace)
        var out: [Diagnostic] = []
        out += duplicates(manifests)
        // Every object is checked, even a duplicate the index keeps only once.
        for m in manifests {
            switch (m.group, m.kind) {
            case (GatewayAPI.group, "Gateway"): out += checkGatewayClass(GatewayResource(m, defaultNamespace: defaultNamespace), index)
            case (AgentGateway.group, "Backend"): out += checkBackend(BackendResource(m, defaultNamespace: defaultNamespace), index)
            default: break
            }
        }
        for route in index.routes { out += checkRoute(route, index) }
        for policy in index.policies { out += checkPolicy(policy, index) }
        return out
    }

    func duplicates(_ manifests: [Manifest]) -> [Diagnostic] {
        var seen: [ObjectKey: Manifest] = [:]
        var out: [Diagnostic] = []
        for m in manifests where !m.kind.isEmpty && !m.name.isEmpty {
            let key = m.key(defaultNamespace: defaultNamespace)
            if let first = seen[key] {
                let at = first.node.mark.map { " (first at \($0))" } ?? ""
                out.append(.error("\(m.kind) \"\(key.namespace)/\(key.name)\" appears twice in the input\(at)",
                                  rule: "input.duplicate-object", at: m.node.bestMark([.key("metadata"), .key("name")])))
            } else {
                seen[key] = m
            }
        }
        return out
    }

    func checkGatewayClass(_ gw: GatewayResource, _ index: ObjectIndex) -> [Diagnostic] {
        let at = gw.manifest.node.bestMark([.key("spec"), .key("gatewayClassName")])
        let name = gw.gatewayClassName
        if let cls = index.gatewayClasses[name] {
            let controller = cls["spec"]?["controllerName"]?.string ?? ""
            if controller != AgentGateway.controllerName {
                return [.error("GatewayClass \"\(name)\" in the input belongs to controller \"\(controller)\", not \(AgentGateway.controllerName)",
                               rule: "ref.gateway-class-foreign", at: at)]
            }
            return []
        }
        if servedClasses.contains(name) { return [] }
        return [.warning("gatewayClassName \"\(name)\" is not served by kubectl-agentgw (serves: \(servedClasses.sorted().joined(separator: ", ")))",
                         rule: "ref.gateway-class-unknown", at: at)]
    }

    // MARK: HTTPRoute

    func checkRoute(_ route: HTTPRouteResource, _ index: ObjectIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let node = route.manifest.node
        for parent in route.parentRefs {
            let at = node.bestMark(parent.path)
            guard parent.group == GatewayAPI.group, parent.kind == "Gateway" else {
                out.append(.warning("parentRef kind \(parent.group.isEmpty ? "" : parent.group + "/")\(parent.kind) is not a Gateway; kubectl-agentgw attaches routes to Gateways only",
                                    rule: "ref.parent-kind", at: at))
                continue
            }
            let key = ObjectKey(group: GatewayAPI.group, kind: "Gateway", namespace: parent.namespace ?? route.key.namespace, name: parent.name)
            guard let gw = index.gateways[key] else {
                out.append(.warning("Gateway \"\(key.namespace)/\(key.name)\" is not in the input", rule: "ref.parent-not-found", at: at))
                continue
            }
            out += admission(route, parent: parent, gateway: gw, at: at)
        }
        for rule in route.rules {
            for ref in rule.backendRefs {
                out += checkBackendRef(ref, from: route, index)
            }
        }
        return out
    }

    /// Whether some listener of `gateway` admits the route through this parentRef.
    func admission(_ route: HTTPRouteResource, parent: WrittenRef, gateway: GatewayResource, at: SourceMark?) -> [Diagnostic] {
        var candidates = gateway.listeners
        if let section = parent.sectionName {
            candidates = candidates.filter { $0.name == section }
            if candidates.isEmpty {
                return [.error("Gateway \"\(gateway.key.name)\" has no listener named \"\(section)\"", rule: "ref.no-matching-parent", at: at)]
            }
        }
        if let port = parent.port {
            candidates = candidates.filter { $0.port == port }
            if candidates.isEmpty {
                return [.error("Gateway \"\(gateway.key.name)\" has no listener on port \(port)", rule: "ref.no-matching-parent", at: at)]
            }
        }
        let admitted = candidates.filter { listener in
            let kindOK = listener.allowedKinds.isEmpty
                ? ["HTTP", "HTTPS"].contains(listener.protocol)
                : listener.allowedKinds.contains("HTTPRoute")
            return kindOK && namespaceAdmits(listener, route: route, gateway: gateway) != false
        }
        if admitted.isEmpty {
            return [.error("no listener of Gateway \"\(gateway.key.name)\" admits HTTPRoute \"\(route.key.namespace)/\(route.key.name)\" (allowedRoutes: \(candidates.map { "\($0.name): \($0.allowedFrom)" }.joined(separator: ", ")))",
                           rule: "ref.not-allowed-by-listeners", at: at)]
        }
        let hostOK = route.hostnames.isEmpty || admitted.contains { l in
            guard let lh = l.hostname else { return true }
            return route.hostnames.contains { Hostnames.intersect(lh, $0) }
        }
        if !hostOK {
            return [.error("no hostname of the route matches a listener hostname of Gateway \"\(gateway.key.name)\"",
                           rule: "ref.no-matching-listener-hostname", at: at)]
        }
        var out: [Diagnostic] = []
        if admitted.allSatisfy({ namespaceAdmits($0, route: route, gateway: gateway) == nil }) {
            out.append(.warning("listeners of Gateway \"\(gateway.key.name)\" admit routes by namespace selector; whether this route's namespace matches is known only in the cluster",
                                rule: "ref.selector-unchecked", at: at))
        }
        return out
    }

    /// true/false when known offline; nil for a Selector (needs the Namespace's labels).
    func namespaceAdmits(_ listener: GatewayResource.Listener, route: HTTPRouteResource, gateway: GatewayResource) -> Bool? {
        switch listener.allowedFrom {
        case "All": return true
        case "Selector": return nil
        default: return route.key.namespace == gateway.key.namespace
        }
    }

    func checkBackendRef(_ ref: WrittenRef, from route: HTTPRouteResource, _ index: ObjectIndex) -> [Diagnostic] {
        let at = route.manifest.node.bestMark(ref.path)
        let namespace = ref.namespace ?? route.key.namespace
        let key = ObjectKey(group: ref.group, kind: ref.kind, namespace: namespace, name: ref.name)
        var out: [Diagnostic] = []
        if namespace != route.key.namespace, !index.grants.contains(where: {
            $0.permits(fromGroup: GatewayAPI.group, fromKind: "HTTPRoute", fromNamespace: route.key.namespace, to: key)
        }) {
            out.append(.warning("backendRef to namespace \"\(namespace)\" needs a ReferenceGrant there; none is in the input",
                                rule: "ref.not-permitted", at: at))
        }
        switch (ref.group, ref.kind) {
        case (AgentGateway.group, "Backend"):
            if index.backends[key] == nil {
                out.append(.warning("Backend \"\(namespace)/\(ref.name)\" is not in the input", rule: "ref.backend-not-found", at: at))
            }
        case ("", "Service"):
            if let svc = index.services[key] {
                if let port = ref.port, !svc.ports.contains(port) {
                    out.append(.error("Service \"\(namespace)/\(ref.name)\" has no port \(port) (ports: \(svc.ports.map(String.init).joined(separator: ", ")))",
                                      rule: "ref.service-port", at: at))
                }
            } else {
                out.append(.warning("Service \"\(namespace)/\(ref.name)\" is not in the input", rule: "ref.backend-not-found", at: at))
            }
        default:
            out.append(.error("backendRef kind \(ref.group.isEmpty ? "" : ref.group + "/")\(ref.kind) is not supported (use Backend of \(AgentGateway.group) or Service)",
                              rule: "ref.invalid-kind", at: at))
        }
        return out
    }

    // MARK: TrafficPolicy

    func checkPolicy(_ policy: TrafficPolicyResource, _ index: ObjectIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let node = policy.manifest.node
        for ref in policy.targetRefs {
            let at = node.bestMark(ref.path)
            let key = ObjectKey(group: ref.group, kind: ref.kind, namespace: policy.key.namespace, name: ref.name)
            switch ref.kind {
            case "HTTPRoute":
                if !index.routes.contains(where: { $0.key == key }) {
                    out.append(.warning("HTTPRoute \"\(key.namespace)/\(key.name)\" is not in the input", rule: "ref.target-not-found", at: at))
                }
            case "Gateway":
                if let gw = index.gateways[key] {
                    if let section = ref.sectionName, !gw.listeners.contains(where: { $0.name == section }) {
                        out.append(.error("Gateway \"\(key.name)\" has no listener named \"\(section)\"", rule: "ref.target-section", at: at))
                    }
                } else {
                    out.append(.warning("Gateway \"\(key.namespace)/\(key.name)\" is not in the input", rule: "ref.target-not-found", at: at))
                }
            default:
                break // the schema's enum already reports other kinds
            }
        }
        if let secret = policy.apiKeySecret {
            let path: [PathComponent] = [.key("spec"), .key("traffic"), .key("authentication"), .key("apiKeyAuth"), .key("secretRef"), .key("name")]
            out += checkSecret(named: secret, namespace: policy.key.namespace, at: node.bestMark(path), index, purpose: "API keys")
        }
        return out
    }

    func checkSecret(named name: String, namespace: String, at: SourceMark?, _ index: ObjectIndex, purpose: String) -> [Diagnostic] {
        let key = ObjectKey(group: "", kind: "Secret", namespace: namespace, name: name)
        guard let secret = index.secrets[key] else {
            return [.warning("Secret \"\(namespace)/\(name)\" is not in the input", rule: "ref.secret-not-found", at: at)]
        }
        if !secret.keys.contains(where: \.nonEmpty) {
            return [.error("Secret \"\(namespace)/\(name)\" holds no non-empty key, so it provides no \(purpose)", rule: "ref.secret-empty", at: at)]
        }
        return []
    }

    // MARK: Backend

    func checkBackend(_ backend: BackendResource, _ index: ObjectIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let node = backend.manifest.node
        let prefixed = backend.prefixMode == "Always" || (backend.prefixMode == "Conditional" && backend.targets.count > 1)
        for target in backend.targets {
            if prefixed {
                let prefix = target.name.count + 1
                if prefix >= Self.maxToolName {
                    out.append(.error("target name \"\(target.name)\" leaves no room for tool names: \"\(target.name)_<tool>\" must stay within \(Self.maxToolName) characters",
                                      rule: "mcp.prefix-too-long", at: node.bestMark(target.nodePath + [.key("name")])))
                } else if prefix > Self.maxToolName / 2 {
                    out.append(.warning("target name \"\(target.name)\" leaves only \(Self.maxToolName - prefix) characters for tool names; longer tools are dropped",
                                        rule: "mcp.prefix-long", at: node.bestMark(target.nodePath + [.key("name")])))
                }
            }
            for header in target.secretHeaders {
                out += checkSecret(named: header.secret, namespace: backend.key.namespace,
                                   at: node.bestMark(target.nodePath + [.key("headers")]), index, purpose: "header \(header.header)")
            }
        }
        return out
    }
}

/// The input's objects by kind, with namespaces resolved.
struct ObjectIndex {
    var gateways: [ObjectKey: GatewayResource] = [:]
    var routes: [HTTPRouteResource] = []
    var policies: [TrafficPolicyResource] = []
    var backends: [ObjectKey: BackendResource] = [:]
    var services: [ObjectKey: ServiceResource] = [:]
    var secrets: [ObjectKey: SecretResource] = [:]
    var grants: [ReferenceGrantResource] = []
    var gatewayClasses: [String: Node] = [:]

    init(_ manifests: [Manifest], defaultNamespace ns: String) {
        for m in manifests {
            switch (m.group, m.kind) {
            case (GatewayAPI.group, "Gateway"): let g = GatewayResource(m, defaultNamespace: ns); gateways[g.key] = gateways[g.key] ?? g
            case (GatewayAPI.group, "HTTPRoute"): routes.append(HTTPRouteResource(m, defaultNamespace: ns))
            case (GatewayAPI.group, "GatewayClass"): gatewayClasses[m.name] = m.node
            case (GatewayAPI.group, "ReferenceGrant"): grants.append(ReferenceGrantResource(m, defaultNamespace: ns))
            case (AgentGateway.group, "TrafficPolicy"): policies.append(TrafficPolicyResource(m, defaultNamespace: ns))
            case (AgentGateway.group, "Backend"): let b = BackendResource(m, defaultNamespace: ns); backends[b.key] = backends[b.key] ?? b
            case ("", "Service"): let s = ServiceResource(m, defaultNamespace: ns); services[s.key] = s
            case ("", "Secret"): let s = SecretResource(m, defaultNamespace: ns); secrets[s.key] = s
            default: break
            }
        }
    }
}

/// Hostname matching as the Gateway API defines it for listeners and routes.
public enum Hostnames {
    /// Whether a listener hostname and a route hostname (either may be a `*.` wildcard) intersect.
    public static func intersect(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        func matches(_ wildcard: String, _ host: String) -> Bool {
            guard wildcard.hasPrefix("*.") else { return false }
            let suffix = wildcard.dropFirst(1) // ".example.com"
            return host.hasSuffix(suffix) && host.count > suffix.count
        }
        return matches(a, b) || matches(b, a)
    }
}
