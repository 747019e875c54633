/// A node of the object under check with its path: what `self` is in a CEL rule.
struct CELNode {
    let node: Node
    let path: [PathComponent]

    init(_ node: Node, path: [PathComponent] = []) {
        self.node = node
        self.path = path
    }

    /// The field, when present and not null (CEL `has(self.key)` then `self.key`).
    subscript(key: String) -> CELNode? {
        guard let child = node[key], !child.isNull else { return nil }
        return CELNode(child, path: path + [.key(key)])
    }

    /// CEL `has(self.key)`.
    func has(_ key: String) -> Bool { self[key] != nil }

    /// The string value of a field ("" when absent, as most rules compare with '').
    func string(_ key: String) -> String { node[key]?.string ?? "" }

    /// Whether a string field is absent or empty (the `!has(x) || x == ''` idiom).
    func isEmpty(_ key: String) -> Bool { (node[key]?.string ?? "").isEmpty }

    /// The elements of an array node, each with its index path.
    var items: [CELNode] {
        (node.array ?? []).enumerated().map { CELNode($0.element, path: path + [.index($0.offset)]) }
    }

    /// The elements of the array field `key` (empty when absent).
    func items(_ key: String) -> [CELNode] { self[key]?.items ?? [] }

    /// CEL `size(self.key)` for arrays, strings and maps; 0 when absent.
    func size(_ key: String) -> Int {
        guard let n = node[key] else { return 0 }
        switch n.value {
        case .array(let a): return a.count
        case .object(let o): return o.count
        case .string(let s): return s.unicodeScalars.count
        default: return 0
        }
    }
}

/// Collects the findings of hand-coded CEL rules, worded as the API server words them:
/// `spec.listeners: Invalid value: "array": Listener name must be unique within the Gateway`.
struct CELReport {
    let root: Node
    /// The kind, lowercased, for rule ids: `cel.<kind>.<short-name>`.
    let kind: String
    var diagnostics: [Diagnostic] = []

    init(_ root: Node, kind: String) {
        self.root = root
        self.kind = kind.lowercased()
    }

    /// Reports a failed rule on `node`, positioned at `at` (an element, say) or at the node.
    mutating func fail(_ node: CELNode, _ short: String, _ message: String, at: CELNode? = nil) {
        let path = node.path.isEmpty ? "<root>" : node.path.dotted
        diagnostics.append(.error("\(path): Invalid value: \(SchemaValidator.render(node.node)): \(message)",
                                  rule: "cel.\(kind).\(short)", at: root.bestMark((at ?? node).path)))
    }
}

/// Rules shared by several kinds.
enum CommonRules {
    /// `sectionName must be specified / unique when parentRefs includes 2 or more references to
    /// the same parent` (every route kind; `targetRefs` of policies use `namespaced: false`).
    static func parentRefs(_ list: CELNode?, _ report: inout CELReport, noun: String = "parentRefs",
                           target: String = "parent", namespaced: Bool = true) {
        guard let list else { return }
        let refs = list.items
        func sameParent(_ a: CELNode, _ b: CELNode) -> Bool {
            guard a.string("group") == b.string("group"), a.string("kind") == b.string("kind"),
                  a.string("name") == b.string("name") else { return false }
            guard namespaced else { return true }
            // Both unset/empty, or both set and equal (unset vs "x" differ; unset vs "" match).
            if a.isEmpty("namespace") && b.isEmpty("namespace") { return true }
            return a.has("namespace") && b.has("namespace") && a.string("namespace") == b.string("namespace")
        }
        func sameSection(_ a: CELNode, _ b: CELNode) -> Bool {
            if a.isEmpty("sectionName") && b.isEmpty("sectionName") { return true }
            return a.has("sectionName") && b.has("sectionName") && a.string("sectionName") == b.string("sectionName")
        }
        var specifiedReported = false, uniqueReported = false
        for (i, a) in refs.enumerated() {
            for b in refs[(i + 1)...] where sameParent(a, b) {
                if !specifiedReported, a.isEmpty("sectionName") != b.isEmpty("sectionName") {
                    report.fail(list, "section-name-specified",
                                "sectionName must be specified when \(noun) includes 2 or more references to the same \(target)", at: b)
                    specifiedReported = true
                }
                if !uniqueReported, sameSection(a, b) {
                    report.fail(list, "section-name-unique",
                                "sectionName must be unique when \(noun) includes 2 or more references to the same \(target)", at: b)
                    uniqueReported = true
                }
            }
        }
    }

    /// `Must have port for Service reference` on a backendRef (group "" and kind Service).
    static func servicePort(_ ref: CELNode, _ report: inout CELReport) {
        if ref.string("group").isEmpty, ref.string("kind") == "Service", !ref.has("port") {
            report.fail(ref, "service-port", "Must have port for Service reference")
        }
    }

    /// The one-field-per-type rules of route filters: `filter.X must be nil if the filter.type is
    /// not T` and `filter.X must be specified for T filter.type`.
    static func filterFields(_ filter: CELNode, _ fields: [(field: String, type: String)], _ report: inout CELReport) {
        let type = filter.string("type")
        for (field, t) in fields {
            if filter.has(field) && type != t {
                report.fail(filter, "filter-field", "filter.\(field) must be nil if the filter.type is not \(t)")
            }
            if !filter.has(field) && type == t {
                report.fail(filter, "filter-field", "filter.\(field) must be specified for \(t) filter.type")
            }
        }
    }

    /// `T filter cannot be repeated` for each listed type.
    static func filterRepeats(_ filters: CELNode, _ types: [String], _ report: inout CELReport) {
        for t in types {
            let same = filters.items.filter { $0.string("type") == t }
            if same.count > 1 {
                report.fail(filters, "filter-repeated", "\(t) filter cannot be repeated", at: same[1])
            }
        }
    }

    /// The request mirror rules: percent xor fraction, a Service port, numerator ≤ denominator.
    static func requestMirror(_ filter: CELNode, _ report: inout CELReport) {
        guard let mirror = filter["requestMirror"] else { return }
        if mirror.has("percent") && mirror.has("fraction") {
            report.fail(mirror, "mirror-percent-fraction", "Only one of percent or fraction may be specified in HTTPRequestMirrorFilter")
        }
        if let ref = mirror["backendRef"] { servicePort(ref, &report) }
        if let fraction = mirror["fraction"], let n = fraction.node["numerator"]?.int,
           let d = fraction.node["denominator"]?.int, n > d {
            report.fail(fraction, "mirror-fraction", "numerator must be less than or equal to denominator")
        }
    }

    /// Every listed key of a map must match `pattern` and have a prefix shorter than 253.
    static func mapKeys(_ map: CELNode?, noun: String, _ report: inout CELReport) {
        guard let map, let entries = map.node.entries else { return }
        for entry in entries {
            if let re = qualifiedKey, !re.matches(entry.key) {
                report.fail(map, "\(noun.lowercased())-key",
                            "\(noun) keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters.",
                            at: CELNode(entry.value, path: map.path + [.key(entry.key)]))
            }
            if (entry.key.split(separator: "/", omittingEmptySubsequences: false).first?.utf8.count ?? 0) >= 253 {
                report.fail(map, "\(noun.lowercased())-key-prefix",
                            "If specified, the \(noun.lowercased()) key's prefix must be a DNS subdomain not longer than 253 characters in total.")
            }
        }
    }

    static let qualifiedKey = GoRegex(#"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$"#)
    static let hostname = GoRegex(#"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"#)
}
