import ArgumentParser
import AgentGWModel

/// `create httproute NAME`: Gateway → Backend.
struct CreateHTTPRoute: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "httproute",
        abstract: "Create an HTTPRoute from a Gateway to a Backend.",
        discussion: "Example: kubectl agentgw create httproute route-for-mcp-backend --gateway test-mcp-gateway --backend test-mcp",
        aliases: ["route"]
    )

    @Argument(help: "Name of the HTTPRoute.") var name: String
    @Option(help: "The parent Gateway.") var gateway: String
    @Option(help: "The Backend to route to.") var backend: String
    @Option(name: .customLong("path-prefix"), help: "Match only paths under this prefix.") var pathPrefix: String?
    @Option(name: .customLong("hostname"), help: "A hostname to match; repeatable.") var hostnames: [String] = []
    @OptionGroup var namespace: NamespaceOptions
    @OptionGroup var output: CreateOutputOptions

    func run() throws {
        let route = try generate { () throws(GeneratorError) in
            try Generators.httpRoute(name: name, namespace: namespace.namespace, gateway: gateway, backend: backend,
                                     pathPrefix: pathPrefix, hostnames: hostnames)
        }
        output.print([route])
    }
}
