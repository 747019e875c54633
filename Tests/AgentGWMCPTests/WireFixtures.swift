// Real message bodies from ../shared/reference/mcp-wire-captures.md (complete ones only; the
// capture file cuts bodies over 700 chars, those are left out or closed by hand where noted).

enum WireFixtures {
    // §1 legacy client → FastMCP (SSE responses)
    static let legacyInitialize = #"{"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"agentgw-peer-probe","version":"0.1"}},"jsonrpc":"2.0","id":0}"#
    static let legacyInitializeResult = #"{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-11-25","capabilities":{"logging":{},"prompts":{"listChanged":true},"resources":{"subscribe":false,"listChanged":true},"tools":{"listChanged":true}},"serverInfo":{"name":"echo-peer","version":"4.2.3"}}}"#
    static let initializedNotification = #"{"method":"notifications/initialized","jsonrpc":"2.0"}"#
    static let legacyToolsList = #"{"method":"tools/list","jsonrpc":"2.0","id":1}"#
    static let legacyToolsCall = #"{"method":"tools/call","params":{"name":"add","arguments":{"a":1,"b":2}},"jsonrpc":"2.0","id":2}"#
    static let legacyToolsCallResult = #"{"jsonrpc":"2.0","id":2,"result":{"_meta":{"fastmcp":{"wrap_result":true}},"content":[{"text":"3","type":"text"}],"isError":false,"structuredContent":{"result":3}}}"#

    // §2 modern client → dual-era server (JSON responses)
    static let modernDiscover = #"{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"agentgw-peer-probe","version":"0.1"},"io.modelcontextprotocol/clientCapabilities":{}}}}"#
    static let modernDiscoverResult = #"{"jsonrpc":"2.0","id":1,"result":{"_meta":{"io.modelcontextprotocol/serverInfo":{"name":"echo-peer","version":"4.2.3"}},"ttlMs":0,"cacheScope":"private","supportedVersions":["2026-07-28"],"capabilities":{"logging":{},"prompts":{"listChanged":false},"resources":{"subscribe":false,"listChanged":false},"tools":{"listChanged":false},"extensions":{"io.modelcontextprotocol/ui":{}}},"resultType":"complete"}}"#
    static let modernToolsList = #"{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"agentgw-peer-probe","version":"0.1"},"io.modelcontextprotocol/clientCapabilities":{}}}}"#
    static let modernToolsCall = #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"add","arguments":{"a":1,"b":2},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"agentgw-peer-probe","version":"0.1"},"io.modelcontextprotocol/clientCapabilities":{}}}}"#
    static let modernToolsCallResult = #"{"jsonrpc":"2.0","id":3,"result":{"_meta":{"fastmcp":{"wrap_result":true},"io.modelcontextprotocol/serverInfo":{"name":"echo-peer","version":"4.2.3"}},"content":[{"text":"3","type":"text"}],"isError":false,"resultType":"complete","structuredContent":{"result":3}}}"#

    // §3 modern client → legacy-only server (mcp-proxy)
    static let legacyServerDiscoverError = #"{"jsonrpc":"2.0","id":"server-error","error":{"code":-32600,"message":"Bad Request: Missing session ID"}}"#
    static let proxyInitialize = #"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"agentgw-peer-probe","version":"0.1"}}}"#
    static let proxyInitializeResult = #"{"jsonrpc":"2.0","id":2,"result":{"protocolVersion":"2025-11-25","capabilities":{"experimental":{},"prompts":{"listChanged":false},"resources":{"subscribe":false,"listChanged":false},"tools":{"listChanged":false},"completions":{}},"serverInfo":{"name":"mcp-fetch","version":"2026.10.24"}}}"#
    static let proxyInitialized = #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#
    static let proxyToolsList = #"{"jsonrpc":"2.0","id":3,"method":"tools/list"}"#
    static let proxyFetchCall = #"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"fetch","arguments":{"url":"http://127.0.0.1:18081/"}}}"#
    static let proxyFetchResult = #"{"jsonrpc":"2.0","id":4,"result":{"content":[{"type":"text","text":"Contents of http://127.0.0.1:18081/:\npeer page\n\n# Hello from loopback\n\nagentgw fetch test"}],"isError":false}}"#

    // §5 error bodies (no "jsonrpc", null/absent id)
    static let missingSessionBody = #"{"id":null,"error":{"code":-32600,"message":"Bad Request: Missing session ID"}}"#
    static let notAcceptableBody = #"{"error":{"code":-32600,"message":"Not Acceptable: Client must accept both application/json and text/event-stream"}}"#
    static let unsupportedVersionBody = #"{"error":{"code":-32022,"message":"Unsupported protocol version","data":{"supported":["2026-07-28"],"requested":"2099-01-01"}}}"#

    /// The capture's SSE framing for the tools/call response (§1 #5).
    static let sseToolsCallResponse = "event: message\r\ndata: " + legacyToolsCallResult + "\r\n\r\n"

    static let allMessages = [
        legacyInitialize, legacyInitializeResult, initializedNotification, legacyToolsList, legacyToolsCall,
        legacyToolsCallResult, modernDiscover, modernDiscoverResult, modernToolsList, modernToolsCall,
        modernToolsCallResult, legacyServerDiscoverError, proxyInitialize, proxyInitializeResult,
        proxyInitialized, proxyToolsList, proxyFetchCall, proxyFetchResult,
    ]
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
