import AgentGWMCP
import NIOConcurrencyHelpers

/// Where a multiplexed answer is written: the connection handler implements it on its event loop.
public protocol MultiplexReplyWriter: Sendable {
    /// Starts the response. With a `body` it is complete (Content-Length); with nil, chunks follow.
    func start(status: Int, headers: [(String, String)], body: [UInt8]?)
    func write(_ bytes: [UInt8])
    func end()
}

/// One client request's answer. It stays plain JSON unless a target streams something first
/// (a progress or log notification, or a request for the client): then it becomes an SSE
/// stream that carries those messages as they come and the final response last, the way SDK
/// servers upgrade a response only when they have something to send before the result.
final class ReplyStream: Sendable {
    private enum State { case pending, streaming, done }
    private let writer: any MultiplexReplyWriter
    private let state = NIOLockedValueBox(State.pending)

    static let sseHeaders: [(String, String)] = [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache, no-transform"),
                                                 ("X-Accel-Buffering", "no")]

    init(_ writer: any MultiplexReplyWriter) {
        self.writer = writer
    }

    var isStreaming: Bool { state.withLockedValue { $0 == .streaming } }

    /// Opens the event stream now (a server stream, GET), with extra headers.
    func open(headers extra: [(String, String)] = []) {
        state.withLockedValue { s in
            guard s == .pending else { return }
            writer.start(status: 200, headers: Self.sseHeaders + extra, body: nil)
            s = .streaming
        }
    }

    /// Sends a message as an SSE event, switching to a stream first if needed.
    func event(_ message: JSONRPCMessage) {
        let frame = Array(SSEEncoder.event(message.serialized(), event: "message").utf8)
        state.withLockedValue { s in
            switch s {
            case .pending:
                writer.start(status: 200, headers: Self.sseHeaders, body: nil)
                writer.write(frame)
                s = .streaming
            case .streaming:
                writer.write(frame)
            case .done:
                break
            }
        }
    }

    /// A keep-alive comment, only on an open stream.
    func keepalive() {
        state.withLockedValue { s in
            if s == .streaming { writer.write(Array(": keepalive\n\n".utf8)) }
        }
    }

    /// The final answer: the whole response if nothing streamed, else its body as the last event.
    func finish(_ response: MultiplexService.Response) {
        state.withLockedValue { s in
            switch s {
            case .pending:
                writer.start(status: response.status, headers: response.headers, body: response.body)
            case .streaming:
                if !response.body.isEmpty {
                    writer.write(Array(SSEEncoder.event(String(decoding: response.body, as: UTF8.self), event: "message").utf8))
                }
                writer.end()
            case .done:
                return
            }
            s = .done
        }
    }

    /// Ends an open stream (a server stream whose upstreams all ended).
    func end() {
        state.withLockedValue { s in
            if s == .streaming { writer.end() }
            if s == .pending { writer.start(status: 200, headers: Self.sseHeaders, body: []) }
            s = .done
        }
    }
}
