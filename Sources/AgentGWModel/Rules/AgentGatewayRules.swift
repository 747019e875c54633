/// The rules of our own CRDs (Backend, TrafficPolicy).
public enum AgentGatewayRules {
    public static let all: [any KindRules] = [BackendRules(), TrafficPolicyRules()]

    /// Every hand-coded CEL rule of both CRDs, for docs and for the test that keeps them equal
    /// to the `x-kubernetes-validations` of `AgentGatewayCRDs.yaml`.
    public static let celRules: [AgentGatewayCELRule] = BackendRules.celRules + TrafficPolicyRules.celRules
}

/// One `x-kubernetes-validations` rule of our CRDs, written out in Swift.
///
/// `rule` and `message` are the CRD's own text. `check` gets the node the rule is attached to
/// (CEL's `self`) and answers nil when the rule holds, or the path below `self` that is to
/// blame (empty for `self` itself), so that a duplicate points at the duplicate, not the list.
public struct AgentGatewayCELRule: Sendable {
    /// One step of a schema path: an object key, or every element of an array.
    public enum Step: Sendable, Hashable, CustomStringConvertible {
        case key(String)
        case each

        public var description: String {
            switch self {
            case .key(let k): return k
            case .each: return "[*]"
            }
        }
    }

    /// Stable rule id, e.g. `cel.backend.header-value`.
    public let id: String
    /// Where the rule sits in the object, e.g. `spec.mcp.targets[*].headers[*]`.
    public let steps: [Step]
    /// The CEL expression, exactly as in the CRD.
    public let rule: String
    /// The CRD's message for a failed rule.
    public let message: String
    let check: @Sendable (Node) -> [PathComponent]?

    public init(id: String, at steps: [Step], rule: String, message: String,
                check: @escaping @Sendable (Node) -> [PathComponent]?) {
        self.id = id
        self.steps = steps
        self.rule = rule
        self.message = message
        self.check = check
    }

    /// The schema path in the API server's notation: `spec.mcp.targets[*].headers[*]`.
    public var schemaPath: String {
        var out = ""
        for step in steps {
            switch step {
            case .key(let k): out += out.isEmpty ? k : ".\(k)"
            case .each: out += "[*]"
            }
        }
        return out
    }

    /// Runs the rule on every node of `object` that its schema path reaches.
    public func evaluate(on object: Node) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for (node, path) in Self.nodes(in: object, along: steps[...], at: []) {
            guard let blame = check(node) else { continue }
            let full = path + blame
            // Worded as the API server words a failed rule (and as the Gateway API rules do):
            // `spec.traffic: Invalid value: "object": traffic must set ...`.
            let place = path.isEmpty ? "<root>" : path.dotted
            found.append(.error("\(place): Invalid value: \(SchemaValidator.render(node)): \(message)",
                                rule: id, at: object.bestMark(full)))
        }
        return found
    }

    /// The nodes a schema path reaches, with their concrete paths. Absent and null fields are
    /// skipped, as the API server runs a rule only where its field is set.
    static func nodes(in node: Node, along steps: ArraySlice<Step>, at path: [PathComponent]) -> [(Node, [PathComponent])] {
        guard let step = steps.first else { return node.isNull ? [] : [(node, path)] }
        let rest = steps.dropFirst()
        switch step {
        case .key(let k):
            guard let child = node[k] else { return [] }
            return nodes(in: child, along: rest, at: path + [.key(k)])
        case .each:
            guard let items = node.array else { return [] }
            return items.enumerated().flatMap { nodes(in: $0.element, along: rest, at: path + [.index($0.offset)]) }
        }
    }
}

extension Node {
    /// CEL's `has(self.key)`: the key is present with a non-null value.
    func celHas(_ key: String) -> Bool {
        guard let v = self[key] else { return false }
        return !v.isNull
    }

    /// The first element equal (by `same`) to an earlier one, as `[.index(i)]`, or nil.
    static func firstDuplicate(in items: [Node], same: (Node, Node) -> Bool) -> [PathComponent]? {
        for j in items.indices {
            for i in 0..<j where same(items[i], items[j]) { return [.index(j)] }
        }
        return nil
    }

    /// CEL's `has(a.f) ? (has(b.f) && a.f == b.f) : !has(b.f)` for an optional string field.
    static func sameOptional(_ a: Node, _ b: Node, _ key: String) -> Bool {
        switch (a.celHas(key), b.celHas(key)) {
        case (true, true): return a[key] == b[key]
        case (false, false): return true
        default: return false
        }
    }
}
