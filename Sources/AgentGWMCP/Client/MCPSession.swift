import Foundation
import NIOHTTP1

/// What the server said about itself when we connected.
public struct ServerDescription: Sendable {
    public var era: MCPEra
    public var transport: MCPTransportKind
    public var protocolVersion: String
    public var serverName: String?
    public var serverVersion: String?
    public var instructions: String?
    public var capabilities: JSONValue
    public var sessionID: String?
}

public enum MCPTransportKind: String, Sendable, CaseIterable {
    case streamableHTTP = "streamable-http"
    case sse
}

/// Something the server sent that is not the response we wait for: a progress or log
/// notification, or a request to the client. Shown in verbose mode.
public typealias MessageObserver = @Sendable (JSONRPCMessage) -> Void

/// A connected MCP client: one request at a time, as probe needs, over either transport.
public protocol MCPConnection: Sendable {
    var server: ServerDescription { get async }
    /// Sends a request and returns its result, or throws the server's error.
    func request(_ method: String, params: JSONValue?) async throws(MCPClientError) -> JSONValue
    /// Sends a notification, or a response to a request the server made, in the session.
    func send(_ message: JSONRPCMessage) async throws(MCPClientError)
    /// The id the next `request` will carry (a gateway maps the client's cancellation to it).
    var upcomingRequestID: JSONRPCID { get async }
    /// Ends the session (DELETE for legacy Streamable HTTP sessions; closes the SSE stream).
    func close() async
}

/// How to pick the protocol era.
public enum EraPreference: String, Sendable, CaseIterable {
    case auto, legacy, modern
}

/// Who we are, as sent in clientInfo.
public enum ClientIdentity {
    public static let info: JSONValue = ["name": "kubectl-agentgw-probe", "version": "0.1.0"]
    public static let capabilities: JSONValue = .object([:])
}

/// Connects to a URL the way the official SDK does in auto mode: try the modern era
/// (`server/discover`), fall back to the legacy handshake, then to the old HTTP+SSE transport.
public enum MCPConnector {
    public static func connect(url: String, era: EraPreference, transport: MCPTransportKind?,
                               http: HTTPTransport, auth: [(String, String)],
                               observer: MessageObserver?) async throws(MCPClientError) -> any MCPConnection {
        if transport == .sse {
            return try await LegacySSEConnection.connect(url: url, http: http, auth: auth, observer: observer)
        }
        let session = StreamableHTTPConnection(url: url, http: http, auth: auth, observer: observer)
        switch era {
        case .modern:
            try await session.discover()
            return session
        case .legacy:
            try await session.initialize()
            return session
        case .auto:
            do {
                try await session.discover()
                return session
            } catch .http(let status, _) where [400, 404, 405, 406].contains(status) {
                // Not a modern server: fall through to the handshake.
            } catch .rpc(let e, _) where e.code == JSONRPCError.methodNotFound || e.code == JSONRPCError.invalidRequest {
                // A legacy server answering in JSON-RPC (e.g. "Missing session ID").
            } catch .protocolViolation {
                // A server that doesn't speak JSON at all on this request; the handshake will tell.
            }
            do {
                try await session.initialize()
                return session
            } catch .http(let status, _) where transport == nil && [400, 404, 405].contains(status) {
                return try await LegacySSEConnection.connect(url: url, http: http, auth: auth, observer: observer)
            }
        }
    }
}

/// Shared handling of one HTTP exchange's JSON-RPC answer, JSON or SSE.
/// Reads the JSON-RPC messages of an SSE body one by one (a server stream, or a request's
/// stream forwarded as it arrives). Ends when the stream ends; throws on a broken one.
public enum SSEMessageReader {
    public static func read(_ response: StreamingResponse, _ onMessage: @Sendable (JSONRPCMessage) async -> Void) async throws(MCPClientError) {
        var parser = SSEParser()
        do {
            for try await chunk in response.body {
                let items: [SSEItem]
                do { items = try parser.feed(chunk.readableBytesView) } catch { throw MCPClientError.protocolViolation("server stream: \(error)") }
                for case .event(let event) in items where event.event == nil || event.event == "message" {
                    if event.data.isEmpty { continue }
                    guard let message = try? JSONRPCMessage(parsing: Array(event.data.utf8)) else { continue }
                    await onMessage(message)
                }
            }
        } catch let e as MCPClientError {
            throw e
        } catch {
            throw .classify(error, url: "server stream")
        }
    }
}

enum ResponseReader {
    /// Reads the response to request `id` from a JSON or SSE body. Other messages on an SSE
    /// stream go to the observer as they arrive.
    static func read(_ response: StreamingResponse, id: JSONRPCID, method: String, url: String,
                     observer: MessageObserver?) async throws(MCPClientError) -> JSONValue {
        try await checkStatus(response, method: method)
        switch response.mediaType {
        case "application/json":
            let bytes: [UInt8]
            do { bytes = try await response.collect() } catch { throw .classify(error, url: url) }
            return try result(of: try decode(bytes, method: method), id: id, method: method)
        case "text/event-stream":
            var parser = SSEParser()
            do {
                for try await chunk in response.body {
                    let items: [SSEItem]
                    do { items = try parser.feed(chunk.readableBytesView) } catch { throw MCPClientError.protocolViolation("\(method): \(error)") }
                    for case .event(let event) in items where event.event == nil || event.event == "message" {
                        if event.data.isEmpty { continue }
                        let message = try decode(Array(event.data.utf8), method: method)
                        if message.id == id, message.method == nil {
                            return try result(of: message, id: id, method: method)
                        }
                        observer?(message)
                    }
                }
            } catch let e as MCPClientError {
                throw e
            } catch {
                throw .classify(error, url: url)
            }
            throw .protocolViolation("\(method): the event stream ended without a response")
        default:
            // Be lenient with a JSON body under the wrong type (strict mode reports it);
            // anything else is a protocol error naming the type.
            let bytes: [UInt8]
            do { bytes = try await response.collect() } catch { throw .classify(error, url: url) }
            guard let message = try? JSONRPCMessage(parsing: bytes) else {
                throw .protocolViolation("\(method): unexpected Content-Type \"\(response.header("content-type") ?? "")\" (want application/json or text/event-stream)")
            }
            return try result(of: message, id: id, method: method)
        }
    }

    static func decode(_ bytes: [UInt8], method: String) throws(MCPClientError) -> JSONRPCMessage {
        do {
            return try JSONRPCMessage(parsing: bytes)
        } catch {
            throw .protocolViolation("\(method): the response is not a JSON-RPC message: \(error.message)")
        }
    }

    static func result(of message: JSONRPCMessage, id: JSONRPCID, method: String) throws(MCPClientError) -> JSONValue {
        switch message {
        case .response(let rid, let result) where rid == id: return result
        case .errorResponse(_, let error): throw .rpc(error, method: method)
        default: throw .protocolViolation("\(method): expected the response to id \(id), got \(message.serialized().prefix(200))")
        }
    }

    /// 401/403 become auth errors carrying the server's own words; other errors keep theirs.
    static func checkStatus(_ response: StreamingResponse, method: String) async throws(MCPClientError) {
        guard response.status >= 300 else { return }
        let (message, rpcError) = await errorMessage(response)
        if response.status == 401 || response.status == 403 {
            throw .auth(status: response.status, message: message, challenge: response.header("www-authenticate"))
        }
        // A modern server's JSON-RPC error (-32022 unsupported version, -32020 header mismatch)
        // matters more than the status; legacy "Missing session ID" stays an HTTP error.
        if let rpcError, rpcError.code <= -32020 && rpcError.code >= -32099 {
            throw .rpc(rpcError, method: method)
        }
        throw .http(status: response.status, message: message)
    }

    /// The server's message from a JSON-RPC error body, else the body's text, cut short.
    static func errorMessage(_ response: StreamingResponse) async -> (String, JSONRPCError?) {
        guard let bytes = try? await response.collect(limit: 64 << 10) else { return ("HTTP \(response.status)", nil) }
        if let json = try? JSONValue.parse(bytes) {
            if let e = json["error"], let code = e["code"]?.int, let m = e["message"]?.string {
                return (m, JSONRPCError(code: code, message: m, data: e["data"]))
            }
            if let m = json["error"]?["message"]?.string ?? json["message"]?.string ?? json["error"]?.string ?? json["detail"]?.string {
                return (m, nil)
            }
        }
        let text = String(decoding: bytes.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (text.isEmpty ? "HTTP \(response.status)" : text, nil)
    }
}
