import AgentGWMCP
import AgentGWModel

/// The four paginated MCP list methods the gateway fans out.
public enum ListKind: String, Sendable, CaseIterable {
    case tools, prompts, resources, resourceTemplates

    /// The result member holding the items: `"tools"`, `"prompts"`, `"resources"`, `"resourceTemplates"`.
    public var field: String { rawValue }

    /// The JSON-RPC method: `tools/list`, `prompts/list`, `resources/list`, `resources/templates/list`.
    public var method: String {
        switch self {
        case .tools: return "tools/list"
        case .prompts: return "prompts/list"
        case .resources: return "resources/list"
        case .resourceTemplates: return "resources/templates/list"
        }
    }

    /// The item member that is rewritten: `"name"` (tools, prompts), `"uri"`, `"uriTemplate"`.
    public var keyField: String {
        switch self {
        case .tools, .prompts: return "name"
        case .resources: return "uri"
        case .resourceTemplates: return "uriTemplate"
        }
    }

    /// Whether the key is a URI (namespaced with ``NameMapper/exposedURI(_:target:)``) rather than a name.
    public var isURI: Bool { self == .resources || self == .resourceTemplates }

    /// The kind for a list method, or nil.
    public init?(method: String) {
        guard let kind = Self.allCases.first(where: { $0.method == method }) else { return nil }
        self = kind
    }
}

/// One target's answer to a list call (or its failure).
public enum TargetPage: Sendable {
    /// The target's items (the raw `result[kind.field]` elements) and its own `nextCursor`.
    case page(items: [JSONValue], nextCursor: String?)
    /// The target failed; the text is for logs only and is never sent to the client.
    case failed(String)
}

/// The merged list page the gateway answers with.
public struct MergeResult: Sendable {
    /// The items, target by target in the order the pages were given, names/URIs rewritten.
    public var items: [JSONValue]
    /// The gateway cursor for the next page, nil when no target has more.
    public var nextCursor: String?
    /// Exposed names/URIs dropped because two targets serve them (`Never`) or a target listed them twice.
    public var droppedDuplicates: [String]
    /// Exposed tool names dropped because prefixing took them past ``ListMerger/maxToolNameLength``.
    public var droppedTooLong: [String]
    /// Targets left out under `FailOpen`.
    public var failedTargets: [String]
    /// Items skipped because they were not objects or lacked a string key (`name`/`uri`/`uriTemplate`).
    public var malformedItems: Int
    /// Exposed name/URI → target for every item returned: the owner index that routes calls in `Never`
    /// mode (see ``NameMapper/route(name:owners:)``).
    public var owners: [String: String]

    /// Everything dropped (duplicates, then too-long names), for one log line.
    public var dropped: [String] { droppedDuplicates + droppedTooLong }

    /// The list result: `{"<kind.field>": items, "nextCursor"?: …}`. The caller adds era-specific
    /// members (`resultType`, `ttlMs`, `cacheScope`; see ``ListMerger/cacheHints(_:)``).
    public func result(kind: ListKind) -> JSONObject {
        var o: JSONObject = [kind.field: .array(items)]
        if let nextCursor { o["nextCursor"] = .string(nextCursor) }
        return o
    }
}

/// Merges per-target list pages into one gateway page, and encodes/decodes the gateway cursor.
///
/// Gateway cursor: base64url (no padding) of the compact JSON object `{"<target>": "<target cursor>"}`
/// holding only targets that have more pages, in Backend order. The next call fans out only to those
/// targets, each with its own cursor (``plan(cursor:mapper:)``); targets absent from the cursor are done.
public enum ListMerger {
    /// Longest tool name the client sees when the gateway prefixes (clients such as VS Code reject more).
    public static let maxToolNameLength = MCPToolName.strictMaxLength
    /// Longest gateway cursor accepted.
    public static let maxCursorLength = 64 * 1024
    /// How many pages per target a `Never`-mode caller should drain before merging (as agentgateway does).
    public static let maxDrainPages = 64

    /// Merges one page from every target.
    ///
    /// * Rewrites each item's key (``ListKind/keyField``) with `mapper` (names or URIs).
    /// * Tools: applies `filters[target]` to the target's own (unprefixed) names; targets without an
    ///   entry are unfiltered. When prefixing, drops names longer than ``maxToolNameLength`` (UTF-8 bytes).
    /// * Drops every copy of an exposed name served by two or more targets (only possible without
    ///   prefixing, i.e. `Never`), and later copies of a name one target lists twice. In `Never` mode,
    ///   cross-target duplicates are only seen within the pages given: drain every target (up to
    ///   ``maxDrainPages``) and pass one page per target for exact results.
    /// * Failed targets: `FailClosed` throws ``MultiplexError/targetFailed(_:reason:)``; `FailOpen`
    ///   leaves them out and lists them in ``MergeResult/failedTargets``. If every target failed, throws
    ///   ``MultiplexError/allTargetsFailed(_:)`` either way.
    public static func merge(kind: ListKind, pages: [(target: String, page: TargetPage)], mapper: NameMapper,
                             filters: [String: ToolMatcher], failure: FailureMode) throws(MultiplexError) -> MergeResult {
        var failed: [String] = []
        var cursors: [(target: String, cursor: String)] = []
        var candidates: [(exposed: String, target: String, item: JSONValue)] = []
        var duplicates: [String] = []
        var tooLong: [String] = []
        var malformed = 0
        let limitNames = kind == .tools && mapper.prefixes

        for (target, page) in pages {
            switch page {
            case .failed(let reason):
                if failure == .failClosed { throw .targetFailed(target, reason: reason) }
                failed.append(target)
            case .page(let items, let next):
                if let next { cursors.append((target, next)) }
                var seen = Set<String>()
                for item in items {
                    guard case .object(var object) = item, let key = object[kind.keyField]?.string else {
                        malformed += 1
                        continue
                    }
                    if kind == .tools, let filter = filters[target], !filter.allows(key) { continue }
                    let exposed = kind.isURI ? mapper.exposedURI(key, target: target) : mapper.exposed(name: key, target: target)
                    if limitNames && exposed.utf8.count > maxToolNameLength {
                        tooLong.append(exposed)
                        continue
                    }
                    guard seen.insert(key).inserted else {
                        duplicates.append(exposed)
                        continue
                    }
                    object[kind.keyField] = .string(exposed)
                    candidates.append((exposed, target, .object(object)))
                }
            }
        }
        if !pages.isEmpty && failed.count == pages.count { throw .allTargetsFailed(failed) }

        // Names served by two or more targets: drop every copy.
        var ownersSeen: [String: String] = [:]
        var contested = Set<String>()
        for c in candidates {
            if let owner = ownersSeen[c.exposed] {
                if owner != c.target { contested.insert(c.exposed) }
            } else {
                ownersSeen[c.exposed] = c.target
            }
        }
        var result = MergeResult(items: [], nextCursor: encodeCursor(cursors), droppedDuplicates: [], droppedTooLong: tooLong,
                                 failedTargets: failed, malformedItems: malformed, owners: [:])
        var reported = Set<String>()
        for name in duplicates where reported.insert(name).inserted { result.droppedDuplicates.append(name) }
        for c in candidates {
            if contested.contains(c.exposed) {
                if reported.insert(c.exposed).inserted { result.droppedDuplicates.append(c.exposed) }
                continue
            }
            result.items.append(c.item)
            result.owners[c.exposed] = c.target
        }
        return result
    }

    // MARK: Cursor

    /// The gateway cursor for targets that have more pages; nil when `cursors` is empty.
    public static func encodeCursor(_ cursors: [(target: String, cursor: String)]) -> String? {
        guard !cursors.isEmpty else { return nil }
        let object = JSONObject(cursors.map { ($0.target, JSONValue.string($0.cursor)) })
        return Base64URL.encode(JSONValue.object(object).serializedBytes())
    }

    /// Decodes a gateway cursor into `target → target cursor`. Anything the gateway could not have
    /// issued (bad base64url, not a non-empty JSON object of strings, too long) throws
    /// ``MultiplexError/invalidCursor(_:)`` (-32602).
    public static func decodeCursor(_ cursor: String) throws(MultiplexError) -> [String: String] {
        guard !cursor.isEmpty, cursor.utf8.count <= maxCursorLength else { throw .invalidCursor("empty or too long") }
        guard let bytes = Base64URL.decode(cursor) else { throw .invalidCursor("not base64url") }
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes, maxDepth: 2)
        } catch {
            throw .invalidCursor("not JSON")
        }
        guard case .object(let object) = value, !object.isEmpty else { throw .invalidCursor("not a non-empty object") }
        var out: [String: String] = [:]
        for (target, v) in object {
            guard case .string(let c) = v else { throw .invalidCursor("cursor for \(target) is not a string") }
            out[target] = c
        }
        return out
    }

    /// Which targets to call for a list request and with which upstream cursor: every target with no
    /// cursor when `cursor` is nil; otherwise only the targets in the decoded cursor, in Backend order.
    /// A cursor naming a target the Backend does not have throws ``MultiplexError/invalidCursor(_:)``.
    public static func plan(cursor: String?, mapper: NameMapper) throws(MultiplexError) -> [(target: String, cursor: String?)] {
        guard let cursor else { return mapper.targets.map { ($0, nil) } }
        let decoded = try decodeCursor(cursor)
        for target in decoded.keys where !mapper.contains(target: target) {
            throw .invalidCursor("unknown target \(target)")
        }
        return mapper.targets.compactMap { t in decoded[t].map { (t, $0) } }
    }

    // MARK: Modern cache hints

    /// Merges the 2026-07-28 list/discover cache hints of the targets' results: the smallest `ttlMs`
    /// any target gave, and `cacheScope` `"private"` if any target said so, `"public"` only if every
    /// result said `"public"`, nil when no result carries a scope.
    public static func cacheHints(_ results: [JSONValue]) -> (ttlMs: Int?, cacheScope: String?) {
        var ttl: Int? = nil
        var scopes: [String?] = []
        for r in results {
            if let t = r["ttlMs"]?.int, t >= 0 { ttl = min(ttl ?? t, t) }
            scopes.append(r["cacheScope"]?.string)
        }
        let scope: String?
        if scopes.allSatisfy({ $0 == nil }) {
            scope = nil
        } else if !scopes.isEmpty && scopes.allSatisfy({ $0 == "public" }) {
            scope = "public"
        } else {
            scope = "private"
        }
        return (ttl, scope)
    }
}
