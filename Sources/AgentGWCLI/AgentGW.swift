import ArgumentParser
import AgentGWModel

public struct AgentGW: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "kubectl-agentgw")
    public init() {}
}
