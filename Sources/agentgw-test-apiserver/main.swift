import AgentGWTesting
import Foundation

// agentgw-test-apiserver [--port N] [--tls-dir DIR] [--token T] [--no-agentgateway-crds] [--kubeconfig PATH]
// Prints the base URL on the first stdout line; runs until SIGTERM/SIGINT.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("agentgw-test-apiserver: \(message)\n".utf8))
    exit(2)
}

struct Arguments {
    var options = TestAPIServerOptions()
    var tlsDir: String?
    var tokens: Set<String> = []
    var kubeconfigPath: String?

    init(_ argv: [String]) {
        var args = argv[...]
        func value(_ flag: String) -> String {
            guard let v = args.popFirst() else { fail("\(flag) needs a value") }
            return v
        }
        while let arg = args.popFirst() {
            switch arg {
            case "--port":
                guard let p = Int(value(arg)), (0...65535).contains(p) else { fail("--port needs a number 0-65535") }
                options.port = p
            case "--tls-dir": tlsDir = value(arg)
            case "--token": tokens.insert(value(arg))
            case "--kubeconfig": kubeconfigPath = value(arg)
            case "--no-agentgateway-crds": options.agentGatewayCRDs = false
            case "--no-gateway-api-crds": options.gatewayAPICRDs = false
            case "-h", "--help":
                print("usage: agentgw-test-apiserver [--port N] [--tls-dir DIR] [--token T] [--no-agentgateway-crds] [--no-gateway-api-crds] [--kubeconfig PATH]")
                exit(0)
            default: fail("unknown argument \(arg)")
            }
        }
    }
}

var parsed = Arguments(Array(CommandLine.arguments.dropFirst()))
if let dir = parsed.tlsDir {
    // Reuse the material in DIR when present, else generate it.
    var files = TestPKIFiles(in: dir)
    if !FileManager.default.fileExists(atPath: files.serverCertificate) {
        do { files = try TestPKI.generate(in: dir) } catch { fail("\(error)") }
    }
    parsed.options.tls = TestTLS(certificatePath: files.serverCertificate, keyPath: files.serverKey,
                                 clientCAPath: files.caCertificate, serverCAPath: files.caCertificate)
}
if !parsed.tokens.isEmpty { parsed.options.auth = .required(tokens: parsed.tokens) }
let arguments = parsed

signal(SIGTERM, SIG_IGN)
signal(SIGINT, SIG_IGN)
let server: TestAPIServer
do {
    server = try await TestAPIServer.start(arguments.options)
} catch {
    fail("\(error)")
}
FileHandle.standardOutput.write(Data((server.baseURL + "\n").utf8))
if let path = arguments.kubeconfigPath {
    do {
        try server.kubeconfig(token: arguments.tokens.first).write(toFile: path, atomically: true, encoding: .utf8)
    } catch { fail("cannot write \(path): \(error)") }
}

let signals = AsyncStream<Int32> { continuation in
    let sources = [SIGTERM, SIGINT].map { sig in
        let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
        source.setEventHandler { continuation.yield(sig) }
        source.resume()
        return source
    }
    // The sources live as long as the stream (the whole process).
    nonisolated(unsafe) let keep = sources
    continuation.onTermination = { _ in keep.forEach { $0.cancel() } }
}
for await _ in signals { break }
try? await server.shutdown()
