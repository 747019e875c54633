import NIOHTTP1

/// An MCP client over Streamable HTTP, in either era.
///
/// Legacy: `initialize`, `notifications/initialized`, then `Mcp-Session-Id` and
/// `MCP-Protocol-Version` on every request, DELETE at the end. Modern: no handshake, `_meta` on
/// every request, and the `MCP-Protocol-Version`, `Mcp-Method` and `Mcp-Name` headers.
public actor StreamableHTTPConnection: MCPConnection {
    let url: String
    let http: HTTPTransport
    let auth: [(String, String)]
    let observer: MessageObserver?
    var nextID = 1
    public private(set) var server = ServerDescription(era: .legacy, transport: .streamableHTTP, protocolVersion: MCPProtocol.latestLegacy,
                                                       capabilities: .object([:]))
    /// Response heads of every exchange, for strict checks.
    public private(set) var contentTypes: [(method: String, status: Int, contentType: String?)] = []

    public init(url: String, http: HTTPTransport, auth: [(String, String)], observer: MessageObserver?) {
        self.url = url
        self.http = http
        self.auth = auth
        self.observer = observer
    }

    func takeID() -> JSONRPCID {
        defer { nextID += 1 }
        return .int(nextID)
    }

    /// A connection to a session that already exists (a gateway resuming an upstream session
    /// it sealed into its own session id).
    public init(resuming url: String, http: HTTPTransport, auth: [(String, String)], era: MCPEra, protocolVersion: String, sessionID: String?,
                observer: MessageObserver? = nil) {
        self.url = url
        self.http = http
        self.auth = auth
        self.observer = observer
        server = ServerDescription(era: era, transport: .streamableHTTP, protocolVersion: protocolVersion, capabilities: .object([:]),
                                   sessionID: sessionID)
    }

    /// Modern era: `server/discover`.
    public func discover() async throws(MCPClientError) {
        server.era = .modern
        server.protocolVersion = MCPProtocol.modernVersion
        let result = try await request("server/discover", params: nil)
        let info = result["_meta"]?[MCPProtocol.metaServerInfo]
        server.serverName = info?["name"]?.string
        server.serverVersion = info?["version"]?.string
        server.instructions = result["instructions"]?.string
        server.capabilities = result["capabilities"] ?? .object([:])
        let supported = result["supportedVersions"]?.array?.compactMap(\.string) ?? []
        if !supported.isEmpty, !supported.contains(MCPProtocol.modernVersion) {
            throw .protocolViolation("server/discover: the server supports \(supported.joined(separator: ", ")), not \(MCPProtocol.modernVersion)")
        }
    }

    /// Legacy era: `initialize`, then `notifications/initialized`.
    public func initialize() async throws(MCPClientError) {
        server.era = .legacy
        server.protocolVersion = MCPProtocol.latestLegacy
        server.sessionID = nil
        let params: JSONValue = [
            "protocolVersion": .string(MCPProtocol.latestLegacy),
            "capabilities": ClientIdentity.capabilities,
            "clientInfo": ClientIdentity.info,
        ]
        let result = try await request("initialize", params: params)
        guard let version = result["protocolVersion"]?.string else {
            throw .protocolViolation("initialize: the result has no protocolVersion")
        }
        guard MCPProtocol.legacyVersions.contains(version) else {
            throw .protocolViolation("initialize: the server chose protocol version \(version), which this client does not speak")
        }
        server.protocolVersion = version
        server.serverName = result["serverInfo"]?["name"]?.string
        server.serverVersion = result["serverInfo"]?["version"]?.string
        server.instructions = result["instructions"]?.string
        server.capabilities = result["capabilities"] ?? .object([:])
        try await notify("notifications/initialized", params: nil)
    }

    /// Headers for a POST in the current era.
    func headers(method: String, params: JSONValue?, isInitialize: Bool) -> [(String, String)] {
        var h: [(String, String)] = [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream")]
        switch server.era {
        case .modern:
            h.append(("MCP-Protocol-Version", server.protocolVersion))
            h.append(("Mcp-Method", method))
            if let key = MCPProtocol.nameParameter(for: method), let name = params?[key]?.string {
                h.append(("Mcp-Name", MCPHeaderValue.encode(name)))
            }
        case .legacy:
            if !isInitialize { h.append(("MCP-Protocol-Version", server.protocolVersion)) }
            if let sid = server.sessionID { h.append(("Mcp-Session-Id", sid)) }
        }
        return h + auth
    }

    func body(_ message: JSONRPCMessage) -> [UInt8] { message.json.serializedBytes() }

    func withMeta(_ params: JSONValue?) -> JSONValue? {
        server.era == .modern
            ? MCPProtocol.addingModernMeta(to: params, clientInfo: ClientIdentity.info, capabilities: ClientIdentity.capabilities)
            : params
    }

    public func request(_ method: String, params: JSONValue?) async throws(MCPClientError) -> JSONValue {
        let id = takeID()
        let message = JSONRPCMessage.request(id: id, method: method, params: withMeta(params))
        let response = try await http.send(.POST, url: url, headers: headers(method: method, params: params, isInitialize: method == "initialize"),
                                           body: body(message))
        contentTypes.append((method, response.status, response.header("content-type")))
        if method == "initialize", let sid = response.header("mcp-session-id") {
            server.sessionID = sid
        }
        if response.status == 404, server.sessionID != nil, method != "initialize" {
            throw .http(status: 404, message: "the session expired or is unknown to the server (404)")
        }
        // The client's deadline covers only the response head; bound the body too.
        let (url, observer) = (self.url, self.observer)
        do {
            if http.options.bodyTimeout == .idle {
                return try await ResponseReader.read(response, id: id, method: method, url: url, observer: observer)
            }
            return try await withDeadline(http.options.timeout) {
                try await ResponseReader.read(response, id: id, method: method, url: url, observer: observer)
            }
        } catch {
            throw (error as? MCPClientError) ?? .classify(error, url: url)
        }
    }

    public var upcomingRequestID: JSONRPCID { .int(nextID) }

    public func send(_ message: JSONRPCMessage) async throws(MCPClientError) {
        if case .notification(let method, let params) = message {
            return try await notify(method, params: params)
        }
        let response = try await http.send(.POST, url: url, headers: headers(method: "response", params: nil, isInitialize: false), body: body(message))
        try await ResponseReader.checkStatus(response, method: "response")
        _ = try? await response.collect(limit: 1 << 20)
    }

    /// Opens the session's server stream (GET), for notifications and requests unrelated to a
    /// client request. nil when the server offers none (405, or a modern server).
    public func openServerStream() async throws(MCPClientError) -> StreamingResponse? {
        var h: [(String, String)] = [("Accept", "text/event-stream")] + auth
        if server.era == .modern { return nil }
        h.append(("MCP-Protocol-Version", server.protocolVersion))
        if let sid = server.sessionID { h.append(("Mcp-Session-Id", sid)) }
        let response = try await http.send(.GET, url: url, headers: h, body: nil)
        if response.status == 405 || response.mediaType != "text/event-stream" {
            _ = try? await response.collect(limit: 1 << 16)
            if response.status == 404, server.sessionID != nil { throw .http(status: 404, message: "the session expired or is unknown to the server (404)") }
            return nil
        }
        try await ResponseReader.checkStatus(response, method: "GET")
        return response
    }

    func notify(_ method: String, params: JSONValue?) async throws(MCPClientError) {
        let message = JSONRPCMessage.notification(method: method, params: withMeta(params))
        let response = try await http.send(.POST, url: url, headers: headers(method: method, params: params, isInitialize: false), body: body(message))
        contentTypes.append((method, response.status, response.header("content-type")))
        try await ResponseReader.checkStatus(response, method: method)
        _ = try? await response.collect(limit: 1 << 20)
    }

    /// Sends a raw POST (for strict checks) with the session's headers, some replaced.
    public func rawPost(method: String, params: JSONValue?, replacing: [(String, String)]) async throws(MCPClientError) -> (status: Int, body: String) {
        var h = headers(method: method, params: params, isInitialize: false)
        for (name, value) in replacing {
            h.removeAll { $0.0.lowercased() == name.lowercased() }
            if !value.isEmpty { h.append((name, value)) }
        }
        let message = JSONRPCMessage.request(id: takeID(), method: method, params: withMeta(params))
        let response = try await http.send(.POST, url: url, headers: h, body: body(message))
        let bytes = (try? await response.collect(limit: 1 << 20)) ?? []
        return (response.status, String(decoding: bytes, as: UTF8.self))
    }

    /// A GET on the endpoint (strict checks): the status, without reading a stream.
    public func rawGet() async throws(MCPClientError) -> Int {
        var h: [(String, String)] = [("Accept", "text/event-stream")] + auth
        if server.era == .modern { h.append(("MCP-Protocol-Version", server.protocolVersion)) }
        if let sid = server.sessionID { h.append(("Mcp-Session-Id", sid)) }
        let response = try await http.send(.GET, url: url, headers: h, body: nil)
        return response.status
    }

    public func close() async {
        guard server.era == .legacy, let sid = server.sessionID else { return }
        let h = [("Mcp-Session-Id", sid), ("MCP-Protocol-Version", server.protocolVersion)] + auth
        if let response = try? await http.send(.DELETE, url: url, headers: h, body: nil) {
            _ = try? await response.collect(limit: 1 << 16)
        }
    }
}
