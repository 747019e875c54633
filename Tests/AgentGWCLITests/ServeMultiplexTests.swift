import Foundation
import Testing
import AgentGWModel

/// Several MCP servers behind one route: real peers of both eras, real SDK clients of both eras,
/// sealed sessions that move between serve processes, and failure modes.
@Suite(.timeLimit(.minutes(5))) struct ServeMultiplexTests {
    typealias Serve = ServeCommandTests.Serve
    typealias Curl = ServeCommandTests.Curl

    static func manifests(_ targets: [(name: String, port: Int)], failureMode: String = "FailClosed") -> String {
        let list = targets.map { "    - name: \($0.name)\n      static: {host: 127.0.0.1, port: \($0.port), path: /mcp}" }.joined(separator: "\n")
        return """
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: Backend
        metadata: {name: tools}
        spec:
          type: MCP
          mcp:
            failureMode: \(failureMode)
            targets:
        \(list)
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec: {gatewayClassName: ack-agent-gateway, listeners: [{name: http, port: 80, protocol: HTTP}]}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r}
        spec:
          parentRefs: [{name: gw}]
          rules: [{backendRefs: [{group: agentgateway.alibabacloud.com, kind: Backend, name: tools}]}]

        """
    }

    static func legacyOnlyFetch() throws -> Peer {
        try Peer.start(nil, ["--host", "127.0.0.1", "-e", "npm_config_offline", "true", "--", Peer.python("modern"), CLI.shared("peers/fetch_server.py"), "--stdio"],
                       executable: "\(Peer.home)/legacy/bin/mcp-proxy", portFlag: false, portArgsFirst: true)
    }

    @Test func threePeersOfBothErasBecomeOneServerForEveryClient() throws {
        let a = try Peer.start("echo_server.py", ["--json-response", "--stateless"])
        let b = try Peer.start("echo_server.py", ["--impl", "sdk"])
        let c = try Self.legacyOnlyFetch()
        defer { a.stop(); b.stop(); c.stop() }
        let serve = try Serve(Self.manifests([("a", a.port), ("b", b.port), ("c", c.port)]))
        let merged = ["a_add", "a_echo", "b_add", "b_echo", "c_fetch"]
        for client in ["auto", "legacy", "2026-07-28", "1.x"] {
            let r = try ServeCommandTests.sdkProbe(serve.url, client: client, extra: ["--call", "b_add", "--args", #"{"a":40,"b":2}"#])
            #expect(r.status == 0, "\(client)\n\(serve.log)")
            // The legacy-only target's tools reach modern clients too (FastMCP's gateway drops them).
            #expect(r.doc?["tools"]?.array?.compactMap(\.string).sorted() == merged, "\(client)")
            #expect(r.doc?["call"]?["structuredContent"]?["result"]?.int == 42, "\(client)")
        }
        for era in ["legacy", "modern"] {
            let echo = try CLI.run(["probe", serve.url, "--era", era, "--call", "a_echo", "--arg", "text=routed", "-o", "json"])
            #expect(try YAMLReader.read(echo.stdout, file: "e").first?["callResult"]?["content"]?[0]?["text"]?.string == "routed", "\(era)")
            let unknown = try CLI.run(["probe", serve.url, "--era", era, "--call", "z_nothing"])
            #expect(unknown.status == 5, "\(era): \(unknown.stderr)")
        }
    }

    /// Initializes a legacy session through the gateway and returns the gateway's session id.
    static func session(_ url: String) throws -> String {
        try ServeCommandTests.session(url)
    }

    @Test func sealedSessionsMoveBetweenReplicasAndTamperingGets404() throws {
        let a = try Peer.start("echo_server.py", [])
        let b = try Peer.start("echo_server.py", ["--impl", "sdk"])
        defer { a.stop(); b.stop() }
        let keyFile = try CLI.tempDir().appendingPathComponent("session.key")
        try String(repeating: "ab", count: 32).write(to: keyFile, atomically: true, encoding: .utf8)   // 32 bytes, hex
        let yaml = Self.manifests([("a", a.port), ("b", b.port)])
        let one = try Serve(yaml, extra: ["--session-key-file", keyFile.path])
        let two = try Serve(yaml, extra: ["--session-key-file", keyFile.path])
        let other = try Serve(yaml)   // its own random key
        let sid = try Self.session(one.url)
        #expect(sid.hasPrefix("agw1."))
        let list = #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#
        let headers = ["Mcp-Session-Id: \(sid)", "MCP-Protocol-Version: 2025-11-25"]
        // The session started on one replica continues on the other, alternately.
        for serve in [two, one, two] {
            let r = try Curl.post(serve.url, list, headers: headers)
            #expect(r.status == 200, "\(r.body)")
            let names = try YAMLReader.read(r.body, file: "b").first?["result"]?["tools"]?.array?.compactMap { $0["name"]?.string }.sorted()
            #expect(names == ["a_add", "a_echo", "b_add", "b_echo"])
        }
        let call = try Curl.post(two.url, #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"b_add","arguments":{"a":1,"b":2}}}"#, headers: headers)
        #expect(call.body.contains(#""result":3"#) || call.body.contains(#""text":"3""#), "\(call.body)")
        // A foreign key, a tampered id and a made-up id all get 404, as the spec says.
        #expect(try Curl.post(other.url, list, headers: headers).status == 404)
        var tampered = Array(sid)
        tampered[tampered.count / 2] = tampered[tampered.count / 2] == "A" ? "B" : "A"
        #expect(try Curl.post(one.url, list, headers: ["Mcp-Session-Id: \(String(tampered))", "MCP-Protocol-Version: 2025-11-25"]).status == 404)
        #expect(try Curl.post(one.url, list, headers: ["Mcp-Session-Id: agw1.nope", "MCP-Protocol-Version: 2025-11-25"]).status == 404)
        #expect(other.log.contains("no --session-key-file"))
    }

    @Test func oldSSETransportTargetsWorkForClientsOfEitherEra() throws {
        let fetch = try Self.legacyOnlyFetch()
        let a = try Peer.start("echo_server.py", ["--json-response", "--stateless"])
        defer { fetch.stop(); a.stop() }
        // One Backend with only the /sse target, one mixing it with a Streamable HTTP target.
        let yaml = """
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: Backend
        metadata: {name: sse-only}
        spec: {type: MCP, mcp: {targets: [{name: f, static: {host: 127.0.0.1, port: \(fetch.port), protocol: SSE}}]}}
        ---
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: Backend
        metadata: {name: mixed}
        spec:
          type: MCP
          mcp:
            targets:
            - {name: a, static: {host: 127.0.0.1, port: \(a.port)}}
            - {name: f, static: {host: 127.0.0.1, port: \(fetch.port), protocol: SSE}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec: {gatewayClassName: ack-agent-gateway, listeners: [{name: http, port: 80, protocol: HTTP}]}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /one}}]
            backendRefs: [{group: agentgateway.alibabacloud.com, kind: Backend, name: sse-only}]
          - matches: [{path: {type: PathPrefix, value: /two}}]
            backendRefs: [{group: agentgateway.alibabacloud.com, kind: Backend, name: mixed}]

        """
        let serve = try Serve(yaml)
        for (path, tools) in [("/one/mcp", ["fetch"]), ("/two/mcp", ["a_add", "a_echo", "f_fetch"])] {
            let url = "http://127.0.0.1:\(serve.port)\(path)"
            for client in ["auto", "legacy", "2026-07-28", "1.x"] {
                let r = try ServeCommandTests.sdkProbe(url, client: client)
                #expect(r.status == 0, "\(path) \(client)\n\(serve.log)")
                #expect(r.doc?["tools"]?.array?.compactMap(\.string).sorted() == tools, "\(path) \(client)")
            }
        }
        // A call routed to the SSE target reaches it (the fetch server refuses loopback pages itself).
        let call = try CLI.run(["probe", "http://127.0.0.1:\(serve.port)/two/mcp", "--era", "legacy", "--call", "f_fetch",
                                "--arg", "url=http://127.0.0.1:1/", "-o", "json"])
        let text = try YAMLReader.read(call.stdout, file: "c").first?["callResult"]?["content"]?[0]?["text"]?.string ?? ""
        #expect(text.contains("127.0.0.1"), "\(call.stdout)\(call.stderr)")
    }

    @Test(arguments: ["FailClosed", "FailOpen"])
    func aFailingTargetUnderEachFailureMode(_ mode: String) throws {
        let a = try Peer.start("echo_server.py", ["--json-response", "--stateless"])
        defer { a.stop() }
        let down = try Peer.freePort()
        let serve = try Serve(Self.manifests([("a", a.port), ("down", down)], failureMode: mode))
        let r = try CLI.run(["probe", serve.url, "--era", "modern", "-o", "json"])
        if mode == "FailOpen" {
            #expect(r.status == 0, "\(r.stderr)")
            let names = try YAMLReader.read(r.stdout, file: "p").first?["tools"]?.array?.compactMap { $0["name"]?.string }.sorted()
            #expect(names == ["a_add", "a_echo"])
        } else {
            #expect(r.status != 0)
            #expect(r.stderr.contains("down"), "\(r.stderr)")
        }
    }

    /// What targets say before they answer, and cancellation, through two targets: the official
    /// SDK client sees progress and log notifications during a routed call, its cancellation
    /// reaches the target working on the call, and (legacy) a notification a target sends outside
    /// any request arrives on the merged server stream.
    @Test(arguments: ["legacy", "2026-07-28"])
    func notificationsAndCancellationCrossTheMultiplexer(_ mode: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agw-notify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = CLI.repoRoot.appendingPathComponent("Tests/AgentGWCLITests/Fixtures/notify_server.py").path
        let logA = dir.appendingPathComponent("a.log").path, logB = dir.appendingPathComponent("b.log").path
        let a = try Peer.start(nil, [script, "--cancel-log", logA], executable: Peer.python("modern"))
        defer { a.stop() }
        // A 2026-07-28 client cancels by closing its stream, which an SDK server in JSON-response
        // mode doesn't notice even when called directly; a legacy client's notifications/cancelled
        // works in both modes.
        let b = try Peer.start(nil, [script, "--cancel-log", logB] + (mode == "legacy" ? ["--json-response"] : []), executable: Peer.python("modern"))
        defer { b.stop() }
        let serve = try Serve(Self.manifests([("a", a.port), ("b", b.port)]))
        let client = CLI.repoRoot.appendingPathComponent("Tests/AgentGWCLITests/Fixtures/notify_client.py").path
        let r = try CLI.run([client, serve.url, "--mode", mode, "--tool", "a_count", "--cancel-tool", "b_slow", "--cancel-log", logB, "--announce", "a_announce"],
                            executable: URL(fileURLWithPath: Peer.python("modern")))
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try YAMLReader.read(r.stdout, file: "client").first
        #expect(doc?["result"]?.string == "counted 3", "\(r.stdout)")
        #expect(doc?["progress"]?.array?.compactMap { $0[2]?.string } == ["step 1", "step 2", "step 3"], "\(r.stdout)")
        #expect(doc?["logs"]?.array?.compactMap(\.string) == ["step 1 of 3", "step 2 of 3", "step 3 of 3"], "\(r.stdout)")
        #expect(doc?["cancelled"]?.bool == true)
        // Legacy: the merged server stream (GET). 2026-07-28: the merged subscriptions/listen stream.
        #expect(doc?["listChanged"]?.int == 1, "\(r.stdout)")
        if mode != "legacy" {
            #expect(doc?["honored"]?["toolsListChanged"]?.bool == true, "\(r.stdout)")
            #expect(doc?["event"]?.string == "ToolsListChanged", "\(r.stdout)")
            #expect(doc?["listenEvents"]?.int == 1, "\(r.stdout)")
        }
        // The cancellation reached b (and only b), under b's own request id.
        var seen = ""
        for _ in 0..<100 where !seen.contains("cancelled") {
            seen = (try? String(contentsOfFile: logB, encoding: .utf8)) ?? ""
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(seen.contains("cancelled"))
        #expect(!FileManager.default.fileExists(atPath: logA))
    }

    /// Paging across targets: one target pages its 7 tools 3 at a time, another answers in one
    /// page. The official SDK clients (both eras) and probe follow the gateway's cursors to the
    /// full merged list, each tool exactly once.
    @Test func pagingAcrossTargetsFollowsTheGatewayCursor() throws {
        let script = CLI.repoRoot.appendingPathComponent("Tests/AgentGWCLITests/Fixtures/spec_server.py").path
        let paged = try Peer.start(nil, [script, "--extra-tools", "5", "--page-size", "3"], executable: Peer.python("modern"))
        defer { paged.stop() }
        let whole = try Peer.start(nil, ["sample-server"], executable: CLI.binary.path)
        defer { whole.stop() }
        let serve = try Serve(Self.manifests([("p", paged.port), ("w", whole.port)]))
        let expected = (["p_echo", "p_headers"] + (1...5).map { "p_tool_\($0)" } + ["w_add", "w_echo", "w_fetch", "w_time"]).sorted()
        for client in ["legacy", "2026-07-28", "1.x"] {
            let (status, doc) = try ServeCommandTests.sdkProbe(serve.url, client: client)
            #expect(status == 0, "\(client)")
            let names = doc?["tools"]?.array?.compactMap(\.string) ?? []
            #expect(names.sorted() == expected, "\(client): \(names)")
            #expect((doc?["tool_pages"]?.int ?? 0) > 1, "\(client): the gateway paged")
        }
        let r = try CLI.run(["probe", serve.url, "-o", "json"])
        let names = try YAMLReader.read(r.stdout, file: "p").first?["tools"]?.array?.compactMap { $0["name"]?.string } ?? []
        #expect(names.sorted() == expected, "\(r.stderr)")
    }
}
