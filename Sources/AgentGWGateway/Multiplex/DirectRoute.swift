import AgentGWMCP
import NIOConcurrencyHelpers

/// A multiplexed call that can skip the general path: a legacy client session's `tools/call`,
/// `prompts/get` or `resources/read` whose target speaks Streamable HTTP and holds an upstream
/// session. It is proxied straight to that target on the client connection's event loop, like a
/// single-target request, with the name (or URI) unprefixed on the way in and the answers
/// rewritten on the way out. The client's request id is kept, so a cancellation names it as is.
public struct DirectCall: Sendable {
    public var target: MCPTarget
    /// The request body for the target.
    public var body: [UInt8]
    /// Session, version, Host and the target's own headers.
    public var headers: [(String, String)]
    public var method: String
    /// Rewrites each message of the target's answer for the client.
    public var transform: @Sendable (JSONValue) -> JSONValue
    let inflightKey: InflightCalls.Key
    let cancelUpstream: @Sendable (String?) -> Void
}

extension MultiplexService {
    static let directMethods: Set<String> = ["tools/call", "prompts/get", "resources/read"]

    /// The direct call for a request, or nil when it needs the general path (any other method,
    /// a modern client, an unknown name, an old-transport target, or a session that doesn't open:
    /// the general path gives those their errors).
    public func directRoute(httpMethod: String, headers: [(name: String, value: String)], body: [UInt8], backend: MultiplexedBackend,
                            credential: [UInt8]?) -> DirectCall? {
        guard httpMethod == "POST" else { return nil }
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }
        if let v = header("mcp-protocol-version"), MCPProtocol.era(of: v) == .modern { return nil }
        guard let token = header("mcp-session-id"),
              case .request(let id, let method, let params)? = try? JSONRPCMessage(parsing: body), Self.directMethods.contains(method),
              let state = openSession(token, credential: credential) else { return nil }
        let mapper = NameMapper(targets: backend.targets.map(\.targetName), mode: backend.prefixMode)
        var p = Self.withoutEnvelope(params)?.object ?? JSONObject([])
        let targetName: String
        if method == "resources/read" {
            guard let routed = mapper.routeURI(p["uri"]?.string ?? "") else { return nil }
            targetName = routed.target
            p["uri"] = .string(routed.uri)
        } else {
            guard let routed = try? mapper.resolve(name: p["name"]?.string ?? "") else { return nil }
            targetName = routed.target
            p["name"] = .string(routed.name)
            if method == "tools/call", let t = backend.targets.first(where: { $0.targetName == targetName }), !t.tools.allows(routed.name) { return nil }
        }
        guard let target = backend.targets.first(where: { $0.targetName == targetName }), target.transport == .streamableHTTP,
              let upstream = state.upstreams.first(where: { $0.target == targetName }), let sessionID = upstream.sessionID else { return nil }
        let sent: [(String, String)] = [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"),
                                                   ("Mcp-Session-Id", sessionID), ("MCP-Protocol-Version", upstream.protocolVersion),
                                                   ("Host", target.hostHeader)] + target.headers.map { ($0.name, $0.value) }
        let transform: @Sendable (JSONValue) -> JSONValue = { value in
            guard let message = try? JSONRPCMessage(value) else { return value }
            switch message {
            case .response(let rid, let result) where rid == id:
                let rewritten: JSONValue = switch method {
                case "tools/call": ResultRewriter.toolsCall(result, target: targetName, mapper: mapper)
                case "prompts/get": ResultRewriter.promptsGet(result, target: targetName, mapper: mapper)
                default: ResultRewriter.resourcesRead(result, target: targetName, mapper: mapper)
                }
                return JSONRPCMessage.response(id: rid, result: rewritten).json
            case .response, .errorResponse:
                return value
            default:
                return MessageRelay.toClient(message, target: targetName, mapper: mapper)?.json ?? value
            }
        }
        let cancelUpstream: @Sendable (String?) -> Void = { [self] reason in
            var params = JSONObject([("requestId", id.json)])
            if let reason { params["reason"] = .string(reason) }
            let notice = JSONRPCMessage.notification(method: "notifications/cancelled", params: .object(params))
            guard let http = try? transport(for: target) else { return }
            let conn = StreamableHTTPConnection(resuming: url(target), http: http, auth: upstreamHeaders(target), era: .legacy,
                                                protocolVersion: upstream.protocolVersion, sessionID: sessionID)
            Task { try? await conn.send(notice) }
        }
        return DirectCall(target: target, body: JSONRPCMessage.request(id: id, method: method, params: .object(p)).serializedBytes(),
                          headers: sent, method: method, transform: transform,
                          inflightKey: InflightCalls.Key(session: token, id: id), cancelUpstream: cancelUpstream)
    }

    /// Lets a client's `notifications/cancelled` reach a direct call; returns the undo.
    public func track(_ call: DirectCall) -> @Sendable () -> Void {
        inflight.add(call.inflightKey, InflightCalls.Call(cancel: call.cancelUpstream))
        let key = call.inflightKey
        return { [inflight] in inflight.remove(key) }
    }
}

/// A legacy session's list request (`tools/list`, `prompts/list`, `resources/list`,
/// `resources/templates/list`) fanned out straight to Streamable HTTP targets from the client
/// connection's event loop, with no task hops; `answer` merges what came back.
public struct DirectList: Sendable {
    public struct Request: Sendable {
        public var target: MCPTarget
        public var body: [UInt8]
        public var headers: [(String, String)]
    }

    /// What one target answered: status, Content-Type and body (nil: it failed or timed out).
    public struct Reply: Sendable {
        public var status: Int
        public var contentType: String
        public var body: [UInt8]
        public init(status: Int, contentType: String, body: [UInt8]) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }
    }

    public var requests: [Request]
    /// The client's answer from the targets' replies (in `requests` order).
    public var answer: @Sendable ([Reply?]) -> MultiplexService.Response

    /// The upstream request id every list request carries (each goes on its own exchange).
    static let upstreamID = JSONRPCID.int(1)

    /// The JSON-RPC response to `id` in a JSON or SSE body, if there is one.
    public static func response(in reply: Reply) -> JSONRPCMessage? {
        if reply.contentType.hasPrefix("text/event-stream") {
            var parser = SSEParser()
            let items = ((try? parser.feed(reply.body)) ?? []) + parser.finish()
            for case .event(let e) in items where e.event == nil || e.event == "message" {
                if let m = try? JSONRPCMessage(parsing: Array(e.data.utf8)), m.id == upstreamID, m.method == nil { return m }
            }
            return nil
        }
        return try? JSONRPCMessage(parsing: reply.body)
    }
}

extension MultiplexService {
    /// The direct fan-out for a list request, or nil when it needs the general path (a modern
    /// client, an old-transport or sessionless target, a session that doesn't open).
    public func directList(httpMethod: String, headers: [(name: String, value: String)], body: [UInt8], backend: MultiplexedBackend,
                           credential: [UInt8]?, clientTools: ToolMatcher) -> DirectList? {
        guard httpMethod == "POST" else { return nil }
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }
        if let v = header("mcp-protocol-version"), MCPProtocol.era(of: v) == .modern { return nil }
        guard let token = header("mcp-session-id"),
              case .request(let id, let method, let params)? = try? JSONRPCMessage(parsing: body), let kind = ListKind(method: method),
              let state = openSession(token, credential: credential) else { return nil }
        let mapper = NameMapper(targets: backend.targets.map(\.targetName), mode: backend.prefixMode)
        guard let plan = try? ListMerger.plan(cursor: params?["cursor"]?.string, mapper: mapper) else { return nil }
        var requests: [DirectList.Request] = []
        for (name, cursor) in plan {
            guard let target = backend.targets.first(where: { $0.targetName == name }) else { continue }
            guard let upstream = state.upstreams.first(where: { $0.target == name }) else { continue }   // left out under FailOpen
            guard target.transport == .streamableHTTP, let sid = upstream.sessionID else { return nil }
            let message = JSONRPCMessage.request(id: DirectList.upstreamID, method: method, params: cursor.map { ["cursor": .string($0)] })
            requests.append(DirectList.Request(target: target, body: message.serializedBytes(),
                                               headers: [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"),
                                                         ("Mcp-Session-Id", sid), ("MCP-Protocol-Version", upstream.protocolVersion),
                                                         ("Host", target.hostHeader)] + target.headers.map { ($0.name, $0.value) }))
        }
        let targets = requests.map(\.target)
        let failureMode = backend.failureMode
        return DirectList(requests: requests) { replies in
            var pages: [(target: String, page: TargetPage)] = []
            for (target, reply) in zip(targets, replies) {
                guard let reply, reply.status == 200, let message = DirectList.response(in: reply) else {
                    pages.append((target.targetName, .failed(reply.map { "HTTP \($0.status)" } ?? "unreachable")))
                    continue
                }
                switch message {
                case .response(_, let result):
                    pages.append((target.targetName, .page(items: result[kind.field]?.array ?? [], nextCursor: result["nextCursor"]?.string)))
                default:
                    pages.append((target.targetName, .failed("error")))
                }
            }
            let filters = Dictionary(targets.map { ($0.targetName, $0.tools) }, uniquingKeysWith: { a, _ in a })
            do {
                var result = try ListMerger.merge(kind: kind, pages: pages, mapper: mapper, filters: kind == .tools ? filters : [:], failure: failureMode)
                    .result(kind: kind)
                if kind == .tools, case .array(let tools)? = result["tools"] {
                    result["tools"] = .array(tools.filter { clientTools.allows($0["name"]?.string ?? "") })
                }
                return Self.json(200, .response(id: id, result: .object(result)))
            } catch let error as MultiplexError {
                return Self.json(200, .errorResponse(id: id, error: error.jsonRPCError))
            } catch {
                return Self.json(500, .errorResponse(id: id, error: JSONRPCError(code: JSONRPCError.internalError, message: "internal error", data: nil)))
            }
        }
    }
}
