// Encoding of values mirrored into `Mcp-Name` / `Mcp-Param-*` headers (2026-07-28).
//
// A value is sent as-is when it is printable ASCII (0x20–0x7E) without leading or trailing space
// and does not itself look like the encoded form; otherwise it is sent as
// `=?base64?<standard base64 of the UTF-8 bytes>?=` (markers are case-sensitive).

/// Header value encoding for `Mcp-Name` and `Mcp-Param-*`.
public enum MCPHeaderValue {
    static let prefix = "=?base64?"
    static let suffix = "?="

    /// Whether `value` can be sent as a plain header value.
    public static func isPlain(_ value: String) -> Bool {
        let utf8 = value.utf8
        guard utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else { return false }
        if utf8.first == ASCII.space || utf8.last == ASCII.space { return false }
        // Anything that could be mistaken for an encoded value is encoded.
        if value.hasPrefix("=?") && value.hasSuffix("?=") { return false }
        return true
    }

    /// The header form of `value`.
    public static func encode(_ value: String) -> String {
        isPlain(value) ? value : prefix + Base64.encode(Array(value.utf8)) + suffix
    }

    /// The value carried by a header: decoded when in the `=?base64?…?=` form (nil when that
    /// form holds invalid base64 or invalid UTF-8), otherwise the header text unchanged.
    public static func decode(_ header: String) -> String? {
        guard header.hasPrefix(prefix), header.hasSuffix(suffix),
              header.utf8.count >= prefix.utf8.count + suffix.utf8.count
        else { return header }
        let body = header.utf8.dropFirst(prefix.utf8.count).dropLast(suffix.utf8.count)
        guard let bytes = Base64.decode(body) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.utf8.elementsEqual(bytes) ? text : nil  // invalid UTF-8 would have become U+FFFD
    }
}

/// Minimal RFC 4648 base64 (standard alphabet) so the core does not need Foundation.
enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// Padded base64 of `bytes`.
    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes standard base64; padding is optional, but if present it must be correct. Returns
    /// nil for characters outside the alphabet, bad padding, or non-zero trailing bits.
    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        var chars = Array(text)
        if chars.count % 4 == 0, chars.last == UInt8(ascii: "=") {
            chars.removeLast()
            if chars.last == UInt8(ascii: "=") { chars.removeLast() }
        }
        guard chars.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for c in chars {
            let v = reverse[Int(c)]
            guard v != 0xFF else { return nil }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                acc &= (1 << UInt32(bits)) - 1
            }
        }
        guard acc == 0 else { return nil }  // leftover bits must be zero (canonical encoding)
        return out
    }
}
