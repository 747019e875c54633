import ArgumentParser
import AgentGWModel

/// `create`: generate manifests imperatively, ready for `kubectl apply -f -`.
struct CreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Generate Backend, Gateway, HTTPRoute, TrafficPolicy, API key Secret and sample server manifests.",
        discussion: """
        Prints manifests (YAML by default) without contacting a cluster, ready for
        'kubectl apply -f -'. 'create mcp' makes the tutorial's whole set in one command.
        """,
        subcommands: [
            CreateMCP.self, CreateBackend.self, CreateGateway.self, CreateHTTPRoute.self,
            CreateTrafficPolicy.self, CreateAPIKeySecret.self, CreateSampleServer.self,
        ]
    )
}
