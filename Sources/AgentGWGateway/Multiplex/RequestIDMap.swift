import AgentGWMCP

/// Maps client request ids to per-target upstream ids and back, so responses, `notifications/progress`
/// (when keyed by request) and `notifications/cancelled` can be translated across a fan-out.
///
/// Upstream ids are strings `"<prefix><n>"` with one counter for the whole map, so they are unique
/// across targets and never collide with each other even when two clients used the same id. The same
/// `(client id, target)` pair always maps to the same upstream id until ``forget(client:)``.
/// A value type: the owner (one per client session) serializes access.
public struct RequestIDMap: Sendable {
    private struct Key: Hashable, Sendable {
        var id: JSONRPCID
        var target: String
    }

    /// Prefix of generated upstream ids.
    public let prefix: String
    private var next = 1
    private var forward: [Key: JSONRPCID] = [:]
    private var backward: [Key: JSONRPCID] = [:]
    private var targetsByClient: [JSONRPCID: [String]] = [:]

    public init(prefix: String = "agw-") {
        self.prefix = prefix
    }

    /// Number of live `(client id, target)` mappings.
    public var count: Int { forward.count }

    /// The upstream id for `client` sent to `target`, allocating one on first use.
    public mutating func upstream(for client: JSONRPCID, target: String) -> JSONRPCID {
        let key = Key(id: client, target: target)
        if let existing = forward[key] { return existing }
        let id = JSONRPCID.string("\(prefix)\(next)")
        next += 1
        forward[key] = id
        backward[Key(id: id, target: target)] = client
        targetsByClient[client, default: []].append(target)
        return id
    }

    /// The existing upstream id for `client` at `target`, without allocating.
    public func existingUpstream(for client: JSONRPCID, target: String) -> JSONRPCID? {
        forward[Key(id: client, target: target)]
    }

    /// Every `(target, upstream id)` a client request fanned out to (e.g. to forward a cancellation).
    public func upstreams(for client: JSONRPCID) -> [(target: String, id: JSONRPCID)] {
        (targetsByClient[client] ?? []).compactMap { t in forward[Key(id: client, target: t)].map { (t, $0) } }
    }

    /// The client id an upstream id from `target` answers, or nil if unknown (or forgotten).
    public func client(for upstream: JSONRPCID, target: String) -> JSONRPCID? {
        backward[Key(id: upstream, target: target)]
    }

    /// Drops every mapping of `client` (call when its last response went out or it was cancelled).
    public mutating func forget(client: JSONRPCID) {
        guard let targets = targetsByClient.removeValue(forKey: client) else { return }
        for t in targets {
            if let up = forward.removeValue(forKey: Key(id: client, target: t)) {
                backward.removeValue(forKey: Key(id: up, target: t))
            }
        }
    }

    // MARK: Server → client requests (legacy sampling / elicitation / roots)

    /// Stateless, reversible id for a request a target sends to the client through the gateway:
    /// `"agw_<target>_n_<int>"` or `"agw_<target>_s_<string>"` (agentgateway's scheme). The client
    /// answers with that id; ``decodeServerRequestID(_:)`` recovers the target and its original id.
    public static func encodeServerRequestID(_ id: JSONRPCID, target: String) -> JSONRPCID {
        switch id {
        case .int(let i): return .string("agw_\(target)_n_\(i)")
        case .string(let s): return .string("agw_\(target)_s_\(s)")
        }
    }

    /// The target and original id of an id made by ``encodeServerRequestID(_:target:)``; nil for any
    /// other id. Target names contain no `_`, so the target ends at the second `_`.
    public static func decodeServerRequestID(_ id: JSONRPCID) -> (target: String, id: JSONRPCID)? {
        guard case .string(let s) = id, s.hasPrefix("agw_") else { return nil }
        let rest = s.dropFirst(4)
        guard let cut = rest.firstIndex(of: "_") else { return nil }
        let target = String(rest[..<cut])
        let tail = rest[rest.index(after: cut)...]
        guard !target.isEmpty, tail.count >= 2, tail.dropFirst().first == "_" else { return nil }
        let value = String(tail.dropFirst(2))
        switch tail.first {
        case "n":
            guard let i = Int(value) else { return nil }
            return (target, .int(i))
        case "s":
            return (target, .string(value))
        default:
            return nil
        }
    }
}
