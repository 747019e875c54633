// JSON value model: an enum over the JSON types plus an insertion-ordered object.
//
// Object key order is preserved so that a message can be parsed and re-serialized byte-stably
// (a gateway that rewrites one field should not reshuffle everything else). Equality of objects
// is order-insensitive, matching JSON semantics: `{"a":1,"b":2} == {"b":2,"a":1}`.

/// A JSON value that keeps object key order (messages are re-serialized byte-stable).
///
/// Numbers are split into `.int` (an integer literal that fits `Int`) and `.double` (anything with
/// a fraction or exponent, integers too large for `Int`, and `-0`).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// An insertion-ordered JSON object: `(key, value)` pairs with unique keys.
///
/// Setting an existing key replaces its value in place (position kept); setting a new key appends;
/// setting `nil` removes. Equality and hashing ignore key order.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: JSONValue)

    /// The pairs in insertion order. Keys are unique.
    public private(set) var pairs: [Element]

    /// An empty object.
    public init() { pairs = [] }

    /// Builds an object from pairs in order; for duplicate keys the last value wins (at the
    /// position of the first occurrence).
    public init(_ pairs: [(String, JSONValue)]) {
        self.pairs = []
        self.pairs.reserveCapacity(pairs.count)
        if pairs.count <= 16 {
            for (k, v) in pairs { self[k] = v }
        } else {
            var index: [String: Int] = [:]
            index.reserveCapacity(pairs.count)
            for (k, v) in pairs {
                if let i = index[k] {
                    self.pairs[i].value = v
                } else {
                    index[k] = self.pairs.count
                    self.pairs.append((k, v))
                }
            }
        }
    }

    /// Trusted initializer for pairs already known to have unique keys (used by the parser).
    init(uniquePairs: [Element]) { pairs = uniquePairs }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }

    /// The value for `key`, or `nil`. Setting `nil` removes the key.
    public subscript(key: String) -> JSONValue? {
        get {
            for pair in pairs where pair.key == key { return pair.value }
            return nil
        }
        set {
            let existing = pairs.firstIndex { $0.key == key }
            switch (existing, newValue) {
            case let (i?, v?): pairs[i].value = v
            case let (i?, nil): pairs.remove(at: i)
            case let (nil, v?): pairs.append((key, v))
            case (nil, nil): break
            }
        }
    }

    /// Keys in insertion order.
    public var keys: [String] { pairs.map(\.key) }
    /// Values in insertion order.
    public var values: [JSONValue] { pairs.map(\.value) }
    /// Number of keys.
    public var count: Int { pairs.count }
    /// Whether the object has no keys.
    public var isEmpty: Bool { pairs.isEmpty }

    /// Whether `key` is present (even with a `null` value).
    public func contains(_ key: String) -> Bool { pairs.contains { $0.key == key } }

    public func makeIterator() -> IndexingIterator<[Element]> { pairs.makeIterator() }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.pairs.count == rhs.pairs.count else { return false }
        // Fast path: same order.
        var sameOrder = true
        for i in lhs.pairs.indices where lhs.pairs[i].key != rhs.pairs[i].key {
            sameOrder = false
            break
        }
        if sameOrder {
            for i in lhs.pairs.indices where lhs.pairs[i].value != rhs.pairs[i].value { return false }
            return true
        }
        if lhs.pairs.count > 16 {
            var index: [String: JSONValue] = [:]
            for (k, v) in rhs.pairs { index[k] = v }
            for (k, v) in lhs.pairs where index[k] != v { return false }
            return true
        }
        for (k, v) in lhs.pairs where rhs[k] != v { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent: combine per-pair hashes commutatively.
        var sum = 0
        for (k, v) in pairs {
            var h = Hasher()
            h.combine(k)
            h.combine(v)
            sum = sum &+ h.finalize()
        }
        hasher.combine(pairs.count)
        hasher.combine(sum)
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral,
    ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
    public init(nilLiteral: ()) { self = .null }
}

// MARK: - Accessors

extension JSONValue {
    /// Member `key` of an object; `nil` if absent or not an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// Element `index` of an array; `nil` if out of bounds or not an array.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    /// The string, if this is a string.
    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer, if this is an int or a double with an exact integral value in `Int` range.
    public var int: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d): return Int(exactly: d)
        default: return nil
        }
    }

    /// The number as a `Double` (ints are converted).
    public var double: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The boolean, if this is a boolean.
    public var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements, if this is an array.
    public var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The object, if this is an object.
    public var object: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Whether this is a number (`.int` or `.double`).
    public var isNumber: Bool {
        switch self {
        case .int, .double: return true
        default: return false
        }
    }

    /// A short name of the JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact serialization.
    public var description: String { serialized() }
}
