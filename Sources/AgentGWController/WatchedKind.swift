import AgentGWKube
import AgentGWModel
import NIOConcurrencyHelpers

/// The kinds `serve --kubernetes` lists and watches, cluster-wide.
public enum WatchedKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case gatewayClass, gateway, httpRoute, referenceGrant, backend, trafficPolicy, secret, service, namespace, endpointSlice

    /// The REST resource (fixed versions: what the install bundle's CRDs and RBAC name).
    public var resource: ResourceInfo {
        switch self {
        case .gatewayClass: return ResourceInfo(group: GatewayAPI.group, version: "v1", kind: "GatewayClass", plural: "gatewayclasses", namespaced: false)
        case .gateway: return ResourceInfo(group: GatewayAPI.group, version: "v1", kind: "Gateway", plural: "gateways", namespaced: true)
        case .httpRoute: return ResourceInfo(group: GatewayAPI.group, version: "v1", kind: "HTTPRoute", plural: "httproutes", namespaced: true)
        case .referenceGrant: return ResourceInfo(group: GatewayAPI.group, version: "v1beta1", kind: "ReferenceGrant", plural: "referencegrants", namespaced: true)
        case .backend: return ResourceInfo(group: AgentGateway.group, version: AgentGateway.version, kind: "Backend", plural: "backends", namespaced: true)
        case .trafficPolicy: return ResourceInfo(group: AgentGateway.group, version: AgentGateway.version, kind: "TrafficPolicy", plural: "trafficpolicies", namespaced: true)
        case .secret: return ResourceInfo(group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true)
        case .service: return ResourceInfo(group: "", version: "v1", kind: "Service", plural: "services", namespaced: true)
        case .namespace: return ResourceInfo(group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false)
        case .endpointSlice: return ResourceInfo(group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice", plural: "endpointslices", namespaced: true)
        }
    }

    public var description: String { resource.kindGroup }
}

/// The controller's in-memory copy of the watched objects (client-go's informer store), keyed
/// by `namespace/name`. Objects are kept whole except `metadata.managedFields`.
public final class ObjectCache: Sendable {
    struct State: Sendable {
        var objects: [WatchedKind: [String: Node]] = [:]
        var synced: Set<WatchedKind> = []
        /// Bumped on every change, so a reconcile can tell whether anything moved.
        var revision = 0
    }

    let state = NIOLockedValueBox(State())

    public init() {}

    static func key(_ node: Node, _ kind: WatchedKind) -> String {
        let meta = node["metadata"]
        let ns = kind.resource.namespaced ? (meta?["namespace"]?.string ?? "") : ""
        return "\(ns)/\(meta?["name"]?.string ?? "")"
    }

    static func trimmed(_ node: Node, _ kind: WatchedKind) -> Node {
        // Positions point into a watch line or list response: meaningless in findings.
        var n = node.withoutMarks
        if var meta = n["metadata"] {
            meta.remove("managedFields")
            n.set("metadata", meta)
        }
        // Items of a list of built-in kinds carry no apiVersion/kind.
        n.set("apiVersion", .string(kind.resource.apiVersion))
        n.set("kind", .string(kind.resource.kind))
        return n
    }

    /// A (re)list: everything that exists now.
    public func replace(_ kind: WatchedKind, _ items: [Node]) {
        var map: [String: Node] = [:]
        for item in items { map[Self.key(item, kind)] = Self.trimmed(item, kind) }
        state.withLockedValue {
            $0.objects[kind] = map
            $0.synced.insert(kind)
            $0.revision += 1
        }
    }

    /// One watch event.
    public func apply(_ kind: WatchedKind, _ event: WatchEvent) {
        guard let object = event.object else { return }
        let key = Self.key(object, kind)
        state.withLockedValue {
            switch event {
            case .added, .modified: $0.objects[kind, default: [:]][key] = Self.trimmed(object, kind)
            case .deleted: $0.objects[kind]?[key] = nil
            case .bookmark: return
            }
            $0.revision += 1
        }
    }

    /// Marks a kind as listed with nothing in it (its API isn't served).
    public func markEmpty(_ kind: WatchedKind) {
        state.withLockedValue {
            if !$0.synced.contains(kind) { $0.objects[kind] = [:]; $0.synced.insert(kind); $0.revision += 1 }
        }
    }

    public func isSynced(_ kinds: some Sequence<WatchedKind>) -> Bool {
        state.withLockedValue { s in kinds.allSatisfy { s.synced.contains($0) } }
    }

    public func snapshot() -> Snapshot {
        state.withLockedValue { Snapshot(objects: $0.objects, revision: $0.revision) }
    }

    public func get(_ kind: WatchedKind, namespace: String, name: String) -> Node? {
        state.withLockedValue { $0.objects[kind]?["\(namespace)/\(name)"] }
    }

    /// An immutable view of the cache at one moment.
    public struct Snapshot: Sendable {
        public var objects: [WatchedKind: [String: Node]]
        public var revision: Int

        public init(objects: [WatchedKind: [String: Node]], revision: Int = 0) {
            self.objects = objects
            self.revision = revision
        }

        /// The objects of a kind, sorted by `namespace/name`.
        public func items(_ kind: WatchedKind) -> [Node] {
            (objects[kind] ?? [:]).sorted { $0.key < $1.key }.map(\.value)
        }

        public func get(_ kind: WatchedKind, namespace: String, name: String) -> Node? {
            objects[kind]?["\(namespace)/\(name)"]
        }
    }
}

extension Node {
    var metaName: String { self["metadata"]?["name"]?.string ?? "" }
    var metaNamespace: String { self["metadata"]?["namespace"]?.string ?? "" }
    var metaGeneration: Int { self["metadata"]?["generation"]?.int ?? 0 }
}
