import AgentGWMCP
import AgentGWModel
import Foundation
import Testing
@testable import AgentGWGateway

/// The console's JSON and its guards, over a real admin listener (curl as the client): no
/// secrets in the overview, traffic from the /metrics counters, loopback Host names only,
/// CSRF token and same origin on every state-changing call, the playground off by default.
@Suite(.timeLimit(.minutes(1))) struct ConsoleServiceTests {
    static func tutorial() throws -> RuntimeConfig {
        let files = ["mcp-server.yaml", "mcp-gateway.yaml", "mcp-api-key.yaml"].map { GatewayTestPaths.url("seed/manifests/\($0)").path }
        return try ConfigCompiler.compile(try ManifestLoader.load(files, recursive: false), options: CompileOptions(), generation: 4).get()
    }

    static func sources(playground: Bool = false, metrics: GatewayMetrics = GatewayMetrics()) throws -> AdminServer.Sources {
        let store = ConfigStore(try tutorial())
        let status: JSONValue = .object(JSONObject([("ready", .bool(true)), ("reloads", .array([
            .object(JSONObject([("time", .string("t1")), ("generation", .int(4)), ("ok", .bool(true)), ("error", .null)])),
            .object(JSONObject([("time", .string("t2")), ("generation", .int(5)), ("ok", .bool(false)), ("error", .string("gateway.yaml:3:1: broken"))])),
        ]))]))
        return AdminServer.Sources(metrics: metrics, store: store, ready: { true }, status: { status },
                                   console: AdminServer.ConsoleOptions(playground: playground, exposed: false))
    }

    /// curl against the admin listener: (status, headers, body).
    static func curl(_ port: Int, _ path: String, _ args: [String] = []) throws -> (status: Int, headers: String, body: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        let headerFile = FileManager.default.temporaryDirectory.appendingPathComponent("agw-console-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: headerFile) }
        p.arguments = ["-s", "--path-as-is", "--max-time", "10", "-D", headerFile.path, "-w", "\n%{http_code}"] + args + ["http://127.0.0.1:\(port)\(path)"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        var text = String(decoding: data, as: UTF8.self)
        let statusLine = text.split(separator: "\n").last.map(String.init) ?? "0"
        text = String(text.dropLast(statusLine.count + 1))
        return (Int(statusLine) ?? 0, (try? String(contentsOf: headerFile, encoding: .utf8)) ?? "", text)
    }

    @Test func theOverviewShowsTheTutorialWithoutItsSecrets() throws {
        let sources = try Self.sources()
        let data = ConsoleData(config: sources.store.current, boundPorts: [80: 8080], bindAddress: "0.0.0.0", health: TargetHealth(),
                               status: sources.status(), playground: false)
        let overview = data.overview()
        let text = overview.serialized()
        #expect(overview["gateways"]?[0]?["name"]?.string == "test-mcp-gateway")
        #expect(overview["gateways"]?[0]?["listeners"]?[0]?["boundPort"]?.int == 8080)
        #expect(overview["gateways"]?[0]?["listeners"]?[0]?["attachedRoutes"]?.int == 1)
        #expect(overview["routes"]?[0]?["name"]?.string == "route-for-mcp-backend")
        #expect(overview["routes"]?[0]?["endpoints"]?[0]?["path"]?.string == "/mcp", "the catch-all route offers the target's path")
        #expect(overview["routes"]?[0]?["rules"]?[0]?["policy"]?["auth"]?["keyCount"]?.int == 2)
        #expect(overview["backends"]?[0]?["name"]?.string == "test-mcp")
        #expect(overview["backends"]?[0]?["targets"]?[0]?["health"]?.string == "unknown")
        #expect(overview["lastError"]?.string == "gateway.yaml:3:1: broken")
        #expect(overview["playground"]?.bool == false)
        for secret in ["key-value-foo", "key-value-bar"] { #expect(!text.contains(secret), "the API key \(secret) leaked into the overview") }
    }

    @Test func targetHealthFollowsTheLastExchange() {
        let health = TargetHealth()
        health.success("a:1", protocolVersion: "2025-11-25")
        health.failure("a:1", "connection refused")
        #expect(health.record("a:1")?.healthy == false)
        #expect(health.record("a:1")?.protocolVersion == "2025-11-25", "the era stays known after a failure")
        health.success("a:1", protocolVersion: nil)
        #expect(health.record("a:1")?.healthy == true)
        #expect(health.record("a:1")?.lastError == "connection refused", "the last error stays visible")
        #expect(health.record("a:1").map { $0.successes + $0.failures } == 3)
    }

    @Test func trafficComesFromTheMetricsCounters() {
        let metrics = GatewayMetrics()
        let route = [("listener", "80"), ("route", "default/r"), ("backend", "default/b")]
        metrics.increment("agentgw_requests_total", route + [("method", "tools/call"), ("tool", "add"), ("status", "200")], by: 8)
        metrics.increment("agentgw_requests_total", route + [("method", "tools/call"), ("tool", "add"), ("status", "502")], by: 2)
        metrics.increment("agentgw_requests_total", route + [("method", "tools/list"), ("tool", "-"), ("status", "200")], by: 5)
        metrics.increment("agentgw_auth_failures_total", [("route", "default/r")], by: 3)
        metrics.increment("agentgw_rate_limited_total", [("route", "default/r")])
        for _ in 0..<99 { metrics.observe("agentgw_tool_call_duration_seconds", [("route", "default/r"), ("tool", "add")], 0.002) }
        metrics.observe("agentgw_tool_call_duration_seconds", [("route", "default/r"), ("tool", "add")], 4)
        let traffic = ConsoleData.traffic(metrics, openStreams: 2)
        #expect(traffic["totals"]?["requests"]?.int == 15)
        #expect(traffic["openStreams"]?.int == 2)
        let r = traffic["routes"]?[0]
        #expect(r?["route"]?.string == "default/r")
        #expect(r?["errors"]?.int == 2)
        #expect(r?["authFailures"]?.int == 3 && r?["rateLimited"]?.int == 1)
        let tool = traffic["tools"]?[0]
        #expect(tool?["tool"]?.string == "add" && tool?["requests"]?.int == 10)
        let p50 = tool?["latency"]?["p50"]?.double ?? -1
        #expect(p50 > 0.001 && p50 <= 0.0025, "p50 falls in the 1–2.5 ms bucket: \(p50)")
        #expect((tool?["latency"]?["p99"]?.double ?? 0) <= 0.0025, "99 of 100 observations are fast")
    }

    @Test func labelsParseBackExactly() {
        let pairs = [("route", "ns/r\"q"), ("tool", "a\\b"), ("x", "line\nbreak"), ("empty", "")]
        let parsed = GatewayMetrics.parseLabels(GatewayMetrics.labels(pairs))
        #expect(parsed == Dictionary(uniqueKeysWithValues: pairs))
    }

    @Test func theConsoleAnswersLoopbackNamesWithAStrictPolicy() async throws {
        let admin = try await AdminServer.start(host: "127.0.0.1", port: 0, sources: try Self.sources())
        defer { Task { await admin.stop() } }
        let page = try Self.curl(admin.port, "/ui/")
        #expect(page.status == 200)
        #expect(page.headers.lowercased().contains("content-security-policy: default-src 'none'; script-src 'self'"))
        #expect(page.headers.lowercased().contains("x-frame-options: deny"))
        #expect(page.body.contains("agentgw-csrf") && !page.body.contains("{{CSRF_TOKEN}}"), "the page carries its CSRF token")
        #expect(try Self.curl(admin.port, "/api/overview").status == 200)
        let rebound = try Self.curl(admin.port, "/api/overview", ["-H", "Host: attacker.example:15000"])
        #expect(rebound.status == 421, "a DNS-rebinding page can't read the console: \(rebound)")
        #expect(try Self.curl(admin.port, "/ui/../config").status == 404)
        #expect(try Self.curl(admin.port, "/ui/%2e%2e%2fconfig").status == 404)
        #expect(try Self.curl(admin.port, "/healthz", ["-H", "Host: 10.0.0.7:15000"]).status == 200, "probes are not Host-checked")
    }

    @Test func thePlaygroundIsOffByDefaultAndGuardedWhenOn() async throws {
        let off = try await AdminServer.start(host: "127.0.0.1", port: 0, sources: try Self.sources())
        let offPost = try Self.curl(off.port, "/api/playground/forward", ["-X", "POST", "--data", "{}"])
        await off.stop()
        #expect(offPost.status == 403 && offPost.body.contains("--console-playground"), "\(offPost)")

        let on = try await AdminServer.start(host: "127.0.0.1", port: 0, sources: try Self.sources(playground: true))
        defer { Task { await on.stop() } }
        let page = try Self.curl(on.port, "/ui/").body
        let token = try #require(page.range(of: #"content="[0-9a-f]{64}""#, options: .regularExpression).map { String(page[$0].dropFirst(9).dropLast()) })
        let noToken = try Self.curl(on.port, "/api/playground/forward", ["-X", "POST", "-H", "X-AgentGW-Listener: 80", "--data", "{}"])
        #expect(noToken.status == 403 && noToken.body.contains("x-agentgw-csrf"))
        let wrongToken = try Self.curl(on.port, "/api/playground/forward", ["-X", "POST", "-H", "X-AgentGW-CSRF: \(String(repeating: "0", count: 64))", "--data", "{}"])
        #expect(wrongToken.status == 403)
        let foreign = try Self.curl(on.port, "/api/playground/forward", ["-X", "POST", "-H", "X-AgentGW-CSRF: \(token)", "-H", "Origin: http://evil.example", "--data", "{}"])
        #expect(foreign.status == 403 && foreign.body.contains("cross-origin"))
        let unknown = try Self.curl(on.port, "/api/playground/forward", ["-X", "POST", "-H", "X-AgentGW-CSRF: \(token)", "-H", "X-AgentGW-Listener: 81", "--data", "{}"])
        #expect(unknown.status == 400 && unknown.body.contains("port 81"), "\(unknown)")
        let get = try Self.curl(on.port, "/api/playground/forward", ["-H", "X-AgentGW-CSRF: \(token)"])
        #expect(get.status == 404 || get.status == 405)
    }
}
