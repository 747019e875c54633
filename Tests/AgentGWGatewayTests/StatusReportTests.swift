import AgentGWModel
import Foundation
import Testing
@testable import AgentGWGateway

/// The Gateway API status a compile yields: conditions and reasons per Gateway, listener,
/// HTTPRoute parent and TrafficPolicy ancestor.
@Suite struct StatusReportTests {
    static func compile(_ yaml: String) throws -> RuntimeConfig {
        let docs = try YAMLReader.read(yaml, file: "status.yaml")
        var inputs = LoadedInputs()
        inputs.manifests = docs.enumerated().filter { !$0.element.isNull }.map { Manifest(node: $0.element, file: "status.yaml", documentIndex: $0.offset) }
        inputs.files = ["status.yaml"]
        var options = CompileOptions()
        options.referencesAsStatus = true   // as in cluster mode: unresolved references become status
        return try ConfigCompiler.compile(inputs, options: options, generation: 1).get()
    }

    static func condition(_ list: [StatusReport.Condition]?, _ type: String) -> StatusReport.Condition? {
        list?.first { $0.type == type }
    }

    @Test func theTutorialIsAcceptedEverywhere() throws {
        let files = ["mcp-server.yaml", "mcp-gateway.yaml", "mcp-api-key.yaml"].map { GatewayTestPaths.url("seed/manifests/\($0)").path }
        let config = try ConfigCompiler.compile(try ManifestLoader.load(files, recursive: false), options: CompileOptions(), generation: 1).get()
        let gw = try #require(config.status.gateway("default", "test-mcp-gateway"))
        #expect(Self.condition(gw.conditions, "Accepted")?.status == true)
        #expect(Self.condition(gw.conditions, "Programmed")?.reason == "Programmed")
        #expect(gw.listeners.map(\.name) == ["http"])
        #expect(gw.listeners.first?.attachedRoutes == 1)
        #expect(gw.listeners.first?.supportedKinds == ["HTTPRoute"])
        let route = try #require(config.status.route("default", "route-for-mcp-backend"))
        #expect(route.parents.count == 1)
        #expect(route.parents.first?.parentRef.name == "test-mcp-gateway")
        #expect(Self.condition(route.parents.first?.conditions, "Accepted")?.status == true)
        #expect(Self.condition(route.parents.first?.conditions, "ResolvedRefs")?.reason == "ResolvedRefs")
        let policy = try #require(config.status.policies.first)
        #expect(policy.ancestors.map(\.ancestorRef.name) == ["route-for-mcp-backend"])
        #expect(Self.condition(policy.ancestors.first?.conditions, "Accepted")?.status == true)
    }

    static let gateway = """
    apiVersion: gateway.networking.k8s.io/v1
    kind: Gateway
    metadata: {name: gw, namespace: default, generation: 3}
    spec:
      gatewayClassName: ack-agent-gateway
      listeners:
      - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com"}
      - {name: tcp, port: 9000, protocol: TCP}
      - {name: same, port: 8080, protocol: HTTP, allowedRoutes: {namespaces: {from: Same}}}
    ---
    apiVersion: agentgateway.alibabacloud.com/v1alpha1
    kind: Backend
    metadata: {name: b, namespace: default}
    spec: {type: MCP, mcp: {targets: [{name: t, static: {host: 127.0.0.1, port: 9, path: /mcp}}]}}
    ---

    """

    static func route(_ name: String, namespace: String = "default", parent: String, hostnames: String = "[]", backend: String = "b") -> String {
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: \(name), namespace: \(namespace), generation: 5}
        spec:
          parentRefs: [\(parent)]
          hostnames: \(hostnames)
          rules: [{backendRefs: [{group: agentgateway.alibabacloud.com, kind: Backend, name: \(backend)}]}]
        ---

        """
    }

    @Test func routeParentsGetTheSpecReasons() throws {
        let yaml = Self.gateway
            + Self.route("ok", parent: "{name: gw, sectionName: http}", hostnames: "[a.example.com]")
            + Self.route("nosection", parent: "{name: gw, sectionName: nope}")
            + Self.route("otherns", namespace: "team", parent: "{name: gw, namespace: default, sectionName: same}")
            + Self.route("nohost", parent: "{name: gw, sectionName: http}", hostnames: "[other.org]")
            + Self.route("missing", parent: "{name: gw, sectionName: http}", hostnames: "[a.example.com]", backend: "absent")
        let status = try Self.compile(yaml).status
        func accepted(_ name: String, _ ns: String = "default") -> StatusReport.Condition? {
            Self.condition(status.route(ns, name)?.parents.first?.conditions, "Accepted")
        }
        #expect(accepted("ok")?.status == true)
        #expect(accepted("nosection")?.reason == "NoMatchingParent")
        #expect(accepted("otherns", "team")?.reason == "NotAllowedByListeners")
        #expect(accepted("nohost")?.reason == "NoMatchingListenerHostname")
        #expect(accepted("nohost")?.status == false)
        let missing = try #require(status.route("default", "missing"))
        #expect(Self.condition(missing.parents.first?.conditions, "ResolvedRefs")?.reason == "BackendNotFound")
        #expect(Self.condition(missing.parents.first?.conditions, "ResolvedRefs")?.status == false)
        #expect(missing.generation == 5)
        // Listeners: the unsupported TCP listener makes the Gateway's listeners not all valid.
        let gw = try #require(status.gateway("default", "gw"))
        #expect(gw.generation == 3)
        #expect(gw.listeners.first { $0.name == "http" }?.attachedRoutes == 2)   // ok and missing
        #expect(Self.condition(gw.listeners.first { $0.name == "tcp" }?.conditions, "Accepted")?.reason == "UnsupportedProtocol")
        #expect(Self.condition(gw.conditions, "Accepted")?.reason == "ListenersNotValid")
    }

    @Test func aPolicyOnNothingIsNotAccepted() throws {
        let yaml = Self.gateway + Self.route("ok", parent: "{name: gw, sectionName: http}", hostnames: "[a.example.com]") + """
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: TrafficPolicy
        metadata: {name: p, namespace: default, generation: 2}
        spec:
          targetRefs:
          - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: ok}
          - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: ghost}
          traffic: {rateLimit: {local: [{requests: 5, unit: Minutes}]}}

        """
        let policy = try #require(try Self.compile(yaml).status.policy("default", "p"))
        #expect(policy.generation == 2)
        #expect(policy.ancestors.map(\.ancestorRef.name) == ["ok", "ghost"])
        #expect(Self.condition(policy.ancestors[0].conditions, "Accepted")?.status == true)
        #expect(Self.condition(policy.ancestors[1].conditions, "Accepted")?.reason == "TargetNotFound")
    }
}
