/// Identity of an object as read from a manifest, with the namespace resolved.
public struct ObjectKey: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var kind: String
    public var namespace: String
    public var name: String

    public init(group: String, kind: String, namespace: String, name: String) {
        self.group = group
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    public var description: String { "\(kind) \(namespace)/\(name)" }
}

extension Manifest {
    /// The object's key, with `defaultNamespace` for objects that name none.
    public func key(defaultNamespace: String) -> ObjectKey {
        ObjectKey(group: group, kind: kind, namespace: namespace ?? defaultNamespace, name: name)
    }
}

/// A reference written in a manifest (parentRef, backendRef, targetRef, secretRef), kept with
/// the path of its node so findings point at it.
public struct WrittenRef: Sendable, Hashable {
    public var group: String
    public var kind: String
    public var namespace: String?
    public var name: String
    public var sectionName: String?
    public var port: Int?
    /// Where the reference sits in its object, e.g. `spec.rules[0].backendRefs[1]`.
    public var path: [PathComponent]

    public init(group: String, kind: String, namespace: String? = nil, name: String,
                sectionName: String? = nil, port: Int? = nil, path: [PathComponent]) {
        self.group = group
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.sectionName = sectionName
        self.port = port
        self.path = path
    }

    /// Reads `{group, kind, namespace, name, sectionName, port}` with the given defaults.
    init(_ node: Node, defaultGroup: String, defaultKind: String, path: [PathComponent]) {
        self.init(group: node["group"]?.string ?? defaultGroup,
                  kind: node["kind"]?.string ?? defaultKind,
                  namespace: node["namespace"]?.string,
                  name: node["name"]?.string ?? "",
                  sectionName: node["sectionName"]?.string,
                  port: node["port"]?.int,
                  path: path)
    }
}

extension Node {
    /// Elements of the array at `key`, each with its path under `base`.
    func elements(_ key: String, base: [PathComponent]) -> [(node: Node, path: [PathComponent])] {
        guard let items = self[key]?.array else { return [] }
        return items.enumerated().map { (node: $0.element, path: base + [.key(key), .index($0.offset)]) }
    }
}
