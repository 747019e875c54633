import AgentGWMCP
import NIOCore
import NIOHTTP1
import NIOSSL

/// Sends one request upstream on a pooled connection and collects the whole answer (a JSON
/// body, or an SSE stream up to the response event). Lives on the client connection's loop.
final class UpstreamCollector: UpstreamDelegate {
    let pool: UpstreamPool
    let promise: EventLoopPromise<DirectList.Reply>
    var connection: UpstreamConnection?
    var status = 0
    var contentType = ""
    var body: [UInt8] = []
    var parser: SSEParser?
    var timer: Scheduled<Void>?
    var done = false
    static let maxBytes = 16 << 20

    init(pool: UpstreamPool, promise: EventLoopPromise<DirectList.Reply>) {
        self.pool = pool
        self.promise = promise
    }

    func start(_ request: DirectList.Request, tls: NIOSSLContext?, timeout: TimeAmount) {
        let t = request.target
        var headers = HTTPHeaders(request.headers)
        headers.replaceOrAdd(name: "Content-Length", value: String(request.body.count))
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: t.path, headers: headers)
        timer = pool.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in fail(ChannelError.connectTimeout(timeout)) }
        var secure: (context: NIOSSLContext, serverName: String)? = nil
        if t.tls {
            guard let tls else { return fail(TLSUnavailable()) }
            secure = (tls, t.serverName)
        }
        let body = request.body
        pool.acquire(host: t.connectHost, port: t.connectPort, tls: secure).assumeIsolated().whenComplete { [self] result in
            switch result {
            case .success(let conn):
                guard !done else { return pool.release(conn) }
                connection = conn
                conn.delegate = self
                conn.channel.write(HTTPClientRequestPart.head(head), promise: nil)
                conn.channel.write(HTTPClientRequestPart.body(.byteBuffer(conn.channel.allocator.buffer(bytes: body))), promise: nil)
                conn.channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            case .failure(let error):
                fail(error)
            }
        }
    }

    func upstreamHead(_ head: HTTPResponseHead) {
        status = Int(head.status.code)
        contentType = head.headers.first(name: "content-type")?.lowercased() ?? ""
        if contentType.hasPrefix("text/event-stream") { parser = SSEParser() }
    }

    func upstreamBody(_ buffer: ByteBuffer) {
        guard !done else { return }
        body += buffer.readableBytesView
        if body.count > Self.maxBytes { return fail(ChannelError.inputClosed) }
        if parser != nil, status == 200, let reply = Optional(DirectList.Reply(status: status, contentType: contentType, body: body)),
           DirectList.response(in: reply) != nil {
            // The answer is in; a stream may stay open after it, so the connection isn't reused.
            if let conn = connection { connection = nil; pool.discard(conn) }
            succeed()
        }
    }

    func upstreamEnd() {
        guard !done else { return }
        if let conn = connection { connection = nil; pool.release(conn) }
        succeed()
    }

    func upstreamFailed(_ error: any Error) { fail(error) }

    func succeed() {
        guard !done else { return }
        done = true
        timer?.cancel()
        promise.succeed(DirectList.Reply(status: status, contentType: contentType, body: body))
    }

    func fail(_ error: any Error) {
        guard !done else { return }
        done = true
        timer?.cancel()
        if let conn = connection { connection = nil; pool.discard(conn) }
        promise.fail(error)
    }
}

extension GatewayHandler {
    /// A multiplexed list request answered from the event loop: one collector per target,
    /// merged when all have answered or failed.
    func fanOut(_ context: ChannelHandlerContext, request: HTTPRequestHead, list: DirectList, log: AccessLog.Entry, start: NIODeadline,
                backend: String, timeout: TimeAmount) {
        let pool = gateway.pool(for: context.eventLoop)
        let writer = ChannelReplyWriter(handler: self, context: context, request: request, log: log, start: start, backend: backend)
        busy = true
        var collectors: [UpstreamCollector] = []
        var futures: [EventLoopFuture<DirectList.Reply>] = []
        for r in list.requests {
            let promise = context.eventLoop.makePromise(of: DirectList.Reply.self)
            let c = UpstreamCollector(pool: pool, promise: promise)
            collectors.append(c)
            futures.append(promise.futureResult)
            c.start(r, tls: r.target.tls ? gateway.upstreamTLS : nil, timeout: timeout)
        }
        EventLoopFuture.whenAllComplete(futures, on: context.eventLoop).assumeIsolated().whenSuccess { results in
            _ = collectors   // the collectors live until every target has answered
            let response = list.answer(results.map { try? $0.get() })
            writer.start(status: response.status, headers: response.headers, body: response.body)
        }
    }
}
