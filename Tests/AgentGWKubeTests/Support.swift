import AgentGWModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A fresh temporary folder for one test.
func tempDir() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentgw-kube-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

func write(_ text: String, to path: String, executable: Bool = false) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    if executable { chmod(path, 0o755) }
}

func read(_ path: String) -> String {
    FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
}

func yaml(_ text: String) throws -> Node {
    guard let n = try YAMLReader.read(text, file: "test").first else { throw TestFailure("empty YAML") }
    return n
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A small forward proxy (absolute-form requests and CONNECT tunnels) in Python's standard
/// library, started on a free port; it logs each request line to `log`. Killed by PID in `stop()`.
final class ForwardProxy: @unchecked Sendable {
    let process = Process()
    let port: Int
    let log: String

    static let script = #"""
    import socket, socketserver, sys, threading
    log = open(sys.argv[2], "a", buffering=1)
    def pipe(a, b):
        try:
            while True:
                d = a.recv(65536)
                if not d: break
                b.sendall(d)
        except OSError: pass
        finally:
            try: b.shutdown(socket.SHUT_WR)
            except OSError: pass
    class H(socketserver.BaseRequestHandler):
        def handle(self):
            c = self.request; buf = b""
            while b"\r\n\r\n" not in buf:
                d = c.recv(65536)
                if not d: return
                buf += d
            head, rest = buf.split(b"\r\n\r\n", 1)
            lines = head.split(b"\r\n"); method, target, version = lines[0].split(b" ", 2)
            log.write(lines[0].decode() + "\n")
            if method == b"CONNECT":
                host, port = target.rsplit(b":", 1)
                u = socket.create_connection((host.decode(), int(port)), timeout=10)
                c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                if rest: u.sendall(rest)
                t = threading.Thread(target=pipe, args=(u, c)); t.start(); pipe(c, u); t.join(); return
            url = target.split(b"://", 1)[1]; hostport, _, path = url.partition(b"/")
            host, port = hostport.rsplit(b":", 1)
            headers = [l for l in lines[1:] if not l.lower().startswith((b"connection:", b"proxy-"))]
            length = next((int(l.split(b":", 1)[1]) for l in headers if l.lower().startswith(b"content-length:")), 0)
            while len(rest) < length:
                d = c.recv(65536)
                if not d: break
                rest += d
            u = socket.create_connection((host.decode(), int(port)), timeout=10)
            u.sendall(b" ".join([method, b"/" + path, version]) + b"\r\n" + b"\r\n".join(headers + [b"Connection: close"]) + b"\r\n\r\n" + rest)
            pipe(u, c)
    class S(socketserver.ThreadingTCPServer):
        daemon_threads = True; allow_reuse_address = True
    s = S(("127.0.0.1", 0), H)
    open(sys.argv[1], "w").write(str(s.server_address[1]))
    s.serve_forever()
    """#

    init() throws {
        let dir = try tempDir()
        let scriptPath = "\(dir)/proxy.py", portFile = "\(dir)/port"
        log = "\(dir)/requests.log"
        try write(Self.script, to: scriptPath)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath, portFile, log]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var found: Int?
        for _ in 0..<400 {
            if let p = Int(read(portFile)) { found = p; break }
            usleep(25_000)
        }
        guard let found else { process.terminate(); throw TestFailure("the proxy didn't start") }
        port = found
    }

    var requests: [String] { read(log).split(separator: "\n").map(String.init) }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}
