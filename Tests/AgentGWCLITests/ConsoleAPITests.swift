import Foundation
import Testing
import AgentGWModel

/// The console's playground path end to end, with curl as the browser: a call goes through
/// the admin listener into the route and its API-key policy, to a real SDK server, and its
/// progress notifications stream back as they come. The overview and traffic JSON then show
/// what happened, and no key appears anywhere the gateway writes.
@Suite(.timeLimit(.minutes(2))) struct ConsoleAPITests {
    typealias Serve = ServeCommandTests.Serve
    typealias Curl = ServeCommandTests.Curl

    static func token(_ serve: Serve) throws -> String {
        let page = try serve.admin("/ui/").stdout
        let range = try #require(page.range(of: #"agentgw-csrf" content="[0-9a-f]{64}""#, options: .regularExpression))
        return String(page[range].dropFirst(#"agentgw-csrf" content=""#.count).dropLast())
    }

    /// POST a JSON-RPC message through /api/playground/forward, like the page does.
    static func forward(_ serve: Serve, token: String, key: String, _ body: String, session: String? = nil) throws -> (status: Int, headers: String, body: String) {
        var headers = ["X-AgentGW-CSRF: \(token)", "X-AgentGW-Listener: 80", "X-AgentGW-Path: /mcp", "Authorization: Bearer \(key)",
                       "MCP-Protocol-Version: 2025-11-25", "Origin: http://127.0.0.1:\(serve.adminPort)"]
        if let session { headers.append("Mcp-Session-Id: \(session)") }
        return try Curl.post("http://127.0.0.1:\(serve.adminPort)/api/playground/forward", body, headers: headers)
    }

    @Test func aPlaygroundCallGoesThroughTheRouteAndStreamsItsProgress() throws {
        let script = CLI.repoRoot.appendingPathComponent("Tests/AgentGWCLITests/Fixtures/notify_server.py").path
        let cancelLog = FileManager.default.temporaryDirectory.appendingPathComponent("agw-console-cancel-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: cancelLog) }
        let upstream = try Peer.start(nil, [script, "--cancel-log", cancelLog], executable: Peer.python("modern"))
        defer { upstream.stop() }
        let serve = try Serve(ServeCommandTests.manifests(port: upstream.port, policy: ServeCommandTests.apiKeyPolicy), extra: ["--console-playground"])
        let token = try Self.token(serve)

        let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"console-test","version":"1"}}}"#
        let wrong = try Self.forward(serve, token: token, key: "not-the-key", initialize)
        #expect(wrong.status == 401, "\(wrong)")
        #expect(wrong.body.contains("api key authentication failure"))

        let opened = try Self.forward(serve, token: token, key: "key-value-foo", initialize)
        #expect(opened.status == 200, "\(opened)")
        let session = try #require(opened.headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("mcp-session-id:") }
            .map { $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) })
        #expect(opened.headers.lowercased().contains("content-security-policy"))
        let initialized = try Self.forward(serve, token: token, key: "key-value-foo", #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#, session: session)
        #expect(initialized.status == 202, "\(initialized)")

        let call = #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"count","arguments":{"n":3},"_meta":{"progressToken":"p1"}}}"#
        let counted = try Self.forward(serve, token: token, key: "key-value-foo", call, session: session)
        #expect(counted.status == 200)
        #expect(counted.headers.lowercased().contains("content-type: text/event-stream"), "\(counted.headers)")
        #expect(counted.body.components(separatedBy: "notifications/progress").count - 1 == 3, "\(counted.body)")
        #expect(counted.body.contains("counted 3"))

        let overview = try #require(try YAMLReader.read(try serve.admin("/api/overview").stdout, file: "overview").first)
        let target = overview["backends"]?[0]?["targets"]?[0]
        #expect(target?["health"]?.string == "healthy", "\(String(describing: target))")
        #expect(target?["era"]?.string == "2025-11-25")
        #expect(overview["routes"]?[0]?["rules"]?[0]?["policy"]?["auth"]?["keyCount"]?.int == 2)
        let traffic = try #require(try YAMLReader.read(try serve.admin("/api/traffic").stdout, file: "traffic").first)
        #expect(traffic["totals"]?["authFailures"]?.int == 1)
        #expect(traffic["tools"]?[0]?["tool"]?.string == "count")
        #expect(traffic["tools"]?[0]?["requests"]?.int == 1)
        #expect((traffic["tools"]?[0]?["latency"]?["count"]?.int ?? 0) == 1)

        for (name, text) in [("log", serve.log), ("overview", try serve.admin("/api/overview").stdout), ("traffic", try serve.admin("/api/traffic").stdout),
                             ("metrics", try serve.admin("/metrics").stdout), ("config", try serve.admin("/config").stdout)] {
            for key in ["key-value-foo", "key-value-bar", "not-the-key"] { #expect(!text.contains(key), "\(key) appears in the \(name)") }
        }
    }

    @Test func aTargetThatIsDownShowsItsLastError() throws {
        let closed = try Peer.freePort()
        let serve = try Serve(ServeCommandTests.manifests(port: closed))
        #expect(try Curl.post(serve.url, #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, headers: ["MCP-Protocol-Version: 2025-11-25"]).status == 502)
        let overview = try #require(try YAMLReader.read(try serve.admin("/api/overview").stdout, file: "overview").first)
        let target = overview["backends"]?[0]?["targets"]?[0]
        #expect(target?["health"]?.string == "failing")
        #expect(target?["lastError"]?.string?.contains("refused") == true, "\(String(describing: target))")
        let off = try Curl.post("http://127.0.0.1:\(serve.adminPort)/api/playground/forward", "{}", headers: ["X-AgentGW-Listener: 80"])
        #expect(off.status == 403 && off.body.contains("--console-playground"), "read-only without the flag: \(off)")
    }
}
