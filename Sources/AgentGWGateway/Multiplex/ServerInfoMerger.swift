import AgentGWMCP

/// Builds the gateway's own `initialize` / `server/discover` answer from each target's.
public enum ServerInfoMerger {
    /// The union of the targets' server capabilities.
    ///
    /// A capability appears when at least one target has it (so capabilities no target has are
    /// dropped). Objects are merged member by member, recursively; booleans are OR-ed (so
    /// `tools.listChanged`, `resources.subscribe`, `resources.listChanged` are true if any target's is);
    /// for other values the first target's wins. Non-object entries in `caps` are ignored.
    public static func mergeCapabilities(_ caps: [JSONValue]) -> JSONValue {
        var merged = JSONObject()
        for case .object(let c) in caps {
            merged = union(merged, c)
        }
        return .object(merged)
    }

    private static func union(_ a: JSONObject, _ b: JSONObject) -> JSONObject {
        var out = a
        for (key, value) in b {
            switch (out[key], value) {
            case (nil, _):
                out[key] = value
            case (.object(let x)?, .object(let y)):
                out[key] = .object(union(x, y))
            case (.bool(let x)?, .bool(let y)):
                out[key] = .bool(x || y)
            case (.null?, _):
                out[key] = value
            default:
                break
            }
        }
        return out
    }

    /// The protocol version to answer with: the client's requested version if every target supports
    /// it, else the highest version every target supports; nil when they share none (or there are no
    /// targets).
    ///
    /// Only well-formed versions count (the legacy revisions and `YYYY-MM-DD` ≥ 2026-07-28, see
    /// ``MCPProtocol/era(of:)``); ordering is by date: … > 2026-07-28 > 2025-11-25 > 2025-06-18 >
    /// 2025-03-26 > 2024-11-05. Pass `era` to consider only that era's versions (e.g. `.legacy` when
    /// answering `initialize`).
    ///
    /// A legacy `initialize` returns one version, not a list: see ``assumedSupported(negotiated:)``.
    public static func commonVersion(_ perTarget: [[String]], clientRequested: String?, era: MCPEra? = nil) -> String? {
        guard let first = perTarget.first else { return nil }
        func usable(_ v: String) -> Bool {
            guard let e = MCPProtocol.era(of: v) else { return false }
            return era == nil || e == era
        }
        var common = Set(first.filter(usable))
        for versions in perTarget.dropFirst() { common.formIntersection(versions) }
        if let clientRequested, common.contains(clientRequested) { return clientRequested }
        return common.max()  // same-length ISO dates order as strings
    }

    /// The versions a legacy target that answered `initialize` with `negotiated` is assumed to
    /// support: that version and every older legacy revision (the SDKs accept all earlier revisions).
    /// A modern version (from `server/discover`) maps to itself. Unknown strings map to themselves.
    public static func assumedSupported(negotiated: String) -> [String] {
        guard MCPProtocol.era(of: negotiated) == .legacy else { return [negotiated] }
        return MCPProtocol.legacyVersions.filter { $0 <= negotiated }
    }

    /// The targets' instructions joined as `"[target] text"` blocks separated by a blank line, in the
    /// order given; targets with no or blank instructions are skipped; nil when none has any.
    public static func instructions(_ perTarget: [(target: String, text: String?)]) -> String? {
        let blocks = perTarget.compactMap { entry -> String? in
            guard let text = entry.text, text.contains(where: { !$0.isWhitespace }) else { return nil }
            return "[\(entry.target)] \(text)"
        }
        return blocks.isEmpty ? nil : blocks.joined(separator: "\n\n")
    }
}
