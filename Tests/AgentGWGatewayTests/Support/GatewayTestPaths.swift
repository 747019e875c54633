import Foundation

/// Locates ../shared (the seed manifests and the Gateway API conformance manifests).
/// `AGENTGW_SHARED` overrides; otherwise it is the sibling of the repository.
enum GatewayTestPaths {
    static var root: URL {
        if let env = ProcessInfo.processInfo.environment["AGENTGW_SHARED"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    static var repoRoot: URL {
        // Tests/AgentGWGatewayTests/Support/GatewayTestPaths.swift → repository root
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// Every .yaml/.yml/.json file under a folder, sorted.
    static func files(under relative: String) -> [URL] {
        let base = url(relative)
        guard let e = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { $0 as? URL }
            .filter { ["yaml", "yml", "json"].contains($0.pathExtension) }
            .sorted { $0.path < $1.path }
    }
}
