/// The string `format`s the API server checks (kube-openapi's `strfmt`). Formats not listed here
/// (`int32`, `int64`, `duration`, `hostname`, `uri`…) are accepted, so we never reject what the
/// API server would take.
enum Formats {
    static func valid(_ s: String, format: String) -> Bool {
        switch format {
        case "ipv4": return s.contains(".") && parseIP(s)
        case "ipv6": return s.contains(":") && parseIP(s)
        case "date-time", "datetime": return dateTime?.matches(s) ?? true
        case "date": return date?.matches(s) ?? true
        case "uuid": return uuid?.matches(s) ?? true
        case "byte": return isBase64(s)
        default: return true
        }
    }

    // Lenient on purpose (optional seconds, space separator): never reject what the server takes.
    static let dateTime = GoRegex(#"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$"#)
    static let date = GoRegex(#"^\d{4}-\d{2}-\d{2}$"#)
    static let uuid = GoRegex(#"^(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$"#)

    /// Go `net.ParseIP` in its sloppy form (leading zeros in IPv4 octets allowed), as
    /// Kubernetes' `netutils.ParseIPSloppy`.
    static func parseIP(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        if !bytes.contains(UInt8(ascii: ":")) { return parseIPv4(bytes[...]) }
        return parseIPv6(bytes)
    }

    static func parseIPv4(_ b: ArraySlice<UInt8>) -> Bool {
        var parts = 0, value = 0, digits = 0
        for c in b {
            if c == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return false }
                parts += 1; value = 0; digits = 0
            } else if c >= 0x30 && c <= 0x39 {
                value = value * 10 + Int(c - 0x30); digits += 1
                guard digits <= 3, value <= 255 else { return false }
            } else {
                return false
            }
        }
        return parts == 3 && digits > 0
    }

    static func parseIPv6(_ b: [UInt8]) -> Bool {
        var groups = 0
        var ellipsis = false
        var i = 0
        let n = b.count
        if n >= 2, b[0] == UInt8(ascii: ":"), b[1] == UInt8(ascii: ":") {
            ellipsis = true
            i = 2
            if i == n { return true }
        }
        while i < n {
            // One group: hex digits, or a trailing dotted IPv4 worth two groups.
            var j = i
            while j < n, isHex(b[j]), j - i < 5 { j += 1 }
            if j < n, b[j] == UInt8(ascii: ".") {
                guard groups <= 6, parseIPv4(b[i...]) else { return false }
                groups += 2
                i = n
                break
            }
            guard j > i, j - i <= 4 else { return false }
            groups += 1
            i = j
            if i == n { break }
            guard b[i] == UInt8(ascii: ":"), groups < 8 else { return false }
            i += 1
            if i < n, b[i] == UInt8(ascii: ":") {
                guard !ellipsis else { return false }
                ellipsis = true
                i += 1
                if i == n { break }
            } else if i == n {
                return false  // a single trailing colon
            }
        }
        return ellipsis ? groups < 8 : groups == 8
    }

    static func isHex(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
    }

    static func isBase64(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count % 4 == 0 else { return false }
        var padding = 0
        for (i, c) in b.enumerated() {
            if c == UInt8(ascii: "=") {
                padding += 1
                guard i >= b.count - 2 else { return false }
            } else {
                guard padding == 0 else { return false }
                let ok = (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
                    || c == UInt8(ascii: "+") || c == UInt8(ascii: "/")
                guard ok else { return false }
            }
        }
        return true
    }
}
