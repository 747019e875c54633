import Foundation
import Testing
import AgentGWModel
#if canImport(Glibc)
import Glibc
#endif

/// Upstream faults, a broken config and SIGTERM mid-stream, on loopback and bounded in time: the
/// gateway never crashes, gives the client the right error, keeps its last good config, and
/// leaks no file descriptors, threads or streams.
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

    static func threads(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task").count) ?? -1
    }

    /// Every upstream fault, twice. The first round warms the gateway up (connection pools,
    /// the concurrency pool's threads); the second must leave its file descriptors and threads
    /// where the first left them, and no stream open.
    @Test func upstreamFaultsGetTheRightErrorAndLeakNothing() throws {
        let upstream = try Self.faulty()
        defer { upstream.stop() }
        let serve = try Serve(ServeCommandTests.manifests(port: upstream.port), extra: ["--request-timeout", "1s"])
        let pid = serve.process.process.processIdentifier
        #expect(try Self.call(serve.url, "ping").status == 200)

        func faults() throws {
            let reset = try Self.call(serve.url, "fault/reset")
            #expect(reset.status == 502, "\(reset)")
            let hang = try Self.call(serve.url, "fault/hang")
            #expect(hang.status == 504, "\(hang)")
            #expect(hang.body.contains("did not answer within 1000 ms"), "\(hang.body)")
            let garbage = try Self.call(serve.url, "fault/garbage")
            #expect(garbage.status == 502, "\(garbage)")
            let failed = try Self.call(serve.url, "fault/500")
            #expect(failed.status == 500 && failed.body == "upstream exploded", "the upstream's own answer passes through: \(failed)")
            // An SSE response cut mid-event: the events before the cut arrive, then a JSON-RPC
            // error for the request, and the stream ends.
            let cut = try Self.call(serve.url, "fault/cut-sse")
            #expect(cut.status == 200)
            #expect(cut.body.contains("notifications/progress"), "\(cut.body)")
            #expect(cut.body.contains("upstream connection lost") && cut.body.contains("\"id\":7"), "\(cut.body)")
            // Still serving.
            #expect(try Self.call(serve.url, "ping").status == 200)
        }
        /// Waits for closes in flight to land, then counts.
        func settled(fdsAtMost limit: Int) -> (fds: Int, threads: Int) {
            var fds = Self.openFDs(pid)
            for _ in 0..<40 where fds > limit {
                usleep(50_000)
                fds = Self.openFDs(pid)
            }
            return (fds, Self.threads(pid))
        }

        let start = Self.openFDs(pid)
        try faults()
        let warm = settled(fdsAtMost: start)
        try faults()
        let after = settled(fdsAtMost: warm.fds)
        #expect(warm.fds <= start, "file descriptors: start \(start), after one round \(warm.fds)")
        #expect(after.fds <= warm.fds, "file descriptors: after one round \(warm.fds), after two \(after.fds)")
        #expect(after.threads <= warm.threads, "threads: after one round \(warm.threads), after two \(after.threads)")
        let metrics = try serve.admin("/metrics").stdout
        #expect(metrics.contains("agentgw_open_streams 0"), "\(metrics)")
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
