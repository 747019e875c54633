@testable import AgentGWController
import AgentGWGateway
import AgentGWKube
import AgentGWModel
import AgentGWTesting
import Foundation
import Testing

/// The controller in-process against the test API server: status, Services, live changes,
/// recovery from a 410, and merged status writes.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ControllerTests {
    static let gatewayClass = """
    apiVersion: gateway.networking.k8s.io/v1
    kind: GatewayClass
    metadata:
      name: ack-agent-gateway
    spec:
      controllerName: agentgateway.alibabacloud.com/gateway-controller
    """

    static func manifests(_ file: String) throws -> String {
        let here = URL(fileURLWithPath: #filePath)
        let shared = ProcessInfo.processInfo.environment["AGENTGW_SHARED"]
            ?? here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("shared").path
        return try String(contentsOfFile: "\(shared)/seed/manifests/\(file)", encoding: .utf8)
    }

    /// A test API server, a client, a data plane on 127.0.0.1 (listener 80 on an ephemeral
    /// port) and the controller running.
    final class Harness: @unchecked Sendable {
        let server: TestAPIServer
        let client: KubeClient
        let runner: GatewayRunner
        let controller: KubernetesController
        var task: Task<Void, Never>?

        init(options: ControllerOptions = .init()) async throws {
            server = try await TestAPIServer.start()
            let kubeconfig = try KubeConfig.parse(Array(server.kubeconfig(token: nil).utf8), file: "/test/kubeconfig")
            var config = try ClientConfig.resolve(kubeconfig, overrides: .init(), environment: [:])
            config.requestTimeout = .seconds(10)
            client = try KubeClient(config: config)
            var runnerOptions = GatewayRunner.Options(paths: [])
            runnerOptions.bindAddress = "127.0.0.1"
            runnerOptions.portMap = [80: 0, 8080: 0]
            runnerOptions.adminHost = "127.0.0.1"
            runnerOptions.adminPort = 0
            runnerOptions.accessLog = .off
            runnerOptions.eventLog = EventLog(format: .text, level: .error)
            runner = try GatewayRunner(options: runnerOptions)
            try await runner.startWithoutConfig()
            var o = options
            o.debounce = .milliseconds(20)
            controller = KubernetesController(client: client, runner: runner, options: o)
        }

        func start() { task = Task { [controller] in await controller.run() } }

        /// Stores YAML documents (namespace default unless named).
        func seed(_ yaml: String) throws {
            for var doc in try YAMLReader.read(yaml, file: "seed").filter({ !$0.isNull }) {
                var meta = doc["metadata"] ?? [:]
                if meta["namespace"] == nil && doc["kind"]?.string != "Namespace" && doc["kind"]?.string != "GatewayClass" {
                    meta.set("namespace", "default")
                }
                doc.set("metadata", meta)
                try server.seed(doc.withoutMarks)
            }
        }

        func tutorial() throws {
            try seed(ControllerTests.gatewayClass)
            try seed(try ControllerTests.manifests("mcp-gateway.yaml"))
        }

        func gateway() -> Node? { server.object(group: GatewayAPI.group, plural: "gateways", namespace: "default", name: "test-mcp-gateway") }
        func route() -> Node? { server.object(group: GatewayAPI.group, plural: "httproutes", namespace: "default", name: "route-for-mcp-backend") }
        func service() -> Node? { server.object(group: "", plural: "services", namespace: "default", name: "agentgw-test-mcp-gateway") }

        func stop() async {
            task?.cancel()
            await task?.value
            await runner.shutdown(drainTimeout: .milliseconds(100))
            try? await client.shutdown()
            try? await server.shutdown()
        }
    }

    static func eventually(_ seconds: Double = 10, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    /// Waits until the served generation holds still for 700 ms: the controller's own status
    /// and Service writes come back through the watches and may recompile once more.
    static func settled(_ h: Harness) async -> Bool {
        await eventually {
            let generation = h.runner.server.context.store.current.generation
            try? await Task.sleep(for: .milliseconds(700))
            return h.runner.server.context.store.current.generation == generation
        }
    }

    static func condition(_ node: Node?, _ type: String) -> Node? {
        node?["conditions"]?.array?.first { $0["type"]?.string == type }
    }

    static func setIngress(_ h: Harness, ip: String) throws {
        var svc = try #require(h.service())
        svc.set("status", ["loadBalancer": ["ingress": [["ip": .string(ip)]]]])
        try h.server.seed(svc)
    }

    @Test func tutorialBecomesAcceptedAndProgrammedWithTheServiceAddress() async throws {
        let h = try await Harness()
        try h.tutorial()
        h.start()
        #expect(await Self.eventually { Self.condition(h.gateway()?["status"], "Accepted")?["status"]?.string == "True" },
                "\(h.gateway()?["status"] ?? .null) \(h.controller.counters)")
        let cls = h.server.object(group: GatewayAPI.group, plural: "gatewayclasses", namespace: nil, name: "ack-agent-gateway")
        #expect(Self.condition(cls?["status"], "Accepted")?["status"]?.string == "True")
        // No address yet: Programmed False, AddressNotAssigned.
        #expect(await Self.eventually { Self.condition(h.gateway()?["status"], "Programmed")?["reason"]?.string == "AddressNotAssigned" })
        let svc = try #require(h.service())
        #expect(svc["spec"]?["type"]?.string == "LoadBalancer")
        #expect(svc["spec"]?["ports"]?[0]?["port"]?.int == 80)
        #expect(svc["spec"]?["selector"]?["app.kubernetes.io/name"]?.string == "agentgw")
        #expect(svc["metadata"]?["ownerReferences"]?[0]?["kind"]?.string == "Gateway")
        #expect(svc["metadata"]?["ownerReferences"]?[0]?["uid"] == h.gateway()?["metadata"]?["uid"])
        // The route's parent entry (written after the Gateway's, in the same pass).
        #expect(await Self.eventually { h.route()?["status"]?["parents"]?[0] != nil })
        let parent = h.route()?["status"]?["parents"]?[0]
        #expect(parent?["controllerName"]?.string == AgentGateway.controllerName)
        #expect(Self.condition(parent, "Accepted")?["status"]?.string == "True")
        #expect(Self.condition(parent, "ResolvedRefs")?["status"]?.string == "True")
        // A cloud LB assigns an address.
        try Self.setIngress(h, ip: "203.0.113.7")
        #expect(await Self.eventually { Self.condition(h.gateway()?["status"], "Programmed")?["status"]?.string == "True" })
        let status = h.gateway()?["status"]
        #expect(status?["addresses"]?[0]?["value"]?.string == "203.0.113.7")
        #expect(status?["addresses"]?[0]?["type"]?.string == "IPAddress")
        let listener = status?["listeners"]?[0]
        #expect(listener?["name"]?.string == "http")
        #expect(listener?["attachedRoutes"]?.int == 1)
        #expect(listener?["supportedKinds"]?[0]?["kind"]?.string == "HTTPRoute")
        #expect(Self.condition(status, "Programmed")?["observedGeneration"]?.int == h.gateway()?["metadata"]?["generation"]?.int)
        // Steady state: no more writes.
        try await Task.sleep(for: .milliseconds(500))
        let writes = h.controller.counters.statusWrites
        h.controller.trigger()
        try await Task.sleep(for: .milliseconds(500))
        #expect(h.controller.counters.statusWrites == writes)
        await h.stop()
    }

    @Test func deletingTheGatewayDeletesItsService() async throws {
        let h = try await Harness()
        try h.tutorial()
        h.start()
        #expect(await Self.eventually { h.service() != nil })
        _ = try await h.client.delete(WatchedKind.gateway.resource, namespace: "default", name: "test-mcp-gateway")
        #expect(await Self.eventually { h.service() == nil })
        // Its route parent entry goes too (no served Gateway is left to speak for).
        #expect(await Self.eventually { (h.route()?["status"]?["parents"]?.array ?? []).isEmpty })
        await h.stop()
    }

    @Test func aWatchCutWith410RecoversAndLaterChangesTakeEffect() async throws {
        let h = try await Harness()
        try h.tutorial()
        h.start()
        #expect(await Self.eventually { h.service() != nil })
        h.server.compactHistory()
        h.server.closeWatches()
        try await Task.sleep(for: .milliseconds(200))
        try h.seed(try Self.manifests("mcp-api-key.yaml"))
        let policy = { h.server.object(group: AgentGateway.group, plural: "trafficpolicies", namespace: "default", name: "test-mcp-apikey-auth") }
        #expect(await Self.eventually {
            Self.condition(policy()?["status"]?["ancestors"]?[0], "Accepted")?["status"]?.string == "True"
        }, "\(policy()?["status"] ?? .null)")
        let ancestor = policy()?["status"]?["ancestors"]?[0]
        #expect(ancestor?["controllerName"]?.string == AgentGateway.controllerName)
        #expect(ancestor?["ancestorRef"]?["name"]?.string == "route-for-mcp-backend")
        // The compiled config has the policy: the route now needs a key.
        let config = h.runner.server.context.store.current
        #expect(config.generation >= 2)
        // A second cut, then a change to the Gateway: a new listener port reaches the Service.
        h.server.compactHistory()
        h.server.closeWatches()
        var gw = try #require(h.gateway())
        var listeners = gw["spec"]?["listeners"]?.array ?? []
        listeners.append(["name": "alt", "port": 8080, "protocol": "HTTP", "allowedRoutes": ["namespaces": ["from": "Same"]]])
        var spec = gw["spec"] ?? [:]
        spec.set("listeners", .array(listeners))
        gw.set("spec", spec)
        var meta = gw["metadata"] ?? [:]
        meta.set("generation", .int((meta["generation"]?.int ?? 1) + 1))
        gw.set("metadata", meta)
        try h.server.seed(gw)
        #expect(await Self.eventually { (h.service()?["spec"]?["ports"]?.array ?? []).count == 2 })
        await h.stop()
    }

    /// The API server goes away (its connections reset, then refused) while the controller
    /// watches: the data plane keeps the last good config, nothing is recompiled from failed
    /// lists, and once the server is back the watches resume and a change takes effect. No
    /// socket outlives the harness.
    @Test func anAPIServerOutageKeepsTheLastGoodConfigAndRecovers() async throws {
        let socketsBefore = Self.openSockets()
        let h = try await Harness()
        try h.tutorial()
        h.start()
        #expect(await Self.eventually {
            Self.condition(h.route()?["status"]?["parents"]?[0], "Accepted")?["status"]?.string == "True" && h.server.openWatches > 0
        })
        #expect(await Self.settled(h))
        let good = h.runner.server.context.store.current
        #expect(good.listeners[80]?.routes.entries.isEmpty == false)
        await h.server.goDown()
        // Several relist attempts fail meanwhile (the controller retries with backoff).
        try await Task.sleep(for: .seconds(2))
        let during = h.runner.server.context.store.current
        #expect(during.generation == good.generation)
        #expect(during.listeners.keys.sorted() == good.listeners.keys.sorted())
        #expect(during.listeners[80]?.routes.entries.isEmpty == false)
        try await h.server.comeBack()
        #expect(await Self.eventually(15) { h.server.openWatches > 0 })
        try h.seed(try Self.manifests("mcp-api-key.yaml"))
        let policy = { h.server.object(group: AgentGateway.group, plural: "trafficpolicies", namespace: "default", name: "test-mcp-apikey-auth") }
        #expect(await Self.eventually(15) {
            Self.condition(policy()?["status"]?["ancestors"]?[0], "Accepted")?["status"]?.string == "True"
        }, "\(policy()?["status"] ?? .null)")
        #expect(h.runner.server.context.store.current.generation > good.generation)
        await h.stop()
        // Every socket the harness opened (API server, client pool, watches, listeners) is closed.
        #expect(await Self.eventually { Set(Self.openSockets()).isSubset(of: socketsBefore) }, "\(socketsBefore) -> \(Self.openSockets())")
    }

    /// The process's open sockets. (Event loop descriptors don't count: NIO's process-wide
    /// singleton groups start lazily on first use and live until exit.)
    static func openSockets() -> [String] {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)") }
            .filter { $0.hasPrefix("socket:") }.sorted()
    }

    @Test func anotherControllersRouteParentSurvivesOurWrites() async throws {
        let h = try await Harness()
        try h.tutorial()
        var route = try #require(h.route())
        let foreign: Node = [
            "parentRef": ["group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "other-gateway"],
            "controllerName": "example.com/other-controller",
            "conditions": [["type": "Accepted", "status": "True", "reason": "Accepted", "message": "theirs",
                            "lastTransitionTime": "2020-01-01T00:00:00Z", "observedGeneration": 1]],
        ]
        route.set("status", ["parents": [foreign]])
        try h.server.seed(route)
        h.start()
        #expect(await Self.eventually { (h.route()?["status"]?["parents"]?.array ?? []).count == 2 })
        let parents = h.route()?["status"]?["parents"]?.array ?? []
        #expect(parents.contains { $0 == foreign })
        #expect(parents.contains { $0["controllerName"]?.string == AgentGateway.controllerName })
        // Gateway conditions another writer added stay too.
        await h.stop()
    }

    @Test func allowedRoutesSelectorUsesNamespaceLabels() async throws {
        let h = try await Harness()
        try h.seed(ControllerTests.gatewayClass)
        try h.seed("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: team-a, labels: {agentgw-routes: allowed}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: team-b}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: shared, namespace: default}
        spec:
          gatewayClassName: ack-agent-gateway
          listeners:
          - name: http
            port: 80
            protocol: HTTP
            allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {agentgw-routes: allowed}}}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r, namespace: team-a}
        spec:
          parentRefs: [{name: shared, namespace: default}]
          rules: [{backendRefs: [{group: agentgateway.alibabacloud.com, kind: Backend, name: missing}]}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r, namespace: team-b}
        spec:
          parentRefs: [{name: shared, namespace: default}]
          rules: [{backendRefs: [{group: agentgateway.alibabacloud.com, kind: Backend, name: missing}]}]
        """)
        h.start()
        let route = { (ns: String) in h.server.object(group: GatewayAPI.group, plural: "httproutes", namespace: ns, name: "r")?["status"]?["parents"]?[0] }
        #expect(await Self.eventually { route("team-a") != nil && route("team-b") != nil })
        #expect(Self.condition(route("team-a"), "Accepted")?["status"]?.string == "True")
        #expect(Self.condition(route("team-a"), "ResolvedRefs")?["reason"]?.string == "BackendNotFound")
        #expect(Self.condition(route("team-b"), "Accepted")?["status"]?.string == "False")
        #expect(Self.condition(route("team-b"), "Accepted")?["reason"]?.string == "NotAllowedByListeners")
        // Labelling team-b admits its route, live.
        var nsB = try #require(h.server.object(group: "", plural: "namespaces", namespace: nil, name: "team-b"))
        var meta = nsB["metadata"] ?? [:]
        meta.set("labels", ["agentgw-routes": "allowed"])
        nsB.set("metadata", meta)
        try h.server.seed(nsB)
        #expect(await Self.eventually { Self.condition(route("team-b"), "Accepted")?["status"]?.string == "True" })
        #expect(h.gateway() == nil)
        let gw = h.server.object(group: GatewayAPI.group, plural: "gateways", namespace: "default", name: "shared")
        #expect(gw?["status"]?["listeners"]?[0]?["attachedRoutes"]?.int == 2)
        await h.stop()
    }

    @Test func aFollowerServesButWritesNothing() async throws {
        struct Follower: LeadershipSource { var isLeader: Bool { false } }
        let h = try await Harness()
        let follower = KubernetesController(client: h.client, runner: h.runner, options: h.controller.options, leadership: Follower())
        try h.tutorial()
        let task = Task { await follower.run() }
        #expect(await Self.eventually { !h.runner.server.context.store.current.listeners.isEmpty })
        try await Task.sleep(for: .milliseconds(300))
        #expect(follower.counters.statusWrites == 0)
        #expect(h.service() == nil)
        #expect(h.gateway()?["status"]?["listeners"] == nil)
        task.cancel()
        await task.value
        await h.stop()
    }
}

/// The status rules without a server.
@Suite struct StatusPlanTests {
    @Test func conditionsKeepTheirTransitionTimeWhileTheStatusHolds() {
        let live: [Node] = [
            ["type": "Accepted", "status": "True", "reason": "Accepted", "message": "old", "observedGeneration": 1, "lastTransitionTime": "2020-01-01T00:00:00Z"],
            ["type": "Programmed", "status": "False", "reason": "Pending", "message": "", "observedGeneration": 1, "lastTransitionTime": "2020-01-01T00:00:00Z"],
            ["type": "example.com/Custom", "status": "True", "reason": "X", "message": "", "lastTransitionTime": "2020-01-01T00:00:00Z"],
        ]
        let merged = StatusPlan.merge([.init("Accepted", true, "Accepted", "new"), .init("Programmed", true, "Programmed", "ok")],
                                      live: live, generation: 2, now: "2026-01-01T00:00:00Z")
        #expect(merged.count == 3)
        #expect(merged[0]["lastTransitionTime"]?.string == "2020-01-01T00:00:00Z")
        #expect(merged[0]["observedGeneration"]?.int == 2)
        #expect(merged[0]["message"]?.string == "new")
        #expect(merged[1]["lastTransitionTime"]?.string == "2026-01-01T00:00:00Z")
        #expect(merged[2]["type"]?.string == "example.com/Custom")
        // Applying the result again changes nothing.
        let again = StatusPlan.merge([.init("Accepted", true, "Accepted", "new"), .init("Programmed", true, "Programmed", "ok")],
                                     live: merged, generation: 2, now: "2027-01-01T00:00:00Z")
        #expect(Node.array(again) == Node.array(merged))
    }

    @Test func serviceNamesAndAddresses() {
        #expect(ServicePlan.serviceName("default", "test-mcp-gateway") == "agentgw-test-mcp-gateway")
        #expect(ServicePlan.serviceName("default", String(repeating: "a", count: 80)).count == 63)
        let svc: Node = ["status": ["loadBalancer": ["ingress": [["ip": "198.51.100.1"], ["hostname": "lb.example.com"]]]]]
        let addresses = ServicePlan.addresses(of: svc)
        #expect(addresses.count == 2)
        #expect(addresses[1]["type"]?.string == "Hostname")
    }
}
