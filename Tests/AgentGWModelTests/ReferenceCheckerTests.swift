import Testing
@testable import AgentGWModel

/// Cross-reference rules: missing targets warn, contradictions are errors.
@Suite struct ReferenceCheckerTests {
    func check(_ yaml: String, classes: Set<String> = [AgentGateway.defaultGatewayClass]) throws -> [Diagnostic] {
        var inputs = LoadedInputs()
        inputs.add(bytes: Array(yaml.utf8), file: "in.yaml", limits: .default)
        #expect(inputs.readErrors.isEmpty)
        return ReferenceChecker(servedClasses: classes).check(inputs.manifests)
    }

    func rules(_ d: [Diagnostic], _ severity: Diagnostic.Severity) -> [String] {
        d.filter { $0.severity == severity }.map(\.rule).sorted()
    }

    let gateway = """
    apiVersion: gateway.networking.k8s.io/v1
    kind: Gateway
    metadata: {name: gw}
    spec:
      gatewayClassName: ack-agent-gateway
      listeners:
      - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com"}
      - {name: tcp, port: 9000, protocol: TCP}
    """

    @Test func sectionNameAndPortMustMatchAListener() throws {
        let d = try check(gateway + """

        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r}
        spec:
          parentRefs: [{name: gw, sectionName: https}, {name: gw, port: 443}, {name: gw, sectionName: tcp}]
        """)
        #expect(rules(d, .error) == ["ref.no-matching-parent", "ref.no-matching-parent", "ref.not-allowed-by-listeners"])
    }

    @Test func hostnamesMustIntersect() throws {
        let d = try check(gateway + """

        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r}
        spec:
          parentRefs: [{name: gw, sectionName: http}]
          hostnames: [mcp.other.org]
        """)
        #expect(rules(d, .error) == ["ref.no-matching-listener-hostname"])
        #expect(Hostnames.intersect("*.example.com", "a.example.com"))
        #expect(!Hostnames.intersect("*.example.com", "example.com"))
    }

    @Test func backendKindsAndServicePorts() throws {
        let d = try check(gateway + """

        ---
        apiVersion: v1
        kind: Service
        metadata: {name: svc}
        spec: {ports: [{port: 8000}]}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r}
        spec:
          parentRefs: [{name: gw, sectionName: http}]
          rules:
          - backendRefs: [{name: svc, port: 9999}, {name: gone, port: 1}, {group: example.com, kind: Bucket, name: b}, {name: svc, namespace: other, port: 8000}]
        """)
        #expect(rules(d, .error) == ["ref.invalid-kind", "ref.service-port"])
        #expect(rules(d, .warning) == ["ref.backend-not-found", "ref.backend-not-found", "ref.not-permitted"])
    }

    @Test func referenceGrantPermitsCrossNamespaceBackends() throws {
        let d = try check("""
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: g, namespace: tools}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default}]
          to: [{group: agentgateway.alibabacloud.com, kind: Backend}]
        ---
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: Backend
        metadata: {name: b, namespace: tools}
        spec: {type: MCP, mcp: {targets: [{name: t, static: {host: h, port: 1}}]}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r}
        spec:
          rules: [{backendRefs: [{group: agentgateway.alibabacloud.com, kind: Backend, name: b, namespace: tools}]}]
        """)
        #expect(d.isEmpty, "\(d)")
    }

    @Test func gatewayClassesWeDoNotServe() throws {
        let foreign = try check("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: ack-agent-gateway}
        spec: {controllerName: example.com/other}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec: {gatewayClassName: ack-agent-gateway, listeners: [{name: http, port: 80, protocol: HTTP}]}
        """)
        #expect(rules(foreign, .error) == ["ref.gateway-class-foreign"])
        let unknown = try check("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec: {gatewayClassName: istio, listeners: [{name: http, port: 80, protocol: HTTP}]}
        """)
        #expect(rules(unknown, .warning) == ["ref.gateway-class-unknown"])
    }

    @Test func policiesSecretsAndPrefixes() throws {
        let long = String(repeating: "a", count: 63)
        let d = try check("""
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: TrafficPolicy
        metadata: {name: p}
        spec:
          targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: nope}]
          traffic: {authentication: {apiKeyAuth: {secretRef: {name: missing}}}}
        ---
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: Backend
        metadata: {name: b}
        spec:
          type: MCP
          mcp:
            targets:
            - {name: \(long), static: {host: h, port: 1}}
            - {name: short, static: {host: h, port: 2}}
        ---
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: Backend
        metadata: {name: b}
        spec: {type: MCP, mcp: {targets: [{name: t, static: {host: h, port: 1}}]}}
        """)
        #expect(rules(d, .error) == ["input.duplicate-object", "mcp.prefix-too-long"])
        #expect(rules(d, .warning) == ["ref.secret-not-found", "ref.target-not-found"])
        #expect(d.allSatisfy { $0.mark?.file == "in.yaml" })
    }
}

/// Generators refuse bad options with messages naming the flag.
@Suite struct GeneratorTests {
    @Test func serviceAddressFillsInTheFQDN() throws {
        let a = try Generators.serviceAddress("demo-mcp-server:8000", defaultNamespace: "default")
        #expect(a.host == "demo-mcp-server.default.svc.cluster.local" && a.port == 8000)
        let b = try Generators.serviceAddress("svc.tools:80", defaultNamespace: "default")
        #expect(b.host == "svc.tools.svc.cluster.local")
        #expect(throws: GeneratorError.self) { try Generators.serviceAddress("svc.tools.svc.cluster.local:80", defaultNamespace: "x") }
    }

    @Test func rateLimitSyntax() throws {
        let l = try Generators.parseRateLimit("5/hour,burst=2,per=Route,tool=fetch")
        #expect(l["requests"]?.int == 5 && l["unit"]?.string == "Hours" && l["burst"]?.int == 2 && l["per"]?.string == "Route" && l["tool"]?.string == "fetch")
        for bad in ["0/minute", "5/fortnight", "5/minute,burst=-1", "5/minute,per=Pod", "5/minute,color=red", "5"] {
            #expect(throws: GeneratorError.self, "\(bad)") { try Generators.parseRateLimit(bad) }
        }
    }

    @Test func targetsParseAndNamesAreUnique() throws {
        let t = try Generators.TargetSpec.parse("name=a,host=h,port=1,protocol=SSE")
        #expect(t.protocol == .sse && t.path == nil)
        #expect(throws: GeneratorError.self) { try Generators.TargetSpec.parse("name=a,host=h,port=1,color=red") }
        #expect(throws: GeneratorError.self) { try Generators.backend(name: "b", namespace: nil, targets: [t, t]) }
    }

    @Test func apiKeysAreBase64URL() {
        #expect(Base64URL.encode(Array("hello?>".utf8)) == "aGVsbG8_Pg")
        #expect(Generators.generateAPIKey() != Generators.generateAPIKey())
    }
}
