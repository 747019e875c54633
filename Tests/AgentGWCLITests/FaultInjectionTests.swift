import Foundation
import Testing
import AgentGWModel
#if canImport(Glibc)
import Glibc
#endif

/// Upstream faults, a broken config and SIGTERM mid-stream, on loopback and bounded in time: the
/// gateway never crashes, gives the client the right error, keeps its last good config, and
/// leaks no file descriptors.
@Suite(.timeLimit(.minutes(3))) struct FaultInjectionTests {
    typealias Serve = ServeCommandTests.Serve
    typealias Curl = ServeCommandTests.Curl

    static func faulty() throws -> Peer {
        let script = CLI.repoRoot.appendingPathComponent("Tests/AgentGWCLITests/Fixtures/faulty_server.py").path
        return try Peer.start(script, [])
    }

    static func openFDs(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }

    static func call(_ url: String, _ method: String, id: Int = 7) throws -> (status: Int, headers: String, body: String) {
        try Curl.post(url, #"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)"}"#, headers: ["MCP-Protocol-Version: 2025-11-25"])
    }

    @Test func upstreamFaultsGetTheRightErrorAndLeakNothing() throws {
        let upstream = try Self.faulty()
        defer { upstream.stop() }
        let serve = try Serve(ServeCommandTests.manifests(port: upstream.port), extra: ["--request-timeout", "1s"])
        let pid = serve.process.process.processIdentifier
        #expect(try Self.call(serve.url, "ping").status == 200)
        let before = Self.openFDs(pid)

        let reset = try Self.call(serve.url, "fault/reset")
        #expect(reset.status == 502, "\(reset)")
        let hang = try Self.call(serve.url, "fault/hang")
        #expect(hang.status == 504, "\(hang)")
        #expect(hang.body.contains("did not answer within 1000 ms"), "\(hang.body)")
        let garbage = try Self.call(serve.url, "fault/garbage")
        #expect(garbage.status == 502, "\(garbage)")
        let failed = try Self.call(serve.url, "fault/500")
        #expect(failed.status == 500 && failed.body == "upstream exploded", "the upstream's own answer passes through: \(failed)")
        // An SSE response cut mid-event: the events before the cut arrive, then a JSON-RPC error
        // for the request, and the stream ends.
        let cut = try Self.call(serve.url, "fault/cut-sse")
        #expect(cut.status == 200)
        #expect(cut.body.contains("notifications/progress"), "\(cut.body)")
        #expect(cut.body.contains("upstream connection lost") && cut.body.contains("\"id\":7"), "\(cut.body)")

        // Still serving, and every connection the faults opened is gone.
        #expect(try Self.call(serve.url, "ping").status == 200)
        var after = Self.openFDs(pid)
        for _ in 0..<40 where after > before {
            usleep(50_000)
            after = Self.openFDs(pid)
        }
        #expect(after <= before, "file descriptors before \(before), after \(after)")
        #expect(serve.process.process.isRunning)
    }

    @Test func aRefusedUpstreamIs502AndABrokenReloadKeepsTheLastGoodConfig() throws {
        let closed = try Peer.freePort()
        let serve = try Serve(ServeCommandTests.manifests(port: closed))
        let refused = try Self.call(serve.url, "ping")
        #expect(refused.status == 502)
        #expect(refused.body.contains("connection refused"), "\(refused.body)")
        // Point it at a live upstream, then break the file: the good config stays.
        let upstream = try Self.faulty()
        defer { upstream.stop() }
        try serve.rewrite(ServeCommandTests.manifests(port: upstream.port))
        try serve.waitForGeneration(2)
        #expect(try Self.call(serve.url, "ping").status == 200)
        try serve.rewrite("apiVersion: v1\nkind: [this is not: yaml\n")
        var logged = false
        for _ in 0..<60 where !logged {
            usleep(50_000)
            logged = serve.log.contains("gateway.yaml:")
        }
        #expect(logged, "\(serve.log)")
        #expect(try Self.call(serve.url, "ping").status == 200)
        let config = try YAMLReader.read(serve.admin("/config").stdout, file: "config").first
        #expect(config?["status"]?["generation"]?.int == 2)
    }

    @Test func sigtermMidStreamDrainsAndExitsZero() throws {
        let upstream = try Self.faulty()
        defer { upstream.stop() }
        let serve = try Serve(ServeCommandTests.manifests(port: upstream.port), extra: ["--drain-timeout", "2s"])
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("agw-stream-\(UUID().uuidString)")
        #expect(FileManager.default.createFile(atPath: out.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: out) }
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-s", "-N", "--max-time", "20", "-X", "POST", serve.url, "-H", "Content-Type: application/json",
                          "-H", "Accept: application/json, text/event-stream", "-H", "MCP-Protocol-Version: 2025-11-25",
                          "--data-binary", #"{"jsonrpc":"2.0","id":9,"method":"fault/stream"}"#, "-o", out.path]
        try curl.run()
        defer { if curl.isRunning { kill(curl.processIdentifier, SIGKILL) } }
        var streaming = false
        for _ in 0..<100 where !streaming {
            usleep(50_000)
            streaming = ((try? String(contentsOf: out, encoding: .utf8)) ?? "").components(separatedBy: "progress").count > 3
        }
        #expect(streaming)
        let gateway = serve.process.process
        kill(gateway.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(8)
        while (gateway.isRunning || curl.isRunning) && Date() < deadline { usleep(50_000) }
        #expect(!gateway.isRunning, "serve exits after draining")
        #expect(gateway.terminationReason == .exit && gateway.terminationStatus == 0)
        #expect(!curl.isRunning, "the stream was ended, not left hanging")
    }
}
