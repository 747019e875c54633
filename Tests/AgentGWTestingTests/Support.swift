import AgentGWModel
import AgentGWTesting
import Foundation

/// What a child process printed (captured through files, never pipes).
struct ProcResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum Proc {
    static func tempDir(_ label: String) -> String {
        let dir = NSTemporaryDirectory() + "agentgw-testing-\(label)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Starts a process with stdout/stderr going to files in `dir`.
    static func start(_ executable: String, _ args: [String], env: [String: String] = [:], dir: String, name: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        _ = FileManager.default.createFile(atPath: "\(dir)/\(name).out", contents: nil)
        _ = FileManager.default.createFile(atPath: "\(dir)/\(name).err", contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(dir)/\(name).out"))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(dir)/\(name).err"))
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Waits for exit, killing the process (by its pid) past `timeout` seconds.
    static func wait(_ p: Process, timeout: Double) async {
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
    }

    static func output(_ p: Process, dir: String, name: String) -> ProcResult {
        ProcResult(status: p.terminationStatus,
                   stdout: (try? String(contentsOfFile: "\(dir)/\(name).out", encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOfFile: "\(dir)/\(name).err", encoding: .utf8)) ?? "")
    }

    static func run(_ executable: String, _ args: [String], env: [String: String] = [:], timeout: Double = 30) async throws -> ProcResult {
        let dir = tempDir("proc")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try start(executable, args, env: env, dir: dir, name: "run")
        await wait(p, timeout: timeout)
        return output(p, dir: dir, name: "run")
    }

    /// Polls `condition` until true or `timeout` seconds pass (a bounded wait, not an assertion).
    static func eventually(timeout: Double = 30, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }
}

/// One HTTP exchange, made with the real `curl` (bounded by --max-time).
struct HTTPResult {
    var status: Int
    var body: String
    var json: Node? { (try? YAMLReader.read(Array(body.utf8), file: "response"))?.first }
}

struct Curl {
    var base: String
    /// Extra curl arguments (TLS: --cacert, --cert, --key).
    var args: [String] = []

    func call(_ method: String, _ path: String, body: String? = nil, contentType: String = "application/json",
              headers: [String] = [], maxTime: Int = 30) async throws -> HTTPResult {
        let dir = Proc.tempDir("curl")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var a = ["-sS", "--max-time", String(maxTime), "-o", "\(dir)/body", "-w", "%{http_code}", "-X", method]
        a += args
        for h in headers { a += ["-H", h] }
        if let body {
            try body.write(toFile: "\(dir)/request", atomically: true, encoding: .utf8)
            a += ["-H", "Content-Type: \(contentType)", "--data-binary", "@\(dir)/request"]
        }
        a.append(base + path)
        let r = try await Proc.run("/usr/bin/curl", a, timeout: Double(maxTime + 5))
        return HTTPResult(status: Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0,
                          body: (try? String(contentsOfFile: "\(dir)/body", encoding: .utf8)) ?? "")
    }

    func get(_ path: String) async throws -> HTTPResult { try await call("GET", path) }

    func apply(_ path: String, _ body: String, manager: String? = "test", force: Bool = false, extra: String = "") async throws -> HTTPResult {
        var q: [String] = []
        if let manager { q.append("fieldManager=\(manager)") }
        if force { q.append("force=true") }
        if !extra.isEmpty { q.append(extra) }
        return try await call("PATCH", path + (q.isEmpty ? "" : "?" + q.joined(separator: "&")), body: body,
                              contentType: "application/apply-patch+yaml")
    }
}

extension Node {
    /// Follows a dotted path of keys (`metadata.name`); numbers index arrays.
    func at(_ dotted: String) -> Node? {
        var current: Node? = self
        for part in dotted.split(separator: ".") {
            if let i = Int(part) { current = current?[i] } else { current = current?[String(part)] }
        }
        return current
    }
}

enum Fixtures {
    static let gatewayPath = "/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways"

    static func gateway(_ name: String, port: Int = 80, labels: String = "") -> String {
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: \(name)\(labels.isEmpty ? "" : "\n  labels: {\(labels)}")
        spec:
          gatewayClassName: ack-agent-gateway
          listeners:
          - name: http
            port: \(port)
            protocol: HTTP
        """
    }

    /// The shared tree (`AGENTGW_SHARED`, else `../shared` next to the package root).
    static var sharedRoot: String {
        if let env = ProcessInfo.processInfo.environment["AGENTGW_SHARED"], !env.isEmpty { return env }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared").path
    }
}
