import ArgumentParser
import AgentGWModel

/// `create gateway NAME`: the traffic entry point.
struct CreateGateway: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Create a Gateway: the entry point, with one listener.",
        discussion: "Example: kubectl agentgw create gateway test-mcp-gateway --port 80"
    )

    @Argument(help: "Name of the Gateway.") var name: String
    @Option(name: .customLong("class"), help: "gatewayClassName.") var className: String = AgentGateway.defaultGatewayClass
    @Option(help: "Listener port.") var port: Int = 80
    @Option(name: .customLong("protocol"), help: "Listener protocol: HTTP or HTTPS.") var listenerProtocol: String = "HTTP"
    @Option(name: .customLong("listener-name"), help: "Listener name.") var listenerName: String = "http"
    @Option(name: .customLong("allowed-routes"), help: "Which namespaces' routes may attach: Same or All.") var allowedRoutes: String = "Same"
    @OptionGroup var namespace: NamespaceOptions
    @OptionGroup var output: CreateOutputOptions

    func run() throws {
        let gw = try generate { () throws(GeneratorError) in
            try Generators.gateway(name: name, namespace: namespace.namespace, className: className, port: port,
                                   protocol: listenerProtocol, listenerName: listenerName, allowedRoutes: allowedRoutes)
        }
        output.print([gw])
    }
}
