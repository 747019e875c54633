// One HTTP/1.1 client connection of the sample server: read requests one at a time (bodies
// capped), hand them to the dispatcher, write the reply (empty, JSON, or a chunked SSE stream).

import NIOCore
import NIOHTTP1

struct SampleHTTPConnection: Sendable {
    let dispatcher: SampleDispatcher
    let maxBodyBytes: Int

    /// Serves requests until the client closes, a reply ends the connection, or the server stops.
    func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body: [UInt8] = []
                var tooLarge = false
                for try await part in inbound {
                    switch part {
                    case .head(let h):
                        head = h
                        body = []
                        tooLarge = false
                    case .body(let chunk):
                        // Past the limit the rest is drained, so the client can read the 413.
                        guard !tooLarge else { continue }
                        if body.count + chunk.readableBytes > maxBodyBytes {
                            tooLarge = true
                            body = []
                        } else {
                            body.append(contentsOf: chunk.readableBytesView)
                        }
                    case .end:
                        guard let h = head else { continue }
                        head = nil
                        let reply: SampleReply
                        if tooLarge {
                            reply = .error(.payloadTooLarge, JSONRPCError.invalidRequest,
                                           "Payload Too Large: the request body exceeds \(maxBodyBytes) bytes")
                        } else {
                            reply = await dispatcher.handle(Self.request(h, body: body))
                        }
                        body = []
                        try await Self.write(reply, for: h, to: outbound)
                        if !h.isKeepAlive || Task.isCancelled { return }
                    }
                }
            }
        } catch {
            // A client that goes away mid-exchange is not the server's problem.
        }
    }

    static func request(_ head: HTTPRequestHead, body: [UInt8]) -> SampleRequest {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? head.uri
        return SampleRequest(method: head.method, path: path, headers: head.headers, body: body)
    }

    static func write(_ reply: SampleReply, for request: HTTPRequestHead,
                      to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        var headers = HTTPHeaders()
        for (name, value) in reply.headers { headers.add(name: name, value: value) }
        if !request.isKeepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        let response = { (h: HTTPHeaders) in HTTPResponseHead(version: request.version, status: reply.status, headers: h) }
        switch reply.body {
        case .none:
            headers.replaceOrAdd(name: "Content-Length", value: "0")
            try await outbound.write(.head(response(headers)))
            try await outbound.write(.end(nil))
        case .json(let value):
            let bytes = value.serializedBytes()
            headers.replaceOrAdd(name: "Content-Type", value: "application/json")
            headers.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
            try await outbound.write(contentsOf: [.head(response(headers)), .body(.byteBuffer(ByteBuffer(bytes: bytes))), .end(nil)])
        case .events(let produce):
            headers.replaceOrAdd(name: "Content-Type", value: "text/event-stream")
            headers.replaceOrAdd(name: "Cache-Control", value: "no-cache, no-transform")
            headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
            // No Content-Length: NIO frames the stream with chunked transfer encoding.
            try await outbound.write(.head(response(headers)))
            let sink = SampleEventSink { bytes in
                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes))))
            }
            do {
                try await produce(sink)
            } catch is CancellationError {
                // Server stopping: end the stream cleanly below.
            }
            try await outbound.write(.end(nil))
        }
    }
}
