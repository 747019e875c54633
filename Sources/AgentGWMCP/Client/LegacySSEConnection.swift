import Foundation
import NIOHTTP1

/// The deprecated HTTP+SSE transport (2024-11-05), still what some servers speak (mcp-proxy's
/// `/sse`): GET opens the stream, its first `endpoint` event names the URL to POST to, POSTs
/// answer 202, and every response arrives on the stream.
public actor LegacySSEConnection: MCPConnection {
    let http: HTTPTransport
    let auth: [(String, String)]
    let observer: MessageObserver?
    let timeout: Duration
    var endpoint: String = ""
    var pending: [JSONRPCID: CheckedContinuation<JSONRPCMessage, any Error>] = [:]
    var endpointWaiter: CheckedContinuation<String, any Error>?
    var streamError: MCPClientError?
    var reader: Task<Void, Never>?
    var nextID = 1
    public private(set) var server = ServerDescription(era: .legacy, transport: .sse, protocolVersion: MCPProtocol.latestLegacy,
                                                       capabilities: .object([:]))

    init(http: HTTPTransport, auth: [(String, String)], observer: MessageObserver?) {
        self.http = http
        self.auth = auth
        self.observer = observer
        self.timeout = http.options.timeout
    }

    public static func connect(url: String, http: HTTPTransport, auth: [(String, String)], observer: MessageObserver?) async throws(MCPClientError) -> LegacySSEConnection {
        let connection = LegacySSEConnection(http: http, auth: auth, observer: observer)
        try await connection.open(url: url)
        try await connection.initialize()
        return connection
    }

    func open(url: String) async throws(MCPClientError) {
        let response = try await http.send(.GET, url: url, headers: [("Accept", "text/event-stream")] + auth, body: nil)
        try await ResponseReader.checkStatus(response, method: "GET (SSE transport)")
        guard response.mediaType == "text/event-stream" else {
            throw .protocolViolation("GET \(url): expected text/event-stream for the SSE transport, got \"\(response.header("content-type") ?? "")\"")
        }
        reader = Task { await self.readStream(response) }
        let path: String
        do {
            path = try await withDeadline(timeout) {
                // A waiter that cannot be cancelled would keep the deadline's task group alive.
                try await withTaskCancellationHandler {
                    try await withCheckedThrowingContinuation { continuation in
                        Task { await self.setEndpointWaiter(continuation) }
                    }
                } onCancel: {
                    Task { await self.cancelEndpointWaiter() }
                }
            }
        } catch {
            throw (error as? MCPClientError) ?? .protocolViolation("no endpoint event on \(url)")
        }
        guard let resolved = URL(string: path, relativeTo: URL(string: url))?.absoluteString else {
            throw .protocolViolation("the endpoint event's URL \"\(path)\" is not valid")
        }
        endpoint = resolved
    }

    func setEndpointWaiter(_ c: CheckedContinuation<String, any Error>) {
        if !endpoint.isEmpty { c.resume(returning: endpoint); return }
        if let streamError { c.resume(throwing: streamError); return }
        if endpointCancelled { c.resume(throwing: CancellationError()); return }
        endpointWaiter = c
    }

    func readStream(_ response: StreamingResponse) async {
        var parser = SSEParser()
        do {
            for try await chunk in response.body {
                for case .event(let event) in try parser.feed(chunk.readableBytesView) {
                    handle(event)
                }
            }
            fail(.protocolViolation("the SSE stream ended"))
        } catch {
            fail(.classify(error, url: endpoint))
        }
    }

    func handle(_ event: SSEEvent) {
        if event.event == "endpoint" {
            if let waiter = endpointWaiter {
                endpointWaiter = nil
                waiter.resume(returning: event.data)
            } else if endpoint.isEmpty {
                endpoint = event.data
            }
            return
        }
        guard event.event == nil || event.event == "message",
              let message = try? JSONRPCMessage(parsing: Array(event.data.utf8)) else { return }
        if message.method == nil, let id = message.id, let waiter = pending.removeValue(forKey: id) {
            waiter.resume(returning: message)
        } else {
            observer?(message)
        }
    }

    // Cancellation can overtake registration (both hop onto the actor), so each side
    // leaves a mark for the other.
    var endpointCancelled = false
    var cancelledIDs: Set<JSONRPCID> = []

    func cancelEndpointWaiter() {
        endpointCancelled = true
        endpointWaiter?.resume(throwing: CancellationError())
        endpointWaiter = nil
    }

    func cancelPending(_ id: JSONRPCID) {
        if let waiter = pending.removeValue(forKey: id) {
            waiter.resume(throwing: CancellationError())
        } else {
            cancelledIDs.insert(id)
        }
    }

    func fail(_ error: MCPClientError) {
        streamError = error
        endpointWaiter?.resume(throwing: error)
        endpointWaiter = nil
        for (_, waiter) in pending { waiter.resume(throwing: error) }
        pending.removeAll()
    }

    func initialize() async throws(MCPClientError) {
        let params: JSONValue = [
            "protocolVersion": .string(MCPProtocol.latestLegacy),
            "capabilities": ClientIdentity.capabilities,
            "clientInfo": ClientIdentity.info,
        ]
        let result = try await request("initialize", params: params)
        server.protocolVersion = result["protocolVersion"]?.string ?? MCPProtocol.latestLegacy
        server.serverName = result["serverInfo"]?["name"]?.string
        server.serverVersion = result["serverInfo"]?["version"]?.string
        server.instructions = result["instructions"]?.string
        server.capabilities = result["capabilities"] ?? .object([:])
        try await post(.notification(method: "notifications/initialized", params: nil), method: "notifications/initialized")
    }

    func post(_ message: JSONRPCMessage, method: String) async throws(MCPClientError) {
        let response = try await http.send(.POST, url: endpoint, headers: [("Content-Type", "application/json")] + auth,
                                           body: message.json.serializedBytes())
        try await ResponseReader.checkStatus(response, method: method)
        _ = try? await response.collect(limit: 1 << 16)
    }

    public var upcomingRequestID: JSONRPCID { .int(nextID) }

    public func send(_ message: JSONRPCMessage) async throws(MCPClientError) {
        try await post(message, method: message.method ?? "response")
    }

    public func request(_ method: String, params: JSONValue?) async throws(MCPClientError) -> JSONValue {
        if let streamError { throw streamError }
        let id = JSONRPCID.int(nextID)
        nextID += 1
        let message: JSONRPCMessage
        do {
            message = try await withDeadline(timeout) {
                try await withTaskCancellationHandler {
                    try await withCheckedThrowingContinuation { continuation in
                        Task { await self.register(id, continuation, request: .request(id: id, method: method, params: params), method: method) }
                    }
                } onCancel: {
                    Task { await self.cancelPending(id) }
                }
            }
        } catch {
            pending.removeValue(forKey: id)
            throw (error as? MCPClientError) ?? .timeout("\(method): no response on the SSE stream")
        }
        return try ResponseReader.result(of: message, id: id, method: method)
    }

    func register(_ id: JSONRPCID, _ c: CheckedContinuation<JSONRPCMessage, any Error>, request: JSONRPCMessage, method: String) async {
        if let streamError { c.resume(throwing: streamError); return }
        if cancelledIDs.remove(id) != nil { c.resume(throwing: CancellationError()); return }
        pending[id] = c
        do {
            try await post(request, method: method)
        } catch {
            pending.removeValue(forKey: id)?.resume(throwing: error)
        }
    }

    public func close() async {
        reader?.cancel()
        reader = nil
    }
}

/// Runs `body`, failing with a timeout error if it takes longer than `limit`.
func withDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw MCPClientError.timeout("no answer within \(limit)")
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw MCPClientError.timeout("no answer") }
        return first
    }
}
