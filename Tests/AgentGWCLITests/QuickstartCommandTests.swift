import Foundation
import Testing

/// `quickstart` replays the tutorial with no cluster and no Python, and cleans up after itself.
@Suite struct QuickstartCommandTests {
    @Test func replaysTheTutorialAndExitsZero() throws {
        let dir = try CLI.tempDir().appendingPathComponent("qs")
        let r = try CLI.run(["quickstart", "--dir", dir.path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        for line in ["== Step 1: Deploy a sample MCP service", "== Step 2: Create a Gateway and routing rules",
                     "test-mcp-gateway   ack-agent-gateway   127.0.0.1   True", "Tools (4): echo, add, time, fetch",
                     "== Step 4: Add API key authentication",
                     "error: authentication failed (HTTP 401): api key authentication failure   (exit 3)",
                     "--api-key key-value-foo", "the tutorial works end to end"] {
            #expect(r.stdout.contains(line), "missing: \(line)\n\(r.stdout)")
        }
        // The manifests it wrote are the tutorial's and pass validate.
        let v = try CLI.run(["validate", "--strict", "-f", dir.path])
        #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
        #expect(v.stderr.contains("5 object(s)"))
        // Nothing is left listening: the gateway URL it printed no longer answers.
        let url = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("$ kubectl agentgw probe http://") }?
            .split(separator: " ")[4])
        let port = try #require(Int(url.split(separator: ":").last?.split(separator: "/").first ?? ""))
        #expect(!Peer.canConnect(port))
    }
}
