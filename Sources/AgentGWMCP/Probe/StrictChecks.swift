import Foundation

/// `probe --strict`: checks a server against the Streamable HTTP rules a gateway relies on.
/// Each finding names the rule (spec section) it breaks.
struct StrictChecks {
    let connection: StreamableHTTPConnection
    let url: String
    let tools: [ListedItem]

    static let transports = "basic/transports#streamable-http"

    func run() async -> [SpecWarning] {
        var out: [SpecWarning] = []
        let server = await connection.server
        out += await contentTypes()
        out += await notAcceptable()
        out += await getMethod(era: server.era)
        out += await foreignOrigin()
        if server.era == .modern { out += await headerMismatch() }
        if let sid = server.sessionID, !MCPSessionID.isValid(sid) {
            out.append(SpecWarning(rule: "\(Self.transports) (session management)",
                                   message: "the Mcp-Session-Id contains characters outside visible ASCII 0x21-0x7E"))
        }
        for tool in tools where !MCPToolName.isValid(tool.name) || tool.name.count > 64 {
            out.append(SpecWarning(rule: "server/tools#tool-names",
                                   message: "tool name \"\(tool.name)\" is outside [A-Za-z0-9_.-]{1,64}"))
        }
        return out
    }

    func contentTypes() async -> [SpecWarning] {
        var out: [SpecWarning] = []
        for exchange in await connection.contentTypes {
            let type = (exchange.contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            if exchange.method.hasPrefix("notifications/") {
                if exchange.status != 202 {
                    out.append(SpecWarning(rule: "\(Self.transports) (sending messages)",
                                           message: "\(exchange.method) got HTTP \(exchange.status); an accepted notification gets 202 Accepted"))
                }
            } else if exchange.status == 200, type != "application/json", type != "text/event-stream" {
                out.append(SpecWarning(rule: "\(Self.transports) (sending messages)",
                                       message: "\(exchange.method) answered with Content-Type \"\(exchange.contentType ?? "")\", not application/json or text/event-stream"))
            }
        }
        return out
    }

    func notAcceptable() async -> [SpecWarning] {
        guard let r = try? await connection.rawPost(method: "tools/list", params: nil, replacing: [("Accept", "application/json")]) else { return [] }
        if r.status != 406 {
            return [SpecWarning(rule: "\(Self.transports) (sending messages)",
                                message: "a POST whose Accept lacks text/event-stream got HTTP \(r.status), not 406 Not Acceptable")]
        }
        return []
    }

    func getMethod(era: MCPEra) async -> [SpecWarning] {
        guard let status = try? await connection.rawGet() else { return [] }
        switch era {
        case .modern where status != 405:
            return [SpecWarning(rule: "\(Self.transports) (2026-07-28: GET is not supported)", message: "GET on the endpoint got HTTP \(status), not 405 Method Not Allowed")]
        case .legacy where status != 200 && status != 405:
            return [SpecWarning(rule: "\(Self.transports) (listening for messages)", message: "GET on the endpoint got HTTP \(status); a server answers with an SSE stream or 405")]
        default:
            return []
        }
    }

    func foreignOrigin() async -> [SpecWarning] {
        guard let host = URL(string: url)?.host, ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) else { return [] }
        guard let r = try? await connection.rawPost(method: "tools/list", params: nil, replacing: [("Origin", "http://evil.example.com")]) else { return [] }
        if r.status < 400 {
            return [SpecWarning(rule: "\(Self.transports) (security warning: validate Origin)",
                                message: "a request from Origin http://evil.example.com to a loopback URL was accepted (HTTP \(r.status)); DNS rebinding is possible")]
        }
        return []
    }

    func headerMismatch() async -> [SpecWarning] {
        guard let r = try? await connection.rawPost(method: "tools/list", params: nil, replacing: [("Mcp-Method", "prompts/list")]) else { return [] }
        if r.status < 400 {
            return [SpecWarning(rule: "\(Self.transports) (2026-07-28: request headers must match the body)",
                                message: "Mcp-Method: prompts/list on a tools/list body was accepted (HTTP \(r.status)), not rejected with 400 / -32020")]
        }
        return []
    }
}
