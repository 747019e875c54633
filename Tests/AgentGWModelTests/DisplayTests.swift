import Foundation
import Testing
@testable import AgentGWModel

/// Tables, describe, analysis and the probe URL, over fixture objects as a cluster returns them.
@Suite struct DisplayTests {
    static let created = "2026-11-26T12:00:00Z"
    /// 1h30m after `created`.
    static let now = Timestamp.parse("2026-11-26T13:30:00Z") ?? 0

    static let fixtures = """
    apiVersion: gateway.networking.k8s.io/v1
    kind: Gateway
    metadata: {name: test-mcp-gateway, namespace: default, creationTimestamp: "2026-11-26T12:00:00Z"}
    spec:
      gatewayClassName: ack-agent-gateway
      listeners: [{name: http, port: 80, protocol: HTTP}]
    status:
      addresses: [{type: IPAddress, value: 203.0.113.7}]
      conditions:
      - {type: Accepted, status: "True", reason: Accepted, message: ok}
      - {type: Programmed, status: "True", reason: Programmed, message: ok}
      listeners: [{name: http, attachedRoutes: 1, conditions: []}]
    ---
    apiVersion: gateway.networking.k8s.io/v1
    kind: Gateway
    metadata: {name: pending, namespace: default, creationTimestamp: "2026-11-26T13:29:30Z"}
    spec:
      gatewayClassName: ack-agent-gateway
      listeners: [{name: web, port: 8080, protocol: HTTP, hostname: mcp.example.com}]
    ---
    apiVersion: gateway.networking.k8s.io/v1
    kind: HTTPRoute
    metadata: {name: route-for-mcp-backend, namespace: default, creationTimestamp: "2026-11-26T12:00:00Z"}
    spec:
      parentRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: test-mcp-gateway}]
      rules:
      - backendRefs: [{group: agentgateway.alibabacloud.com, kind: Backend, name: test-mcp}]
    status:
      parents:
      - parentRef: {name: test-mcp-gateway}
        controllerName: agentgateway.alibabacloud.com/gateway-controller
        conditions:
        - {type: Accepted, status: "True", reason: Accepted, message: ""}
        - {type: ResolvedRefs, status: "True", reason: ResolvedRefs, message: ""}
    ---
    apiVersion: gateway.networking.k8s.io/v1
    kind: HTTPRoute
    metadata: {name: orphan, namespace: default, creationTimestamp: "2026-11-26T12:00:00Z"}
    spec:
      hostnames: [a.example.com]
      parentRefs: [{name: pending}]
      rules:
      - matches: [{path: {type: PathPrefix, value: /tools}}]
        backendRefs: [{group: agentgateway.alibabacloud.com, kind: Backend, name: gone}, {name: web, port: 8080}]
    status:
      parents:
      - parentRef: {name: pending}
        conditions:
        - {type: Accepted, status: "False", reason: NoMatchingListenerHostname, message: no listener matches a.example.com}
        - {type: ResolvedRefs, status: "False", reason: BackendNotFound, message: Backend gone not found}
    ---
    apiVersion: agentgateway.alibabacloud.com/v1alpha1
    kind: Backend
    metadata: {name: test-mcp, namespace: default, creationTimestamp: "2026-11-26T12:00:00Z"}
    spec:
      type: MCP
      mcp:
        targets:
        - name: mcp-target
          static: {host: demo-mcp-server.default.svc.cluster.local, port: 8000, path: /mcp, protocol: StreamableHTTP}
          headers: [{name: X-Key, valueFrom: {secretKeyRef: {name: upstream-key, key: k}}}]
    ---
    apiVersion: agentgateway.alibabacloud.com/v1alpha1
    kind: TrafficPolicy
    metadata: {name: test-mcp-apikey-auth, namespace: default, creationTimestamp: "2026-11-26T12:00:00Z"}
    spec:
      targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: route-for-mcp-backend}]
      traffic:
        authentication: {apiKeyAuth: {secretRef: {name: mcp-api-key}}}
    ---
    apiVersion: agentgateway.alibabacloud.com/v1alpha1
    kind: TrafficPolicy
    metadata: {name: gw-limits, namespace: default, creationTimestamp: "2026-11-26T12:00:00Z"}
    spec:
      targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: test-mcp-gateway}]
      traffic:
        rateLimit: {local: [{requests: 100, unit: Minutes, burst: 20, per: APIKey}]}
    ---
    apiVersion: agentgateway.alibabacloud.com/v1alpha1
    kind: TrafficPolicy
    metadata: {name: dangling, namespace: default, creationTimestamp: "2026-11-26T12:00:00Z"}
    spec:
      targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: nowhere}]
      traffic:
        authentication: {apiKeyAuth: {secretRef: {name: missing-keys}}}
    ---
    apiVersion: v1
    kind: Secret
    metadata: {name: mcp-api-key, namespace: default}
    stringData: {key1: key-value-foo}
    """

    func snapshot() throws -> ClusterSnapshot {
        ClusterSnapshot(objects: try YAMLReader.read(Self.fixtures, file: "fixtures").filter { !$0.isNull }, now: Self.now)
    }

    @Test func gatewayTable() throws {
        let s = try snapshot()
        #expect(ResourceTable.render(.gateway, in: s, style: .init()) == """
        NAME               CLASS               ADDRESS       PROGRAMMED   AGE
        pending            ack-agent-gateway                 Unknown      30s
        test-mcp-gateway   ack-agent-gateway   203.0.113.7   True         90m

        """)
        let wide = try #require(ResourceTable.render(.gateway, in: s, style: .init(wide: true)))
        #expect(wide.split(separator: "\n")[0].hasSuffix("AGE   LISTENERS                       ATTACHED ROUTES"))
        #expect(wide.contains("http=80/HTTP"))
        #expect(wide.contains("web=mcp.example.com:8080/HTTP"))
        let rows = ResourceTable.rows(.gateway, in: s, style: .init(wide: true))
        #expect(rows.map { $0.last } == ["1", "1"], "status count for one, routes in the snapshot for the other")
    }

    @Test func routeTable() throws {
        let s = try snapshot()
        let rows = ResourceTable.rows(.route, in: s, style: .init(wide: true, showNamespace: true))
        #expect(rows == [
            ["default", "orphan", "a.example.com", "Gateway/pending", "False", "False", "90m", "Backend/gone,Service/web:8080"],
            ["default", "route-for-mcp-backend", "*", "Gateway/test-mcp-gateway", "True", "True", "90m", "Backend/test-mcp"],
        ])
        #expect(ResourceTable.headers(.route, style: .init(wide: true, showNamespace: true))
            == ["NAMESPACE", "NAME", "HOSTNAMES", "PARENTS", "ACCEPTED", "RESOLVED-REFS", "AGE", "BACKENDS"])
    }

    @Test func backendAndPolicyTables() throws {
        let s = try snapshot()
        #expect(ResourceTable.rows(.backend, in: s, style: .init()) ==
                [["test-mcp", "MCP", "mcp-target=demo-mcp-server.default.svc.cluster.local:8000/mcp", "90m"]])
        #expect(ResourceTable.rows(.policy, in: s, style: .init()) == [
            ["dangling", "HTTPRoute/nowhere", "False", "APIKey(missing-keys)", "None", "90m"],
            ["gw-limits", "Gateway/test-mcp-gateway", "True", "None", "100/Minutes+20 per APIKey", "90m"],
            ["test-mcp-apikey-auth", "HTTPRoute/route-for-mcp-backend", "True", "APIKey(mcp-api-key)", "None", "90m"],
        ])
        let all = ResourceTable.rows(.backend, in: s, style: .init(qualifiedNames: true))
        #expect(all[0][0] == "backend.agentgateway.alibabacloud.com/test-mcp")
        #expect(ResourceTable.render(.backend, in: ClusterSnapshot(now: 0), style: .init()) == nil)
    }

    @Test func secretsAreRedactedOnTheWayIn() throws {
        let s = try snapshot()
        #expect(s.secrets.count == 1)
        #expect(s.secrets[0]["stringData"] == nil && s.secrets[0]["data"] == nil)
        #expect(s.secrets[0]["metadata"]?["name"]?.string == "mcp-api-key")
    }

    @Test func tableWriterPadsLikeKubectl() {
        #expect(TableWriter.format([["NAME", "AGE"], ["a", "1s"]]) == "NAME   AGE\na      1s\n")
        #expect(TableWriter.format([["A", "B", "C"], ["x", "", "z"]]) == "A     B     C\nx           z\n")
    }

    @Test(arguments: [
        (0.0, "0s"), (-0.5, "0s"), (-5, "<invalid>"), (119, "119s"), (120, "2m"), (150, "2m30s"), (600, "10m"),
        (3 * 3600 - 1, "179m"), (3 * 3600, "3h"), (7 * 3600 + 60, "7h1m"), (47 * 3600, "47h"), (50 * 3600, "2d2h"),
        (10 * 86400, "10d"), (3 * 365 * 86400 + 86400, "3y1d"), (9 * 365 * 86400, "9y"),
    ] as [(Double, String)])
    func humanDurations(_ seconds: Double, _ text: String) {
        #expect(HumanDuration.format(seconds: seconds) == text)
    }

    @Test func timestamps() {
        #expect(Timestamp.parse("1970-01-01T00:00:00Z") == 0)
        #expect(Timestamp.parse("2000-03-01T00:00:00Z") == 951868800)
        #expect(Timestamp.parse("2026-11-26T13:30:00.5Z") == (Timestamp.parse("2026-11-26T13:30:00Z") ?? 0) + 0.5)
        #expect(Timestamp.parse("2026-11-26T15:30:00+02:00") == Timestamp.parse("2026-11-26T13:30:00Z"))
        for bad in ["", "yesterday", "2026-13-01T00:00:00Z", "2026-11-26T13:30:00", "2026-11-26T13:30:00Zjunk"] {
            #expect(Timestamp.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func analysisFindsTheProblems() throws {
        let s = try snapshot()
        func warnings(_ kind: DisplayKind, _ name: String) -> [String] {
            Analysis.warnings(for: s.objects(kind).first { $0["metadata"]?["name"]?.string == name } ?? .null, in: s)
        }
        let dangling = warnings(.policy, "dangling")
        #expect(dangling.contains { $0.hasPrefix("targets nothing: HTTPRoute/nowhere does not exist") })
        #expect(dangling.contains { $0.contains("API key Secret \"missing-keys\" does not exist") })
        #expect(warnings(.policy, "test-mcp-apikey-auth").isEmpty)
        let orphan = warnings(.route, "orphan")
        #expect(orphan.contains("not accepted by Gateway/pending: NoMatchingListenerHostname: no listener matches a.example.com"))
        #expect(orphan.contains("references not resolved (Gateway/pending): BackendNotFound: Backend gone not found"))
        #expect(orphan.contains("backend Backend/gone does not exist"))
        #expect(orphan.contains("backend Service/web does not exist"))
        #expect(warnings(.route, "route-for-mcp-backend").isEmpty)
        #expect(warnings(.backend, "test-mcp") == ["target mcp-target: header X-Key reads Secret \"upstream-key\", which does not exist"])
        #expect(warnings(.gateway, "pending").contains { $0.hasPrefix("no controller has written status yet") })
        #expect(warnings(.gateway, "test-mcp-gateway").isEmpty)
        // The CRD's default status (Unknown/Pending) means no controller took the Gateway either.
        var defaulted = s
        defaulted.gateways[1].set("status", ["conditions": [["type": "Accepted", "status": "Unknown", "reason": "Pending", "message": "Waiting for controller"]]])
        #expect(Analysis.warnings(for: defaulted.gateways[1], in: defaulted).contains { $0.hasPrefix("no controller has written status yet") })
        // Without permission to list Secrets, nothing is claimed about them.
        var blind = s
        blind.secretsListed = false
        #expect(!Analysis.warnings(for: s.policies.first { $0["metadata"]?["name"]?.string == "dangling" }!, in: blind).contains { $0.contains("Secret") })
        var noRoutes = s
        noRoutes.routes = []
        #expect(Analysis.warnings(for: noRoutes.gateways[0], in: noRoutes) == ["no HTTPRoute attaches to this Gateway, so it routes nothing"])
        #expect(Analysis.warnings(for: noRoutes.backends[0], in: noRoutes).contains("no HTTPRoute in namespace default sends traffic to this Backend"))
        #expect(Analysis.allWarnings(in: s).contains { $0.hasPrefix("TrafficPolicy default/dangling: targets nothing") })
    }

    @Test func describeRouteShowsPoliciesInEffect() throws {
        let s = try snapshot()
        let route = try #require(s.routes.first { $0["metadata"]?["name"]?.string == "route-for-mcp-backend" })
        let text = Describer.describe(route, in: s)
        #expect(text.hasPrefix("Name:           route-for-mcp-backend\nNamespace:      default\nKind:           HTTPRoute (gateway.networking.k8s.io/v1)\n"))
        #expect(text.contains("Created:        2026-11-26T12:00:00Z (90m ago)\n"))
        #expect(text.contains("Rules:\n  1. PathPrefix / -> Backend/test-mcp\n"))
        #expect(text.contains("Policies in effect:\n  TrafficPolicy/test-mcp-apikey-auth (via HTTPRoute/route-for-mcp-backend): auth APIKey(mcp-api-key)\n  TrafficPolicy/gw-limits (via Gateway/test-mcp-gateway): rate limit 100/Minutes+20 per APIKey\n"))
        #expect(text.contains("Conditions for Gateway/test-mcp-gateway (agentgateway.alibabacloud.com/gateway-controller):\n  TYPE           STATUS   REASON         MESSAGE\n  Accepted       True     Accepted\n"))
        #expect(text.hasSuffix("Warnings:\n  <none>\n"))
    }

    @Test func listenerPoliciesReachOnlyThatListenersRoutes() throws {
        var s = try snapshot()
        let route = try #require(s.routes.first { $0["metadata"]?["name"]?.string == "route-for-mcp-backend" })
        #expect(s.policies(for: route).map { $0.policy["metadata"]?["name"]?.string } == ["test-mcp-apikey-auth", "gw-limits"])
        // Pin the route to listener "http" and the Gateway policy to another listener.
        var pinned = route
        pinned.set("spec", ["parentRefs": [["name": "test-mcp-gateway", "sectionName": "http"]]])
        let i = try #require(s.policies.firstIndex { $0["metadata"]?["name"]?.string == "gw-limits" })
        s.policies[i].set("spec", ["targetRefs": [["group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "test-mcp-gateway", "sectionName": "https"]]])
        #expect(s.policies(for: pinned).map { $0.via } == ["HTTPRoute/route-for-mcp-backend"])
        s.policies[i].set("spec", ["targetRefs": [["group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "test-mcp-gateway", "sectionName": "http"]]])
        #expect(s.policies(for: pinned).map { $0.via } == ["HTTPRoute/route-for-mcp-backend", "Gateway/test-mcp-gateway"])
    }

    @Test func describeShowsWarningsAndConditions() throws {
        let s = try snapshot()
        let orphan = try #require(s.routes.first { $0["metadata"]?["name"]?.string == "orphan" })
        let text = Describer.describe(orphan, in: s)
        #expect(text.contains("Accepted:       False\n"))
        #expect(text.contains("  - not accepted by Gateway/pending: NoMatchingListenerHostname: no listener matches a.example.com\n"))
        let gw = try #require(s.gateways.first { $0["metadata"]?["name"]?.string == "test-mcp-gateway" })
        let g = Describer.describe(gw, in: s)
        #expect(g.contains("Address:        203.0.113.7\n"))
        #expect(g.contains("Routes:\n  HTTPRoute/route-for-mcp-backend\n"))
        #expect(g.contains("Policies:\n  TrafficPolicy/gw-limits: rate limit 100/Minutes+20 per APIKey\n"))
        #expect(g.contains("  http   80     HTTP       *          1\n"))
        let policy = try #require(s.policies.first { $0["metadata"]?["name"]?.string == "dangling" })
        #expect(Describer.describe(policy, in: s).contains("Attached:       False\n"))
    }

    @Test func probeURLFromGatewayAndRoute() throws {
        let s = try snapshot()
        let r = try ProbeTarget.resolve(gateway: "test-mcp-gateway", namespace: "default", in: s)
        #expect(r == .init(url: "http://203.0.113.7:80/mcp", route: "default/route-for-mcp-backend"))
        // No address yet: a listener hostname will do; the route's prefix is the path.
        let pending = try ProbeTarget.resolve(gateway: "pending", namespace: "default", in: s)
        #expect(pending.url == "http://mcp.example.com:8080/tools")
        #expect(throws: ProbeTargetError.self) { try ProbeTarget.resolve(gateway: "nope", namespace: "default", in: s) }
        #expect(throws: ProbeTargetError.self) { try ProbeTarget.resolve(gateway: "test-mcp-gateway", namespace: "other", in: s) }
        var noRoutes = s
        noRoutes.routes = []
        #expect(throws: ProbeTargetError.self) { try ProbeTarget.resolve(gateway: "test-mcp-gateway", namespace: "default", in: noRoutes) }
        var v6 = s
        v6.gateways[0].set("status", ["addresses": [["type": "IPAddress", "value": "2001:db8::1"]]])
        #expect(try ProbeTarget.resolve(gateway: "test-mcp-gateway", namespace: "default", in: v6).url == "http://[2001:db8::1]:80/mcp")
    }

    @Test func kindNames() {
        #expect(DisplayKind.parse("gw") == .gateway)
        #expect(DisplayKind.parse("HTTPRoutes") == .route)
        #expect(DisplayKind.parse("gateways.gateway.networking.k8s.io") == .gateway)
        #expect(DisplayKind.parse("agtp") == .policy)
        #expect(DisplayKind.parse("backend") == .backend)
        #expect(DisplayKind.parse("pods") == nil)
    }

    @Test func eventsAreListedLastInDescribe() {
        let now = Timestamp.parse("2026-11-26T12:10:00Z") ?? 0
        let event: Node = ["type": "Warning", "reason": "ConfigRejected", "count": 3, "firstTimestamp": "2026-11-26T12:00:00Z",
                           "lastTimestamp": "2026-11-26T12:09:30Z", "source": ["component": "kubectl-agentgw"], "message": "spec.port: bad"]
        let text = Describer.eventsSection([event], now: now)
        #expect(text.hasPrefix("Events:\n"))
        #expect(text.contains("Warning   ConfigRejected   30s (x3 over 10m)   kubectl-agentgw   spec.port: bad"), "\(text)")
        #expect(Describer.eventsSection([], now: now) == "Events:  <none>\n")
    }
}
