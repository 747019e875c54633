import AgentGWModel
import Foundation

/// One request the test server received (for assertions on what a client sent).
public struct TestAPIRequest: Sendable {
    public var method: String
    /// The path without the query, e.g. `/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways`.
    public var path: String
    /// The raw query string (without `?`), "" when absent.
    public var query: String
    /// Headers in arrival order; `Authorization` values are replaced by `<redacted>`.
    public var headers: [(name: String, value: String)]
    public var body: String
    /// How the caller authenticated: "token", "client-certificate", or nil (anonymous/refused).
    public var authenticatedBy: String?

    /// The first value of a header (case-insensitive), or nil.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The decoded query parameters (the last value wins).
    public var queryItems: [String: String] { Query.parse(query) }
}

enum Query {
    static func parse(_ raw: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in raw.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(String(parts[0]))
            out[key] = parts.count > 1 ? decode(String(parts[1])) : ""
        }
        return out
    }

    static func decode(_ s: String) -> String {
        (s.replacingOccurrences(of: "+", with: " ")).removingPercentEncoding ?? s
    }
}

enum Clock {
    /// RFC 3339 UTC to the second, as metadata timestamps are written.
    static func now() -> String {
        var t = time(nil)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }
}

/// `labelSelector` requirements: `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x)`.
struct LabelSelector: Sendable {
    enum Op: Sendable { case equals, notEquals, exists, notExists, isIn, notIn }
    struct Requirement: Sendable {
        var key: String
        var op: Op
        var values: [String]
    }
    var requirements: [Requirement] = []

    init(_ text: String?) throws(APIError) {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        var parts: [String] = []
        var current = ""
        var depth = 0
        for c in text {
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
            if c == ",", depth == 0 { parts.append(current); current = "" } else { current.append(c) }
        }
        parts.append(current)
        for raw in parts {
            let p = raw.trimmingCharacters(in: .whitespaces)
            if let r = p.range(of: "!=") {
                requirements.append(.init(key: trim(p[..<r.lowerBound]), op: .notEquals, values: [trim(p[r.upperBound...])]))
            } else if let r = p.range(of: "==") ?? p.range(of: "=") {
                requirements.append(.init(key: trim(p[..<r.lowerBound]), op: .equals, values: [trim(p[r.upperBound...])]))
            } else if let r = p.range(of: " notin ") {
                requirements.append(.init(key: trim(p[..<r.lowerBound]), op: .notIn, values: LabelSelector.set(p[r.upperBound...])))
            } else if let r = p.range(of: " in ") {
                requirements.append(.init(key: trim(p[..<r.lowerBound]), op: .isIn, values: LabelSelector.set(p[r.upperBound...])))
            } else if p.hasPrefix("!") {
                requirements.append(.init(key: trim(p.dropFirst()), op: .notExists, values: []))
            } else if !p.isEmpty, !p.contains(" ") {
                requirements.append(.init(key: p, op: .exists, values: []))
            } else {
                throw APIError.badRequest("unable to parse requirement: found '\(p)', expected: identifier")
            }
        }
    }

    private func trim<S: StringProtocol>(_ s: S) -> String { s.trimmingCharacters(in: .whitespaces) }

    private static func set<S: StringProtocol>(_ s: S) -> [String] {
        s.trimmingCharacters(in: CharacterSet(charactersIn: " ()")).split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    func matches(_ object: Node) -> Bool {
        let labels = object["metadata"]?["labels"]
        for r in requirements {
            let value = labels?[r.key]?.string
            switch r.op {
            case .equals: if value != r.values.first { return false }
            case .notEquals: if value == r.values.first { return false }
            case .exists: if value == nil { return false }
            case .notExists: if value != nil { return false }
            case .isIn: guard let value, r.values.contains(value) else { return false }
            case .notIn: if let value, r.values.contains(value) { return false }
            }
        }
        return true
    }
}

/// `fieldSelector`: `metadata.name=x`, `metadata.namespace=y` (also `==`, `!=`), and the
/// fields the API server indexes for Events (`involvedObject.kind=Gateway`, `reason=…`, `type=…`;
/// what `kubectl describe` asks for).
struct FieldSelector: Sendable {
    static let supported: Set<String> = [
        "metadata.name", "metadata.namespace",
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
        "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "type", "source", "reportingComponent",
    ]

    var requirements: [(field: String, equals: Bool, value: String)] = []

    init(_ text: String?) throws(APIError) {
        guard let text, !text.isEmpty else { return }
        for part in text.split(separator: ",") {
            let p = String(part)
            let negated = p.contains("!=")
            let pieces = p.components(separatedBy: negated ? "!=" : (p.contains("==") ? "==" : "="))
            guard pieces.count == 2 else { throw APIError.badRequest("invalid selector: '\(p)'; can't understand '\(p)'") }
            let field = pieces[0].trimmingCharacters(in: .whitespaces)
            guard Self.supported.contains(field) else {
                throw APIError.badRequest("field label not supported: \(field)")
            }
            requirements.append((field, !negated, pieces[1].trimmingCharacters(in: .whitespaces)))
        }
    }

    /// The single name an equality selector pins (kubectl get -w NAME uses this).
    var name: String? { requirements.first { $0.field == "metadata.name" && $0.equals }?.value }

    func matches(_ object: Node) -> Bool {
        for r in requirements {
            var node: Node? = object
            for part in r.field.split(separator: ".") { node = node?[String(part)] }
            if r.field == "source" { node = object["source"]?["component"] }
            let actual = node?.string ?? ""
            if (actual == r.value) != r.equals { return false }
        }
        return true
    }
}

extension Node {
    /// The object with apiVersion, kind and metadata first, metadata in ObjectMeta's field order.
    func canonicalOrder() -> Node {
        guard var entries = entries else { return self }
        let metaOrder = ["name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
                         "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
                         "annotations", "ownerReferences", "finalizers", "managedFields"]
        if let i = entries.firstIndex(where: { $0.key == "metadata" }), let meta = entries[i].value.entries {
            let sorted = meta.sorted { a, b in
                (metaOrder.firstIndex(of: a.key) ?? metaOrder.count) < (metaOrder.firstIndex(of: b.key) ?? metaOrder.count)
            }
            entries[i].value = Node(.object(sorted))
        }
        let top = ["apiVersion", "kind", "metadata"]
        let head = top.compactMap { k in entries.first { $0.key == k } }
        let rest = entries.filter { !top.contains($0.key) }
        return Node(.object(head + rest))
    }

    /// Removes the value at a validator path (keys and indexes).
    mutating func remove(path: [PathComponent]) {
        guard let first = path.first else { return }
        let rest = Array(path.dropFirst())
        switch (first, value) {
        case (.key(let k), .object(var entries)):
            guard let i = entries.firstIndex(where: { $0.key == k }) else { return }
            if rest.isEmpty { entries.remove(at: i) } else { entries[i].value.remove(path: rest) }
            value = .object(entries)
        case (.index(let i), .array(var items)):
            guard i >= 0, i < items.count else { return }
            if rest.isEmpty { items.remove(at: i) } else { items[i].remove(path: rest) }
            value = .array(items)
        default:
            return
        }
    }
}

/// Parses `spec.listeners[0].foo` into path components.
func parseDotted(_ s: String) -> [PathComponent] {
    var out: [PathComponent] = []
    var current = ""
    var i = s.startIndex
    while i < s.endIndex {
        let c = s[i]
        if c == "." {
            if !current.isEmpty { out.append(.key(current)); current = "" }
        } else if c == "[", let close = s[i...].firstIndex(of: "]"), let n = Int(s[s.index(after: i)..<close]) {
            if !current.isEmpty { out.append(.key(current)); current = "" }
            out.append(.index(n))
            i = close
        } else {
            current.append(c)
        }
        i = s.index(after: i)
    }
    if !current.isEmpty { out.append(.key(current)) }
    return out
}
