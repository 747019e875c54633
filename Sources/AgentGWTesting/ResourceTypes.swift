import AgentGWModel

/// A served resource type, as discovery describes it.
struct ResourceType: Sendable {
    var group: String
    /// Served versions, most preferred first.
    var versions: [String]
    var kind: String
    var plural: String
    var singular: String
    var namespaced: Bool
    var shortNames: [String] = []
    var categories: [String] = []
    var statusSubresource: Bool
    /// Per-version schemas of a custom resource (drive list merging); empty for built-ins.
    var schemas: [String: OpenAPISchema] = [:]
    /// The CRD that installed this type (its metadata.name), nil for built-ins.
    var crdName: String?
    /// Built-ins of the core group keep no metadata.generation.
    var tracksGeneration = true

    var key: TypeKey { TypeKey(group: group, plural: plural) }
    var preferredVersion: String { versions.first ?? "v1" }
    var listKind: String { kind + "List" }
    /// `secrets`, `gateways.gateway.networking.k8s.io`: how NotFound messages name the resource.
    var qualifiedResource: String { group.isEmpty ? plural : "\(plural).\(group)" }
    func apiVersion(_ version: String) -> String { group.isEmpty ? version : "\(group)/\(version)" }

    static let verbs: [Node] = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    /// How lists of an object of this type merge.
    func shape(version: String) -> Shape {
        if crdName == nil { return .builtinShape }
        if let s = schemas[version] ?? SchemaRegistry.lookup(group: group, version: version, kind: kind)?.schema {
            return Shape(schema: s, builtin: false)
        }
        return .unknown
    }

    /// Entries of an APIResourceList: the resource, then its status subresource.
    var discoveryEntries: [Node] {
        var entries: [(String, Node)] = [
            ("name", .string(plural)), ("singularName", .string(singular)), ("namespaced", Node(.bool(namespaced))),
            ("kind", .string(kind)), ("verbs", .array(ResourceType.verbs)),
        ]
        if !shortNames.isEmpty { entries.append(("shortNames", .array(shortNames.map { .string($0) }))) }
        if !categories.isEmpty { entries.append(("categories", .array(categories.map { .string($0) }))) }
        var out: [Node] = [.object(entries)]
        if statusSubresource {
            out.append(.object([("name", .string(plural + "/status")), ("singularName", ""),
                                ("namespaced", Node(.bool(namespaced))), ("kind", .string(kind)),
                                ("verbs", ["get", "patch", "update"])]))
        }
        return out
    }

    /// The built-in kinds the test server serves.
    static let builtins: [ResourceType] = {
        func t(_ group: String, _ version: String, _ kind: String, _ plural: String, namespaced: Bool = true,
               status: Bool = false, short: [String] = [], categories: [String] = [], generation: Bool = true) -> ResourceType {
            ResourceType(group: group, versions: [version], kind: kind, plural: plural, singular: kind.lowercased(),
                         namespaced: namespaced, shortNames: short, categories: categories,
                         statusSubresource: status, tracksGeneration: generation)
        }
        return [
            t("", "v1", "Namespace", "namespaces", namespaced: false, status: true, short: ["ns"], generation: false),
            t("", "v1", "Secret", "secrets", generation: false),
            t("", "v1", "ConfigMap", "configmaps", short: ["cm"], generation: false),
            t("", "v1", "Service", "services", status: true, short: ["svc"], categories: ["all"], generation: false),
            t("", "v1", "ServiceAccount", "serviceaccounts", short: ["sa"], generation: false),
            t("", "v1", "Endpoints", "endpoints", short: ["ep"], generation: false),
            t("", "v1", "Event", "events", short: ["ev"], generation: false),
            t("events.k8s.io", "v1", "Event", "events", short: ["ev"], generation: false),
            t("apps", "v1", "Deployment", "deployments", status: true, short: ["deploy"], categories: ["all"]),
            t("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", generation: false),
            t("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", namespaced: false, generation: false),
            t("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", namespaced: false, generation: false),
            t("rbac.authorization.k8s.io", "v1", "Role", "roles", generation: false),
            t("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", generation: false),
            t("coordination.k8s.io", "v1", "Lease", "leases", generation: false),
            t("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", namespaced: false,
              status: true, short: ["crd", "crds"], categories: ["api-extensions"]),
        ]
    }()

    /// Kubernetes version priority: GA before beta before alpha, higher numbers first.
    static func versionOrder(_ a: String, _ b: String) -> Bool {
        func parse(_ v: String) -> (Int, Int, Int)? {
            guard v.hasPrefix("v") else { return nil }
            let rest = v.dropFirst()
            let major = rest.prefix(while: \.isNumber)
            guard let m = Int(major) else { return nil }
            let tail = rest.dropFirst(major.count)
            if tail.isEmpty { return (3, m, 0) }
            for (label, rank) in [("beta", 2), ("alpha", 1)] where tail.hasPrefix(label) {
                guard let n = Int(tail.dropFirst(label.count)) else { return nil }
                return (rank, m, n)
            }
            return nil
        }
        switch (parse(a), parse(b)) {
        case let (x?, y?): return x.0 != y.0 ? x.0 > y.0 : (x.1 != y.1 ? x.1 > y.1 : x.2 > y.2)
        case (_?, nil): return true
        case (nil, _?): return false
        default: return a < b
        }
    }

    /// The resource type a CRD object installs, or nil when its spec lacks group/names.
    static func from(crd: Node) -> ResourceType? {
        guard let spec = crd["spec"], let group = spec["group"]?.string, let names = spec["names"],
              let kind = names["kind"]?.string, let plural = names["plural"]?.string else { return nil }
        var versions: [String] = []
        var schemas: [String: OpenAPISchema] = [:]
        var status = false
        for v in spec["versions"]?.array ?? [] {
            guard let name = v["name"]?.string, v["served"]?.bool ?? true else { continue }
            versions.append(name)
            if let s = v["schema"]?["openAPIV3Schema"], s.isObject { schemas[name] = OpenAPISchema(s) }
            if v["subresources"]?["status"] != nil { status = true }
        }
        guard !versions.isEmpty else { return nil }
        return ResourceType(
            group: group, versions: versions.sorted(by: versionOrder), kind: kind, plural: plural,
            singular: names["singular"]?.string ?? kind.lowercased(),
            namespaced: (spec["scope"]?.string ?? "Namespaced") == "Namespaced",
            shortNames: names["shortNames"]?.array?.compactMap(\.string) ?? [],
            categories: names["categories"]?.array?.compactMap(\.string) ?? [],
            statusSubresource: status, schemas: schemas, crdName: crd["metadata"]?["name"]?.string)
    }

    /// Gateway API kinds (from the embedded schemas of `SchemaRegistry`), as CRD objects, so they
    /// appear in discovery and in `kubectl get crds` like an installed bundle.
    static func gatewayAPICRDs() -> [Node] {
        let group = "gateway.networking.k8s.io"
        let kinds: [(kind: String, short: [String], status: Bool)] = [
            ("GatewayClass", ["gc"], true), ("Gateway", ["gtw"], true), ("HTTPRoute", [], true),
            ("GRPCRoute", [], true), ("ReferenceGrant", ["refgrant"], false), ("BackendTLSPolicy", ["btlspolicy"], true),
            ("ListenerSet", ["lset"], true), ("TLSRoute", [], true), ("TCPRoute", [], true), ("UDPRoute", [], true),
        ]
        var out: [Node] = []
        for k in kinds {
            let versions = SchemaRegistry.servedVersions(group: group, kind: k.kind).sorted(by: versionOrder)
            guard let first = versions.first, let known = SchemaRegistry.lookup(group: group, version: first, kind: k.kind) else { continue }
            // The schema itself stays in SchemaRegistry (compiled once); the CRD carries none.
            var versionNodes: [Node] = []
            for (i, v) in versions.enumerated() {
                var entries: [(String, Node)] = [("name", .string(v)), ("served", true), ("storage", Node(.bool(i == 0)))]
                if k.status { entries.append(("subresources", .object([("status", Node(.object([])))]))) }
                versionNodes.append(.object(entries))
            }
            var names: [(String, Node)] = [("categories", ["gateway-api"]), ("kind", .string(k.kind)),
                                           ("listKind", .string(k.kind + "List")), ("plural", .string(known.plural))]
            if !k.short.isEmpty { names.append(("shortNames", .array(k.short.map { .string($0) }))) }
            names.append(("singular", .string(k.kind.lowercased())))
            out.append(.object([
                ("apiVersion", "apiextensions.k8s.io/v1"), ("kind", "CustomResourceDefinition"),
                ("metadata", .object([("name", .string("\(known.plural).\(group)")),
                                      ("annotations", .object([("gateway.networking.k8s.io/bundle-version", .string(SchemaRegistry.gatewayAPIBundleVersion))]))])),
                ("spec", .object([("group", .string(group)), ("names", .object(names)),
                                  ("scope", .string(known.namespaced ? "Namespaced" : "Cluster")),
                                  ("versions", .array(versionNodes))])),
            ]))
        }
        return out
    }
}

struct TypeKey: Hashable, Sendable {
    var group: String
    var plural: String
}
