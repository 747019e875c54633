import AgentGWMCP
import ArgumentParser
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `sample-server`: the built-in demo MCP server (echo, add, time, fetch), both protocol eras.
struct SampleServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample-server",
        abstract: "Run a sample MCP server (tools echo, add, time, fetch) speaking both protocol eras.",
        discussion: """
        Serves Streamable HTTP on one endpoint. Legacy clients
        (2024-11-05 to 2025-11-25) get initialize, Mcp-Session-Id
        sessions, SSE responses (or JSON with --json-response) and a GET
        stream; modern clients (2026-07-28) get server/discover and
        stateless requests checked against the MCP-Protocol-Version,
        Mcp-Method and Mcp-Name headers. Foreign Origins get 403.
        Tools: echo, add, time, fetch. Runs until SIGINT or SIGTERM.
        Examples:
          kubectl agentgw sample-server
          kubectl agentgw sample-server --port 8000 --host 0.0.0.0 \\
            --json-response --stateless
        """

    )

    @Option(help: "Port to listen on (0 picks a free port).") var port: Int = 8000
    @Option(help: "Address to bind; 0.0.0.0 to accept connections from other hosts.") var host: String = "127.0.0.1"
    @Option(help: "The MCP endpoint path.") var path: String = "/mcp"
    @Flag(help: "Legacy era: answer with application/json instead of SSE streams.") var jsonResponse = false
    @Flag(help: "Legacy era: no sessions (no Mcp-Session-Id, GET or DELETE).") var stateless = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        guard path.hasPrefix("/") else { throw ValidationError("--path must start with \"/\"") }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty") }
    }

    func run() async throws {
        var options = SampleServerOptions()
        options.host = host
        options.port = port
        options.path = path
        options.jsonResponse = jsonResponse
        options.stateless = stateless
        options.serverVersion = AgentGWVersion.current
        let latch = ShutdownLatch()
        latch.install([SIGINT, SIGTERM])
        let server: SampleServer
        do {
            server = try await SampleServer.start(options)
        } catch {
            throw CLIError("\(error)")
        }
        Output.stderr("sample MCP server listening on \(server.url)")
        await latch.wait()
        await server.stop()
    }
}

/// Waits for SIGINT or SIGTERM (dispatch signal sources on the main queue). A second signal
/// while shutting down exits at once.
final class ShutdownLatch: @unchecked Sendable {
    private let lock = NSLock()
    private var sources: [any DispatchSourceSignal] = []
    private var continuation: CheckedContinuation<Void, Never>?
    private var signalled = 0

    func install(_ signals: [Int32]) {
        for number in signals {
            signal(number, SIG_IGN)  // the dispatch source sees it instead of the default action
            let source = DispatchSource.makeSignalSource(signal: number, queue: .main)
            source.setEventHandler { [self] in fire() }
            source.resume()
            lock.withLock { sources.append(source) }
        }
    }

    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow = lock.withLock { () -> Bool in
                if signalled > 0 { return true }
                continuation = c
                return false
            }
            if resumeNow { c.resume() }
        }
    }

    private func fire() {
        let (c, count) = lock.withLock { () -> (CheckedContinuation<Void, Never>?, Int) in
            signalled += 1
            defer { continuation = nil }
            return (continuation, signalled)
        }
        if count > 1 { exit(1) }
        c?.resume()
    }
}
