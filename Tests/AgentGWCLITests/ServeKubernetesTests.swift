import AgentGWModel
import AgentGWTesting
import Foundation
import Testing

/// `serve --kubernetes` as a process against the test API server, with our sample MCP server as
/// the tutorial's Backend: status, traffic, a live policy change and two replicas.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ServeKubernetesTests {
    static let gatewayClass = """
    apiVersion: gateway.networking.k8s.io/v1
    kind: GatewayClass
    metadata:
      name: ack-agent-gateway
    spec:
      controllerName: agentgateway.alibabacloud.com/gateway-controller
    """

    /// Cluster-scoped: stored without a namespace.
    static func seedGatewayClass(_ c: ClusterCommandTests.Cluster) throws {
        let node = try #require(try YAMLReader.read(gatewayClass, file: "class").first)
        try c.server.seed(node.withoutMarks)
    }

    /// Runs blocking work (processes, polling) off Swift's cooperative pool, which other suites
    /// share: on a 2-core machine it has two threads.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    static func eventually(_ seconds: Double = 15, _ condition: @escaping @Sendable () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await blocking(condition) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await blocking(condition)
    }

    static func run(_ c: ClusterCommandTests.Cluster, _ args: [String]) async throws -> CLIResult {
        try await blocking { try c.run(args) }
    }

    static func probe(_ args: [String]) async throws -> CLIResult {
        try await blocking { try CLI.run(["probe"] + args) }
    }

    /// The MCP server behind the tutorial's Backend: a real third-party peer (FastMCP, from
    /// ../shared/peers), which accepts the tutorial's Host header as a cluster Service would.
    static func sampleServer() async throws -> Peer {
        try await blocking { try Peer.start("echo_server.py", []) }
    }

    static func condition(_ status: Node?, _ type: String) -> Node? {
        status?["conditions"]?.array?.first { $0["type"]?.string == type }
    }

    /// One `serve --kubernetes` replica on free ports.
    static func serve(_ c: ClusterCommandTests.Cluster, mcpPort: Int, identity: String, extra: [String] = []) async throws -> Peer {
        let port = try Peer.freePort()
        return try await blocking { try Peer.start(nil, ["serve", "--kubernetes", "--kubeconfig", c.kubeconfig, "--port-map", "80=\(port)",
                                    "--address", "127.0.0.1", "--admin-address", "127.0.0.1:0", "--no-access-log",
                                    "--resolve", "demo-mcp-server.default.svc.cluster.local:8000=127.0.0.1:\(mcpPort)"] + extra,
                              executable: CLI.binary.path, portFlag: false, port: port,
                              environment: ["POD_NAME": identity, "HOME": c.dir.path, "KUBECONFIG": ""]) }
    }

    @Test func tutorialIsServedWithStatusAndAPolicyChangeTakesEffectLive() async throws {
        let c = try await ClusterCommandTests.Cluster.start()
        defer { Task { [server = c.server] in try? await server.shutdown() } }
        let mcp = try await Self.sampleServer()
        defer { mcp.stop() }
        try Self.seedGatewayClass(c)
        try c.seed(try String(contentsOfFile: CLI.shared("seed/manifests/mcp-gateway.yaml"), encoding: .utf8))
        let serve = try await Self.serve(c, mcpPort: mcp.port, identity: "replica-a")
        defer { serve.stop() }
        let url = "http://127.0.0.1:\(serve.port)/mcp"

        // Traffic flows to the real MCP server.
        let ok = try await Self.probe([url])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("echo"), "\(ok.stdout)")

        // Status: Accepted; Programmed once the LoadBalancer Service has an address.
        let gateway: @Sendable () -> Node? = { c.server.object(group: "gateway.networking.k8s.io", plural: "gateways", namespace: "default", name: "test-mcp-gateway") }
        #expect(try await Self.eventually { Self.condition(gateway()?["status"], "Accepted")?["status"]?.string == "True" }, "\(gateway()?["status"] ?? .null)")
        #expect(try await Self.eventually { c.server.object(group: "", plural: "services", namespace: "default", name: "agentgw-test-mcp-gateway") != nil })
        var svc = try #require(c.server.object(group: "", plural: "services", namespace: "default", name: "agentgw-test-mcp-gateway"))
        svc.set("status", ["loadBalancer": ["ingress": [["ip": "127.0.0.1"]]]])
        try c.server.seed(svc)
        #expect(try await Self.eventually { Self.condition(gateway()?["status"], "Programmed")?["status"]?.string == "True" }, "\(gateway()?["status"] ?? .null)")
        #expect(gateway()?["status"]?["addresses"]?[0]?["value"]?.string == "127.0.0.1")
        let route = c.server.object(group: "gateway.networking.k8s.io", plural: "httproutes", namespace: "default", name: "route-for-mcp-backend")
        #expect(Self.condition(route?["status"]?["parents"]?[0], "ResolvedRefs")?["status"]?.string == "True")

        // The API-key policy and its Secret: 401 (exit 3) with no restart, the key passes.
        let applied = try await Self.run(c, ["apply", "-f", CLI.shared("seed/manifests/mcp-api-key.yaml"), "-n", "default"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(try await Self.eventually { try CLI.run(["probe", url]).status == 3 },
                "\((try? String(contentsOf: serve.log, encoding: .utf8)) ?? "")")
        let keyed = try await Self.probe([url, "--api-key", "key-value-foo"])
        #expect(keyed.status == 0, "\(keyed.stdout)\(keyed.stderr)")

        // Deleting the Gateway (with the tutorial's other objects) removes its Service.
        let deleted = try await Self.run(c, ["delete", "-f", CLI.shared("seed/manifests/mcp-gateway.yaml"), "-n", "default"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(try await Self.eventually { c.server.object(group: "", plural: "services", namespace: "default", name: "agentgw-test-mcp-gateway") == nil })
    }

    @Test func twoReplicasElectOneLeaderAndBothServe() async throws {
        let c = try await ClusterCommandTests.Cluster.start()
        defer { Task { [server = c.server] in try? await server.shutdown() } }
        let mcp = try await Self.sampleServer()
        defer { mcp.stop() }
        try Self.seedGatewayClass(c)
        try c.seed(try String(contentsOfFile: CLI.shared("seed/manifests/mcp-gateway.yaml"), encoding: .utf8))
        let a = try await Self.serve(c, mcpPort: mcp.port, identity: "replica-a")
        defer { a.stop() }
        let b = try await Self.serve(c, mcpPort: mcp.port, identity: "replica-b")
        defer { b.stop() }
        for replica in [a, b] {
            let r = try await Self.probe(["http://127.0.0.1:\(replica.port)/mcp"])
            #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        }
        let lease: @Sendable () -> Node? = { c.server.object(group: "coordination.k8s.io", plural: "leases", namespace: "default", name: "kubectl-agentgw") }
        #expect(try await Self.eventually { ["replica-a", "replica-b"].contains(lease()?["spec"]?["holderIdentity"]?.string ?? "") })
        let gateway: @Sendable () -> Node? = { c.server.object(group: "gateway.networking.k8s.io", plural: "gateways", namespace: "default", name: "test-mcp-gateway") }
        #expect(try await Self.eventually { Self.condition(gateway()?["status"], "Accepted")?["status"]?.string == "True" })
        // The leader stops: the other takes the lease over (released on shutdown) and keeps writing.
        let first = lease()?["spec"]?["holderIdentity"]?.string
        let (leader, other) = first == "replica-a" ? (a, "replica-b") : (b, "replica-a")
        try await Self.blocking { leader.stop() }
        #expect(try await Self.eventually(20) { lease()?["spec"]?["holderIdentity"]?.string == other }, "\(lease() ?? .null)")
    }
}
