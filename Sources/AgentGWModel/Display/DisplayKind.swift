/// The four kinds `get` and `describe` show, with the names kubectl users type for them.
public enum DisplayKind: String, Sendable, CaseIterable {
    case gateway, route, backend, policy

    public var kind: String {
        switch self {
        case .gateway: return "Gateway"
        case .route: return "HTTPRoute"
        case .backend: return "Backend"
        case .policy: return "TrafficPolicy"
        }
    }

    public var group: String {
        switch self {
        case .gateway, .route: return GatewayAPI.group
        case .backend, .policy: return AgentGateway.group
        }
    }

    public var version: String {
        switch self {
        case .gateway, .route: return GatewayAPI.version
        case .backend, .policy: return AgentGateway.version
        }
    }

    public var apiVersion: String { "\(group)/\(version)" }

    /// The REST resource (plural).
    public var plural: String {
        switch self {
        case .gateway: return "gateways"
        case .route: return "httproutes"
        case .backend: return "backends"
        case .policy: return "trafficpolicies"
        }
    }

    /// kubectl's `resource.group`, the prefix of `-o name` and of `get all` rows.
    public var qualifiedResource: String { "\(kind.lowercased()).\(group)" }

    /// Parses what a user types: singular, plural, short names, the kind, or our aliases.
    public static func parse(_ text: String) -> DisplayKind? {
        let t = text.lowercased()
        // Allow `gateways.gateway.networking.k8s.io` as kubectl does.
        let head = t.split(separator: ".", maxSplits: 1).first.map(String.init) ?? t
        switch head {
        case "gateway", "gateways", "gtw", "gw": return .gateway
        case "httproute", "httproutes", "route", "routes": return .route
        case "backend", "backends", "agbe": return .backend
        case "trafficpolicy", "trafficpolicies", "policy", "policies", "agtp": return .policy
        default: return nil
        }
    }

    /// The kind of an object, if it is one of ours.
    public static func of(_ object: Node) -> DisplayKind? {
        let kind = object["kind"]?.string ?? ""
        let group = (object["apiVersion"]?.string ?? "").split(separator: "/").dropLast().first.map(String.init) ?? ""
        return allCases.first { $0.kind == kind && $0.group == group }
    }
}

/// Small accessors on Kubernetes objects shared by tables, describe and analysis.
extension Node {
    var metaName: String { self["metadata"]?["name"]?.string ?? "" }
    var metaNamespace: String { self["metadata"]?["namespace"]?.string ?? "" }
    var kindName: String { self["kind"]?.string ?? "" }

    /// `conditions[type == t]`.
    func condition(_ type: String, in conditions: Node?) -> Node? {
        conditions?.array?.first { $0["type"]?.string == type }
    }
}

/// One condition, flattened for display.
public struct ConditionSummary: Sendable, Equatable {
    public var type: String
    public var status: String
    public var reason: String
    public var message: String

    init(_ node: Node) {
        type = node["type"]?.string ?? ""
        status = node["status"]?.string ?? "Unknown"
        reason = node["reason"]?.string ?? ""
        message = node["message"]?.string ?? ""
    }

    static func list(_ conditions: Node?) -> [ConditionSummary] {
        conditions?.array?.map(ConditionSummary.init) ?? []
    }
}
