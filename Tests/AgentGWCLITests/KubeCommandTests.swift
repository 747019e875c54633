import AgentGWModel
import AgentGWTesting
import Foundation
import Testing

/// `apply`, `diff` and `delete` run as the built binary against a test API server in this
/// process; where it adds value, the real kubectl runs against the same kind of server.
@Suite("apply, diff and delete against the test API server")
struct KubeCommandTests {
    static let tutorial = ["mcp-server.yaml", "mcp-gateway.yaml", "mcp-api-key.yaml"].map { CLI.shared("seed/manifests/\($0)") }
    static var tutorialArgs: [String] { tutorial.flatMap { ["-f", $0] } }
    static let kubectl = "/usr/bin/kubectl"

    static let expectedLines = [
        "secret/mcp-api-key serverside-applied",
        "service/demo-mcp-server serverside-applied",
        "deployment.apps/demo-mcp serverside-applied",
        "backend.agentgateway.alibabacloud.com/test-mcp serverside-applied",
        "gateway.gateway.networking.k8s.io/test-mcp-gateway serverside-applied",
        "httproute.gateway.networking.k8s.io/route-for-mcp-backend serverside-applied",
        "trafficpolicy.agentgateway.alibabacloud.com/test-mcp-apikey-auth serverside-applied",
    ]

    /// A server, a kubeconfig for it in a temp HOME, and the env to run commands with.
    struct Env {
        var server: TestAPIServer
        var dir: URL
        var kubeconfig: String { dir.appendingPathComponent("kubeconfig").path }
        var environment: [String: String] { ["KUBECONFIG": kubeconfig, "HOME": dir.path, "KUBECTL_EXTERNAL_DIFF": ""] }

        func run(_ args: [String], stdin: String? = nil, env extra: [String: String] = [:]) throws -> CLIResult {
            try CLI.run(args + ["--request-timeout", "20s"], stdin: stdin, environment: environment.merging(extra) { $1 })
        }

        func kubectl(_ args: [String]) throws -> CLIResult {
            try CLI.run(args + ["--request-timeout=20s"], executable: URL(fileURLWithPath: KubeCommandTests.kubectl), environment: environment)
        }

        func exists(_ group: String, _ plural: String, _ name: String, namespace: String? = "default") -> Bool {
            server.object(group: group, plural: plural, namespace: namespace, name: name) != nil
        }
    }

    func withEnv(_ options: TestAPIServerOptions = .init(), _ body: (Env) async throws -> Void) async throws {
        let server = try await TestAPIServer.start(options)
        let dir = try CLI.tempDir()
        do {
            try Data(server.kubeconfig(token: nil).utf8).write(to: dir.appendingPathComponent("kubeconfig"))
            try await body(Env(server: server, dir: dir))
        } catch {
            try? await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    static var haveKubectl: Bool {
        if FileManager.default.isExecutableFile(atPath: kubectl) { return true }
        print("skipping the kubectl comparison: \(kubectl) is absent")
        return false
    }

    // MARK: - apply

    @Test func appliesTheTutorialInDependencyOrder() async throws {
        try await withEnv { env in
            let r = try env.run(["apply"] + Self.tutorialArgs)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.split(separator: "\n").map(String.init) == Self.expectedLines)
            #expect(env.exists("agentgateway.alibabacloud.com", "backends", "test-mcp"))
            #expect(env.exists("", "secrets", "mcp-api-key"))
            let gw = try #require(env.server.object(group: "gateway.networking.k8s.io", plural: "gateways", namespace: "default", name: "test-mcp-gateway"))
            #expect(gw["metadata"]?["managedFields"]?[0]?["manager"]?.string == "kubectl-agentgw")
            // Every write was a server-side apply with our field manager and strict field validation.
            let patches = env.server.requests().filter { $0.method == "PATCH" }
            #expect(patches.count == 7)
            #expect(patches.allSatisfy {
                $0.header("Content-Type") == "application/apply-patch+yaml" && $0.queryItems["fieldManager"] == "kubectl-agentgw"
                    && $0.queryItems["fieldValidation"] == "Strict" && $0.queryItems["force"] == "false"
            })
            // Applying again (with kubectl's --server-side spelling) changes nothing and says the same.
            let again = try env.run(["apply", "--server-side"] + Self.tutorialArgs)
            #expect(again.status == 0)
            #expect(again.stdout.split(separator: "\n").map(String.init) == Self.expectedLines)
        }
    }

    @Test func kubectlPrintsTheSameResultLines() async throws {
        guard Self.haveKubectl else { return }
        try await withEnv { env in
            let theirs = try env.kubectl(["apply", "--server-side", "--validate=false"] + Self.tutorialArgs)
            #expect(theirs.status == 0, "\(theirs.stderr)")
            try await withEnv { fresh in
                let ours = try fresh.run(["apply"] + Self.tutorialArgs)
                #expect(ours.status == 0)
                // kubectl keeps file order; we apply in dependency order. The lines are the same.
                #expect(ours.stdout.split(separator: "\n").sorted() == theirs.stdout.split(separator: "\n").sorted())
                // kubectl reads back what we applied.
                let get = try fresh.kubectl(["get", "backends.agentgateway.alibabacloud.com,gateways.gateway.networking.k8s.io", "-o", "name"])
                #expect(get.stdout.split(separator: "\n").sorted() == ["backend.agentgateway.alibabacloud.com/test-mcp", "gateway.gateway.networking.k8s.io/test-mcp-gateway"])
                // -o yaml|json|name print what kubectl prints (a server dry run keeps the state fixed).
                for format in ["yaml", "json", "name"] {
                    let file = Self.tutorial[2]
                    let o = try fresh.run(["apply", "--dry-run=server", "-o", format, "-f", file])
                    let k = try fresh.kubectl(["apply", "--server-side", "--validate=false", "--field-manager=kubectl-agentgw",
                                               "--dry-run=server", "-o", format, "-f", file])
                    #expect(o.status == 0 && k.status == 0)
                    #expect(o.stdout == k.stdout, "-o \(format)")
                }
            }
        }
    }

    @Test func stdinAndOutputFormats() async throws {
        try await withEnv { env in
            let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s1\nstringData:\n  k: v\n"
            let name = try env.run(["apply", "-f", "-", "-o", "name"], stdin: secret)
            #expect(name.status == 0)
            #expect(name.stdout == "secret/s1\n")
            let json = try env.run(["apply", "-f", "-", "-o", "json"], stdin: secret)
            let node = try #require(try YAMLReader.read(json.stdout, file: "out").first)
            #expect(node["kind"]?.string == "Secret")
            #expect(node["metadata"]?["uid"]?.string?.isEmpty == false)
            let list = try env.run(["apply", "-o", "yaml"] + Self.tutorialArgs)
            let doc = try #require(try YAMLReader.read(list.stdout, file: "out").first)
            #expect(doc["kind"]?.string == "List")
            #expect(doc["items"]?.array?.count == 7)
            #expect(!list.stdout.contains("managedFields"))
        }
    }

    @Test func serverWarningsArePrintedLikeKubectl() async throws {
        try await withEnv { env in
            let gateway = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: gwx
            spec:
              gatewayClassName: ack-agent-gateway
              extra: field
              listeners:
              - {name: http, port: 80, protocol: HTTP}
            """
            // warn: our finding, then the object goes out and the server warns (fieldValidation=Warn).
            let warned = try env.run(["apply", "-f", "-", "--validate=warn"], stdin: gateway)
            #expect(warned.status == 0, "\(warned.stderr)")
            #expect(warned.stderr.contains(": error: unknown field \"spec.extra\" (schema.unknown-field)"))
            #expect(warned.stderr.contains("Warning: unknown field \"spec.extra\""))
            #expect(warned.stdout == "gateway.gateway.networking.k8s.io/gwx serverside-applied\n")
            // strict (the default): refused before anything is sent.
            let strict = try env.run(["apply", "-f", "-"], stdin: gateway)
            #expect(strict.status == 1)
            #expect(!strict.stderr.contains("Warning:"))
            // false: no checks, and the server drops the field silently (fieldValidation=Ignore).
            let ignored = try env.run(["apply", "-f", "-", "--validate=false"], stdin: gateway)
            #expect(ignored.status == 0)
            #expect(ignored.stderr.isEmpty)
        }
    }

    @Test func invalidInputIsRefusedWithValidatesMessages() async throws {
        try await withEnv { env in
            let bad = env.dir.appendingPathComponent("bad.yaml").path
            try Data("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: bad-gw
            spec:
              gatewayClassName: ack-agent-gateway
              listeners:
              - name: http
                port: 0
                protocol: HTTP
            """.utf8).write(to: URL(fileURLWithPath: bad))
            let validate = try CLI.run(["validate", "-f", bad])
            let finding = try #require(validate.stdout.split(separator: "\n").first.map(String.init))
            let r = try env.run(["apply", "-f", bad])
            #expect(r.status == 1)
            #expect(r.stderr.contains(finding))
            #expect(r.stderr.contains("nothing was applied"))
            #expect(!env.server.requests().contains { $0.method == "PATCH" })
            #expect(!env.exists("gateway.networking.k8s.io", "gateways", "bad-gw"))
            // With --validate=false the server refuses it, in kubectl's words.
            let unchecked = try env.run(["apply", "-f", bad, "--validate=false"])
            #expect(unchecked.status == 1)
            #expect(unchecked.stderr.hasPrefix("The Gateway \"bad-gw\" is invalid: spec.listeners[0].port: Invalid value: 0"))
            // warn: our findings are printed, then the object is sent (and the server refuses it).
            let warned = try env.run(["apply", "-f", bad, "--validate=warn"])
            #expect(warned.status == 1)
            #expect(warned.stderr.contains(finding) && warned.stderr.contains("The Gateway \"bad-gw\" is invalid"))
            #expect(env.server.requests().last?.queryItems["fieldValidation"] == "Warn")
            // A bare --validate means strict, as in kubectl.
            #expect(try env.run(["apply", "--validate", "-f", bad]).stderr.contains("nothing was applied"))
            if Self.haveKubectl {
                let theirs = try env.kubectl(["apply", "--server-side", "--validate=false", "-f", bad])
                #expect(theirs.status == 1)
                #expect(theirs.stderr == unchecked.stderr)
            }
        }
    }

    @Test func aMissingCRDGetsKubectlsMessageAndTheInstallHint() async throws {
        var options = TestAPIServerOptions()
        options.agentGatewayCRDs = false
        try await withEnv(options) { env in
            let file = CLI.shared("seed/manifests/mcp-gateway.yaml")
            let r = try env.run(["apply", "-f", file])
            #expect(r.status == 1)
            let lines = r.stderr.split(separator: "\n").map(String.init)
            #expect(lines.contains("error: resource mapping not found for name: \"test-mcp\" namespace: \"\" from \"\(file)\": no matches for kind \"Backend\" in version \"agentgateway.alibabacloud.com/v1alpha1\""))
            #expect(lines.contains("ensure CRDs are installed first"))
            #expect(lines.contains("run: kubectl agentgw install"))
            // The kinds the server knows were still applied; the Backend write was never sent.
            #expect(r.stdout.contains("gateway.gateway.networking.k8s.io/test-mcp-gateway serverside-applied"))
            #expect(!env.server.requests().contains { $0.path.contains("/backends") && $0.method == "PATCH" })
            if Self.haveKubectl {
                let theirs = try env.kubectl(["apply", "--server-side", "--validate=false", "--field-manager=kubectl-agentgw", "-f", file])
                #expect(theirs.stderr.contains("no matches for kind \"Backend\" in version \"agentgateway.alibabacloud.com/v1alpha1\""))
                #expect(theirs.stderr.contains("ensure CRDs are installed first"))
            }
        }
    }

    @Test func aConflictListsItsFieldsAndForceTakesOwnership() async throws {
        try await withEnv { env in
            let server = CLI.shared("seed/manifests/mcp-server.yaml")
            let seeded = try #require(try YAMLReader.read(String(contentsOfFile: server, encoding: .utf8), file: server)
                .first { $0["kind"]?.string == "Deployment" })
            var changed = seeded
            var spec = try #require(changed["spec"])
            spec.set("replicas", 3)
            changed.set("spec", spec)
            var meta = try #require(changed["metadata"])
            meta.set("namespace", "default")
            changed.set("metadata", meta)
            try env.server.seed(changed, manager: "helm")
            let r = try env.run(["apply", "-f", server])
            #expect(r.status == 1)
            #expect(r.stderr.contains("error: Apply failed with 1 conflict: conflict with \"helm\""))
            #expect(r.stderr.contains(".spec.replicas"))
            #expect(r.stderr.contains("Please review the fields above--they currently have other managers."))
            #expect(r.stderr.contains("See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts"))
            #expect(env.server.object(group: "apps", plural: "deployments", namespace: "default", name: "demo-mcp")?["spec"]?["replicas"]?.int == 3)
            if Self.haveKubectl {
                let theirs = try env.kubectl(["apply", "--server-side", "--validate=false", "--field-manager=kubectl-agentgw", "-f", server])
                #expect(theirs.status == 1)
                let conflictLines = { (s: String) in s.split(separator: "\n").drop { !$0.hasPrefix("error: Apply failed") } }
                #expect(conflictLines(theirs.stderr) == conflictLines(r.stderr))
            }
            let forced = try env.run(["apply", "-f", server, "--force-conflicts"])
            #expect(forced.status == 0, "\(forced.stderr)")
            #expect(env.server.object(group: "apps", plural: "deployments", namespace: "default", name: "demo-mcp")?["spec"]?["replicas"]?.int == 1)
        }
    }

    @Test func serverDryRunPersistsNothing() async throws {
        try await withEnv { env in
            let rv = env.server.resourceVersion
            let r = try env.run(["apply", "--dry-run=server"] + Self.tutorialArgs)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.split(separator: "\n").map(String.init) == Self.expectedLines.map { $0 + " (server dry run)" })
            #expect(env.server.resourceVersion == rv)
            #expect(!env.exists("agentgateway.alibabacloud.com", "backends", "test-mcp"))
            #expect(env.server.requests().filter { $0.method == "PATCH" }.allSatisfy { $0.queryItems["dryRun"] == "All" })
            let client = try env.run(["apply", "--dry-run=client"] + Self.tutorialArgs)
            #expect(client.status == 0)
            #expect(client.stdout.contains("secret/mcp-api-key serverside-applied (dry run)"))
            #expect(env.server.resourceVersion == rv)
        }
    }

    @Test func waitPrintsTheProgrammedGatewayOrTimesOut() async throws {
        try await withEnv { env in
            let file = CLI.shared("seed/manifests/mcp-gateway.yaml")
            let timeout = try env.run(["apply", "-f", file, "--wait=1s"])
            #expect(timeout.status == 1)
            #expect(timeout.stderr.contains("error: timed out after 1s waiting for gateway/test-mcp-gateway to be Programmed"))
            // A controller reports the Gateway Programmed with an address.
            var gw = try #require(env.server.object(group: "gateway.networking.k8s.io", plural: "gateways", namespace: "default", name: "test-mcp-gateway"))
            gw.set("status", try #require(try YAMLReader.read("""
            addresses: [{type: IPAddress, value: 192.0.2.10}]
            conditions:
            - {type: Programmed, status: "True", reason: Programmed, message: "", lastTransitionTime: "2026-01-01T00:00:00Z", observedGeneration: 1}
            """, file: "status").first))
            gw.remove("metadata")
            gw.set("metadata", ["name": "test-mcp-gateway", "namespace": "default"])
            try env.server.seed(gw, manager: "agentgw-controller")
            let r = try env.run(["apply", "-f", file, "--wait"])
            #expect(r.status == 0, "\(r.stderr)")
            let lines = r.stdout.split(separator: "\n").map(String.init)
            let header = try #require(lines.first { $0.hasPrefix("NAME") })
            #expect(header.split(separator: " ", omittingEmptySubsequences: true) == ["NAME", "CLASS", "ADDRESS", "PROGRAMMED", "AGE"])
            let row = try #require(lines.last).split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            #expect(Array(row.prefix(4)) == ["test-mcp-gateway", "ack-agent-gateway", "192.0.2.10", "True"])
        }
    }

    // MARK: - diff

    @Test func diffExitCodes() async throws {
        try await withEnv { env in
            // Nothing live yet: everything is new → 1.
            let fresh = try env.run(["diff"] + Self.tutorialArgs)
            #expect(fresh.status == 1, "\(fresh.stderr)")
            #expect(fresh.stdout.contains("+kind: Backend"))
            #expect(try env.run(["apply"] + Self.tutorialArgs).status == 0)
            // Same → 0 and no output.
            let same = try env.run(["diff"] + Self.tutorialArgs)
            #expect(same.status == 0, "\(same.stderr)")
            #expect(same.stdout.isEmpty)
            // A local change → 1, a unified diff with kubectl's file names.
            let changedFile = env.dir.appendingPathComponent("server.yaml").path
            let text = try String(contentsOfFile: Self.tutorial[0], encoding: .utf8).replacingOccurrences(of: "replicas: 1", with: "replicas: 2")
            try Data(text.utf8).write(to: URL(fileURLWithPath: changedFile))
            let changed = try env.run(["diff", "-f", changedFile])
            #expect(changed.status == 1)
            #expect(changed.stdout.contains("/apps.v1.Deployment.default.demo-mcp"))
            #expect(changed.stdout.contains("-  replicas: 1\n+  replicas: 2"))
            #expect(!changed.stdout.contains("managedFields"))
            // An error (no such server) → >1.
            let broken = try env.run(["diff", "-f", changedFile, "--server", "http://127.0.0.1:1"])
            #expect(broken.status > 1)
            #expect(broken.stderr.hasPrefix("error: Unable to connect to the server: "))
            #expect(try env.run(["diff", "-f", env.dir.appendingPathComponent("missing.yaml").path]).status == 2)
            #expect(try env.run(["diff", "-f", changedFile, "--context", "nope"]).status == 2)
            if Self.haveKubectl {
                #expect(try env.kubectl(["diff", "--server-side", "--field-manager=kubectl-agentgw", "-f", changedFile]).status == 1)
                #expect(try env.kubectl(["diff", "--server-side", "--field-manager=kubectl-agentgw"] + Self.tutorialArgs).status == 0)
            }
        }
    }

    @Test func diffOutputMatchesKubectl() async throws {
        guard Self.haveKubectl else { return }
        try await withEnv { env in
            #expect(try env.run(["apply"] + Self.tutorialArgs).status == 0)
            var args: [String] = []
            for (i, (file, from, to)) in [(Self.tutorial[0], "replicas: 1", "replicas: 2"), (Self.tutorial[1], "port: 8000", "port: 8001"),
                                          (Self.tutorial[2], "key-value-bar", "key-value-baz")].enumerated() {
                let path = env.dir.appendingPathComponent("changed-\(i).yaml").path
                let text = try String(contentsOfFile: file, encoding: .utf8)
                #expect(text.contains(from))
                try Data(text.replacingOccurrences(of: from, with: to).utf8).write(to: URL(fileURLWithPath: path))
                args += ["-f", path]
            }
            let ours = try env.run(["diff"] + args)
            let theirs = try env.kubectl(["diff", "--server-side", "--field-manager=kubectl-agentgw"] + args)
            #expect(ours.status == 1 && theirs.status == 1, "\(ours.stderr)\(theirs.stderr)")
            // Same hunks; only the temporary folder names and file times differ.
            let body = { (s: String) in
                s.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("--- ") && !$0.hasPrefix("+++ ") }
                    .map { $0.replacing(/\/(LIVE|MERGED)-[0-9]+\//, with: "/$1/") }
            }
            #expect(body(ours.stdout) == body(theirs.stdout))
            #expect(ours.stdout.contains("+  replicas: 2") && ours.stdout.contains("'*** (after)'"))
            #expect(ours.stdout.range(of: #"/LIVE-[0-9]+/v1\.Secret\.default\.mcp-api-key"#, options: .regularExpression) != nil)
        }
    }

    @Test func diffMasksSecretsAndHonoursExternalDiff() async throws {
        try await withEnv { env in
            let secret = { (v: String) in "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s1\n  namespace: default\ndata:\n  same: YQ==\n  key: \(v)\n" }
            #expect(try env.run(["apply", "-f", "-"], stdin: secret("Yg==")).status == 0)
            let r = try env.run(["diff", "-f", "-"], stdin: secret("Yw=="))
            #expect(r.status == 1)
            #expect(r.stdout.contains("-  key: '*** (before)'"))
            #expect(r.stdout.contains("+  key: '*** (after)'"))
            #expect(r.stdout.contains(" same: '***'"))
            #expect(!r.stdout.contains("Yg==") && !r.stdout.contains("Yw=="))
            // KUBECTL_EXTERNAL_DIFF: a script that records its arguments and says "different".
            let script = env.dir.appendingPathComponent("mydiff.sh").path
            let record = env.dir.appendingPathComponent("args").path
            try Data("#!/bin/sh\necho \"$@\" > \(record)\nls \"$3\" >> \(record)\nexit 1\n".utf8).write(to: URL(fileURLWithPath: script))
            chmod(script, 0o755)
            let ext = try env.run(["diff", "-f", "-"], stdin: secret("Yw=="), env: ["KUBECTL_EXTERNAL_DIFF": "\(script) -x $(evil)"])
            #expect(ext.status == 1)
            let args = try String(contentsOfFile: record, encoding: .utf8)
            #expect(args.hasPrefix("-x /"))
            #expect(args.contains("LIVE-") && args.contains("MERGED-") && !args.contains("evil"))
            #expect(args.contains("v1.Secret.default.s1"))
        }
    }

    @Test func diffOfAConflictIsAnError() async throws {
        try await withEnv { env in
            let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\ndata:\n  x: a\n"
            try env.server.seed(try #require(try YAMLReader.read(cm, file: "cm").first), manager: "helm")
            let r = try env.run(["diff", "-f", "-"], stdin: cm.replacingOccurrences(of: "x: a", with: "x: b"))
            #expect(r.status == 2)
            #expect(r.stderr.hasPrefix("Error from server (Conflict): Apply failed with 1 conflict"))
        }
    }

    // MARK: - delete

    @Test func deleteRemovesDependentsFirst() async throws {
        try await withEnv { env in
            #expect(try env.run(["apply"] + Self.tutorialArgs).status == 0)
            let r = try env.run(["delete"] + Self.tutorialArgs)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.split(separator: "\n").map(String.init) == [
                "trafficpolicy.agentgateway.alibabacloud.com \"test-mcp-apikey-auth\" deleted",
                "httproute.gateway.networking.k8s.io \"route-for-mcp-backend\" deleted",
                "gateway.gateway.networking.k8s.io \"test-mcp-gateway\" deleted",
                "backend.agentgateway.alibabacloud.com \"test-mcp\" deleted",
                "deployment.apps \"demo-mcp\" deleted",
                "service \"demo-mcp-server\" deleted",
                "secret \"mcp-api-key\" deleted",
            ])
            #expect(!env.exists("agentgateway.alibabacloud.com", "backends", "test-mcp"))
            #expect(!env.exists("", "secrets", "mcp-api-key"))
            // kubectl's default --wait: each deleted object is looked up until it is gone.
            let requests = env.server.requests()
            let lastDelete = try #require(requests.lastIndex { $0.method == "DELETE" })
            #expect(requests[lastDelete...].contains { $0.method == "GET" && $0.path == "/api/v1/namespaces/default/secrets/mcp-api-key" })
            #expect(try env.run(["apply", "-f", Self.tutorial[2]]).status == 0)
            let count = env.server.requests().count
            #expect(try env.run(["delete", "-f", Self.tutorial[2], "--wait=false"]).status == 0)
            #expect(!env.server.requests()[count...].contains { $0.method == "GET" && $0.path.hasSuffix("/mcp-api-key") })
            #expect(try env.run(["apply", "-f", Self.tutorial[2]]).status == 0)
            let again0 = try env.run(["delete", "-f", Self.tutorial[2], "--wait", "--timeout", "30s"])
            #expect(again0.status == 0, "\(again0.stderr)")
            let again = try env.run(["delete", "-f", Self.tutorial[2]])
            #expect(again.status == 1)
            #expect(again.stderr.contains("Error from server (NotFound): error when deleting \"\(Self.tutorial[2])\": secrets \"mcp-api-key\" not found"))
            if Self.haveKubectl {
                let theirs = try env.kubectl(["delete", "-f", Self.tutorial[2]])
                #expect(theirs.stderr.contains("Error from server (NotFound): error when deleting \"\(Self.tutorial[2])\": secrets \"mcp-api-key\" not found"))
            }
            let ignored = try env.run(["delete", "-f", Self.tutorial[2], "--ignore-not-found"])
            #expect(ignored.status == 0)
            #expect(ignored.stdout.isEmpty && ignored.stderr.isEmpty)
        }
    }

    @Test func appliesOverHTTPSWithAnExecPluginAndAClientCertificate() async throws {
        let dir = try CLI.tempDir()
        let pki = try TestPKI.generate(in: dir.appendingPathComponent("pki").path)
        var options = TestAPIServerOptions()
        options.tls = TestTLS(certificatePath: pki.serverCertificate, keyPath: pki.serverKey, clientCAPath: pki.caCertificate)
        options.auth = .required(tokens: ["plugin-token"])
        let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s1\nstringData:\n  k: v\n"
        try await withEnv(options) { env in
            // Exec plugin: a shell script printing an ExecCredential.
            let plugin = env.dir.appendingPathComponent("plugin.sh").path
            try Data("""
            #!/bin/sh
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"plugin-token"}}'
            """.utf8).write(to: URL(fileURLWithPath: plugin))
            chmod(plugin, 0o755)
            let kubeconfig = env.server.kubeconfig(token: nil).replacingOccurrences(of: "  user: {}", with: """
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: \(plugin)
                  interactiveMode: Never
            """)
            try Data(kubeconfig.utf8).write(to: URL(fileURLWithPath: env.kubeconfig))
            let r = try env.run(["apply", "-f", "-"], stdin: secret)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout == "secret/s1 serverside-applied\n")
            // A client certificate signed by the server's client CA.
            let certConfig = env.dir.appendingPathComponent("cert-kubeconfig").path
            try Data(env.server.kubeconfig(token: nil, clientCertificatePath: pki.clientCertificate, clientKeyPath: pki.clientKey).utf8)
                .write(to: URL(fileURLWithPath: certConfig))
            let byCert = try env.run(["delete", "-f", "-", "--kubeconfig", certConfig], stdin: secret)
            #expect(byCert.status == 0, "\(byCert.stderr)")
            #expect(byCert.stdout == "secret \"s1\" deleted\n")
            // And a token flag that the server doesn't know.
            let denied = try env.run(["apply", "-f", "-", "--token", "nope"], stdin: secret)
            #expect(denied.status == 1)
            #expect(denied.stderr == "error: You must be logged in to the server (Unauthorized)\n")
        }
    }

    @Test func kubeconfigProblemsAreOneLine() async throws {
        let dir = try CLI.tempDir()
        let r = try CLI.run(["apply", "-f", Self.tutorial[0], "--kubeconfig", dir.appendingPathComponent("none").path])
        #expect(r.status == 1)
        #expect(r.stderr == "error: stat \(dir.appendingPathComponent("none").path): no such file or directory\n")
        let ctx = try CLI.run(["delete", "-f", Self.tutorial[0], "--context", "nope"], environment: ["HOME": dir.path, "KUBECONFIG": ""])
        #expect(ctx.status == 1)
        #expect(ctx.stderr.hasPrefix("error: "))
        #expect(ctx.stderr.split(separator: "\n").count == 1)
    }
}
