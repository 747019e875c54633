import AgentGWMCP
import AgentGWModel
import Foundation
import Testing
@testable import AgentGWGateway

/// Compiling the tutorial's manifests and the compiler's attachment, backend and error rules.
@Suite struct ConfigCompilerTests {
    static let demoHost = "demo-mcp-server.default.svc.cluster.local"

    static func tutorial(_ names: [String], options: CompileOptions = CompileOptions()) throws -> Result<RuntimeConfig, CompileError> {
        let files = names.map { GatewayTestPaths.url("seed/manifests/\($0)").path }
        return ConfigCompiler.compile(try ManifestLoader.load(files, recursive: false), options: options, generation: 7)
    }

    @Test func tutorialCompilesToOneListenerWithTheMCPTarget() throws {
        let config = try Self.tutorial(["mcp-server.yaml", "mcp-gateway.yaml"]).get()
        #expect(config.generation == 7)
        #expect(config.listeners.keys.sorted() == [80])
        let listener = try #require(config.listeners[80])
        #expect(listener.listenerNames == ["default/test-mcp-gateway/http"])
        let match = try #require(listener.routes.match(CompileFixtures.request("/mcp", host: "localhost", method: "POST")))
        #expect(match.rule.routeName == "default/route-for-mcp-backend")
        #expect(match.matchedPrefix == "/")
        guard case .mcp(let target)? = match.rule.backends.first?.backend else {
            Issue.record("expected an MCP target, got \(match.rule.backends)")
            return
        }
        #expect(match.rule.backends.count == 1 && match.rule.backends[0].weight == 1)
        #expect(target.backendName == "default/test-mcp" && target.targetName == "mcp-target")
        #expect(target.connectHost == Self.demoHost && target.connectPort == 8000)
        #expect(target.hostHeader == "\(Self.demoHost):8000")
        #expect(target.path == "/mcp" && target.transport == .streamableHTTP)
        #expect(target.headers.isEmpty && target.timeout == nil)
        #expect(match.rule.policy.apiKeys == nil && match.rule.policy.sources.isEmpty)
    }

    @Test func tutorialAPIKeyPolicyGivesTwoKeys() throws {
        let config = try Self.tutorial(["mcp-server.yaml", "mcp-gateway.yaml", "mcp-api-key.yaml"]).get()
        let match = try #require(config.listeners[80]?.routes.match(CompileFixtures.request("/mcp")))
        let keys = try #require(match.rule.policy.apiKeys)
        #expect(keys.count == 2)
        #expect(Set(keys.map { String(decoding: $0, as: UTF8.self) }) == ["key-value-foo", "key-value-bar"])
        #expect(match.rule.policy.apiKeyHeader == nil)
        #expect(match.rule.policy.sources == ["default/test-mcp-apikey-auth"])
    }

    @Test func resolveChangesTheConnectAddressOnly() throws {
        let options = CompileOptions(resolve: ["\(Self.demoHost):8000": ("127.0.0.1", 18000)])
        let config = try Self.tutorial(["mcp-gateway.yaml"], options: options).get()
        let match = try #require(config.listeners[80]?.routes.match(CompileFixtures.request("/mcp")))
        guard case .mcp(let target)? = match.rule.backends.first?.backend else {
            Issue.record("expected an MCP target")
            return
        }
        #expect(target.connectHost == "127.0.0.1" && target.connectPort == 18000)
        #expect(target.hostHeader == "\(Self.demoHost):8000")
    }

    @Test func parseResolveArguments() {
        let plain = CompileOptions.parseResolve("Demo.svc:8000:127.0.0.1")
        #expect(plain?.key == "demo.svc:8000" && plain?.target.host == "127.0.0.1" && plain?.target.port == 8000)
        let withPort = CompileOptions.parseResolve("demo.svc:8000:[::1]:9000")
        #expect(withPort?.key == "demo.svc:8000" && withPort?.target.host == "::1" && withPort?.target.port == 9000)
        #expect(CompileOptions.parseResolve("demo.svc:8000") == nil)
        #expect(CompileOptions.parseResolve("demo.svc:x:1.2.3.4") == nil)
        #expect(CompileOptions.parseResolve("demo.svc:80:1.2.3.4:0") == nil)
        let wildcard = CompileOptions(resolve: ["*:8000": ("10.0.0.1", 8000)])
        let hit = wildcard.connectAddress(host: "any.host", port: 8000), miss = wildcard.connectAddress(host: "any.host", port: 9000)
        #expect(hit.host == "10.0.0.1" && hit.port == 8000)
        #expect(miss.host == "any.host" && miss.port == 9000)
    }

    @Test func serviceBackendRefAndWeights() throws {
        let route = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: r
        spec:
          parentRefs:
          - name: gw
          rules:
          - backendRefs:
            - name: svc-a
              port: 8080
              weight: 3
            - name: svc-b
              port: 8080
              weight: 0
        """
        let options = CompileOptions(resolve: ["svc-a.default.svc.cluster.local:8080": ("127.0.0.1", 9999)])
        let config = try CompileFixtures.config(CompileFixtures.gateway(), CompileFixtures.service("svc-a"), CompileFixtures.service("svc-b"), route,
                                                options: options)
        let rule = try #require(config.listeners[80]?.routes.match(CompileFixtures.request("/x"))?.rule)
        #expect(rule.backends.map(\.weight) == [3, 0])
        guard case .service(let name, let host, let port, let hostHeader) = rule.backends[0].backend,
              case .service(_, let hostB, let portB, _) = rule.backends[1].backend else {
            Issue.record("expected Service targets")
            return
        }
        #expect(name == "default/svc-a" && host == "127.0.0.1" && port == 9999)
        #expect(hostHeader == "svc-a.default.svc.cluster.local:8080")
        #expect(hostB == "svc-b.default.svc.cluster.local" && portB == 8080)
    }

    @Test func unresolvableBackendRefLeavesARuleWithoutBackends() throws {
        let route = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: r
          namespace: apps
        spec:
          parentRefs:
          - name: gw
            namespace: infra
          rules:
          - matches:
            - path: {type: PathPrefix, value: /missing}
            backendRefs:
            - {group: agentgateway.alibabacloud.com, kind: Backend, name: nowhere}
          - matches:
            - path: {type: PathPrefix, value: /other-ns}
            backendRefs:
            - {group: agentgateway.alibabacloud.com, kind: Backend, name: mcp, namespace: tools}
        """
        let gw = CompileFixtures.gateway(namespace: "infra", listeners: [("http", 80, "All", nil)])
        let config = try CompileFixtures.config(gw, route, CompileFixtures.backend("mcp", namespace: "tools"))
        let table = try #require(config.listeners[80]?.routes)
        #expect(table.match(CompileFixtures.request("/missing"))?.rule.backends.isEmpty == true)
        #expect(table.match(CompileFixtures.request("/other-ns"))?.rule.backends.isEmpty == true)
        #expect(config.warnings.contains { $0.rule == "compile.backend-not-permitted" })
        #expect(config.warnings.contains { $0.rule == "compile.rule-without-backends" })

        let grant = """
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata:
          name: allow-apps
          namespace: tools
        spec:
          from:
          - {group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: apps}
          to:
          - {group: agentgateway.alibabacloud.com, kind: Backend}
        """
        let granted = try CompileFixtures.config(gw, route, CompileFixtures.backend("mcp", namespace: "tools"), grant)
        let rule = granted.listeners[80]?.routes.match(CompileFixtures.request("/other-ns"))?.rule
        #expect(CompileFixtures.backendNames(rule.map { RouteMatch(rule: $0, matchedPrefix: nil) }) == ["tools/mcp"])
    }

    @Test func routesAttachOnlyWhereListenersAdmitThem() throws {
        let gw = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: gw
          namespace: infra
        spec:
          gatewayClassName: ack-agent-gateway
          listeners:
          - name: same
            port: 80
            protocol: HTTP
            allowedRoutes: {namespaces: {from: Same}}
          - name: all
            port: 8080
            protocol: HTTP
            allowedRoutes: {namespaces: {from: All}}
          - name: grpc-only
            port: 8081
            protocol: HTTP
            allowedRoutes:
              namespaces: {from: All}
              kinds: [{kind: GRPCRoute}]
          - name: selector
            port: 8082
            protocol: HTTP
            allowedRoutes:
              namespaces:
                from: Selector
                selector: {matchLabels: {team: a}}
          - name: tcp
            port: 9000
            protocol: TCP
        """
        let route = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: r
          namespace: apps
        spec:
          parentRefs:
          - {name: gw, namespace: infra}
          rules:
          - backendRefs: [{name: svc, port: 8080}]
        """
        let config = try CompileFixtures.config(gw, route, CompileFixtures.service("svc", namespace: "apps"))
        #expect(config.listeners.keys.sorted() == [80, 8080, 8081, 8082])
        #expect(config.listeners[80]?.routes.entries.isEmpty == true)
        #expect(config.listeners[8080]?.routes.entries.count == 1)
        #expect(config.listeners[8081]?.routes.entries.isEmpty == true)
        #expect(config.listeners[8082]?.routes.entries.isEmpty == true)
        #expect(config.warnings.contains { $0.rule == "compile.selector-not-attached" })
        #expect(config.warnings.contains { $0.rule == "compile.listener-protocol" })
        #expect(config.listeners[80]?.routes.match(CompileFixtures.request("/")) == nil)
        #expect(config.listeners[8080]?.routes.match(CompileFixtures.request("/")) != nil)
    }

    @Test func sectionNameAndHostnameIntersection() throws {
        let gw = CompileFixtures.gateway(listeners: [("a", 80, "Same", "*.example.com"), ("b", 80, "Same", "other.test"), ("c", 81, "Same", nil)])
        let route = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: r
        spec:
          parentRefs:
          - {name: gw, sectionName: a}
          - {name: gw, sectionName: c}
          hostnames: ["api.example.com", "nomatch.org"]
          rules:
          - backendRefs: [{name: svc, port: 8080}]
        """
        let config = try CompileFixtures.config(gw, route, CompileFixtures.service("svc"))
        let port80 = try #require(config.listeners[80]?.routes)
        #expect(port80.entries.map(\.hostnames) == [["api.example.com"]])
        #expect(port80.match(CompileFixtures.request("/", host: "api.example.com")) != nil)
        #expect(port80.match(CompileFixtures.request("/", host: "www.example.com")) == nil)
        #expect(port80.match(CompileFixtures.request("/", host: "other.test")) == nil)
        let port81 = try #require(config.listeners[81]?.routes)
        #expect(port81.match(CompileFixtures.request("/", host: "nomatch.org")) != nil)
        #expect(port81.match(CompileFixtures.request("/", host: "elsewhere.org")) == nil)
        #expect(config.listeners[80]?.listenerNames == ["default/gw/a", "default/gw/b"])
    }

    @Test func unservedGatewayClassesAreIgnored() throws {
        let gw = CompileFixtures.gateway().replacingOccurrences(of: "ack-agent-gateway", with: "someone-else")
        let config = try CompileFixtures.config(gw)
        #expect(config.listeners.isEmpty)
        #expect(config.warnings.contains { $0.rule == "ref.gateway-class-unknown" })
        let served = try CompileFixtures.config(gw, options: CompileOptions(gatewayClasses: ["someone-else"]))
        #expect(served.listeners.keys.sorted() == [80])
    }

    @Test func invalidInputFailsWithValidatesDiagnostics() throws {
        let broken = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: gw
        spec:
          gatewayClassName: ack-agent-gateway
          listeners:
          - name: http
            port: 0
            protocol: HTTP
        """
        let inputs = try CompileFixtures.inputs([broken, CompileFixtures.backend("b")])
        let expected = ManifestValidator(references: ReferenceChecker()).validate(inputs).diagnostics
        #expect(expected.contains { $0.severity == .error })
        switch ConfigCompiler.compile(inputs, options: CompileOptions(), generation: 1) {
        case .success: Issue.record("an invalid Gateway compiled")
        case .failure(let error):
            #expect(error.diagnostics == expected)
            #expect(error.description == expected.filter { $0.severity == .error }.map(\.description).joined(separator: "\n"))
            #expect(error.description.hasPrefix("-:"))
        }
    }
}
