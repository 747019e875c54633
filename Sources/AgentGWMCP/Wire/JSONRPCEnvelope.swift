// Fast routing scan of a JSON-RPC body: reads top-level "method", "id", params.name/params.uri and
// whether the body is a batch or a response, without building a JSONValue tree.
//
// The whole body is walked structurally (brackets, strings, numbers, literals, trailing bytes,
// nesting depth ≤ 512 like the parser's default), so structurally broken JSON yields nil. Strings
// that are *not* extracted are skipped without UTF-8 validation or escape decoding; the values
// that *are* extracted (and keys written with escapes) are decoded and validated exactly like the
// full parser does. Duplicate keys: the last occurrence wins, as in the full parser.

/// What a gateway needs from a JSON-RPC request body.
public struct JSONRPCEnvelope: Sendable, Equatable {
    /// Top-level `method`, if it is a string.
    public var method: String?
    /// Top-level `id`, if it is a string or an integer that fits `Int`.
    public var id: JSONRPCID?
    /// `params.name`, if `params` is an object and `name` a string.
    public var name: String?
    /// `params.uri`, if `params` is an object and `uri` a string.
    public var uri: String?
    /// The body is a JSON array (a JSON-RPC batch). Other fields are then nil.
    public var isBatch: Bool
    /// The body has no `method` member but has `result` or `error`.
    public var isResponse: Bool

    public init(method: String? = nil, id: JSONRPCID? = nil, name: String? = nil, uri: String? = nil,
                isBatch: Bool = false, isResponse: Bool = false) {
        self.method = method
        self.id = id
        self.name = name
        self.uri = uri
        self.isBatch = isBatch
        self.isResponse = isResponse
    }

    /// Whether this is a request or notification carrying a `method`.
    public var isNotification: Bool { method != nil && id == nil && !isResponse }

    /// Scans a body; nil if it is not a well-formed JSON object or array.
    public static func scan(_ bytes: some Collection<UInt8>) -> JSONRPCEnvelope? {
        if let r = bytes.withContiguousStorageIfAvailable({ EnvelopeScanner.scan($0) }) {
            return r
        }
        return Array(bytes).withUnsafeBufferPointer { EnvelopeScanner.scan($0) }
    }
}

private struct EnvelopeScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var pos = 0
    static let maxDepth = 512

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    static func scan(_ buffer: UnsafeBufferPointer<UInt8>) -> JSONRPCEnvelope? {
        var scanner = EnvelopeScanner(bytes: buffer)
        return scanner.scanDocument()
    }

    private enum Key { case method, id, params, result, error, name, uri, other }

    mutating func scanDocument() -> JSONRPCEnvelope? {
        skipWhitespace()
        guard pos < bytes.count else { return nil }
        var envelope = JSONRPCEnvelope()
        switch bytes[pos] {
        case ASCII.lbracket:
            guard skipValue(depth: 0) else { return nil }
            envelope.isBatch = true
        case ASCII.lbrace:
            guard scanTopObject(into: &envelope) else { return nil }
        default:
            return nil
        }
        skipWhitespace()
        return pos == bytes.count ? envelope : nil
    }

    @inline(__always) private mutating func skipWhitespace() {
        while pos < bytes.count, ASCII.isWhitespace(bytes[pos]) { pos += 1 }
    }

    @inline(__always) private func peek() -> UInt8? { pos < bytes.count ? bytes[pos] : nil }

    // MARK: Objects of interest

    private mutating func scanTopObject(into envelope: inout JSONRPCEnvelope) -> Bool {
        var sawMethod = false, sawResult = false, sawError = false
        let ok = scanObject(depth: 1) { scanner, key in
            switch key {
            case .method:
                sawMethod = true
                guard let s = scanner.stringOrSkip(depth: 1) else { return false }
                envelope.method = s
            case .id:
                guard let id = scanner.idOrSkip() else { return false }
                envelope.id = id
            case .params:
                envelope.name = nil
                envelope.uri = nil
                if scanner.peek() == ASCII.lbrace {
                    return scanner.scanObject(depth: 2) { inner, key in
                        switch key {
                        case .name:
                            guard let s = inner.stringOrSkip(depth: 2) else { return false }
                            envelope.name = s
                        case .uri:
                            guard let s = inner.stringOrSkip(depth: 2) else { return false }
                            envelope.uri = s
                        default:
                            return inner.skipValue(depth: 2)
                        }
                        return true
                    }
                }
                return scanner.skipValue(depth: 1)
            case .result:
                sawResult = true
                return scanner.skipValue(depth: 1)
            case .error:
                sawError = true
                return scanner.skipValue(depth: 1)
            default:
                return scanner.skipValue(depth: 1)
            }
            return true
        }
        envelope.isResponse = !sawMethod && (sawResult || sawError)
        return ok
    }

    /// Walks an object at `pos` (`{`), calling `member` with the scanner positioned at each value.
    /// `depth` is the nesting level of this object (top level = 1).
    private mutating func scanObject(depth: Int, _ member: (inout EnvelopeScanner, Key) -> Bool) -> Bool {
        guard depth <= Self.maxDepth else { return false }
        pos += 1  // {
        skipWhitespace()
        if peek() == ASCII.rbrace {
            pos += 1
            return true
        }
        while true {
            skipWhitespace()
            guard peek() == ASCII.quote, let key = readKey() else { return false }
            skipWhitespace()
            guard peek() == ASCII.colon else { return false }
            pos += 1
            skipWhitespace()
            guard member(&self, key) else { return false }
            skipWhitespace()
            switch peek() {
            case ASCII.comma: pos += 1
            case ASCII.rbrace:
                pos += 1
                return true
            default: return false
            }
        }
    }

    /// Reads a key at `pos` (`"`), classifying it; decodes only keys that contain escapes.
    private mutating func readKey() -> Key? {
        let start = pos + 1
        guard let (end, escaped) = skipString() else { return nil }
        if escaped {
            var parser = JSONParser(bytes, maxDepth: Self.maxDepth)
            parser.pos = start - 1
            guard let s = try? parser.parseString() else { return nil }
            switch s {
            case "method": return .method
            case "id": return .id
            case "params": return .params
            case "result": return .result
            case "error": return .error
            case "name": return .name
            case "uri": return .uri
            default: return .other
            }
        }
        switch end - start {
        case 2: if equals(start, "id") { return .id }
        case 3: if equals(start, "uri") { return .uri }
        case 4: if equals(start, "name") { return .name }
        case 5: if equals(start, "error") { return .error }
        case 6:
            if equals(start, "method") { return .method }
            if equals(start, "params") { return .params }
            if equals(start, "result") { return .result }
        default: break
        }
        return .other
    }

    @inline(__always) private func equals(_ start: Int, _ literal: StaticString) -> Bool {
        let p = literal.utf8Start
        for i in 0..<literal.utf8CodeUnitCount where bytes[start + i] != p[i] { return false }
        return true
    }

    /// If the value at `pos` is a string, decodes it (validated like the parser); otherwise skips
    /// the value and yields a nil string. Returns nil on malformed input.
    private mutating func stringOrSkip(depth: Int) -> String?? {
        guard peek() == ASCII.quote else { return skipValue(depth: depth) ? .some(nil) : nil }
        let start = pos
        var parser = JSONParser(bytes, maxDepth: Self.maxDepth)
        parser.pos = start
        guard let s = try? parser.parseString() else { return nil }
        pos = parser.pos
        return .some(s)
    }

    /// Reads an id: strings and plain integers that fit Int; other values are skipped as nil.
    private mutating func idOrSkip() -> JSONRPCID?? {
        guard let first = peek() else { return nil }
        switch first {
        case ASCII.quote:
            guard let s = stringOrSkip(depth: 1) else { return nil }
            return .some(s.map(JSONRPCID.string))
        case ASCII.minus, ASCII.zero...ASCII.nine:
            let start = pos
            guard let isInteger = skipNumber() else { return nil }
            guard isInteger else { return .some(nil) }
            var negative = false
            var i = start
            if bytes[i] == ASCII.minus {
                negative = true
                i += 1
            }
            var acc = 0
            while i < pos {
                let (m, o1) = acc.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.subtractingReportingOverflow(Int(bytes[i] - ASCII.zero))
                if o1 || o2 { return .some(nil) }  // parser: overflowing integer → double → no id
                acc = s
                i += 1
            }
            if negative { return acc == 0 ? .some(nil) : .some(.int(acc)) }  // -0 parses as a double
            return acc == Int.min ? .some(nil) : .some(.int(-acc))
        default:
            return skipValue(depth: 1) ? .some(nil) : nil
        }
    }

    // MARK: Skipping

    /// Skips a string at `pos` (`"`). Returns the index of the closing quote and whether the
    /// string contained escapes; nil if unterminated or it holds a raw control character.
    private mutating func skipString() -> (end: Int, escaped: Bool)? {
        pos += 1
        var escaped = false
        while pos < bytes.count {
            let b = bytes[pos]
            if b == ASCII.quote {
                let end = pos
                pos += 1
                return (end, escaped)
            }
            if b == ASCII.backslash {
                escaped = true
                pos += 2
                continue
            }
            if b < 0x20 { return nil }
            pos += 1
        }
        return nil
    }

    /// Skips a number with the RFC 8259 grammar; returns whether it was a plain integer.
    private mutating func skipNumber() -> Bool? {
        if bytes[pos] == ASCII.minus { pos += 1 }
        guard let first = peek(), ASCII.isDigit(first) else { return nil }
        pos += 1
        if first == ASCII.zero {
            if let b = peek(), ASCII.isDigit(b) { return nil }
        } else {
            while let b = peek(), ASCII.isDigit(b) { pos += 1 }
        }
        var isInteger = true
        if peek() == ASCII.dot {
            isInteger = false
            pos += 1
            guard let b = peek(), ASCII.isDigit(b) else { return nil }
            while let b = peek(), ASCII.isDigit(b) { pos += 1 }
        }
        if let e = peek(), e | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            pos += 1
            if let s = peek(), s == ASCII.plus || s == ASCII.minus { pos += 1 }
            guard let b = peek(), ASCII.isDigit(b) else { return nil }
            while let b = peek(), ASCII.isDigit(b) { pos += 1 }
        }
        return isInteger
    }

    private mutating func skipLiteral(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard bytes.count - pos >= n, equals(pos, literal) else { return false }
        pos += n
        return true
    }

    /// Skips any value at `pos`. `depth` is the nesting level of the container holding it.
    mutating func skipValue(depth: Int) -> Bool {
        var stack = BitStack()  // isObject per open container, innermost last
        while true {
            skipWhitespace()
            guard let b = peek() else { return false }
            switch b {
            case ASCII.lbrace, ASCII.lbracket:
                guard depth + stack.count < Self.maxDepth else { return false }
                pos += 1
                skipWhitespace()
                let close = b == ASCII.lbrace ? ASCII.rbrace : ASCII.rbracket
                if peek() == close {
                    pos += 1
                } else {
                    stack.append(b == ASCII.lbrace)
                    if b == ASCII.lbrace, !skipKeyAndColon() { return false }
                    continue
                }
            case ASCII.quote:
                guard skipString() != nil else { return false }
            case ASCII.minus, ASCII.zero...ASCII.nine:
                guard skipNumber() != nil else { return false }
            case UInt8(ascii: "t"): guard skipLiteral("true") else { return false }
            case UInt8(ascii: "f"): guard skipLiteral("false") else { return false }
            case UInt8(ascii: "n"): guard skipLiteral("null") else { return false }
            default: return false
            }
            // A value ended: continue or close enclosing containers.
            while let isObject = stack.last {
                skipWhitespace()
                guard let c = peek() else { return false }
                if c == ASCII.comma {
                    pos += 1
                    if isObject, !skipKeyAndColon() { return false }
                    break
                }
                guard c == (isObject ? ASCII.rbrace : ASCII.rbracket) else { return false }
                pos += 1
                stack.removeLast()
            }
            if stack.isEmpty { return true }
        }
    }

    /// A stack of booleans that needs no allocation for the first 64 levels.
    private struct BitStack {
        private var bits: UInt64 = 0
        private var spill: [Bool] = []
        private(set) var count = 0

        var isEmpty: Bool { count == 0 }

        var last: Bool? {
            if count == 0 { return nil }
            if count > 64 { return spill.last }
            return bits >> UInt64(count - 1) & 1 == 1
        }

        mutating func append(_ value: Bool) {
            if count >= 64 {
                spill.append(value)
            } else if value {
                bits |= 1 << UInt64(count)
            } else {
                bits &= ~(1 << UInt64(count))
            }
            count += 1
        }

        mutating func removeLast() {
            if count > 64 { spill.removeLast() }
            count -= 1
        }
    }

    private mutating func skipKeyAndColon() -> Bool {
        skipWhitespace()
        guard peek() == ASCII.quote, skipString() != nil else { return false }
        skipWhitespace()
        guard peek() == ASCII.colon else { return false }
        pos += 1
        return true
    }
}
