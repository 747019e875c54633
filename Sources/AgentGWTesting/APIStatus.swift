import AgentGWModel

/// An API error as the real apiserver writes it: a `Status` object with an HTTP code.
struct APIError: Error, Sendable {
    var code: Int
    var reason: String
    var message: String
    /// `details`, when the real server sends them (name, group, kind, causes); nil = `{}`.
    var details: Node?

    init(code: Int, reason: String, message: String, details: Node? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    /// `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",...}` in the real key order.
    var status: Node {
        var entries: [(String, Node)] = [
            ("kind", "Status"), ("apiVersion", "v1"), ("metadata", Node(.object([]))),
            ("status", "Failure"), ("message", .string(message)),
        ]
        if !reason.isEmpty { entries.append(("reason", .string(reason))) }
        entries.append(("details", details ?? Node(.object([]))))
        entries.append(("code", .int(code)))
        return .object(entries)
    }

    static func details(name: String, group: String, kind: String, causes: [Node]? = nil) -> Node {
        var entries: [(String, Node)] = []
        if !name.isEmpty { entries.append(("name", .string(name))) }
        if !group.isEmpty { entries.append(("group", .string(group))) }
        entries.append(("kind", .string(kind)))
        if let causes { entries.append(("causes", .array(causes))) }
        return .object(entries)
    }

    /// The body for paths under unknown groups or resources (§1 "CRD missing").
    static let notFoundResource = APIError(code: 404, reason: "NotFound",
                                           message: "the server could not find the requested resource")

    /// `secrets "x" not found`, `gateways.gateway.networking.k8s.io "gw" not found`.
    static func notFound(_ type: ResourceType, name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(type.qualifiedResource) \"\(name)\" not found",
                 details: details(name: name, group: type.group, kind: type.plural))
    }

    static func alreadyExists(_ type: ResourceType, name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(type.qualifiedResource) \"\(name)\" already exists",
                 details: details(name: name, group: type.group, kind: type.plural))
    }

    static func conflict(_ type: ResourceType, name: String) -> APIError {
        APIError(code: 409, reason: "Conflict",
                 message: "Operation cannot be fulfilled on \(type.qualifiedResource) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
                 details: details(name: name, group: type.group, kind: type.plural))
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    static func methodNotAllowed() -> APIError {
        APIError(code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource")
    }

    static func unsupportedMediaType(_ contentType: String) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml\(contentType == "application/strategic-merge-patch+json" ? "" : ", application/strategic-merge-patch+json")")
    }

    static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    /// 410 for a watch from a compacted resourceVersion.
    static func expired(requested: Int, oldest: Int) -> APIError {
        APIError(code: 410, reason: "Expired", message: "too old resource version: \(requested) (\(oldest))")
    }

    /// 422 with field causes, worded like apimachinery's `NewInvalid`.
    static func invalid(_ type: ResourceType, name: String, errors: [(field: String, reason: String, body: String)]) -> APIError {
        let rendered = errors.map { $0.field.isEmpty ? $0.body : "\($0.field): \($0.body)" }
        let aggregate = rendered.count == 1 ? rendered[0] : "[" + rendered.joined(separator: ", ") + "]"
        let qualifiedKind = type.group.isEmpty ? type.kind : "\(type.kind).\(type.group)"
        let causes: [Node] = errors.map { .object([("reason", .string($0.reason)), ("message", .string($0.body)), ("field", .string($0.field))]) }
        return APIError(code: 422, reason: "Invalid", message: "\(qualifiedKind) \"\(name)\" is invalid: \(aggregate)",
                        details: details(name: name, group: type.group, kind: type.kind, causes: causes))
    }
}
