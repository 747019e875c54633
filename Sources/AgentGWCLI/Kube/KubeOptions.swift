import AgentGWKube
import AgentGWModel
import ArgumentParser
import Foundation

/// kubectl's connection flags, shared by every command that talks to a cluster.
struct KubeOptions: ParsableArguments {
    @Option(name: .customLong("kubeconfig"), help: ArgumentHelp("Path to the kubeconfig file (else $KUBECONFIG, else ~/.kube/config).", valueName: "path"))
    var kubeconfig: String?
    @Option(name: .customLong("context"), help: ArgumentHelp("The kubeconfig context to use.", valueName: "name"))
    var context: String?
    @Option(name: .customLong("cluster"), help: ArgumentHelp("The kubeconfig cluster to use.", valueName: "name"))
    var cluster: String?
    @Option(name: .customLong("user"), help: ArgumentHelp("The kubeconfig user to use.", valueName: "name"))
    var user: String?
    @Option(name: [.short, .customLong("namespace")], help: ArgumentHelp("The namespace for objects that name none (default: the context's, else default).", valueName: "namespace"))
    var namespace: String?
    @Option(name: [.short, .customLong("server")], help: ArgumentHelp("The address and port of the Kubernetes API server.", valueName: "url"))
    var server: String?
    @Option(name: .customLong("token"), help: ArgumentHelp("Bearer token for authentication to the API server.", valueName: "token"))
    var token: String?
    @Option(name: .customLong("as"), help: ArgumentHelp("Username to impersonate for the operation.", valueName: "user"))
    var impersonate: String?
    @Option(name: .customLong("request-timeout"), help: ArgumentHelp("How long to wait for one server response: 30s, 1m, 0 = default (60s).", valueName: "duration"))
    var requestTimeout: String?
    @Flag(name: .customLong("insecure-skip-tls-verify"), help: "Don't check the server's certificate (insecure).")
    var insecureSkipTLSVerify = false
    @Option(name: .customLong("tls-server-name"), help: ArgumentHelp("Server name to use for certificate validation.", valueName: "name"))
    var tlsServerName: String?

    func validate() throws {
        if let t = requestTimeout, GoDuration.parse(t) == nil {
            throw ValidationError("invalid --request-timeout \"\(t)\": use a duration such as 30s, 2m or 1h")
        }
    }

    var overrides: ConfigOverrides {
        var o = ConfigOverrides()
        o.kubeconfig = kubeconfig
        o.context = context
        o.cluster = cluster
        o.user = user
        o.namespace = namespace
        o.server = server
        o.token = token
        o.impersonate = impersonate
        o.tlsServerName = tlsServerName
        if insecureSkipTLSVerify { o.insecureSkipTLSVerify = true }
        o.requestTimeout = requestTimeout.flatMap(GoDuration.parse)
        return o
    }

    /// The resolved config, or exit 1 with clientcmd's message.
    func clientConfig() throws -> ClientConfig {
        do { return try ClientConfig.load(overrides) } catch { throw CLIError(error.message) }
    }

    /// Runs `body` with a client and always shuts it down.
    func withClient<T>(_ body: (KubeClient, ClientConfig) async throws -> T) async throws -> T {
        let config = try clientConfig()
        let client: KubeClient
        // Server warnings (unknown fields with --validate=warn, deprecations) print as kubectl prints them.
        do { client = try KubeClient(config: config, warningHandler: { Output.stderr("Warning: \($0)") }) } catch {
            throw CLIError(String(describing: error))
        }
        do {
            let result = try await body(client, config)
            try? await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

/// Go's `time.ParseDuration` subset kubectl accepts for timeouts (`1h2m3s`, `500ms`); a bare
/// number means seconds.
enum GoDuration {
    static func parse(_ text: String) -> Duration? {
        if let n = Int(text), n >= 0 { return .seconds(n) }
        var total = 0.0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter || $0 == "µ" }
            rest = rest.dropFirst(unit.count)
            switch unit {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            case "ms": total += value / 1000
            case "us", "µs": total += value / 1_000_000
            case "ns": total += value / 1_000_000_000
            default: return nil
            }
        }
        return .milliseconds(Int64((total * 1000).rounded()))
    }
}

/// `-f/-R` inputs turned into objects to send, with kubectl's manifest rules.
struct ManifestInputs {
    var inputs: LoadedInputs

    static func load(_ files: [String], recursive: Bool) throws -> ManifestInputs {
        do { return ManifestInputs(inputs: try ManifestLoader.load(files, recursive: recursive)) } catch {
            throw CLIError(error.description)
        }
    }

    /// Unreadable YAML can't be sent: one line per read error, exit 1.
    func requireReadable() throws {
        guard inputs.readErrors.isEmpty else {
            for e in inputs.readErrors { Output.stderr(e.description) }
            throw ExitCode(1)
        }
        if inputs.manifests.isEmpty { throw CLIError("no objects passed to apply") }
    }

    var objects: [SourcedObject] {
        inputs.manifests.map { SourcedObject(object: $0.node, source: $0.file) }
    }

    /// Runs validate's checks. Errors (and, with `strict`, warnings) refuse the input with
    /// validate's messages; findings print to stderr so stdout keeps kubectl's result lines.
    func validate(defaultNamespace: String, refuse: Bool, verb: String) throws {
        let checker = ReferenceChecker(servedClasses: [AgentGateway.defaultGatewayClass], defaultNamespace: defaultNamespace)
        let report = ManifestValidator(references: checker).validate(inputs)
        for d in report.diagnostics { Output.stderr(d.description) }
        if refuse, !report.isValid(strict: false) {
            Output.error("\(report.errorCount) validation error(s) in \(report.fileCount) file(s); nothing was \(verb) (--validate=false skips these checks)")
            throw ExitCode(1)
        }
    }
}

/// The order of our kinds after the built-in ones: Backends first, then classes and gateways,
/// then routes, then policies that target them.
enum AgentGWOrder {
    static func rank(kind: String, group: String) -> Int? {
        switch (group, kind) {
        case (AgentGateway.group, "Backend"): return 0
        case (GatewayAPI.group, "GatewayClass"): return 1
        case (GatewayAPI.group, "ReferenceGrant"): return 2
        case (GatewayAPI.group, "Gateway"): return 3
        case (GatewayAPI.group, "HTTPRoute"), (GatewayAPI.group, "GRPCRoute"): return 4
        case (AgentGateway.group, "TrafficPolicy"): return 5
        default: return nil
        }
    }

    static let installHint = "run: kubectl agentgw install"
}
