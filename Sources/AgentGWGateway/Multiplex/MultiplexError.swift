import AgentGWMCP

/// A multiplexing failure, carrying the JSON-RPC error the gateway answers the client with.
///
/// Messages name targets and client-supplied names but never upstream error text (which could
/// contain URLs, headers or credentials): that goes to ``detail`` for logs only.
public struct MultiplexError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The client sent a cursor the gateway did not issue (-32602).
        case invalidCursor
        /// A tool/prompt name or resource URI that maps to no target (-32602).
        case unknownName
        /// A target failed under `FailClosed` (-32603).
        case targetFailed
        /// Every target failed, even under `FailOpen` (-32603).
        case allTargetsFailed
        /// The targets share no protocol version (-32602, like the spec's "Unsupported protocol version").
        case noCommonVersion
    }

    public var kind: Kind
    /// The JSON-RPC error code to answer with.
    public var code: Int
    /// The JSON-RPC error message (safe to send to the client).
    public var message: String
    /// The target involved, if any.
    public var target: String?
    /// Internal detail for logs (may hold upstream error text); never sent to the client.
    public var detail: String?

    public init(kind: Kind, code: Int, message: String, target: String? = nil, detail: String? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.target = target
        self.detail = detail
    }

    /// The JSON-RPC error object for the client (no ``detail``).
    public var jsonRPCError: JSONRPCError {
        var data: JSONValue? = nil
        if let target { data = ["target": .string(target)] }
        return JSONRPCError(code: code, message: message, data: data)
    }

    public var description: String {
        var s = "\(message) (JSON-RPC \(code))"
        if let detail { s += ": \(detail)" }
        return s
    }

    // MARK: Factories

    /// -32602 "Invalid cursor".
    public static func invalidCursor(_ why: String) -> MultiplexError {
        MultiplexError(kind: .invalidCursor, code: JSONRPCError.invalidParams, message: "Invalid cursor", detail: why)
    }

    /// -32602 "Unknown tool, prompt or resource: <name>".
    public static func unknownName(_ name: String) -> MultiplexError {
        MultiplexError(kind: .unknownName, code: JSONRPCError.invalidParams, message: "Unknown tool, prompt or resource: \(clip(name))")
    }

    /// -32603 "MCP target \"<target>\" failed" (FailClosed). `reason` is kept in ``detail`` only.
    public static func targetFailed(_ target: String, reason: String?) -> MultiplexError {
        MultiplexError(kind: .targetFailed, code: JSONRPCError.internalError, message: "MCP target \"\(target)\" failed",
                       target: target, detail: reason)
    }

    /// -32603 "All MCP targets failed".
    public static func allTargetsFailed(_ targets: [String]) -> MultiplexError {
        MultiplexError(kind: .allTargetsFailed, code: JSONRPCError.internalError, message: "All MCP targets failed",
                       detail: targets.joined(separator: ", "))
    }

    /// -32602 "No protocol version supported by every target".
    public static func noCommonVersion(requested: String?) -> MultiplexError {
        MultiplexError(kind: .noCommonVersion, code: JSONRPCError.invalidParams, message: "No protocol version supported by every MCP target",
                       detail: requested.map { "requested \($0)" })
    }

    /// Client-supplied names are echoed, but bounded.
    private static func clip(_ s: String) -> String {
        s.count <= 200 ? s : String(s.prefix(200)) + "…"
    }
}
