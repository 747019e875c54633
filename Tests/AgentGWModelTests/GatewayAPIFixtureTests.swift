import Foundation
import Testing
@testable import AgentGWModel

/// The upstream Gateway API examples: valid ones must pass, invalid ones must fail (as
/// upstream's tests/crd/crd_test.go expects of a real API server), conformance manifests pass.
@Suite struct GatewayAPIFixtureTests {
    static let validFiles = SharedPaths.files(under: "crds/gateway-api/testdata/valid-examples")
    static let invalidFiles = SharedPaths.files(under: "crds/gateway-api/testdata/invalid-examples")
    static let conformanceFiles = SharedPaths.files(under: "crds/gateway-api/testdata/conformance")

    static func name(_ url: URL) -> String {
        url.pathComponents.suffix(2).joined(separator: "/")
    }

    /// Every object of a file with its findings.
    static func check(_ url: URL) throws -> [(manifest: Manifest, check: ObjectCheck)] {
        // The conformance suite substitutes this placeholder before applying (SOURCE.md only
        // substituted the class name).
        let text = try String(contentsOf: url, encoding: .utf8)
            .replacingOccurrences(of: "{GATEWAY_CONTROLLER_NAME}", with: AgentGateway.controllerName)
        let docs = try YAMLReader.read(text, file: name(url))
        return docs.enumerated().filter { !$0.element.isNull }.map { index, doc in
            let manifest = Manifest(node: doc, file: name(url), documentIndex: index)
            return (manifest, ObjectValidator.validate(manifest))
        }
    }

    @Test func fixturesArePresent() {
        #expect(Self.validFiles.count >= 70)
        #expect(Self.invalidFiles.count == 32)
        #expect(Self.conformanceFiles.count >= 130)
    }

    @Test(arguments: validFiles) func validExamplePasses(_ url: URL) throws {
        for (manifest, result) in try Self.check(url) {
            let errors = result.diagnostics.filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(Self.name(url)) \(manifest.displayName): \(errors.map(\.description))")
        }
    }

    /// The rule that must catch each invalid example (so a file cannot pass by accident).
    static let expectedRules: [String: String] = [
        "gateway/duplicate-listeners.yaml": "cel.gateway.name-unique",
        "gateway/hostname-tcp.yaml": "cel.gateway.hostname-not-allowed",
        "gateway/hostname-udp.yaml": "cel.gateway.hostname-not-allowed",
        "gateway/invalid-addresses.yaml": "schema.one-of",
        "gateway/invalid-listener-name.yaml": "schema.pattern",
        "gateway/invalid-listener-port.yaml": "schema.bounds",
        "gateway/invalid-tls-mode.yaml": "cel.gateway.https-terminate",
        "gateway/tlsconfig-tcp.yaml": "cel.gateway.tls-not-allowed",
        "gatewayclass/invalid-controller.yaml": "schema.pattern",
        "httproute/duplicate-header-match.yaml": "schema.duplicate",
        "httproute/duplicate-query-match.yaml": "schema.duplicate",
        "httproute/httproute-portless-backend.yaml": "cel.httproute.service-port",
        "httproute/httproute-portless-service.yaml": "cel.httproute.service-port",
        "httproute/invalid-backend-group.yaml": "schema.pattern",
        "httproute/invalid-backend-kind.yaml": "schema.pattern",
        "httproute/invalid-backend-port.yaml": "schema.bounds",
        "httproute/invalid-filter-duplicate-header.yaml": "schema.duplicate",
        "httproute/invalid-filter-duplicate.yaml": "cel.httproute.filter-repeated",
        "httproute/invalid-filter-empty.yaml": "cel.httproute.filter-field",
        "httproute/invalid-filter-wrong-field.yaml": "cel.httproute.filter-field",
        "httproute/invalid-header-name.yaml": "schema.pattern",
        "httproute/invalid-hostname.yaml": "schema.pattern",
        "httproute/invalid-httpredirect-hostname.yaml": "schema.pattern",
        "httproute/invalid-method.yaml": "schema.enum",
        "httproute/invalid-path-alphanum-specialchars-mix.yaml": "cel.httproute.path-characters",
        "httproute/invalid-path-specialchars.yaml": "cel.httproute.path-characters",
        "httproute/invalid-request-redirect-with-backendref.yaml": "cel.httproute.redirect-with-backendrefs",
        "referencegrant/missing-from.yaml": "schema.required",
        "referencegrant/missing-ns.yaml": "schema.required",
        "referencegrant/missing-to.yaml": "schema.required",
        "tlsroute/invalid-hostname.yaml": "cel.tlsroute.hostname-rfc1123",
        "tlsroute/no-hostname.yaml": "schema.required",
    ]

    @Test(arguments: invalidFiles) func invalidExampleFails(_ url: URL) throws {
        let results = try Self.check(url)
        let errors = results.flatMap { $0.check.diagnostics.filter { $0.severity == .error } }
        #expect(!errors.isEmpty, "\(Self.name(url)) was accepted but the API server rejects it")
        let expected = Self.expectedRules[Self.name(url)]
        #expect(expected != nil, "\(Self.name(url)): new invalid example; add its rule to expectedRules")
        if let expected {
            #expect(errors.contains { $0.rule == expected }, "\(Self.name(url)): expected \(expected), got \(errors.map(\.description))")
        }
        // Every finding is one line with a position in the file.
        for e in errors {
            #expect(!e.message.contains("\n") && e.mark?.file == Self.name(url), "\(e)")
        }
    }

    /// Conformance manifests that a standard-channel API server rejects as they stand, each with
    /// the text every one of its errors must contain.
    static let conformanceExceptions: [String: String] = [
        // `retry` is an experimental-channel field; the suite runs this test only there.
        "conformance/httproute-retry.yaml": "unknown field \"spec.rules[",
        // PLACEHOLDER_*_ADDRS values are replaced by the suite with real addresses before applying.
        "conformance/gateway-static-addresses.yaml": "spec.addresses[",
    ]

    @Test(arguments: conformanceFiles) func conformanceManifestPasses(_ url: URL) throws {
        let expected = Self.conformanceExceptions[Self.name(url)]
        var all: [Diagnostic] = []
        for (manifest, result) in try Self.check(url) {
            let errors = result.diagnostics.filter { $0.severity == .error }
            all += errors
            if let expected {
                #expect(errors.allSatisfy { $0.message.contains(expected) }, "\(Self.name(url)) \(manifest.displayName): \(errors.map(\.description))")
            } else {
                #expect(errors.isEmpty, "\(Self.name(url)) \(manifest.displayName): \(errors.map(\.description))")
            }
        }
        if expected != nil { #expect(!all.isEmpty, "\(Self.name(url)) is listed as an exception but passes") }
    }

    @Test func everyGatewayAPIKindIsKnown() {
        for kind in ["Gateway", "GatewayClass", "HTTPRoute", "GRPCRoute", "ReferenceGrant", "TLSRoute", "TCPRoute",
                     "UDPRoute", "ListenerSet", "BackendTLSPolicy"] {
            #expect(ObjectValidator.knows(apiVersion: "gateway.networking.k8s.io/v1", kind: kind), "\(kind)")
        }
        #expect(ObjectValidator.knows(apiVersion: "gateway.networking.k8s.io/v1beta1", kind: "HTTPRoute"))
        #expect(!ObjectValidator.knows(apiVersion: "gateway.networking.k8s.io/v1alpha2", kind: "HTTPRoute"))
        #expect(!ObjectValidator.knows(apiVersion: "v1", kind: "Service"))
        #expect(SchemaRegistry.gatewayAPIBundleVersion == "v1.6.1")
        #expect(SchemaRegistry.agentGatewayCRDProblem == nil)
    }
}
