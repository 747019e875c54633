/// Checks a (defaulted) object tree against an `OpenAPISchema`, the way the API server's
/// OpenAPI validation and kubectl's strict field validation do, and reports in their words.
struct SchemaValidator {
    /// The whole object, for positions (`bestMark`).
    let root: Node
    var diagnostics: [Diagnostic] = []
    var path: [PathComponent] = []

    init(root: Node, path: [PathComponent] = []) {
        self.root = root
        self.path = path
    }

    // MARK: - Reporting

    mutating func report(_ rule: String, _ message: String, at mark: SourceMark? = nil) {
        diagnostics.append(.error(message, rule: rule, at: mark ?? root.bestMark(path)))
    }

    var here: String { path.isEmpty ? "<root>" : path.dotted }

    /// `spec.port: Invalid value: 0: spec.port in body should be greater than or equal to 1`
    mutating func invalid(_ rule: String, _ value: Node, _ detail: String) {
        report(rule, "\(here): Invalid value: \(SchemaValidator.render(value)): \(here) in body \(detail)")
    }

    /// A value as the API server prints it: scalars as JSON, composites by type name.
    static func render(_ node: Node) -> String {
        switch node.value {
        case .null: return "\"null\""
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d.rounded() == d && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .string(let s): return quote(s)
        case .array: return "\"array\""
        case .object: return "\"object\""
        }
    }

    /// JSON string quoting, shortened past 200 characters so messages stay one line.
    static func quote(_ s: String) -> String {
        var out = ""
        let short = s.unicodeScalars.count > 200
        JSONWriter.quote(short ? String(String.UnicodeScalarView(s.unicodeScalars.prefix(200))) : s, into: &out)
        if short { out.insert("…", at: out.index(before: out.endIndex)) }
        return out
    }

    // MARK: - Walk

    /// Validates `node` (at `path`) against `schema`. `structural` is false inside junctors,
    /// where only value validations apply (no unknown-field or list-type checks).
    mutating func check(_ node: Node, _ schema: OpenAPISchema, structural: Bool = true) {
        if case .null = node.value {
            if !schema.nullable, let t = schema.type {
                invalid("schema.type", node, "must be of type \(t.rawValue): \"null\"")
            }
            return
        }
        if schema.intOrString {
            switch node.value {
            case .int, .string: break
            case .double(let d) where d.rounded() == d: break
            default:
                invalid("schema.type", node, "must be of type integer or string: \"\(node.typeName)\"")
                return
            }
        } else if let t = schema.type, !SchemaValidator.has(node, type: t) {
            invalid("schema.type", node, "must be of type \(t.rawValue): \"\(node.typeName)\"")
            return
        }
        if let values = schema.enumValues, !values.contains(node) {
            let supported = values.map(SchemaValidator.render).joined(separator: ", ")
            report("schema.enum", "\(here): Unsupported value: \(SchemaValidator.render(node)): supported values: \(supported)")
        }
        switch node.value {
        case .string(let s): checkString(node, s, schema)
        case .int, .double: checkNumber(node, schema)
        case .array(let items): checkArray(items, schema, structural: structural)
        case .object(let entries): checkObject(entries, schema, structural: structural)
        default: break
        }
        if !schema.allOf.isEmpty || !schema.anyOf.isEmpty || !schema.oneOf.isEmpty || schema.not != nil {
            checkJunctors(node, schema)
        }
    }

    static func has(_ node: Node, type: OpenAPISchema.ValueType) -> Bool {
        switch (type, node.value) {
        case (.object, .object), (.array, .array), (.string, .string), (.boolean, .bool): return true
        case (.integer, .int), (.number, .int), (.number, .double): return true
        case (.integer, .double(let d)): return d.rounded() == d && d.isFinite
        default: return false
        }
    }

    mutating func checkString(_ node: Node, _ s: String, _ schema: OpenAPISchema) {
        if let max = schema.maxLength, s.utf8.count > max {
            // Bytes bound scalars from above, so only count scalars when the bytes exceed.
            let length = s.unicodeScalars.count
            if length > max {
                report("schema.bounds", "\(here): Too long: may not be more than \(max) characters (got \(length))")
            }
        }
        if let min = schema.minLength, min > 0 {
            // A scalar takes 1–4 bytes: fewer bytes than `min` fails; 4×min bytes or more passes.
            let bytes = s.utf8.count
            if bytes < min || (bytes < 4 * min && s.unicodeScalars.count < min) {
                invalid("schema.bounds", node, "should be at least \(min) chars long")
            }
        }
        if let p = schema.pattern, !p.matches(s) {
            invalid("schema.pattern", node, "should match '\(p.source)'")
        }
        if let f = schema.format, !Formats.valid(s, format: f) {
            invalid("schema.format", node, "must be of type \(f): \(SchemaValidator.quote(s))")
        }
    }

    mutating func checkNumber(_ node: Node, _ schema: OpenAPISchema) {
        guard let v = node.double else { return }
        if let min = schema.minimum {
            if schema.exclusiveMinimum ? v <= min : v < min {
                invalid("schema.bounds", node, "should be greater than \(schema.exclusiveMinimum ? "" : "or equal to ")\(SchemaValidator.number(min))")
            }
        }
        if let max = schema.maximum {
            if schema.exclusiveMaximum ? v >= max : v > max {
                invalid("schema.bounds", node, "should be less than \(schema.exclusiveMaximum ? "" : "or equal to ")\(SchemaValidator.number(max))")
            }
        }
    }

    static func number(_ d: Double) -> String {
        d.rounded() == d && abs(d) < 1e15 ? String(Int(d)) : String(d)
    }

    mutating func checkArray(_ items: [Node], _ schema: OpenAPISchema, structural: Bool) {
        if let min = schema.minItems, items.count < min {
            report("schema.bounds", "\(here): Invalid value: \(items.count): \(here) in body should have at least \(min) items")
        }
        if let max = schema.maxItems, items.count > max {
            report("schema.bounds", "\(here): Too many: \(items.count): must have at most \(max) items")
        }
        if let itemSchema = schema.items {
            for (i, item) in items.enumerated() {
                path.append(.index(i))
                check(item, itemSchema, structural: structural)
                path.removeLast()
            }
        }
        guard structural, items.count > 1 else { return }
        if schema.listType == .map, !schema.listMapKeys.isEmpty {
            checkMapKeys(items, schema.listMapKeys)
        } else if schema.listType == .set || schema.uniqueItems {
            checkSet(items)
        }
    }

    mutating func checkSet(_ items: [Node]) {
        var seen = Set<String>()
        var composite: [Node] = []
        for (i, item) in items.enumerated() {
            let duplicate: Bool
            if let key = SchemaValidator.scalarKey(item) {
                duplicate = !seen.insert(key).inserted
            } else {
                duplicate = composite.contains(item)
                composite.append(item)
            }
            if duplicate {
                path.append(.index(i))
                report("schema.duplicate", "\(here): Duplicate value: \(SchemaValidator.render(item))")
                path.removeLast()
            }
        }
    }

    mutating func checkMapKeys(_ items: [Node], _ keys: [String]) {
        var seen = Set<String>()
        for (i, item) in items.enumerated() {
            guard item.isObject else { continue }
            var composite = ""
            var shown: [String] = []
            for k in keys {
                let value = item[k] ?? .null
                composite += (SchemaValidator.scalarKey(value) ?? SchemaValidator.render(value)) + "\u{0}"
                if item[k] != nil { shown.append("\(SchemaValidator.quote(k)):\(SchemaValidator.render(value))") }
            }
            if !seen.insert(composite).inserted {
                path.append(.index(i))
                report("schema.duplicate", "\(here): Duplicate value: {\(shown.joined(separator: ","))}")
                path.removeLast()
            }
        }
    }

    /// A hashable identity for scalars (type-tagged so `1` and `"1"` differ); nil for composites.
    static func scalarKey(_ node: Node) -> String? {
        switch node.value {
        case .null: return "n"
        case .bool(let b): return b ? "t" : "f"
        case .int(let i): return "d" + String(i)
        case .double(let d): return d.rounded() == d && abs(d) < 9e15 ? "d" + String(Int(d)) : "d" + String(d)
        case .string(let s): return "s" + s
        default: return nil
        }
    }

    mutating func checkObject(_ entries: [Node.Entry], _ schema: OpenAPISchema, structural: Bool) {
        for key in schema.required {
            let present = entries.first(where: { $0.key == key }).map { entry in
                !entry.value.isNull || (schema.properties[key]?.nullable ?? false)
            } ?? false
            if !present {
                path.append(.key(key))
                report("schema.required", "\(here): Required value")
                path.removeLast()
            }
        }
        let additional: OpenAPISchema?
        if case .schema(let a) = schema.additionalProperties { additional = a } else { additional = nil }
        for entry in entries {
            path.append(.key(entry.key))
            defer { path.removeLast() }
            if structural, entry.key == "metadata", path.count == 1 || schema.embeddedResource {
                // ObjectMeta is the API server's own type, not the CRD's `metadata: {type: object}`.
                check(entry.value, ObjectMetaSchema.schema, structural: structural)
            } else if let property = schema.properties[entry.key] {
                // A null in a non-nullable field is pruned by the API server, as if absent.
                if entry.value.isNull && !property.nullable { continue }
                check(entry.value, property, structural: structural)
            } else if let additional {
                check(entry.value, additional, structural: structural)
            } else if structural && !schema.allowsField(entry.key) {
                report("schema.unknown-field", "unknown field \"\(path.dotted)\"", at: entry.keyMark ?? root.bestMark(path))
            }
        }
        if let min = schema.minProperties, entries.count < min {
            report("schema.bounds", "\(here): Invalid value: \(entries.count): \(here) in body should have at least \(min) properties")
        }
        if let max = schema.maxProperties, entries.count > max {
            report("schema.bounds", "\(here): Too many: \(entries.count): must have at most \(max) properties")
        }
    }

    // MARK: - Junctors

    /// The findings of one branch, checked on its own.
    func branch(_ node: Node, _ schema: OpenAPISchema) -> [Diagnostic] {
        var sub = SchemaValidator(root: root, path: path)
        sub.check(node, schema, structural: false)
        return sub.diagnostics
    }

    /// The findings of the branch the author most likely meant: one whose discriminator
    /// (an `enum` or `not`) matched, with the fewest findings.
    static func closest(_ results: [[Diagnostic]]) -> [Diagnostic] {
        func rank(_ d: [Diagnostic]) -> (Int, Int) {
            (d.contains { $0.rule == "schema.enum" || $0.rule == "schema.not" } ? 1 : 0, d.count)
        }
        return results.min { rank($0) < rank($1) } ?? []
    }

    mutating func checkJunctors(_ node: Node, _ schema: OpenAPISchema) {
        for s in schema.allOf { diagnostics += branch(node, s) }
        if !schema.anyOf.isEmpty {
            let results = schema.anyOf.map { branch(node, $0) }
            if !results.contains(where: \.isEmpty) {
                invalid("schema.any-of", node, "must validate at least one schema (anyOf)")
                diagnostics += SchemaValidator.closest(results)
            }
        }
        if !schema.oneOf.isEmpty {
            let results = schema.oneOf.map { branch(node, $0) }
            let passing = results.filter(\.isEmpty).count
            if passing == 0 {
                invalid("schema.one-of", node, "must validate one and only one schema (oneOf)")
                diagnostics += SchemaValidator.closest(results)
            } else if passing > 1 {
                invalid("schema.one-of", node, "must validate one and only one schema (oneOf), but validates \(passing)")
            }
        }
        if let not = schema.not, branch(node, not).isEmpty {
            invalid("schema.not", node, "must not validate the schema (not)")
        }
    }
}
