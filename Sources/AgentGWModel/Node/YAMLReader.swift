import CYAML

/// Limits that keep hostile input from taking the process down. Documented in docs/validate.md.
public struct ReadLimits: Sendable {
    /// Largest input accepted, in bytes. The API server itself takes at most 3 MiB per request.
    public var maxBytes: Int = 16 << 20
    /// Deepest nesting of sequences and mappings.
    public var maxDepth: Int = 256
    /// Most nodes one input may produce, counting every alias expansion.
    public var maxNodes: Int = 2_000_000

    public init() {}
    public static let `default` = ReadLimits()
}

/// Why an input could not be read. Each case renders as one line with a position.
public struct ReadError: Error, Sendable, CustomStringConvertible {
    public var mark: SourceMark
    public var message: String

    public init(_ message: String, at mark: SourceMark) {
        self.mark = mark
        self.message = message
    }

    public var description: String { "\(mark): error: \(message)" }
}

/// Reads multi-document YAML (and JSON, which is YAML) into `Node` trees with positions.
///
/// It drives libyaml's event API with an explicit stack, so nesting depth and alias expansion
/// are bounded without recursion. Plain scalars resolve by the YAML 1.2 core schema.
public enum YAMLReader {
    public static func read(_ text: String, file: String, limits: ReadLimits = .default) throws(ReadError) -> [Node] {
        try read(Array(text.utf8), file: file, limits: limits)
    }

    public static func read(_ bytes: [UInt8], file: String, limits: ReadLimits = .default) throws(ReadError) -> [Node] {
        let start = SourceMark(file: file, line: 1, column: 1)
        if bytes.count > limits.maxBytes {
            throw ReadError("input is \(bytes.count) bytes, over the limit of \(limits.maxBytes) bytes", at: start)
        }
        if let nul = bytes.firstIndex(of: 0) {
            throw ReadError("binary data (a NUL byte), not YAML or JSON text", at: mark(of: nul, in: bytes, file: file))
        }
        if let bad = firstInvalidUTF8(bytes) {
            throw ReadError("invalid UTF-8 text", at: mark(of: bad, in: bytes, file: file))
        }
        var composer = Composer(file: file, limits: limits)
        return try bytes.withUnsafeBufferPointer { (buffer) throws(ReadError) -> [Node] in
            try composer.run(buffer)
        }
    }

    static func mark(of offset: Int, in bytes: [UInt8], file: String) -> SourceMark {
        var line = 1, column = 1
        for b in bytes[..<offset] {
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return SourceMark(file: file, line: line, column: column)
    }

    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        // A BOM-marked UTF-16/32 stream is left to libyaml, which decodes it.
        if bytes.count >= 2, (bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE) {
            return nil
        }
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            if b & 0xE0 == 0xC0, b >= 0xC2 { length = 2 } else if b & 0xF0 == 0xE0 { length = 3 } else if b & 0xF8 == 0xF0, b <= 0xF4 { length = 4 } else { return i }
            if i + length > n { return i }
            for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }
}

/// Builds nodes from libyaml events.
private struct Composer {
    enum Frame {
        case sequence(items: [Node], mark: SourceMark, anchor: String?, nodesAtStart: Int)
        case mapping(entries: [Node.Entry], pendingKey: (key: String, mark: SourceMark, isMerge: Bool)?, mark: SourceMark, anchor: String?, nodesAtStart: Int)
    }

    let file: String
    let limits: ReadLimits
    var stack: [Frame] = []
    var documents: [Node] = []
    var anchors: [String: (node: Node, count: Int)] = [:]
    var nodeCount = 0
    var documentRoot: Node?

    init(file: String, limits: ReadLimits) {
        self.file = file
        self.limits = limits
    }

    func mark(_ m: yaml_mark_t) -> SourceMark {
        SourceMark(file: file, line: Int(m.line) + 1, column: Int(m.column) + 1)
    }

    mutating func run(_ buffer: UnsafeBufferPointer<UInt8>) throws(ReadError) -> [Node] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw ReadError("cannot initialise the YAML parser", at: SourceMark(file: file, line: 1, column: 1))
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                let problem = parser.problem.map { String(cString: $0) } ?? "syntax error"
                let context = parser.context.map { String(cString: $0) + ": " } ?? ""
                throw ReadError("invalid YAML: \(context)\(problem)", at: mark(parser.problem_mark))
            }
            defer { yaml_event_delete(&event) }
            let done = try handle(&event)
            if done { return documents }
        }
    }

    mutating func handle(_ event: inout yaml_event_t) throws(ReadError) -> Bool {
        let at = mark(event.start_mark)
        switch event.type {
        case YAML_STREAM_END_EVENT:
            return true
        case YAML_DOCUMENT_START_EVENT:
            documentRoot = nil
            anchors = [:]
        case YAML_DOCUMENT_END_EVENT:
            documents.append(documentRoot ?? Node(.null, mark: at))
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text = string(s.value, Int(s.length))
            let tag = s.tag.map { String(cString: $0) }
            let plain = s.style == YAML_PLAIN_SCALAR_STYLE
            let node = Node(Self.resolve(text, tag: tag, plain: plain), mark: at)
            try count(1, at: at)
            try finish(node, anchor: s.anchor.map { String(cString: $0) }, count: 1, isScalar: true, plain: plain)
        case YAML_ALIAS_EVENT:
            let name = String(cString: event.data.alias.anchor)
            guard let anchored = anchors[name] else {
                throw ReadError("unknown alias *\(name)", at: at)
            }
            try count(anchored.count, at: at)
            var node = anchored.node
            node.mark = at
            try finish(node, anchor: nil, count: anchored.count, isScalar: anchored.node.string != nil, plain: false)
        case YAML_SEQUENCE_START_EVENT:
            try push(.sequence(items: [], mark: at, anchor: event.data.sequence_start.anchor.map { String(cString: $0) }, nodesAtStart: nodeCount), at: at)
        case YAML_MAPPING_START_EVENT:
            try push(.mapping(entries: [], pendingKey: nil, mark: at, anchor: event.data.mapping_start.anchor.map { String(cString: $0) }, nodesAtStart: nodeCount), at: at)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return false }
            switch frame {
            case .sequence(let items, let m, let anchor, let start):
                try finish(Node(.array(items), mark: m), anchor: anchor, count: nodeCount - start + 1, isScalar: false, plain: false)
            case .mapping(var entries, _, let m, let anchor, let start):
                if entries.contains(where: { $0.key == Self.mergeMarker }) { entries = Self.resolveMerges(entries) }
                if let dup = Self.firstDuplicate(entries) {
                    throw ReadError("duplicate key \"\(dup.key)\"", at: dup.keyMark ?? m)
                }
                try finish(Node(.object(entries), mark: m), anchor: anchor, count: nodeCount - start + 1, isScalar: false, plain: false)
            }
        default:
            break
        }
        return false
    }

    mutating func push(_ frame: Frame, at: SourceMark) throws(ReadError) {
        if stack.count >= limits.maxDepth {
            throw ReadError("nesting deeper than \(limits.maxDepth) levels", at: at)
        }
        try count(1, at: at)
        stack.append(frame)
    }

    mutating func count(_ n: Int, at: SourceMark) throws(ReadError) {
        nodeCount += n
        if nodeCount > limits.maxNodes {
            throw ReadError("more than \(limits.maxNodes) nodes (an alias bomb?); refusing to expand", at: at)
        }
    }

    /// Attaches a finished node to its parent, or makes it the document's root.
    mutating func finish(_ node: Node, anchor: String?, count: Int, isScalar: Bool, plain: Bool) throws(ReadError) {
        if let anchor { anchors[anchor] = (node, count) }
        guard let top = stack.popLast() else {
            documentRoot = node
            return
        }
        switch top {
        case .sequence(var items, let m, let a, let s):
            items.append(node)
            stack.append(.sequence(items: items, mark: m, anchor: a, nodesAtStart: s))
        case .mapping(var entries, let pending, let m, let a, let s):
            if let (key, keyMark, isMerge) = pending {
                if isMerge {
                    // Held aside until the mapping ends, so explicit keys win wherever they are.
                    // NUL cannot occur in accepted input, so this key never collides.
                    entries.append(Node.Entry(key: Self.mergeMarker, keyMark: keyMark, value: node))
                } else {
                    entries.append(Node.Entry(key: key, keyMark: keyMark, value: node))
                }
                stack.append(.mapping(entries: entries, pendingKey: nil, mark: m, anchor: a, nodesAtStart: s))
            } else {
                guard let key = Self.keyString(node) else {
                    throw ReadError("a mapping key must be a scalar", at: node.mark ?? m)
                }
                let pendingKey = (key: key, mark: node.mark ?? m, isMerge: plain && key == "<<")
                stack.append(.mapping(entries: entries, pendingKey: pendingKey, mark: m, anchor: a, nodesAtStart: s))
            }
        }
    }

    /// The second occurrence of a repeated key. Linear scans suit the small mappings manifests
    /// are made of; big ones hash, so a hostile 100k-key mapping stays linear.
    static func firstDuplicate(_ entries: [Node.Entry]) -> Node.Entry? {
        if entries.count < 24 {
            for i in entries.indices.dropFirst() {
                for j in 0..<i where entries[j].key == entries[i].key { return entries[i] }
            }
            return nil
        }
        var seen = Set<String>(minimumCapacity: entries.count)
        for e in entries where !seen.insert(e.key).inserted { return e }
        return nil
    }

    static let mergeMarker = "\u{0}<<"

    /// YAML merge keys (`<<: *base` or `<<: [*a, *b]`): explicit keys win, then earlier sources.
    static func resolveMerges(_ entries: [Node.Entry]) -> [Node.Entry] {
        var result = entries.filter { $0.key != mergeMarker }
        var present = Set(result.map(\.key))
        for merge in entries where merge.key == mergeMarker {
            for source in merge.value.array ?? [merge.value] {
                for e in source.entries ?? [] where present.insert(e.key).inserted {
                    result.append(e)
                }
            }
        }
        return result
    }

    static func keyString(_ node: Node) -> String? {
        switch node.value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .double(let d): return String(d)
        case .null: return "null"
        default: return nil
        }
    }

    func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, _ length: Int) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    /// YAML 1.2 core schema resolution for plain scalars; quoted scalars are strings.
    static func resolve(_ text: String, tag: String?, plain: Bool) -> Node.Content {
        if let tag {
            switch tag {
            case "tag:yaml.org,2002:str", "!": return .string(text)
            case "tag:yaml.org,2002:null": return .null
            case "tag:yaml.org,2002:bool": return resolvePlain(text).asBool.map { .bool($0) } ?? .string(text)
            case "tag:yaml.org,2002:int", "tag:yaml.org,2002:float":
                let v = resolvePlain(text)
                switch v { case .int, .double: return v; default: return .string(text) }
            default: break
            }
        }
        return plain ? resolvePlain(text) : .string(text)
    }

    static func resolvePlain(_ text: String) -> Node.Content {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        guard let first = text.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") || (first >= 0x30 && first <= 0x39) else {
            return .string(text)
        }
        if isDecimalInteger(text) {
            if let i = Int(text.hasPrefix("+") ? String(text.dropFirst()) : text) { return .int(i) }
            if let d = Double(text) { return .double(d) }
        }
        if text.hasPrefix("0x"), let i = Int(text.dropFirst(2), radix: 16) { return .int(i) }
        if text.hasPrefix("0o"), let i = Int(text.dropFirst(2), radix: 8) { return .int(i) }
        if isFloat(text), let d = Double(text) { return .double(d) }
        return .string(text)
    }

    static func isDecimalInteger(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if let f = bytes.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        return !bytes.isEmpty && bytes.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    static func isFloat(_ text: String) -> Bool {
        var s = Array(text.utf8)[...]
        func digits() -> Int {
            var n = 0
            while let c = s.first, c >= 0x30 && c <= 0x39 { s = s.dropFirst(); n += 1 }
            return n
        }
        if let f = s.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { s = s.dropFirst() }
        let intDigits = digits()
        var fracDigits = 0
        if s.first == UInt8(ascii: ".") { s = s.dropFirst(); fracDigits = digits() }
        if intDigits == 0 && fracDigits == 0 { return false }
        if let e = s.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            s = s.dropFirst()
            if let f = s.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { s = s.dropFirst() }
            if digits() == 0 { return false }
        }
        return s.isEmpty
    }
}

private extension Node.Content {
    var asBool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
}
