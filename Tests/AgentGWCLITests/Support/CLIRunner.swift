import Foundation

/// Runs the built `kubectl-agentgw` binary as a user would, and captures what it printed.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CLI {
    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `AGENTGW_BINARY`, else the debug build next to the tests.
    static var binary: URL {
        if let env = ProcessInfo.processInfo.environment["AGENTGW_BINARY"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return repoRoot.appendingPathComponent(".build/debug/kubectl-agentgw")
    }

    static var sharedRoot: URL {
        if let env = ProcessInfo.processInfo.environment["AGENTGW_SHARED"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    static func shared(_ relative: String) -> String { sharedRoot.appendingPathComponent(relative).path }

    @discardableResult
    static func run(_ arguments: [String], stdin: String? = nil, executable: URL? = nil,
                    environment: [String: String] = [:]) throws -> CLIResult {
        try run(arguments, stdinData: stdin.map { Data($0.utf8) }, executable: executable, environment: environment)
    }

    static func run(_ arguments: [String], stdinData: Data?, executable: URL? = nil,
                    environment: [String: String] = [:]) throws -> CLIResult {
        let process = Process()
        process.executableURL = executable ?? binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        // Read both pipes concurrently so a full pipe never blocks the child.
        nonisolated(unsafe) var outData = Data(), errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if let stdinData { try? input.fileHandleForWriting.write(contentsOf: stdinData) }
        try? input.fileHandleForWriting.close()
        group.wait()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary folder for one test.
    static func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentgw-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
