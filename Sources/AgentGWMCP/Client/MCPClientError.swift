import AsyncHTTPClient
import NIOCore
import NIOSSL
import NIOPosix

/// What went wrong talking to an MCP server, in classes that map to exit codes
/// (the MCP Inspector CLI's: 3 auth, 4 unreachable/timeout/TLS, 5 tool error, 1 other).
public enum MCPClientError: Error, Sendable, CustomStringConvertible {
    /// Bad flags or input (exit 2).
    case usage(String)
    /// 401 or 403: credentials refused or required (exit 3). Carries the server's message.
    case auth(status: Int, message: String, challenge: String?)
    /// Refused, unresolvable, timed out or TLS failure (exit 4).
    case unreachable(String)
    case timeout(String)
    case tls(String)
    /// An HTTP error status that is not about auth.
    case http(status: Int, message: String)
    /// A JSON-RPC error from the server.
    case rpc(JSONRPCError, method: String)
    /// A tool answered isError, or no such tool (exit 5).
    case tool(String)
    /// The server broke the protocol (bad JSON, wrong content type, no response).
    case protocolViolation(String)

    public var description: String {
        switch self {
        case .usage(let m): return m
        case .auth(let status, let message, _): return "authentication failed (HTTP \(status)): \(message)"
        case .unreachable(let m): return "unreachable: \(m)"
        case .timeout(let m): return "timed out: \(m)"
        case .tls(let m): return "TLS failure: \(m)"
        case .http(let status, let message): return "HTTP \(status): \(message)"
        case .rpc(let e, let method): return "\(method) failed: \(e.message) (JSON-RPC \(e.code))"
        case .tool(let m): return m
        case .protocolViolation(let m): return "protocol error: \(m)"
        }
    }

    /// Exit code, as MCP Inspector's CLI uses them.
    public var exitCode: Int32 {
        switch self {
        case .usage: return 2
        case .auth: return 3
        case .unreachable, .timeout, .tls: return 4
        case .tool: return 5
        case .rpc(let e, let method) where method == "tools/call" && e.code == JSONRPCError.invalidParams && e.message.lowercased().contains("tool"): return 5
        default: return 1
        }
    }

    /// A short class name for `--repeat` summaries.
    public var errorClass: String {
        switch self {
        case .usage: return "usage"
        case .auth: return "auth"
        case .unreachable: return "unreachable"
        case .timeout: return "timeout"
        case .tls: return "tls"
        case .http(let s, _): return "http-\(s)"
        case .rpc(let e, _): return "rpc\(e.code)"
        case .tool: return "tool"
        case .protocolViolation: return "protocol"
        }
    }

    /// Maps transport errors from NIO and AsyncHTTPClient to our classes.
    static func classify(_ error: any Error, url: String) -> MCPClientError {
        if let e = error as? MCPClientError { return e }
        if error is NIOSSLError || error is BoringSSLError || String(describing: type(of: error)).contains("SSL") {
            return .tls("\(url): \(error)")
        }
        if let e = error as? HTTPClientError {
            switch e {
            case .connectTimeout, .deadlineExceeded, .readTimeout, .writeTimeout:
                return .timeout("\(url) did not answer in time")
            default: break
            }
        }
        if error is ChannelError, case .connectTimeout = error as? ChannelError {
            return .timeout("connecting to \(url)")
        }
        let text = String(describing: error)
        if text.contains("connectTimeout") || text.contains("deadlineExceeded") || text.contains("readTimeout") {
            return .timeout("\(url) did not answer in time")
        }
        if text.contains("certificate") || text.contains("handshake") || text.contains("SSL") || text.contains("TLS") {
            return .tls("\(url): \(text)")
        }
        if error is NIOConnectionError || text.contains("connection refused") || text.contains("Connection refused")
            || text.contains("ECONNREFUSED") || text.contains("connectError") || text.contains("dns") || text.contains("DNS")
            || text.contains("unreachable") || text.contains("NIOConnectionError") || text.contains("remoteConnectionClosed") {
            return .unreachable("\(url): \(Self.short(text))")
        }
        return .protocolViolation("\(url): \(Self.short(text))")
    }

    static func short(_ text: String) -> String {
        if text.contains("connection refused") || text.contains("Connection refused") || text.contains("ECONNREFUSED") || text.contains("errno: 111") {
            return "connection refused"
        }
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}
