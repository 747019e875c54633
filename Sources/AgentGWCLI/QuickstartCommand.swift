import AgentGWGateway
import AgentGWMCP
import AgentGWModel
import ArgumentParser
import Foundation

/// `quickstart`: the ack-agent-gateway tutorial, replayed on this machine with no cluster.
struct QuickstartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quickstart",
        abstract: "Replay the ack-agent-gateway tutorial locally: sample server, gateway, API keys, probes.",
        discussion: """
        Starts the built-in sample MCP server in place of the tutorial's
        demo-mcp Deployment, writes the tutorial's manifests with 'create',
        serves them, probes through the gateway, adds the API-key
        TrafficPolicy, and shows the probe refused (exit 3) and then passing
        with key-value-foo. Everything binds 127.0.0.1 and is cleaned up,
        unless --keep leaves it running.
        """
    )

    @Flag(help: "Leave the sample server and gateway running, print the URL, and wait for Ctrl-C.") var keep = false
    @Option(help: "Write the manifests here instead of a temporary folder.") var dir: String?
    @Option(help: "Local port for the Gateway's port 80 (0 = any free port).") var port: Int = 0

    func run() async throws {
        let q = Quickstart(keep: keep, dir: dir, gatewayPort: port)
        do {
            try await q.run()
        } catch let error as QuickstartFailure {
            await q.cleanup()
            throw CLIError("quickstart failed at \(error.step): \(error.message)")
        }
    }
}

struct QuickstartFailure: Error {
    var step: String
    var message: String
}

/// The steps, printed the way the tutorial shows them.
final class Quickstart: @unchecked Sendable {
    let keep: Bool
    let folder: URL
    let removeFolder: Bool
    let gatewayPort: Int
    var sample: SampleServer?
    var runner: GatewayRunner?

    init(keep: Bool, dir: String?, gatewayPort: Int) {
        self.keep = keep
        self.gatewayPort = gatewayPort
        if let dir {
            folder = URL(fileURLWithPath: dir)
            removeFolder = false
        } else {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("agentgw-quickstart-\(UUID().uuidString.prefix(8))")
            removeFolder = true
        }
    }

    func say(_ text: String) { Output.stdout(text) }

    func step(_ title: String) { say("\n== \(title)") }

    func run() async throws {
        let started = ContinuousClock.now
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)

        step("Step 1: Deploy a sample MCP service")
        var sampleOptions = SampleServerOptions()
        sampleOptions.port = 0
        let sample: SampleServer
        do { sample = try await SampleServer.start(sampleOptions) } catch {
            throw QuickstartFailure(step: "step 1", message: "cannot start the sample MCP server: \(error)")
        }
        self.sample = sample
        say("$ kubectl agentgw sample-server   # stands in for Deployment demo-mcp and Service demo-mcp-server:8000")
        say("sample MCP server listening on http://127.0.0.1:\(sample.port)/mcp (tools: echo, add, time, fetch)")

        step("Step 2: Create a Gateway and routing rules")
        let gatewayYAML = folder.appendingPathComponent("mcp-gateway.yaml")
        let objects = try make { () throws(GeneratorError) -> [Node] in
            let targets = [Generators.TargetSpec(name: "mcp-target", host: "demo-mcp-server.default.svc.cluster.local", port: 8000, path: "/mcp")]
            return [
                try Generators.backend(name: "test-mcp", namespace: nil, targets: targets),
                try Generators.gateway(name: "test-mcp-gateway", namespace: nil, className: AgentGateway.defaultGatewayClass, port: 80,
                                       protocol: "HTTP", allowedRoutes: "Same"),
                try Generators.httpRoute(name: "route-for-mcp-backend", namespace: nil, gateway: "test-mcp-gateway", backend: "test-mcp",
                                         pathPrefix: nil, hostnames: []),
            ]
        }
        try YAMLWriter.write(objects).write(to: gatewayYAML, atomically: true, encoding: .utf8)
        say("$ kubectl agentgw create mcp test-mcp --service demo-mcp-server:8000 --gateway test-mcp-gateway --route route-for-mcp-backend > mcp-gateway.yaml")
        for o in objects { say("\(ResourceNames.qualified(o)) created (\(gatewayYAML.lastPathComponent))") }

        let free = try Quickstart.freePort(gatewayPort)
        var options = GatewayRunner.Options(paths: [folder.path])
        options.portMap = [80: free]
        options.bindAddress = "127.0.0.1"
        options.adminPort = 0
        // --keep leaves it running to explore: the console's playground is the Inspector's page.
        options.console.playground = keep
        options.accessLog = .off
        options.eventLog = EventLog(format: .text, level: .error)
        options.watchInterval = .milliseconds(200)
        options.compile.resolve["demo-mcp-server.default.svc.cluster.local:8000"] = ("127.0.0.1", sample.port)
        let runner: GatewayRunner
        do { runner = try GatewayRunner(options: options) } catch { throw QuickstartFailure(step: "step 2", message: "\(error)") }
        do { try await runner.start() } catch {
            throw QuickstartFailure(step: "step 2", message: "\(error)")
        }
        self.runner = runner
        let url = "http://127.0.0.1:\(free)/mcp"
        say("$ kubectl agentgw serve -f \(folder.lastPathComponent)/ --port-map 80=\(free) --resolve demo-mcp-server.default.svc.cluster.local:8000=127.0.0.1:\(sample.port)")
        say("$ kubectl get gateway")
        say("NAME               CLASS               ADDRESS     PROGRAMMED")
        say("test-mcp-gateway   ack-agent-gateway   127.0.0.1   True")

        step("Step 3: Verify connectivity (MCP Inspector: Connect, Tools, List Tools)")
        say("$ kubectl agentgw probe \(url)")
        let first = await probe(url, key: nil)
        guard first.error == nil else { throw QuickstartFailure(step: "step 3", message: first.error?.description ?? "") }
        printSummary(first)

        step("Step 4: Add API key authentication")
        let keysYAML = folder.appendingPathComponent("mcp-api-key.yaml")
        let policy = try make { () throws(GeneratorError) -> [Node] in
            [
                try Generators.apiKeySecret(name: "mcp-api-key", namespace: nil, keys: [("key1", "key-value-foo"), ("key2", "key-value-bar")]),
                try Generators.trafficPolicy(name: "test-mcp-apikey-auth", namespace: nil, targetRoute: "route-for-mcp-backend",
                                             apiKeySecret: "mcp-api-key", rateLimits: [], allowTools: []),
            ]
        }
        try YAMLWriter.write(policy).write(to: keysYAML, atomically: true, encoding: .utf8)
        say("$ kubectl agentgw create apikey-secret mcp-api-key --key key1=key-value-foo --key key2=key-value-bar > mcp-api-key.yaml")
        say("$ kubectl agentgw create trafficpolicy test-mcp-apikey-auth --target-route route-for-mcp-backend --api-key-secret mcp-api-key >> mcp-api-key.yaml")
        await runner.reload()
        for o in policy { say("\(ResourceNames.qualified(o)) created (\(keysYAML.lastPathComponent))") }

        say("$ kubectl agentgw probe \(url)          # no key")
        let denied = await probe(url, key: nil)
        guard let error = denied.error, error.exitCode == 3 else {
            throw QuickstartFailure(step: "step 4", message: "the probe without a key was not refused (\(denied.error?.description ?? "it passed"))")
        }
        say("error: \(error.description)   (exit \(error.exitCode))")

        say("$ kubectl agentgw probe \(url) --api-key key-value-foo")
        let allowed = await probe(url, key: "key-value-foo")
        guard allowed.error == nil else { throw QuickstartFailure(step: "step 4", message: allowed.error?.description ?? "") }
        printSummary(allowed)

        let elapsed = ContinuousClock.now - started
        step(String(format: "Done in %.1f s: the tutorial works end to end.", elapsed.milliseconds / 1000))
        if keep {
            say("Gateway: \(url)  (API key: key-value-foo)")
            say("Manifests: \(folder.path) (edit them; serve reloads on change)")
            say("Console: http://127.0.0.1:\(runner.adminPort ?? 0)/ui/  (playground on; metrics at /metrics)")
            say("Press Ctrl-C to stop.")
            await ShutdownSignal.wait()
        }
        await cleanup()
    }

    func probe(_ url: String, key: String?) async -> ProbeResult {
        var o = ProbeOptions(url: url)
        o.era = .legacy   // MCP Inspector v0.17 (the tutorial's) speaks the legacy handshake
        o.credential = key.map { ("Authorization", "Bearer \($0)") }
        var t = TransportOptions()
        t.timeout = .seconds(5)
        return await Probe(options: o, transportOptions: t).run()
    }

    func printSummary(_ r: ProbeResult) {
        let s = r.server
        say("Connected: \(s?.serverName ?? "?") \(s?.serverVersion ?? "") over \(s?.transport.rawValue ?? "?") (\(s?.era.rawValue ?? "?") \(s?.protocolVersion ?? ""))")
        say("Tools (\(r.tools.count)): " + r.tools.map(\.name).joined(separator: ", "))
        say(String(format: "Total: %.1f ms", r.total.milliseconds))
    }

    func cleanup() async {
        if let runner { await runner.shutdown(drainTimeout: .seconds(2)) }
        runner = nil
        if let sample { await sample.stop() }
        sample = nil
        if removeFolder && !keep { try? FileManager.default.removeItem(at: folder) }
    }

    func make(_ body: () throws(GeneratorError) -> [Node]) throws -> [Node] {
        do { return try body() } catch { throw QuickstartFailure(step: "manifests", message: error.message) }
    }

    /// `requested`, or a free loopback port when it is 0.
    static func freePort(_ requested: Int) throws -> Int {
        if requested != 0 { return requested }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else { throw QuickstartFailure(step: "setup", message: "no free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
