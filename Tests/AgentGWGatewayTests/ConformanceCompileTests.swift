import AgentGWModel
import Foundation
import Testing
@testable import AgentGWGateway

/// The Gateway API conformance HTTPRoute manifests, compiled with the base manifests, and the
/// routing decisions the upstream conformance tests expect of them.
@Suite struct ConformanceCompileTests {
    static let folder = "crds/gateway-api/testdata/conformance"
    static let routeFiles = GatewayTestPaths.files(under: folder).filter { $0.lastPathComponent.hasPrefix("httproute-") }

    static func compile(_ file: String) throws -> (inputs: LoadedInputs, result: Result<RuntimeConfig, CompileError>) {
        let paths = ["base-manifests.yaml", file].map { GatewayTestPaths.url("\(folder)/\($0)").path }
        let inputs = try ManifestLoader.load(paths, recursive: false)
        return (inputs, ConfigCompiler.compile(inputs, options: CompileOptions(), generation: 1))
    }

    static func table(_ file: String, port: Int = 80) throws -> RouteTable {
        try #require(try compile(file).result.get().listeners[port]?.routes)
    }

    /// The Service a request reaches, as `infra-backend-vN`, or nil for 404.
    static func backend(_ table: RouteTable, _ path: String, host: String = "example.com", method: String = "GET",
                        headers: [(name: String, value: String)] = [], query: [(name: String, value: String)] = []) -> String? {
        let match = table.match(CompileFixtures.request(path, host: host, method: method, headers: headers, query: query))
        return match?.rule.backends.first.map { $0.backend.displayName.split(separator: "/").last.map(String.init) ?? "" }
    }

    @Test func fixturesArePresent() {
        #expect(Self.routeFiles.count >= 40)
    }

    /// Every file compiles, or fails with exactly validate's findings (plus the compiler's own
    /// errors, which must then exist).
    @Test(arguments: routeFiles) func compilesOrReportsLikeValidate(_ url: URL) throws {
        let (inputs, result) = try Self.compile(url.lastPathComponent)
        let validation = ManifestValidator(references: ReferenceChecker()).validate(inputs)
        switch result {
        case .success(let config):
            #expect(validation.errorCount == 0)
            #expect(config.listeners[80] != nil, "\(url.lastPathComponent): no port 80 listener")
            // The four HTTPS listeners name a certificate Secret the fixtures don't include: each is
            // left out with a warning rather than served in plain text.
            #expect(config.listeners[443] == nil)
            #expect(config.warnings.filter { $0.rule == "compile.listener-tls" }.count == 4)
            _ = config.describe()
        case .failure(let error):
            if validation.errorCount > 0 {
                #expect(error.diagnostics == validation.diagnostics)
            } else {
                #expect(error.diagnostics.contains { $0.severity == .error && $0.rule.hasPrefix("compile.") }, "\(error)")
            }
        }
    }

    @Test func pathMatchOrder() throws {
        let t = try Self.table("httproute-path-match-order.yaml")
        #expect(Self.backend(t, "/match/exact/one") == "infra-backend-v3")
        #expect(Self.backend(t, "/match/exact") == "infra-backend-v2")
        #expect(Self.backend(t, "/match") == "infra-backend-v1")
        #expect(Self.backend(t, "/match/prefix/one/extra") == "infra-backend-v2")
        #expect(Self.backend(t, "/match/prefix/one") == "infra-backend-v2")
        #expect(Self.backend(t, "/match/prefix/two") == "infra-backend-v1")
        #expect(Self.backend(t, "/match/exact/two") == "infra-backend-v3")
        #expect(Self.backend(t, "/match/prefixed") == "infra-backend-v3")
        #expect(Self.backend(t, "/unmatched") == nil)
    }

    @Test func matchingAcrossRoutes() throws {
        let t = try Self.table("httproute-matching-across-routes.yaml")
        #expect(Self.backend(t, "/", host: "example.com") == "infra-backend-v1")
        #expect(Self.backend(t, "/example", host: "example.com") == "infra-backend-v1")
        #expect(Self.backend(t, "/", host: "example.net") == "infra-backend-v1")
        #expect(Self.backend(t, "/v2", host: "example.com") == "infra-backend-v2")
        #expect(Self.backend(t, "/v2/example", host: "example.com") == "infra-backend-v2")
        #expect(Self.backend(t, "/", host: "example.com", headers: [("Version", "two")]) == "infra-backend-v2")
        #expect(Self.backend(t, "/v2", host: "example.net") == "infra-backend-v1")
        #expect(Self.backend(t, "/v2x", host: "example.com") == "infra-backend-v1")
        #expect(Self.backend(t, "/", host: "example.org") == nil)
    }

    @Test func methodMatching() throws {
        let t = try Self.table("httproute-method-matching.yaml")
        #expect(Self.backend(t, "/", method: "POST") == "infra-backend-v1")
        #expect(Self.backend(t, "/", method: "GET") == "infra-backend-v2")
        #expect(Self.backend(t, "/", method: "HEAD") == nil)
        #expect(Self.backend(t, "/path1", method: "GET") == "infra-backend-v1")
        #expect(Self.backend(t, "/", method: "PUT", headers: [("version", "one")]) == "infra-backend-v2")
        #expect(Self.backend(t, "/path2", method: "POST", headers: [("version", "two")]) == "infra-backend-v3")
        #expect(Self.backend(t, "/path3", method: "PATCH") == "infra-backend-v1")
        #expect(Self.backend(t, "/path4", method: "DELETE", headers: [("version", "three")]) == "infra-backend-v1")
        // Precedence: a path prefix beats a method; a method beats a header.
        #expect(Self.backend(t, "/path5", method: "PATCH") == "infra-backend-v1")
        #expect(Self.backend(t, "/", method: "PATCH", headers: [("version", "four")]) == "infra-backend-v2")
    }

    @Test func headerMatching() throws {
        let t = try Self.table("httproute-header-matching.yaml")
        #expect(Self.backend(t, "/", headers: [("Version", "one")]) == "infra-backend-v1")
        #expect(Self.backend(t, "/", headers: [("Version", "two")]) == "infra-backend-v2")
        #expect(Self.backend(t, "/", headers: [("Version", "two"), ("Color", "orange")]) == "infra-backend-v1")
        #expect(Self.backend(t, "/", headers: [("version", "one"), ("color", "orange")]) == "infra-backend-v1")
        #expect(Self.backend(t, "/", headers: [("Color", "blue")]) == "infra-backend-v1")
        #expect(Self.backend(t, "/", headers: [("Color", "green")]) == "infra-backend-v1")
        #expect(Self.backend(t, "/", headers: [("COLOR", "red")]) == "infra-backend-v2")
        #expect(Self.backend(t, "/", headers: [("Color", "yellow")]) == "infra-backend-v2")
        #expect(Self.backend(t, "/", headers: [("Color", "white")]) == nil)
        #expect(Self.backend(t, "/", headers: [("Version", "ONE")]) == nil)
    }

    @Test func exactPathMatching() throws {
        let t = try Self.table("httproute-exact-path-matching.yaml")
        #expect(Self.backend(t, "/one") == "infra-backend-v1")
        #expect(Self.backend(t, "/two") == "infra-backend-v2")
        #expect(Self.backend(t, "/one/example") == nil)
        #expect(Self.backend(t, "/") == nil)
    }

    @Test func listenerHostnameMatching() throws {
        let t = try Self.table("httproute-listener-hostname-matching.yaml")
        #expect(Self.backend(t, "/", host: "bar.com") == "infra-backend-v1")
        #expect(Self.backend(t, "/", host: "foo.bar.com") == "infra-backend-v2")
        #expect(Self.backend(t, "/", host: "baz.bar.com") == "infra-backend-v3")
        #expect(Self.backend(t, "/", host: "boo.bar.com") == "infra-backend-v3")
        #expect(Self.backend(t, "/", host: "multiple.prefixes.bar.com") == "infra-backend-v3")
        #expect(Self.backend(t, "/", host: "multiple.prefixes.foo.com") == "infra-backend-v3")
        #expect(Self.backend(t, "/", host: "foo.com") == nil)
        #expect(Self.backend(t, "/", host: "no.matching.host") == nil)
    }

    @Test func hostnameIntersectionIsAValidationErrorForTheUnattachableRoute() throws {
        let (_, result) = try Self.compile("httproute-hostname-intersection.yaml")
        guard case .failure(let error) = result else {
            Issue.record("expected validate's error for the route whose hostnames intersect no listener")
            return
        }
        #expect(error.diagnostics.contains { $0.rule == "ref.no-matching-listener-hostname" })
    }
}
