// JSON-RPC 2.0 message model (the MCP subset: no batches at this level; see JSONRPCEnvelope for
// batch detection).

/// A JSON-RPC request id: an integer or a string (MCP forbids `null` ids on requests).
public enum JSONRPCID: Sendable, Hashable, CustomStringConvertible {
    case int(Int)
    case string(String)

    /// The id as a JSON value.
    public var json: JSONValue {
        switch self {
        case .int(let i): return .int(i)
        case .string(let s): return .string(s)
        }
    }

    /// Reads an id from JSON: integers (not fractional numbers) and strings; anything else is `nil`.
    public init?(json: JSONValue) {
        switch json {
        case .int(let i): self = .int(i)
        case .string(let s): self = .string(s)
        default: return nil
        }
    }

    /// The id as it appears in JSON: `7` or `"abc"`.
    public var description: String { json.serialized() }
}

extension JSONRPCID: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }
}

/// A JSON-RPC error object (also usable as a Swift error).
public struct JSONRPCError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    public var message: String
    public var data: JSONValue?

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// `-32700`: invalid JSON.
    public static let parseError = -32700
    /// `-32600`: not a valid request object (SDKs also use it for missing/unknown sessions).
    public static let invalidRequest = -32600
    /// `-32601`: method not found.
    public static let methodNotFound = -32601
    /// `-32602`: invalid params (also unknown tool, bad cursor, missing modern `_meta`).
    public static let invalidParams = -32602
    /// `-32603`: internal error.
    public static let internalError = -32603
    /// `-32020` (2026-07-28): an `Mcp-*` header does not match the body.
    public static let headerMismatch = -32020
    /// `-32021` (2026-07-28): a required client capability is missing.
    public static let missingRequiredClientCapability = -32021
    /// `-32022` (2026-07-28): unsupported protocol version (`data: {supported, requested}`).
    public static let unsupportedProtocolVersion = -32022

    /// `{"code":…,"message":…,"data":…}` (data omitted when nil).
    public var json: JSONValue {
        var o: JSONObject = ["code": .int(code), "message": .string(message)]
        if let data { o["data"] = data }
        return .object(o)
    }

    /// Reads an error object `{"code": int, "message": string, "data"?: any}`.
    public init?(json: JSONValue) {
        guard case .object(let o) = json, let code = o["code"]?.int, let message = o["message"]?.string else {
            return nil
        }
        self.init(code: code, message: message, data: o["data"])
    }

    /// Leniently extracts `error` from any response body that has one, even without
    /// `"jsonrpc":"2.0"` or `id` (observed: `{"error":{"code":-32600,"message":"Not Acceptable…"}}`
    /// on HTTP 406, `{"id":null,"error":…}` on 400/404).
    public init?(errorBody: JSONValue) {
        guard let e = errorBody["error"] else { return nil }
        self.init(json: e)
    }

    public var description: String {
        var s = "JSON-RPC error \(code): \(message)"
        if let data { s += " (data: \(data.serialized()))" }
        return s
    }
}

/// One JSON-RPC 2.0 message.
public enum JSONRPCMessage: Sendable, Hashable {
    case request(id: JSONRPCID, method: String, params: JSONValue?)
    case notification(method: String, params: JSONValue?)
    case response(id: JSONRPCID, result: JSONValue)
    /// `id` is nil when the error could not be tied to a request (`"id": null` or absent).
    case errorResponse(id: JSONRPCID?, error: JSONRPCError)

    /// Validates and decodes a message. Rules:
    /// * an object with `"jsonrpc": "2.0"`;
    /// * `method` (string) → request if an `id` member is present (int or string; `null` is
    ///   rejected), notification otherwise; `params`, if present, must be an object or array
    ///   (`"params": null` is treated as absent); no `result`/`error` alongside;
    /// * `result` → response (id int or string);
    /// * `error` (object with int `code`, string `message`) → error response (id int, string,
    ///   `null` or absent);
    /// * anything else → ``JSONRPCError/invalidRequest``.
    public init(_ json: JSONValue) throws(JSONRPCError) {
        func invalid(_ why: String) -> JSONRPCError {
            JSONRPCError(code: JSONRPCError.invalidRequest, message: "Invalid Request: \(why)")
        }
        guard case .object(let o) = json else { throw invalid("message must be a JSON object, not \(json.typeName)") }
        guard let version = o["jsonrpc"] else { throw invalid("missing \"jsonrpc\": \"2.0\"") }
        guard version == "2.0" else { throw invalid("\"jsonrpc\" must be \"2.0\"") }
        let idValue = o["id"]

        if let methodValue = o["method"] {
            guard case .string(let method) = methodValue else { throw invalid("\"method\" must be a string") }
            guard o["result"] == nil, o["error"] == nil else {
                throw invalid("a request cannot carry \"result\" or \"error\"")
            }
            var params: JSONValue? = nil
            switch o["params"] {
            case nil, .null?: params = nil
            case let p? where p.object != nil || p.array != nil: params = p
            case let p?: throw invalid("\"params\" must be an object or array, not \(p.typeName)")
            }
            guard let idValue else {
                self = .notification(method: method, params: params)
                return
            }
            guard let id = JSONRPCID(json: idValue) else {
                throw invalid("request \"id\" must be an integer or string, not \(idValue.typeName)")
            }
            self = .request(id: id, method: method, params: params)
            return
        }

        switch (o["result"], o["error"]) {
        case (let result?, nil):
            guard let idValue, let id = JSONRPCID(json: idValue) else {
                throw invalid("response \"id\" must be an integer or string")
            }
            self = .response(id: id, result: result)
        case (nil, let errorValue?):
            guard let error = JSONRPCError(json: errorValue) else {
                throw invalid("\"error\" must be an object with integer \"code\" and string \"message\"")
            }
            var id: JSONRPCID? = nil
            if let idValue, !idValue.isNull {
                guard let parsed = JSONRPCID(json: idValue) else {
                    throw invalid("error response \"id\" must be an integer, string or null")
                }
                id = parsed
            }
            self = .errorResponse(id: id, error: error)
        case (_?, _?):
            throw invalid("a response cannot carry both \"result\" and \"error\"")
        case (nil, nil):
            throw invalid("message has neither \"method\", \"result\" nor \"error\"")
        }
    }

    /// Parses JSON bytes and decodes the message; invalid JSON throws ``JSONRPCError/parseError``.
    public init(parsing bytes: some Collection<UInt8>) throws(JSONRPCError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw JSONRPCError(code: JSONRPCError.parseError, message: "Parse error: \(error.message) at byte \(error.offset)")
        }
        try self.init(value)
    }

    /// Parses a JSON string and decodes the message.
    public init(parsing text: String) throws(JSONRPCError) {
        try self.init(parsing: Array(text.utf8))
    }

    /// The message as JSON, keys in the order `jsonrpc`, `id`, `method`, `params` / `result` / `error`.
    public var json: JSONValue {
        var o: JSONObject = ["jsonrpc": "2.0"]
        switch self {
        case let .request(id, method, params):
            o["id"] = id.json
            o["method"] = .string(method)
            if let params { o["params"] = params }
        case let .notification(method, params):
            o["method"] = .string(method)
            if let params { o["params"] = params }
        case let .response(id, result):
            o["id"] = id.json
            o["result"] = result
        case let .errorResponse(id, error):
            o["id"] = id?.json ?? .null
            o["error"] = error.json
        }
        return .object(o)
    }

    /// Compact JSON text of the message.
    public func serialized() -> String { json.serialized() }

    /// Compact JSON bytes of the message.
    public func serializedBytes() -> [UInt8] { json.serializedBytes() }

    /// The id of a request or (error) response.
    public var id: JSONRPCID? {
        switch self {
        case .request(let id, _, _), .response(let id, _): return id
        case .errorResponse(let id, _): return id
        case .notification: return nil
        }
    }

    /// The method of a request or notification.
    public var method: String? {
        switch self {
        case .request(_, let m, _), .notification(let m, _): return m
        case .response, .errorResponse: return nil
        }
    }

    /// The params of a request or notification.
    public var params: JSONValue? {
        switch self {
        case .request(_, _, let p), .notification(_, let p): return p
        case .response, .errorResponse: return nil
        }
    }

    /// Whether this is a response or error response.
    public var isResponse: Bool {
        switch self {
        case .response, .errorResponse: return true
        case .request, .notification: return false
        }
    }
}
