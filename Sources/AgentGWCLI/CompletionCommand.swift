import ArgumentParser
import AgentGWModel

/// `completion bash|zsh|fish`: shell completion for `kubectl-agentgw`.
struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print a shell completion script (bash, zsh or fish).",
        discussion: """
        For 'kubectl agentgw <TAB>' (kubectl 1.26+), put the kubectl_complete-agentgw
        executable from completions/ on PATH; install.sh does this. For the binary itself:
          source <(kubectl-agentgw completion bash)
        """
    )

    @Argument(help: "bash, zsh or fish.") var shell: String

    func run() throws {
        guard let kind = CompletionShell(rawValue: shell) else {
            throw CLIError.usage("unknown shell \"\(shell)\" (bash, zsh or fish)")
        }
        Output.stdoutRaw(AgentGW.completionScript(for: kind))
    }
}

/// `__complete WORDS... CURRENT`: kubectl's plugin completion contract. kubectl runs
/// `kubectl_complete-agentgw` with the words typed after `agentgw`, the last being the word
/// under the cursor (maybe empty); it prints one candidate per line, then a `:N` directive.
struct CompleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "__complete",
        abstract: "Print completion candidates (used by kubectl_complete-agentgw).",
        shouldDisplay: false
    )

    @Argument(parsing: .allUnrecognized) var words: [String] = []

    func run() throws {
        let result = CompletionEngine(tree: CommandTree.root).complete(words)
        for c in result.candidates { Output.stdout(c) }
        Output.stdout(":\(result.directive)")
    }
}
