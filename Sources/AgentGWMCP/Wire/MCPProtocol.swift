// MCP protocol constants: revisions and eras, `_meta` keys, header names, and helpers for the
// modern (2026-07-28) request envelope.

/// The two protocol eras: `legacy` (handshake + sessions, ≤ 2025-11-25) and `modern` (stateless,
/// 2026-07-28 and later).
public enum MCPEra: String, Sendable, CaseIterable {
    case legacy
    case modern
}

/// Protocol revisions, `_meta` keys and HTTP header names.
public enum MCPProtocol {
    /// The modern (stateless) revision.
    public static let modernVersion = "2026-07-28"
    /// Handshake-era revisions, newest first.
    public static let legacyVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
    /// The newest handshake-era revision (what a legacy client offers in `initialize`).
    public static let latestLegacy = "2025-11-25"
    /// What a server should assume when a legacy request has no `MCP-Protocol-Version` header.
    public static let defaultLegacyVersion = "2025-03-26"

    /// `_meta` key carrying the protocol version on every modern request.
    public static let metaProtocolVersion = "io.modelcontextprotocol/protocolVersion"
    /// `_meta` key carrying the client capabilities on every modern request.
    public static let metaClientCapabilities = "io.modelcontextprotocol/clientCapabilities"
    /// `_meta` key carrying the client `Implementation` on modern requests.
    public static let metaClientInfo = "io.modelcontextprotocol/clientInfo"
    /// `_meta` key carrying the server `Implementation` in modern results.
    public static let metaServerInfo = "io.modelcontextprotocol/serverInfo"

    /// `MCP-Protocol-Version` request header.
    public static let headerProtocolVersion = "MCP-Protocol-Version"
    /// `Mcp-Session-Id` header (legacy sessions).
    public static let headerSessionID = "Mcp-Session-Id"
    /// `Mcp-Method` request header (modern).
    public static let headerMethod = "Mcp-Method"
    /// `Mcp-Name` request header (modern): params.name / params.uri, see ``nameParameter(for:)``.
    public static let headerName = "Mcp-Name"
    /// Prefix of `Mcp-Param-{Name}` headers (modern, from `x-mcp-header` schema annotations).
    public static let headerParamPrefix = "Mcp-Param-"
    /// `Last-Event-ID` header for legacy SSE resumption.
    public static let headerLastEventID = "Last-Event-ID"

    /// The era of a protocol version string: a known handshake-era revision → `.legacy`; any
    /// well-formed `YYYY-MM-DD` date on or after ``modernVersion`` → `.modern`; otherwise nil.
    public static func era(of version: String) -> MCPEra? {
        if legacyVersions.contains(version) { return .legacy }
        guard isWellFormedDate(version) else { return nil }
        // Same-length, zero-padded ISO dates compare correctly as strings.
        return version >= modernVersion ? .modern : nil
    }

    /// Whether `s` is `YYYY-MM-DD` with month 01–12 and day 01–31.
    static func isWellFormedDate(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count == 10, b[4] == ASCII.minus, b[7] == ASCII.minus else { return false }
        for i in [0, 1, 2, 3, 5, 6, 8, 9] where !ASCII.isDigit(b[i]) { return false }
        let month = Int(b[5] - ASCII.zero) * 10 + Int(b[6] - ASCII.zero)
        let day = Int(b[8] - ASCII.zero) * 10 + Int(b[9] - ASCII.zero)
        return (1...12).contains(month) && (1...31).contains(day)
    }

    /// The params member mirrored into the `Mcp-Name` header (modern era): `"name"` for
    /// `tools/call` and `prompts/get`, `"uri"` for `resources/read`, nil for other methods.
    public static func nameParameter(for method: String) -> String? {
        switch method {
        case "tools/call", "prompts/get": return "name"
        case "resources/read": return "uri"
        default: return nil
        }
    }

    /// Adds the modern `_meta` envelope (protocol version, client info, client capabilities) to
    /// request params, creating `{"_meta": …}` when params is nil or `null`. Other params keys and
    /// other `_meta` keys are kept; the three MCP keys are replaced. Non-object params (arrays,
    /// scalars) cannot carry `_meta` and are returned unchanged.
    public static func addingModernMeta(to params: JSONValue?, clientInfo: JSONValue, capabilities: JSONValue) -> JSONValue {
        var object: JSONObject
        switch params {
        case nil, .null?: object = JSONObject()
        case .object(let o)?: object = o
        case let other?: return other
        }
        var meta = object["_meta"]?.object ?? JSONObject()
        meta[metaProtocolVersion] = .string(modernVersion)
        meta[metaClientInfo] = clientInfo
        meta[metaClientCapabilities] = capabilities
        object["_meta"] = .object(meta)
        return .object(object)
    }

    /// The protocol version a modern request declares in `params._meta`, if any.
    public static func declaredVersion(in params: JSONValue?) -> String? {
        params?["_meta"]?[metaProtocolVersion]?.string
    }
}

/// Tool name rules from the spec: 1–128 characters of `[A-Za-z0-9_.-]`, case-sensitive.
public enum MCPToolName {
    /// The spec's maximum length.
    public static let maxLength = 128
    /// A stricter length some clients enforce; the probe's strict mode warns above it.
    public static let strictMaxLength = 64

    /// Whether `name` follows the spec's tool name rules.
    public static func isValid(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard (1...maxLength).contains(utf8.count) else { return false }
        return utf8.allSatisfy { b in
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 ASCII.zero...ASCII.nine, UInt8(ascii: "_"), ASCII.dot, ASCII.minus:
                return true
            default:
                return false
            }
        }
    }
}

/// Session id rules: non-empty, visible ASCII 0x21–0x7E only.
public enum MCPSessionID {
    public static func isValid(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }
}
