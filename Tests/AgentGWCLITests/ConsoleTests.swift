import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The web console in real browsers: headless Chromium driven by Selenium
/// (Fixtures/console/console_browser.py), and headless Firefox ESR over WebDriver BiDi
/// (Fixtures/console/console_firefox.py), against `serve` with a real MCP server behind the
/// tutorial's Gateway, HTTPRoute, Backend and API-key TrafficPolicy. The script reports what the
/// page showed and did; the checks are here.
///
/// Needs Debian's chromium, chromium-driver and firefox-esr, and Selenium in $PEERS_HOME/tools
/// (`./install.sh --test` installs them); without them the tests fail rather than skip.
/// With CONSOLE_SCREENSHOTS=docs/console the playground run also saves the docs' screenshots.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ConsoleTests {
    typealias Serve = ServeCommandTests.Serve
    typealias Curl = ServeCommandTests.Curl

    static let key = "key-value-foo"
    static let gateway = "default/test-mcp-gateway"
    static let route = "default/route-for-mcp-backend"
    static let backend = "default/test-mcp"

    static func fixture(_ name: String) -> String {
        CLI.repoRoot.appendingPathComponent("Tests/AgentGWCLITests/Fixtures/console/\(name)").path
    }

    // MARK: the browser

    struct Browser {
        var chromium: String
        var chromedriver: String
        var python: String

        /// The browser, its driver and Selenium, or an error saying how to install them.
        static func require() throws -> Browser {
            let env = ProcessInfo.processInfo.environment
            func pick(_ name: String, _ fallback: String) -> String { env[name].flatMap { $0.isEmpty ? nil : $0 } ?? fallback }
            let b = Browser(chromium: pick("CHROMIUM", "/usr/bin/chromium"), chromedriver: pick("CHROMEDRIVER", "/usr/bin/chromedriver"),
                            python: pick("SELENIUM_PYTHON", "\(Peer.home)/tools/bin/python"))
            for (what, path) in [("chromium", b.chromium), ("chromedriver", b.chromedriver), ("the tools venv's python", b.python)] {
                guard FileManager.default.isExecutableFile(atPath: path) else {
                    throw PeerError("\(what) not found at \(path): run ./install.sh --test (Debian chromium chromium-driver, pip selenium)")
                }
            }
            let probe = try Bounded.run(b.python, ["-c", "import selenium; print(selenium.__version__)"], timeout: 30)
            guard probe.status == 0 else {
                throw PeerError("selenium is not installed in \(b.python): run ./install.sh --test (\(probe.stderr.prefix(300)))")
            }
            return b
        }

        /// Runs the Selenium script against the console and returns its report.
        func drive(_ url: String, mode: String, key: String? = nil) throws -> (report: [String: Any], stdout: String) {
            var env = ["CHROMIUM": chromium, "CHROMEDRIVER": chromedriver]
            if mode == "playground", let dir = ProcessInfo.processInfo.environment["CONSOLE_SCREENSHOTS"], !dir.isEmpty {
                env["CONSOLE_SCREENSHOTS"] = dir.hasPrefix("/") ? dir : CLI.repoRoot.appendingPathComponent(dir).path
            }
            let r = try Bounded.run(python, [fixture("console_browser.py"), "--url", url, "--mode", mode] + (key.map { ["--key", $0] } ?? []),
                                    environment: env, timeout: 180)
            guard r.status == 0, let data = r.stdout.data(using: .utf8),
                  let report = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw PeerError("console_browser.py failed (exit \(r.status)): \(r.stderr.suffix(2000))")
            }
            return (report, r.stdout)
        }
    }

    /// A child process with its output in files and a deadline: /usr/bin/timeout runs it in its
    /// own process group and signals the whole group (the browser and its driver too) when late.
    enum Bounded {
        static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                        timeout seconds: Int) throws -> CLIResult {
            let dir = try CLI.tempDir()
            defer { try? FileManager.default.removeItem(at: dir) }
            let out = dir.appendingPathComponent("stdout"), err = dir.appendingPathComponent("stderr")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            FileManager.default.createFile(atPath: err.path, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
            process.arguments = ["--kill-after=10", String(seconds), executable] + arguments
            var env = ProcessInfo.processInfo.environment
            for (k, v) in environment { env[k] = v }
            process.environment = env
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            process.standardInput = FileHandle.nullDevice
            try process.run()
            // timeout(1) ends it; this is only a guard should timeout itself hang.
            let deadline = Date().addingTimeInterval(Double(seconds) + 20)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            return CLIResult(status: process.terminationStatus,
                             stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                             stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
        }
    }

    // MARK: helpers

    /// serve with the console's MCP server behind the tutorial's manifests and API keys.
    static func serve(upstream: Peer, playground: Bool) throws -> Serve {
        let serve = try Serve(ServeCommandTests.manifests(port: upstream.port, policy: ServeCommandTests.apiKeyPolicy),
                              extra: playground ? ["--console-playground"] : [])
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if let r = try? serve.admin("/api/overview"), r.status == 0, r.stdout.contains(route.split(separator: "/")[1]) { return serve }
            usleep(100_000)
        }
        throw PeerError("the admin listener did not serve /api/overview: \(serve.log)")
    }

    static func strings(_ value: Any?) -> [String] { (value as? [Any])?.compactMap { $0 as? String } ?? [] }
    static func dict(_ value: Any?) -> [String: Any] { value as? [String: Any] ?? [:] }

    /// Browser console errors that are not the ones the test provokes on purpose (the 401 of
    /// the wrong key is logged by Chromium as a failed resource load).
    static func unexpectedConsoleErrors(_ report: [String: Any]) -> [String] {
        ((report["consoleErrors"] as? [[String: Any]]) ?? []).compactMap { $0["message"] as? String }
            .filter { !($0.contains("/api/playground/forward") && $0.contains("status of 401")) }
    }

    /// What every run must show: nothing blocked by the CSP, no script errors, no request
    /// beyond the admin listener, and a page well under 200 KB.
    static func expectCleanPage(_ report: [String: Any], adminPort: Int) {
        #expect((report["cspViolations"] as? [Any])?.isEmpty == true, "CSP violations: \(report["cspViolations"] ?? "?")")
        #expect((report["pageErrors"] as? [Any])?.isEmpty == true, "page errors: \(report["pageErrors"] ?? "?")")
        #expect((report["alerts"] as? [Any])?.isEmpty == true, "alert() was called: \(report["alerts"] ?? "?")")
        #expect(unexpectedConsoleErrors(report).isEmpty, "browser console errors: \(unexpectedConsoleErrors(report))")
        let requests = (report["requests"] as? [[String: Any]]) ?? []
        let origin = "http://127.0.0.1:\(adminPort)/"
        #expect(requests.count >= 9, "the page, its stylesheet and its modules were loaded: \(requests.count) requests")
        #expect(requests.allSatisfy { ($0["name"] as? String).map { $0.hasPrefix(origin) || $0.hasPrefix("data:") } == true }, "requests beyond \(origin): \(strings(report["foreignRequests"]))")
        #expect(strings(report["foreignRequests"]).isEmpty)
        let assets = strings(report["assets"])
        for name in ["/ui/", "/ui/app.js", "/ui/console.css"] {
            #expect(assets.contains(origin.dropLast() + name), "\(name) was not loaded: \(assets)")
        }
        let weight = report["pageWeightPerformance"] as? Int ?? -1
        let fetched = report["pageWeightFetched"] as? Int ?? -1
        #expect(weight > 10_000 && weight < 200_000, "page weight (Performance API) \(weight) bytes")
        #expect(fetched > 10_000 && fetched < 200_000, "page weight (fetched) \(fetched) bytes")
        let storage = dict(report["storage"])
        #expect(storage["local"] as? Int == 0 && storage["session"] as? Int == 0 && storage["cookie"] as? String == "",
                "the page stores nothing: \(storage)")
        #expect((storage["url"] as? String)?.contains(key) == false, "\(storage)")
    }

    // MARK: tests

    @Test func inChromiumTheConsoleShowsTheGatewayAndCallsToolsThroughTheRoute() throws {
        let browser = try Browser.require()
        let upstream = try Peer.start(Self.fixture("console_server.py"), ["--step-delay", "0.3"])
        defer { upstream.stop() }
        let serve = try Self.serve(upstream: upstream, playground: true)
        let (report, stdout) = try browser.drive("http://127.0.0.1:\(serve.adminPort)/ui/", mode: "playground", key: Self.key)
        #expect(Self.strings(report["errors"]).isEmpty, "steps that failed: \(Self.strings(report["errors"]))")

        // Overview: the tutorial's gateway, route and backend, with the key policy's summary.
        let overview = Self.dict(report["overview"])
        #expect(Self.strings(overview["gateways"]) == [Self.gateway])
        #expect(Self.strings(overview["routes"]) == [Self.route])
        #expect(Self.strings(overview["backends"]) == [Self.backend])
        #expect(Self.strings(overview["authBadges"]) == ["auth on"])
        #expect((overview["text"] as? String)?.contains("2 keys") == true)
        // Traffic: counters and sparklines drawn as inline SVG; after the calls below, per
        // route and per tool.
        let traffic = Self.dict(report["traffic"])
        #expect((traffic["sparklines"] as? Int ?? 0) >= 6, "\(traffic)")
        let after = Self.dict(report["trafficAfter"])
        #expect((after["routesText"] as? String)?.contains(Self.route) == true, "\(after)")
        #expect(["add", "count", "configure"].allSatisfy { (after["toolsText"] as? String)?.contains($0) == true }, "\(after)")
        #expect(after["authFailures"] as? String == "1", "the wrong key's 401 is counted: \(after)")

        let pg = Self.dict(report["playground"])
        #expect(pg["keyFieldType"] as? String == "password")
        #expect(pg["path"] as? String == "/mcp")
        // A wrong key gets the data plane's own 401, shown with its body.
        let wrong = Self.dict(pg["wrongKey"])
        #expect(wrong["httpStatus"] as? String == "HTTP 401", "\(wrong)")
        #expect((wrong["httpBody"] as? String)?.contains("api key authentication failure") == true, "\(wrong)")

        // Legacy era: initialize + session, tools listed, add(2, 3) = 5.
        let legacy = Self.dict(pg["legacy"])
        #expect((Self.dict(legacy["connect"])["status"] as? String)?.contains("2025-11-25 · session") == true, "\(legacy["connect"] ?? "")")
        #expect(Set(Self.strings(legacy["tools"])) == ["add", "untrusted", "count", "configure", "picture", "fail"])
        let add = Self.dict(legacy["add"])
        #expect(Self.strings(add["content"]) == ["5"], "\(add)")
        #expect((add["elapsed"] as? String)?.contains(" ms · HTTP 200") == true, "\(add)")

        // Untrusted markup in a tool description is text: no element, no script, no alert.
        let untrusted = Self.dict(pg["untrusted"])
        #expect((untrusted["description"] as? String)?.contains("<script>alert(1)</script><b>bold</b>") == true, "\(untrusted)")
        #expect((untrusted["callBoxDescription"] as? String)?.contains("<script>alert(1)</script>") == true)
        #expect(untrusted["bold"] as? Int == 0 && untrusted["scripts"] as? Int == 0 && untrusted["images"] as? Int == 0, "\(untrusted)")

        // Progress notifications appear while the call is still streaming.
        let count = Self.dict(legacy["count"])
        #expect((count["progressWhileCalling"] as? Int ?? 0) >= 1, "\(count)")
        #expect(Self.strings(count["progress"]) == (1...4).map { "\($0) / 4 · step \($0) of 4" }, "\(count)")
        #expect(Self.strings(count["logs"]).count == 4, "\(count)")
        #expect((count["result"] as? String)?.contains("counted to 4") == true)

        // The generated form: enum select, array fieldset, nested object, boolean, raw JSON.
        let configure = Self.dict(legacy["configure"])
        #expect(Self.dict(configure["fields"]) as NSDictionary == ["mode": "select", "tags": "fieldset", "limits": "fieldset", "verbose": "checkbox", "extra": "textarea"] as NSDictionary, "\(configure)")
        let expected: [String: Any] = ["mode": "careful", "tags": ["red", "blue"], "limits": ["retries": 3, "timeout_seconds": 2.5, "strict": true],
                                       "verbose": true, "note": NSNull(), "extra": ["x": 1]]
        #expect(Self.dict(configure["echo"]) as NSDictionary == expected as NSDictionary, "\(configure)")
        #expect(Self.dict(configure["raw"])["mode"] as? String == "careful", "the raw JSON view shows the form's arguments: \(configure)")
        // Images as data: URLs, and tool errors as such.
        let images = (Self.dict(legacy["picture"])["images"] as? [[String: Any]]) ?? []
        #expect(images.count == 1 && images.first?["width"] as? Int == 48 && (images.first?["src"] as? String)?.hasPrefix("data:image/png;base64,") == true, "\(images)")
        #expect(Self.dict(legacy["fail"])["toolError"] as? Bool == true)

        // Modern era: stateless, no session; the same call works, and progress streams.
        let modern = Self.dict(pg["modern"])
        let modernStatus = Self.dict(modern["connect"])["status"] as? String ?? ""
        #expect(modernStatus.contains("2026-07-28") && !modernStatus.contains("session"), "\(modernStatus)")
        #expect(Self.strings(Self.dict(modern["add"])["content"]) == ["42"], "\(modern)")
        #expect((Self.dict(modern["count"])["progressWhileCalling"] as? Int ?? 0) >= 1, "\(modern)")
        // Leaving the legacy session for the modern era ended it (DELETE) with the key it was opened with.
        #expect((pg["log"] as? String)?.contains("DELETE session · HTTP 200") == true, "\(pg["log"] ?? "")")

        Self.expectCleanPage(report, adminPort: serve.adminPort)
        #expect(!stdout.contains(Self.key), "the API key appeared in the page")
        #expect(!serve.log.contains(Self.key))
    }

    /// The same console in Firefox ESR, driven over WebDriver BiDi (console_firefox.py): its
    /// JavaScript modules load and run under the CSP, the overview lists the tutorial, a wrong
    /// key gets the 401, and add(2, 3) = 5 goes through the route.
    @Test func inFirefoxTheConsoleShowsTheGatewayAndCallsToolsThroughTheRoute() throws {
        let browser = try Browser.require()
        let firefox = ProcessInfo.processInfo.environment["FIREFOX"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/bin/firefox-esr"
        guard FileManager.default.isExecutableFile(atPath: firefox) else {
            throw PeerError("firefox-esr not found at \(firefox): run ./install.sh --test (Debian firefox-esr)")
        }
        let upstream = try Peer.start(Self.fixture("console_server.py"), [])
        defer { upstream.stop() }
        let serve = try Self.serve(upstream: upstream, playground: true)
        let r = try Bounded.run(browser.python, [Self.fixture("console_firefox.py"), "--url", "http://127.0.0.1:\(serve.adminPort)/ui/", "--key", Self.key],
                                environment: ["FIREFOX": firefox], timeout: 180)
        let report = try #require(r.stdout.data(using: .utf8).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] },
                                  "console_firefox.py failed (exit \(r.status)): \(r.stderr.suffix(2000))")
        #expect(Self.strings(report["errors"]).isEmpty, "steps that failed: \(Self.strings(report["errors"]))")
        #expect((report["version"] as? String)?.contains("Firefox/") == true, "\(report["version"] ?? "")")

        let overview = Self.dict(report["overview"])
        #expect(Self.strings(overview["gateways"]) == [Self.gateway])
        #expect(Self.strings(overview["routes"]) == [Self.route])
        #expect(Self.strings(overview["backends"]) == [Self.backend])
        #expect(Self.strings(overview["authBadges"]) == ["auth on"])

        let pg = Self.dict(report["playground"])
        let wrong = Self.dict(pg["wrongKey"])
        #expect(wrong["httpStatus"] as? String == "HTTP 401", "\(wrong)")
        #expect((wrong["httpBody"] as? String)?.contains("api key authentication failure") == true, "\(wrong)")
        #expect((Self.dict(pg["connect"])["status"] as? String)?.contains("2025-11-25 · session") == true, "\(pg["connect"] ?? "")")
        #expect(Set(Self.strings(pg["tools"])) == ["add", "untrusted", "count", "configure", "picture", "fail"])
        let untrusted = Self.dict(pg["untrusted"])
        #expect((untrusted["description"] as? String)?.contains("<script>alert(1)</script><b>bold</b>") == true, "\(untrusted)")
        #expect(untrusted["bold"] as? Int == 0 && untrusted["scripts"] as? Int == 0, "\(untrusted)")
        let add = Self.dict(pg["add"])
        #expect(Self.strings(add["content"]) == ["5"], "\(add)")
        #expect((add["elapsed"] as? String)?.contains(" ms · HTTP 200") == true, "\(add)")

        #expect(report["recorderInstalled"] as? Bool == true)
        #expect((report["cspViolations"] as? [Any])?.isEmpty == true, "CSP violations: \(report["cspViolations"] ?? "?")")
        #expect((report["pageErrors"] as? [Any])?.isEmpty == true, "page errors: \(report["pageErrors"] ?? "?")")
        #expect((report["alerts"] as? [Any])?.isEmpty == true, "alert() was called: \(report["alerts"] ?? "?")")
        #expect((report["requests"] as? [Any])?.count ?? 0 >= 9, "the page, its stylesheet and its modules were loaded")
        #expect(Self.strings(report["foreignRequests"]).isEmpty, "\(Self.strings(report["foreignRequests"]))")
        let storage = Self.dict(report["storage"])
        #expect(storage["local"] as? Int == 0 && storage["session"] as? Int == 0 && storage["cookie"] as? String == "", "\(storage)")
        #expect(!r.stdout.contains(Self.key), "the API key appeared in the page")
    }

    @Test func withoutThePlaygroundFlagThePlaygroundIsOff() throws {
        let browser = try Browser.require()
        let upstream = try Peer.start(Self.fixture("console_server.py"), [])
        defer { upstream.stop() }
        let serve = try Self.serve(upstream: upstream, playground: false)
        let (report, _) = try browser.drive("http://127.0.0.1:\(serve.adminPort)/ui/", mode: "readonly")
        #expect(Self.strings(report["errors"]).isEmpty, "steps that failed: \(Self.strings(report["errors"]))")
        #expect(Self.strings(Self.dict(report["overview"])["gateways"]) == [Self.gateway])
        let readonly = Self.dict(report["readonly"])
        #expect(readonly["tabDisabled"] as? Bool == true, "\(readonly)")
        #expect(readonly["hintVisible"] as? Bool == true && (readonly["hint"] as? String)?.contains("--console-playground") == true, "\(readonly)")
        #expect(readonly["playgroundShown"] as? Bool == false, "\(readonly)")
        Self.expectCleanPage(report, adminPort: serve.adminPort)

        // The server refuses the forwarder too, even with the page's own CSRF token.
        let page = try serve.admin("/ui/").stdout
        let token = try #require(page.range(of: #"content="[0-9a-f]{64}""#, options: .regularExpression).map { String(page[$0].dropFirst(9).dropLast()) })
        let forwarded = try Curl.post("http://127.0.0.1:\(serve.adminPort)/api/playground/forward", #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#,
                                      headers: ["X-AgentGW-CSRF: \(token)", "X-AgentGW-Listener: 80", "X-AgentGW-Path: /mcp", "Authorization: Bearer \(Self.key)"])
        #expect(forwarded.status == 403 && forwarded.body.contains("--console-playground"), "\(forwarded)")
    }
}
