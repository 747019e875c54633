import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Real third-party MCP peers from ../shared/peers, started on free loopback ports and killed
/// by PID when the test ends.
final class Peer: @unchecked Sendable {
    let process: Process
    let port: Int
    let log: URL

    var url: String { "http://127.0.0.1:\(port)/mcp" }

    /// `$PEERS_HOME`, else .build-peers in the repository (what install.sh --test makes).
    static var home: String {
        if let env = ProcessInfo.processInfo.environment["PEERS_HOME"], !env.isEmpty { return env }
        return CLI.repoRoot.appendingPathComponent(".build-peers").path
    }

    static func python(_ venv: String) -> String { "\(home)/\(venv)/bin/python" }

    /// Starts `script args` from ../shared/peers with the venv's python (or `executable`), on
    /// a free port passed as `--port`, and waits until the port accepts connections.
    static func start(_ script: String?, _ args: [String], venv: String = "modern", executable: String? = nil,
                      portFlag: Bool = true, portArgsFirst: Bool = false, port given: Int? = nil,
                      environment: [String: String] = [:], positionalPort: Bool = false) throws -> Peer {
        let port = try given ?? freePort()
        let process = Process()
        if let executable {
            process.executableURL = URL(fileURLWithPath: executable)
            // mcp-proxy takes its options before the command it bridges.
            process.arguments = positionalPort ? args + [String(port)]
                : portArgsFirst ? ["--port", String(port)] + args : args + (portFlag ? ["--port", String(port)] : [])
        } else {
            process.executableURL = URL(fileURLWithPath: python(venv))
            let path = script.map { $0.hasPrefix("/") ? $0 : CLI.shared("peers/\($0)") } ?? ""
            process.arguments = [path] + args + (portFlag ? ["--port", String(port)] : [])
        }
        guard FileManager.default.isExecutableFile(atPath: process.executableURL?.path ?? "") else {
            throw PeerError("peer interpreter \(process.executableURL?.path ?? "?") missing: run ./install.sh --test (or ../shared/peers/setup.sh \(home))")
        }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("peer-\(port).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        var env = ProcessInfo.processInfo.environment
        env["npm_config_offline"] = "true"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        try process.run()
        let peer = Peer(process: process, port: port, log: log)
        try peer.waitForPort(timeout: 30)
        return peer
    }

    init(process: Process, port: Int, log: URL) {
        self.process = process
        self.port = port
        self.log = log
    }

    deinit { stop() }

    /// SIGTERM, then SIGKILL if the peer is still there after 3 s (uvicorn can linger).
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { usleep(10_000) }
    }

    func waitForPort(timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !process.isRunning {
                throw PeerError("peer exited early: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            }
            if Self.canConnect(port) { return }
            usleep(50_000)
        }
        stop()
        throw PeerError("peer did not listen on \(port) within \(timeout)s: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    static func canConnect(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// A port the kernel just handed out on 127.0.0.1 (closed again for the peer to take).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PeerError("socket() failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw PeerError("bind() failed") }
        var out = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &out) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: out.sin_port))
    }
}

struct PeerError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
