import Foundation
import Testing
import AgentGWModel

/// `kubectl-agentgw sample-server` as a process, driven by the official Python SDK clients (1.x and
/// 2.x, every era mode) and by our own `probe`.
@Suite(.timeLimit(.minutes(5))) struct SampleServerCommandTests {
    static let tools = ["echo", "add", "time", "fetch"]

    func startServer(_ flags: [String] = []) throws -> Peer {
        try Peer.start(nil, ["sample-server"] + flags, executable: CLI.binary.path)
    }

    /// probe_client.py with a venv's python; returns its one JSON report.
    func sdkClient(_ venv: String, _ url: String, _ extra: [String]) throws -> (CLIResult, [String: Any]) {
        let r = try CLI.run([CLI.shared("peers/probe_client.py"), url, "--json", "--call", "add", "--args", #"{"a":1,"b":2}"#] + extra,
                            executable: URL(fileURLWithPath: Peer.python(venv)))
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return (r, object ?? [:])
    }

    @Test(arguments: [[], ["--json-response"], ["--stateless"], ["--json-response", "--stateless"]])
    func officialPythonClientsOfBothMajors(_ flags: [String]) throws {
        let server = try startServer(flags)
        defer { server.stop() }
        let runs: [(venv: String, mode: String?, era: String)] = [
            ("modern", "auto", "modern"), ("modern", "2026-07-28", "modern"), ("modern", "legacy", "legacy"), ("legacy", nil, "legacy"),
        ]
        for run in runs {
            let label = "\(flags) \(run.venv) \(run.mode ?? "1.x")"
            let (r, report) = try sdkClient(run.venv, server.url, run.mode.map { ["--mode", $0] } ?? [])
            #expect(r.status == 0, "\(label): \(r.stderr)")
            #expect(report["era"] as? String == run.era, "\(label): \(r.stdout)")
            #expect(report["tools"] as? [String] == Self.tools, "\(label): \(r.stdout)")
            let call = report["call"] as? [String: Any]
            let content = call?["content"] as? [[String: Any]]
            #expect(content?.first?["text"] as? String == "3", "\(label): \(r.stdout)")
            #expect((call?["structuredContent"] as? [String: Any])?["result"] as? Int == 3, "\(label)")
            if run.mode != "2026-07-28" {  // forced modern mode skips server/discover: no serverInfo
                #expect((report["serverInfo"] as? [String: Any])?["name"] as? String == "agentgw-sample", "\(label)")
            }
            if run.era == "legacy", run.venv == "legacy" {
                #expect((report["sessionId"] as? String != nil) == !flags.contains("--stateless"), "\(label)")
            }
        }
    }

    @Test func ourProbeInBothEras() throws {
        let server = try startServer()
        defer { server.stop() }
        for era in ["auto", "legacy", "modern"] {
            let r = try CLI.run(["probe", server.url, "--era", era, "--resources", "--prompts", "-o", "json"])
            #expect(r.status == 0, "\(era): \(r.stderr)")
            let doc = try #require(try YAMLReader.read(r.stdout, file: "probe.json").first)
            #expect((doc["tools"]?.array ?? []).compactMap { $0["name"]?.string } == Self.tools)
            #expect(doc["resources"]?.array?.isEmpty == true && doc["prompts"]?.array?.isEmpty == true)
            #expect(doc["era"]?.string == (era == "legacy" ? "legacy" : "modern"))
        }
        let call = try CLI.run(["probe", server.url, "--call", "echo", "--arg", "text=hi there"])
        #expect(call.status == 0, "\(call.stderr)")
        #expect(call.stdout.contains("hi there"), "\(call.stdout)")
        let unknown = try CLI.run(["probe", server.url, "--call", "nope"])
        #expect(unknown.status == 5, "\(unknown.stdout)\(unknown.stderr)")
    }

    @Test func announcesItselfAndExitsZeroOnSignals() throws {
        for signal in [SIGTERM, SIGINT] {
            let server = try startServer(["--path", "/custom"])
            var log = ""
            for _ in 0..<100 where !log.hasSuffix("\n") {  // the port opens just before the line is written
                log = try String(contentsOf: server.log, encoding: .utf8)
                usleep(20_000)
            }
            #expect(log == "sample MCP server listening on http://127.0.0.1:\(server.port)/custom\n", "\(log)")
            kill(server.process.processIdentifier, signal)
            server.process.waitUntilExit()
            #expect(server.process.terminationReason == .exit && server.process.terminationStatus == 0, "signal \(signal)")
        }
    }

    @Test func badFlagsAndBusyPorts() throws {
        let usage = try CLI.run(["sample-server", "--port", "70000"])
        #expect(usage.status == 2, "\(usage.stderr)")
        #expect(usage.stderr.contains("--port must be 0 to 65535"))
        let path = try CLI.run(["sample-server", "--path", "mcp"])
        #expect(path.status == 2)
        let server = try startServer()
        defer { server.stop() }
        let busy = try CLI.run(["sample-server", "--port", String(server.port)])
        #expect(busy.status == 1, "\(busy.stderr)")
        #expect(busy.stderr.hasPrefix("error: cannot listen on 127.0.0.1:\(server.port)"), "\(busy.stderr)")
    }
}
