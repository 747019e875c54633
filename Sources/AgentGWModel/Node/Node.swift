/// Where a node was read from: file, 1-based line and 1-based column.
public struct SourceMark: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A manifest value tree that remembers where every node came from.
///
/// Objects keep their keys in source order, so a manifest read and written again loses
/// nothing but comments. Unknown fields are kept as they are.
public struct Node: Sendable {
    public enum Content: Sendable {
        case null
        case bool(Bool)
        case int(Int)
        case double(Double)
        case string(String)
        case array([Node])
        case object([Entry])
    }

    /// One key of an object, with the key's own position.
    public struct Entry: Sendable {
        public var key: String
        public var keyMark: SourceMark?
        public var value: Node

        public init(key: String, keyMark: SourceMark? = nil, value: Node) {
            self.key = key
            self.keyMark = keyMark
            self.value = value
        }
    }

    public var value: Content
    public var mark: SourceMark?

    public init(_ value: Content, mark: SourceMark? = nil) {
        self.value = value
        self.mark = mark
    }
}

// MARK: - Access

extension Node {
    public static let null = Node(.null)

    public var isNull: Bool { if case .null = value { return true } else { return false } }
    public var string: String? { if case .string(let s) = value { return s } else { return nil } }
    public var bool: Bool? { if case .bool(let b) = value { return b } else { return nil } }
    public var int: Int? {
        switch value {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9e15: return Int(d)
        default: return nil
        }
    }
    public var double: Double? {
        switch value {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
    public var array: [Node]? { if case .array(let a) = value { return a } else { return nil } }
    public var entries: [Entry]? { if case .object(let o) = value { return o } else { return nil } }
    public var isObject: Bool { entries != nil }

    /// The value of `key` in an object, or nil.
    public subscript(key: String) -> Node? {
        get { entries?.first(where: { $0.key == key })?.value }
    }

    /// The element at `index` of an array, or nil.
    public subscript(index: Int) -> Node? {
        guard let a = array, index >= 0, index < a.count else { return nil }
        return a[index]
    }

    /// The position of `key` itself in an object (better than the value's for "unknown field").
    public func keyMark(_ key: String) -> SourceMark? {
        entries?.first(where: { $0.key == key })?.keyMark
    }

    /// Sets (or appends) `key` in an object. Does nothing on a non-object.
    public mutating func set(_ key: String, _ newValue: Node) {
        guard case .object(var entries) = value else { return }
        if let i = entries.firstIndex(where: { $0.key == key }) {
            entries[i].value = newValue
        } else {
            entries.append(Entry(key: key, value: newValue))
        }
        value = .object(entries)
    }

    /// Removes `key` from an object.
    public mutating func remove(_ key: String) {
        guard case .object(var entries) = value else { return }
        entries.removeAll { $0.key == key }
        value = .object(entries)
    }

    /// Follows a path of keys and indexes.
    public func at(_ path: [PathComponent]) -> Node? {
        var current: Node? = self
        for component in path {
            switch component {
            case .key(let k): current = current?[k]
            case .index(let i): current = current?[i]
            }
        }
        return current
    }

    /// The best position for a path: the node itself, else its nearest ancestor's.
    public func bestMark(_ path: [PathComponent]) -> SourceMark? {
        var current: Node = self
        var best = mark
        for component in path {
            switch component {
            case .key(let k):
                if let km = current.keyMark(k) { best = km }
                guard let next = current[k] else { return best }
                current = next
            case .index(let i):
                guard let next = current[i] else { return best }
                current = next
                if let m = next.mark { best = m }
            }
        }
        return best
    }

    /// A short type name for messages.
    public var typeName: String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The node with every position dropped (for comparisons of content only).
    public var withoutMarks: Node {
        switch value {
        case .array(let a): return Node(.array(a.map(\.withoutMarks)))
        case .object(let o):
            return Node(.object(o.map { Entry(key: $0.key, value: $0.value.withoutMarks) }))
        default: return Node(value)
        }
    }
}

/// One step of a path into a node tree.
public enum PathComponent: Sendable, Hashable, CustomStringConvertible {
    case key(String)
    case index(Int)

    public var description: String {
        switch self {
        case .key(let k): return k
        case .index(let i): return "[\(i)]"
        }
    }
}

extension Array where Element == PathComponent {
    /// Renders a path the way the API server does: `spec.listeners[0].name`.
    public var dotted: String {
        var out = ""
        for component in self {
            switch component {
            case .key(let k): out += out.isEmpty ? k : ".\(k)"
            case .index(let i): out += "[\(i)]"
            }
        }
        return out
    }
}

// MARK: - Equality by content (positions and key order ignored)

extension Node: Equatable {
    public static func == (lhs: Node, rhs: Node) -> Bool {
        switch (lhs.value, rhs.value) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(a) == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            var index: [String: Node] = [:]
            for e in b { index[e.key] = e.value }
            for e in a { guard let other = index[e.key], other == e.value else { return false } }
            return true
        default: return false
        }
    }
}

// MARK: - Literals, so generators read like the YAML they produce

extension Node: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self.init(.string(value)) }
    public init(integerLiteral value: Int) { self.init(.int(value)) }
    public init(booleanLiteral value: Bool) { self.init(.bool(value)) }
    public init(arrayLiteral elements: Node...) { self.init(.array(elements)) }
    public init(dictionaryLiteral elements: (String, Node)...) {
        self.init(.object(elements.map { Entry(key: $0.0, value: $0.1) }))
    }
    public init(nilLiteral: ()) { self.init(.null) }

    public static func string(_ s: String) -> Node { Node(.string(s)) }
    public static func int(_ i: Int) -> Node { Node(.int(i)) }
    public static func array(_ a: [Node]) -> Node { Node(.array(a)) }
    public static func object(_ pairs: [(String, Node)]) -> Node {
        Node(.object(pairs.map { Entry(key: $0.0, value: $0.1) }))
    }
}
