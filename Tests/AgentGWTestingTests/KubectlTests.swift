import AgentGWModel
import AgentGWTesting
import Foundation
import Testing

/// The real kubectl against the test server, with HOME in a temp dir so nothing is cached in
/// the real home.
struct Kubectl {
    static let path = "/usr/bin/kubectl"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: path) }

    let home: String
    let kubeconfig: String

    init(server: TestAPIServer, token: String? = nil) throws {
        try self.init(config: server.kubeconfig(token: token))
    }

    init(config: String) throws {
        home = Proc.tempDir("kubectl-home")
        kubeconfig = home + "/kubeconfig"
        try config.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
    }

    var env: [String: String] { ["HOME": home, "KUBECONFIG": kubeconfig, "KUBECTL_EXTERNAL_DIFF": ""] }

    func run(_ args: [String]) async throws -> ProcResult {
        try await Proc.run(Self.path, args + ["--request-timeout=20s"], env: env, timeout: 40)
    }
}

@Suite("kubectl against TestAPIServer", .serialized)
struct KubectlTests {
    static var manifests: [String] {
        let dir = Fixtures.sharedRoot + "/seed/manifests"
        return ["mcp-server.yaml", "mcp-gateway.yaml", "mcp-api-key.yaml"].map { dir + "/" + $0 }
    }

    init() {
        if !Kubectl.available { print("kubectl tests skipped: \(Kubectl.path) is absent") }
    }

    @Test("apply --server-side, get, diff (0 then 1), conflict, --force-conflicts, get -w, delete",
          .enabled(if: Kubectl.available, "needs /usr/bin/kubectl"))
    func tutorialFlow() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let kubectl = try Kubectl(server: server)
        defer { try? FileManager.default.removeItem(atPath: kubectl.home) }
        let files = Self.manifests.flatMap { ["-f", $0] }
        try #require(FileManager.default.fileExists(atPath: Self.manifests[0]), "tutorial manifests missing under \(Fixtures.sharedRoot)")

        let apply = try await kubectl.run(["apply", "--server-side", "--validate=false"] + files)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stdout.contains("gateway.gateway.networking.k8s.io/test-mcp-gateway serverside-applied"))
        #expect(apply.stdout.contains("backend.agentgateway.alibabacloud.com/test-mcp serverside-applied"))
        #expect(apply.stdout.contains("deployment.apps/demo-mcp serverside-applied"))
        #expect(apply.stdout.contains("secret/mcp-api-key serverside-applied"))
        let stored = server.object(group: "gateway.networking.k8s.io", plural: "gateways", namespace: "default", name: "test-mcp-gateway")
        #expect(stored?.at("metadata.managedFields.0.manager")?.string == "kubectl")

        let get = try await kubectl.run(["get", "gateways", "-o", "json"])
        #expect(get.status == 0, "\(get.stderr)")
        let list = try #require(try YAMLReader.read(get.stdout, file: "get").first)
        #expect(list["items"]?.array?.first?.at("spec.gatewayClassName")?.string == "ack-agent-gateway")
        #expect(list["items"]?.array?.first?.at("spec.listeners.0.allowedRoutes.namespaces.from")?.string == "Same")

        let same = try await kubectl.run(["diff", "--server-side"] + files)
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")

        let changedDir = Proc.tempDir("changed")
        defer { try? FileManager.default.removeItem(atPath: changedDir) }
        let gatewayText = try String(contentsOfFile: Self.manifests[1], encoding: .utf8)
        let changed = changedDir + "/gateway.yaml"
        try gatewayText.replacingOccurrences(of: "port: 80\n", with: "port: 8080\n").write(toFile: changed, atomically: true, encoding: .utf8)
        let differs = try await kubectl.run(["diff", "--server-side", "-f", changed])
        #expect(differs.status == 1, "\(differs.stderr)")
        #expect(differs.stdout.contains("+    port: 8080\n") && differs.stdout.contains("-    port: 80\n"))

        let conflict = try await kubectl.run(["apply", "--server-side", "--validate=false", "--field-manager=intruder", "-f", changed])
        #expect(conflict.status == 1)
        #expect(conflict.stderr.contains(#"Apply failed with 1 conflict: conflict with "kubectl" using gateway.networking.k8s.io/v1: .spec.listeners[name="http"].port"#), "\(conflict.stderr)")

        let forced = try await kubectl.run(["apply", "--server-side", "--validate=false", "--field-manager=intruder", "--force-conflicts", "-f", changed])
        #expect(forced.status == 0, "\(forced.stderr)")
        let after = server.object(group: "gateway.networking.k8s.io", plural: "gateways", namespace: "default", name: "test-mcp-gateway")
        #expect(after?.at("spec.listeners.0.port")?.int == 8080)
        #expect(after?.at("metadata.generation")?.int == 2)

        // get -w: list, then watch from the list's RV; a change shows up as a new line.
        let watchDir = Proc.tempDir("watch")
        defer { try? FileManager.default.removeItem(atPath: watchDir) }
        let watcher = try Proc.start(Kubectl.path, ["get", "gateways", "-w", "--request-timeout=30s", "-o", "name"], env: kubectl.env, dir: watchDir, name: "watch")
        #expect(await Proc.eventually { server.openWatches == 1 })
        let label = try await kubectl.run(["label", "gateway", "test-mcp-gateway", "seen=yes"])
        #expect(label.status == 0, "\(label.stderr)")
        let sawEvent = await Proc.eventually {
            let text = (try? String(contentsOfFile: watchDir + "/watch.out", encoding: .utf8)) ?? ""
            return text.components(separatedBy: "gateway.gateway.networking.k8s.io/test-mcp-gateway").count >= 3
        }
        #expect(sawEvent)
        if watcher.isRunning { kill(watcher.processIdentifier, SIGTERM) }
        await Proc.wait(watcher, timeout: 10)

        let delete = try await kubectl.run(["delete"] + files)
        #expect(delete.status == 0, "\(delete.stderr)")
        #expect(delete.stdout.contains(#"gateway.gateway.networking.k8s.io "test-mcp-gateway" deleted"#))
        #expect(server.object(group: "gateway.networking.k8s.io", plural: "gateways", namespace: "default", name: "test-mcp-gateway") == nil)
        #expect(server.object(group: "", plural: "secrets", namespace: "default", name: "mcp-api-key") == nil)
    }

    @Test("client-side kubectl apply: create, then a strategic merge patch that keeps what it doesn't mention",
          .enabled(if: Kubectl.available, "needs /usr/bin/kubectl"))
    func clientSideApply() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let kubectl = try Kubectl(server: server)
        defer { try? FileManager.default.removeItem(atPath: kubectl.home) }
        let first = try await kubectl.run(["apply", "--validate=false", "-f", Self.manifests[0]])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("deployment.apps/demo-mcp created"))
        let dir = Proc.tempDir("csa")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = try String(contentsOfFile: Self.manifests[0], encoding: .utf8)
        try text.replacingOccurrences(of: "sample-mcp-server-fetch:v0.2.0", with: "sample-mcp-server-fetch:v0.3.0")
            .write(toFile: dir + "/server.yaml", atomically: true, encoding: .utf8)
        let second = try await kubectl.run(["apply", "--validate=false", "-f", dir + "/server.yaml"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("deployment.apps/demo-mcp configured"))
        #expect(second.stdout.contains("service/demo-mcp-server unchanged"))
        let deployment = server.object(group: "apps", plural: "deployments", namespace: "default", name: "demo-mcp")
        #expect(deployment?.at("spec.template.spec.containers.0.image")?.string?.hasSuffix(":v0.3.0") == true)
        #expect(deployment?.at("spec.template.spec.containers.0.ports.0.containerPort")?.int == 8000)
        #expect(deployment?.at("metadata.generation")?.int == 2)
        #expect(server.requests().contains { $0.method == "PATCH" && $0.header("Content-Type") == "application/strategic-merge-patch+json" })
    }

    @Test("kubectl reports a missing CRD and 422 causes like a real server",
          .enabled(if: Kubectl.available, "needs /usr/bin/kubectl"))
    func errors() async throws {
        var options = TestAPIServerOptions()
        options.agentGatewayCRDs = false
        let server = try await TestAPIServer.start(options)
        defer { Task { try? await server.shutdown() } }
        let kubectl = try Kubectl(server: server)
        defer { try? FileManager.default.removeItem(atPath: kubectl.home) }

        let missing = try await kubectl.run(["apply", "--server-side", "--validate=false", "-f", Self.manifests[1]])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains(#"no matches for kind "Backend" in version "agentgateway.alibabacloud.com/v1alpha1""#), "\(missing.stderr)")
        let getMissing = try await kubectl.run(["get", "backends"])
        #expect(getMissing.stderr.contains(#"the server doesn't have a resource type "backends""#), "\(getMissing.stderr)")

        let dir = Proc.tempDir("invalid")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Fixtures.gateway("gw1", port: 0).write(toFile: dir + "/gw.yaml", atomically: true, encoding: .utf8)
        let invalid = try await kubectl.run(["apply", "--server-side", "--validate=false", "-f", dir + "/gw.yaml"])
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains(#"The Gateway "gw1" is invalid"#) && invalid.stderr.contains("spec.listeners[0].port: Invalid value: 0"), "\(invalid.stderr)")

        try "apiVersion: v1\nkind: Secret\nmetadata: {name: mcp-api-key}\nstringData: {key1: v}\n".write(toFile: dir + "/secret.yaml", atomically: true, encoding: .utf8)
        let dryRun = try await kubectl.run(["apply", "--server-side", "--validate=false", "--dry-run=server", "-f", dir + "/secret.yaml"])
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        #expect(dryRun.stdout.contains("secret/mcp-api-key serverside-applied (server dry run)"))
        #expect(server.object(group: "", plural: "secrets", namespace: "default", name: "mcp-api-key") == nil)
    }

    @Test("kubectl over HTTPS with a bearer token or a client certificate; a wrong token is refused",
          .enabled(if: Kubectl.available, "needs /usr/bin/kubectl"))
    func https() async throws {
        let dir = Proc.tempDir("kubectl-tls")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = try TestPKI.generate(in: dir)
        var options = TestAPIServerOptions()
        options.tls = TestTLS(certificatePath: files.serverCertificate, keyPath: files.serverKey, clientCAPath: files.caCertificate)
        options.auth = .required(tokens: ["s3cret"])
        let server = try await TestAPIServer.start(options)
        defer { Task { try? await server.shutdown() } }

        let good = try Kubectl(server: server, token: "s3cret")
        defer { try? FileManager.default.removeItem(atPath: good.home) }
        let ok = try await good.run(["get", "gateways"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stderr.contains("No resources found"))

        let withCert = try Kubectl(config: server.kubeconfig(token: nil, clientCertificatePath: files.clientCertificate, clientKeyPath: files.clientKey))
        defer { try? FileManager.default.removeItem(atPath: withCert.home) }
        let certOK = try await withCert.run(["get", "namespaces", "-o", "name"])
        #expect(certOK.status == 0, "\(certOK.stderr)")
        #expect(certOK.stdout.contains("namespace/default"))
        #expect(server.requests().last?.authenticatedBy == "client-certificate")

        let bad = try Kubectl(server: server, token: "wrong")
        defer { try? FileManager.default.removeItem(atPath: bad.home) }
        let denied = try await bad.run(["get", "gateways"])
        #expect(denied.status == 1)
        #expect(denied.stderr.contains("Unauthorized") || denied.stderr.contains("must be logged in"), "\(denied.stderr)")
    }
}
