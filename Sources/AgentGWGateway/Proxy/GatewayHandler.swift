import AgentGWMCP
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// The data plane's per-connection handler. It collects a (size-limited) request, then runs
/// routing and the policy chain synchronously on the event loop, and either answers locally or
/// hands the request to a `ProxyExchange` that streams the upstream response back.
final class GatewayHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let gateway: GatewayContext
    /// The Gateway listener port this socket serves (before `--port-map`).
    let listenerPort: Int
    var head: HTTPRequestHead?
    var body: ByteBuffer?
    var bodyBytes = 0
    var rejecting = false
    var tooManyHeaders = false
    var exchange: ProxyExchange?
    /// A multiplexed request is being answered by a task.
    var busy = false
    /// The task answering a multiplexed request; cancelled when the client goes away, which is
    /// how a client cancels (and ends a server stream).
    var multiplexTask: Task<Void, Never>?
    var draining = false
    var clientAddress = "-"
    /// Since when the connection has been waiting for a complete request (nil: a request is
    /// being answered). A client that dribbles a request (slowloris) resets the idle timer with
    /// every byte but never beats this deadline.
    var waitingSince: NIODeadline? = .now()
    var requestDeadlineCheck: RepeatedTask?

    init(gateway: GatewayContext, listenerPort: Int) {
        self.gateway = gateway
        self.listenerPort = listenerPort
    }

    func channelActive(context: ChannelHandlerContext) {
        clientAddress = context.channel.remoteAddress?.ipAddress ?? "-"
        waitingSince = .now()
        let limit = gateway.options.clientIdleTimeout
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let every = TimeAmount.nanoseconds(max(limit.nanoseconds / 4, 50_000_000))
        requestDeadlineCheck = context.eventLoop.scheduleRepeatedTask(initialDelay: every, delay: every) { _ in
            let (handler, context) = bound.value
            if let since = handler.waitingSince, handler.exchange == nil, !handler.busy, NIODeadline.now() - since > limit {
                context.close(promise: nil)
            }
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = nil
            bodyBytes = 0
            rejecting = false
            tooManyHeaders = h.headers.count > gateway.options.maxHeaderCount
            if tooManyHeaders { rejecting = true }
            if let length = h.headers.first(name: "content-length").flatMap(Int.init), length > gateway.options.maxBodyBytes {
                rejecting = true
            }
            if h.headers.contains(name: "content-length") && h.headers.contains(name: "transfer-encoding") {
                // Conflicting framing is how requests get smuggled; refuse it outright.
                rejecting = true
            }
        case .body(var chunk):
            guard !rejecting else { return }
            bodyBytes += chunk.readableBytes
            if bodyBytes > gateway.options.maxBodyBytes {
                rejecting = true
                body = nil
                return
            }
            if body == nil { body = chunk } else { body?.writeBuffer(&chunk) }
        case .end:
            guard let h = head else { return }
            head = nil
            waitingSince = nil
            if rejecting {
                let smuggling = h.headers.contains(name: "content-length") && h.headers.contains(name: "transfer-encoding")
                let status: HTTPResponseStatus = tooManyHeaders ? .requestHeaderFieldsTooLarge : smuggling ? .badRequest : .payloadTooLarge
                let message = tooManyHeaders ? "more than \(gateway.options.maxHeaderCount) header fields"
                    : smuggling ? "conflicting Content-Length and Transfer-Encoding" : "request body over \(gateway.options.maxBodyBytes) bytes"
                let sent = respond(context, request: h, status: status, code: JSONRPCError.invalidRequest, message: message, close: true)
                var log = AccessLog.Entry(client: clientAddress, method: h.method.rawValue, path: Self.splitURI(h.uri).path, route: "", backend: "",
                                          mcpMethod: nil, tool: nil, status: Int(status.code), durationMs: 0, bytesIn: bodyBytes, bytesOut: sent, note: message)
                log.durationMs = 0
                record(log, start: .now(), backend: "")
                return
            }
            handle(context, request: h, body: body ?? ByteBuffer())
            body = nil
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            // Slow or idle clients: close unless a response is streaming to them.
            if exchange == nil && !busy { context.close(promise: nil) }
            return
        }
        if event is DrainEvent {
            draining = true
            if let exchange { exchange.drain() } else if !busy { context.close(promise: nil) } else { multiplexTask?.cancel() }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        exchange?.writabilityChanged()
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        requestDeadlineCheck?.cancel()
        requestDeadlineCheck = nil
        multiplexTask?.cancel()
        multiplexTask = nil
        exchange?.clientGone()
        exchange = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        exchange?.clientGone()
        exchange = nil
        context.close(promise: nil)
    }

    // MARK: request handling

    func handle(_ context: ChannelHandlerContext, request: HTTPRequestHead, body: ByteBuffer) {
        let start = NIODeadline.now()
        let headers = request.headers.map { (name: $0.name, value: $0.value) }
        let (path, query) = Self.splitURI(request.uri)
        let host = Self.hostWithoutPort(request.headers.first(name: "host") ?? "")
        var log = AccessLog.Entry(client: clientAddress, method: request.method.rawValue, path: path, route: "", backend: "",
                                  mcpMethod: nil, tool: nil, status: 0, durationMs: 0, bytesIn: body.readableBytes, bytesOut: 0, note: nil)

        if gateway.options.loopbackBind, let origin = request.headers.first(name: "origin"), !Self.isLoopbackOrigin(origin) {
            log.note = "foreign origin"
            finishLocal(context, request: request, log: &log, start: start, status: .forbidden, code: JSONRPCError.invalidRequest,
                        message: "Forbidden: Origin not allowed", id: nil)
            return
        }

        let config = gateway.store.current
        let info = RequestInfo(method: request.method.rawValue, host: host, path: path, query: Self.parseQuery(query), headers: headers)
        guard let listener = config.listeners[listenerPort], let match = listener.routes.match(info) else {
            finishLocal(context, request: request, log: &log, start: start, status: .notFound, code: -32601,
                        message: "no route matches \(request.method.rawValue) \(host)\(path)", id: nil)
            return
        }
        let rule = match.rule
        log.route = rule.routeName
        let policy = rule.policy

        // The JSON-RPC envelope only: method, id and tool name; the body is forwarded as is.
        let envelope = request.method == .POST ? body.withUnsafeReadableBytes { JSONRPCEnvelope.scan($0) } : nil
        log.mcpMethod = envelope?.method
        if envelope?.method == "tools/call" { log.tool = envelope?.name }
        let id = envelope?.id

        for filter in rule.filters {
            if case .redirect(let scheme, let hostname, let pathModifier, let port, let statusCode) = filter {
                let location = RouteFilter.redirectLocation(scheme: "http", host: host, port: listenerPort, path: path, query: query,
                                                            matchedPrefix: match.matchedPrefix, redirectScheme: scheme, redirectHostname: hostname,
                                                            redirectPath: pathModifier, redirectPort: port)
                var h = HTTPHeaders([("location", location), ("content-length", "0")])
                if !request.isKeepAlive { h.add(name: "connection", value: "close") }
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: .init(statusCode: statusCode), headers: h))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                log.status = statusCode
                record(log, start: start, backend: "")
                return
            }
        }

        // 1. API keys (constant-time). The credential is stripped before forwarding below.
        if let keys = policy.apiKeys {
            let presented = APIKeyAuth.presentedKey(headers: headers, header: policy.apiKeyHeader)
            if !APIKeyAuth.accepts(presented, keys: keys) {
                gateway.metrics.increment("agentgw_auth_failures_total", [("route", rule.routeName)])
                log.note = presented == nil ? "missing api key" : "wrong api key"
                finishLocal(context, request: request, log: &log, start: start, status: .unauthorized, code: -32001,
                            message: "api key authentication failure", id: id,
                            extraHeaders: [("www-authenticate", "Bearer realm=\"kubectl-agentgw\"")])
                return
            }
        }

        // 2. Tool rules: a denied tools/call never reaches upstream.
        let target: MCPTarget? = rule.backends.first.flatMap { if case .mcp(let t) = $0.backend { return t } else { return nil } }
        if envelope?.method == "tools/call", let tool = envelope?.name, !policy.tools.allows(tool) || !(target?.tools.allows(tool) ?? true) {
            gateway.metrics.increment("agentgw_tool_denied_total", [("route", rule.routeName), ("tool", tool)])
            log.note = "tool denied"
            finishLocal(context, request: request, log: &log, start: start, status: .ok, code: JSONRPCError.invalidParams,
                        message: "tool not allowed: \(tool)", id: id)
            return
        }

        // 3. Rate limits.
        for limit in policy.rateLimits {
            if let pattern = limit.tool {
                guard envelope?.method == "tools/call", let tool = envelope?.name, Glob.matches(pattern, tool) else { continue }
            }
            let key: String
            switch limit.scope {
            case .route: key = rule.routeName
            case .apiKey:
                if let k = APIKeyAuth.presentedKey(headers: headers, header: policy.apiKeyHeader), policy.apiKeys != nil {
                    key = "key:" + Self.fingerprint(k)
                } else {
                    key = "ip:" + clientAddress
                }
            case .client: key = "ip:" + clientAddress
            }
            let decision = gateway.rateLimiter.take(limit, key: key)
            if !decision.allowed {
                gateway.metrics.increment("agentgw_rate_limited_total", [("route", rule.routeName)])
                log.note = "rate limited"
                finishLocal(context, request: request, log: &log, start: start, status: .tooManyRequests, code: -32029,
                            message: "rate limit exceeded: \(limit.requests) requests per \(limit.window.components.seconds) s", id: id,
                            extraHeaders: [("retry-after", String(max(1, decision.resetSeconds))),
                                           ("x-ratelimit-limit", String(decision.limit)),
                                           ("x-ratelimit-remaining", "0"),
                                           ("x-ratelimit-reset", String(max(1, decision.resetSeconds)))])
                return
            }
        }

        // 4. Pick a backend by weight.
        guard let backend = Self.pickBackend(rule.backends) else {
            finishLocal(context, request: request, log: &log, start: start, status: .internalServerError, code: JSONRPCError.internalError,
                        message: "the route has no usable backend", id: id)
            return
        }
        log.backend = backend.displayName
        if case .multiplexed(let m) = backend {
            if let service = gateway.multiplexer,
               let direct = service.directRoute(httpMethod: request.method.rawValue, headers: headers, body: Array(body.readableBytesView), backend: m,
                                                credential: policy.apiKeys == nil ? nil : APIKeyAuth.presentedKey(headers: headers, header: policy.apiKeyHeader)) {
                proxyDirect(context, request: request, call: direct, service: service, policy: policy, log: log, start: start, id: id,
                            filters: rule.filters, timeout: direct.target.timeout ?? rule.backendRequestTimeout ?? rule.requestTimeout ?? policy.requestTimeout)
                return
            }
            if envelope?.method.flatMap(ListKind.init(method:)) != nil, let service = gateway.multiplexer,
               let list = service.directList(httpMethod: request.method.rawValue, headers: headers, body: Array(body.readableBytesView), backend: m,
                                             credential: policy.apiKeys == nil ? nil : APIKeyAuth.presentedKey(headers: headers, header: policy.apiKeyHeader),
                                             clientTools: policy.tools) {
                let limit = rule.backendRequestTimeout ?? rule.requestTimeout ?? policy.requestTimeout
                fanOut(context, request: request, list: list, log: log, start: start, backend: m.backendName,
                       timeout: limit.map(Self.timeAmount) ?? gateway.options.defaultRequestTimeout)
                return
            }
            serveMultiplexed(context, request: request, headers: headers, body: body, backend: m, policy: policy, log: log, start: start)
            return
        }
        let upstream = UpstreamRequest.build(request: request, path: path, query: query, host: host, body: body, backend: backend,
                                             filters: rule.filters, matchedPrefix: match.matchedPrefix, policy: policy,
                                             clientAddress: clientAddress, scheme: config.listeners[listenerPort]?.tls == nil ? "http" : "https")
        // Time to the response head: the target's own timeout, then the rule's backendRequest and
        // request timeouts, then the policy's, then the flag default.
        var chosen: Duration? = nil
        if case .mcp(let t) = backend { chosen = t.timeout }
        if chosen == nil { chosen = rule.backendRequestTimeout }
        if chosen == nil { chosen = rule.requestTimeout }
        if chosen == nil { chosen = policy.requestTimeout }
        let timeout: TimeAmount = chosen.map(Self.timeAmount) ?? gateway.options.defaultRequestTimeout
        let idle: TimeAmount = policy.idleTimeout.map(Self.timeAmount) ?? gateway.options.defaultIdleTimeout
        let toolFilter: ToolMatcher? = (envelope?.method == "tools/list" && (!policy.tools.isAll || !(target?.tools.isAll ?? true)))
            ? ToolMatcher(include: policy.tools.include + (target?.tools.include ?? []), exclude: policy.tools.exclude + (target?.tools.exclude ?? []))
            : nil
        let exchange = ProxyExchange(handler: self, context: context, gateway: gateway, request: request, upstream: upstream,
                                     log: log, start: start, requestID: id, requestTimeout: timeout, idleTimeout: idle,
                                     toolFilter: toolFilter, toolFilterPair: (policy.tools, target?.tools ?? .all),
                                     responseFilters: rule.filters, mcpMethod: envelope?.method)
        self.exchange = exchange
        exchange.start()
    }

    /// A multiplexed call that goes straight to its target (see ``DirectCall``): proxied like a
    /// single-target request, with its messages rewritten.
    func proxyDirect(_ context: ChannelHandlerContext, request: HTTPRequestHead, call: DirectCall, service: MultiplexService, policy: EffectivePolicy,
                     log: AccessLog.Entry, start: NIODeadline, id: JSONRPCID?, filters: [RouteFilter], timeout: Duration?) {
        let t = call.target
        var headers = HTTPHeaders(call.headers)
        headers.replaceOrAdd(name: "Content-Length", value: String(call.body.count))
        let upstream = UpstreamRequest(connectHost: t.connectHost, connectPort: t.connectPort,
                                       head: HTTPRequestHead(version: .http1_1, method: .POST, uri: t.path, headers: headers),
                                       body: context.channel.allocator.buffer(bytes: call.body), isMCP: true, tlsServerName: t.tls ? t.serverName : nil)
        let idle: TimeAmount = policy.idleTimeout.map(Self.timeAmount) ?? gateway.options.defaultIdleTimeout
        let exchange = ProxyExchange(handler: self, context: context, gateway: gateway, request: request, upstream: upstream,
                                     log: log, start: start, requestID: id, requestTimeout: timeout.map(Self.timeAmount) ?? gateway.options.defaultRequestTimeout,
                                     idleTimeout: idle, toolFilter: nil, toolFilterPair: (.all, .all),
                                     responseFilters: filters, mcpMethod: call.method, messageTransform: call.transform)
        exchange.onFinish = service.track(call)
        self.exchange = exchange
        exchange.start()
    }

    /// A multiplexed Backend: the MCP logic runs as a task (it talks to several targets), and
    /// its answer is written back on this connection's event loop.
    func serveMultiplexed(_ context: ChannelHandlerContext, request: HTTPRequestHead, headers: [(name: String, value: String)], body: ByteBuffer,
                          backend: MultiplexedBackend, policy: EffectivePolicy, log: AccessLog.Entry, start: NIODeadline) {
        var log = log
        guard let service = gateway.multiplexer else {
            finishLocal(context, request: request, log: &log, start: start, status: .internalServerError, code: JSONRPCError.internalError,
                        message: "multiplexing is not enabled", id: nil)
            return
        }
        let credential = policy.apiKeys == nil ? nil : APIKeyAuth.presentedKey(headers: headers, header: policy.apiKeyHeader)
        let bytes = Array(body.readableBytesView)
        let writer = ChannelReplyWriter(handler: self, context: context, request: request, log: log, start: start, backend: backend.backendName)
        let method = request.method.rawValue
        let tools = policy.tools
        let keepalive = Duration.nanoseconds(gateway.options.sseKeepalive.nanoseconds)
        busy = true
        // The task cancels itself when the client sends notifications/cancelled for its request.
        let handle = NIOLockedValueBox<Task<Void, Never>?>(nil)
        let task = Task {
            await service.handle(httpMethod: method, headers: headers, body: bytes, backend: backend,
                                 credential: credential, clientTools: tools, keepalive: keepalive, reply: writer,
                                 cancelRequest: { handle.withLockedValue { $0?.cancel() } })
        }
        handle.withLockedValue { $0 = task }
        multiplexTask = task
    }

    /// Called by the exchange when the response is complete (or abandoned).
    func exchangeFinished(_ context: ChannelHandlerContext, close: Bool) {
        exchange = nil
        waitingSince = .now()
        if close || draining { context.close(promise: nil) }
    }

    func record(_ log: AccessLog.Entry, start: NIODeadline, backend: String) {
        var log = log
        let elapsed = NIODeadline.now() - start
        log.durationMs = Double(elapsed.nanoseconds) / 1_000_000
        gateway.accessLog.write(log)
        let labels = [("listener", String(listenerPort)), ("route", log.route.isEmpty ? "-" : log.route), ("backend", backend.isEmpty ? "-" : backend),
                      ("method", log.mcpMethod ?? "-"), ("tool", log.tool ?? "-"), ("status", String(log.status))]
        gateway.metrics.increment("agentgw_requests_total", labels)
        gateway.metrics.observe("agentgw_request_duration_seconds", [("route", log.route.isEmpty ? "-" : log.route), ("method", log.mcpMethod ?? "-")],
                                Double(elapsed.nanoseconds) / 1e9)
        if log.mcpMethod == "tools/call", let tool = log.tool {
            gateway.metrics.observe("agentgw_tool_call_duration_seconds", [("route", log.route.isEmpty ? "-" : log.route), ("tool", tool)], Double(elapsed.nanoseconds) / 1e9)
        }
    }

    /// A local answer (error or policy refusal) with a JSON-RPC error body.
    func finishLocal(_ context: ChannelHandlerContext, request: HTTPRequestHead, log: inout AccessLog.Entry, start: NIODeadline,
                     status: HTTPResponseStatus, code: Int, message: String, id: JSONRPCID?, extraHeaders: [(String, String)] = []) {
        let bytes = respond(context, request: request, status: status, code: code, message: message, id: id, extraHeaders: extraHeaders, close: false)
        log.status = Int(status.code)
        log.bytesOut = bytes
        record(log, start: start, backend: log.backend)
    }

    @discardableResult
    func respond(_ context: ChannelHandlerContext, request: HTTPRequestHead, status: HTTPResponseStatus, code: Int, message: String,
                 id: JSONRPCID? = nil, extraHeaders: [(String, String)] = [], close: Bool) -> Int {
        waitingSince = .now()
        let error = JSONRPCMessage.errorResponse(id: id, error: JSONRPCError(code: code, message: message, data: nil))
        let bytes = error.serializedBytes()
        var headers = HTTPHeaders([("content-type", "application/json"), ("content-length", String(bytes.count))])
        for (k, v) in extraHeaders { headers.add(name: k, value: v) }
        let mustClose = close || draining || !request.isKeepAlive
        if mustClose { headers.replaceOrAdd(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        if mustClose {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        return bytes.count
    }

    // MARK: helpers

    /// `0s` in a manifest disables a timeout.
    static func timeAmount(_ d: Duration) -> TimeAmount {
        if d == .zero { return .hours(24 * 365) }
        return .nanoseconds(d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000)
    }

    static func pickBackend(_ backends: [(backend: BackendTarget, weight: Int)]) -> BackendTarget? {
        let usable = backends.filter { $0.weight > 0 }
        if usable.count <= 1 { return usable.first?.backend }
        let total = usable.reduce(0) { $0 + $1.weight }
        var r = Int.random(in: 0..<total)
        for b in usable {
            if r < b.weight { return b.backend }
            r -= b.weight
        }
        return usable.last?.backend
    }

    static func splitURI(_ uri: String) -> (path: String, query: String?) {
        guard let q = uri.firstIndex(of: "?") else { return (uri, nil) }
        return (String(uri[..<q]), String(uri[uri.index(after: q)...]))
    }

    static func parseQuery(_ query: String?) -> [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1)
            let name = String(kv[0]).removingPercentEncoding ?? String(kv[0])
            let value = kv.count > 1 ? (String(kv[1]).removingPercentEncoding ?? String(kv[1])) : ""
            return (name, value)
        }
    }

    static func hostWithoutPort(_ host: String) -> String {
        if host.hasPrefix("[") { return String(host.prefix { $0 != "]" }.dropFirst()).lowercased() }
        return String(host.split(separator: ":").first ?? "").lowercased()
    }

    static func isLoopbackOrigin(_ origin: String) -> Bool {
        for prefix in ["http://localhost", "https://localhost", "http://127.0.0.1", "https://127.0.0.1", "http://[::1]", "https://[::1]"] {
            if origin == prefix || origin.hasPrefix(prefix + ":") || origin.hasPrefix(prefix + "/") { return true }
        }
        return false
    }

    /// A non-reversible short name for a key, for rate-limit buckets (never logged).
    static func fingerprint(_ key: [UInt8]) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in key { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return String(h, radix: 16)
    }
}

/// Sent to every client connection when the server drains.
struct DrainEvent {}

extension ToolMatcher {
    var isAll: Bool { include.isEmpty && exclude.isEmpty }
}

extension String {
    var removingPercentEncoding: String? {
        var bytes: [UInt8] = []
        var it = Array(utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%"), it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                it = it.dropFirst(2)
            } else if b == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
