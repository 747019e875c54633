/// `metadata` is the API server's own ObjectMeta, not part of a CRD schema (CRDs only say
/// `metadata: {type: object}`). This schema covers its shape; `MetadataChecks` its name rules.
enum ObjectMetaSchema {
    static let schema: OpenAPISchema = {
        let json = #"""
        {"type":"object","properties":{
          "name":{"type":"string"},"generateName":{"type":"string"},"namespace":{"type":"string"},
          "selfLink":{"type":"string"},"uid":{"type":"string"},"resourceVersion":{"type":"string"},
          "generation":{"type":"integer"},"creationTimestamp":{"type":"string","nullable":true},
          "deletionTimestamp":{"type":"string","nullable":true},"deletionGracePeriodSeconds":{"type":"integer"},
          "labels":{"type":"object","additionalProperties":{"type":"string","nullable":true}},
          "annotations":{"type":"object","additionalProperties":{"type":"string","nullable":true}},
          "finalizers":{"type":"array","items":{"type":"string"}},
          "ownerReferences":{"type":"array","items":{"type":"object","required":["apiVersion","kind","name","uid"],
            "properties":{"apiVersion":{"type":"string"},"kind":{"type":"string"},"name":{"type":"string"},
              "uid":{"type":"string"},"controller":{"type":"boolean"},"blockOwnerDeletion":{"type":"boolean"}}}},
          "managedFields":{"type":"array","items":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}
        }}
        """#
        let node = (try? YAMLReader.read(json, file: "ObjectMeta"))?.first ?? Node(.object([]))
        return OpenAPISchema(node)
    }()
}

/// The API server's name rules for `metadata` (apimachinery `validation.ValidateObjectMeta`).
enum MetadataChecks {
    static let subdomainHelp = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let labelHelp = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

    /// Findings for `metadata`: name (or generateName) present, name a DNS subdomain when
    /// `checkNameFormat`, namespace a DNS label, label and annotation keys qualified names, label
    /// values valid.
    static func check(_ object: Node, checkNameFormat: Bool) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let meta = object["metadata"]
        func mark(_ path: [PathComponent]) -> SourceMark? { object.bestMark(path) }
        let name = meta?["name"]?.string ?? ""
        if name.isEmpty {
            if (meta?["generateName"]?.string ?? "").isEmpty {
                out.append(.error("metadata.name: Required value: name or generateName is required",
                                  rule: "schema.required", at: mark([.key("metadata"), .key("name")])))
            }
        } else if checkNameFormat, !isDNSSubdomain(name) {
            out.append(.error("metadata.name: Invalid value: \(SchemaValidator.quote(name)): \(name.utf8.count > 253 ? "must be no more than 253 characters" : subdomainHelp)",
                              rule: "schema.metadata", at: mark([.key("metadata"), .key("name")])))
        }
        if let ns = meta?["namespace"]?.string, !ns.isEmpty, !isDNSLabel(ns) {
            out.append(.error("metadata.namespace: Invalid value: \(SchemaValidator.quote(ns)): \(ns.utf8.count > 63 ? "must be no more than 63 characters" : labelHelp)",
                              rule: "schema.metadata", at: mark([.key("metadata"), .key("namespace")])))
        }
        for field in ["labels", "annotations"] {
            for entry in meta?[field]?.entries ?? [] {
                let path: [PathComponent] = [.key("metadata"), .key(field), .key(entry.key)]
                if let problem = qualifiedNameProblem(entry.key) {
                    out.append(.error("metadata.\(field): Invalid value: \(SchemaValidator.quote(entry.key)): \(problem)",
                                      rule: "schema.metadata", at: entry.keyMark ?? mark(path)))
                }
                if field == "labels", let value = entry.value.string, !isLabelValue(value) {
                    out.append(.error("metadata.labels: Invalid value: \(SchemaValidator.quote(value)): a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, at most 63 characters",
                                      rule: "schema.metadata", at: mark(path)))
                }
            }
        }
        return out
    }

    static func isAlnumLower(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) }
    static func isAlnum(_ c: UInt8) -> Bool { isAlnumLower(c) || (c >= 0x41 && c <= 0x5A) }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
    static func isDNSLabel(_ s: Substring.UTF8View) -> Bool {
        guard let first = s.first, let last = s.last, s.count <= 63 else { return false }
        return isAlnumLower(first) && isAlnumLower(last) && s.allSatisfy { isAlnumLower($0) || $0 == UInt8(ascii: "-") }
    }

    static func isDNSLabel(_ s: String) -> Bool { isDNSLabel(Substring(s).utf8) }

    /// Dot-separated DNS labels, at most 253 characters.
    static func isDNSSubdomain(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 253 else { return false }
        return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            guard let first = label.utf8.first, let last = label.utf8.last else { return false }
            return isAlnumLower(first) && isAlnumLower(last)
                && label.utf8.allSatisfy { isAlnumLower($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63 characters (empty allowed).
    static func isLabelValue(_ s: String) -> Bool { s.isEmpty || isNamePart(Substring(s)) }

    static func isNamePart(_ s: Substring) -> Bool {
        let u = s.utf8
        guard let first = u.first, let last = u.last, u.count <= 63 else { return false }
        return isAlnum(first) && isAlnum(last)
            && u.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    /// Why a label or annotation key is not a qualified name (`[prefix/]name`), or nil.
    static func qualifiedNameProblem(_ key: String) -> String? {
        let parts = key.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        let namePart: Substring
        switch parts.count {
        case 1: namePart = parts[0]
        case 2:
            guard !parts[0].isEmpty else { return "prefix part must be non-empty" }
            guard isDNSSubdomain(String(parts[0])) else { return "prefix part \(subdomainHelp)" }
            namePart = parts[1]
        default:
            return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        }
        if namePart.isEmpty { return "name part must be non-empty" }
        if namePart.utf8.count > 63 { return "name part must be no more than 63 characters" }
        if !isNamePart(namePart) {
            return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        }
        return nil
    }
}
