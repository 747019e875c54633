/// A Gateway, as far as routing and validation need it.
public struct GatewayResource: Sendable {
    public struct Listener: Sendable {
        public var name: String
        public var port: Int
        public var `protocol`: String
        public var hostname: String?
        /// `Same` (default), `All` or `Selector`.
        public var allowedFrom: String
        public var allowedSelector: Node?
        /// Route kinds the listener admits; empty means the protocol's default (HTTPRoute for HTTP/HTTPS).
        public var allowedKinds: [String]
        public var path: [PathComponent]
    }

    public var manifest: Manifest
    public var key: ObjectKey
    public var gatewayClassName: String
    public var listeners: [Listener]

    public init(_ manifest: Manifest, defaultNamespace: String) {
        self.manifest = manifest
        self.key = manifest.key(defaultNamespace: defaultNamespace)
        let spec = manifest.node["spec"] ?? .null
        gatewayClassName = spec["gatewayClassName"]?.string ?? ""
        listeners = spec.elements("listeners", base: [.key("spec")]).map { item in
            let allowed = item.node["allowedRoutes"]
            return Listener(
                name: item.node["name"]?.string ?? "",
                port: item.node["port"]?.int ?? 0,
                protocol: item.node["protocol"]?.string ?? "",
                hostname: item.node["hostname"]?.string,
                allowedFrom: allowed?["namespaces"]?["from"]?.string ?? "Same",
                allowedSelector: allowed?["namespaces"]?["selector"],
                allowedKinds: allowed?["kinds"]?.array?.compactMap { $0["kind"]?.string } ?? [],
                path: item.path)
        }
    }
}

/// An HTTPRoute, as far as routing and validation need it.
public struct HTTPRouteResource: Sendable {
    public struct Rule: Sendable {
        public var backendRefs: [WrittenRef]
        public var node: Node
        public var path: [PathComponent]
    }

    public var manifest: Manifest
    public var key: ObjectKey
    public var parentRefs: [WrittenRef]
    public var hostnames: [String]
    public var rules: [Rule]

    public init(_ manifest: Manifest, defaultNamespace: String) {
        self.manifest = manifest
        self.key = manifest.key(defaultNamespace: defaultNamespace)
        let spec = manifest.node["spec"] ?? .null
        parentRefs = spec.elements("parentRefs", base: [.key("spec")]).map {
            WrittenRef($0.node, defaultGroup: GatewayAPI.group, defaultKind: "Gateway", path: $0.path)
        }
        hostnames = spec["hostnames"]?.array?.compactMap(\.string) ?? []
        rules = spec.elements("rules", base: [.key("spec")]).map { rule in
            Rule(backendRefs: rule.node.elements("backendRefs", base: rule.path).map {
                WrittenRef($0.node, defaultGroup: "", defaultKind: "Service", path: $0.path)
            }, node: rule.node, path: rule.path)
        }
    }
}

/// A ReferenceGrant: who (`from`) may refer to what (`to`) in its namespace.
public struct ReferenceGrantResource: Sendable {
    public struct From: Sendable { public var group: String; public var kind: String; public var namespace: String }
    public struct To: Sendable { public var group: String; public var kind: String; public var name: String? }

    public var key: ObjectKey
    public var from: [From]
    public var to: [To]

    public init(_ manifest: Manifest, defaultNamespace: String) {
        key = manifest.key(defaultNamespace: defaultNamespace)
        let spec = manifest.node["spec"] ?? .null
        from = spec["from"]?.array?.map {
            From(group: $0["group"]?.string ?? "", kind: $0["kind"]?.string ?? "", namespace: $0["namespace"]?.string ?? "")
        } ?? []
        to = spec["to"]?.array?.map {
            To(group: $0["group"]?.string ?? "", kind: $0["kind"]?.string ?? "", name: $0["name"]?.string)
        } ?? []
    }

    /// Whether this grant lets `fromKind` objects in `fromNamespace` refer to `target`.
    public func permits(fromGroup: String, fromKind: String, fromNamespace: String, to target: ObjectKey) -> Bool {
        guard target.namespace == key.namespace else { return false }
        let fromOK = from.contains { $0.group == fromGroup && $0.kind == fromKind && $0.namespace == fromNamespace }
        let toOK = to.contains { $0.group == target.group && $0.kind == target.kind && ($0.name == nil || $0.name == target.name) }
        return fromOK && toOK
    }
}
