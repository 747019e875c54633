import ArgumentParser
import AgentGWModel

/// `version`: the plugin's version and what it speaks.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, yaml }
    @Option(name: [.short, .customLong("output")], help: "text, json or yaml.") var output: Format = .text

    func run() throws {
        let info: Node = [
            "version": .string(AgentGWVersion.current),
            "crdAPIVersion": .string(AgentGateway.apiVersion),
            "gatewayAPIVersion": "v1.6.1",
            "gatewayClass": .string(AgentGateway.defaultGatewayClass),
            "controllerName": .string(AgentGateway.controllerName),
        ]
        switch output {
        case .text: Output.stdout("kubectl-agentgw \(AgentGWVersion.current) (CRDs \(AgentGateway.apiVersion), Gateway API v1.6.1)")
        case .json: Output.stdout(JSONWriter.write(info))
        case .yaml: Output.stdoutRaw(YAMLWriter.write(info))
        }
    }
}
