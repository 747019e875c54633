import AgentGWModel
import AgentGWTesting
import Foundation
import Testing

/// install/uninstall, get, describe and probe gateway/NAME through the real binary, against the
/// test API server (and the real kubectl where it is installed).
@Suite(.timeLimit(.minutes(5))) struct ClusterCommandTests {
    static let kubectl = "/usr/bin/kubectl"
    static var hasKubectl: Bool { FileManager.default.isExecutableFile(atPath: kubectl) }

    /// A server, a kubeconfig file for it, and a temp HOME so nothing touches the real one.
    struct Cluster {
        var server: TestAPIServer
        var dir: URL
        var kubeconfig: String { dir.appendingPathComponent("kubeconfig").path }

        static func start(agentGatewayCRDs: Bool = true, gatewayAPICRDs: Bool = true) async throws -> Cluster {
            var options = TestAPIServerOptions()
            options.agentGatewayCRDs = agentGatewayCRDs
            options.gatewayAPICRDs = gatewayAPICRDs
            let server = try await TestAPIServer.start(options)
            let dir = try CLI.tempDir()
            try server.kubeconfig(token: nil).write(toFile: dir.appendingPathComponent("kubeconfig").path, atomically: true, encoding: .utf8)
            return Cluster(server: server, dir: dir)
        }

        func run(_ args: [String]) throws -> CLIResult {
            try CLI.run(args + ["--kubeconfig", kubeconfig], environment: ["HOME": dir.path, "KUBECONFIG": ""])
        }

        func kubectl(_ args: [String]) throws -> CLIResult {
            try CLI.run(args + ["--kubeconfig", kubeconfig], executable: URL(fileURLWithPath: ClusterCommandTests.kubectl),
                        environment: ["HOME": dir.path, "KUBECONFIG": ""])
        }

        /// Stores fixture objects directly (status included), in namespace default.
        func seed(_ yaml: String) throws {
            for var doc in try YAMLReader.read(yaml, file: "seed").filter({ !$0.isNull }) {
                var meta = doc["metadata"] ?? [:]
                if meta["namespace"] == nil && doc["kind"]?.string != "Namespace" { meta.set("namespace", "default") }
                doc.set("metadata", meta)
                try server.seed(doc.withoutMarks)
            }
        }

        func tutorial() throws {
            for file in ["mcp-server.yaml", "mcp-gateway.yaml", "mcp-api-key.yaml"] {
                try seed(try String(contentsOfFile: CLI.shared("seed/manifests/\(file)"), encoding: .utf8))
            }
        }
    }

    // MARK: install / uninstall

    @Test func installAppliesEverythingAndKeepsTheSessionKey() async throws {
        let c = try await Cluster.start(agentGatewayCRDs: false)
        defer { Task { [server = c.server] in try? await server.shutdown() } }
        let first = try c.run(["install", "--image", "registry.example.com/agentgw:v1"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        for line in ["namespace/ack-agent-gateway serverside-applied",
                     "customresourcedefinition.apiextensions.k8s.io/backends.agentgateway.alibabacloud.com serverside-applied",
                     "clusterrole.rbac.authorization.k8s.io/agentgw serverside-applied",
                     "secret/agentgw-session-key serverside-applied",
                     "deployment.apps/agentgw serverside-applied",
                     "gatewayclass.gateway.networking.k8s.io/ack-agent-gateway serverside-applied"] {
            #expect(first.stdout.contains(line + "\n"), "missing: \(line)\n\(first.stdout)")
        }
        // The namespace goes before what lives in it.
        let lines = first.stdout.split(separator: "\n").map(String.init)
        #expect(lines.firstIndex { $0.hasPrefix("namespace/") } ?? 99 < lines.firstIndex { $0.hasPrefix("deployment.apps/") } ?? -1)
        let deployment = try #require(c.server.object(group: "apps", plural: "deployments", namespace: "ack-agent-gateway", name: "agentgw"))
        #expect(deployment["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.string == "registry.example.com/agentgw:v1")
        #expect(deployment["metadata"]?["managedFields"]?[0]?["manager"]?.string == "kubectl-agentgw")
        let key = c.server.object(group: "", plural: "secrets", namespace: "ack-agent-gateway", name: "agentgw-session-key")?["data"]?["session.key"]
        #expect(key != nil)
        #expect(!first.stdout.contains(key?.string ?? "?"), "the key never appears in the output")

        // Again: same objects, the key untouched (open sessions survive an upgrade).
        let second = try c.run(["install", "--image", "registry.example.com/agentgw:v2"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("secret/agentgw-session-key unchanged"))
        #expect(c.server.object(group: "", plural: "secrets", namespace: "ack-agent-gateway", name: "agentgw-session-key")?["data"]?["session.key"] == key)
        #expect(c.server.object(group: "apps", plural: "deployments", namespace: "ack-agent-gateway", name: "agentgw")?["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.string == "registry.example.com/agentgw:v2")
        // The CRDs are now served: get works (and finds nothing yet).
        let get = try c.run(["get", "backends"])
        #expect(get.status == 0, "\(get.stderr)")
        #expect(get.stderr.contains("No resources found in default namespace."))

        // uninstall keeps the CRDs unless asked; both runs are idempotent.
        let un = try c.run(["uninstall"])
        #expect(un.status == 0, "\(un.stderr)")
        #expect(un.stdout.contains("deployment.apps \"agentgw\" deleted\n"))
        #expect(un.stdout.hasSuffix("namespace \"ack-agent-gateway\" deleted\n"), "\(un.stdout)")
        #expect(c.server.object(group: "apps", plural: "deployments", namespace: "ack-agent-gateway", name: "agentgw") == nil)
        #expect(c.server.object(group: "rbac.authorization.k8s.io", plural: "clusterroles", namespace: nil, name: "agentgw") == nil)
        #expect(c.server.object(group: "apiextensions.k8s.io", plural: "customresourcedefinitions", namespace: nil, name: "backends.agentgateway.alibabacloud.com") != nil)
        let all = try c.run(["uninstall", "--crds"])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stdout.contains("customresourcedefinition.apiextensions.k8s.io \"backends.agentgateway.alibabacloud.com\" deleted"))
        #expect(c.server.object(group: "apiextensions.k8s.io", plural: "customresourcedefinitions", namespace: nil, name: "backends.agentgateway.alibabacloud.com") == nil)
        let again = try c.run(["uninstall", "--crds"])
        #expect(again.status == 0)
        #expect(again.stderr.contains("nothing to uninstall"))
    }

    @Test func installDryRunPersistsNothing() async throws {
        let c = try await Cluster.start()
        defer { Task { [server = c.server] in try? await server.shutdown() } }
        // As with kubectl, a server dry run can't create the namespace that later objects need.
        let fresh = try c.run(["install", "--dry-run=server"])
        #expect(fresh.status == 1)
        #expect(fresh.stderr.contains("Error from server (NotFound): namespaces \"ack-agent-gateway\" not found"), "\(fresh.stderr)")
        try c.seed("apiVersion: v1\nkind: Namespace\nmetadata: {name: ack-agent-gateway}\n")
        let r = try c.run(["install", "--dry-run=server"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("deployment.apps/agentgw serverside-applied (server dry run)"))
        #expect(c.server.object(group: "apps", plural: "deployments", namespace: "ack-agent-gateway", name: "agentgw") == nil)
        let ns = try c.run(["install", "-n", "elsewhere"])
        #expect(ns.status == 2 && ns.stderr.contains("always installs into namespace ack-agent-gateway"), "\(ns.stderr)")
    }

    @Test func installWithoutGatewayAPICRDsSaysSo() async throws {
        let c = try await Cluster.start(agentGatewayCRDs: false, gatewayAPICRDs: false)
        defer { Task { [server = c.server] in try? await server.shutdown() } }
        let r = try c.run(["install"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("no matches for kind \"GatewayClass\" in version \"gateway.networking.k8s.io/v1\"\nensure CRDs are installed first\ninstall the Gateway API CRDs (v1.3.0 or later) first"), "\(r.stderr)")
        // Everything else still went in, as kubectl apply carries on past one failure.
        #expect(r.stdout.contains("deployment.apps/agentgw serverside-applied"))
        #expect(c.server.object(group: "apps", plural: "deployments", namespace: "ack-agent-gateway", name: "agentgw") != nil)
    }

    @Test(.enabled(if: ClusterCommandTests.hasKubectl, "kubectl is not installed at /usr/bin/kubectl"))
    func realKubectlAppliesThePrintedBundle() async throws {
        let c = try await Cluster.start(agentGatewayCRDs: false)
        defer { Task { [server = c.server] in try? await server.shutdown() } }
        let file = c.dir.appendingPathComponent("install.yaml").path
        try c.run(["install", "-o", "yaml"]).stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try c.kubectl(["apply", "--server-side", "--validate=false", "-f", file])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.split(separator: "\n").filter { $0.hasSuffix(" serverside-applied") }.count == 11, "\(r.stdout)")
        let d = try #require(c.server.object(group: "apps", plural: "deployments", namespace: "ack-agent-gateway", name: "agentgw"))
        #expect(d["metadata"]?["managedFields"]?[0]?["manager"]?.string == "kubectl")
        // And our get reads what kubectl wrote (the CRDs went in with it).
        let get = try c.run(["get", "all"])
        #expect(get.status == 0, "\(get.stderr)")
    }

    // MARK: get / describe

    static let status = """
    apiVersion: gateway.networking.k8s.io/v1
    kind: Gateway
    metadata: {name: test-mcp-gateway}
    spec:
      gatewayClassName: ack-agent-gateway
      listeners: [{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: Same}}}]
    status:
      addresses: [{type: IPAddress, value: 198.51.100.10}]
      conditions:
      - {type: Accepted, status: "True", reason: Accepted, message: "", lastTransitionTime: "2026-01-01T00:00:00Z"}
      - {type: Programmed, status: "True", reason: Programmed, message: "", lastTransitionTime: "2026-01-01T00:00:00Z"}
    ---
    apiVersion: gateway.networking.k8s.io/v1
    kind: HTTPRoute
    metadata: {name: broken}
    spec:
      parentRefs: [{name: test-mcp-gateway}]
      rules: [{backendRefs: [{group: agentgateway.alibabacloud.com, kind: Backend, name: missing-backend}]}]
    status:
      parents:
      - parentRef: {name: test-mcp-gateway}
        controllerName: agentgateway.alibabacloud.com/gateway-controller
        conditions:
        - {type: Accepted, status: "True", reason: Accepted, message: "", lastTransitionTime: "2026-01-01T00:00:00Z"}
        - {type: ResolvedRefs, status: "False", reason: BackendNotFound, message: Backend missing-backend not found, lastTransitionTime: "2026-01-01T00:00:00Z"}
    ---
    apiVersion: agentgateway.alibabacloud.com/v1alpha1
    kind: TrafficPolicy
    metadata: {name: dangling}
    spec:
      targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: no-such-route}]
      traffic: {authentication: {apiKeyAuth: {secretRef: {name: no-such-secret}}}}
    """

    @Test func getAndDescribeTheTutorial() async throws {
        let c = try await Cluster.start()
        defer { Task { [server = c.server] in try? await server.shutdown() } }
        try c.tutorial()
        try c.seed(Self.status)

        let gw = try c.run(["get", "gateways"])
        #expect(gw.status == 0, "\(gw.stderr)")
        let rows = gw.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first == ["NAME", "CLASS", "ADDRESS", "PROGRAMMED", "AGE"])
        #expect(Array(rows.dropFirst().first?.prefix(4) ?? []) == ["test-mcp-gateway", "ack-agent-gateway", "198.51.100.10", "True"])

        let routes = try c.run(["get", "routes", "-o", "wide"])
        #expect(routes.status == 0)
        #expect(routes.stdout.contains("BACKENDS"))
        let brokenRow = routes.stdout.split(separator: "\n").first { $0.hasPrefix("broken ") }.map(String.init) ?? ""
        #expect(brokenRow.contains("Gateway/test-mcp-gateway") && brokenRow.contains("True") && brokenRow.contains("False") && brokenRow.contains("Backend/missing-backend"), "\(routes.stdout)")

        let policies = try c.run(["get", "policies"])
        #expect(policies.stdout.contains("APIKey(mcp-api-key)"), "\(policies.stdout)")
        let danglingRow = policies.stdout.split(separator: "\n").first { $0.hasPrefix("dangling ") }.map(String.init) ?? ""
        #expect(danglingRow.contains("HTTPRoute/no-such-route") && danglingRow.contains("False"), "\(policies.stdout)")

        let names = try c.run(["get", "all", "-o", "name"])
        #expect(Set(names.stdout.split(separator: "\n").map(String.init)) == [
            "gateway.gateway.networking.k8s.io/test-mcp-gateway", "httproute.gateway.networking.k8s.io/route-for-mcp-backend",
            "httproute.gateway.networking.k8s.io/broken", "backend.agentgateway.alibabacloud.com/test-mcp",
            "trafficpolicy.agentgateway.alibabacloud.com/test-mcp-apikey-auth", "trafficpolicy.agentgateway.alibabacloud.com/dangling",
        ])
        let json = try c.run(["get", "backend", "test-mcp", "-o", "json"])
        let backend = try YAMLReader.read(json.stdout, file: "json")[0]
        #expect(backend["kind"]?.string == "Backend")
        #expect(backend["metadata"]?["managedFields"] == nil, "managedFields are left out as kubectl get does")
        let list = try YAMLReader.read(try c.run(["get", "gateways", "-o", "yaml"]).stdout, file: "yaml")[0]
        #expect(list["kind"]?.string == "List" && list["items"]?.array?.count == 1)

        let missing = try c.run(["get", "gateway", "nope"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "Error from server (NotFound): gateways.gateway.networking.k8s.io \"nope\" not found\n")
        let elsewhere = try c.run(["get", "gateways", "-n", "other"])
        #expect(elsewhere.status == 0 && elsewhere.stdout.isEmpty && elsewhere.stderr == "No resources found in other namespace.\n")
        let everywhere = try c.run(["get", "gateways", "-A"])
        #expect(everywhere.stdout.hasPrefix("NAMESPACE   NAME"), "\(everywhere.stdout)")

        let route = try c.run(["describe", "httproute/route-for-mcp-backend"])
        #expect(route.status == 0, "\(route.stderr)")
        #expect(route.stdout.contains("Policies in effect:\n  TrafficPolicy/test-mcp-apikey-auth (via HTTPRoute/route-for-mcp-backend): auth APIKey(mcp-api-key)\n"), "\(route.stdout)")
        let broken = try c.run(["describe", "route", "broken"])
        #expect(broken.stdout.contains("- references not resolved (Gateway/test-mcp-gateway): BackendNotFound: Backend missing-backend not found"), "\(broken.stdout)")
        #expect(broken.stdout.contains("- backend Backend/missing-backend does not exist"))
        let dangling = try c.run(["describe", "policy/dangling"])
        #expect(dangling.stdout.contains("- targets nothing: HTTPRoute/no-such-route does not exist"), "\(dangling.stdout)")
        #expect(dangling.stdout.contains("- API key Secret \"no-such-secret\" does not exist"))
        // A route from another namespace that attaches to the Gateway shows up in its describe.
        try c.seed("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: team-route, namespace: team}
        spec:
          parentRefs: [{name: test-mcp-gateway, namespace: default}]
          rules: [{backendRefs: [{group: agentgateway.alibabacloud.com, kind: Backend, name: b}]}]
        """)
        let gateway = try c.run(["describe", "gw/test-mcp-gateway"])
        #expect(gateway.stdout.contains("Routes:\n  HTTPRoute/broken\n  HTTPRoute/route-for-mcp-backend\n  HTTPRoute/team/team-route\n"), "\(gateway.stdout)")
        #expect(gateway.stdout.contains("Address:        198.51.100.10\n"), "\(gateway.stdout)")
        #expect(gateway.stdout.contains("  Programmed   True     Programmed"), "\(gateway.stdout)")
        // The tutorial's keys are in a Secret describe looked at: they must not leak.
        for r in [route, broken, dangling, gateway, try c.run(["describe", "policies"])] {
            #expect(!r.stdout.contains("key-value-foo") && !r.stdout.contains("key-value-bar"))
        }
        let bad = try c.run(["describe", "pods/x"])
        #expect(bad.status == 2 && bad.stderr.contains("unknown kind \"pods\""), "\(bad.stderr)")
    }

    @Test(.enabled(if: ClusterCommandTests.hasKubectl, "kubectl is not installed at /usr/bin/kubectl"))
    func getAgreesWithKubectl() async throws {
        let c = try await Cluster.start()
        defer { Task { [server = c.server] in try? await server.shutdown() } }
        try c.tutorial()
        try c.seed(Self.status)
        let ours = try c.run(["get", "all", "-o", "name"])
        let theirs = try c.kubectl(["get", "gateways,httproutes,backends,trafficpolicies", "-o", "name"])
        #expect(theirs.status == 0, "\(theirs.stderr)")
        #expect(ours.stdout == theirs.stdout, "ours:\n\(ours.stdout)kubectl:\n\(theirs.stdout)")
        // The same object, as kubectl get prints it (managedFields left out).
        let a = try YAMLReader.read(try c.run(["get", "gateway", "test-mcp-gateway", "-o", "json"]).stdout, file: "ours")[0].withoutMarks
        let b = try YAMLReader.read(try c.kubectl(["get", "gateway", "test-mcp-gateway", "-o", "json"]).stdout, file: "kubectl")[0].withoutMarks
        #expect(a == b)
        let missing = try c.kubectl(["get", "gateway", "nope"])
        #expect(try c.run(["get", "gateway", "nope"]).stderr == missing.stderr)
    }

    @Test func withoutOurCRDsGetSaysWhatToRun() async throws {
        let c = try await Cluster.start(agentGatewayCRDs: false)
        defer { Task { [server = c.server] in try? await server.shutdown() } }
        let r = try c.run(["get", "backends"])
        #expect(r.status == 1)
        #expect(r.stderr == "error: the server doesn't have a resource type \"backends\"\nrun: kubectl agentgw install\n", "\(r.stderr)")
        // Gateways still list without our CRDs.
        let gw = try c.run(["get", "gateways"])
        #expect(gw.status == 0, "\(gw.stderr)")
    }

    // MARK: probe gateway/NAME

    @Test func probeGatewayByName() async throws {
        let c = try await Cluster.start()
        defer { Task { [server = c.server] in try? await server.shutdown() } }
        // Our sample server stands in for the gateway at the Gateway's address and listener port.
        let server = try Peer.start(nil, ["sample-server"], executable: CLI.binary.path)
        defer { server.stop() }
        try c.seed("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: ack-agent-gateway
          listeners: [{name: http, port: \(server.port), protocol: HTTP}]
        status:
          addresses: [{type: IPAddress, value: 127.0.0.1}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r}
        spec:
          parentRefs: [{name: gw}]
          rules: [{backendRefs: [{group: agentgateway.alibabacloud.com, kind: Backend, name: b}]}]
        """)
        let r = try c.run(["probe", "gateway/gw", "-n", "default"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains("probing http://127.0.0.1:\(server.port)/mcp (Gateway default/gw, HTTPRoute default/r)"), "\(r.stderr)")
        #expect(r.stdout.contains("echo"), "the sample server's tools are listed: \(r.stdout)")
        let missing = try c.run(["probe", "gateway/none"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("error: gateways.gateway.networking.k8s.io \"none\" not found"), "\(missing.stderr)")
    }
}
