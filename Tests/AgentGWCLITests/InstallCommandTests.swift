import Foundation
import Testing
import AgentGWModel

/// `install -o`, `install crds` and `create sample-server` through the real binary, checked
/// with kubernetes-validate (the built-in kinds) and our own validator (the rest).
@Suite struct InstallCommandTests {
    func docs(_ text: String) throws -> [Node] {
        try YAMLReader.read(text, file: "stdout").filter { !$0.isNull }.map(\.withoutMarks)
    }

    @Test func installPrintsTheBundle() throws {
        let r = try CLI.run(["install", "-o", "yaml", "--image", "registry.example.com/agentgw:v1", "--replicas", "3"])
        #expect(r.status == 0, "\(r.stderr)")
        let objects = try docs(r.stdout)
        let kinds = objects.map { $0["kind"]?.string ?? "" }
        #expect(kinds == ["CustomResourceDefinition", "CustomResourceDefinition", "GatewayClass", "Namespace", "ServiceAccount",
                          "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Secret", "Deployment"])
        let deployment = try #require(objects.last)
        #expect(deployment["spec"]?["replicas"]?.int == 3)
        #expect(deployment["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.string == "registry.example.com/agentgw:v1")
        // The CRDs are exactly what `install crds` prints.
        let crds = try docs(try CLI.run(["install", "crds"]).stdout)
        #expect(Array(objects.prefix(3)) == crds)
        // The default image is tagged with the plugin's version.
        let version = try CLI.run(["version", "-o", "json"])
        let v = try YAMLReader.read(version.stdout, file: "v")[0]["version"]?.string ?? "?"
        let plain = try docs(try CLI.run(["install", "-o", "yaml", "--skip-crds"]).stdout)
        #expect(plain.count == 8)
        #expect(plain.last?["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.string == "ghcr.io/agentgw/kubectl-agentgw:v\(v)")
    }

    @Test func installYAMLAndJSONAgreeExceptTheKey() throws {
        let yaml = try docs(try CLI.run(["install", "-o", "yaml"]).stdout)
        let json = try CLI.run(["install", "-o", "json"])
        #expect(json.status == 0)
        let list = try YAMLReader.read(json.stdout, file: "json")[0]
        #expect(list["kind"]?.string == "List")
        let items = list["items"]?.array?.map(\.withoutMarks) ?? []
        #expect(items.count == yaml.count)
        for (a, b) in zip(yaml, items) where a["kind"]?.string != "Secret" { #expect(a == b) }
        let keyA = yaml.first { $0["kind"]?.string == "Secret" }?["data"]?["session.key"]?.string
        let keyB = items.first { $0["kind"]?.string == "Secret" }?["data"]?["session.key"]?.string
        #expect(keyA != nil && keyA != keyB, "every printed bundle has a fresh session key")
        let names = try CLI.run(["install", "-o", "name"])
        #expect(names.stdout.split(separator: "\n").last == "deployment.apps/agentgw")
    }

    @Test func installOutputPassesKubernetesValidateStrict() throws {
        let tool = try #require(PluginCommandTests.kubernetesValidate ?? Self.mainWorktreeValidate,
                                "kubernetes-validate not found: run ./install.sh --test, or set KUBERNETES_VALIDATE")
        let dir = try CLI.tempDir()
        let path = dir.appendingPathComponent("install.yaml").path
        try CLI.run(["install", "-o", "yaml"]).stdout.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CLI.run(["--strict", "--kubernetes-version", "1.32", path], executable: URL(fileURLWithPath: tool))
        let out = r.stdout + r.stderr
        #expect(r.status == 0, "\(out)")
        #expect(!out.contains("ERROR"), "\(out)")
        for resource in ["namespace/ack-agent-gateway", "serviceaccount/agentgw", "clusterrole/agentgw", "clusterrolebinding/agentgw",
                         "role/agentgw", "rolebinding/agentgw", "secret/agentgw-session-key", "deployment/agentgw"] {
            #expect(out.contains("passed for resource \(resource)"), "\(resource) was not validated:\n\(out)")
        }
        // Our own validator takes the whole bundle, including the GatewayClass.
        let v = try CLI.run(["validate", "--strict", "-f", path])
        #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
    }

    /// A sibling worktree's peers (helpers work in worktrees next to `main`).
    static var mainWorktreeValidate: String? {
        let p = CLI.repoRoot.deletingLastPathComponent().appendingPathComponent("main/.build-peers/tools/bin/kubernetes-validate").path
        return FileManager.default.isExecutableFile(atPath: p) ? p : nil
    }

    @Test func badFlagsAreOneLineErrors() throws {
        let image = try CLI.run(["install", "-o", "yaml", "--image", "Not An Image"])
        #expect(image.status == 2)
        #expect(image.stderr.hasPrefix("error: --image: "), "\(image.stderr)")
        #expect(image.stdout.isEmpty)
        let replicas = try CLI.run(["install", "-o", "yaml", "--replicas", "0"])
        #expect(replicas.status == 2)
        #expect(replicas.stderr.split(separator: "\n").count == 1, "\(replicas.stderr)")
    }

    @Test func createSampleServerMatchesTheTutorialShape() throws {
        let r = try CLI.run(["create", "sample-server", "demo-mcp"])
        #expect(r.status == 0, "\(r.stderr)")
        let generated = try docs(r.stdout)
        let tutorial = try docs(try String(contentsOfFile: CLI.shared("seed/manifests/mcp-server.yaml"), encoding: .utf8))
        #expect(generated.map { "\($0["kind"]?.string ?? "")/\($0["metadata"]?["name"]?.string ?? "")" }
                == tutorial.map { "\($0["kind"]?.string ?? "")/\($0["metadata"]?["name"]?.string ?? "")" })
        #expect(generated[1] == tutorial[1], "the Service is the tutorial's")
        #expect(generated[0]["spec"]?["selector"] == tutorial[0]["spec"]?["selector"])
        let container = generated[0]["spec"]?["template"]?["spec"]?["containers"]?[0]
        #expect(container?["args"]?.array?.first?.string == "sample-server")
        // The flags it passes are the sample server's real flags.
        let help = try CLI.run(["sample-server", "--help"])
        for flag in (container?["args"]?.array ?? []).compactMap(\.string) where flag.hasPrefix("--") {
            #expect(help.stdout.contains(flag), "sample-server has no \(flag)")
        }
        // Valid, and applyable through the tutorial's own Backend (host demo-mcp-server, port 8000).
        let v = try CLI.run(["validate", "--strict", "-f", "-"], stdin: r.stdout)
        #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
        let json = try CLI.run(["create", "sample-server", "tools", "--port", "9000", "-n", "mcp", "-o", "json"])
        let list = try YAMLReader.read(json.stdout, file: "j")[0]
        #expect(list["items"]?[1]?["metadata"]?["name"]?.string == "tools-server")
        #expect(list["items"]?[1]?["spec"]?["ports"]?[0]?["port"]?.int == 9000)
        let bad = try CLI.run(["create", "sample-server", "Bad_Name"])
        #expect(bad.status == 2 && bad.stderr.hasPrefix("error: NAME"), "\(bad.stderr)")
    }

    @Test func sampleServerOutputPassesKubernetesValidate() throws {
        let tool = try #require(PluginCommandTests.kubernetesValidate ?? Self.mainWorktreeValidate, "kubernetes-validate not found")
        let dir = try CLI.tempDir()
        let path = dir.appendingPathComponent("server.yaml").path
        try CLI.run(["create", "sample-server", "demo-mcp"]).stdout.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CLI.run(["--strict", "--kubernetes-version", "1.32", path], executable: URL(fileURLWithPath: tool))
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect((r.stdout + r.stderr).contains("passed for resource deployment/demo-mcp"))
    }
}
