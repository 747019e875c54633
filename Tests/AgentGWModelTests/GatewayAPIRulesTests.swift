import Testing
@testable import AgentGWModel

/// The hand-coded CEL rules, one or two cases each beyond the upstream invalid examples.
@Suite struct GatewayAPIRulesTests {
    static func rules(_ yaml: String) throws -> [String] {
        let node = try YAMLReader.read(yaml, file: "r.yaml")[0]
        return ObjectValidator.validate(Manifest(node: node, file: "r.yaml")).diagnostics
            .filter { $0.severity == .error }.map(\.rule)
    }

    static func route(_ rules: String, parentRefs: String = "[{name: gw}]") -> String {
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r}
        spec:
          parentRefs: \(parentRefs)
          rules:
        \(rules)
        """
    }

    @Test func httpRoutePathRules() throws {
        func path(_ type: String, _ value: String) throws -> [String] {
            try Self.rules(Self.route("  - matches: [{path: {type: \(type), value: '\(value)'}}]"))
        }
        #expect(try path("PathPrefix", "/ok/path-1.2~").isEmpty)
        #expect(try path("Exact", "relative") .contains("cel.httproute.path-absolute"))
        #expect(try path("PathPrefix", "/a//b").contains("cel.httproute.path-segment"))
        #expect(try path("PathPrefix", "/a/..").contains("cel.httproute.path-segment"))
        #expect(try path("PathPrefix", "/a%2Fb").contains("cel.httproute.path-segment"))
        #expect(try path("PathPrefix", "/a%zz").contains("cel.httproute.path-characters"))
        #expect(try path("RegularExpression", "/a[0-9]+//").isEmpty)
    }

    @Test func httpRouteFiltersAndTimeouts() throws {
        let both = Self.route("""
              - filters:
                - {type: RequestRedirect, requestRedirect: {scheme: https}}
                - {type: URLRewrite, urlRewrite: {hostname: example.com}}
            """)
        #expect(try Self.rules(both).contains("cel.httproute.redirect-and-rewrite"))
        let prefix = Self.route("""
              - matches: [{path: {type: Exact, value: /a}}]
                filters:
                - {type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /b}}}
            """)
        #expect(try Self.rules(prefix).contains("cel.httproute.rewrite-prefix-match"))
        let modifier = Self.route("""
              - filters:
                - {type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath}}}
            """)
        #expect(try Self.rules(modifier).contains("cel.httproute.path-modifier"))
        let mirror = Self.route("""
              - filters:
                - type: RequestMirror
                  requestMirror: {backendRef: {name: m, port: 80}, fraction: {numerator: 3, denominator: 2}}
            """)
        #expect(try Self.rules(mirror) == ["cel.httproute.mirror-fraction"])
        let cors = Self.route("""
              - filters:
                - {type: CORS, cors: {allowOrigins: ['*', 'https://a.example']}}
            """)
        #expect(try Self.rules(cors) == ["cel.httproute.cors-wildcard"])
        let timeouts = Self.route("  - timeouts: {request: 10s, backendRequest: 1m}")
        #expect(try Self.rules(timeouts) == ["cel.httproute.backend-timeout"])
        #expect(try Self.rules(Self.route("  - timeouts: {request: 0s, backendRequest: 1m}")).isEmpty)
        #expect(try Self.rules(Self.route("  - timeouts: {request: 1m, backendRequest: 500ms}")).isEmpty)
    }

    @Test func parentRefSectionNames() throws {
        let unique = Self.route("  - {}", parentRefs: "[{name: gw, sectionName: a}, {name: gw, sectionName: a}]")
        #expect(try Self.rules(unique).contains("cel.httproute.section-name-unique"))
        let specified = Self.route("  - {}", parentRefs: "[{name: gw, sectionName: a}, {name: gw}]")
        #expect(try Self.rules(specified).contains("cel.httproute.section-name-specified"))
        let otherNamespace = Self.route("  - {}", parentRefs: "[{name: gw}, {name: gw, namespace: other}]")
        #expect(try Self.rules(otherNamespace).isEmpty)
    }

    static func gateway(_ listeners: String) -> String {
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: c
          listeners:
        \(listeners)
        """
    }

    @Test func gatewayListenerRules() throws {
        #expect(try Self.rules(Self.gateway("  - {name: a, protocol: TLS, port: 443}")) == ["cel.gateway.tls-mode-required"])
        #expect(try Self.rules(Self.gateway("  - {name: a, protocol: HTTPS, port: 443, tls: {}}")) == ["cel.gateway.terminate-certificates"])
        #expect(try Self.rules(Self.gateway("  - {name: a, protocol: TLS, port: 443, tls: {mode: Passthrough}}")).isEmpty)
        let combo = Self.gateway("  - {name: a, protocol: HTTP, port: 80}\n  - {name: b, protocol: HTTP, port: 80}")
        #expect(try Self.rules(combo) == ["cel.gateway.port-protocol-hostname-unique"])
        let hosts = Self.gateway("  - {name: a, protocol: HTTP, port: 80, hostname: a.example}\n  - {name: b, protocol: HTTP, port: 80}")
        #expect(try Self.rules(hosts).isEmpty)
    }

    @Test func gatewayAddressesAndInfrastructure() throws {
        let text = Self.gateway("  - {name: a, protocol: HTTP, port: 80}") + """

              addresses: [{value: 10.0.0.1}, {type: IPAddress, value: 10.0.0.1}]
              infrastructure: {labels: {"-bad": x}}
            """
        let found = try Self.rules(text)
        #expect(found.contains("cel.gateway.ipaddress-unique"))
        #expect(found.contains("cel.gateway.label-key"))
    }

    @Test func grpcRouteMethodRules() throws {
        func method(_ m: String) throws -> [String] {
            try Self.rules("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: GRPCRoute
                metadata: {name: g}
                spec:
                  rules:
                  - matches: [{method: \(m)}]
                """)
        }
        #expect(try method("{service: foo.Bar, method: Get}").isEmpty)
        #expect(try method("{type: Exact}").contains("cel.grpcroute.method-service"))
        #expect(try method("{service: 'foo..bar'}").contains("cel.grpcroute.service-characters"))
        #expect(try method("{method: 'Get-It'}").contains("cel.grpcroute.method-characters"))
    }

    @Test func tlsRouteHostnames() throws {
        func hostnames(_ h: String) throws -> [String] {
            try Self.rules("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: TLSRoute
                metadata: {name: t}
                spec:
                  hostnames: [\(h)]
                  rules: [{backendRefs: [{name: s, port: 443}]}]
                """)
        }
        #expect(try hostnames("'*.example.com', a.example.com").isEmpty)
        #expect(try hostnames("10.0.0.1").contains("cel.tlsroute.hostname-ip"))
    }

    @Test func backendTLSPolicyRules() throws {
        func policy(_ validation: String) throws -> [String] {
            try Self.rules("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: BackendTLSPolicy
                metadata: {name: p}
                spec:
                  targetRefs: [{group: '', kind: Service, name: s}]
                  validation: \(validation)
                """)
        }
        #expect(try policy("{hostname: a.example, wellKnownCACertificates: System}").isEmpty)
        #expect(try policy("{hostname: a.example}").contains("cel.backendtlspolicy.ca-required"))
        let san = "{hostname: a.example, wellKnownCACertificates: System, subjectAltNames: [{type: URI, hostname: x.example}]}"
        #expect(try policy(san).contains("cel.backendtlspolicy.san-uri"))
    }

    @Test func gatewayClassControllerNameIsImmutable() throws {
        let old: Node = ["spec": ["controllerName": "a.example/x"]]
        let new: Node = ["spec": ["controllerName": "a.example/y"]]
        #expect(GatewayClassRules.checkUpdate(old: old, new: new).map(\.rule) == ["cel.gatewayclass.controller-name-immutable"])
        #expect(GatewayClassRules.checkUpdate(old: old, new: old).isEmpty)
    }

    @Test func durations() {
        #expect(Durations.nanoseconds("1h30m") == 5400e9)
        #expect(Durations.nanoseconds("500ms") == 0.5e9)
        #expect(Durations.nanoseconds("0s") == 0)
        #expect(Durations.nanoseconds("abc") == nil)
    }
}
