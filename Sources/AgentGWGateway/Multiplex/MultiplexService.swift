import AgentGWMCP
import Foundation
import NIOConcurrencyHelpers

/// Serves the targets of one multiplexed Backend as one MCP server. The gateway terminates MCP
/// here: it answers `initialize` and `server/discover` itself, holds one upstream session per
/// client session and target (sealed into its own `Mcp-Session-Id`, so any replica with the key
/// can continue it), fans lists out and merges them, and routes calls by prefix.
///
/// Each target's era is detected once and cached, so a modern client can use legacy-only
/// targets and the other way round. Responses are JSON; server-initiated streams (GET) are not
/// offered through a multiplexed Backend yet.
public final class MultiplexService: Sendable {
    /// What goes back to the client.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]
    }

    let transportOptions: TransportOptions
    let client = NIOLockedValueBox<HTTPTransport?>(nil)
    /// Clients for TLS targets connected elsewhere by `--resolve`, by "name=address".
    let tlsClients = NIOLockedValueBox<[String: HTTPTransport]>([:])
    let sealer: SessionSealer
    let sessionTTL: Int64
    let eras = NIOLockedValueBox<[String: MCPEra]>([:])
    let inflight = InflightCalls()
    /// What each target address last did (shared with the proxy through GatewayContext).
    public let health = TargetHealth()
    /// Sessions already opened, by token: a client sends the same token with every request, and
    /// decrypting it each time is most of a routed call's own cost. Bounded; cleared when full.
    let openedSessions = NIOLockedValueBox<[String: SessionState]>([:])
    static let openedSessionsLimit = 10_000
    public static let serverName = "kubectl-agentgw"

    /// The upstream HTTP client is created on first use, so a gateway with no multiplexed
    /// Backend (or one that never starts) owns none to shut down.
    public init(sealer: SessionSealer, timeout: Duration = .seconds(30), sessionTTL: Int64 = 24 * 3600, upstreamCAFile: String? = nil) {
        var options = TransportOptions()
        options.caFile = upstreamCAFile
        options.timeout = timeout
        options.connectionsPerHost = 64
        options.bodyTimeout = .idle
        transportOptions = options
        self.sealer = sealer
        self.sessionTTL = sessionTTL
    }

    /// Handles one client request to the multiplexed Backend, writing the answer to `writer`:
    /// JSON, or an SSE stream when a target streams notifications before its result (and for
    /// the server stream, GET).
    public func handle(httpMethod: String, headers: [(name: String, value: String)], body: [UInt8], backend: MultiplexedBackend,
                       credential: [UInt8]?, clientTools: ToolMatcher = .all, keepalive: Duration = .seconds(15),
                       reply writer: any MultiplexReplyWriter, cancelRequest: @escaping @Sendable () -> Void) async {
        let reply = ReplyStream(writer)
        let response = await respond(httpMethod: httpMethod, headers: headers, body: body, backend: backend, credential: credential,
                                     clientTools: clientTools, keepalive: keepalive, reply: reply, cancelRequest: cancelRequest)
        if let response { reply.finish(response) } else { reply.end() }
    }

    /// The answer, or nil when `reply` already carries it as a stream that is to be ended.
    func respond(httpMethod: String, headers: [(name: String, value: String)], body: [UInt8], backend: MultiplexedBackend,
                 credential: [UInt8]?, clientTools: ToolMatcher, keepalive: Duration, reply: ReplyStream,
                 cancelRequest: @escaping @Sendable () -> Void) async -> Response? {
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }
        let mapper = NameMapper(targets: backend.targets.map(\.targetName), mode: backend.prefixMode)
        let clientVersion = header("mcp-protocol-version")
        let modern = clientVersion.flatMap { MCPProtocol.era(of: $0) } == .modern
        let token = header("mcp-session-id")
        func session() -> SessionState? {
            token.flatMap { openSession($0, credential: credential) }
        }
        switch httpMethod {
        case "GET":
            if modern { return Self.plain(405, "the 2026-07-28 protocol has no server stream (GET)") }
            guard token != nil else { return Self.plain(400, "Mcp-Session-Id required") }
            guard let state = session() else { return Self.sessionNotFound(nil) }
            return await serverStream(state, backend: backend, mapper: mapper, keepalive: keepalive, reply: reply)
        case "DELETE":
            guard token != nil else { return Self.plain(400, "Mcp-Session-Id required") }
            guard let state = session() else { return Self.sessionNotFound(nil) }
            if let opened = try? await connections(state, backend: backend, mapper: mapper, reply: nil) {
                for c in opened.conns { await c.conn.close() }
            }
            return Response(status: 200, headers: [], body: [])
        case "POST":
            break
        default:
            return Self.plain(405, "method not allowed")
        }
        let message: JSONRPCMessage
        do { message = try JSONRPCMessage(parsing: body) } catch {
            return Self.json(400, .errorResponse(id: nil, error: error))
        }
        let id: JSONRPCID, method: String, params: JSONValue?
        switch message {
        case .request(let i, let m, let p):
            (id, method, params) = (i, m, p)
        case .notification("notifications/cancelled", let p):
            // Reaches the target working on the request, under that target's own id.
            if let raw = p?["requestId"], let cancelled = JSONRPCID(json: raw) {
                inflight.cancel(InflightCalls.Key(session: token ?? "", id: cancelled), reason: p?["reason"]?.string)
            }
            return Response(status: 202, headers: [], body: [])
        case .response(let i, _), .errorResponse(let i?, _):
            // The client's answer to a request a target made (sampling, elicitation, roots).
            if let routed = MessageRelay.targetID(i), let state = session(),
               let opened = try? await connections(state, backend: backend, mapper: mapper, reply: nil),
               let c = opened.conns.first(where: { $0.target.targetName == routed.target }) {
                let answer: JSONRPCMessage
                if case .errorResponse(_, let e) = message { answer = .errorResponse(id: routed.id, error: e) } else if case .response(_, let r) = message {
                    answer = .response(id: routed.id, result: r)
                } else { answer = message }
                try? await c.conn.send(answer)
                for t in opened.transient { await t.close() }
            }
            return Response(status: 202, headers: [], body: [])
        default:
            return Response(status: 202, headers: [], body: [])   // other notifications: accepted
        }
        do {
            switch method {
            case "initialize":
                return try await initialize(id: id, params: params, backend: backend, credential: credential)
            case "server/discover":
                return try await discover(id: id, backend: backend)
            case "subscriptions/listen" where modern:
                return await listen(id: id, params: params, backend: backend, mapper: mapper, keepalive: keepalive, reply: reply)
            default:
                break
            }
            // Connections for this request: the client's sealed session (legacy), or fresh ones.
            let conns: [(target: MCPTarget, conn: any MCPConnection)]
            var fresh = false
            var transient: [any MCPConnection] = []
            if !modern {
                guard token != nil else {
                    return Self.json(400, .errorResponse(id: id, error: JSONRPCError(code: JSONRPCError.invalidRequest, message: "Bad Request: Missing session ID", data: nil)))
                }
                guard let state = session() else { return Self.sessionNotFound(id) }
                let opened = try await connections(state, backend: backend, mapper: mapper, reply: reply)
                conns = opened.conns
                transient = opened.transient
            } else {
                conns = try await connectAll(backend, era: nil, mapper: mapper, reply: reply)
                fresh = true
            }
            defer {
                // Fresh connections end with the request; sealed upstream sessions stay open.
                let closing: [any MCPConnection] = fresh ? conns.map(\.conn) : transient
                if !closing.isEmpty { Task { for c in closing { await c.close() } } }
            }
            var result = try await dispatch(id: id, session: token ?? "", cancelRequest: cancelRequest, method: method, params: params, conns: conns, backend: backend, mapper: mapper)
            if method == "tools/list", case .object(var o) = result, case .array(let tools)? = o["tools"] {
                // The route's tool rules name tools as the client sees them (prefixed).
                o["tools"] = .array(tools.filter { clientTools.allows($0["name"]?.string ?? "") })
                result = .object(o)
            }
            var out = result
            if modern, case .object(var o) = out {
                o["resultType"] = "complete"
                if ListKind(method: method) != nil {
                    // 2026-07-28 list results carry cache hints; a merged, per-client filtered
                    // list is private and not cached.
                    o["ttlMs"] = 0
                    o["cacheScope"] = "private"
                }
                out = .object(o)
            }
            return Self.json(200, .response(id: id, result: out))
        } catch let error as MultiplexError {
            return Self.json(200, .errorResponse(id: id, error: error.jsonRPCError))
        } catch let error as MCPClientError {
            if case .rpc(let e, _) = error { return Self.json(200, .errorResponse(id: id, error: e)) }
            if Task.isCancelled {
                return Self.json(200, .errorResponse(id: id, error: JSONRPCError(code: Self.requestCancelled, message: "Request cancelled", data: nil)))
            }
            return Self.json(502, .errorResponse(id: id, error: JSONRPCError(code: JSONRPCError.internalError, message: "upstream failed: \(error.errorClass)", data: nil)))
        } catch is CancellationError {
            return Self.json(200, .errorResponse(id: id, error: JSONRPCError(code: Self.requestCancelled, message: "Request cancelled", data: nil)))
        } catch {
            return Self.json(500, .errorResponse(id: id, error: JSONRPCError(code: JSONRPCError.internalError, message: "internal error", data: nil)))
        }
    }

    /// The state sealed in a client's session id, or nil for an unknown, tampered, expired or
    /// other-key one (the sealer's checks; the cache repeats the expiry and key checks).
    func openSession(_ token: String, credential: [UInt8]?) -> SessionState? {
        let now = Self.now()
        if let cached = openedSessions.withLockedValue({ $0[token] }), now < cached.expiresAt {
            switch (cached.credentialHash, credential) {
            case (nil, nil): return cached
            case let (hash?, presented?): return constantTimeEqual(hash, SessionSealer.credentialHash(presented)) ? cached : nil
            default: return nil
            }
        }
        guard let state = try? sealer.open(token, credential: credential, now: now) else { return nil }
        openedSessions.withLockedValue { sessions in
            if sessions.count >= Self.openedSessionsLimit { sessions.removeAll(keepingCapacity: true) }
            sessions[token] = state
        }
        return state
    }

    /// JSON-RPC's "request cancelled" code, as the SDKs use it.
    static let requestCancelled = -32800

    /// A legacy client's server stream: the GET streams of every target session merged into one,
    /// their messages translated as they come, with keep-alive comments. Targets without a
    /// server stream are left out; 405 when none has one.
    func serverStream(_ state: SessionState, backend: MultiplexedBackend, mapper: NameMapper, keepalive: Duration, reply: ReplyStream) async -> Response? {
        let opened: (conns: [(target: MCPTarget, conn: any MCPConnection)], transient: [any MCPConnection])
        do { opened = try await connections(state, backend: backend, mapper: mapper, reply: nil) } catch {
            return Self.plain(502, "upstream failed")
        }
        for t in opened.transient { await t.close() }
        let streams = await withTaskGroup(of: (String, StreamingResponse?).self) { group in
            for c in opened.conns {
                guard let conn = c.conn as? StreamableHTTPConnection else { continue }
                group.addTask { (c.target.targetName, try? await conn.openServerStream()) }
            }
            var out: [(String, StreamingResponse)] = []
            for await (target, stream) in group { if let stream { out.append((target, stream)) } }
            return out
        }
        guard !streams.isEmpty else { return Self.plain(405, "no target of this Backend offers a server stream") }
        reply.open()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Keep-alives until the upstream streams end or the client leaves.
                while !Task.isCancelled {
                    try? await Task.sleep(for: keepalive)
                    reply.keepalive()
                }
            }
            await withTaskGroup(of: Void.self) { readers in
                for (target, stream) in streams {
                    readers.addTask {
                        try? await SSEMessageReader.read(stream) { message in
                            if let m = MessageRelay.toClient(message, target: target, mapper: mapper) { reply.event(m) }
                        }
                    }
                }
            }
            group.cancelAll()
        }
        return nil
    }

    // MARK: lifecycle

    func initialize(id: JSONRPCID, params: JSONValue?, backend: MultiplexedBackend, credential: [UInt8]?) async throws -> Response {
        let opened = try await connectAll(backend, era: .legacy, mapper: nil, reply: nil)
        // Old-transport targets are reconnected per request; their handshake connection ends here.
        defer {
            let sse = opened.filter { $0.target.transport == .sse }.map(\.conn)
            if !sse.isEmpty { Task { for c in sse { await c.close() } } }
        }
        var upstreams: [SessionState.Upstream] = []
        var versions: [[String]] = []
        var caps: [JSONValue] = []
        var instructions: [(target: String, text: String?)] = []
        for (target, conn) in opened {
            let s = await conn.server
            upstreams.append(SessionState.Upstream(target: target.targetName, endpoint: endpoint(target),
                                                   sessionID: target.transport == .sse ? nil : s.sessionID, protocolVersion: s.protocolVersion))
            versions.append(s.era == .modern ? MCPProtocol.legacyVersions : ServerInfoMerger.assumedSupported(negotiated: s.protocolVersion))
            caps.append(s.capabilities)
            instructions.append((target.targetName, s.instructions))
        }
        let requested = params?["protocolVersion"]?.string
        guard let version = ServerInfoMerger.commonVersion(versions, clientRequested: requested, era: .legacy) else {
            throw MultiplexError.noCommonVersion(requested: requested)
        }
        let state = SessionState(upstreams: upstreams, protocolVersion: version, expiresAt: Self.now() + sessionTTL,
                                 credentialHash: credential.map(SessionSealer.credentialHash))
        var result = JSONObject([("protocolVersion", .string(version)), ("capabilities", ServerInfoMerger.mergeCapabilities(caps)),
                                 ("serverInfo", .object(JSONObject([("name", .string(Self.serverName)), ("version", .string(backend.backendName))])))])
        if let text = ServerInfoMerger.instructions(instructions) { result["instructions"] = .string(text) }
        var response = Self.json(200, .response(id: id, result: .object(result)))
        response.headers.append(("Mcp-Session-Id", sealer.seal(state)))
        return response
    }

    func discover(id: JSONRPCID, backend: MultiplexedBackend) async throws -> Response {
        let opened = try await connectAll(backend, era: nil, mapper: nil, reply: nil, describe: true)
        defer { Task { for c in opened { await c.conn.close() } } }
        var caps: [JSONValue] = []
        var instructions: [(target: String, text: String?)] = []
        for (target, conn) in opened {
            let s = await conn.server
            caps.append(s.capabilities)
            instructions.append((target.targetName, s.instructions))
        }
        var result = JSONObject([
            ("supportedVersions", .array([.string(MCPProtocol.modernVersion)])),
            ("capabilities", ServerInfoMerger.mergeCapabilities(caps)),
            ("_meta", .object(JSONObject([(MCPProtocol.metaServerInfo, .object(JSONObject([("name", .string(Self.serverName)), ("version", .string(backend.backendName))])))]))),
            ("resultType", "complete"), ("ttlMs", 0), ("cacheScope", "private"),
        ])
        if let text = ServerInfoMerger.instructions(instructions) { result["instructions"] = .string(text) }
        return Self.json(200, .response(id: id, result: .object(result)))
    }

    // MARK: requests

    func dispatch(id: JSONRPCID, session: String, cancelRequest: @escaping @Sendable () -> Void, method: String, params clientParams: JSONValue?, conns: [(target: MCPTarget, conn: any MCPConnection)],
                  backend: MultiplexedBackend, mapper: NameMapper) async throws -> JSONValue {
        // The client's era envelope stays here: each upstream connection speaks its target's era.
        let params = Self.withoutEnvelope(clientParams)
        if let kind = ListKind(method: method) {
            let plan = try ListMerger.plan(cursor: params?["cursor"]?.string, mapper: mapper)
            let wanted = Dictionary(plan.map { ($0.target, $0.cursor) }, uniquingKeysWith: { a, _ in a })
            let pages = await withTaskGroup(of: (Int, String, TargetPage).self) { group in
                for (i, c) in conns.enumerated() where wanted.keys.contains(c.target.targetName) {
                    let cursor = wanted[c.target.targetName] ?? nil
                    group.addTask {
                        do {
                            let page = try await c.conn.request(method, params: cursor.map { ["cursor": .string($0)] })
                            return (i, c.target.targetName, .page(items: page[kind.field]?.array ?? [], nextCursor: page["nextCursor"]?.string))
                        } catch {
                            return (i, c.target.targetName, .failed((error as? MCPClientError)?.errorClass ?? "error"))
                        }
                    }
                }
                var out: [(Int, String, TargetPage)] = []
                for await r in group { out.append(r) }
                return out.sorted { $0.0 < $1.0 }.map { (target: $0.1, page: $0.2) }
            }
            let filters = Dictionary(conns.map { ($0.target.targetName, $0.target.tools) }, uniquingKeysWith: { a, _ in a })
            let merged = try ListMerger.merge(kind: kind, pages: pages, mapper: mapper, filters: kind == .tools ? filters : [:], failure: backend.failureMode)
            return .object(merged.result(kind: kind))
        }
        switch method {
        case "ping":
            return .object([:])
        case "tools/call", "prompts/get":
            let name = params?["name"]?.string ?? ""
            let routed = try mapper.resolve(name: name)
            guard let c = conns.first(where: { $0.target.targetName == routed.target }) else { throw MultiplexError.unknownName(name) }
            if method == "tools/call", !c.target.tools.allows(routed.name) { throw MultiplexError.unknownName(name) }
            var p = params?.object ?? JSONObject([])
            p["name"] = .string(routed.name)
            let result = try await call(c.conn, method, params: .object(p), key: InflightCalls.Key(session: session, id: id), cancelRequest: cancelRequest)
            return method == "tools/call" ? ResultRewriter.toolsCall(result, target: routed.target, mapper: mapper)
                : ResultRewriter.promptsGet(result, target: routed.target, mapper: mapper)
        case "resources/read", "resources/subscribe", "resources/unsubscribe":
            let uri = params?["uri"]?.string ?? ""
            let routed = try mapper.resolveURI(uri)
            guard let c = conns.first(where: { $0.target.targetName == routed.target }) else { throw MultiplexError.unknownName(uri) }
            var p = params?.object ?? JSONObject([])
            p["uri"] = .string(routed.uri)
            let result = try await call(c.conn, method, params: .object(p), key: InflightCalls.Key(session: session, id: id), cancelRequest: cancelRequest)
            return method == "resources/read" ? ResultRewriter.resourcesRead(result, target: routed.target, mapper: mapper) : result
        default:
            throw MultiplexError(kind: .unknownName, code: JSONRPCError.methodNotFound, message: "Method not found: \(method)")
        }
    }

    /// One request routed to one target, cancellable by the client: by `notifications/cancelled`
    /// (legacy) or by going away (closing the stream is how a 2026-07-28 client cancels). Both
    /// cancel the task answering the request (`cancelRequest`). A legacy-era target is then told
    /// with `notifications/cancelled` under its own request id; a modern one sees its response
    /// stream close.
    func call(_ conn: any MCPConnection, _ method: String, params: JSONValue, key: InflightCalls.Key,
              cancelRequest: @escaping @Sendable () -> Void) async throws -> JSONValue {
        let upstreamID = await conn.upcomingRequestID
        let legacyUpstream = await conn.server.era == .legacy
        let reason = NIOLockedValueBox<String?>("the client went away")
        // A client's notifications/cancelled cancels the task answering the request; either way
        // the cancellation handler below tells the target.
        inflight.add(key, InflightCalls.Call(cancel: { why in
            reason.withLockedValue { $0 = why }
            cancelRequest()
        }))
        defer { inflight.remove(key) }
        return try await withTaskCancellationHandler {
            try await conn.request(method, params: params)
        } onCancel: {
            guard legacyUpstream else { return }   // a modern target sees its stream close
            var p = JSONObject([("requestId", upstreamID.json)])
            if let why = reason.withLockedValue({ $0 }) { p["reason"] = .string(why) }
            let notice = JSONRPCMessage.notification(method: "notifications/cancelled", params: .object(p))
            Task { try? await conn.send(notice) }
        }
    }

    /// Forwards what a target sends before its response to the client's reply stream.
    func observer(_ target: String, mapper: NameMapper?, reply: ReplyStream?) -> MessageObserver? {
        guard let mapper, let reply else { return nil }
        return { message in
            if let m = MessageRelay.toClient(message, target: target, mapper: mapper) { reply.event(m) }
        }
    }

    /// Params without the client's `io.modelcontextprotocol/*` `_meta` keys (progressToken, the
    /// log-level opt-in and other keys stay).
    static func withoutEnvelope(_ params: JSONValue?) -> JSONValue? {
        guard case .object(var p)? = params, case .object(var meta)? = p["_meta"] else { return params }
        // The log-level opt-in is the client's wish, not era plumbing: modern targets send log
        // notifications only when a request carries it.
        for key in meta.keys where key.hasPrefix("io.modelcontextprotocol/") && key != "io.modelcontextprotocol/logLevel" { meta[key] = nil }
        p["_meta"] = meta.isEmpty ? nil : .object(meta)
        return .object(p)
    }

    // MARK: connections

    /// A TLS target is addressed by its manifest name (SNI and the certificate check need it)
    /// and connected to its resolved address through the client's DNS override.
    func url(_ t: MCPTarget) -> String {
        t.tls ? "https://\(t.serverName):\(t.connectPort)\(t.path)" : "http://\(t.connectHost):\(t.connectPort)\(t.path)"
    }
    func endpoint(_ t: MCPTarget) -> String { "\(t.connectHost):\(t.connectPort)\(t.path)" }
    func upstreamHeaders(_ t: MCPTarget) -> [(String, String)] { [("Host", t.hostHeader)] + t.headers.map { ($0.name, $0.value) } }

    /// Connections resuming the upstream sessions sealed in a client's session. Targets of the
    /// old HTTP+SSE transport can't be resumed (their session is a live GET stream), so they
    /// are reconnected for the request and listed in `transient` to be closed after it.
    func connections(_ state: SessionState, backend: MultiplexedBackend, mapper: NameMapper?, reply: ReplyStream?) async throws -> (conns: [(target: MCPTarget, conn: any MCPConnection)], transient: [any MCPConnection]) {
        var conns: [(target: MCPTarget, conn: any MCPConnection)] = []
        var transient: [any MCPConnection] = []
        for t in backend.targets {
            let http = try transport(for: t)
            if t.transport == .sse {
                guard state.upstreams.contains(where: { $0.target == t.targetName }) else { continue }   // left out under FailOpen
                let c = try await LegacySSEConnection.connect(url: url(t), http: http, auth: upstreamHeaders(t),
                                                              observer: observer(t.targetName, mapper: mapper, reply: reply))
                conns.append((t, c))
                transient.append(c)
                continue
            }
            let up = state.upstreams.first { $0.target == t.targetName }
            let era = eras.withLockedValue { $0[endpoint(t)] } ?? .legacy
            conns.append((t, StreamableHTTPConnection(resuming: url(t), http: http, auth: upstreamHeaders(t), era: up?.sessionID == nil ? era : .legacy,
                                                      protocolVersion: up?.protocolVersion ?? MCPProtocol.latestLegacy, sessionID: up?.sessionID,
                                                      observer: observer(t.targetName, mapper: mapper, reply: reply))))
        }
        return (conns, transient)
    }

    /// Connects to every target; `era` forces one (legacy for a client session that must hold
    /// upstream sessions), nil uses the cached or detected era. `describe` asks every target
    /// for its capabilities even when its era is known (the handshake answers need them).
    func connectAll(_ backend: MultiplexedBackend, era forced: MCPEra?, mapper: NameMapper?, reply: ReplyStream?,
                    describe: Bool = false) async throws -> [(target: MCPTarget, conn: any MCPConnection)] {
        let clients = try backend.targets.map { try transport(for: $0) }
        let results = await withTaskGroup(of: (Int, Result<any MCPConnection, MCPClientError>).self) { group in
            for (i, t) in backend.targets.enumerated() {
                let http = clients[i]
                group.addTask {
                    let observe = self.observer(t.targetName, mapper: mapper, reply: reply)
                    if t.transport == .sse {
                        do {
                            return (i, .success(try await LegacySSEConnection.connect(url: self.url(t), http: http, auth: self.upstreamHeaders(t), observer: observe)))
                        } catch {
                            return (i, .failure((error as? MCPClientError) ?? .protocolViolation("\(error)")))
                        }
                    }
                    let cached = self.eras.withLockedValue { $0[self.endpoint(t)] }
                    if cached == .modern, forced == nil, !describe {
                        // A modern target needs no handshake: skip server/discover once its era is known.
                        return (i, .success(StreamableHTTPConnection(resuming: self.url(t), http: http, auth: self.upstreamHeaders(t), era: .modern,
                                                                     protocolVersion: MCPProtocol.modernVersion, sessionID: nil, observer: observe)))
                    }
                    let conn = StreamableHTTPConnection(url: self.url(t), http: http, auth: self.upstreamHeaders(t), observer: observe)
                    do {
                        let era = forced == .legacy ? MCPEra.legacy : cached
                        switch era {
                        case .legacy?: try await conn.initialize()
                        case .modern?: try await conn.discover()
                        case nil:
                            do {
                                try await conn.discover()
                                self.eras.withLockedValue { $0[self.endpoint(t)] = .modern }
                            } catch {
                                try await conn.initialize()
                                self.eras.withLockedValue { $0[self.endpoint(t)] = .legacy }
                            }
                        }
                        return (i, .success(conn))
                    } catch {
                        return (i, .failure((error as? MCPClientError) ?? .protocolViolation("\(error)")))
                    }
                }
            }
            var out: [(Int, Result<any MCPConnection, MCPClientError>)] = []
            for await r in group { out.append(r) }
            return out.sorted { $0.0 < $1.0 }
        }
        var opened: [(target: MCPTarget, conn: any MCPConnection)] = []
        var failed: [String] = []
        for (i, r) in results {
            let target = backend.targets[i]
            let key = TargetHealth.key(host: target.connectHost, port: target.connectPort)
            switch r {
            case .success(let c):
                health.success(key, protocolVersion: await c.server.protocolVersion)
                opened.append((target, c))
            case .failure(let e):
                health.failure(key, e.description)
                if backend.failureMode == .failClosed { throw MultiplexError.targetFailed(backend.targets[i].targetName, reason: e.errorClass) }
                failed.append(backend.targets[i].targetName)
            }
        }
        if opened.isEmpty { throw MultiplexError.allTargetsFailed(failed) }
        return opened
    }

    /// The shared upstream client (AsyncHTTPClient must be shut down before it is released).
    func transport() throws -> HTTPTransport {
        try client.withLockedValue { c in
            if let c { return c }
            let made = try HTTPTransport(options: transportOptions)
            c = made
            return made
        }
    }

    /// The client for a target: the shared one, or one whose DNS override sends a TLS target's
    /// name to its resolved address.
    func transport(for t: MCPTarget) throws -> HTTPTransport {
        guard t.tls, t.serverName != t.connectHost else { return try transport() }
        let key = "\(t.serverName)=\(t.connectHost)"
        return try tlsClients.withLockedValue { clients in
            if let c = clients[key] { return c }
            var options = transportOptions
            options.dnsOverride = [t.serverName: t.connectHost]
            let made = try HTTPTransport(options: options)
            clients[key] = made
            return made
        }
    }

    public func shutdown() async {
        if let c = client.withLockedValue({ c -> HTTPTransport? in defer { c = nil }; return c }) { await c.shutdown() }
        for c in tlsClients.withLockedValue({ c -> [HTTPTransport] in defer { c = [:] }; return Array(c.values) }) { await c.shutdown() }
    }

    // MARK: responses

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    static func json(_ status: Int, _ message: JSONRPCMessage) -> Response {
        Response(status: status, headers: [("Content-Type", "application/json")], body: message.serializedBytes())
    }

    static func plain(_ status: Int, _ text: String) -> Response {
        json(status, .errorResponse(id: nil, error: JSONRPCError(code: JSONRPCError.invalidRequest, message: text, data: nil)))
    }

    /// The MCP spec's answer to an unknown, expired, foreign or tampered session: 404.
    static func sessionNotFound(_ id: JSONRPCID?) -> Response {
        json(404, .errorResponse(id: id, error: JSONRPCError(code: JSONRPCError.invalidRequest, message: "Session not found", data: nil)))
    }
}
