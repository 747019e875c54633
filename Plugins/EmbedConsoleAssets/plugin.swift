import Foundation
import PackagePlugin

/// Embeds the console's files (the target's `Assets/` folder: HTML, CSS, JS) into the binary
/// as a generated Swift source, at build time. Every file in the folder is embedded, so a new
/// asset needs no manifest change.
@main
struct EmbedConsoleAssets: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        // `directory` (deprecated) rather than `directoryURL`: the package is on tools 6.0.
        let assets = URL(fileURLWithPath: target.directory.string).appendingPathComponent("Assets")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: assets.path)) ?? []
        let inputs = names.filter { !$0.hasPrefix(".") }.sorted().map { assets.appendingPathComponent($0) }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedConsoleAssets.swift")
        return [.buildCommand(
            displayName: "Embedding \(inputs.count) console assets",
            executable: try context.tool(named: "console-asset-embedder").url,
            arguments: [output.path] + inputs.map(\.path),
            inputFiles: inputs,
            outputFiles: [output])]
    }
}
