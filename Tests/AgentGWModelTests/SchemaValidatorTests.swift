import Foundation
import Testing
@testable import AgentGWModel

/// Focused checks of the schema validator: defaulting, list maps, unknown fields, types,
/// junctors, metadata and positions.
@Suite struct SchemaValidatorTests {
    static func validate(_ yaml: String, file: String = "t.yaml") throws -> ObjectCheck {
        let docs = try YAMLReader.read(yaml, file: file)
        return ObjectValidator.validate(Manifest(node: docs[0], file: file))
    }

    static func errors(_ check: ObjectCheck) -> [Diagnostic] { check.diagnostics.filter { $0.severity == .error } }

    static let gateway = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: gw
        spec:
          gatewayClassName: example
          listeners:
          - name: http
            protocol: HTTP
            port: 80

        """

    @Test func validGatewayHasNoFindings() throws {
        let check = try Self.validate(Self.gateway)
        #expect(check.diagnostics.isEmpty, "\(check.diagnostics)")
    }

    @Test func defaultsAreApplied() throws {
        let check = try Self.validate(Self.gateway)
        let listener = check.object["spec"]?["listeners"]?[0]
        #expect(listener?["allowedRoutes"]?["namespaces"]?["from"]?.string == "Same")

        let route = try Self.validate("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: r}
            spec:
              parentRefs: [{name: gw}]
              rules:
              - backendRefs: [{name: svc, port: 80}]
            """)
        #expect(Self.errors(route).isEmpty, "\(route.diagnostics)")
        let spec = route.object["spec"]
        #expect(spec?["parentRefs"]?[0]?["group"]?.string == "gateway.networking.k8s.io")
        #expect(spec?["parentRefs"]?[0]?["kind"]?.string == "Gateway")
        #expect(spec?["rules"]?[0]?["backendRefs"]?[0]?["weight"]?.int == 1)
        #expect(spec?["rules"]?[0]?["backendRefs"]?[0]?["kind"]?.string == "Service")
        // The default `matches` value is itself defaulted inside: path type PathPrefix, value "/".
        #expect(spec?["rules"]?[0]?["matches"]?[0]?["path"]?["type"]?.string == "PathPrefix")
        #expect(spec?["rules"]?[0]?["matches"]?[0]?["path"]?["value"]?.string == "/")
    }

    @Test func rulesDefaultWhenAbsent() throws {
        let route = try Self.validate("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: r}
            spec: {parentRefs: [{name: gw}]}
            """)
        #expect(route.object["spec"]?["rules"]?[0]?["matches"]?[0]?["path"]?["value"]?.string == "/")
    }

    @Test func duplicateListMapKeyIsReportedAtTheDuplicate() throws {
        let check = try Self.validate(Self.gateway + """
              - name: http
                protocol: HTTP
                port: 8080

            """)
        let duplicate = Self.errors(check).first { $0.rule == "schema.duplicate" }
        #expect(duplicate?.message == #"spec.listeners[1]: Duplicate value: {"name":"http"}"#)
        #expect(duplicate?.mark?.line == 11)
        #expect(duplicate?.mark?.column == 5)
        #expect(Self.errors(check).contains { $0.rule == "cel.gateway.name-unique" })
    }

    @Test func unknownFieldIsAnErrorAtItsKey() throws {
        let check = try Self.validate(Self.gateway + "  foo: bar\n")
        let e = Self.errors(check)
        #expect(e.count == 1)
        #expect(e.first?.message == #"unknown field "spec.foo""#)
        #expect(e.first?.rule == "schema.unknown-field")
        #expect(e.first?.mark == SourceMark(file: "t.yaml", line: 11, column: 3))
    }

    @Test func boundsMessageNamesPathValueAndLimit() throws {
        let check = try Self.validate(Self.gateway.replacingOccurrences(of: "port: 80", with: "port: 0"))
        let e = Self.errors(check)
        #expect(e.map(\.message) == ["spec.listeners[0].port: Invalid value: 0: spec.listeners[0].port in body should be greater than or equal to 1"])
        #expect(e.first?.rule == "schema.bounds")
        #expect(e.first?.mark?.line == 10)
        #expect(e.first?.mark?.column == 5)
    }

    @Test func typesEnumsAndRequired() throws {
        let check = try Self.validate("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw}
            spec:
              listeners:
              - name: http
                protocol: HTTP
                port: "80"
              - name: x
                protocol: HTTP
                port: 80.5
            """)
        let rules = Set(Self.errors(check).map(\.rule))
        #expect(rules.contains("schema.required"))  // gatewayClassName
        #expect(rules.contains("schema.type"))
        #expect(Self.errors(check).contains { $0.message == #"spec.gatewayClassName: Required value"# })
        #expect(Self.errors(check).contains { $0.message.hasPrefix(#"spec.listeners[0].port: Invalid value: "80": "#) && $0.message.contains("must be of type integer") })
        #expect(Self.errors(check).contains { $0.message.hasPrefix("spec.listeners[1].port: Invalid value: 80.5") })
    }

    @Test func integralFloatIsAnInteger() throws {
        let check = try Self.validate(Self.gateway.replacingOccurrences(of: "port: 80", with: "port: 80.0"))
        #expect(Self.errors(check).isEmpty, "\(check.diagnostics)")
    }

    @Test func nullInNonNullableFieldIsPruned() throws {
        let check = try Self.validate(Self.gateway + "    hostname: null\n")
        #expect(Self.errors(check).isEmpty, "\(check.diagnostics)")
    }

    @Test func enumMessageListsSupportedValues() throws {
        let check = try Self.validate("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: r}
            spec:
              rules:
              - matches:
                - method: NOTREAL
            """)
        let e = Self.errors(check).first { $0.rule == "schema.enum" }
        #expect(e?.message.hasPrefix(#"spec.rules[0].matches[0].method: Unsupported value: "NOTREAL": supported values: "GET", "#) == true)
    }

    @Test func oneOfUsesTheDefaultedDiscriminator() throws {
        let base = Self.gateway.replacingOccurrences(of: "  listeners:", with: "  addresses:\n  - value: ADDR\n  listeners:")
        #expect(Self.errors(try Self.validate(base.replacingOccurrences(of: "ADDR", with: "10.0.0.1"))).isEmpty)
        #expect(Self.errors(try Self.validate(base.replacingOccurrences(of: "ADDR", with: "2001:db8::1"))).isEmpty)
        let bad = try Self.validate(base.replacingOccurrences(of: "ADDR", with: "1.1.1"))
        #expect(Self.errors(bad).contains { $0.rule == "schema.one-of" })
        #expect(Self.errors(bad).contains { $0.message.contains("must be of type ipv4") }, "\(bad.diagnostics)")
        #expect(bad.object["spec"]?["addresses"]?[0]?["type"]?.string == "IPAddress")
    }

    @Test func intOrStringAndAdditionalProperties() throws {
        let schemaYAML = """
            type: object
            properties:
              port: {x-kubernetes-int-or-string: true}
              tags: {type: object, additionalProperties: {type: string, maxLength: 3}}
              open: {type: object, x-kubernetes-preserve-unknown-fields: true}
              items:
                type: array
                x-kubernetes-list-type: set
                items: {type: string}
            """
        let schema = OpenAPISchema(try YAMLReader.read(schemaYAML, file: "s")[0])
        func errors(_ yaml: String) throws -> [Diagnostic] {
            let node = try YAMLReader.read(yaml, file: "o")[0]
            var v = SchemaValidator(root: node)
            v.check(node, schema)
            return v.diagnostics
        }
        #expect(try errors("port: 80").isEmpty)
        #expect(try errors("port: http").isEmpty)
        #expect(try errors("port: true").first?.rule == "schema.type")
        #expect(try errors("tags: {a: abc}").isEmpty)
        #expect(try errors("tags: {a: abcd}").first?.message == "tags.a: Too long: may not be more than 3 characters (got 4)")
        #expect(try errors("open: {anything: [1, 2]}").isEmpty)
        #expect(try errors("items: [a, b, a]").first?.message == #"items[2]: Duplicate value: "a""#)
        #expect(try errors("extra: 1").first?.message == #"unknown field "extra""#)
    }

    @Test func lengthCountsUnicodeScalars() throws {
        let schema = OpenAPISchema(try YAMLReader.read("{type: string, maxLength: 3, minLength: 2}", file: "s")[0])
        func count(_ s: String) -> Int {
            var v = SchemaValidator(root: .string(s))
            v.check(.string(s), schema)
            return v.diagnostics.count
        }
        #expect(count("äöü") == 0)
        #expect(count("äöüß") == 1)
        #expect(count("ä") == 1)
    }

    @Test func metadataRules() throws {
        let noName = try Self.validate(Self.gateway.replacingOccurrences(of: "  name: gw\n", with: "  generateName: gw-\n"))
        #expect(Self.errors(noName).isEmpty)
        let missing = try Self.validate(Self.gateway.replacingOccurrences(of: "  name: gw\n", with: "  labels: {a: b}\n"))
        #expect(Self.errors(missing).contains { $0.rule == "schema.required" && $0.message.hasPrefix("metadata.name: Required value") })
        let upper = try Self.validate(Self.gateway.replacingOccurrences(of: "name: gw", with: "name: My_GW"))
        #expect(Self.errors(upper).contains { $0.message.hasPrefix(#"metadata.name: Invalid value: "My_GW": a lowercase RFC 1123 subdomain"#) })
        let ns = try Self.validate(Self.gateway.replacingOccurrences(of: "name: gw", with: "name: gw\n  namespace: a.b"))
        #expect(Self.errors(ns).contains { $0.message.hasPrefix(#"metadata.namespace: Invalid value: "a.b""#) })
        let labels = try Self.validate(Self.gateway.replacingOccurrences(of: "name: gw", with: "name: gw\n  labels: {\"bad key\": x, ok: 1}"))
        #expect(Self.errors(labels).count == 2, "\(labels.diagnostics)")  // key syntax + a non-string value
        let unknownMeta = try Self.validate(Self.gateway.replacingOccurrences(of: "name: gw", with: "name: gw\n  nmae: x"))
        #expect(Self.errors(unknownMeta).map(\.message) == [#"unknown field "metadata.nmae""#])
    }

    @Test func apiVersionAndKindAreRequired() throws {
        let check = try Self.validate("metadata: {name: x}\n")
        #expect(Set(Self.errors(check).map(\.message)) == [
            "apiVersion: Required value: every object needs an apiVersion", "kind: Required value: every object needs a kind",
        ])
    }

    @Test func unknownKindsPassThrough() throws {
        let check = try Self.validate("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {anything: [1]}\n")
        #expect(check.diagnostics.isEmpty)
        let alpha = try Self.validate("apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: HTTPRoute\nmetadata: {name: s}\n")
        #expect(alpha.diagnostics.map(\.rule) == ["schema.version"])
        #expect(alpha.diagnostics.first?.severity == .warning)
    }

    @Test func v1beta1SharesTheSchema() throws {
        let check = try Self.validate(Self.gateway.replacingOccurrences(of: "/v1\n", with: "/v1beta1\n") + "  foo: 1\n")
        #expect(Self.errors(check).map(\.rule) == ["schema.unknown-field"])
    }
}
