import Foundation
import Testing
import AgentGWModel
#if canImport(Glibc)
import Glibc
#endif

/// `serve` end to end: real third-party MCP clients through the gateway to real servers, and the
/// policies, reloads, failures and shutdown a gateway must get right.
@Suite(.timeLimit(.minutes(5))) struct ServeCommandTests {
    /// The tutorial's Gateway, HTTPRoute and Backend, pointing at a local MCP server.
    static func manifests(port: Int, path: String = "/mcp", routePrefix: String? = nil, policy: String = "") -> String {
        let match = routePrefix.map { "\n  - matches:\n    - path:\n        type: PathPrefix\n        value: \($0)\n    backendRefs:" } ?? "\n  - backendRefs:"
        return """
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: Backend
        metadata:
          name: test-mcp
        spec:
          type: MCP
          mcp:
            targets:
            - name: mcp-target
              static:
                host: 127.0.0.1
                port: \(port)
                path: \(path)
                protocol: StreamableHTTP
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: test-mcp-gateway
        spec:
          gatewayClassName: ack-agent-gateway
          listeners:
          - name: http
            port: 80
            protocol: HTTP
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: route-for-mcp-backend
        spec:
          parentRefs:
          - name: test-mcp-gateway
          rules:\(match)
            - group: agentgateway.alibabacloud.com
              kind: Backend
              name: test-mcp

        """ + (policy.isEmpty ? "" : "---\n" + policy)
    }

    static let apiKeyPolicy = """
    apiVersion: v1
    kind: Secret
    metadata:
      name: mcp-api-key
    data:
      key1: a2V5LXZhbHVlLWZvbw==
    stringData:
      key2: key-value-bar
    ---
    apiVersion: agentgateway.alibabacloud.com/v1alpha1
    kind: TrafficPolicy
    metadata:
      name: test-mcp-apikey-auth
    spec:
      targetRefs:
      - group: gateway.networking.k8s.io
        kind: HTTPRoute
        name: route-for-mcp-backend
      traffic:
        authentication:
          apiKeyAuth:
            secretRef:
              name: mcp-api-key

    """

    /// A running `kubectl-agentgw serve` over a folder of manifests.
    final class Serve {
        let dir: URL
        let process: Peer
        let adminPort: Int
        var port: Int { process.port }
        var url: String { "http://127.0.0.1:\(port)/mcp" }

        init(_ yaml: String, extra: [String] = []) throws {
            dir = try CLI.tempDir()
            try yaml.write(to: dir.appendingPathComponent("gateway.yaml"), atomically: true, encoding: .utf8)
            adminPort = try Peer.freePort()
            let port = try Peer.freePort()
            process = try Peer.start(nil, ["serve", "-f", dir.path, "--port-map", "80=\(port)", "--address", "127.0.0.1",
                                           "--admin-address", "127.0.0.1:\(adminPort)", "--watch-interval", "100ms"] + extra,
                                     executable: CLI.binary.path, portFlag: false, port: port)
        }

        func rewrite(_ yaml: String) throws {
            try yaml.write(to: dir.appendingPathComponent("gateway.yaml"), atomically: true, encoding: .utf8)
        }

        func admin(_ path: String) throws -> CLIResult {
            try Curl.run(["-s", "--max-time", "5", "http://127.0.0.1:\(adminPort)\(path)"])
        }

        /// Waits until /config reports `generation` (a reload took effect).
        func waitForGeneration(_ generation: Int) throws {
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                if let doc = try? YAMLReader.read(admin("/config").stdout, file: "config").first,
                   doc["status"]?["generation"]?.int == generation { return }
                usleep(50_000)
            }
            Issue.record("serve did not reach config generation \(generation)")
        }

        var log: String { (try? String(contentsOf: process.log, encoding: .utf8)) ?? "" }

        deinit { process.stop() }
    }

    enum Curl {
        static func run(_ args: [String]) throws -> CLIResult {
            try CLI.run(args, executable: URL(fileURLWithPath: "/usr/bin/curl"))
        }

        /// A JSON-RPC POST with the headers a legacy client sends; returns status, headers, body.
        static func post(_ url: String, _ body: String, headers: [String] = []) throws -> (status: Int, headers: String, body: String) {
            let r = try run(["-s", "-i", "--max-time", "10", "-X", "POST", url, "-H", "Content-Type: application/json",
                             "-H", "Accept: application/json, text/event-stream", "--data-binary", body] + headers.flatMap { ["-H", $0] })
            let parts = r.stdout.components(separatedBy: "\r\n\r\n")
            let status = Int(parts.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
            return (status, parts.first ?? "", parts.dropFirst().joined(separator: "\r\n\r\n"))
        }
    }

    /// The official Python SDK client (probe_client.py), 2.x in a mode or 1.x.
    static func sdkProbe(_ url: String, client: String, extra: [String] = []) throws -> (status: Int32, doc: Node?) {
        let (venv, mode): (String, [String]) = switch client {
        case "1.x": ("legacy", [])
        default: ("modern", ["--mode", client])
        }
        let r = try CLI.run([CLI.shared("peers/probe_client.py"), url, "--json"] + mode + extra,
                            executable: URL(fileURLWithPath: Peer.python(venv)))
        return (r.status, r.status == 0 ? try YAMLReader.read(r.stdout, file: "sdk").first : nil)
    }

    /// What must be the same directly and through the gateway: tools and the call's result.
    static func essentials(_ doc: Node?) -> Node? {
        guard let doc else { return nil }
        var call = doc["call"] ?? .null
        call.remove("_meta")
        return ["era": doc["era"] ?? .null, "tools": doc["tools"] ?? .null, "call": call]
    }

    @Test(arguments: [
        ("fastmcp-json-stateless", ["--json-response", "--stateless"]),
        ("fastmcp-sse-stateful", []),
        ("sdk-json-stateful", ["--impl", "sdk", "--json-response"]),
    ])
    func realClientsThroughServeSeeWhatTheySeeDirectly(_ name: String, _ serverArgs: [String]) throws {
        let server = try Peer.start("echo_server.py", serverArgs)
        defer { server.stop() }
        let serve = try Serve(Self.manifests(port: server.port))
        for client in ["auto", "legacy", "2026-07-28", "1.x"] {
            let call = ["--call", "add", "--args", #"{"a":20,"b":22}"#]
            let direct = try Self.sdkProbe(server.url, client: client, extra: call)
            let via = try Self.sdkProbe(serve.url, client: client, extra: call)
            #expect(direct.status == 0, "\(name) \(client) direct")
            #expect(via.status == direct.status, "\(name) \(client): direct \(direct.status), via serve \(via.status)\n\(serve.log)")
            #expect(Self.essentials(via.doc) == Self.essentials(direct.doc), "\(name) \(client) differs through serve")
            #expect(via.doc?["call"]?["structuredContent"]?["result"]?.int == 42)
        }
        // The gateway logged each request with its route and MCP method.
        #expect(serve.log.contains("route=default/route-for-mcp-backend"), "\(serve.log)")
        #expect(serve.log.contains("mcp=tools/call tool=add"))
    }

    @Test func mcpProxyInFrontOfTheFetchServer() throws {
        let proxy = try Peer.start(nil, ["--host", "127.0.0.1", "-e", "npm_config_offline", "true", "--",
                                         Peer.python("modern"), CLI.shared("peers/fetch_server.py"), "--stdio"],
                                   executable: "\(Peer.home)/legacy/bin/mcp-proxy", portFlag: false, portArgsFirst: true)
        defer { proxy.stop() }
        let serve = try Serve(Self.manifests(port: proxy.port))
        for client in ["auto", "legacy", "1.x"] {
            let direct = try Self.sdkProbe(proxy.url, client: client)
            let via = try Self.sdkProbe(serve.url, client: client)
            #expect(direct.status == 0 && via.status == 0, "\(client): \(direct.status) / \(via.status)\n\(serve.log)")
            #expect(via.doc?["tools"]?.array?.compactMap(\.string) == ["fetch"])
            #expect(Self.essentials(via.doc) == Self.essentials(direct.doc))
        }
    }

    @Test func apiKeysGate401Then200AndAreNeverForwarded() throws {
        let script = CLI.repoRoot.appendingPathComponent("Tests/AgentGWCLITests/Fixtures/spec_server.py").path
        let upstream = try Peer.start(script, [])
        defer { upstream.stop() }
        let serve = try Serve(Self.manifests(port: upstream.port, policy: Self.apiKeyPolicy))
        let init_ = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#
        let denied = try Curl.post(serve.url, init_)
        #expect(denied.status == 401)
        #expect(denied.headers.lowercased().contains("www-authenticate: bearer"))
        let body = try #require(try YAMLReader.read(denied.body, file: "b").first)
        #expect(body["error"]?["message"]?.string == "api key authentication failure")
        #expect(try Curl.post(serve.url, init_, headers: ["Authorization: Bearer nope"]).status == 401)
        // Both the data (base64) key and the stringData key work.
        for key in ["key-value-foo", "key-value-bar"] {
            #expect(try Curl.post(serve.url, init_, headers: ["Authorization: Bearer \(key)"]).status == 200)
        }
        let probe = try CLI.run(["probe", serve.url, "--era", "legacy", "--call", "headers", "--api-key", "key-value-foo", "-o", "json"])
        #expect(probe.status == 0, "\(probe.stderr)")
        let seen = try #require(try YAMLReader.read(probe.stdout, file: "p").first?["callResult"]?["content"]?[0]?["text"]?.string)
        #expect(!seen.lowercased().contains("authorization"), "the credential reached upstream: \(seen)")
        #expect(!seen.contains("key-value-foo"))
        #expect(seen.contains("x-forwarded-for"))
        // Nothing the gateway printed or serves on /metrics and /config holds a key.
        let noKey = try CLI.run(["probe", serve.url])
        #expect(noKey.status == 3)
        #expect(noKey.stderr.contains("api key authentication failure"))
        for text in [serve.log, try serve.admin("/metrics").stdout, try serve.admin("/config").stdout] {
            #expect(!text.contains("key-value-foo") && !text.contains("key-value-bar") && !text.contains("a2V5LXZhbHVlLWZvbw"))
        }
        #expect(try serve.admin("/metrics").stdout.contains("agentgw_auth_failures_total{route=\"default/route-for-mcp-backend\"}"))
    }

    @Test func rateLimitGives429OnceTheBudgetIsSpent() throws {
        let script = CLI.repoRoot.appendingPathComponent("Tests/AgentGWCLITests/Fixtures/spec_server.py").path
        let upstream = try Peer.start(script, [])
        defer { upstream.stop() }
        let policy = """
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: TrafficPolicy
        metadata:
          name: limits
        spec:
          targetRefs:
          - group: gateway.networking.k8s.io
            kind: HTTPRoute
            name: route-for-mcp-backend
          traffic:
            rateLimit:
              local:
              - requests: 3
                unit: Minutes
                per: Route

        """
        let serve = try Serve(Self.manifests(port: upstream.port, policy: policy))
        let list = #"{"jsonrpc":"2.0","id":7,"method":"tools/list"}"#
        let session = ["Mcp-Session-Id: session-0123456789abcdef", "MCP-Protocol-Version: 2025-11-25"]
        for i in 0..<3 { #expect(try Curl.post(serve.url, list, headers: session).status == 200, "request \(i)") }
        let limited = try Curl.post(serve.url, list, headers: session)
        #expect(limited.status == 429)
        let headers = limited.headers.lowercased()
        #expect(headers.contains("retry-after: ") && headers.contains("x-ratelimit-limit: 3") && headers.contains("x-ratelimit-remaining: 0"))
        let body = try #require(try YAMLReader.read(limited.body, file: "b").first)
        #expect(body["id"]?.int == 7)
        #expect(body["error"]?["message"]?.string?.hasPrefix("rate limit exceeded") == true)
    }

    @Test func deniedToolsAreFilteredAndRefused() throws {
        let server = try Peer.start("echo_server.py", [])
        defer { server.stop() }
        let policy = """
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: TrafficPolicy
        metadata:
          name: tools
        spec:
          targetRefs:
          - group: gateway.networking.k8s.io
            kind: HTTPRoute
            name: route-for-mcp-backend
          traffic:
            mcp:
              authorization:
                allowTools: ["ec*"]

        """
        let serve = try Serve(Self.manifests(port: server.port, policy: policy))
        for era in ["legacy", "modern"] {
            let listed = try CLI.run(["probe", serve.url, "--era", era, "-o", "json"])
            #expect(listed.status == 0, "\(listed.stderr)")
            let tools = try YAMLReader.read(listed.stdout, file: "p").first?["tools"]?.array?.compactMap { $0["name"]?.string }
            #expect(tools == ["echo"], "\(era): \(String(describing: tools))")
            let refused = try CLI.run(["probe", serve.url, "--era", era, "--call", "add", "--args", #"{"a":1,"b":2}"#])
            #expect(refused.status == 5, "\(era): \(refused.stderr)")
            #expect(refused.stderr.contains("tool not allowed: add"))
        }
        let sdk = try Self.sdkProbe(serve.url, client: "auto")
        #expect(sdk.doc?["tools"]?.array?.compactMap(\.string) == ["echo"])
    }

    /// Opens a legacy session's GET stream through the gateway with curl, in the background.
    /// curl writes to a file, not a pipe: a pipe's write end can stay open in this process too,
    /// and then reading to EOF never ends.
    static func openStream(_ url: String, headers: [String]) throws -> (Process, URL) {
        let p = Process()
        let out = try CLI.tempDir().appendingPathComponent("stream.txt")
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = ["-s", "-N", "-o", out.path, url, "-H", "Accept: text/event-stream"] + headers.flatMap { ["-H", $0] }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return (p, out)
    }

    static func waitExit(_ p: Process, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        return !p.isRunning
    }

    /// Initializes a legacy session through the gateway and returns its id.
    static func session(_ url: String) throws -> String {
        let r = try Curl.post(url, #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#)
        let line = r.headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("mcp-session-id:") }
        let id = try #require(line.map { String($0.split(separator: ":", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces) })
        _ = try Curl.post(url, #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#, headers: ["Mcp-Session-Id: \(id)", "MCP-Protocol-Version: 2025-11-25"])
        return id
    }

    @Test func hotReloadSwapsARouteWhileAStreamStaysOpen() throws {
        let server = try Peer.start("echo_server.py", [])
        defer { server.stop() }
        let serve = try Serve(Self.manifests(port: server.port), extra: ["--sse-keepalive", "300ms"])
        let sid = try Self.session(serve.url)
        let (stream, out) = try Self.openStream(serve.url, headers: ["Mcp-Session-Id: \(sid)", "MCP-Protocol-Version: 2025-11-25"])
        defer { if stream.isRunning { stream.terminate() } }
        usleep(300_000)
        // Swap the route to /v2 only; /mcp must stop matching, /v2/mcp must work.
        try serve.rewrite(Self.manifests(port: server.port, routePrefix: "/v2"))
        try serve.waitForGeneration(2)
        let v2 = try CLI.run(["probe", "http://127.0.0.1:\(serve.port)/v2/mcp", "--era", "legacy"])
        #expect(v2.status == 0, "\(v2.stderr)")
        #expect(try Curl.post(serve.url, #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#).status == 404)
        // A broken change is rejected and the last good config stays.
        try serve.rewrite("kind: [broken\n")
        usleep(600_000)
        #expect(try serve.admin("/config").stdout.contains("\"ok\" : false") || (try serve.admin("/config").stdout.contains("\"ok\": false")))
        #expect(try CLI.run(["probe", "http://127.0.0.1:\(serve.port)/v2/mcp"]).status == 0)
        // The stream opened before the reloads is still open and kept alive.
        #expect(stream.isRunning)
        usleep(400_000)
        stream.terminate()
        _ = Self.waitExit(stream, seconds: 3)
        let received = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        #expect(received.contains(": keepalive"), "\(received)")
        #expect(serve.log.contains("config change rejected"))
    }

    @Test func aBackendKilledMidStreamGivesACleanEndAndServeKeepsServing() throws {
        let server = try Peer.start("echo_server.py", [])
        let serve = try Serve(Self.manifests(port: server.port))
        let sid = try Self.session(serve.url)
        let (stream, _) = try Self.openStream(serve.url, headers: ["Mcp-Session-Id: \(sid)", "MCP-Protocol-Version: 2025-11-25"])
        usleep(300_000)
        #expect(stream.isRunning)
        server.stop()
        #expect(Self.waitExit(stream, seconds: 5), "the client stream did not end when the backend died")
        #expect(stream.terminationStatus == 0, "curl saw a broken stream (exit \(stream.terminationStatus))")
        let down = try Curl.post(serve.url, #"{"jsonrpc":"2.0","id":3,"method":"tools/list"}"#)
        #expect(down.status == 502)
        #expect(try YAMLReader.read(down.body, file: "b").first?["error"]?["message"]?.string?.contains("unavailable") == true)
        // The same backend back on the same port: traffic flows again, no restart.
        let again = try Peer.start("echo_server.py", [], port: server.port)
        defer { again.stop() }
        #expect(try CLI.run(["probe", serve.url]).status == 0)
        #expect(try serve.admin("/metrics").stdout.contains("agentgw_upstream_errors_total"))
    }

    @Test func sigtermDrainsStreamsAndExits() throws {
        let server = try Peer.start("echo_server.py", [])
        defer { server.stop() }
        let serve = try Serve(Self.manifests(port: server.port), extra: ["--drain-timeout", "5s"])
        let sid = try Self.session(serve.url)
        let (stream, _) = try Self.openStream(serve.url, headers: ["Mcp-Session-Id: \(sid)", "MCP-Protocol-Version: 2025-11-25"])
        usleep(300_000)
        kill(serve.process.process.processIdentifier, SIGTERM)
        #expect(Self.waitExit(serve.process.process, seconds: 8), "serve did not exit after SIGTERM")
        #expect(serve.process.process.terminationStatus == 0)
        #expect(Self.waitExit(stream, seconds: 3))
        #expect(stream.terminationStatus == 0, "the stream was cut, not ended (curl exit \(stream.terminationStatus))")
        #expect(serve.log.contains("draining"))
        #expect(!Peer.canConnect(serve.port))
    }

    @Test func serviceBackendsRedirectsAndHeaderFiltersAndUnmatchedPaths() throws {
        let web = try Peer.start(nil, ["-m", "http.server", "--bind", "127.0.0.1"], executable: "/usr/bin/python3", portFlag: false,
                                 portArgsFirst: false, port: nil, environment: [:], positionalPort: true)
        defer { web.stop() }
        let yaml = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec: {gatewayClassName: ack-agent-gateway, listeners: [{name: http, port: 80, protocol: HTTP}]}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /old}}]
            filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}, statusCode: 301}}]
          - matches: [{path: {type: PathPrefix, value: /files}}]
            filters:
            - {type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}
            - {type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: X-Served-By, value: agentgw}]}}
            backendRefs: [{name: web, port: 8080}]

        """
        let serve = try Serve(yaml, extra: ["--resolve", "web.default.svc.cluster.local:8080=127.0.0.1:\(web.port)"])
        let file = try Curl.run(["-s", "-i", "--max-time", "10", "http://127.0.0.1:\(serve.port)/files/"])
        #expect(file.stdout.hasPrefix("HTTP/1.1 200"), "\(file.stdout.prefix(300))\n\(serve.log)")
        #expect(file.stdout.lowercased().contains("x-served-by: agentgw"))
        #expect(file.stdout.contains("Directory listing"))
        let moved = try Curl.run(["-s", "-i", "--max-time", "10", "http://127.0.0.1:\(serve.port)/old/page?q=1"])
        #expect(moved.stdout.hasPrefix("HTTP/1.1 301"))
        #expect(moved.stdout.lowercased().contains("location: http://127.0.0.1/new/page?q=1"), "\(moved.stdout)")
        let none = try Curl.run(["-s", "-i", "--max-time", "10", "http://127.0.0.1:\(serve.port)/elsewhere"])
        #expect(none.stdout.hasPrefix("HTTP/1.1 404"))
        #expect(none.stdout.contains("no route matches"))
    }

    @Test func safeDefaultsRefuseOversizedSmuggledAndForeignRequests() throws {
        let script = CLI.repoRoot.appendingPathComponent("Tests/AgentGWCLITests/Fixtures/spec_server.py").path
        let upstream = try Peer.start(script, [])
        defer { upstream.stop() }
        let serve = try Serve(Self.manifests(port: upstream.port), extra: ["--max-body-bytes", "1000"])
        let big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + String(repeating: "x", count: 2000) + "\"}}"
        #expect(try Curl.post(serve.url, big).status == 413)
        let many = (0..<120).map { "X-Pad-\($0): 1" }
        #expect(try Curl.post(serve.url, #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, headers: many).status == 431)
        // Loopback bind: a foreign Origin is refused (DNS rebinding); a local one is fine.
        let foreign = try Curl.post(serve.url, #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#, headers: ["Origin: http://evil.example.com"])
        #expect(foreign.status == 403)
        // Conflicting Content-Length and Transfer-Encoding never reach the upstream.
        let smuggled = try CLI.run(["-c", "printf 'POST /mcp HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 4\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n' | timeout 5 python3 -c 'import socket,sys; s=socket.create_connection((\"127.0.0.1\",\(serve.port))); s.sendall(sys.stdin.buffer.read()); print(s.recv(200).decode(errors=\"replace\").splitlines()[0])'"],
                                 executable: URL(fileURLWithPath: "/bin/sh"))
        #expect(smuggled.stdout.hasPrefix("HTTP/1.1 400"), "\(smuggled.stdout)\(smuggled.stderr)")
        #expect(serve.log.contains("413") && serve.log.contains("431"))
    }

    @Test func backendToolFiltersAndUpstreamHeadersFromSecrets() throws {
        let script = CLI.repoRoot.appendingPathComponent("Tests/AgentGWCLITests/Fixtures/spec_server.py").path
        let upstream = try Peer.start(script, [])
        defer { upstream.stop() }
        let yaml = Self.manifests(port: upstream.port).replacingOccurrences(of: """
                protocol: StreamableHTTP
        """, with: """
                protocol: StreamableHTTP
              tools:
                exclude: [echo]
              headers:
              - name: X-Upstream-Token
                valueFrom:
                  secretKeyRef: {name: upstream-creds, key: token}
              - name: X-Team
                value: platform
        """) + """
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: upstream-creds
        stringData:
          token: s3cr3t-upstream-token

        """
        let serve = try Serve(yaml)
        let listed = try CLI.run(["probe", serve.url, "--era", "legacy", "-o", "json"])
        #expect(listed.status == 0, "\(listed.stderr)\n\(serve.log)")
        let tools = try YAMLReader.read(listed.stdout, file: "p").first?["tools"]?.array?.compactMap { $0["name"]?.string }
        #expect(tools == ["headers"])
        #expect(try CLI.run(["probe", serve.url, "--era", "legacy", "--call", "echo"]).status == 5)
        let call = try CLI.run(["probe", serve.url, "--era", "legacy", "--call", "headers", "-o", "json"])
        let seen = try #require(try YAMLReader.read(call.stdout, file: "c").first?["callResult"]?["content"]?[0]?["text"]?.string)
        #expect(seen.contains("\"x-upstream-token\": \"s3cr3t-upstream-token\""), "\(seen)")
        #expect(seen.contains("\"x-team\": \"platform\""))
        for text in [serve.log, try serve.admin("/config").stdout, try serve.admin("/metrics").stdout] {
            #expect(!text.contains("s3cr3t-upstream-token"))
        }
    }

    @Test func anAdminAddressBeyondLoopbackNeedsAdminExpose() throws {
        let dir = try CLI.tempDir()
        try Self.manifests(port: 1).write(to: dir.appendingPathComponent("gw.yaml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["serve", "-f", dir.path, "--port-map", "80=0", "--admin-address", "0.0.0.0:0"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("--admin-address 0.0.0.0:0 is beyond loopback") && r.stderr.contains("--admin-expose"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count <= 2, "one line, not a usage dump: \(r.stderr)")
    }

    @Test func invalidManifestsAreRefusedWithValidatesMessages() throws {
        let dir = try CLI.tempDir()
        try Self.manifests(port: 1).replacingOccurrences(of: "port: 1\n", with: "port: 0\n")
            .write(to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["serve", "-f", dir.path, "--port-map", "80=0", "--admin-address", "127.0.0.1:0"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad.yaml:12:9: error: spec.mcp.targets[0].static.port"), "\(r.stderr)")
        #expect(r.stderr.contains("error: the manifests are invalid; nothing is served"))
        let validate = try CLI.run(["validate", "-f", dir.path])
        let firstFinding = try #require(validate.stdout.split(separator: "\n").first)
        #expect(r.stderr.contains(firstFinding))
    }
}
