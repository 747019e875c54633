import AgentGWMCP
import AgentGWModel
import Foundation
import Testing
@testable import AgentGWGateway

/// TrafficPolicy attachment and precedence, Secrets (values never leak), filters and
/// header-injection checks, durations, and the /config description.
@Suite struct PolicyCompileTests {
    static let recognizableKey = "sk-RECOGNIZABLE-7f3a9c"
    static let recognizableHeader = "hdr-SECRET-55e1d0"

    static func secret(_ name: String, _ values: [String: String], base64: Bool = false) -> String {
        let field = base64 ? "data" : "stringData"
        let body = values.sorted { $0.key < $1.key }.map { "  \($0.key): \"\(base64 ? Array($0.value.utf8).base64 : $0.value)\"" }.joined(separator: "\n")
        return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: \(name)\n\(field):\n\(body)"
    }

    static func policy(_ name: String, target: String, traffic: String) -> String {
        """
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: TrafficPolicy
        metadata:
          name: \(name)
        spec:
          targetRefs:
          - \(target)
          traffic:
        \(traffic)
        """
    }

    static func route(_ name: String, prefix: String) -> String {
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: \(name)
        spec:
          parentRefs:
          - name: gw
          rules:
          - matches:
            - path: {type: PathPrefix, value: \(prefix)}
            backendRefs:
            - {group: agentgateway.alibabacloud.com, kind: Backend, name: mcp}
        """
    }

    static var scenario: [String] {
        [
            CompileFixtures.gateway(listeners: [("http", 80, "Same", nil), ("alt", 81, "Same", nil)]),
            CompileFixtures.backend("mcp"),
            route("with-own-policy", prefix: "/own"),
            route("plain", prefix: "/plain"),
            secret("gw-keys", ["a": "gw-key-1", "b": "gw-key-2", "c": ""]),
            secret("route-keys", ["only": "route-key"], base64: true),
            policy("gateway-wide", target: "{group: gateway.networking.k8s.io, kind: Gateway, name: gw}", traffic: """
                authentication:
                  apiKeyAuth:
                    secretRef: {name: gw-keys}
                rateLimit:
                  local:
                  - {requests: 100, unit: Minutes}
                timeouts: {request: 30s, idle: 5m}
            """),
            policy("listener-alt", target: "{group: gateway.networking.k8s.io, kind: Gateway, name: gw, sectionName: alt}", traffic: """
                rateLimit:
                  local:
                  - {requests: 5, unit: Seconds, burst: 2, per: APIKey, tool: "fetch*"}
            """),
            policy("route-level", target: "{group: gateway.networking.k8s.io, kind: HTTPRoute, name: with-own-policy}", traffic: """
                rateLimit:
                  local:
                  - {requests: 10, unit: Hours, per: Route}
                mcp:
                  authorization:
                    allowTools: ["get_*"]
                    denyTools: [get_secret]
                timeouts: {request: 0s}
            """),
        ]
    }

    static func compile(_ documents: [String]) throws -> Result<RuntimeConfig, CompileError> {
        ConfigCompiler.compile(try CompileFixtures.inputs(documents), options: CompileOptions(), generation: 1)
    }

    static func policy(_ config: RuntimeConfig, port: Int, path: String) throws -> EffectivePolicy {
        try #require(config.listeners[port]?.routes.match(CompileFixtures.request(path))).rule.policy
    }

    @Test func routePolicyWinsFieldByFieldOverGatewayPolicy() throws {
        let config = try Self.compile(Self.scenario).get()
        let own = try Self.policy(config, port: 80, path: "/own")
        // Auth and the idle timeout come from the Gateway; rate limits, tools and the
        // (disabled) request timeout from the route.
        #expect(own.apiKeys?.map { String(decoding: $0, as: UTF8.self) }.sorted() == ["gw-key-1", "gw-key-2"])
        #expect(own.rateLimits.map(\.id) == ["default/route-level#0"])
        #expect(own.rateLimits.first?.scope == .route && own.rateLimits.first?.window == .seconds(3600))
        #expect(own.tools.allows("get_weather") && !own.tools.allows("get_secret") && !own.tools.allows("delete"))
        #expect(own.requestTimeout == .zero && own.idleTimeout == .seconds(300))   // 0s: disabled, and it wins
        #expect(own.sources == ["default/gateway-wide", "default/route-level"])

        let plain = try Self.policy(config, port: 80, path: "/plain")
        #expect(plain.apiKeys?.count == 2)
        let limit = try #require(plain.rateLimits.first)
        #expect(limit.id == "default/gateway-wide#0" && limit.requests == 100 && limit.window == .seconds(60))
        #expect(limit.burst == 100 && limit.scope == .client && limit.tool == nil)
        #expect(plain.requestTimeout == .seconds(30) && plain.tools.allows("anything"))
        #expect(plain.sources == ["default/gateway-wide"])

        // The listener-level policy beats the Gateway-wide one on its listener only.
        let alt = try Self.policy(config, port: 81, path: "/plain")
        let altLimit = try #require(alt.rateLimits.first)
        #expect(altLimit.id == "default/listener-alt#0" && altLimit.burst == 7 && altLimit.scope == .apiKey && altLimit.tool == "fetch*")
        #expect(alt.apiKeys?.count == 2)
        // The route policy still wins over the listener policy.
        #expect(try Self.policy(config, port: 81, path: "/own").rateLimits.map(\.id) == ["default/route-level#0"])
    }

    @Test func routeAPIKeysReplaceGatewayKeys() throws {
        let docs = Self.scenario + [Self.policy("route-auth", target: "{group: gateway.networking.k8s.io, kind: HTTPRoute, name: plain}", traffic: """
            authentication:
              apiKeyAuth:
                secretRef: {name: route-keys}
                header: X-Api-Key
        """)]
        let config = try Self.compile(docs).get()
        let plain = try Self.policy(config, port: 80, path: "/plain")
        #expect(plain.apiKeys?.map { String(decoding: $0, as: UTF8.self) } == ["route-key"])
        #expect(plain.apiKeyHeader == "X-Api-Key")
    }

    @Test func missingAPIKeySecretFailsClosedWithoutValues() throws {
        let docs = Self.scenario.filter { !$0.contains("name: gw-keys\n") }
        switch try Self.compile(docs) {
        case .success: Issue.record("a policy without its Secret compiled")
        case .failure(let error):
            let finding = try #require(error.diagnostics.first { $0.rule == "compile.secret-not-found" })
            #expect(finding.severity == .error && finding.message.contains("\"default/gw-keys\"") && finding.message.contains("default/gateway-wide"))
            #expect(!error.description.contains("route-key") && !error.description.contains("gw-key-1"))
            #expect(error.diagnostics.contains { $0.rule == "ref.secret-not-found" && $0.severity == .warning })
        }
    }

    @Test func backendHeadersResolveFromSecrets() throws {
        let backend = """
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: Backend
        metadata:
          name: mcp
        spec:
          type: MCP
          mcp:
            targets:
            - name: first
              static: {host: one.example, port: 80, protocol: SSE}
              timeout: 1m30s
              tools: {include: ["get_*"], exclude: [get_secret]}
              headers:
              - {name: X-Static, value: plain}
              - name: X-Upstream-Key
                valueFrom: {secretKeyRef: {name: upstream, key: token}}
            - name: second
              static: {host: two.example, port: 8000}
            - name: third
              static: {host: three.example, port: 80}
              timeout: 1m30s
              tools: {include: ["get_*"], exclude: [get_secret]}
              headers:
              - {name: X-Static, value: plain}
              - name: X-Upstream-Key
                valueFrom: {secretKeyRef: {name: upstream, key: token}}
        """
        let docs = [CompileFixtures.gateway(), backend, Self.route("r", prefix: "/"),
                    Self.secret("upstream", ["token": Self.recognizableHeader, "other": "unused"], base64: true)]
        let config = try Self.compile(docs).get()
        let rule = try #require(config.listeners[80]?.routes.match(CompileFixtures.request("/sse"))?.rule)
        // Three targets: a multiplexed Backend, the old-transport one included.
        guard case .multiplexed(let m)? = rule.backends.first?.backend, let t = m.targets.first(where: { $0.targetName == "third" }) else {
            Issue.record("expected a multiplexed Backend with target third")
            return
        }
        #expect(m.targets.map(\.targetName) == ["first", "second", "third"])
        #expect(m.targets[0].transport == .sse && m.targets[0].path == "/sse")
        #expect(t.path == "/mcp" && t.transport == .streamableHTTP && t.hostHeader == "three.example")
        #expect(t.headers.map(\.name) == ["X-Static", "X-Upstream-Key"] && t.headers.map(\.value) == ["plain", Self.recognizableHeader])
        #expect(t.timeout == .seconds(90) && t.tools.allows("get_x") && !t.tools.allows("get_secret"))
        #expect(!config.warnings.contains { $0.rule.hasPrefix("compile.multiplex") })

        // A missing key is an error naming the Backend, Secret and key, never a value.
        let wrongKey = docs.dropLast() + [Self.secret("upstream", ["other": Self.recognizableHeader])]
        switch try Self.compile(Array(wrongKey)) {
        case .success: Issue.record("a header from a missing key compiled")
        case .failure(let error):
            #expect(error.description.contains("Backend \"default/mcp\"") && error.description.contains("\"token\"") && error.description.contains("default/upstream"))
            #expect(!error.description.contains(Self.recognizableHeader))
        }
        switch try Self.compile(Array(docs.dropLast())) {
        case .success: Issue.record("a header from a missing Secret compiled")
        case .failure(let error): #expect(error.diagnostics.contains { $0.rule == "compile.secret-not-found" && $0.message.contains("X-Upstream-Key") })
        }
    }

    @Test func describeNeverShowsSecretValues() throws {
        let backend = """
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: Backend
        metadata:
          name: mcp
        spec:
          type: MCP
          mcp:
            targets:
            - name: t
              static: {host: one.example, port: 8000}
              headers:
              - name: X-Upstream-Key
                valueFrom: {secretKeyRef: {name: upstream, key: token}}
        """
        let docs = [CompileFixtures.gateway(), backend, Self.route("r", prefix: "/"),
                    Self.secret("upstream", ["token": Self.recognizableHeader]),
                    Self.secret("keys", ["k1": Self.recognizableKey, "k2": "second-key-value"]),
                    Self.policy("auth", target: "{group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}", traffic: """
                        authentication:
                          apiKeyAuth:
                            secretRef: {name: keys}
                    """)]
        let config = try Self.compile(docs).get()
        let text = config.describe().serialized()
        #expect(!text.contains(Self.recognizableKey) && !text.contains("second-key-value") && !text.contains(Self.recognizableHeader))
        #expect(!config.warnings.map(\.description).joined().contains(Self.recognizableKey))
        #expect(text.contains("\"keyCount\":2") && text.contains("X-Upstream-Key") && text.contains("\"generation\":1"))
        #expect(text.contains("\"route\":\"default/r\"") && text.contains("\"hostHeader\":\"one.example:8000\""))
    }

    @Test func filtersCompileAndHeaderInjectionIsRejected() throws {
        func route(_ filters: String) -> String {
            """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: r
            spec:
              parentRefs: [{name: gw}]
              rules:
              - matches: [{path: {type: PathPrefix, value: /api}}]
                filters:
            \(filters)
                backendRefs: [{name: svc, port: 8080}]
              - matches: [{path: {type: Exact, value: /old}}]
                filters:
                - type: RequestRedirect
                  requestRedirect: {scheme: https}
            """
        }
        let good = route("""
              - type: RequestHeaderModifier
                requestHeaderModifier:
                  set: [{name: X-Env, value: prod}]
                  add: [{name: X-Added, value: "1"}]
                  remove: [X-Internal]
              - type: URLRewrite
                urlRewrite:
                  hostname: upstream.example
                  path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}
        """)
        let config = try CompileFixtures.config(CompileFixtures.gateway(), CompileFixtures.service("svc"), good)
        let table = try #require(config.listeners[80]?.routes)
        let api = try #require(table.match(CompileFixtures.request("/api/tools")))
        #expect(api.rule.filters.count == 2)
        if case .requestHeaders(let edits)? = api.rule.filters.first {
            #expect(edits.set.map(\.name) == ["X-Env"] && edits.add.map(\.value) == ["1"] && edits.remove == ["X-Internal"])
        } else {
            Issue.record("expected a RequestHeaderModifier")
        }
        if case .urlRewrite(let host, .replacePrefixMatch(let prefix)?)? = api.rule.filters.last {
            #expect(host == "upstream.example" && prefix == "/v2")
            #expect(RouteFilter.rewrittenPath(original: "/api/tools", matchedPrefix: api.matchedPrefix, modifier: .replacePrefixMatch(prefix)) == "/v2/tools")
        } else {
            Issue.record("expected a URLRewrite")
        }
        let old = try #require(table.match(CompileFixtures.request("/old")))
        if case .redirect(let scheme, nil, nil, nil, let status)? = old.rule.filters.first {
            #expect(scheme == "https" && status == 302 && old.rule.backends.isEmpty)
        } else {
            Issue.record("expected a RequestRedirect")
        }

        let evil = route("""
              - type: RequestHeaderModifier
                requestHeaderModifier:
                  set: [{name: X-Env, value: "prod\\r\\nX-Injected: 1"}]
        """)
        switch try Self.compile([CompileFixtures.gateway(), CompileFixtures.service("svc"), evil]) {
        case .success: Issue.record("a header value with CR LF compiled")
        case .failure(let error):
            #expect(error.diagnostics.contains { $0.rule == "compile.header-injection" && $0.severity == .error })
            #expect(!error.description.contains("\r") && !error.description.contains("\n-"))
        }
    }

    @Test(arguments: [("1h2m3s4ms", 3_723_004), ("500ms", 500), ("30s", 30_000), ("1m30s", 90_000), ("0s", 0), ("99999h", 359_996_400_000)])
    func gatewayDurations(_ text: String, _ milliseconds: Int64) {
        #expect(GatewayDuration.parse(text) == .milliseconds(milliseconds))
    }

    @Test func invalidDurationsAndFormatting() {
        for bad in ["", "1", "1d", "100000s", "1h1h1h1h1h", "1.5s", "-1s", "s"] { #expect(GatewayDuration.parse(bad) == nil, "\(bad)") }
        #expect(GatewayDuration.timeout("0s") == .zero && GatewayDuration.timeout(nil) == nil)
        #expect(GatewayDuration.format(.milliseconds(3_723_004)) == "1h2m3s4ms" && GatewayDuration.format(.zero) == "0s")
    }
}

extension Array where Element == UInt8 {
    var base64: String { Data(self).base64EncodedString() }
}
