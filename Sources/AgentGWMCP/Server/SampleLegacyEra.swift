// Legacy era (≤ 2025-11-25) transport rules: `initialize` mints an `Mcp-Session-Id` (unless
// stateless), later requests must carry a known one, notifications get 202, requests are
// answered as SSE (or JSON with --json-response), GET opens a keep-alive stream, DELETE ends.

import NIOHTTP1

extension SampleDispatcher {
    func legacyPost(_ request: SampleRequest, _ message: JSONRPCMessage) async -> SampleReply {
        var sessionHeaders: [(String, String)] = []
        if !options.stateless {
            if message.method == "initialize", case .request = message {
                sessionHeaders = [(MCPProtocol.headerSessionID, sessions.create())]
            } else {
                switch checkSession(request) {
                case .success(let id): sessionHeaders = [(MCPProtocol.headerSessionID, id)]
                case .failure(let rejection): return rejection.reply
                }
            }
        }
        guard case .request(let id, let method, let params) = message else {
            return .empty(.accepted, headers: sessionHeaders)  // notifications and client responses
        }
        let methods = self.methods
        if options.jsonResponse {
            let outcome = await methods.legacy(method, params: params)
            return .message(Self.response(id, outcome), headers: sessionHeaders)
        }
        let progress = SampleMethods.progressNotification(method: method, params: params)
        return SampleReply(status: .ok, headers: sessionHeaders, body: .events { sink in
            if let progress { try await sink.send(progress) }
            let outcome = await methods.legacy(method, params: params)
            try await sink.send(Self.response(id, outcome))
        })
    }

    func legacyGet(_ request: SampleRequest) -> SampleReply {
        guard !options.stateless else { return Self.methodNotAllowed("POST") }
        guard Self.acceptsEventStream(request.header("Accept")) else {
            return .error(.notAcceptable, JSONRPCError.invalidRequest, "Not Acceptable: Client must accept text/event-stream")
        }
        let id: String
        switch checkSession(request) {
        case .success(let sid): id = sid
        case .failure(let rejection): return rejection.reply
        }
        guard let ended = sessions.attachStream(to: id) else {
            return .error(.notFound, JSONRPCError.invalidRequest, "Session not found")
        }
        let interval = options.keepAliveInterval
        return SampleReply(status: .ok, headers: [(MCPProtocol.headerSessionID, id)], body: .events { sink in
            // Nothing is ever pushed (no list changes); keep the stream alive until it ends.
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { for await _ in ended {} }
                group.addTask {
                    while true {
                        try await Task.sleep(for: interval)
                        try await sink.comment("keepalive")
                    }
                }
                _ = try await group.next()
                group.cancelAll()
            }
        })
    }

    func legacyDelete(_ request: SampleRequest) -> SampleReply {
        guard !options.stateless else { return Self.methodNotAllowed("POST") }
        switch checkSession(request) {
        case .success(let id):
            _ = sessions.remove(id)
            return .empty(.ok, headers: [(MCPProtocol.headerSessionID, id)])
        case .failure(let rejection):
            return rejection.reply
        }
    }

    /// The request's session id if known; 400 when missing, 404 when unknown (as the SDK answers).
    func checkSession(_ request: SampleRequest) -> Result<String, SampleReplyError> {
        guard let id = request.header(MCPProtocol.headerSessionID), !id.isEmpty else {
            return .failure(SampleReplyError(.error(.badRequest, JSONRPCError.invalidRequest, "Bad Request: Missing session ID")))
        }
        guard sessions.contains(id) else {
            return .failure(SampleReplyError(.error(.notFound, JSONRPCError.invalidRequest, "Session not found")))
        }
        return .success(id)
    }

    static func response(_ id: JSONRPCID, _ outcome: Result<JSONValue, JSONRPCError>) -> JSONRPCMessage {
        switch outcome {
        case .success(let result): return .response(id: id, result: result)
        case .failure(let error): return .errorResponse(id: id, error: error)
        }
    }
}
