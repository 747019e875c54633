// Transport rules shared by both eras (path, Origin, methods, Accept, Content-Type, JSON) and
// the era routing the official SDK uses: no `MCP-Protocol-Version` header or a handshake-era one
// → legacy; anything else → modern (which then validates the version).

import Foundation
import NIOHTTP1

struct SampleDispatcher: Sendable {
    let options: SampleServerOptions
    let sessions: SampleSessionStore
    let methods: SampleMethods

    func handle(_ request: SampleRequest) async -> SampleReply {
        guard request.path == options.path || request.path == options.path + "/" else {
            return .error(.notFound, JSONRPCError.invalidRequest, "Not Found: the MCP endpoint is \(options.path)")
        }
        if let origin = request.header("Origin"), !Self.isLocalOrigin(origin) {
            return .error(.forbidden, JSONRPCError.invalidRequest, "Forbidden: Origin \(origin) is not allowed (DNS rebinding protection)")
        }
        let version = request.header(MCPProtocol.headerProtocolVersion)
        let legacy = version.map { MCPProtocol.legacyVersions.contains($0) } ?? true
        switch request.method {
        case .POST:
            guard Self.acceptsBoth(request.header("Accept")) else {
                return .error(.notAcceptable, JSONRPCError.invalidRequest,
                              "Not Acceptable: Client must accept both application/json and text/event-stream")
            }
            guard Self.isJSON(request.header("Content-Type")) else {
                return .error(.unsupportedMediaType, JSONRPCError.invalidRequest,
                              "Unsupported Media Type: Content-Type must be application/json")
            }
            let message: JSONRPCMessage
            switch Self.decode(request.body) {
            case .success(let m): message = m
            case .failure(let rejection): return rejection.reply
            }
            if legacy { return await legacyPost(request, message) }
            return await modernPost(request, message, version: version ?? "")
        case .GET where !legacy, .DELETE where !legacy:
            return Self.methodNotAllowed("POST")
        case .GET:
            return legacyGet(request)
        case .DELETE:
            return legacyDelete(request)
        default:
            return Self.methodNotAllowed(options.stateless ? "POST" : "GET, POST, DELETE")
        }
    }

    static func methodNotAllowed(_ allow: String) -> SampleReply {
        .error(.methodNotAllowed, JSONRPCError.invalidRequest, "Method Not Allowed", headers: [("Allow", allow)])
    }

    /// Parses one JSON-RPC message; batches and invalid JSON become 400 replies.
    static func decode(_ body: [UInt8]) -> Result<JSONRPCMessage, SampleReplyError> {
        let value: JSONValue
        do {
            value = try JSONValue.parse(body)
        } catch {
            return .failure(SampleReplyError(.error(.badRequest, JSONRPCError.parseError, "Parse error: \(error.message) at byte \(error.offset)")))
        }
        if case .array = value {
            return .failure(SampleReplyError(.error(.badRequest, JSONRPCError.invalidRequest,
                                                    "Invalid Request: batch requests (JSON arrays) are not supported")))
        }
        do {
            return .success(try JSONRPCMessage(value))
        } catch {
            return .failure(SampleReplyError(.error(.badRequest, error.code, error.message, id: value["id"].flatMap(JSONRPCID.init(json:)))))
        }
    }

    /// Whether an Accept header lists both `application/json` and `text/event-stream` (or `*/*`).
    static func acceptsBoth(_ accept: String?) -> Bool {
        let types = mediaTypes(accept)
        if types.contains("*/*") { return true }
        return types.contains { $0 == "application/json" || $0 == "application/*" }
            && types.contains { $0 == "text/event-stream" || $0 == "text/*" }
    }

    /// Whether an Accept header allows `text/event-stream`.
    static func acceptsEventStream(_ accept: String?) -> Bool {
        mediaTypes(accept).contains { $0 == "text/event-stream" || $0 == "text/*" || $0 == "*/*" }
    }

    static func isJSON(_ contentType: String?) -> Bool {
        mediaTypes(contentType).first == "application/json"
    }

    /// Lowercased media types of a header value, parameters removed.
    static func mediaTypes(_ value: String?) -> [String] {
        (value ?? "").split(separator: ",").compactMap { item in
            let type = item.split(separator: ";", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces).lowercased()
            return type?.isEmpty == false ? type : nil
        }
    }

    /// `http(s)://localhost|127.0.0.1|[::1]` with an optional port; anything else is foreign.
    static func isLocalOrigin(_ origin: String) -> Bool {
        let lower = origin.lowercased()
        let rest: Substring
        if lower.hasPrefix("http://") {
            rest = lower.dropFirst(7)
        } else if lower.hasPrefix("https://") {
            rest = lower.dropFirst(8)
        } else {
            return false
        }
        for host in ["localhost", "127.0.0.1", "[::1]"] where rest.hasPrefix(host) {
            let tail = rest.dropFirst(host.count)
            if tail.isEmpty || tail == "/" { return true }
            guard tail.first == ":" else { continue }
            var port = tail.dropFirst()
            if port.last == "/" { port = port.dropLast() }
            return !port.isEmpty && port.count <= 5 && port.allSatisfy(\.isASCII) && port.allSatisfy(\.isNumber)
        }
        return false
    }
}

/// A reply that ends request processing early.
struct SampleReplyError: Error {
    let reply: SampleReply
    init(_ reply: SampleReply) { self.reply = reply }
}
