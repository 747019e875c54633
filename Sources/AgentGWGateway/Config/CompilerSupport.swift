import AgentGWModel
import Foundation

/// Gateway API durations (`1h2m3s4ms`: 1 to 4 groups of up to 5 digits with `h`, `m`, `s` or `ms`).
public enum GatewayDuration {
    /// The duration written in Gateway API format, or nil when the text is not one.
    public static func parse(_ text: String) -> Duration? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        var i = 0, groups = 0
        var totalMilliseconds: Int64 = 0
        while i < bytes.count {
            var digits = 0
            var value: Int64 = 0
            while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
                value = value * 10 + Int64(bytes[i] - UInt8(ascii: "0"))
                digits += 1
                i += 1
            }
            guard (1...5).contains(digits), i < bytes.count else { return nil }
            let unit: Int64
            switch bytes[i] {
            case UInt8(ascii: "h"): unit = 3_600_000; i += 1
            case UInt8(ascii: "s"): unit = 1_000; i += 1
            case UInt8(ascii: "m"):
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "s") { unit = 1; i += 2 } else { unit = 60_000; i += 1 }
            default: return nil
            }
            totalMilliseconds += value * unit
            groups += 1
            if groups > 4 { return nil }
        }
        return .milliseconds(totalMilliseconds)
    }

    /// Like `parse`; a zero duration ("0s") is kept, and means the timeout is disabled, so it
    /// also overrides a lower-precedence value and the flag default.
    static func timeout(_ text: String?) -> Duration? {
        guard let text, let d = parse(text) else { return nil }
        return d
    }

    /// `1m30s`-style text for /config.
    static func format(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        if ms == 0 { return "0s" }
        var out = ""
        var rest = ms
        for (unit, size) in [("h", Int64(3_600_000)), ("m", 60_000), ("s", 1000), ("ms", 1)] where rest >= size {
            out += "\(rest / size)\(unit)"
            rest %= size
        }
        return out
    }
}

/// Checks that keep filter and Backend header edits from smuggling extra header lines.
enum HeaderSafety {
    /// An RFC 9110 token: the characters a header name may use.
    static func isToken(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { b in
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return "!#$%&'*+-.^_`|~".utf8.contains(b)
            }
        }
    }

    /// A field value without CR, LF, NUL or other control characters (tab allowed).
    static func isSafeValue(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
    }
}

/// Reads a Secret's values from its manifest. `SecretResource` deliberately exposes key names
/// only; values read here go into `RuntimeConfig` and nowhere else (never into diagnostics).
struct SecretValues {
    let key: ObjectKey
    /// Key name → value bytes, in manifest order (`stringData` wins over `data` for one key).
    let entries: [(name: String, value: [UInt8])]

    init(_ manifest: Manifest, defaultNamespace: String) {
        key = manifest.key(defaultNamespace: defaultNamespace)
        var entries: [(name: String, value: [UInt8])] = []
        func put(_ name: String, _ value: [UInt8]) {
            if let i = entries.firstIndex(where: { $0.name == name }) { entries[i].value = value } else { entries.append((name, value)) }
        }
        for e in manifest.node["data"]?.entries ?? [] {
            let text = (e.value.string ?? "").filter { !$0.isWhitespace }
            put(e.key, Data(base64Encoded: text).map { [UInt8]($0) } ?? [])
        }
        for e in manifest.node["stringData"]?.entries ?? [] {
            put(e.key, Array((e.value.string ?? "").utf8))
        }
        self.entries = entries
    }

    func value(_ name: String) -> [UInt8]? { entries.first(where: { $0.name == name })?.value }

    /// The non-empty values (API keys).
    var nonEmptyValues: [[UInt8]] { entries.map(\.value).filter { !$0.isEmpty } }
}

/// Hostname intersection of a listener and a route, as the Gateway API defines it.
enum HostnameIntersection {
    /// Whether `pattern` (exact, or `*.suffix`) accepts `host` (which may itself be a wildcard,
    /// accepted when it is as specific or more).
    static func accepts(_ pattern: String, _ host: String) -> Bool {
        if pattern == host { return true }
        guard pattern.hasPrefix("*.") else { return false }
        let suffix = pattern.dropFirst(1)
        return host.hasSuffix(suffix) && host.count > suffix.count
    }

    /// The effective hostnames of a route attached through a listener: `[]` means any host,
    /// nil means none intersect (the route does not attach through this listener).
    static func effective(listener: String?, route: [String]) -> [String]? {
        guard !route.isEmpty else { return listener.map { [$0] } ?? [] }
        guard let listener else { return route }
        var out: [String] = []
        for r in route {
            let h: String?
            if accepts(listener, r) { h = r } else if accepts(r, listener) { h = listener } else { h = nil }
            if let h, !out.contains(h) { out.append(h) }
        }
        return out.isEmpty ? nil : out
    }
}

/// A Kubernetes label selector (`matchLabels`, `matchExpressions` with In, NotIn, Exists,
/// DoesNotExist), as `allowedRoutes.namespaces.selector` uses it. An empty selector matches
/// everything; an unknown operator matches nothing.
public enum LabelSelector {
    public static func matches(_ selector: Node?, labels: [String: String]) -> Bool {
        guard let selector, !selector.isNull else { return true }
        for e in selector["matchLabels"]?.entries ?? [] where labels[e.key] != e.value.string { return false }
        for expr in selector["matchExpressions"]?.array ?? [] {
            let key = expr["key"]?.string ?? ""
            let values = Set(expr["values"]?.array?.compactMap(\.string) ?? [])
            switch expr["operator"]?.string ?? "" {
            case "In": guard let v = labels[key], values.contains(v) else { return false }
            case "NotIn": if let v = labels[key], values.contains(v) { return false }
            case "Exists": guard labels[key] != nil else { return false }
            case "DoesNotExist": guard labels[key] == nil else { return false }
            default: return false
            }
        }
        return true
    }
}
