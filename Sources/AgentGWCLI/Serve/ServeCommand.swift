import AgentGWController
import AgentGWGateway
import AgentGWKube
import AgentGWModel
import ArgumentParser
import Foundation

/// `serve -f`: the MCP gateway data plane, fed from manifest files; `serve --kubernetes`: the
/// same data plane fed from the cluster, plus status, LoadBalancer Services and leader election.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the MCP gateway from Gateway, HTTPRoute, Backend, TrafficPolicy and Secret manifests (-f) or from the cluster (--kubernetes).",
        discussion: """
        Compiles the manifests (with validate's checks and messages), listens on
        each Gateway listener port, and proxies MCP Streamable HTTP traffic as the
        routes say, enforcing API keys, rate limits and tool rules. The files are
        watched: a valid change is swapped in atomically; an invalid one is logged
        and the last good config stays. SIGTERM/SIGINT drain and stop.

        With --kubernetes the input is the cluster instead of files (in a pod: the
        service account; else --kubeconfig/--context): Gateways of GatewayClasses
        whose controllerName is agentgateway.alibabacloud.com/gateway-controller,
        their HTTPRoutes, Backends, TrafficPolicies, ReferenceGrants, Secrets and
        Services are listed and watched, compiled and swapped in as they change.
        The Lease holder (--leader-elect, on by default) writes status (Accepted,
        Programmed, listeners, addresses, route parents, policy ancestors) and
        keeps one LoadBalancer Service per Gateway; every replica serves traffic.
        Examples:
          kubectl agentgw serve -f manifests/ --port-map 80=8080 \\
            --resolve demo-mcp-server.default.svc.cluster.local:8000=127.0.0.1:8000
          curl -s 127.0.0.1:15000/metrics
          kubectl agentgw serve --kubernetes --port-map 80=8080 --no-leader-elect
        Docs: docs/serve.md, docs/policies.md, docs/kubernetes.md.
        """
    )

    @Option(name: [.short, .customLong("filename")], help: ArgumentHelp("A manifest file or folder; repeatable.", valueName: "path"))
    var files: [String] = []
    @Flag(name: [.customShort("R"), .customLong("recursive")], help: "Recurse into folders.") var recursive = false
    @Option(name: .customLong("gateway-class"), help: "GatewayClass names to serve (repeatable).") var gatewayClasses: [String] = [AgentGateway.defaultGatewayClass]
    @Option(name: .customLong("port-map"), help: ArgumentHelp("Bind a listener port elsewhere, e.g. 80=8080 (repeatable).", valueName: "port=local"))
    var portMaps: [String] = []
    @Option(name: .customLong("resolve"), help: ArgumentHelp("Connect HOST:PORT to ADDR:PORT instead, like curl (repeatable).", valueName: "host:port=addr:port"))
    var resolves: [String] = []
    @Option(help: "Address the data-plane listeners bind.") var address: String = "0.0.0.0"
    @Option(name: .customLong("admin-address"), help: "host:port of the admin listener (/healthz /readyz /metrics /config and the console at /ui/).") var adminAddress: String = "127.0.0.1:15000"
    @Flag(name: .customLong("admin-expose"), help: "Allow --admin-address beyond loopback (the console then answers any Host name). Needed in a pod.")
    var adminExpose = false
    @Flag(name: .customLong("console-playground"), help: "Let the console at /ui/ send MCP requests through the routes (an API key typed there stays in the page).")
    var consolePlayground = false
    @Option(name: .customLong("log-format"), help: "text or json, for access and event logs.") var logFormat: String = "text"
    @Option(name: .customLong("log-level"), help: "debug, info, warning or error.") var logLevel: String = "info"
    @Flag(name: .customLong("no-access-log"), help: "Don't write access logs.") var noAccessLog = false
    @Option(name: .customLong("drain-timeout"), help: "Time to finish in-flight requests on shutdown.") var drainTimeout: String = "15s"
    @Option(name: .customLong("max-body-bytes"), help: "Largest request body (413 beyond).") var maxBodyBytes: Int = 4 << 20
    @Option(name: .customLong("sse-keepalive"), help: "Interval of ': keepalive' comments on idle streams.") var sseKeepalive: String = "15s"
    @Option(name: .customLong("request-timeout"), help: "Default time to an upstream response head.") var requestTimeout: String = "60s"
    @Option(name: .customLong("idle-timeout"), help: "Default idle time before a stream is closed.") var idleTimeout: String = "300s"
    @Option(name: .customLong("watch-interval"), help: "How often to check the files for changes.") var watchInterval: String = "1s"
    @Option(name: .customLong("session-key-file"), help: "32-byte key (raw, hex or base64) sealing multiplexed sessions; share it so replicas share sessions.")
    var sessionKeyFile: String?
    @Option(name: .customLong("client-timeout"), help: "Time a client gets to send a whole request, or to stay idle between requests, before it is disconnected.")
    var clientTimeout: String = "30s"
    @Option(name: .customLong("upstream-ca-file"), help: "CA certificates (PEM) to trust for HTTPS upstreams (targets on port 443) instead of the system's.")
    var upstreamCAFile: String?
    @OptionGroup var namespace: NamespaceOptions

    @Flag(name: .customLong("kubernetes"), help: "Read Gateways, routes and policies from the cluster instead of files, and write their status.")
    var kubernetes = false
    @Option(name: .customLong("kubeconfig"), help: ArgumentHelp("With --kubernetes: the kubeconfig file (else $KUBECONFIG, ~/.kube/config, or the pod's service account).", valueName: "path"))
    var kubeconfig: String?
    @Option(name: .customLong("context"), help: ArgumentHelp("With --kubernetes: the kubeconfig context to use.", valueName: "name"))
    var context: String?
    @Flag(name: .customLong("leader-elect"), inversion: .prefixedNo,
          help: "With --kubernetes: only the holder of a Lease writes status and Services (replicas all serve traffic).")
    var leaderElect = true
    @Option(name: .customLong("leader-election-namespace"), help: ArgumentHelp("Namespace of the Lease (default: $POD_NAMESPACE, else the context's namespace).", valueName: "namespace"))
    var leaderElectionNamespace: String?
    @Option(name: .customLong("leader-election-id"), help: ArgumentHelp("Name of the Lease.", valueName: "name"))
    var leaderElectionID = "kubectl-agentgw"
    @Option(name: .customLong("data-plane-namespace"), help: ArgumentHelp("Put each Gateway's LoadBalancer Service in this namespace (where the serve pods run) instead of the Gateway's own.", valueName: "namespace"))
    var dataPlaneNamespace: String?
    @Option(name: .customLong("data-plane-selector"), help: ArgumentHelp("Labels of the serve pods, the Services' selector.", valueName: "k=v,..."))
    var dataPlaneSelector = "app.kubernetes.io/name=\(InstallBundle.name)"
    @Flag(name: .customLong("manage-services"), inversion: .prefixedNo, help: "With --kubernetes: keep a LoadBalancer Service per Gateway; its address is the Gateway's.")
    var manageServices = true

    func validate() throws {
        if kubernetes {
            if !files.isEmpty { throw ValidationError("--kubernetes reads the cluster; don't give -f as well") }
            return
        }
        if files.isEmpty { throw ValidationError("give at least one -f FILE|DIR (or --kubernetes)") }
        if files.contains("-") { throw ValidationError("serve reads files it can watch; stdin (-) is not supported") }
    }

    func run() async throws {
        if kubernetes { return try await runKubernetes() }
        var options = try ServeOptions.runnerOptions(
            files: files, recursive: recursive, gatewayClasses: gatewayClasses, portMaps: portMaps, resolves: resolves,
            address: address, adminAddress: adminAddress, logFormat: logFormat, logLevel: logLevel, noAccessLog: noAccessLog,
            maxBodyBytes: maxBodyBytes, sseKeepalive: sseKeepalive, requestTimeout: requestTimeout, idleTimeout: idleTimeout,
            watchInterval: watchInterval, namespace: namespace.namespace)
        try applyDataPlaneFlags(&options)
        let drain = try ProbeArguments.duration(drainTimeout, flag: "--drain-timeout")
        let runner: GatewayRunner
        do { runner = try GatewayRunner(options: options) } catch { throw CLIError.usage("--session-key-file: \(error)") }
        do {
            try await runner.start()
        } catch let error as GatewayRunner.StartError {
            if case .invalid(let compile) = error {
                for d in compile.diagnostics { Output.stderr(d.description) }
                throw CLIError("the manifests are invalid; nothing is served")
            }
            throw CLIError(error.description)
        }
        await ShutdownSignal.wait()
        await runner.shutdown(drainTimeout: drain)
    }
}

extension ServeCommand {
    /// The flags both modes share beyond `ServeOptions.runnerOptions`.
    func applyDataPlaneFlags(_ options: inout GatewayRunner.Options) throws {
        options.sessionKeyFile = sessionKeyFile
        if !adminExpose && !["127.0.0.1", "localhost", "::1"].contains(options.adminHost) && !options.adminHost.hasPrefix("127.") {
            throw CLIError.usage("--admin-address \(adminAddress) is beyond loopback: the admin listener serves /config and the console; add --admin-expose to open it")
        }
        options.console = AdminServer.ConsoleOptions(playground: consolePlayground, exposed: adminExpose)
        let client = try ProbeArguments.duration(clientTimeout, flag: "--client-timeout")
        options.dataPlane.clientIdleTimeout = .nanoseconds(Int64(client.components.seconds) * 1_000_000_000 + client.components.attoseconds / 1_000_000_000)
        if let ca = upstreamCAFile {
            guard FileManager.default.isReadableFile(atPath: ca) else { throw CLIError.usage("--upstream-ca-file \"\(ca)\": cannot read the file") }
            options.dataPlane.upstreamCAFile = ca
        }
    }

    /// `serve --kubernetes`: the data plane with no config until the controller's first compile.
    func runKubernetes() async throws {
        var options = try ServeOptions.runnerOptions(
            files: [], recursive: false, gatewayClasses: gatewayClasses, portMaps: portMaps, resolves: resolves,
            address: address, adminAddress: adminAddress, logFormat: logFormat, logLevel: logLevel, noAccessLog: noAccessLog,
            maxBodyBytes: maxBodyBytes, sseKeepalive: sseKeepalive, requestTimeout: requestTimeout, idleTimeout: idleTimeout,
            watchInterval: watchInterval, namespace: namespace.namespace)
        try applyDataPlaneFlags(&options)
        var selector: [String: String] = [:]
        for pair in dataPlaneSelector.split(separator: ",") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, !kv[0].isEmpty else { throw CLIError.usage("--data-plane-selector \"\(dataPlaneSelector)\": expected key=value[,key=value]") }
            selector[kv[0]] = kv[1]
        }
        if selector.isEmpty { throw CLIError.usage("--data-plane-selector must name at least one label") }
        let drain = try ProbeArguments.duration(drainTimeout, flag: "--drain-timeout")

        var overrides = ConfigOverrides()
        overrides.kubeconfig = kubeconfig
        overrides.context = context
        let config: ClientConfig
        do { config = try ClientConfig.load(overrides) } catch { throw CLIError(error.message) }
        let client: KubeClient
        do { client = try KubeClient(config: config) } catch { throw CLIError(String(describing: error)) }

        let environment = ProcessInfo.processInfo.environment
        var controllerOptions = ControllerOptions()
        controllerOptions.compile = options.compile
        controllerOptions.dataPlaneSelector = selector
        controllerOptions.dataPlaneNamespace = dataPlaneNamespace
        controllerOptions.manageServices = manageServices
        if leaderElect {
            let ns = leaderElectionNamespace ?? environment["POD_NAMESPACE"].flatMap { $0.isEmpty ? nil : $0 } ?? config.namespace
            let identity = environment["POD_NAME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? "\(ProcessInfo.processInfo.hostName)_\(UUID().uuidString.prefix(8).lowercased())"
            controllerOptions.leaderElection = LeaderElector.Options(namespace: ns, name: leaderElectionID, identity: identity)
        }

        let runner: GatewayRunner
        do { runner = try GatewayRunner(options: options) } catch {
            try? await client.shutdown()
            throw CLIError.usage("--session-key-file: \(error)")
        }
        do { try await runner.startWithoutConfig() } catch {
            try? await client.shutdown()
            throw CLIError("\(error)")
        }
        options.eventLog.log(.info, "watching the cluster", [("server", config.server), ("leaderElection", leaderElect ? "on" : "off")])
        let controller = KubernetesController(client: client, runner: runner, options: controllerOptions)
        let task = Task { await controller.run() }
        await ShutdownSignal.wait()
        task.cancel()
        await task.value
        await runner.shutdown(drainTimeout: drain)
        try? await client.shutdown()
    }
}

/// Flag parsing shared by serve and quickstart.
enum ServeOptions {
    static func runnerOptions(files: [String], recursive: Bool, gatewayClasses: [String], portMaps: [String], resolves: [String],
                              address: String, adminAddress: String, logFormat: String, logLevel: String, noAccessLog: Bool,
                              maxBodyBytes: Int, sseKeepalive: String, requestTimeout: String, idleTimeout: String,
                              watchInterval: String, namespace: String?) throws -> GatewayRunner.Options {
        var o = GatewayRunner.Options(paths: files)
        o.recursive = recursive
        o.compile.gatewayClasses = Set(gatewayClasses)
        o.compile.defaultNamespace = namespace ?? "default"
        for m in portMaps {
            let parts = m.split(separator: "=").map(String.init)
            guard parts.count == 2, let from = Int(parts[0]), let to = Int(parts[1]), (1...65535).contains(from), (0...65535).contains(to) else {
                throw CLIError.usage("--port-map \"\(m)\": expected LISTENER_PORT=LOCAL_PORT, e.g. 80=8080")
            }
            o.portMap[from] = to
        }
        for r in resolves {
            let parts = r.split(separator: "=").map(String.init)
            if parts.count == 2, let key = hostPort(parts[0]), let target = hostPort(parts[1]) {
                o.compile.resolve["\(key.host):\(key.port)"] = target
            } else if let (key, target) = CompileOptions.parseResolve(r) {
                o.compile.resolve[key] = target   // curl's own HOST:PORT:ADDR[:PORT]
            } else {
                throw CLIError.usage("--resolve \"\(r)\": expected HOST:PORT=ADDR:PORT (or curl's HOST:PORT:ADDR)")
            }
        }
        o.bindAddress = address
        guard let admin = hostPort(adminAddress) else { throw CLIError.usage("--admin-address \"\(adminAddress)\": expected HOST:PORT") }
        o.adminHost = admin.host
        o.adminPort = admin.port
        guard let format = AccessLog.Format(rawValue: logFormat), format != .off else { throw CLIError.usage("--log-format must be text or json") }
        guard let level = EventLog.Level(name: logLevel) else { throw CLIError.usage("--log-level must be debug, info, warning or error") }
        o.accessLog = noAccessLog ? .off : format
        o.eventLog = EventLog(format: format, level: level)
        guard maxBodyBytes > 0 else { throw CLIError.usage("--max-body-bytes must be positive") }
        o.dataPlane.maxBodyBytes = maxBodyBytes
        o.dataPlane.sseKeepalive = .nanoseconds(try ProbeArguments.duration(sseKeepalive, flag: "--sse-keepalive").nanosecondsValue)
        o.dataPlane.defaultRequestTimeout = .nanoseconds(try ProbeArguments.duration(requestTimeout, flag: "--request-timeout").nanosecondsValue)
        o.dataPlane.defaultIdleTimeout = .nanoseconds(try ProbeArguments.duration(idleTimeout, flag: "--idle-timeout").nanosecondsValue)
        o.watchInterval = try ProbeArguments.duration(watchInterval, flag: "--watch-interval")
        return o
    }

    /// `host:port`, `[v6]:port`.
    static func hostPort(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host.lowercased(), port)
    }
}

extension Duration {
    var nanosecondsValue: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}

/// Waits for SIGTERM or SIGINT.
enum ShutdownSignal {
    static func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = OnceFlag()
            for sig in [SIGTERM, SIGINT] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .main)
                source.setEventHandler {
                    if once.set() { continuation.resume() }
                }
                source.resume()
                Retained.sources.append(source)
            }
        }
    }

    final class OnceFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false
        func set() -> Bool { lock.withLock { defer { done = true }; return !done } }
    }

    /// Signal sources must outlive the wait.
    enum Retained { nonisolated(unsafe) static var sources: [DispatchSourceSignal] = [] }
}
