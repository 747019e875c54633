import ArgumentParser
import AgentGWModel

/// `create backend NAME`: one Backend with one or more MCP targets.
struct CreateBackend: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backend",
        abstract: "Create a Backend: where an MCP server is.",
        discussion: """
        Give one target with --host/--port (or --service NAME[.NS]:PORT),
        or several with repeated
          --target name=N,host=H,port=P[,path=/p][,protocol=StreamableHTTP|SSE]
        Examples:
          kubectl agentgw create backend test-mcp \\
            --service demo-mcp-server:8000
          kubectl agentgw create backend tools \\
            --target name=fetch,host=fetch.default.svc,port=8000 \\
            --target name=search,host=search.tools.svc,port=9000,protocol=SSE
        """
    )

    @Argument(help: "Name of the Backend.") var name: String
    @Option(help: "Host of the single target.") var host: String?
    @Option(help: "Port of the single target.") var port: Int?
    @Option(help: "MCP path of the single target (default /mcp, or /sse for SSE).") var path: String?
    @Option(name: .customLong("protocol"), help: "StreamableHTTP or SSE.") var transport: String = "StreamableHTTP"
    @Option(help: "Service as NAME[.NAMESPACE]:PORT; fills in the cluster FQDN.") var service: String?
    @Option(name: .customLong("target-name"), help: "Name of the single target.") var targetName: String = "mcp-target"
    @Option(name: .customLong("target"), help: ArgumentHelp("A target as name=..,host=..,port=..[,path=..][,protocol=..]; repeatable.", valueName: "spec"))
    var targets: [String] = []
    @OptionGroup var namespace: NamespaceOptions
    @OptionGroup var output: CreateOutputOptions

    func run() throws {
        let specs = try Self.targets(host: host, port: port, path: path, transport: transport, service: service,
                                     targetName: targetName, targets: targets, namespace: namespace.namespace)
        let backend = try generate { () throws(GeneratorError) in try Generators.backend(name: name, namespace: namespace.namespace, targets: specs) }
        output.print([backend])
    }

    /// The targets from the flags: exactly one of --host/--port, --service, or --target.
    static func targets(host: String?, port: Int?, path: String?, transport: String, service: String?,
                        targetName: String, targets: [String], namespace: String?) throws -> [Generators.TargetSpec] {
        let modes = [host != nil || port != nil, service != nil, !targets.isEmpty].filter { $0 }.count
        guard modes == 1 else {
            throw ValidationError("give exactly one of --host/--port, --service, or --target")
        }
        return try generate { () throws(GeneratorError) -> [Generators.TargetSpec] in
            if !targets.isEmpty {
                return try targets.map { (t) throws(GeneratorError) in try Generators.TargetSpec.parse(t) }
            }
            let proto = try Generators.parseProtocol(transport, flag: "--protocol")
            if let service {
                let addr = try Generators.serviceAddress(service, defaultNamespace: namespace ?? "default")
                return [Generators.TargetSpec(name: targetName, host: addr.host, port: addr.port, path: path, protocol: proto)]
            }
            guard let host, let port else { throw GeneratorError("--host and --port go together") }
            return [Generators.TargetSpec(name: targetName, host: host, port: port, path: path, protocol: proto)]
        }
    }
}
