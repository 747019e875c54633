import AgentGWModel

/// YAML exactly as kubectl writes objects (sigs.k8s.io/yaml on go-yaml v2), so `diff` files
/// read like kubectl's: keys sorted, sequences at their key's indent, and go-yaml's quoting.
/// Strings a YAML 1.1 reader would take for something else (numbers, booleans, null,
/// timestamps) are double-quoted; strings plain style can't hold are single-quoted.
public enum KubectlYAML {
    public static func write(_ node: Node) -> String {
        var out = ""
        let sorted = sortKeys(node)
        switch sorted.value {
        case .object(let e) where !e.isEmpty: object(e, indent: 0, into: &out)
        case .array(let a) where !a.isEmpty: array(a, indent: 0, into: &out)
        default: out += scalar(sorted, indent: 0) + "\n"
        }
        return out
    }

    /// Keys sorted by bytes at every level, as Go's JSON maps come out.
    public static func sortKeys(_ n: Node) -> Node {
        switch n.value {
        case .object(let entries):
            return Node(.object(entries.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
                .map { Node.Entry(key: $0.key, value: sortKeys($0.value)) }))
        case .array(let items): return Node(.array(items.map(sortKeys)))
        default: return Node(n.value)
        }
    }

    static func object(_ entries: [Node.Entry], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for e in entries {
            out += pad + string(e.key, indent: indent) + ":"
            switch e.value.value {
            case .object(let inner) where !inner.isEmpty:
                out += "\n"
                object(inner, indent: indent + 2, into: &out)
            case .array(let items) where !items.isEmpty:
                out += "\n"
                array(items, indent: indent, into: &out)
            default:
                out += " " + scalar(e.value, indent: indent + 2) + "\n"
            }
        }
    }

    static func array(_ items: [Node], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in items {
            out += pad + "-"
            switch item.value {
            case .object(let entries) where !entries.isEmpty:
                var nested = ""
                object(entries, indent: indent + 2, into: &nested)
                out += " " + nested.dropFirst(indent + 2)
            case .array(let inner) where !inner.isEmpty:
                var nested = ""
                array(inner, indent: indent + 2, into: &nested)
                out += " " + nested.dropFirst(indent + 2)
            default:
                out += " " + scalar(item, indent: indent + 2) + "\n"
            }
        }
    }

    static func scalar(_ n: Node, indent: Int) -> String {
        switch n.value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d):
            if d.isNaN { return ".nan" }
            if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
            if d.rounded() == d && abs(d) < 1e21 { return String(Int64(d)) }
            return String(d)
        case .string(let s): return string(s, indent: indent)
        case .array: return "[]"
        case .object: return "{}"
        }
    }

    // MARK: - Strings, as go-yaml v2's encoder and emitter choose their style

    static func string(_ s: String, indent: Int) -> String {
        if s.contains("\n") {
            if let literal = literal(s, indent: indent) { return literal }
            return doubleQuoted(s)
        }
        if resolvesToNonString(s) { return doubleQuoted(s) }
        if s.unicodeScalars.contains(where: { !printable($0) }) { return doubleQuoted(s) }
        return plainAllowed(s) ? s : singleQuoted(s)
    }

    /// `|`, `|-` or `|+` blocks, used when every line is printable and the first line doesn't
    /// start with a space (go-yaml would add an indentation indicator; we fall back to quotes).
    static func literal(_ s: String, indent: Int) -> String? {
        guard s.first != " ", s.unicodeScalars.allSatisfy({ $0 == "\n" || printable($0) }) else { return nil }
        let chomp = s.hasSuffix("\n") ? (s.hasSuffix("\n\n") ? "|+" : "|") : "|-"
        var body = s
        if body.hasSuffix("\n") { body.removeLast() }
        let pad = String(repeating: " ", count: indent)
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }
        return chomp + "\n" + lines.joined(separator: "\n")
    }

    static func printable(_ c: Unicode.Scalar) -> Bool {
        // libyaml's IS_PRINTABLE: no control characters (not even tab) except NEL.
        let v = c.value
        if v < 0x20 || v == 0x7F { return false }
        if (0x80...0x9F).contains(v) && v != 0x85 { return false }
        if v == 0xFEFF || v == 0xFFFE || v == 0xFFFF { return false }
        return true
    }

    /// go-yaml v2's resolve(): YAML 1.1 booleans, null, ints, floats, base-60 numbers and timestamps.
    static func resolvesToNonString(_ s: String) -> Bool {
        if s.isEmpty { return true }
        let words: Set<String> = ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE",
                                  "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
                                  "~", "null", "Null", "NULL", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
                                  "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", "<<"]
        if words.contains(s) { return true }
        guard let first = s.unicodeScalars.first, "+-.0123456789".unicodeScalars.contains(first) else { return false }
        return s.wholeMatch(of: /[-+]?[0-9_]+/) != nil
            || s.wholeMatch(of: /[-+]?0b[01_]+/) != nil
            || s.wholeMatch(of: /[-+]?0x[0-9a-fA-F_]+/) != nil
            || s.wholeMatch(of: /[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?/) != nil
            || s.wholeMatch(of: /[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?/) != nil
            || s.wholeMatch(of: /[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/) != nil
            || s.wholeMatch(of: /[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?/) != nil
    }

    /// The emitter's analyze_scalar for block context.
    static func plainAllowed(_ s: String) -> Bool {
        let chars = Array(s.unicodeScalars)
        guard let first = chars.first, let last = chars.last else { return false }
        if first == " " || last == " " || first == "\t" || last == "\t" { return false }
        if s.hasPrefix("---") || s.hasPrefix("...") { return false }
        for (i, c) in chars.enumerated() {
            let next: Unicode.Scalar? = i + 1 < chars.count ? chars[i + 1] : nil
            let followedBySpace = next == nil || next == " " || next == "\t"
            if i == 0 {
                switch c {
                case "#", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`": return false
                case "?", ":", "-": if followedBySpace { return false }
                default: break
                }
            } else {
                switch c {
                case ":": if followedBySpace { return false }
                case "#": if chars[i - 1] == " " || chars[i - 1] == "\t" { return false }
                default: break
                }
            }
        }
        return true
    }

    static func singleQuoted(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
    }

    static func doubleQuoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\0": out += "\\0"
            default:
                if printable(c) {
                    out.unicodeScalars.append(c)
                } else if c.value <= 0xFF {
                    out += "\\x" + hex(c.value, 2)
                } else {
                    out += "\\u" + hex(c.value, 4)
                }
            }
        }
        return out + "\""
    }

    static func hex(_ v: UInt32, _ width: Int) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - h.count)) + h
    }
}
