import AgentGWMCP
import AgentGWModel

/// Translates what a target sends outside its responses (notifications, and requests for the
/// client such as sampling or elicitation) into what the client of the multiplexed Backend sees,
/// and routes the client's answers back.
///
/// A target's request id is rewritten to `agw:<target>:<base64url(JSON id)>`. The mapping lives in
/// the id itself, so whichever replica receives the client's answer can route it with no shared
/// table.
enum MessageRelay {
    static let idMarker = "agw:"

    /// The message for the client, or nil when it must not be forwarded (a stray response).
    static func toClient(_ message: JSONRPCMessage, target: String, mapper: NameMapper) -> JSONRPCMessage? {
        switch message {
        case .notification(let method, let params):
            switch method {
            case "notifications/resources/updated":
                return .notification(method: method, params: params.map { ResultRewriter.resourceUpdated($0, target: target, mapper: mapper) })
            case "notifications/cancelled":
                // The target gave up on a request it made of the client: name it as the client knows it.
                guard case .object(var p)? = params, let raw = p["requestId"], let id = JSONRPCID(json: raw) else { return nil }
                p["requestId"] = clientID(for: id, target: target).json
                return .notification(method: method, params: .object(p))
            default:
                return message
            }
        case .request(let id, let method, let params):
            return .request(id: clientID(for: id, target: target), method: method, params: params)
        case .response, .errorResponse:
            return nil
        }
    }

    static func clientID(for id: JSONRPCID, target: String) -> JSONRPCID {
        .string("\(idMarker)\(target):\(Base64URL.encode(id.json.serializedBytes()))")
    }

    /// The target and its own id for an id the gateway gave the client, or nil.
    static func targetID(_ id: JSONRPCID) -> (target: String, id: JSONRPCID)? {
        guard case .string(let s) = id, s.hasPrefix(idMarker) else { return nil }
        let rest = s.dropFirst(idMarker.count)
        guard let colon = rest.firstIndex(of: ":"), let bytes = Base64URL.decode(String(rest[rest.index(after: colon)...])),
              let json = try? JSONValue.parse(bytes), let original = JSONRPCID(json: json) else { return nil }
        return (String(rest[..<colon]), original)
    }
}
