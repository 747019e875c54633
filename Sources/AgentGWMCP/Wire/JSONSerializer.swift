// JSON serialization: compact (wire) and pretty (human output).
//
// Strings: `"` and `\` are escaped, control characters use the short escapes (\b \f \n \r \t) or
// \u00XX; everything else (including `/` and non-ASCII) is written as raw UTF-8.
// Numbers: ints as decimal digits; doubles in Swift's shortest round-trip form ("1.5", "1e-07",
// "1.0" for integral doubles, so they re-parse as doubles); non-finite doubles become `null`.

extension JSONValue {
    /// Compact serialization (no insignificant whitespace).
    public func serialized() -> String {
        String(decoding: serializedBytes(), as: UTF8.self)
    }

    /// Compact serialization as UTF-8 bytes.
    public func serializedBytes() -> [UInt8] {
        var writer = JSONWriter(indent: nil)
        writer.write(self, level: 0)
        return writer.out
    }

    /// Multi-line serialization indented by `indent` spaces per level (`"key": value`).
    public func pretty(indent: Int = 2) -> String {
        var writer = JSONWriter(indent: max(0, indent))
        writer.write(self, level: 0)
        return String(decoding: writer.out, as: UTF8.self)
    }
}

extension JSONObject {
    /// Compact serialization of the object.
    public func serialized() -> String { JSONValue.object(self).serialized() }
}

struct JSONWriter {
    var out: [UInt8] = []
    let indent: Int?

    init(indent: Int?) {
        self.indent = indent
        out.reserveCapacity(256)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    mutating func write(_ value: JSONValue, level: Int) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .int(let i): append(String(i))
        case .double(let d): writeDouble(d)
        case .string(let s): writeString(s)
        case .array(let elements):
            if elements.isEmpty {
                append("[]")
                return
            }
            out.append(ASCII.lbracket)
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(ASCII.comma) }
                newline(level + 1)
                write(element, level: level + 1)
            }
            newline(level)
            out.append(ASCII.rbracket)
        case .object(let object):
            if object.isEmpty {
                append("{}")
                return
            }
            out.append(ASCII.lbrace)
            var first = true
            for (key, member) in object {
                if !first { out.append(ASCII.comma) }
                first = false
                newline(level + 1)
                writeString(key)
                out.append(ASCII.colon)
                if indent != nil { out.append(ASCII.space) }
                write(member, level: level + 1)
            }
            newline(level)
            out.append(ASCII.rbrace)
        }
    }

    @inline(__always) private mutating func newline(_ level: Int) {
        guard let indent else { return }
        out.append(ASCII.lf)
        out.append(contentsOf: repeatElement(ASCII.space, count: indent * level))
    }

    @inline(__always) private mutating func append(_ s: String) {
        out.append(contentsOf: s.utf8)
    }

    private mutating func writeDouble(_ d: Double) {
        guard d.isFinite else {
            append("null")
            return
        }
        // Swift's description is the shortest representation that round-trips, and is valid JSON
        // for finite values ("1.0", "0.1", "1e-07", "1e+20", "-0.0").
        append(d.description)
    }

    mutating func writeString(_ s: String) {
        out.append(ASCII.quote)
        var s = s
        s.withUTF8 { bytes in
            var runStart = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                guard b < 0x20 || b == ASCII.quote || b == ASCII.backslash else { continue }
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                runStart = i + 1
                out.append(ASCII.backslash)
                switch b {
                case ASCII.quote: out.append(ASCII.quote)
                case ASCII.backslash: out.append(ASCII.backslash)
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                case ASCII.lf: out.append(UInt8(ascii: "n"))
                case ASCII.cr: out.append(UInt8(ascii: "r"))
                case ASCII.tab: out.append(UInt8(ascii: "t"))
                default:
                    out.append(contentsOf: [UInt8(ascii: "u"), ASCII.zero, ASCII.zero])
                    out.append(Self.hex[Int(b >> 4)])
                    out.append(Self.hex[Int(b & 0xF)])
                }
            }
            if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count])) }
        }
        out.append(ASCII.quote)
    }
}
