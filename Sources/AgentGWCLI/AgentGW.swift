import ArgumentParser
import AgentGWModel
#if canImport(Glibc)
import Glibc
#endif

/// `kubectl agentgw`: the root command. kubectl runs the `kubectl-agentgw` binary with the
/// arguments untouched, so every flag (`-n`, `--context`, ...) is parsed here.
public struct AgentGW: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kubectl-agentgw",
        abstract: "An MCP service gateway on the Kubernetes Gateway API.",
        discussion: """
        Generates, checks and serves the four resources of an MCP gateway:
        Backend and TrafficPolicy (\(AgentGateway.apiVersion)), Gateway and
        HTTPRoute (\(GatewayAPI.apiVersion)); applies, diffs, lists and describes
        them in a cluster (apply, diff, get, describe, delete, install); probes MCP
        endpoints; replays the ack-agent-gateway tutorial locally (quickstart).
        Run as a kubectl plugin: kubectl agentgw <command>. Docs: docs/<command>.md.
        """,
        version: AgentGWVersion.current,
        subcommands: [
            CreateCommand.self,
            ValidateCommand.self,
            ApplyCommand.self,
            DiffCommand.self,
            DeleteCommand.self,
            GetCommand.self,
            DescribeCommand.self,
            InstallCommand.self,
            UninstallCommand.self,
            ProbeCommand.self,
            ServeCommand.self,
            SampleServerCommand.self,
            QuickstartCommand.self,
            CompletionCommand.self,
            VersionCommand.self,
            CompleteCommand.self,
        ]
    )

    public init() {}

    /// Runs the command line and exits with kubectl's conventions: 0 ok, 1 failure,
    /// 2 usage errors, or a command's own code (validate, and later probe and diff).
    public static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            Output.error(error.message)
            Glibc.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                Output.error(message(for: error))
                Output.stderr("See 'kubectl agentgw --help' or 'kubectl agentgw <command> --help'.")
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// The version kubectl-agentgw reports.
public enum AgentGWVersion {
    public static let current = "0.1.0"
}
