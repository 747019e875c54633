import Foundation
import Testing
import AgentGWModel

/// version, install crds, completion, and kubectl's plugin discovery with the real kubectl.
@Suite struct PluginCommandTests {
    @Test func helpListsTheCommands() throws {
        let r = try CLI.run(["--help"])
        #expect(r.status == 0)
        for command in ["create", "validate", "install", "completion", "version"] {
            #expect(r.stdout.contains(command), "help lacks \(command)")
        }
        #expect(!r.stdout.contains("__complete"))
    }

    @Test func versionInTextAndJSON() throws {
        let text = try CLI.run(["version"])
        #expect(text.status == 0)
        #expect(text.stdout.hasPrefix("kubectl-agentgw "))
        let json = try CLI.run(["version", "-o", "json"])
        let doc = try YAMLReader.read(json.stdout, file: "v")[0]
        #expect(doc["crdAPIVersion"]?.string == "agentgateway.alibabacloud.com/v1alpha1")
        #expect(text.stdout.contains(doc["version"]?.string ?? "?"))
    }

    @Test func installCRDsPrintsTwoCRDsAndTheGatewayClass() throws {
        let r = try CLI.run(["install", "crds"])
        #expect(r.status == 0)
        let docs = try YAMLReader.read(r.stdout, file: "crds").filter { !$0.isNull }
        let names = docs.map { "\($0["kind"]?.string ?? "")/\($0["metadata"]?["name"]?.string ?? "")" }
        #expect(names == ["CustomResourceDefinition/backends.agentgateway.alibabacloud.com",
                          "CustomResourceDefinition/trafficpolicies.agentgateway.alibabacloud.com",
                          "GatewayClass/ack-agent-gateway"])
        let v = try CLI.run(["validate", "--strict", "-f", "-"], stdin: r.stdout)
        #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
        let json = try CLI.run(["install", "crds", "-o", "json"])
        let list = try YAMLReader.read(json.stdout, file: "json")[0]
        #expect(list["items"]?.array?.count == 3)
    }

    @Test func installCRDsPassesKubernetesValidate() throws {
        let tool = try #require(Self.kubernetesValidate, "kubernetes-validate not found: run ./install.sh --test, or set KUBERNETES_VALIDATE")
        let dir = try CLI.tempDir()
        let path = dir.appendingPathComponent("crds.yaml").path
        try CLI.run(["install", "crds"]).stdout.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CLI.run(["--strict", "--kubernetes-version", "1.32", path], executable: URL(fileURLWithPath: tool))
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("INFO") || r.stderr.contains("INFO"), "\(r.stdout)\(r.stderr)")
        #expect(!(r.stdout + r.stderr).contains("ERROR"))
    }

    static var kubernetesValidate: String? {
        let env = ProcessInfo.processInfo.environment
        var candidates = [env["KUBERNETES_VALIDATE"]].compactMap { $0 }
        if let peers = env["PEERS_HOME"] { candidates.append("\(peers)/tools/bin/kubernetes-validate") }
        candidates.append(CLI.repoRoot.appendingPathComponent(".build-peers/tools/bin/kubernetes-validate").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func committedCompletionScriptsMatchTheBinary(_ shell: String) throws {
        let r = try CLI.run(["completion", shell])
        #expect(r.status == 0)
        let file = ["bash": "kubectl-agentgw.bash", "zsh": "_kubectl-agentgw", "fish": "kubectl-agentgw.fish"][shell] ?? ""
        let committed = try String(contentsOf: CLI.repoRoot.appendingPathComponent("completions/\(file)"), encoding: .utf8)
        #expect(committed == r.stdout, "completions/\(file) is stale: regenerate with scripts/generate-completions.sh")
    }

    @Test func kubectlCompletionContract() throws {
        let script = CLI.repoRoot.appendingPathComponent("completions/kubectl_complete-agentgw")
        #expect(FileManager.default.isExecutableFile(atPath: script.path))
        let env = ["PATH": CLI.binary.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")]
        let top = try CLI.run([""], executable: script, environment: env)
        #expect(top.status == 0)
        #expect(top.stdout.split(separator: "\n").contains("validate"))
        #expect(top.stdout.hasSuffix(":4\n"))
        let sub = try CLI.run(["create", "tr"], executable: script, environment: env)
        #expect(sub.stdout == "trafficpolicy\n:4\n")
        let flag = try CLI.run(["validate", "--str"], executable: script, environment: env)
        #expect(flag.stdout == "--strict\n:4\n")
        let value = try CLI.run(["validate", "-o", ""], executable: script, environment: env)
        #expect(value.stdout == "text\njson\n:4\n")
        let files = try CLI.run(["validate", "-f", ""], executable: script, environment: env)
        #expect(files.stdout == ":0\n")
    }

    /// kubectl finds `kubectl-agentgw` on PATH and runs it as `kubectl agentgw`.
    @Test func realKubectlRunsThePlugin() throws {
        let kubectl = try #require(["/usr/local/bin/kubectl", "/usr/bin/kubectl"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                   "kubectl is not installed")
        let env = ["PATH": CLI.binary.deletingLastPathComponent().path + ":/usr/local/bin:/usr/bin:/bin", "KUBECONFIG": "/dev/null"]
        let help = try CLI.run(["agentgw", "--help"], executable: URL(fileURLWithPath: kubectl), environment: env)
        #expect(help.status == 0, "\(help.stderr)")
        #expect(help.stdout.contains("MCP service gateway"))
        let version = try CLI.run(["agentgw", "version"], executable: URL(fileURLWithPath: kubectl), environment: env)
        #expect(version.stdout.hasPrefix("kubectl-agentgw "))
        let list = try CLI.run(["plugin", "list"], executable: URL(fileURLWithPath: kubectl), environment: env)
        #expect(list.stdout.contains("kubectl-agentgw"), "\(list.stdout)\(list.stderr)")
        let create = try CLI.run(["agentgw", "create", "gateway", "g", "-n", "apps"], executable: URL(fileURLWithPath: kubectl), environment: env)
        #expect(create.stdout.contains("namespace: apps"))
    }
}
