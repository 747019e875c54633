// Strict RFC 8259 JSON parser over UTF-8 bytes.
//
// Iterative (explicit container stacks, no recursion), so nesting depth is bounded only by
// `maxDepth` and never by the thread's stack. Strings are UTF-8 validated (overlongs, surrogate
// code points and values above U+10FFFF are rejected); `\u` escapes must pair surrogates.
// Numbers: a plain integer that fits `Int` becomes `.int`; anything else (fraction, exponent,
// overflowing integer, `-0`) becomes `.double`; values that overflow `Double` are rejected.
// Duplicate object keys: the last value wins (kept at the first key's position).

/// A JSON syntax error at a byte offset of the input.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Byte offset (0-based) at which the problem was detected.
    public var offset: Int
    /// What went wrong.
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "JSON parse error at byte \(offset): \(message)" }
}

extension JSONValue {
    /// Parses one JSON text (any value at top level; surrounding whitespace allowed).
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = 512) throws(JSONParseError) -> JSONValue {
        let result = bytes.withContiguousStorageIfAvailable { buffer in
            JSONParser.parse(buffer, maxDepth: maxDepth)
        } ?? Array(bytes).withUnsafeBufferPointer { buffer in
            JSONParser.parse(buffer, maxDepth: maxDepth)
        }
        return try result.get()
    }

    /// Parses one JSON text from a string's UTF-8.
    public static func parse(_ text: String, maxDepth: Int = 512) throws(JSONParseError) -> JSONValue {
        var text = text
        // withUTF8 makes the string contiguous (native strings already are).
        let result = text.withUTF8 { buffer in JSONParser.parse(buffer, maxDepth: maxDepth) }
        return try result.get()
    }
}

// MARK: - Byte constants shared with the envelope scanner

enum ASCII {
    static let quote: UInt8 = 0x22, backslash: UInt8 = 0x5C, slash: UInt8 = 0x2F
    static let comma: UInt8 = 0x2C, colon: UInt8 = 0x3A
    static let lbracket: UInt8 = 0x5B, rbracket: UInt8 = 0x5D, lbrace: UInt8 = 0x7B, rbrace: UInt8 = 0x7D
    static let minus: UInt8 = 0x2D, plus: UInt8 = 0x2B, dot: UInt8 = 0x2E, zero: UInt8 = 0x30, nine: UInt8 = 0x39
    static let space: UInt8 = 0x20, tab: UInt8 = 0x09, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D

    @inline(__always) static func isWhitespace(_ b: UInt8) -> Bool {
        b == space || b == lf || b == cr || b == tab
    }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- zero < 10 }
    @inline(__always) static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: return UInt32(b - 0x30)
        case 0x41...0x46: return UInt32(b - 0x41 + 10)
        case 0x61...0x66: return UInt32(b - 0x61 + 10)
        default: return nil
        }
    }
}

// MARK: - Parser

struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var pos = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    private struct ObjectFrame {
        var pairs: [JSONObject.Element] = []
        var index: [String: Int]? = nil
        var key: String

        mutating func insert(_ value: JSONValue) {
            if pairs.count < 12 {
                for i in pairs.indices where pairs[i].key == key {
                    pairs[i].value = value
                    return
                }
                pairs.append((key, value))
                return
            }
            if index == nil {
                var built: [String: Int] = [:]
                for (i, p) in pairs.enumerated() { built[p.key] = i }
                index = built
            }
            if let i = index?[key] {
                pairs[i].value = value
            } else {
                index?[key] = pairs.count
                pairs.append((key, value))
            }
        }
    }

    static func parse(_ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int) -> Result<JSONValue, JSONParseError> {
        var parser = JSONParser(buffer, maxDepth: maxDepth)
        return parser.parseDocument()
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(offset: offset ?? pos, message: message)
    }

    mutating func parseDocument() -> Result<JSONValue, JSONParseError> {
        do throws(JSONParseError) {
            let value = try parseValueIteratively()
            skipWhitespace()
            if pos < bytes.count { throw error("unexpected trailing characters") }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    @inline(__always) mutating func skipWhitespace() {
        while pos < bytes.count, ASCII.isWhitespace(bytes[pos]) { pos += 1 }
    }

    @inline(__always) func describe(_ b: UInt8) -> String {
        (0x21...0x7E).contains(b) ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
    }

    private mutating func readKey() throws(JSONParseError) -> String {
        skipWhitespace()
        guard pos < bytes.count else { throw error("unexpected end of input, expected object key") }
        guard bytes[pos] == ASCII.quote else { throw error("expected '\"' to start object key, found \(describe(bytes[pos]))") }
        let key = try parseString()
        skipWhitespace()
        guard pos < bytes.count else { throw error("unexpected end of input, expected ':'") }
        guard bytes[pos] == ASCII.colon else { throw error("expected ':' after object key, found \(describe(bytes[pos]))") }
        pos += 1
        return key
    }

    private mutating func parseValueIteratively() throws(JSONParseError) -> JSONValue {
        // isObject per open container, innermost last; arrays/objects hold the partial containers.
        var kinds: [Bool] = []
        var arrays: [[JSONValue]] = []
        var objects: [ObjectFrame] = []

        nextValue: while true {
            skipWhitespace()
            guard pos < bytes.count else { throw error("unexpected end of input, expected a value") }
            var value: JSONValue
            let b = bytes[pos]
            switch b {
            case ASCII.lbracket, ASCII.lbrace:
                if kinds.count >= maxDepth { throw error("nesting deeper than \(maxDepth) levels") }
                pos += 1
                skipWhitespace()
                if b == ASCII.lbracket {
                    if pos < bytes.count, bytes[pos] == ASCII.rbracket {
                        pos += 1
                        value = .array([])
                    } else {
                        kinds.append(false)
                        arrays.append([])
                        continue nextValue
                    }
                } else {
                    if pos < bytes.count, bytes[pos] == ASCII.rbrace {
                        pos += 1
                        value = .object(JSONObject())
                    } else {
                        let key = try readKey()
                        kinds.append(true)
                        objects.append(ObjectFrame(key: key))
                        continue nextValue
                    }
                }
            case ASCII.quote:
                value = .string(try parseString())
            case ASCII.minus, ASCII.zero...ASCII.nine:
                value = try parseNumber()
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                value = .null
            default:
                throw error("unexpected \(describe(b)), expected a value")
            }

            // Attach the finished value to its parent, closing containers as they end.
            while let isObject = kinds.last {
                skipWhitespace()
                guard pos < bytes.count else {
                    throw error("unexpected end of input, expected ',' or '\(isObject ? "}" : "]")'")
                }
                let c = bytes[pos]
                if isObject {
                    objects[objects.count - 1].insert(value)
                    if c == ASCII.comma {
                        pos += 1
                        objects[objects.count - 1].key = try readKey()
                        continue nextValue
                    }
                    guard c == ASCII.rbrace else { throw error("expected ',' or '}' in object, found \(describe(c))") }
                    pos += 1
                    kinds.removeLast()
                    value = .object(JSONObject(uniquePairs: objects.removeLast().pairs))
                } else {
                    arrays[arrays.count - 1].append(value)
                    if c == ASCII.comma {
                        pos += 1
                        continue nextValue
                    }
                    guard c == ASCII.rbracket else { throw error("expected ',' or ']' in array, found \(describe(c))") }
                    pos += 1
                    kinds.removeLast()
                    value = .array(arrays.removeLast())
                }
            }
            return value
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = pos
        let n = literal.utf8CodeUnitCount
        guard bytes.count - pos >= n else { throw error("invalid literal", at: start) }
        let lit = literal.utf8Start
        for i in 0..<n where bytes[pos + i] != lit[i] { throw error("invalid literal", at: start) }
        pos += n
    }

    // MARK: Numbers

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = pos
        var negative = false
        if bytes[pos] == ASCII.minus {
            negative = true
            pos += 1
        }
        guard pos < bytes.count, ASCII.isDigit(bytes[pos]) else { throw error("expected digit in number") }
        var isInteger = true
        var overflow = false
        var acc = 0  // accumulated negatively so Int.min fits
        if bytes[pos] == ASCII.zero {
            pos += 1
            if pos < bytes.count, ASCII.isDigit(bytes[pos]) { throw error("leading zeros are not allowed", at: start) }
        } else {
            while pos < bytes.count, ASCII.isDigit(bytes[pos]) {
                if !overflow {
                    let (m, o1) = acc.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.subtractingReportingOverflow(Int(bytes[pos] - ASCII.zero))
                    if o1 || o2 { overflow = true } else { acc = s }
                }
                pos += 1
            }
        }
        if pos < bytes.count, bytes[pos] == ASCII.dot {
            isInteger = false
            pos += 1
            guard pos < bytes.count, ASCII.isDigit(bytes[pos]) else { throw error("expected digit after '.'") }
            while pos < bytes.count, ASCII.isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < bytes.count, bytes[pos] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            pos += 1
            if pos < bytes.count, bytes[pos] == ASCII.plus || bytes[pos] == ASCII.minus { pos += 1 }
            guard pos < bytes.count, ASCII.isDigit(bytes[pos]) else { throw error("expected digit in exponent") }
            while pos < bytes.count, ASCII.isDigit(bytes[pos]) { pos += 1 }
        }
        if isInteger && !overflow {
            if !negative {
                if acc == Int.min { return .double(-Double(acc)) }  // 9223372036854775808
                return .int(-acc)
            }
            if acc == 0 { return .double(-0.0) }
            return .int(acc)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
        guard let d = Double(text), d.isFinite else { throw error("number out of range", at: start) }
        return .double(d)
    }

    // MARK: Strings

    /// Parses a string starting at the opening quote; leaves `pos` after the closing quote.
    mutating func parseString() throws(JSONParseError) -> String {
        pos += 1  // opening quote
        let start = pos
        // Fast path: ASCII without escapes.
        while pos < bytes.count {
            let b = bytes[pos]
            if b == ASCII.quote {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
                pos += 1
                return s
            }
            if b == ASCII.backslash || b >= 0x80 || b < 0x20 { break }
            pos += 1
        }
        var scratch: [UInt8] = []
        scratch.reserveCapacity(pos - start + 16)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<pos]))
        while pos < bytes.count {
            let b = bytes[pos]
            switch b {
            case ASCII.quote:
                pos += 1
                return String(decoding: scratch, as: UTF8.self)
            case ASCII.backslash:
                try parseEscape(into: &scratch)
            case 0..<0x20:
                throw error("unescaped control character in string")
            case 0x80...:
                let n = try validateUTF8Sequence()
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[pos..<(pos + n)]))
                pos += n
            default:
                scratch.append(b)
                pos += 1
            }
        }
        throw error("unterminated string", at: start - 1)
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(JSONParseError) {
        let escStart = pos
        pos += 1
        guard pos < bytes.count else { throw error("unterminated escape", at: escStart) }
        let c = bytes[pos]
        pos += 1
        switch c {
        case ASCII.quote: out.append(ASCII.quote)
        case ASCII.backslash: out.append(ASCII.backslash)
        case ASCII.slash: out.append(ASCII.slash)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(ASCII.lf)
        case UInt8(ascii: "r"): out.append(ASCII.cr)
        case UInt8(ascii: "t"): out.append(ASCII.tab)
        case UInt8(ascii: "u"):
            var scalar = try readHex4(escapeStart: escStart)
            if (0xD800...0xDBFF).contains(scalar) {
                guard bytes.count - pos >= 6, bytes[pos] == ASCII.backslash, bytes[pos + 1] == UInt8(ascii: "u") else {
                    throw error("unpaired high surrogate in \\u escape", at: escStart)
                }
                let lowStart = pos
                pos += 2
                let low = try readHex4(escapeStart: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error("high surrogate not followed by a low surrogate", at: lowStart)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw error("unpaired low surrogate in \\u escape", at: escStart)
            }
            guard let us = Unicode.Scalar(scalar) else { throw error("invalid \\u escape", at: escStart) }
            UTF8.encode(us) { out.append($0) }
        default:
            throw error("invalid escape character \(describe(c))", at: escStart)
        }
    }

    private mutating func readHex4(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        guard bytes.count - pos >= 4 else { throw error("truncated \\u escape", at: escapeStart) }
        var v: UInt32 = 0
        for i in 0..<4 {
            guard let h = ASCII.hexValue(bytes[pos + i]) else { throw error("invalid hex digit in \\u escape", at: pos + i) }
            v = v << 4 | h
        }
        pos += 4
        return v
    }

    /// Validates the multi-byte UTF-8 sequence at `pos`; returns its length.
    private func validateUTF8Sequence() throws(JSONParseError) -> Int {
        let b0 = bytes[pos]
        let n: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF  // allowed range of the second byte
        switch b0 {
        case 0xC2...0xDF: n = 2
        case 0xE0: n = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: n = 3
        case 0xED: n = 3; hi = 0x9F  // no UTF-16 surrogates
        case 0xF0: n = 4; lo = 0x90
        case 0xF1...0xF3: n = 4
        case 0xF4: n = 4; hi = 0x8F  // max U+10FFFF
        default: throw error("invalid UTF-8 start byte 0x\(String(b0, radix: 16))")
        }
        guard bytes.count - pos >= n else { throw error("truncated UTF-8 sequence") }
        let b1 = bytes[pos + 1]
        guard b1 >= lo && b1 <= hi else { throw error("invalid UTF-8 sequence", at: pos) }
        for i in 2..<n where bytes[pos + i] & 0xC0 != 0x80 {
            throw error("invalid UTF-8 continuation byte", at: pos + i)
        }
        return n
    }
}
