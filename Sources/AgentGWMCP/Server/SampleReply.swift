// The sample server's view of one HTTP exchange: the request as read, and the reply the
// dispatcher chose (empty, one JSON document, or an SSE stream written by a producer).

import NIOHTTP1

/// One HTTP request, read whole.
struct SampleRequest: Sendable {
    var method: HTTPMethod
    /// The request target without its query string.
    var path: String
    var headers: HTTPHeaders
    var body: [UInt8]

    /// The first value of a header (names are case-insensitive).
    func header(_ name: String) -> String? { headers.first(name: name) }
}

/// Writes SSE frames on an open `text/event-stream` response.
struct SampleEventSink: Sendable {
    let write: @Sendable ([UInt8]) async throws -> Void

    /// `event: message` with the message as one `data:` line, CRLF framed like the SDK servers.
    func send(_ message: JSONRPCMessage) async throws {
        try await write(Array("event: message\r\ndata: ".utf8) + message.serializedBytes() + Array("\r\n\r\n".utf8))
    }

    /// A `: text` comment (keep-alive).
    func comment(_ text: String) async throws {
        try await write(Array(SSEEncoder.comment(text).utf8))
    }
}

/// What the dispatcher answers.
struct SampleReply: Sendable {
    enum Body: Sendable {
        case none
        case json(JSONValue)
        /// `text/event-stream`: the head goes out at once, then the producer writes events.
        case events(@Sendable (SampleEventSink) async throws -> Void)
    }

    var status: HTTPResponseStatus
    var headers: [(String, String)]
    var body: Body

    init(status: HTTPResponseStatus, headers: [(String, String)] = [], body: Body) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// No body (202 for notifications, 200 for DELETE).
    static func empty(_ status: HTTPResponseStatus, headers: [(String, String)] = []) -> SampleReply {
        SampleReply(status: status, headers: headers, body: .none)
    }

    /// A JSON-RPC response or error as `application/json`.
    static func message(_ message: JSONRPCMessage, status: HTTPResponseStatus = .ok, headers: [(String, String)] = []) -> SampleReply {
        SampleReply(status: status, headers: headers, body: .json(message.json))
    }

    /// An HTTP-level rejection carrying a JSON-RPC error (`id` null unless the request's is known).
    static func error(_ status: HTTPResponseStatus, _ code: Int, _ message: String, data: JSONValue? = nil,
                      id: JSONRPCID? = nil, headers: [(String, String)] = []) -> SampleReply {
        .message(.errorResponse(id: id, error: JSONRPCError(code: code, message: message, data: data)), status: status, headers: headers)
    }
}
