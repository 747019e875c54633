import ArgumentParser
import AgentGWModel

/// `install crds`: print our CRDs and the GatewayClass.
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Print what a cluster needs before the gateway's resources apply.",
        subcommands: [InstallCRDs.self]
    )
}

struct InstallCRDs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crds",
        abstract: "Print the Backend and TrafficPolicy CRDs and the ack-agent-gateway GatewayClass.",
        discussion: """
        The same text the validator reads its schemas from. Apply it with:
          kubectl agentgw install crds | kubectl apply --server-side -f -
        The Gateway API CRDs (v1.3.0 or later) must be installed too.
        """
    )

    @Option(name: [.short, .customLong("output")], help: "yaml or json.") var output: ObjectFormat = .yaml

    func run() throws {
        switch output {
        case .yaml:
            Output.stdoutRaw(AgentGatewayCRDs.yaml)
        case .json, .name:
            let docs: [Node]
            do { docs = try YAMLReader.read(AgentGatewayCRDs.yaml, file: "crds") } catch { throw CLIError(error.description) }
            CreateOutputOptions(output: output).print(docs.filter { !$0.isNull })
        }
    }
}

extension CreateOutputOptions {
    init(output: ObjectFormat) {
        self.init()
        self.output = output
    }
}
