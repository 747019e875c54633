import Foundation

/// Writes `Node` trees as YAML in kubectl's style: two-space indent, sequences at their key's
/// indent, keys in the tree's order, and strings quoted only when a YAML 1.1 or 1.2 reader
/// could take them for something else.
public enum YAMLWriter {
    /// One or more documents, separated by `---`.
    public static func write(_ documents: [Node]) -> String {
        var out = ""
        for (i, doc) in documents.enumerated() {
            if i > 0 { out += "---\n" }
            out += write(doc)
        }
        return out
    }

    /// One document.
    public static func write(_ node: Node) -> String {
        var out = ""
        switch node.value {
        case .object(let entries) where !entries.isEmpty:
            writeObject(entries, indent: 0, into: &out)
        case .array(let items) where !items.isEmpty:
            writeArray(items, indent: 0, into: &out)
        default:
            out += scalar(node, indent: 0) + "\n"
        }
        return out
    }

    static func writeObject(_ entries: [Node.Entry], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for e in entries {
            out += pad + key(e.key) + ":"
            writeValue(e.value, indent: indent, sequenceAtSameIndent: true, into: &out)
        }
    }

    static func writeArray(_ items: [Node], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in items {
            out += pad + "-"
            switch item.value {
            case .object(let entries) where !entries.isEmpty:
                // First key on the dash line, the rest aligned under it.
                var nested = ""
                writeObject(entries, indent: indent + 2, into: &nested)
                out += " " + nested.dropFirst(indent + 2)
            case .array(let inner) where !inner.isEmpty:
                out += "\n"
                writeArray(inner, indent: indent + 2, into: &out)
            default:
                out += " " + scalar(item, indent: indent + 2) + "\n"
            }
        }
    }

    static func writeValue(_ value: Node, indent: Int, sequenceAtSameIndent: Bool, into out: inout String) {
        switch value.value {
        case .object(let entries) where !entries.isEmpty:
            out += "\n"
            writeObject(entries, indent: indent + 2, into: &out)
        case .array(let items) where !items.isEmpty:
            out += "\n"
            writeArray(items, indent: sequenceAtSameIndent ? indent : indent + 2, into: &out)
        default:
            out += " " + scalar(value, indent: indent + 2) + "\n"
        }
    }

    static func key(_ k: String) -> String {
        needsQuotes(k) ? singleQuoted(k) ?? doubleQuoted(k) : k
    }

    static func scalar(_ node: Node, indent: Int) -> String {
        switch node.value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return formatDouble(d)
        case .string(let s): return string(s, indent: indent)
        case .array: return "[]"
        case .object: return "{}"
        }
    }

    static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
        if d.rounded() == d && abs(d) < 1e15 { return String(Int(d)) + ".0" }
        return String(d)
    }

    static func string(_ s: String, indent: Int) -> String {
        // Multi-line text reads best as a literal block, when it round-trips exactly.
        if s.contains("\n"), blockSafe(s) {
            let pad = String(repeating: " ", count: indent)
            let chomp = s.hasSuffix("\n") ? (s.hasSuffix("\n\n") ? "|+" : "|") : "|-"
            var body = s
            if body.hasSuffix("\n") { body.removeLast() }
            let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? "" : pad + $0 }
            return chomp + "\n" + lines.joined(separator: "\n")
        }
        if !needsQuotes(s) { return s }
        return singleQuoted(s) ?? doubleQuoted(s)
    }

    /// A literal block keeps text exactly unless lines start with spaces (indent ambiguity),
    /// hold control characters, or end in spaces.
    static func blockSafe(_ s: String) -> Bool {
        if s.first == " " || s.hasSuffix("\n\n\n") { return false }
        for line in s.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.last == " " || line.last == "\t" { return false }
            if line.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" }) { return false }
        }
        return true
    }

    static func singleQuoted(_ s: String) -> String? {
        if s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{FEFF}" }) { return nil }
        return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
    }

    static func doubleQuoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F || u == "\u{FEFF}" {
                    out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// Words YAML 1.1 readers (go-yaml v2, as in older kubectl) take as booleans or null.
    static let reserved: Set<String> = [
        "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
        ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf", ".nan", ".NaN", ".NAN", "<<", "=",
    ]

    static func needsQuotes(_ s: String) -> Bool {
        if reserved.contains(s) { return true }
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return true }
        if " \t".unicodeScalars.contains(last) || " \t".unicodeScalars.contains(first) { return true }
        // Indicators that start something other than a plain scalar.
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) {
            // `-foo` and `:foo` are plain in block context only in some readers; quote them all.
            return true
        }
        if first == "+" || first == "." || (first.value >= 0x30 && first.value <= 0x39) {
            // Anything number-like (ints, floats, octal, hex, sexagesimal, dates) stays a string.
            return true
        }
        for u in s.unicodeScalars where u.value < 0x20 || u.value == 0x7F || u == "\u{FEFF}" || u == "\u{85}" || u == "\u{2028}" || u == "\u{2029}" {
            return true
        }
        if s.contains(": ") || s.contains(" #") || s.hasSuffix(":") { return true }
        return false
    }
}
