/// Writes `Node` trees as JSON in kubectl's `-o json` style (four-space indent, keys in order).
public enum JSONWriter {
    public static func write(_ node: Node, indent: Int? = 4) -> String {
        var out = ""
        write(node, level: 0, indent: indent, into: &out)
        return out
    }

    static func write(_ node: Node, level: Int, indent: Int?, into out: inout String) {
        let newline = indent == nil ? "" : "\n"
        func pad(_ l: Int) -> String { indent.map { String(repeating: " ", count: $0 * l) } ?? "" }
        let colon = indent == nil ? ":" : ": "
        switch node.value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            // JSON has no NaN or infinity; null is what encoders commonly emit.
            if d.isFinite { out += d.rounded() == d && abs(d) < 1e15 ? String(Int(d)) : String(d) } else { out += "null" }
        case .string(let s): quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[" + newline
            for (i, item) in items.enumerated() {
                out += pad(level + 1)
                write(item, level: level + 1, indent: indent, into: &out)
                out += (i < items.count - 1 ? "," : "") + newline
            }
            out += pad(level) + "]"
        case .object(let entries):
            if entries.isEmpty { out += "{}"; return }
            out += "{" + newline
            for (i, e) in entries.enumerated() {
                out += pad(level + 1)
                quote(e.key, into: &out)
                out += colon
                write(e.value, level: level + 1, indent: indent, into: &out)
                out += (i < entries.count - 1 ? "," : "") + newline
            }
            out += pad(level) + "}"
        }
    }

    public static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
