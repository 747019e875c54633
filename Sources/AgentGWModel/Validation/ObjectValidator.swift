/// The result of checking one object offline.
public struct ObjectCheck: Sendable {
    /// The object with the schema's defaults applied (as the API server would store it).
    public var object: Node
    /// Findings, ordered by position.
    public var diagnostics: [Diagnostic]

    public init(object: Node, diagnostics: [Diagnostic]) {
        self.object = object
        self.diagnostics = diagnostics
    }
}

/// Offline validation of Kubernetes objects, as the API server would do it for a create:
/// structural defaulting, OpenAPI schema validation with strict field validation, list-map key
/// uniqueness, and the CRDs' CEL rules (hand-coded in `KindRules`).
///
/// It knows every Gateway API standard-channel kind (schemas embedded at build time from the
/// CRDs) and our own CRDs (read from `AgentGatewayCRDs.yaml`). Other kinds get only the checks
/// every object gets (apiVersion, kind, metadata).
public enum ObjectValidator {
    /// Schema + defaults + hand-coded CEL rules for kinds we know (all Gateway API standard kinds,
    /// and ours from AgentGatewayCRDs.yaml). Unknown kinds pass through with no findings beyond
    /// the universal ones (apiVersion and kind set; name or generateName present; namespace,
    /// label and annotation syntax).
    public static func validate(_ manifest: Manifest) -> ObjectCheck {
        var object = manifest.node
        guard object.isObject else {
            let message = object.isNull
                ? "empty document: an object needs apiVersion, kind and metadata"
                : "a Kubernetes object must be a mapping, not \(object.typeName == "array" ? "a list" : "a \(object.typeName)")"
            return ObjectCheck(object: object, diagnostics: [.error(message, rule: "schema.type", at: object.mark ?? startMark(manifest))])
        }
        var diagnostics: [Diagnostic] = []
        let apiVersion = object["apiVersion"]?.string ?? ""
        let kind = object["kind"]?.string ?? ""
        if apiVersion.isEmpty {
            diagnostics.append(missing("apiVersion", in: object))
        }
        if kind.isEmpty {
            diagnostics.append(missing("kind", in: object))
        }
        if apiVersion.isEmpty || kind.isEmpty {
            return ObjectCheck(object: object, diagnostics: diagnostics)
        }
        let slash = apiVersion.firstIndex(of: "/")
        let group = slash.map { String(apiVersion[..<$0]) } ?? ""
        let version = slash.map { String(apiVersion[apiVersion.index(after: $0)...]) } ?? apiVersion

        guard let known = SchemaRegistry.lookup(group: group, version: version, kind: kind) else {
            diagnostics += MetadataChecks.check(object, checkNameFormat: false)
            let served = SchemaRegistry.servedVersions(group: group, kind: kind)
            if !served.isEmpty {
                // The kind is ours or Gateway API's, but not in this version of the CRDs.
                diagnostics.append(.warning(
                    "no schema for \(kind) in version \"\(apiVersion)\" (the \(group) CRDs here serve \(served.joined(separator: ", "))); it was not validated",
                    rule: "schema.version", at: object.bestMark([.key("apiVersion")])))
            }
            return ObjectCheck(object: object, diagnostics: diagnostics.sorted())
        }

        SchemaDefaulter.apply(&object, known.schema)
        diagnostics += MetadataChecks.check(object, checkNameFormat: true)
        var validator = SchemaValidator(root: object)
        validator.check(object, known.schema)
        diagnostics += validator.diagnostics
        for rules in kindRules[GroupKindKey(group: group, kind: kind)] ?? [] {
            diagnostics += rules.check(object)
        }
        return ObjectCheck(object: object, diagnostics: diagnostics.sorted())
    }

    /// Whether we have a schema for this apiVersion/kind.
    public static func knows(apiVersion: String, kind: String) -> Bool {
        let slash = apiVersion.firstIndex(of: "/")
        let group = slash.map { String(apiVersion[..<$0]) } ?? ""
        let version = slash.map { String(apiVersion[apiVersion.index(after: $0)...]) } ?? apiVersion
        return SchemaRegistry.lookup(group: group, version: version, kind: kind) != nil
    }

    struct GroupKindKey: Hashable {
        var group: String
        var kind: String
    }

    /// Hand-coded CEL rules by group and kind (a kind may have several rule sets).
    static let kindRules: [GroupKindKey: [any KindRules]] = {
        var out: [GroupKindKey: [any KindRules]] = [:]
        for r in GatewayAPIRules.all + AgentGatewayRules.all {
            out[GroupKindKey(group: r.group, kind: r.kind), default: []].append(r)
        }
        return out
    }()

    static func missing(_ field: String, in object: Node) -> Diagnostic {
        .error("\(field): Required value: every object needs \(field == "kind" ? "a kind" : "an apiVersion")",
               rule: "schema.required", at: object.bestMark([.key(field)]))
    }

    static func startMark(_ manifest: Manifest) -> SourceMark {
        SourceMark(file: manifest.file, line: 1, column: 1)
    }
}
