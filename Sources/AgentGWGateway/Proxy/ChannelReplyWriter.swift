import NIOCore
import NIOHTTP1

/// Writes a multiplexed answer (whole, or streamed) on the client connection's event loop and
/// records it in the access log when it ends.
struct ChannelReplyWriter: MultiplexReplyWriter {
    let bound: NIOLoopBound<(GatewayHandler, ChannelHandlerContext)>
    let request: HTTPRequestHead
    let log: AccessLog.Entry
    let start: NIODeadline
    let backend: String
    /// Bytes written and the status, kept on the event loop.
    let state: NIOLoopBoundBox<(status: Int, bytes: Int)>

    init(handler: GatewayHandler, context: ChannelHandlerContext, request: HTTPRequestHead, log: AccessLog.Entry, start: NIODeadline, backend: String) {
        bound = NIOLoopBound((handler, context), eventLoop: context.eventLoop)
        state = NIOLoopBoundBox((0, 0), eventLoop: context.eventLoop)
        self.request = request
        self.log = log
        self.start = start
        self.backend = backend
    }

    func start(status: Int, headers: [(String, String)], body: [UInt8]?) {
        let (bound, state, request) = (bound, state, request)
        bound.eventLoop.execute {
            let (handler, context) = bound.value
            var h = HTTPHeaders(headers)
            if let body {
                h.replaceOrAdd(name: "content-length", value: String(body.count))
            } else {
                h.replaceOrAdd(name: "transfer-encoding", value: "chunked")
            }
            if !request.isKeepAlive || handler.draining { h.replaceOrAdd(name: "connection", value: "close") }
            context.write(handler.wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: .init(statusCode: status), headers: h))), promise: nil)
            state.value.status = status
            if let body {
                context.write(handler.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
                state.value.bytes += body.count
                finish(handler, context)
            } else {
                context.flush()
            }
        }
    }

    func write(_ bytes: [UInt8]) {
        let (bound, state) = (bound, state)
        bound.eventLoop.execute {
            let (handler, context) = bound.value
            guard context.channel.isActive else { return }
            context.writeAndFlush(handler.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
            state.value.bytes += bytes.count
        }
    }

    func end() {
        let bound = bound
        bound.eventLoop.execute {
            let (handler, context) = bound.value
            finish(handler, context)
        }
    }

    private func finish(_ handler: GatewayHandler, _ context: ChannelHandlerContext) {
        handler.busy = false
        handler.multiplexTask = nil
        handler.waitingSince = .now()
        let close = !request.isKeepAlive || handler.draining
        let done = context.writeAndFlush(handler.wrapOutboundOut(.end(nil)))
        if close { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
        var entry = log
        entry.status = state.value.status
        entry.bytesOut = state.value.bytes
        handler.record(entry, start: start, backend: backend)
    }
}
