import Foundation
import Testing
import AgentGWModel

/// `probe` against the real MCP peers (official SDK, FastMCP, mcp-server-fetch, mcp-proxy)
/// and against a rule-breaking server of our own for `--strict`.
@Suite(.timeLimit(.minutes(5))) struct ProbeCommandTests {
    func json(_ r: CLIResult) throws -> Node {
        try #require(try YAMLReader.read(r.stdout, file: "probe.json").first)
    }

    func toolNames(_ doc: Node) -> [String] {
        (doc["tools"]?.array ?? []).compactMap { $0["name"]?.string }.sorted()
    }

    @Test(arguments: [
        (["--json-response", "--stateless"], "fastmcp"),
        ([], "fastmcp"),
        (["--impl", "sdk", "--json-response", "--stateless"], "sdk"),
        (["--impl", "sdk"], "sdk"),
    ])
    func bothErasAgainstTheSDKAndFastMCP(_ serverArgs: [String], _ impl: String) throws {
        let peer = try Peer.start("echo_server.py", serverArgs)
        defer { peer.stop() }
        for era in ["auto", "legacy", "modern"] {
            let r = try CLI.run(["probe", peer.url, "--era", era, "-o", "json"])
            #expect(r.status == 0, "\(impl) \(serverArgs) era \(era): \(r.stderr)")
            let doc = try json(r)
            #expect(doc["era"]?.string == (era == "legacy" ? "legacy" : "modern"), "\(impl) \(era)")
            #expect(toolNames(doc) == ["add", "echo"])
            #expect(doc["ok"]?.bool == true)
            let stateful = !serverArgs.contains("--stateless") && era == "legacy"
            #expect((doc["sessionId"]?.string != nil) == stateful, "\(impl) \(serverArgs) \(era): session \(String(describing: doc["sessionId"]))")
        }
        let call = try CLI.run(["probe", peer.url, "--call", "add", "--arg", "a=2", "--arg", "b=40"])
        #expect(call.status == 0, "\(call.stderr)")
        #expect(call.stdout.contains("Call result:\n  42"), "\(call.stdout)")
        let legacyCall = try CLI.run(["probe", peer.url, "--era", "legacy", "--call", "echo", "--args", #"{"text":"héllo"}"#, "-o", "json"])
        #expect(try json(legacyCall)["callResult"]?["content"]?[0]?["text"]?.string == "héllo")
    }

    @Test func readableReportShowsTheEssentials() throws {
        let peer = try Peer.start("echo_server.py", [])
        defer { peer.stop() }
        let r = try CLI.run(["probe", peer.url, "--era", "legacy"])
        #expect(r.status == 0, "\(r.stderr)")
        for line in ["URL:          \(peer.url)", "Transport:    streamable-http", "Era:          legacy (protocol 2025-11-25)",
                     "Server:       echo-peer", "Session:      ", "Tools (2):", "  echo", "Return the text unchanged.",
                     "Timings:", "  connect", "  handshake", "  tools/list", "  total", "Result:       ok"] {
            #expect(r.stdout.contains(line), "missing \(line) in\n\(r.stdout)")
        }
    }

    @Test func theFetchServerAndMcpProxyWithItsOldSSETransport() throws {
        let fetch = try Peer.start("fetch_server.py", [])
        defer { fetch.stop() }
        let direct = try CLI.run(["probe", fetch.url, "-o", "json"])
        #expect(direct.status == 0, "\(direct.stderr)")
        #expect(toolNames(try json(direct)) == ["fetch"])

        let proxy = try Peer.start(nil, ["--host", "127.0.0.1", "-e", "npm_config_offline", "true", "--",
                                         Peer.python("modern"), CLI.shared("peers/fetch_server.py"), "--stdio"],
                                   executable: "\(Peer.home)/legacy/bin/mcp-proxy", portFlag: false, portArgsFirst: true)
        defer { proxy.stop() }
        // mcp-proxy is legacy-only: auto mode must fall back from server/discover to initialize.
        let auto = try CLI.run(["probe", proxy.url, "-o", "json"])
        #expect(auto.status == 0, "\(auto.stderr)")
        let doc = try json(auto)
        #expect(doc["era"]?.string == "legacy")
        #expect(doc["server"]?["name"]?.string == "mcp-fetch")
        #expect(toolNames(doc) == ["fetch"])
        // The old HTTP+SSE transport on /sse, forced and detected.
        let sseURL = "http://127.0.0.1:\(proxy.port)/sse"
        for extra in [["--transport", "sse"], []] {
            let sse = try CLI.run(["probe", sseURL, "-o", "json"] + extra)
            #expect(sse.status == 0, "\(extra): \(sse.stderr)")
            let s = try json(sse)
            #expect(s["transport"]?.string == "sse")
            #expect(toolNames(s) == ["fetch"])
        }
    }

    @Test func bearerProtectedServer() throws {
        let peer = try Peer.start("echo_server.py", ["--impl", "sdk", "--require-token", "sk-test-123"])
        defer { peer.stop() }
        let denied = try CLI.run(["probe", peer.url])
        #expect(denied.status == 3, "\(denied.stderr)")
        #expect(denied.stderr.contains("error: authentication failed (HTTP 401)"), "\(denied.stderr)")
        let wrong = try CLI.run(["probe", peer.url, "--api-key", "nope"])
        #expect(wrong.status == 3)
        #expect(!wrong.stderr.contains("nope"))
        let ok = try CLI.run(["probe", peer.url, "--api-key", "sk-test-123"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let env = try CLI.run(["probe", peer.url], environment: ["AGENTGW_API_KEY": "sk-test-123"])
        #expect(env.status == 0)
        let keyFile = try CLI.tempDir().appendingPathComponent("key").path
        try "sk-test-123\n".write(toFile: keyFile, atomically: true, encoding: .utf8)
        let file = try CLI.run(["probe", peer.url, "--api-key-file", keyFile])
        #expect(file.status == 0)
        let verbose = try CLI.run(["probe", peer.url, "--api-key", "sk-test-123", "-v"])
        #expect(verbose.stderr.contains("Authorization: Bearer ***"), "\(verbose.stderr)")
        #expect(!verbose.stderr.contains("sk-test-123") && !verbose.stdout.contains("sk-test-123"))
        let header = try CLI.run(["probe", peer.url, "-H", "Authorization: Bearer sk-test-123"])
        #expect(header.status == 0)
    }

    @Test func unreachablePortExitsFour() throws {
        let port = try Peer.freePort()
        let r = try CLI.run(["probe", "http://127.0.0.1:\(port)/mcp", "--timeout", "3s"])
        #expect(r.status == 4)
        #expect(r.stderr.contains("unreachable"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func toolErrorsExitFive() throws {
        let peer = try Peer.start("echo_server.py", ["--impl", "sdk", "--json-response"])
        defer { peer.stop() }
        let r = try CLI.run(["probe", peer.url, "--call", "nope"])
        #expect(r.status == 5, "\(r.stdout)\(r.stderr)")
        let fast = try Peer.start("echo_server.py", [])
        defer { fast.stop() }
        let f = try CLI.run(["probe", fast.url, "--call", "nope"])
        #expect(f.status == 5, "\(f.stdout)\(f.stderr)")
    }

    @Test func extraListsAndArbitraryMethods() throws {
        let peer = try Peer.start("echo_server.py", [])
        defer { peer.stop() }
        let r = try CLI.run(["probe", peer.url, "--era", "legacy", "--resources", "--prompts", "--method", "ping", "-o", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try json(r)
        #expect(doc["resources"]?.array != nil && doc["prompts"]?.array != nil)
        #expect(doc["result"]?.entries?.isEmpty == true)
        #expect(doc["timingsMs"]?["ping"]?.double != nil)
        let yaml = try CLI.run(["probe", peer.url, "-o", "yaml"])
        #expect(try YAMLReader.read(yaml.stdout, file: "y")[0]["ok"]?.bool == true)
    }

    @Test func repeatPrintsALatencySummary() throws {
        let peer = try Peer.start("echo_server.py", ["--json-response", "--stateless"])
        defer { peer.stop() }
        let r = try CLI.run(["probe", peer.url, "--repeat", "6", "--concurrency", "3", "-o", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try json(r)
        #expect(doc["runs"]?.int == 6 && doc["ok"]?.int == 6)
        let p50 = try #require(doc["latencyMs"]?["p50"]?.double)
        let max = try #require(doc["latencyMs"]?["max"]?.double)
        #expect(p50 > 0 && p50 <= max)
        let text = try CLI.run(["probe", "http://127.0.0.1:\(try Peer.freePort())/mcp", "--repeat", "2", "--timeout", "2s"])
        // Every run failed the same way, so the exit code is that class's (4: unreachable).
        #expect(text.status == 4)
        #expect(text.stdout.contains("Errors:       unreachable 2"), "\(text.stdout)")
    }

    @Test(arguments: ["legacy", "modern"])
    func strictFindsEveryDeviation(_ era: String) throws {
        let script = CLI.repoRoot.appendingPathComponent("Tests/AgentGWCLITests/Fixtures/spec_server.py").path
        let broken = try Peer.start(script, ["--era", era, "--break"])
        defer { broken.stop() }
        let r = try CLI.run(["probe", broken.url, "--strict", "-o", "json"])
        #expect(r.status == 6, "\(r.stdout)\(r.stderr)")
        let messages = (try json(r)["warnings"]?.array ?? []).compactMap { $0["message"]?.string }.joined(separator: "\n")
        var expected = ["Content-Type \"text/plain\"", "not 406", "Origin http://evil.example.com", "\"bad tool!\"", "\"ttttttttt"]
        if era == "legacy" { expected += ["Mcp-Session-Id contains characters", "GET on the endpoint got HTTP 204", "notifications/initialized got HTTP 200"] }
        if era == "modern" { expected += ["Mcp-Method: prompts/list", "GET on the endpoint got HTTP 200, not 405"] }
        for e in expected { #expect(messages.contains(e), "\(era): no warning with \(e) in\n\(messages)") }
        #expect(r.stderr.contains("warning: "))

        let good = try Peer.start(script, ["--era", era])
        defer { good.stop() }
        let g = try CLI.run(["probe", good.url, "--strict"])
        #expect(g.status == 0, "\(g.stdout)\(g.stderr)")
        #expect(!g.stderr.contains("warning"))
    }

    @Test func httpsWithOurOwnCA() throws {
        let dir = try CLI.tempDir()
        let cert = dir.appendingPathComponent("cert.pem").path, key = dir.appendingPathComponent("key.pem").path
        let openssl = try CLI.run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                                   "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
                                  executable: URL(fileURLWithPath: "/usr/bin/openssl"))
        #expect(openssl.status == 0, "\(openssl.stderr)")
        let script = CLI.repoRoot.appendingPathComponent("Tests/AgentGWCLITests/Fixtures/spec_server.py").path
        let server = try Peer.start(script, ["--tls-cert", cert, "--tls-key", key])
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)/mcp"
        let untrusted = try CLI.run(["probe", url, "--timeout", "5s"])
        #expect(untrusted.status == 4, "\(untrusted.stderr)")
        #expect(untrusted.stderr.contains("TLS"), "\(untrusted.stderr)")
        let trusted = try CLI.run(["probe", url, "--cacert", cert])
        #expect(trusted.status == 0, "\(trusted.stderr)")
        let insecure = try CLI.run(["probe", url, "--insecure-skip-tls-verify"])
        #expect(insecure.status == 0, "\(insecure.stderr)")
    }

    @Test(arguments: [
        ["probe"], ["probe", "not a url"], ["probe", "http://x/mcp", "--args", "{}"], ["probe", "http://x/mcp", "--call", "t", "--args", "[1]"],
        ["probe", "http://x/mcp", "--era", "ancient"], ["probe", "http://x/mcp", "--timeout", "soon"],
    ])
    func usageErrorsExitTwo(_ args: [String]) throws {
        let r = try CLI.run(args)
        #expect(r.status == 2, "\(args): \(r.stderr)")
        #expect(r.stderr.hasPrefix("error:"), "\(args): \(r.stderr)")
    }
}
