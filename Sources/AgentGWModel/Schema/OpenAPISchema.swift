import Foundation

/// One node of a structural OpenAPI v3 schema, as a CRD's `openAPIV3Schema` holds it.
///
/// Immutable and shared: build it once (see `SchemaRegistry`) and validate any number of objects
/// against it from any thread. Patterns are compiled when the schema is built.
public final class OpenAPISchema: Sendable {
    public enum ValueType: String, Sendable {
        case object, array, string, integer, number, boolean
    }

    public enum AdditionalProperties: Sendable {
        case unspecified
        case allowed(Bool)
        case schema(OpenAPISchema)
    }

    public enum ListType: String, Sendable {
        case atomic, set, map
    }

    /// One `x-kubernetes-validations` entry, kept for reference; the rules themselves are
    /// hand-coded (see `KindRules`).
    public struct CELRule: Sendable {
        public var rule: String
        public var message: String
    }

    public let type: ValueType?
    public let properties: [String: OpenAPISchema]
    /// Property names in schema order, so defaults are added in a stable order.
    public let propertyOrder: [String]
    public let required: [String]
    public let additionalProperties: AdditionalProperties
    public let items: OpenAPISchema?
    public let enumValues: [Node]?
    public let pattern: SchemaPattern?
    public let minLength: Int?
    public let maxLength: Int?
    public let minimum: Double?
    public let maximum: Double?
    public let exclusiveMinimum: Bool
    public let exclusiveMaximum: Bool
    public let minItems: Int?
    public let maxItems: Int?
    public let minProperties: Int?
    public let maxProperties: Int?
    public let uniqueItems: Bool
    public let format: String?
    public let nullable: Bool
    public let defaultValue: Node?
    public let oneOf: [OpenAPISchema]
    public let anyOf: [OpenAPISchema]
    public let allOf: [OpenAPISchema]
    public let not: OpenAPISchema?
    public let intOrString: Bool
    public let preserveUnknownFields: Bool
    public let embeddedResource: Bool
    public let listType: ListType?
    public let listMapKeys: [String]
    public let mapType: String?
    public let celRules: [CELRule]
    /// The properties that have a default, in schema order.
    public let propertyDefaults: [(key: String, value: Node, nullable: Bool)]
    /// Whether this node or any node below it (outside junctors) has a default: lets defaulting
    /// skip whole subtrees.
    public let hasDefaults: Bool

    /// Builds a schema from its JSON/YAML tree. Unknown keywords are ignored, as the API server's
    /// structural schema ignores them; malformed keyword values are treated as absent.
    public convenience init(_ node: Node) {
        var cache = PatternCache()
        self.init(node, cache: &cache)
    }

    init(_ node: Node, cache: inout PatternCache) {
        func int(_ key: String) -> Int? { node[key]?.int }
        func sub(_ key: String) -> OpenAPISchema? {
            guard let n = node[key], n.isObject else { return nil }
            return OpenAPISchema(n, cache: &cache)
        }
        func subs(_ key: String) -> [OpenAPISchema] {
            (node[key]?.array ?? []).filter(\.isObject).map { OpenAPISchema($0, cache: &cache) }
        }
        type = node["type"]?.string.flatMap(ValueType.init(rawValue:))
        var props: [String: OpenAPISchema] = [:]
        var order: [String] = []
        for entry in node["properties"]?.entries ?? [] where entry.value.isObject {
            props[entry.key] = OpenAPISchema(entry.value, cache: &cache)
            order.append(entry.key)
        }
        properties = props
        propertyOrder = order
        required = (node["required"]?.array ?? []).compactMap(\.string)
        if let a = node["additionalProperties"] {
            if let b = a.bool { additionalProperties = .allowed(b) } else if a.isObject {
                additionalProperties = .schema(OpenAPISchema(a, cache: &cache))
            } else { additionalProperties = .unspecified }
        } else {
            additionalProperties = .unspecified
        }
        items = sub("items")
        enumValues = node["enum"]?.array
        pattern = node["pattern"]?.string.map { cache.compile($0) }
        minLength = int("minLength")
        maxLength = int("maxLength")
        minimum = node["minimum"]?.double
        maximum = node["maximum"]?.double
        exclusiveMinimum = node["exclusiveMinimum"]?.bool ?? false
        exclusiveMaximum = node["exclusiveMaximum"]?.bool ?? false
        minItems = int("minItems")
        maxItems = int("maxItems")
        minProperties = int("minProperties")
        maxProperties = int("maxProperties")
        uniqueItems = node["uniqueItems"]?.bool ?? false
        format = node["format"]?.string
        nullable = node["nullable"]?.bool ?? false
        defaultValue = node["default"]?.withoutMarks
        oneOf = subs("oneOf")
        anyOf = subs("anyOf")
        allOf = subs("allOf")
        self.not = sub("not")
        intOrString = node["x-kubernetes-int-or-string"]?.bool ?? false
        preserveUnknownFields = node["x-kubernetes-preserve-unknown-fields"]?.bool ?? false
        embeddedResource = node["x-kubernetes-embedded-resource"]?.bool ?? false
        listType = node["x-kubernetes-list-type"]?.string.flatMap(ListType.init(rawValue:))
        listMapKeys = (node["x-kubernetes-list-map-keys"]?.array ?? []).compactMap(\.string)
        mapType = node["x-kubernetes-map-type"]?.string
        celRules = (node["x-kubernetes-validations"]?.array ?? []).compactMap { rule in
            guard let text = rule["rule"]?.string else { return nil }
            return CELRule(rule: text, message: rule["message"]?.string ?? "failed rule: \(text)")
        }
        propertyDefaults = order.compactMap { key in
            guard let p = props[key], let d = p.defaultValue else { return nil }
            return (key, d, p.nullable)
        }
        var below = defaultValue != nil || (items?.hasDefaults ?? false)
        if case .schema(let a) = additionalProperties, a.hasDefaults { below = true }
        if props.values.contains(where: \.hasDefaults) { below = true }
        hasDefaults = below
    }

    /// Whether an object of this schema may hold `key` without it being an unknown field.
    func allowsField(_ key: String) -> Bool {
        if properties[key] != nil || preserveUnknownFields { return true }
        switch additionalProperties {
        case .schema, .allowed(true): return true
        default: break
        }
        if embeddedResource, key == "apiVersion" || key == "kind" || key == "metadata" { return true }
        return false
    }
}

/// A compiled `pattern`: Go RE2 semantics via `GoRegex`, else Foundation's engine for syntax
/// `GoRegex` lacks, else nothing (the API server would have refused such a CRD).
public struct SchemaPattern: Sendable {
    enum Engine: Sendable {
        case go(GoRegex)
        case foundation(FoundationRegex)
        case invalid
    }

    public let source: String
    let engine: Engine

    /// Go `regexp.MatchString`: a match anywhere unless anchored. An unusable pattern matches all.
    public func matches(_ text: String) -> Bool {
        switch engine {
        case .go(let re): return re.matches(text)
        case .foundation(let re): return re.matches(text)
        case .invalid: return true
        }
    }

    public init(_ source: String) {
        self.source = source
        if let re = GoRegex(source) {
            engine = .go(re)
        } else if let re = FoundationRegex(source) {
            engine = .foundation(re)
        } else {
            engine = .invalid
        }
    }
}

/// NSRegularExpression is immutable and documented thread-safe for matching.
final class FoundationRegex: @unchecked Sendable {
    let regex: NSRegularExpression

    init?(_ pattern: String) {
        guard let re = try? NSRegularExpression(pattern: pattern) else { return nil }
        regex = re
    }

    func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}

/// Compiles each distinct pattern once while a schema tree is built.
struct PatternCache {
    var compiled: [String: SchemaPattern] = [:]

    mutating func compile(_ source: String) -> SchemaPattern {
        if let p = compiled[source] { return p }
        let p = SchemaPattern(source)
        compiled[source] = p
        return p
    }
}
