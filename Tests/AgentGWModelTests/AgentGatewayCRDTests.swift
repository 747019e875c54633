import Foundation
import Testing
@testable import AgentGWModel

/// The CRD text (`AgentGatewayCRDs.yaml`) and the hand-coded CEL rules of Backend and TrafficPolicy.
@Suite struct AgentGatewayCRDTests {
    // MARK: - Helpers

    static func documents() throws -> [Node] {
        try YAMLReader.read(AgentGatewayCRDs.yaml, file: "crds")
    }

    static func crd(_ name: String) throws -> Node {
        let doc = try #require(try documents().first { $0["metadata"]?["name"]?.string == name })
        return doc
    }

    static func schema(_ crdName: String) throws -> Node {
        let crd = try crd(crdName)
        return try #require(crd["spec"]?["versions"]?[0]?["schema"]?["openAPIV3Schema"])
    }

    static func parse(_ yaml: String, file: String = "test.yaml") throws -> Node {
        try #require(try YAMLReader.read(yaml, file: file).first)
    }

    static func backendDiagnostics(_ yaml: String) throws -> [Diagnostic] {
        BackendRules().check(try parse(yaml))
    }

    static func policyDiagnostics(_ yaml: String) throws -> [Diagnostic] {
        TrafficPolicyRules().check(try parse(yaml))
    }

    /// Calls `visit` with every schema node and its path, walking properties and items.
    static func walk(_ schema: Node, path: String, _ visit: (Node, String) -> Void) {
        visit(schema, path)
        for entry in schema["properties"]?.entries ?? [] {
            walk(entry.value, path: path.isEmpty ? entry.key : "\(path).\(entry.key)", visit)
        }
        if let items = schema["items"] { walk(items, path: "\(path)[*]", visit) }
    }

    static let tutorialBackend = """
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: Backend
        metadata:
          name: test-mcp
        spec:
          type: MCP
          mcp:
            targets:
              - name: mcp-target
                static:
                  host: demo-mcp-server.default.svc.cluster.local
                  path: /mcp
                  port: 8000
                  protocol: StreamableHTTP

        """

    static let tutorialPolicy = """
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: TrafficPolicy
        metadata:
          name: test-mcp-apikey-auth
        spec:
          targetRefs:
            - group: gateway.networking.k8s.io
              kind: HTTPRoute
              name: route-for-mcp-backend
          traffic:
            authentication:
              apiKeyAuth:
                secretRef:
                  name: mcp-api-key

        """

    // MARK: - The CRD text

    @Test func parsesIntoThreeDocuments() throws {
        let docs = try Self.documents()
        #expect(docs.count == 3)
        #expect(docs.map { $0["kind"]?.string } == ["CustomResourceDefinition", "CustomResourceDefinition", "GatewayClass"])
        #expect(docs.map { $0["metadata"]?["name"]?.string } == [
            AgentGatewayCRDs.backendCRDName, AgentGatewayCRDs.trafficPolicyCRDName, AgentGateway.defaultGatewayClass,
        ])
        let gatewayClass = docs[2]
        #expect(gatewayClass["apiVersion"]?.string == GatewayAPI.apiVersion)
        #expect(gatewayClass["spec"]?["controllerName"]?.string == AgentGateway.controllerName)
    }

    @Test func roundTrips() throws {
        let docs = try Self.documents()
        let again = try YAMLReader.read(YAMLWriter.write(docs), file: "again")
        #expect(again == docs)
        for doc in docs {
            #expect(try YAMLReader.read(JSONWriter.write(doc), file: "json") == [doc])
        }
        // Every rule and pattern survived YAML quoting intact.
        #expect(AgentGatewayCRDs.yaml.contains("pattern: ^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$"))
    }

    @Test(arguments: [
        (AgentGatewayCRDs.backendCRDName, "Backend", "backends", "agbe"),
        (AgentGatewayCRDs.trafficPolicyCRDName, "TrafficPolicy", "trafficpolicies", "agtp"),
    ])
    func crdHeader(name: String, kind: String, plural: String, shortName: String) throws {
        let crd = try Self.crd(name)
        #expect(crd["apiVersion"]?.string == "apiextensions.k8s.io/v1")
        let spec = try #require(crd["spec"])
        #expect(spec["group"]?.string == AgentGateway.group)
        #expect(spec["scope"]?.string == "Namespaced")
        #expect(spec["names"]?["kind"]?.string == kind)
        #expect(spec["names"]?["plural"]?.string == plural)
        #expect(spec["names"]?["shortNames"] == [.string(shortName)])
        #expect(spec["names"]?["categories"] == [.string(AgentGatewayCRDs.category)])
        #expect(name == "\(plural).\(AgentGateway.group)")
        let versions = try #require(spec["versions"]?.array)
        #expect(versions.count == 1)
        let version = versions[0]
        #expect(version["name"]?.string == AgentGateway.version)
        #expect(version["served"]?.bool == true)
        #expect(version["storage"]?.bool == true)
        #expect(version["subresources"]?["status"]?.isObject == true)
        let columns = version["additionalPrinterColumns"]?.array ?? []
        #expect(columns.last?["name"]?.string == "Age")
        for column in columns {
            #expect(column["jsonPath"]?.string?.hasPrefix(".") == true)
        }
    }

    @Test(arguments: [AgentGatewayCRDs.backendCRDName, AgentGatewayCRDs.trafficPolicyCRDName])
    func everyFieldIsDocumentedAndTyped(crdName: String) throws {
        var undocumented: [String] = [], untyped: [String] = []
        Self.walk(try Self.schema(crdName), path: "") { node, path in
            if (node["description"]?.string ?? "").isEmpty { undocumented.append(path) }
            if node["type"]?.string == nil { untyped.append(path) }
        }
        #expect(undocumented == [])
        #expect(untyped == [], "a structural schema gives every node a type")
    }

    /// What the API server demands of a structural schema beyond the OpenAPI shape.
    @Test(arguments: [AgentGatewayCRDs.backendCRDName, AgentGatewayCRDs.trafficPolicyCRDName])
    func structuralSchemaRules(crdName: String) throws {
        var problems: [String] = []
        Self.walk(try Self.schema(crdName), path: "") { node, path in
            let required = Set(node["required"]?.array?.compactMap(\.string) ?? [])
            let properties = Set(node["properties"]?.entries?.map(\.key) ?? [])
            if !required.isSubset(of: properties) { problems.append("\(path): required names an unknown property") }
            switch node["x-kubernetes-list-type"]?.string {
            case "map":
                let keys = node["x-kubernetes-list-map-keys"]?.array?.compactMap(\.string) ?? []
                if keys.isEmpty { problems.append("\(path): list-type map without keys") }
                let item = node["items"] ?? .null
                let itemRequired = Set(item["required"]?.array?.compactMap(\.string) ?? [])
                for key in keys where !itemRequired.contains(key) && item["properties"]?[key]?["default"] == nil {
                    problems.append("\(path): map key \(key) is neither required nor defaulted")
                }
            case "set":
                let t = node["items"]?["type"]?.string ?? ""
                if !["string", "integer", "number", "boolean"].contains(t) { problems.append("\(path): set of non-scalars") }
            default: break
            }
            if let def = node["default"], let options = node["enum"]?.array, !options.contains(def) {
                problems.append("\(path): default \(def) is not in the enum")
            }
            if let pattern = node["pattern"]?.string {
                if (try? NSRegularExpression(pattern: pattern)) == nil { problems.append("\(path): bad pattern") }
                if let def = node["default"]?.string, def.range(of: pattern, options: .regularExpression) == nil {
                    problems.append("\(path): default does not match its pattern")
                }
            }
        }
        #expect(problems == [])
    }

    @Test func tutorialFieldsExist() throws {
        let backend = try Self.schema(AgentGatewayCRDs.backendCRDName)
        let staticProps = backend["properties"]?["spec"]?["properties"]?["mcp"]?["properties"]?["targets"]?["items"]?["properties"]?["static"]?["properties"]
        #expect(staticProps?.entries?.map(\.key).sorted() == ["host", "path", "port", "protocol"])
        #expect(staticProps?["path"]?["default"] == nil, "the path default depends on protocol; the gateway computes it")
        #expect(staticProps?["protocol"]?["default"]?.string == "StreamableHTTP")
        let policy = try Self.schema(AgentGatewayCRDs.trafficPolicyCRDName)
        let secretRef = policy["properties"]?["spec"]?["properties"]?["traffic"]?["properties"]?["authentication"]?["properties"]?["apiKeyAuth"]?["properties"]?["secretRef"]
        #expect(secretRef?["required"] == ["name"])
    }

    // MARK: - The hand-coded rules match the CRD

    /// Collects `(schemaPath, rule, message)` of every `x-kubernetes-validations` entry.
    static func crdRules(_ crdName: String) throws -> [String] {
        var out: [String] = []
        walk(try schema(crdName), path: "") { node, path in
            for v in node["x-kubernetes-validations"]?.array ?? [] {
                out.append("\(path) | \(v["rule"]?.string ?? "?") | \(v["message"]?.string ?? "?")")
            }
        }
        return out
    }

    @Test func handCodedRulesEqualTheCRDRules() throws {
        let backend = BackendRules.celRules.map { "\($0.schemaPath) | \($0.rule) | \($0.message)" }
        #expect(backend.sorted() == (try Self.crdRules(AgentGatewayCRDs.backendCRDName)).sorted())
        let policy = TrafficPolicyRules.celRules.map { "\($0.schemaPath) | \($0.rule) | \($0.message)" }
        #expect(policy.sorted() == (try Self.crdRules(AgentGatewayCRDs.trafficPolicyCRDName)).sorted())
        let ids = AgentGatewayRules.celRules.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(BackendRules.celRules.allSatisfy { $0.id.hasPrefix("cel.backend.") })
        #expect(TrafficPolicyRules.celRules.allSatisfy { $0.id.hasPrefix("cel.trafficpolicy.") })
        #expect(AgentGatewayRules.all.map(\.kind) == ["Backend", "TrafficPolicy"])
        #expect(AgentGatewayRules.all.allSatisfy { $0.group == AgentGateway.group })
    }

    @Test func docsListEveryRuleId() throws {
        let url = SharedPaths.repoRoot.appendingPathComponent("docs/resources.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        for rule in AgentGatewayRules.celRules {
            #expect(text.contains("`\(rule.id)`"), "docs/resources.md does not mention \(rule.id)")
            #expect(text.contains(rule.message), "docs/resources.md does not quote the message of \(rule.id)")
        }
    }

    // MARK: - The tutorial passes

    @Test func tutorialManifestsPass() throws {
        var checked = 0
        for file in ["seed/manifests/mcp-gateway.yaml", "seed/manifests/mcp-api-key.yaml"] {
            let url = SharedPaths.url(file)
            let text = try String(contentsOf: url, encoding: .utf8)
            for doc in try YAMLReader.read(text, file: file) {
                for rules in AgentGatewayRules.all where doc["kind"]?.string == rules.kind {
                    #expect(rules.check(doc) == [], "\(file): \(rules.kind)")
                    checked += 1
                }
            }
        }
        #expect(checked == 2)
        #expect(try Self.backendDiagnostics(Self.tutorialBackend) == [])
        #expect(try Self.policyDiagnostics(Self.tutorialPolicy) == [])
    }

    @Test func fullFeaturedObjectsPass() throws {
        let backend = """
            apiVersion: agentgateway.alibabacloud.com/v1alpha1
            kind: Backend
            metadata: {name: tools}
            spec:
              type: MCP
              mcp:
                prefixMode: Always
                failureMode: FailOpen
                targets:
                  - name: fetch
                    static: {host: fetch.default.svc.cluster.local, port: 8000}
                    tools: {include: ["get_*", fetch], exclude: [get_secret]}
                    headers:
                      - {name: X-Tenant, value: team-a}
                      - name: Authorization
                        valueFrom: {secretKeyRef: {name: upstream, key: token}}
                    timeout: 30s
                  - name: legacy
                    static: {host: 10.0.0.7, port: 9000, path: /events, protocol: SSE}
            """
        #expect(try Self.backendDiagnostics(backend) == [])
        let policy = """
            apiVersion: agentgateway.alibabacloud.com/v1alpha1
            kind: TrafficPolicy
            metadata: {name: all}
            spec:
              targetRefs:
                - {group: gateway.networking.k8s.io, kind: Gateway, name: gw, sectionName: http}
                - {group: gateway.networking.k8s.io, kind: Gateway, name: gw, sectionName: https}
                - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: route}
              traffic:
                authentication:
                  apiKeyAuth: {secretRef: {name: keys}, header: X-Api-Key}
                rateLimit:
                  local:
                    - {requests: 100, unit: Minutes, burst: 20}
                    - {requests: 10, unit: Minutes, per: APIKey, tool: "fetch_*"}
                    - {requests: 5000, unit: Hours, per: Route}
                mcp:
                  authorization: {allowTools: ["fetch_*"], denyTools: [fetch_delete]}
                timeouts: {request: 15s, idle: 5m}
            """
        #expect(try Self.policyDiagnostics(policy) == [])
    }

    // MARK: - Backend rules reject

    @Test func backendWithoutMCP() throws {
        let d = try Self.backendDiagnostics("""
            kind: Backend
            spec:
              type: MCP
            """)
        #expect(d.map(\.rule) == ["cel.backend.mcp-for-type"])
        #expect(d.first?.message == "spec: Invalid value: \"object\": mcp must be set if and only if type is MCP")
        #expect(d.first?.mark?.line == 2)
    }

    @Test func headerWithValueAndValueFrom() throws {
        let d = try Self.backendDiagnostics("""
            kind: Backend
            spec:
              type: MCP
              mcp:
                targets:
                  - name: a
                    static: {host: a, port: 1}
                    headers:
                      - name: X-Key
                        value: literal
                        valueFrom:
                          secretKeyRef: {name: s, key: k}
                      - name: X-Empty
            """)
        #expect(d.map(\.rule) == ["cel.backend.header-value", "cel.backend.header-value"])
        #expect(d.map(\.message) == [
            "spec.mcp.targets[0].headers[0]: Invalid value: \"object\": exactly one of value and valueFrom must be set",
            "spec.mcp.targets[0].headers[1]: Invalid value: \"object\": exactly one of value and valueFrom must be set",
        ])
        #expect(d.map { $0.mark?.line } == [11, 13])
    }

    @Test func reservedHeaderNames() throws {
        let d = try Self.backendDiagnostics("""
            kind: Backend
            spec:
              type: MCP
              mcp:
                targets:
                  - name: a
                    static: {host: a, port: 1}
                    headers:
                      - {name: Mcp-Session-Id, value: x}
                      - {name: HOST, value: x}
                      - {name: X-Ok, value: x}
            """)
        #expect(d.map(\.rule) == ["cel.backend.header-reserved", "cel.backend.header-reserved"])
        #expect(d.map { $0.mark?.line } == [9, 10])
    }

    @Test func emptyToolsFilter() throws {
        let d = try Self.backendDiagnostics("""
            kind: Backend
            spec:
              type: MCP
              mcp:
                targets:
                  - name: a
                    static: {host: a, port: 1}
                  - name: b
                    static: {host: b, port: 1}
                    tools: {}
            """)
        #expect(d.map(\.rule) == ["cel.backend.tools-filter"])
        #expect(d.first?.message == "spec.mcp.targets[1].tools: Invalid value: \"object\": tools must set include, exclude or both")
    }

    // MARK: - TrafficPolicy rules reject

    @Test func emptyTraffic() throws {
        let d = try Self.policyDiagnostics("""
            kind: TrafficPolicy
            spec:
              targetRefs:
                - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}
              traffic: {}
            """)
        #expect(d.map(\.rule) == ["cel.trafficpolicy.traffic-nonempty"])
        #expect(d.first?.message == "spec.traffic: Invalid value: \"object\": traffic must set at least one of authentication, rateLimit, mcp or timeouts")
        #expect(d.first?.mark?.line == 5)
    }

    @Test func duplicateTargetRefs() throws {
        let d = try Self.policyDiagnostics("""
            kind: TrafficPolicy
            spec:
              targetRefs:
                - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}
                - {group: gateway.networking.k8s.io, kind: Gateway, name: r}
                - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}
              traffic:
                timeouts: {request: 10s}
            """)
        #expect(d.map(\.rule) == ["cel.trafficpolicy.unique-targetrefs"])
        #expect(d.first?.mark?.line == 6, "points at the duplicate")
    }

    @Test func sectionNameOnlyOnGateways() throws {
        let d = try Self.policyDiagnostics("""
            kind: TrafficPolicy
            spec:
              targetRefs:
                - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r, sectionName: rule-1}
                - {group: gateway.networking.k8s.io, kind: Gateway, name: g, sectionName: http}
                - {group: gateway.networking.k8s.io, kind: Gateway, name: g}
              traffic:
                timeouts: {idle: 5m}
            """)
        #expect(d.map(\.rule) == ["cel.trafficpolicy.section-name"])
        #expect(d.first?.message == "spec.targetRefs[0]: Invalid value: \"object\": sectionName is only allowed when kind is Gateway (it names a listener)")
    }

    @Test func authorizationRules() throws {
        let overlap = try Self.policyDiagnostics("""
            kind: TrafficPolicy
            spec:
              targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}]
              traffic:
                mcp:
                  authorization:
                    allowTools: [fetch, "get_*"]
                    denyTools: [delete, "get_*"]
            """)
        #expect(overlap.map(\.rule) == ["cel.trafficpolicy.authorization-overlap"])
        #expect(overlap.first?.mark?.line == 8)
        let empty = try Self.policyDiagnostics("""
            kind: TrafficPolicy
            spec:
              targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}]
              traffic:
                mcp:
                  authorization: {}
            """)
        #expect(empty.map(\.rule) == ["cel.trafficpolicy.authorization-nonempty"])
    }

    @Test func emptyTimeouts() throws {
        let d = try Self.policyDiagnostics("""
            kind: TrafficPolicy
            spec:
              targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}]
              traffic:
                timeouts: {}
            """)
        #expect(d.map(\.rule) == ["cel.trafficpolicy.timeouts-nonempty"])
    }

    @Test func duplicateRateLimits() throws {
        let d = try Self.policyDiagnostics("""
            kind: TrafficPolicy
            spec:
              targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}]
              traffic:
                rateLimit:
                  local:
                    - {requests: 10, unit: Seconds}
                    - {requests: 10, unit: Seconds, tool: fetch}
                    - {requests: 100, unit: Seconds, per: Client}
            """)
        #expect(d.map(\.rule) == ["cel.trafficpolicy.unique-rate-limits"])
        #expect(d.first?.mark?.line == 9, "an unset per is the default, Client")
    }

    // MARK: - Schema-level checks through ObjectValidator (schema, defaults, then these rules)

    static func validate(_ yaml: String) throws -> ObjectCheck {
        ObjectValidator.validate(Manifest(node: try parse(yaml), file: "test.yaml"))
    }

    static func backend(targets: String, mcpExtra: String = "") -> String {
        """
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: Backend
        metadata:
          name: b
        spec:
          type: MCP
          mcp:
        \(mcpExtra)    targets:
        \(targets)
        """
    }

    static func policy(_ traffic: String, targetRefs: String = "    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}") -> String {
        """
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: TrafficPolicy
        metadata:
          name: p
        spec:
          targetRefs:
        \(targetRefs)
          traffic:
        \(traffic)
        """
    }

    @Test func schemasLoad() {
        #expect(SchemaRegistry.agentGatewayCRDProblem == nil)
        #expect(ObjectValidator.knows(apiVersion: AgentGateway.apiVersion, kind: "Backend"))
        #expect(ObjectValidator.knows(apiVersion: AgentGateway.apiVersion, kind: "TrafficPolicy"))
    }

    @Test func tutorialManifestsPassTheValidator() throws {
        for file in ["seed/manifests/mcp-gateway.yaml", "seed/manifests/mcp-api-key.yaml"] {
            let text = try String(contentsOf: SharedPaths.url(file), encoding: .utf8)
            for (i, doc) in try YAMLReader.read(text, file: file).enumerated() {
                let check = ObjectValidator.validate(Manifest(node: doc, file: file, documentIndex: i))
                #expect(check.diagnostics == [], "\(file) document \(i)")
            }
        }
    }

    @Test func defaultsAreApplied() throws {
        let b = try Self.validate(Self.tutorialBackend.replacingOccurrences(of: "          protocol: StreamableHTTP\n", with: "")
            .replacingOccurrences(of: "          path: /mcp\n", with: ""))
        #expect(b.diagnostics == [])
        let mcp = b.object["spec"]?["mcp"]
        #expect(mcp?["prefixMode"]?.string == "Conditional")
        #expect(mcp?["failureMode"]?.string == "FailClosed")
        #expect(mcp?["targets"]?[0]?["static"]?["protocol"]?.string == "StreamableHTTP")
        #expect(mcp?["targets"]?[0]?["static"]?["path"] == nil, "the gateway computes the path default")
        let p = try Self.validate(Self.policy("""
                rateLimit:
                  local:
                    - {requests: 10, unit: Seconds}
            """))
        #expect(p.diagnostics == [])
        #expect(p.object["spec"]?["traffic"]?["rateLimit"]?["local"]?[0]?["per"]?.string == "Client")
    }

    static let target = "      - name: a\n        static: {host: a.example.com, port: 80}"

    @Test(arguments: [
        ("target name with _", "      - name: my_target\n        static: {host: a, port: 80}", "schema.pattern"),
        ("upper-case target name", "      - name: Target\n        static: {host: a, port: 80}", "schema.pattern"),
        ("port 0", "      - name: a\n        static: {host: a, port: 0}", "schema.bounds"),
        ("port 65536", "      - name: a\n        static: {host: a, port: 65536}", "schema.bounds"),
        ("protocol HTTP", "      - name: a\n        static: {host: a, port: 80, protocol: HTTP}", "schema.enum"),
        ("relative path", "      - name: a\n        static: {host: a, port: 80, path: mcp}", "schema.pattern"),
        ("host with a scheme", "      - name: a\n        static: {host: \"http://a\", port: 80}", "schema.pattern"),
        ("no host", "      - name: a\n        static: {port: 80}", "schema.required"),
        ("no static", "      - name: a", "schema.required"),
        ("duplicate names", "\(target)\n\(target)", "schema.duplicate"),
        ("bad timeout", "\(target)\n        timeout: 30sec", "schema.pattern"),
        ("bad tool glob", "\(target)\n        tools: {include: [\"get tools\"]}", "schema.pattern"),
        ("duplicate header", "\(target)\n        headers: [{name: X-A, value: a}, {name: X-A, value: b}]", "schema.duplicate"),
        ("unknown field", "\(target)\n        weight: 1", "schema.unknown-field"),
        ("both value and valueFrom", "\(target)\n        headers: [{name: X-A, value: a, valueFrom: {secretKeyRef: {name: s, key: k}}}]", "cel.backend.header-value"),
        ("empty list", "      []", "schema.bounds"),
    ])
    func badBackendTargets(_ what: String, _ targets: String, _ rule: String) throws {
        let check = try Self.validate(Self.backend(targets: targets))
        #expect(check.diagnostics.contains { $0.rule == rule && $0.severity == .error },
                "\(what): \(check.diagnostics.map(\.description))")
        #expect(check.diagnostics.allSatisfy { $0.mark != nil })
    }

    @Test func unknownFieldIsRejected() throws {
        let check = try Self.validate(Self.backend(targets: Self.target, mcpExtra: "    targetz: []\n"))
        #expect(check.diagnostics.contains { $0.severity == .error && $0.message.contains("targetz") },
                "\(check.diagnostics.map(\.description))")
    }

    @Test func tooManyTargets() throws {
        let targets = (0..<129).map { "      - {name: t\($0), static: {host: a, port: 80}}" }.joined(separator: "\n")
        let check = try Self.validate(Self.backend(targets: targets))
        #expect(check.diagnostics.map(\.rule) == ["schema.bounds"])
        let ok = try Self.validate(Self.backend(targets: targets.components(separatedBy: "\n").dropLast().joined(separator: "\n")))
        #expect(ok.diagnostics == [])
    }

    @Test func ipHostsAreAccepted() throws {
        for host in ["10.0.0.7", "\"fd00::7\"", "demo-mcp-server.default.svc.cluster.local", "localhost"] {
            let check = try Self.validate(Self.backend(targets: "      - {name: a, static: {host: \(host), port: 80}}"))
            #expect(check.diagnostics == [], "\(host)")
        }
    }

    @Test(arguments: [
        ("kind Service", "    - {group: gateway.networking.k8s.io, kind: Service, name: r}", "        timeouts: {request: 1s}", "schema.enum"),
        ("core group", "    - {group: \"\", kind: HTTPRoute, name: r}", "        timeouts: {request: 1s}", "schema.enum"),
        ("no group", "    - {kind: HTTPRoute, name: r}", "        timeouts: {request: 1s}", "schema.required"),
        ("rate 0", "    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}", "        rateLimit: {local: [{requests: 0, unit: Seconds}]}", "schema.bounds"),
        ("unit Days", "    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}", "        rateLimit: {local: [{requests: 1, unit: Days}]}", "schema.enum"),
        ("negative burst", "    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}", "        rateLimit: {local: [{requests: 1, unit: Seconds, burst: -1}]}", "schema.bounds"),
        ("per User", "    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}", "        rateLimit: {local: [{requests: 1, unit: Seconds, per: User}]}", "schema.enum"),
        ("empty allowTools entry", "    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}", "        mcp: {authorization: {allowTools: [\"\"]}}", "schema.bounds"),
        ("empty denyTools", "    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}", "        mcp: {authorization: {denyTools: []}}", "schema.bounds"),
        ("bad idle", "    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}", "        timeouts: {idle: 5 minutes}", "schema.pattern"),
        ("no secretRef", "    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}", "        authentication: {apiKeyAuth: {header: X-Key}}", "schema.required"),
        ("empty traffic", "    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}", "        {}", "cel.trafficpolicy.traffic-nonempty"),
        ("sectionName on a route", "    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r, sectionName: s}", "        timeouts: {request: 1s}", "cel.trafficpolicy.section-name"),
    ])
    func badPolicies(_ what: String, _ targetRefs: String, _ traffic: String, _ rule: String) throws {
        let check = try Self.validate(Self.policy(traffic, targetRefs: targetRefs))
        #expect(check.diagnostics.contains { $0.rule == rule && $0.severity == .error },
                "\(what): \(check.diagnostics.map(\.description))")
    }

    @Test func seventeenTargetRefs() throws {
        let refs = (0..<17).map { "    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r\($0)}" }.joined(separator: "\n")
        let check = try Self.validate(Self.policy("        timeouts: {request: 1s}", targetRefs: refs))
        #expect(check.diagnostics.map(\.rule) == ["schema.bounds"])
    }
}
