import AgentGWMCP
import NIOCore
import NIOHTTP1
import NIOSSL

/// One proxied request: sends it upstream on a pooled connection of the same event loop, and
/// streams the response back as it arrives. SSE passes through event by event, unbuffered, with
/// `: keepalive` comments when idle; only a tools/list response under tool rules is rewritten.
final class ProxyExchange: UpstreamDelegate {
    unowned let handler: GatewayHandler
    let context: ChannelHandlerContext
    let gateway: GatewayContext
    let request: HTTPRequestHead
    let upstream: UpstreamRequest
    var log: AccessLog.Entry
    let startedAt: NIODeadline
    let requestID: JSONRPCID?
    let requestTimeout: TimeAmount
    let idleTimeout: TimeAmount
    let toolFilter: ToolMatcher?
    let toolFilterPair: (ToolMatcher, ToolMatcher)
    let responseFilters: [RouteFilter]
    let mcpMethod: String?
    let pool: UpstreamPool
    /// Rewrites each JSON-RPC message of the response (a multiplexed call sent straight to its
    /// target: names and URIs get the target's prefix, target request ids are mapped).
    let messageTransform: ((JSONValue) -> JSONValue)?
    /// Runs once when the exchange ends, however it ends.
    var onFinish: (() -> Void)?

    var connection: UpstreamConnection?
    var headSent = false
    var isSSE = false
    var counted = false
    var atEventBoundary = true
    var wroteSinceTick = false
    var timer: Scheduled<Void>?
    var keepaliveTimer: Scheduled<Void>?
    var finished = false
    var status = 0
    var closeAfter = false
    var jsonBuffer: ByteBuffer?
    var sseFilter: SSEParser?

    init(handler: GatewayHandler, context: ChannelHandlerContext, gateway: GatewayContext, request: HTTPRequestHead, upstream: UpstreamRequest,
         log: AccessLog.Entry, start: NIODeadline, requestID: JSONRPCID?, requestTimeout: TimeAmount, idleTimeout: TimeAmount,
         toolFilter: ToolMatcher?, toolFilterPair: (ToolMatcher, ToolMatcher), responseFilters: [RouteFilter], mcpMethod: String?,
         messageTransform: ((JSONValue) -> JSONValue)? = nil) {
        self.messageTransform = messageTransform
        self.handler = handler
        self.context = context
        self.gateway = gateway
        self.request = request
        self.upstream = upstream
        self.log = log
        self.startedAt = start
        self.requestID = requestID
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
        self.toolFilter = toolFilter
        self.toolFilterPair = toolFilterPair
        self.responseFilters = responseFilters
        self.mcpMethod = mcpMethod
        self.pool = gateway.pool(for: context.eventLoop)
        self.closeAfter = !request.isKeepAlive
    }

    var backendLabel: String { log.backend }
    var healthKey: String { TargetHealth.key(host: upstream.connectHost, port: upstream.connectPort) }

    func start() {
        arm(requestTimeout) { [weak self] in self?.timedOut() }
        var tls: (context: NIOSSLContext, serverName: String)? = nil
        if let name = upstream.tlsServerName {
            guard let context = gateway.upstreamTLS else { return upstreamFailed(TLSUnavailable()) }
            tls = (context, name)
        }
        pool.acquire(host: upstream.connectHost, port: upstream.connectPort, tls: tls).assumeIsolated().whenComplete { [self] result in
            guard !finished else {
                if case .success(let conn) = result { pool.release(conn) }
                return
            }
            switch result {
            case .success(let conn):
                connection = conn
                conn.delegate = self
                // Head, body and end in one flush: one syscall for small requests.
                let channel = conn.channel
                channel.write(HTTPClientRequestPart.head(upstream.head), promise: nil)
                if upstream.body.readableBytes > 0 {
                    channel.write(HTTPClientRequestPart.body(.byteBuffer(upstream.body)), promise: nil)
                }
                channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            case .failure(let error):
                upstreamError("connect", error)
                localError(.badGateway, "upstream \(upstream.connectHost):\(upstream.connectPort) is unavailable: \(Self.describe(error))")
            }
        }
    }

    // MARK: UpstreamDelegate

    func upstreamHead(_ head: HTTPResponseHead) {
        guard !finished else { return }
        timer?.cancel()
        status = Int(head.status.code)
        if status >= 500 {
            gateway.health.failure(healthKey, "HTTP \(status) from the upstream")
        } else {
            gateway.health.success(healthKey, protocolVersion: head.headers.first(name: "mcp-protocol-version") ?? request.headers.first(name: "mcp-protocol-version"))
        }
        var headers = HTTPHeaders()
        let connectionTokens = Set(head.headers[canonicalForm: "connection"].map { $0.lowercased() })
        for h in head.headers {
            let lower = h.name.lowercased()
            if UpstreamRequest.hopByHop.contains(lower) && lower != "content-length" { continue }
            if connectionTokens.contains(lower) { continue }
            headers.add(name: h.name, value: h.value)
        }
        let contentType = head.headers.first(name: "content-type")?.lowercased() ?? ""
        isSSE = contentType.hasPrefix("text/event-stream")
        if toolFilter != nil || messageTransform != nil, status == 200 {
            headers.remove(name: "content-length")
            if isSSE { sseFilter = SSEParser() } else if contentType.hasPrefix("application/json") { jsonBuffer = context.channel.allocator.buffer(capacity: 4096) }
        }
        if isSSE {
            // Streams are framed by chunks; a length from upstream can't survive keep-alives.
            headers.remove(name: "content-length")
            counted = true
            gateway.streamOpened()
            scheduleKeepalive()
            arm(idleTimeout) { [weak self] in self?.idleExpired() }
        }
        for filter in responseFilters {
            if case .responseHeaders(let edits) = filter {
                var list = headers.map { (name: $0.name, value: $0.value) }
                edits.apply(to: &list)
                headers = HTTPHeaders(list.map { ($0.name, $0.value) })
            }
        }
        if mcpMethod == "initialize", status < 300, head.headers.contains(name: "mcp-session-id") {
            gateway.metrics.increment("agentgw_sessions_started_total", [("route", log.route)])
        }
        if request.method == .DELETE, status < 300, request.headers.contains(name: "mcp-session-id") {
            gateway.metrics.increment("agentgw_sessions_ended_total", [("route", log.route)])
        }
        if closeAfter || handler.draining { headers.replaceOrAdd(name: "connection", value: "close") }
        headSent = true
        let out = HTTPResponseHead(version: request.version, status: head.status, headers: headers)
        if isSSE {
            context.writeAndFlush(handler.wrapOutboundOut(.head(out)), promise: nil)
        } else {
            context.write(handler.wrapOutboundOut(.head(out)), promise: nil)
        }
    }

    func upstreamBody(_ buffer: ByteBuffer) {
        guard !finished else { return }
        var buffer = buffer
        if jsonBuffer != nil {
            jsonBuffer?.writeBuffer(&buffer)
            return
        }
        if sseFilter != nil {
            writeFilteredSSE(buffer)
            return
        }
        log.bytesOut += buffer.readableBytes
        if isSSE {
            atEventBoundary = Self.endsEvent(buffer)
            wroteSinceTick = true
            arm(idleTimeout) { [weak self] in self?.idleExpired() }
            context.writeAndFlush(handler.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            applyBackpressure()
        } else {
            context.write(handler.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
    }

    func upstreamEnd() {
        guard !finished else { return }
        // A close-delimited event stream that stops mid-event was cut, not finished.
        if isSSE, sseFilter == nil, !atEventBoundary { return upstreamFailed(ChannelError.eof) }
        if var json = jsonBuffer {
            let filtered = rewrite(json.readBytes(length: json.readableBytes) ?? [])
            log.bytesOut += filtered.count
            context.write(handler.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: filtered)))), promise: nil)
        }
        if let conn = connection {
            connection = nil
            pool.release(conn)
        }
        finish(writeEnd: true, close: closeAfter)
    }

    func upstreamFailed(_ error: any Error) {
        guard !finished else { return }
        let conn = connection
        connection = nil
        if let conn { pool.discard(conn) }
        upstreamError(headSent ? "reset" : "connect", error)
        if !headSent {
            localError(.badGateway, "upstream \(upstream.connectHost):\(upstream.connectPort) failed: \(Self.describe(error))")
            return
        }
        if isSSE {
            // A clean end for the client: a JSON-RPC error for its request, then the stream ends.
            if request.method == .POST, let id = requestID {
                let message = JSONRPCMessage.errorResponse(id: id, error: JSONRPCError(code: JSONRPCError.internalError, message: "upstream connection lost", data: nil))
                // A stream cut mid-event gets that event ended first, so the error is an event of its own.
                let event = (atEventBoundary ? "" : "\n\n") + SSEEncoder.event(message.serialized(), event: "message")
                context.write(handler.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: event)))), promise: nil)
            }
            log.note = "upstream closed the stream"
            finish(writeEnd: true, close: false)
        } else {
            // A cut JSON body can't be mended: close so the client sees the truncation.
            log.note = "upstream reset mid-response"
            finish(writeEnd: false, close: true)
        }
    }

    // MARK: client side

    func clientGone() {
        guard !finished else { return }
        if let conn = connection {
            connection = nil
            pool.discard(conn)
        }
        log.note = "client went away"
        finished = true
        cleanup()
        record()
    }

    /// Server drain: streams end now (cleanly, chunked terminator); other requests finish.
    func drain() {
        closeAfter = true
        guard isSSE, headSent, !finished else { return }
        if let conn = connection {
            connection = nil
            pool.discard(conn)
        }
        log.note = "drained"
        finish(writeEnd: true, close: true)
    }

    func writabilityChanged() {
        connection?.channel.setOption(ChannelOptions.autoRead, value: context.channel.isWritable).whenFailure { _ in }
    }

    // MARK: helpers

    /// One message (a JSON body or an SSE event's data) through the tool filter and the
    /// transform; unparsable data passes unchanged.
    func rewrite(_ bytes: [UInt8]) -> [UInt8] {
        guard var value = try? JSONValue.parse(bytes) else { return bytes }
        if toolFilter != nil { _ = ToolListFilter.filter(&value, allows: allows) }
        if let messageTransform { value = messageTransform(value) }
        return value.serializedBytes()
    }

    func rewrite(_ text: String) -> String {
        guard !text.isEmpty else { return text }
        return String(decoding: rewrite(Array(text.utf8)), as: UTF8.self)
    }

    func allows(_ tool: String) -> Bool {
        toolFilterPair.0.allows(tool) && toolFilterPair.1.allows(tool)
    }

    func writeFilteredSSE(_ buffer: ByteBuffer) {
        var out = ""
        do {
            let items = try sseFilter?.feed(buffer.readableBytesView) ?? []
            for item in items {
                switch item {
                case .comment(let c): out += SSEEncoder.comment(c)
                case .event(let e):
                    let data = rewrite(e.data)
                    out += SSEEncoder.event(data, event: e.event, id: e.id, retry: e.retry)
                }
            }
        } catch {
            upstreamFailed(error)
            return
        }
        guard !out.isEmpty else { return }
        atEventBoundary = true
        wroteSinceTick = true
        log.bytesOut += out.utf8.count
        context.writeAndFlush(handler.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: out)))), promise: nil)
    }

    /// Slow client: stop reading upstream until the client drains its buffer.
    func applyBackpressure() {
        if !context.channel.isWritable {
            connection?.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        }
    }

    func scheduleKeepalive() {
        let interval = gateway.options.sseKeepalive
        keepaliveTimer = context.eventLoop.assumeIsolated().scheduleTask(in: interval) { [weak self] in
            guard let self, !self.finished else { return }
            if !self.wroteSinceTick && self.atEventBoundary {
                let comment = self.context.channel.allocator.buffer(string: ": keepalive\n\n")
                self.context.writeAndFlush(self.handler.wrapOutboundOut(.body(.byteBuffer(comment))), promise: nil)
            }
            self.wroteSinceTick = false
            self.scheduleKeepalive()
        }
    }

    func arm(_ delay: TimeAmount, _ action: @escaping () -> Void) {
        timer?.cancel()
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: delay, action)
    }

    func timedOut() {
        guard !finished, !headSent else { return }
        if let conn = connection {
            connection = nil
            pool.discard(conn)
        }
        gateway.metrics.increment("agentgw_upstream_errors_total", [("backend", backendLabel), ("kind", "timeout")])
        let message = "upstream did not answer within \(requestTimeout.nanoseconds / 1_000_000) ms"
        gateway.health.failure(healthKey, message)
        localError(.gatewayTimeout, message)
    }

    func idleExpired() {
        guard !finished, isSSE else { return }
        if let conn = connection {
            connection = nil
            pool.discard(conn)
        }
        log.note = "stream idle timeout"
        finish(writeEnd: true, close: true)
    }

    func upstreamError(_ kind: String, _ error: any Error) {
        gateway.metrics.increment("agentgw_upstream_errors_total", [("backend", backendLabel), ("kind", kind)])
        gateway.health.failure(healthKey, kind == "reset" ? "connection lost mid-response: \(Self.describe(error))" : Self.describe(error))
    }

    func localError(_ status: HTTPResponseStatus, _ message: String) {
        guard !finished else { return }
        finished = true
        cleanup()
        log.note = message
        let bytes = handler.respond(context, request: request, status: status, code: JSONRPCError.internalError, message: message,
                                    id: requestID, close: closeAfter)
        self.status = Int(status.code)
        log.bytesOut = bytes
        record()
        handler.exchangeFinished(context, close: closeAfter)
    }

    func finish(writeEnd: Bool, close: Bool) {
        guard !finished else { return }
        finished = true
        cleanup()
        if writeEnd {
            if close {
                context.writeAndFlush(handler.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { [context] _ in context.close(promise: nil) }
            } else {
                context.writeAndFlush(handler.wrapOutboundOut(.end(nil)), promise: nil)
            }
        } else {
            context.close(promise: nil)
        }
        record()
        handler.exchangeFinished(context, close: close)
    }

    func cleanup() {
        onFinish?()
        onFinish = nil
        timer?.cancel()
        keepaliveTimer?.cancel()
        if counted {
            counted = false
            gateway.streamClosed()
        }
    }

    func record() {
        log.status = status
        handler.record(log, start: startedAt, backend: backendLabel)
    }

    /// Whether forwarded SSE bytes end an event (a blank line), so a keep-alive comment or an
    /// error event can't land inside one.
    static func endsEvent(_ buffer: ByteBuffer) -> Bool {
        let view = buffer.readableBytesView
        guard view.count >= 2 else { return false }
        let last = view[view.index(before: view.endIndex)]
        let prev = view[view.index(view.endIndex, offsetBy: -2)]
        return last == UInt8(ascii: "\n") && (prev == UInt8(ascii: "\n") || prev == UInt8(ascii: "\r"))
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectTimeout") { return "connect timeout" }
        if text.contains("refused") || text.contains("errno: 111") { return "connection refused" }
        if text.contains("eof") || text.contains("EOF") { return "connection closed" }
        return text.count > 120 ? String(text.prefix(120)) : text
    }
}

/// Filters the tools of a tools/list result (JSON body or one SSE event's data).
enum ToolListFilter {
    static func filterJSON(_ bytes: [UInt8], allows: (String) -> Bool) -> [UInt8] {
        guard var value = try? JSONValue.parse(bytes), filter(&value, allows: allows) else { return bytes }
        return value.serializedBytes()
    }

    static func filterJSONText(_ text: String, allows: (String) -> Bool) -> String {
        guard var value = try? JSONValue.parse(text), filter(&value, allows: allows) else { return text }
        return value.serialized()
    }

    /// Removes disallowed tools from `result.tools`; false if there was nothing to filter.
    static func filter(_ value: inout JSONValue, allows: (String) -> Bool) -> Bool {
        guard case .object(var message) = value, case .object(var result)? = message["result"],
              case .array(let tools)? = result["tools"] else { return false }
        result["tools"] = .array(tools.filter { allows($0["name"]?.string ?? "") })
        message["result"] = .object(result)
        value = .object(message)
        return true
    }
}

/// The upstream TLS context could not be built (an unreadable --upstream-ca-file).
struct TLSUnavailable: Error {}
