import ArgumentParser
import Foundation

/// The command tree, read from ArgumentParser's own description of the commands
/// (`_dumpHelp`), so completion never drifts from the real flags.
struct CommandTree: Decodable {
    struct Name: Decodable { var kind: String; var name: String }
    struct Argument: Decodable {
        var kind: String
        var names: [Name]?
        var allValues: [String]?
        var shouldDisplay: Bool?
        var valueName: String?
    }

    var commandName: String
    var abstract: String?
    var shouldDisplay: Bool?
    var subcommands: [CommandTree]?
    var arguments: [Argument]?

    static let root: CommandTree = {
        struct Dump: Decodable { var command: CommandTree }
        let json = AgentGW._dumpHelp()
        guard let dump = try? JSONDecoder().decode(Dump.self, from: Data(json.utf8)) else {
            return CommandTree(commandName: "kubectl-agentgw")
        }
        return dump.command
    }()

    func subcommand(_ name: String) -> CommandTree? {
        subcommands?.first { $0.commandName == name }
    }

    func option(named word: String) -> Argument? {
        arguments?.first { arg in
            arg.kind == "option" && (arg.names ?? []).contains { Self.spelling($0) == word }
        }
    }

    static func spelling(_ n: Name) -> String {
        n.kind == "short" ? "-\(n.name)" : (n.kind == "longWithSingleDash" ? "-\(n.name)" : "--\(n.name)")
    }
}

/// Cobra's directives, as kubectl expects them.
struct CompletionResult: Equatable {
    var candidates: [String]
    /// 0: default (files allowed), 4: no file completion.
    var directive: Int
}

struct CompletionEngine {
    var tree: CommandTree

    func complete(_ words: [String]) -> CompletionResult {
        let current = words.last ?? ""
        var command = tree
        var index = 0
        let typed = Array(words.dropLast())
        var expectingValueFor: CommandTree.Argument?
        while index < typed.count {
            let word = typed[index]
            if let option = command.option(named: word) {
                expectingValueFor = index == typed.count - 1 ? option : nil
                index += 2
                continue
            }
            if !word.hasPrefix("-"), let sub = command.subcommand(word) {
                command = sub
            }
            index += 1
        }
        if let option = expectingValueFor {
            if let values = option.allValues { return CompletionResult(candidates: values.filter { $0.hasPrefix(current) }, directive: 4) }
            // -f/--filename and anything else free-form: let the shell complete files.
            return CompletionResult(candidates: [], directive: 0)
        }
        if current.hasPrefix("-") {
            let flags = (command.arguments ?? [])
                .filter { $0.kind != "positional" && $0.shouldDisplay != false }
                .flatMap { ($0.names ?? []).map(CommandTree.spelling) }
            var seen = Set<String>()
            let unique = (flags + ["--help"]).filter { seen.insert($0).inserted }
            return CompletionResult(candidates: unique.filter { $0.hasPrefix(current) }, directive: 4)
        }
        let subs = (command.subcommands ?? []).filter { $0.shouldDisplay != false && $0.commandName != "help" }
        if !subs.isEmpty {
            return CompletionResult(candidates: subs.map(\.commandName).filter { $0.hasPrefix(current) }, directive: 4)
        }
        return CompletionResult(candidates: [], directive: 0)
    }
}
