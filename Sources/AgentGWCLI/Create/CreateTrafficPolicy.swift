import ArgumentParser
import AgentGWModel

/// `create trafficpolicy NAME`: API keys, rate limits and tool rules for a route.
struct CreateTrafficPolicy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trafficpolicy",
        abstract: "Create a TrafficPolicy: API key auth, rate limits, tool rules.",
        discussion: """
        Examples:
          kubectl agentgw create trafficpolicy test-mcp-apikey-auth \\
            --target-route route-for-mcp-backend --api-key-secret mcp-api-key
          kubectl agentgw create trafficpolicy limits --target-route r \\
            --rate-limit 100/minute,burst=20,per=APIKey --allow-tools 'fetch,get_*'
        """,
        aliases: ["policy"]
    )

    @Argument(help: "Name of the TrafficPolicy.") var name: String
    @Option(name: .customLong("target-route"), help: "The HTTPRoute to attach to.") var targetRoute: String
    @Option(name: .customLong("api-key-secret"), help: "Secret whose values are the accepted API keys.") var apiKeySecret: String?
    @Option(name: .customLong("rate-limit"), help: ArgumentHelp("N/second|minute|hour[,burst=B][,per=Client|APIKey|Route][,tool=T]; repeatable.", valueName: "limit"))
    var rateLimits: [String] = []
    @Option(name: .customLong("allow-tools"), help: "Comma-separated tool names or globs to allow (all others denied).") var allowTools: String?
    @Option(name: .customLong("deny-tools"), help: "Comma-separated tool names or globs to deny.") var denyTools: String?
    @OptionGroup var namespace: NamespaceOptions
    @OptionGroup var output: CreateOutputOptions

    func run() throws {
        let policy = try generate { () throws(GeneratorError) in
            try Generators.trafficPolicy(name: name, namespace: namespace.namespace, targetRoute: targetRoute,
                                         apiKeySecret: apiKeySecret, rateLimits: rateLimits,
                                         allowTools: splitList(allowTools), denyTools: splitList(denyTools))
        }
        output.print([policy])
    }
}

/// `a,b, c` → `["a", "b", "c"]`.
func splitList(_ text: String?) -> [String] {
    (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
