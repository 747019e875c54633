import ArgumentParser
import AgentGWModel

/// `create sample-server NAME`: the tutorial's mcp-server.yaml, running our own sample server.
struct CreateSampleServer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample-server",
        abstract: "Create the Deployment and Service of a sample MCP server (the tutorial's mcp-server.yaml).",
        discussion: """
        Prints a Deployment NAME and a Service NAME-server with the tutorial's
        labels and ports, running 'kubectl-agentgw sample-server' (tools echo,
        add, time, fetch; both MCP eras) from the kubectl-agentgw image, so the
        tutorial works with this tool alone. The tutorial's Backend then points
        at NAME-server.NAMESPACE.svc.cluster.local:PORT with path /mcp.
        Examples:
          kubectl agentgw create sample-server demo-mcp | kubectl apply -f -
          kubectl agentgw create sample-server demo-mcp --port 9000 -n tools
        """
    )

    @Argument(help: "Name of the Deployment (the Service is NAME-server).") var name: String
    @Option(help: "Port the server listens on and the Service exposes.") var port: Int = 8000
    @Option(help: ArgumentHelp("Image with kubectl-agentgw as its entrypoint.", valueName: "image"))
    var image: String = InstallBundle.defaultImage(version: AgentGWVersion.current)
    @Option(name: .customLong("service-name"), help: "Name of the Service (default NAME-server).") var serviceName: String?
    @Option(help: "Number of replicas.") var replicas: Int = 1
    @OptionGroup var namespace: NamespaceOptions
    @OptionGroup var output: CreateOutputOptions

    func run() throws {
        var options = SampleServerGenerator.Options(name: name, image: image)
        options.namespace = namespace.namespace
        options.port = port
        options.serviceName = serviceName
        options.replicas = replicas
        let objects = try generate { () throws(GeneratorError) in try SampleServerGenerator.objects(options) }
        output.print(objects)
    }
}
