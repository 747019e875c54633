import AgentGWModel

/// A `Status` body from the API server (meta/v1 Status), as sent with every failure.
public struct APIStatus: Sendable, Equatable {
    public struct Cause: Sendable, Equatable {
        public var reason: String
        public var message: String
        public var field: String
        public init(reason: String = "", message: String = "", field: String = "") {
            self.reason = reason; self.message = message; self.field = field
        }
    }
    public var code: Int
    public var reason: String
    public var message: String
    public var name: String
    public var group: String
    public var kind: String
    public var causes: [Cause]
    public var retryAfterSeconds: Int?

    public init(code: Int, reason: String = "", message: String = "", name: String = "", group: String = "",
                kind: String = "", causes: [Cause] = []) {
        self.code = code; self.reason = reason; self.message = message
        self.name = name; self.group = group; self.kind = kind; self.causes = causes
    }

    /// Decodes a Status object; nil when `node` is not one.
    public init?(_ node: Node) {
        guard node["kind"]?.string == "Status" else { return nil }
        code = node["code"]?.int ?? 0
        reason = node["reason"]?.string ?? ""
        message = node["message"]?.string ?? ""
        let details = node["details"]
        name = details?["name"]?.string ?? ""
        group = details?["group"]?.string ?? ""
        kind = details?["kind"]?.string ?? ""
        retryAfterSeconds = details?["retryAfterSeconds"]?.int
        causes = (details?["causes"]?.array ?? []).map {
            Cause(reason: $0["reason"]?.string ?? "", message: $0["message"]?.string ?? "", field: $0["field"]?.string ?? "")
        }
    }

    /// Builds a Status for an HTTP error whose body wasn't one (client-go's `NewGenericServerResponse`).
    public static func fromResponse(code: Int, body: [UInt8]) -> APIStatus {
        if let docs = try? YAMLReader.read(body, file: "response"), let first = docs.first, let s = APIStatus(first) {
            var s = s
            if s.code == 0 { s.code = code }
            return s
        }
        let (reason, message): (String, String)
        switch code {
        case 400: (reason, message) = ("BadRequest", "the server rejected our request for an unknown reason")
        case 401: (reason, message) = ("Unauthorized", "the server has asked for the client to provide credentials")
        case 403: (reason, message) = ("Forbidden", "the server does not allow access to the requested resource")
        case 404: (reason, message) = ("NotFound", "the server could not find the requested resource")
        case 405: (reason, message) = ("MethodNotAllowed", "the server does not allow this method on the requested resource")
        case 409: (reason, message) = ("Conflict", "the server reported a conflict")
        case 410: (reason, message) = ("Expired", "the resource version is too old")
        case 422: (reason, message) = ("Invalid", "the server rejected our request due to an error in our request")
        case 429: (reason, message) = ("TooManyRequests", "the server has received too many requests and has asked us to try again later")
        case 500: (reason, message) = ("InternalError", "an error on the server has prevented the request from succeeding")
        case 503: (reason, message) = ("ServiceUnavailable", "the server is currently unable to handle the request")
        case 504: (reason, message) = ("Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request")
        default: (reason, message) = ("", "an error on the server (\"\(String(decoding: body.prefix(256), as: UTF8.self))\") has prevented the request from succeeding")
        }
        return APIStatus(code: code, reason: reason, message: message)
    }
}

/// Everything the client can fail with, each as one line a user can act on.
public enum KubeError: Error, Sendable, CustomStringConvertible {
    /// The server answered with a failure Status.
    case status(APIStatus)
    /// kubeconfig or flags are wrong.
    case config(String)
    /// Getting credentials failed (exec plugin, token file, certificates).
    case credentials(String)
    /// The server couldn't be reached or the connection broke.
    case transport(String)
    /// Discovery knows no resource for this kind (usually: the CRD isn't installed).
    case noMatch(group: String, version: String, kind: String)
    /// The watch's resourceVersion is too old (410 Gone / Expired): clear the cache and relist.
    case expired(String)
    /// The server sent something that isn't the JSON it should be.
    case decoding(String)
    /// A wait (for a deletion, a condition) ran out of time.
    case timeout(String)

    public var description: String {
        switch self {
        case .status(let s): return KubectlWording.message(for: s)
        case .config(let m): return m
        case .credentials(let m): return "getting credentials: \(m)"
        case .transport(let m): return "Unable to connect to the server: \(m)"
        case .noMatch(let g, let v, let k):
            return "no matches for kind \"\(k)\" in version \"\(g.isEmpty ? v : "\(g)/\(v)")\""
        case .expired(let m): return m
        case .decoding(let m): return m
        case .timeout(let m): return m
        }
    }

    /// The Status when the server sent one.
    public var apiStatus: APIStatus? { if case .status(let s) = self { return s } else { return nil } }
    public var isNotFound: Bool { apiStatus?.code == 404 || apiStatus?.reason == "NotFound" }
    public var isConflict: Bool { apiStatus?.code == 409 }
    public var isInvalid: Bool { apiStatus?.code == 422 }
    public var isUnauthorized: Bool { apiStatus?.code == 401 }
    public var isExpired: Bool {
        if case .expired = self { return true }
        return apiStatus?.code == 410
    }
    /// A server-side apply field conflict (409 with FieldManagerConflict causes).
    public var isFieldManagerConflict: Bool {
        guard let s = apiStatus, s.code == 409 else { return false }
        return s.causes.contains { $0.reason == "FieldManagerConflict" } || s.message.hasPrefix("Apply failed with")
    }
}

/// kubectl's wording for errors (k8s.io/kubectl/pkg/cmd/util/helpers.go), so users and scripts
/// see the lines they know.
public enum KubectlWording {
    /// The message kubectl prints for a Status error (the full line(s), without a trailing newline).
    public static func message(for s: APIStatus) -> String {
        if s.code == 422 || s.reason == "Invalid" {
            var head = "The request is invalid"
            if !s.kind.isEmpty || !s.name.isEmpty {
                head = "The \(s.kind) \"\(s.name)\" is invalid"
            } else if !s.message.isEmpty {
                head = s.message
            }
            let errs = s.causes.map { $0.field.isEmpty ? $0.message : "\($0.field): \($0.message)" }
            if errs.isEmpty { return head }
            if errs.count == 1 { return "\(head): \(errs[0])" }
            return "\(head): \n" + errs.map { "* \($0)" }.joined(separator: "\n")
        }
        if s.reason == "Unauthorized" || s.code == 401 {
            return "error: You must be logged in to the server (\(s.message.isEmpty ? "Unauthorized" : s.message))"
        }
        if !s.reason.isEmpty { return "Error from server (\(s.reason)): \(s.message)" }
        return "Error from server: \(s.message)"
    }

    /// The hint kubectl apply adds under a server-side apply conflict.
    public static let conflictHint = """
    Please review the fields above--they currently have other managers. Here
    are the ways you can resolve this warning:
    * If you intend to manage all of these fields, please re-run the apply
      command with the `--force-conflicts` flag.
    * If you do not intend to manage all of the fields, please edit your
      manifest to remove references to the fields that should keep their
      current managers.
    * You may co-own fields by updating your manifest to match the existing
      value; in this case, you'll become the manager if the other manager(s)
      stop managing the field (remove it from their configuration).
    See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
    """

    /// `error: <conflict message>` and the hint, as kubectl apply prints a conflict.
    public static func conflict(_ s: APIStatus) -> String {
        "error: \(s.message)\n\(conflictHint)"
    }

    /// The two lines kubectl prints when a kind has no mapping.
    public static func resourceMappingNotFound(name: String, namespace: String, source: String,
                                               group: String, version: String, kind: String) -> String {
        let gv = group.isEmpty ? version : "\(group)/\(version)"
        return "error: resource mapping not found for name: \"\(name)\" namespace: \"\(namespace)\" from \"\(source)\": no matches for kind \"\(kind)\" in version \"\(gv)\"\nensure CRDs are installed first"
    }

    /// Any error as kubectl would print it: Status errors in their own words, others as `error: ...`.
    public static func line(for error: any Error) -> String {
        if let k = error as? KubeError, case .status(let s) = k { return message(for: s) }
        let text = String(describing: error)
        return text.hasPrefix("error: ") ? text : "error: \(text)"
    }
}
