// Modern era (2026-07-28) transport rules: no sessions; every request carries `_meta` with the
// protocol version, which must equal the `MCP-Protocol-Version` header; `Mcp-Method` and
// `Mcp-Name` must mirror the body; unknown methods are HTTP 404. Answers are JSON unless a
// tools/call asks for progress, which is then streamed as SSE.

import NIOHTTP1

extension SampleDispatcher {
    func modernPost(_ request: SampleRequest, _ message: JSONRPCMessage, version: String) async -> SampleReply {
        guard case .request(let id, let method, let params) = message else {
            return .empty(.accepted)  // no client notifications are defined; accept and drop
        }
        if let rejection = validateModern(request, id: id, method: method, params: params, version: version) {
            return rejection
        }
        guard methods.modernKnows(method) else {
            return .error(.notFound, JSONRPCError.methodNotFound, "Method not found", data: .string(method), id: id)
        }
        let methods = self.methods
        guard let progress = SampleMethods.progressNotification(method: method, params: params) else {
            return .message(Self.response(id, await methods.modern(method, params: params)))
        }
        return SampleReply(status: .ok, body: .events { sink in
            try await sink.send(progress)
            try await sink.send(Self.response(id, await methods.modern(method, params: params)))
        })
    }

    /// The 400 reply for a request whose envelope or headers are wrong, nil if it is fine.
    func validateModern(_ request: SampleRequest, id: JSONRPCID, method: String, params: JSONValue?, version: String) -> SampleReply? {
        func reject(_ code: Int, _ message: String, data: JSONValue? = nil) -> SampleReply {
            .error(.badRequest, code, message, data: data, id: id)
        }
        let meta = params?["_meta"]?.object
        guard let declared = meta?[MCPProtocol.metaProtocolVersion]?.string,
              meta?[MCPProtocol.metaClientCapabilities]?.object != nil
        else {
            return reject(JSONRPCError.invalidParams,
                          "Invalid params: params._meta must be an object carrying \"\(MCPProtocol.metaProtocolVersion)\" and \"\(MCPProtocol.metaClientCapabilities)\"")
        }
        guard version == MCPProtocol.modernVersion else {
            return reject(JSONRPCError.unsupportedProtocolVersion, "Unsupported protocol version",
                          data: ["supported": [.string(MCPProtocol.modernVersion)], "requested": .string(version)])
        }
        guard declared == version else {
            return reject(JSONRPCError.headerMismatch,
                          "MCP-Protocol-Version header (\(version)) does not match params._meta protocol version (\(declared))")
        }
        guard request.header(MCPProtocol.headerMethod) == method else {
            return reject(JSONRPCError.headerMismatch, "Mcp-Method header does not match the request body's method")
        }
        if let key = MCPProtocol.nameParameter(for: method) {
            let header = request.header(MCPProtocol.headerName).flatMap(MCPHeaderValue.decode)
            guard let header, header == params?[key]?.string else {
                return reject(JSONRPCError.headerMismatch, "Mcp-Name header does not match the request body's '\(key)' parameter")
            }
        }
        return nil
    }
}
