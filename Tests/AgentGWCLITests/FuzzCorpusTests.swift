import Foundation
import Testing

/// Every fuzz target replays its seed corpus and the kept regression inputs (crashers found by
/// Fuzz/run.sh, fixed) through the normal build of agentgw-fuzz: none may crash again.
@Suite struct FuzzCorpusTests {
    static let targets = ["yaml", "jsonrpc", "sse", "route", "session", "kubeconfig"]

    @Test(arguments: targets) func corpusAndRegressionsReplayCleanly(_ target: String) throws {
        let fuzz = CLI.repoRoot.appendingPathComponent(".build/debug/agentgw-fuzz")
        let corpus = CLI.repoRoot.appendingPathComponent("Fuzz/corpus/\(target)").path
        let regressions = CLI.repoRoot.appendingPathComponent("Fuzz/regressions/\(target)").path
        let r = try CLI.run([target, corpus, regressions], executable: fuzz)
        #expect(r.status == 0, "\(r.stderr)")
        let count = Int(r.stdout.split(separator: " ").dropFirst().first ?? "") ?? 0
        #expect(count >= 2, "\(r.stdout)")
    }

    @Test func anUnknownTargetIsAUsageError() throws {
        let fuzz = CLI.repoRoot.appendingPathComponent(".build/debug/agentgw-fuzz")
        let r = try CLI.run(["nope"], executable: fuzz)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("usage: agentgw-fuzz"))
    }
}
