import ArgumentParser
import AgentGWModel

/// `create mcp NAME`: the tutorial's Backend, Gateway and HTTPRoute in one command.
struct CreateMCP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Create a Backend, Gateway and HTTPRoute (and a TrafficPolicy) for one MCP service.",
        discussion: """
        The tutorial's mcp-gateway.yaml in one command:
          kubectl agentgw create mcp test-mcp \\
            --service demo-mcp-server:8000 \\
            --gateway test-mcp-gateway --route route-for-mcp-backend
        With --api-key-secret S it adds a TrafficPolicy requiring a key
        from Secret S; add --generate-keys N to also print that Secret
        with N fresh keys.
        """
    )

    @Argument(help: "Name of the Backend.") var name: String
    @Option(help: "The MCP Service as NAME[.NAMESPACE]:PORT.") var service: String
    @Option(help: "MCP path on the service (default /mcp, or /sse for SSE).") var path: String?
    @Option(name: .customLong("protocol"), help: "StreamableHTTP or SSE.") var transport: String = "StreamableHTTP"
    @Option(name: .customLong("target-name"), help: "Name of the Backend's target.") var targetName: String = "mcp-target"
    @Option(help: "Gateway name (default NAME-gateway).") var gateway: String?
    @Option(name: .customLong("class"), help: "gatewayClassName.") var className: String = AgentGateway.defaultGatewayClass
    @Option(help: "Listener port.") var port: Int = 80
    @Option(help: "HTTPRoute name (default NAME-route).") var route: String?
    @Option(name: .customLong("api-key-secret"), help: "Require an API key from this Secret (adds a TrafficPolicy).") var apiKeySecret: String?
    @Option(name: .customLong("generate-keys"), help: "Also print the API key Secret with N generated keys.") var generateKeys: Int?
    @Option(name: .customLong("rate-limit"), help: "A rate limit for the TrafficPolicy, as in 'create trafficpolicy'.") var rateLimits: [String] = []
    @OptionGroup var namespace: NamespaceOptions
    @OptionGroup var output: CreateOutputOptions

    func validate() throws {
        if generateKeys != nil && apiKeySecret == nil { throw ValidationError("--generate-keys needs --api-key-secret") }
    }

    func run() throws {
        let ns = namespace.namespace
        let gatewayName = gateway ?? "\(name)-gateway"
        let routeName = route ?? "\(name)-route"
        let targets = try CreateBackend.targets(host: nil, port: nil, path: path, transport: transport, service: service,
                                                targetName: targetName, targets: [], namespace: ns)
        var objects = try generate { () throws(GeneratorError) -> [Node] in
            [
                try Generators.backend(name: name, namespace: ns, targets: targets),
                try Generators.gateway(name: gatewayName, namespace: ns, className: className, port: port, protocol: "HTTP", allowedRoutes: "Same"),
                try Generators.httpRoute(name: routeName, namespace: ns, gateway: gatewayName, backend: name, pathPrefix: nil, hostnames: []),
            ]
        }
        if let secret = apiKeySecret {
            if let n = generateKeys {
                let pairs = try CreateAPIKeySecret.keyPairs(keys: [], generate: n)
                objects.insert(try generate { () throws(GeneratorError) in try Generators.apiKeySecret(name: secret, namespace: ns, keys: pairs) }, at: 0)
            }
            objects.append(try generate { () throws(GeneratorError) in
                try Generators.trafficPolicy(name: "\(name)-apikey-auth", namespace: ns, targetRoute: routeName,
                                             apiKeySecret: secret, rateLimits: rateLimits, allowTools: [])
            })
        } else if !rateLimits.isEmpty {
            objects.append(try generate { () throws(GeneratorError) in
                try Generators.trafficPolicy(name: "\(name)-rate-limit", namespace: ns, targetRoute: routeName,
                                             apiKeySecret: nil, rateLimits: rateLimits, allowTools: [])
            })
        }
        output.print(objects)
    }
}
