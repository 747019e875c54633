import AgentGWKube
import AgentGWMCP
import AgentGWModel
import ArgumentParser
import Foundation

/// `probe URL`: an MCP client for connectivity checks, in place of MCP Inspector.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Connect to an MCP endpoint, list its tools, and report (replaces MCP Inspector checks).",
        discussion: """
        Speaks both MCP eras over Streamable HTTP (legacy: initialize,
        sessions; modern 2026-07-28: _meta and Mcp-Method/Mcp-Name headers)
        and the old HTTP+SSE transport. --era auto tries server/discover,
        then initialize, then the SSE transport. --timeout applies to each
        HTTP request.
        Exit codes: 0 ok, 1 other error, 2 usage, 3 authentication refused
        or required, 4 unreachable/timeout/TLS, 5 tool error, 6 --strict
        found deviations. With --repeat: the class's code when every run
        failed alike, else 1 on any failure.
        Examples:
          kubectl agentgw probe http://127.0.0.1:8080/mcp --api-key KEY
          kubectl agentgw probe http://gw/mcp --call fetch \\
            --arg url=https://example.com
          kubectl agentgw probe http://127.0.0.1:8000/mcp --strict -o json
          kubectl agentgw probe http://gw/mcp --repeat 200 --concurrency 8
          kubectl agentgw probe gateway/test-mcp-gateway -n default --api-key KEY
        gateway/NAME reads the Gateway's address (status.addresses, else a
        listener hostname) and its first attached HTTPRoute's path prefix from
        the cluster (--kubeconfig, --context, -n) and probes that URL.
        """
    )

    @Argument(help: "The MCP endpoint, e.g. http://GATEWAY/mcp, or gateway/NAME to look it up in the cluster.") var url: String
    @Option(help: "auto, legacy or modern.") var era: EraPreference = .auto
    @Option(help: "streamable-http or sse (the old HTTP+SSE transport); default: detect.") var transport: MCPTransportKind?
    @Flag(help: "Also list resources.") var resources = false
    @Flag(help: "Also list prompts.") var prompts = false
    @Option(help: "Call this tool.") var call: String?
    @Option(help: "Tool arguments as a JSON object.") var args: String?
    @Option(name: .customLong("arg"), help: ArgumentHelp("A tool argument as key=value (JSON values allowed); repeatable.", valueName: "k=v")) var argPairs: [String] = []
    @Option(help: "Call any other method.") var method: String?
    @Option(help: "Params for --method, as JSON.") var params: String?
    @OptionGroup var credentials: ProbeCredentialOptions
    @OptionGroup var connection: ProbeConnectionOptions
    @Option(name: [.short, .customLong("output")], help: "text, json or yaml.") var output: ProbeFormat = .text
    @Flag(name: [.short, .customLong("verbose")], help: "Print every HTTP exchange (credentials masked) and server notifications.") var verbose = false
    @Flag(help: "Check the server against the spec; exit 6 on deviations.") var strict = false
    @OptionGroup var cluster: ProbeClusterOptions
    @Option(help: "Run the probe N times and print a latency summary.") var `repeat`: Int?
    @Option(help: "Pause between repeated probes, e.g. 100ms or 1s.") var interval: String = "0s"
    @Option(help: "Repeated probes in flight at once.") var concurrency: Int = 1

    func validate() throws {
        if args != nil && !argPairs.isEmpty { throw ValidationError("use --args JSON or --arg k=v, not both") }
        if (args != nil || !argPairs.isEmpty) && call == nil { throw ValidationError("--args/--arg need --call TOOL") }
        if params != nil && method == nil { throw ValidationError("--params needs --method") }
        if let n = `repeat`, n < 1 || n > 1_000_000 { throw ValidationError("--repeat must be 1 to 1000000") }
        if concurrency < 1 || concurrency > 256 { throw ValidationError("--concurrency must be 1 to 256") }
        _ = try ProbeArguments.duration(interval, flag: "--interval")
        if ProbeClusterOptions.gatewayName(url) != nil { return }
        guard let u = URL(string: url), ["http", "https"].contains(u.scheme ?? ""), u.host != nil else {
            throw ValidationError("\"\(url)\" is not an http(s) URL")
        }
    }

    func run() async throws {
        let url = try await cluster.resolve(url)
        var options = ProbeOptions(url: url)
        options.era = era
        options.transport = transport
        options.listResources = resources
        options.listPrompts = prompts
        options.callTool = call
        options.callArguments = try ProbeArguments.toolArguments(json: args, pairs: argPairs)
        options.method = method
        options.methodParams = try params.map { try ProbeArguments.json($0, flag: "--params") }
        options.strict = strict
        options.credential = try credentials.credential()
        var transportOptions = try connection.transportOptions(url: url)
        if let header = credentials.apiKeyHeader { transportOptions.sensitiveHeaders.insert(header.lowercased()) }
        do { try HTTPTransport.check(transportOptions) } catch { throw CLIError.usage(error.description) }
        if verbose { transportOptions.trace = { Output.stderr($0) } }
        var observer: MessageObserver?
        if verbose {
            observer = { (message: JSONRPCMessage) in Output.stderr("~ " + message.serialized()) }
        }
        let probe = Probe(options: options, transportOptions: transportOptions, observer: observer)

        if let count = `repeat` {
            let pause = try ProbeArguments.duration(interval, flag: "--interval")
            let summary = await RepeatedProbe.run(probe, count: count, concurrency: concurrency, interval: pause)
            ProbeReport.printSummary(summary, url: url, format: output)
            if !summary.errors.isEmpty {
                // Every run failed the same way: that class's code; a mix is 1.
                if summary.latencies.isEmpty, summary.errors.count == 1, let code = summary.exitCodes.first { throw ExitCode(code) }
                throw ExitCode(1)
            }
            return
        }
        let result = await probe.run()
        ProbeReport.print(result, format: output)
        if let error = result.error {
            Output.error(error.description)
            throw ExitCode(error.exitCode)
        }
        if strict && !result.warnings.isEmpty { throw ExitCode(6) }
    }
}

enum ProbeFormat: String, ExpressibleByArgument, CaseIterable { case text, json, yaml }

extension EraPreference: ExpressibleByArgument {}
extension MCPTransportKind: ExpressibleByArgument {}

/// `--api-key`, `--api-key-file`, `$AGENTGW_API_KEY`, `--api-key-header`.
struct ProbeCredentialOptions: ParsableArguments {
    @Option(name: .customLong("api-key"), help: "Send Authorization: Bearer KEY (or in --api-key-header).") var apiKey: String?
    @Option(name: .customLong("api-key-file"), help: "Read the key from a file (first line).") var apiKeyFile: String?
    @Option(name: .customLong("api-key-header"), help: "Send the raw key in this header instead of Authorization: Bearer.") var apiKeyHeader: String?

    func credential() throws -> (name: String, value: String)? {
        var key = apiKey
        if key == nil, let file = apiKeyFile {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CLIError.usage("--api-key-file: cannot read \(file)") }
            key = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        }
        if key == nil, let env = ProcessInfo.processInfo.environment["AGENTGW_API_KEY"], !env.isEmpty { key = env }
        guard let key else { return nil }
        if key.isEmpty { throw CLIError.usage("the API key is empty") }
        if let header = apiKeyHeader { return (header, key) }
        return ("Authorization", "Bearer \(key)")
    }
}

/// `-H`, TLS, timeout and proxy.
struct ProbeConnectionOptions: ParsableArguments {
    @Option(name: [.customShort("H"), .customLong("header")], help: ArgumentHelp("An extra request header 'Name: value'; repeatable.", valueName: "header")) var headers: [String] = []
    @Option(help: "CA certificate (PEM) to trust.") var cacert: String?
    @Option(help: "Client certificate (PEM).") var cert: String?
    @Option(help: "Client key (PEM).") var key: String?
    @Flag(name: .customLong("insecure-skip-tls-verify"), help: "Don't verify the server's certificate.") var insecure = false
    @Option(help: "Timeout per step, e.g. 15s or 500ms.") var timeout: String = "15s"
    @Option(help: "HTTP proxy URL (default: $HTTPS_PROXY / $HTTP_PROXY).") var proxy: String?

    func transportOptions(url: String) throws -> TransportOptions {
        var o = TransportOptions()
        o.timeout = try ProbeArguments.duration(timeout, flag: "--timeout")
        o.headers = try headers.map { h in
            guard let colon = h.firstIndex(of: ":") else { throw CLIError.usage("-H \"\(h.prefix(40))\": expected 'Name: value'") }
            return (String(h[..<colon]).trimmingCharacters(in: .whitespaces), String(h[h.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
        o.caFile = cacert
        o.certFile = cert
        o.keyFile = key
        o.insecureSkipTLSVerify = insecure
        let env = ProcessInfo.processInfo.environment
        o.proxy = proxy ?? (Self.bypassesProxy(url, noProxy: env["NO_PROXY"] ?? env["no_proxy"] ?? "") ? nil
            : env["HTTPS_PROXY"] ?? env["https_proxy"] ?? env["HTTP_PROXY"] ?? env["http_proxy"])
        return o
    }

    /// NO_PROXY (comma-separated hosts or .domains, `*` for all), and loopback, skip the
    /// environment's proxy, as curl does.
    static func bypassesProxy(_ url: String, noProxy: String) -> Bool {
        guard let host = URL(string: url)?.host?.lowercased() else { return false }
        if ["localhost", "127.0.0.1", "::1"].contains(host) { return true }
        for entry in noProxy.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !entry.isEmpty {
            if entry == "*" || host == entry || host.hasSuffix(entry.hasPrefix(".") ? entry : "." + entry) { return true }
        }
        return false
    }
}

enum ProbeArguments {
    static func json(_ text: String, flag: String) throws -> JSONValue {
        do { return try JSONValue.parse(text) } catch { throw CLIError.usage("\(flag): not JSON: \(error)") }
    }

    static func toolArguments(json text: String?, pairs: [String]) throws -> JSONValue {
        if let text {
            let value = try json(text, flag: "--args")
            guard value.object != nil else { throw CLIError.usage("--args must be a JSON object") }
            return value
        }
        var object = JSONObject([])
        for pair in pairs {
            guard let eq = pair.firstIndex(of: "=") else { throw CLIError.usage("--arg \"\(pair)\": expected key=value") }
            let raw = String(pair[pair.index(after: eq)...])
            // JSON when it parses (numbers, booleans, objects), else the plain string.
            object[String(pair[..<eq])] = (try? JSONValue.parse(raw)) ?? .string(raw)
        }
        return .object(object)
    }

    /// `500ms`, `15s`, `2m`, or a plain number of seconds.
    static func duration(_ text: String, flag: String) throws -> Duration {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let v = Double(text.dropLast(suffix.count)), v >= 0 { return .milliseconds(Int64(v * scale * 1000)) }
        }
        if let v = Double(text), v >= 0 { return .milliseconds(Int64(v * 1000)) }
        throw CLIError.usage("\(flag): \"\(text)\" is not a duration like 500ms, 15s or 2m")
    }
}

/// `probe gateway/NAME`: where to find the Gateway. Only the flags that don't clash with the
/// probe's own (its --insecure-skip-tls-verify is about the MCP endpoint).
struct ProbeClusterOptions: ParsableArguments {
    @Option(name: .customLong("kubeconfig"), help: ArgumentHelp("gateway/NAME: the kubeconfig file.", valueName: "path")) var kubeconfig: String?
    @Option(name: .customLong("context"), help: ArgumentHelp("gateway/NAME: the kubeconfig context.", valueName: "name")) var context: String?
    @Option(name: [.short, .customLong("namespace")], help: ArgumentHelp("gateway/NAME: the Gateway's namespace.", valueName: "namespace")) var namespace: String?

    /// NAME of `gateway/NAME` (also `gateways/`, `gw/`, `gateway.gateway.networking.k8s.io/`).
    static func gatewayName(_ target: String) -> String? {
        let parts = target.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty, !parts[0].contains(":"), DisplayKind.parse(parts[0]) == .gateway else { return nil }
        return parts[1]
    }

    /// The URL to probe: `target` itself, or the one `gateway/NAME` leads to in the cluster.
    func resolve(_ target: String) async throws -> String {
        guard let name = Self.gatewayName(target) else { return target }
        var overrides = ConfigOverrides()
        overrides.kubeconfig = kubeconfig
        overrides.context = context
        overrides.namespace = namespace
        let config: ClientConfig
        do { config = try ClientConfig.load(overrides) } catch { throw CLIError(error.message) }
        let client: KubeClient
        do { client = try KubeClient(config: config) } catch { throw CLIError(String(describing: error)) }
        let snapshot: ClusterSnapshot
        do {
            snapshot = try await ClusterFetch.snapshot(client, namespace: config.namespace, required: [.gateway, .route])
            try? await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
        do {
            let resolved = try ProbeTarget.resolve(gateway: name, namespace: config.namespace, in: snapshot)
            Output.stderr("probing \(resolved.url) (Gateway \(config.namespace)/\(name), HTTPRoute \(resolved.route))")
            return resolved.url
        } catch {
            throw CLIError(error.message)
        }
    }
}
