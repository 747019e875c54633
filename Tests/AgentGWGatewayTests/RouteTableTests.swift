import Testing
@testable import AgentGWGateway

/// Gateway API match precedence and hostname handling of `RouteTable`, built directly.
@Suite struct RouteTableTests {
    static func rule(_ name: String) -> CompiledRule {
        CompiledRule(routeName: name, ruleName: "0", filters: [], backends: [], requestTimeout: nil, backendRequestTimeout: nil, policy: .open)
    }

    /// An entry named `name` whose order is its position `index` (so earlier = older).
    static func entry(_ name: String, _ path: RequestMatcher.PathMatch, method: String? = nil, headers: [(String, String)] = [],
                      query: [(String, String)] = [], hostnames: [String] = [], listener: String? = nil, index: Int = 0,
                      created: String = "", routeName: String? = nil) -> RouteTable.Entry {
        let matcher = RequestMatcher(path: path, method: method,
                                     headers: headers.map { .init(name: $0.0, value: .exact($0.1)) },
                                     queryParams: query.map { .init(name: $0.0, value: .exact($0.1)) })
        return RouteTable.Entry(listenerHostname: listener, hostnames: hostnames, matcher: matcher, rule: rule(name),
                                order: .init(created: created, inputIndex: index, routeName: routeName ?? "default/\(name)", ruleIndex: 0, matchIndex: 0))
    }

    static func winner(_ table: RouteTable, _ path: String, host: String = "example.com", method: String = "GET",
                       headers: [(name: String, value: String)] = [], query: [(name: String, value: String)] = []) -> String? {
        table.match(CompileFixtures.request(path, host: host, method: method, headers: headers, query: query))?.rule.routeName
    }

    @Test func emptyTableMatchesNothing() {
        #expect(RouteTable.empty.match(CompileFixtures.request("/")) == nil)
        #expect(RouteTable().entries.isEmpty)
    }

    @Test func exactBeatsPrefix() {
        let t = RouteTable(entries: [Self.entry("prefix", .prefix("/foo"), index: 0), Self.entry("exact", .exact("/foo"), index: 1)])
        #expect(Self.winner(t, "/foo") == "exact")
        #expect(Self.winner(t, "/foo/bar") == "prefix")
        #expect(Self.winner(t, "/foo/") == "prefix")
    }

    @Test func longestPrefixWins() {
        let t = RouteTable(entries: [Self.entry("root", .prefix("/"), index: 0), Self.entry("foo", .prefix("/foo"), index: 1),
                                     Self.entry("foobar", .prefix("/foo/bar/"), index: 2)])
        #expect(Self.winner(t, "/foo/bar/baz") == "foobar")
        #expect(Self.winner(t, "/foo/bar") == "foobar")
        #expect(Self.winner(t, "/foo/barbaz") == "foo")
        #expect(Self.winner(t, "/foobar") == "root")
        #expect(Self.winner(t, "/") == "root")
    }

    @Test func prefixMatchesWholeSegments() {
        let m = RequestMatcher(path: .prefix("/foo"))
        #expect(m.pathMatches("/foo") && m.pathMatches("/foo/") && m.pathMatches("/foo/bar"))
        #expect(!m.pathMatches("/foobar") && !m.pathMatches("/fo") && !m.pathMatches("/"))
        let slash = RequestMatcher(path: .prefix("/foo/"))
        #expect(slash.pathMatches("/foo") && slash.pathMatches("/foo/bar") && !slash.pathMatches("/foobar"))
        #expect(RequestMatcher.everything.pathMatches("/") && RequestMatcher.everything.pathMatches("/anything/at/all"))
        let exact = RequestMatcher(path: .exact("/foo"))
        #expect(exact.pathMatches("/foo") && !exact.pathMatches("/foo/") && !exact.pathMatches("/FOO"))
    }

    @Test func regularExpressionIsAFullMatchAndRanksAfterPrefixes() throws {
        let re = try #require(CompiledRegex(fullMatch: "/v[0-9]+/.*"))
        #expect(re.matches("/v1/tools") && !re.matches("/x/v1/tools") && !re.matches("/v1"))
        let t = RouteTable(entries: [Self.entry("regex", .regularExpression(re), index: 0), Self.entry("api", .prefix("/api"), index: 1),
                                     Self.entry("longer-regex", .regularExpression(try #require(CompiledRegex(fullMatch: "/v1/tools/.*"))), index: 2)])
        #expect(Self.winner(t, "/v2/x") == "regex")
        #expect(Self.winner(t, "/v1/tools/fetch") == "longer-regex")
        #expect(Self.winner(t, "/api/v1") == "api")
        #expect(CompiledRegex(fullMatch: "\\p{Greek}") == nil)
    }

    @Test func methodThenHeadersThenQueryParams() {
        let t = RouteTable(entries: [
            Self.entry("plain", .prefix("/"), index: 0),
            Self.entry("post", .prefix("/"), method: "POST", index: 1),
            Self.entry("one-header", .prefix("/"), headers: [("x-a", "1")], index: 2),
            Self.entry("two-headers", .prefix("/"), headers: [("x-a", "1"), ("X-B", "2")], index: 3),
            Self.entry("query", .prefix("/"), query: [("q", "1")], index: 4),
        ])
        #expect(Self.winner(t, "/") == "plain")
        #expect(Self.winner(t, "/", method: "POST", headers: [("X-A", "1"), ("x-b", "2")]) == "post")
        #expect(Self.winner(t, "/", headers: [("X-A", "1"), ("x-b", "2")], query: [("q", "1")]) == "two-headers")
        #expect(Self.winner(t, "/", headers: [("x-a", "1")], query: [("q", "1")]) == "one-header")
        #expect(Self.winner(t, "/", query: [("q", "1")]) == "query")
        // Values are compared exactly; the first occurrence of a query parameter counts.
        #expect(Self.winner(t, "/", headers: [("x-a", "ONE")], query: [("q", "2"), ("q", "1")]) == "plain")
    }

    @Test func pathSpecificityBeatsMethodAndHeaders() {
        let t = RouteTable(entries: [Self.entry("post-root", .prefix("/"), method: "POST", headers: [("x", "1")], index: 0),
                                     Self.entry("mcp", .prefix("/mcp"), index: 1)])
        #expect(Self.winner(t, "/mcp", method: "POST", headers: [("x", "1")]) == "mcp")
    }

    @Test func tiesGoToTheOldestRouteThenByName() {
        let byInput = RouteTable(entries: [Self.entry("second", .prefix("/"), index: 5), Self.entry("first", .prefix("/"), index: 2)])
        #expect(Self.winner(byInput, "/x") == "first")
        let byTimestamp = RouteTable(entries: [
            Self.entry("newer", .prefix("/"), index: 0, created: "2025-02-01T00:00:00Z"),
            Self.entry("older", .prefix("/"), index: 1, created: "2024-01-01T00:00:00Z"),
        ])
        #expect(Self.winner(byTimestamp, "/x") == "older")
        let byName = RouteTable(entries: [Self.entry("b", .prefix("/"), index: 0, routeName: "ns/b"), Self.entry("a", .prefix("/"), index: 0, routeName: "ns/a")])
        #expect(Self.winner(byName, "/x") == "a")
    }

    @Test func rulesAndMatchesWithinARouteKeepTheirOrder() {
        func e(_ name: String, rule: Int, match: Int) -> RouteTable.Entry {
            RouteTable.Entry(listenerHostname: nil, hostnames: [], matcher: RequestMatcher(path: .prefix("/")), rule: Self.rule(name),
                             order: .init(inputIndex: 0, routeName: "ns/r", ruleIndex: rule, matchIndex: match))
        }
        let t = RouteTable(entries: [e("r1m0", rule: 1, match: 0), e("r0m1", rule: 0, match: 1), e("r0m0", rule: 0, match: 0)])
        #expect(t.entries.map(\.rule.routeName) == ["r0m0", "r0m1", "r1m0"])
    }

    @Test func mostSpecificHostnameFirstWithFallThrough() {
        let t = RouteTable(entries: [
            Self.entry("any", .exact("/only-any"), index: 0),
            Self.entry("any-root", .prefix("/"), index: 1),
            Self.entry("wild", .exact("/deep"), hostnames: ["*.example.com"], index: 2),
            Self.entry("wild-sub", .prefix("/"), hostnames: ["*.api.example.com"], index: 3),
            Self.entry("exact-host", .prefix("/a"), hostnames: ["foo.api.example.com", "bar.test"], index: 4),
        ])
        // Exact hostname first even though the wildcard route has an Exact path.
        #expect(Self.winner(t, "/a", host: "foo.api.example.com") == "exact-host")
        // Falls through to the longest wildcard, then the shorter one, then routes without hostnames.
        #expect(Self.winner(t, "/deep", host: "foo.api.example.com") == "wild-sub")
        #expect(Self.winner(t, "/deep", host: "x.example.com") == "wild")
        #expect(Self.winner(t, "/only-any", host: "x.example.com") == "any")
        #expect(Self.winner(t, "/a", host: "bar.test") == "exact-host")
        #expect(Self.winner(t, "/b", host: "bar.test") == "any-root")
        // A wildcard does not match its own suffix.
        #expect(Self.winner(t, "/deep", host: "example.com") == "any-root")
        #expect(Self.winner(t, "/deep", host: "a.b.example.com") == "wild")
    }

    @Test func listenerIsolation() {
        let t = RouteTable(entries: [
            Self.entry("catch-all", .prefix("/"), index: 0),
            Self.entry("wild-listener", .exact("/x"), hostnames: ["*.example.com"], listener: "*.example.com", index: 1),
        ], listenerHostnames: [nil, "*.example.com", "quiet.test"])
        #expect(Self.winner(t, "/x", host: "a.example.com") == "wild-listener")
        // The wildcard listener owns *.example.com: no fall-through to the catch-all listener.
        #expect(Self.winner(t, "/y", host: "a.example.com") == nil)
        // A listener without routes still owns its host.
        #expect(Self.winner(t, "/", host: "quiet.test") == nil)
        #expect(Self.winner(t, "/y", host: "other.test") == "catch-all")
        let noCatchAll = RouteTable(entries: [Self.entry("only", .prefix("/"), hostnames: ["a.test"], listener: "a.test")])
        #expect(Self.winner(noCatchAll, "/", host: "b.test") == nil)
        #expect(Self.winner(noCatchAll, "/", host: "a.test") == "only")
    }

    @Test func matchedPrefixIsReported() {
        let t = RouteTable(entries: [Self.entry("p", .prefix("/api/"), index: 0), Self.entry("e", .exact("/exact"), index: 1)])
        #expect(t.match(CompileFixtures.request("/api/x"))?.matchedPrefix == "/api/")
        let exact = t.match(CompileFixtures.request("/exact"))
        #expect(exact != nil && exact?.matchedPrefix == nil)
    }

    @Test func headerNamesIgnoreCaseAndRegexValuesMatchWhole() throws {
        let re = try #require(CompiledRegex(fullMatch: "v[12]"))
        let m = RequestMatcher(path: .prefix("/"), headers: [.init(name: "X-Version", value: .regularExpression(re)),
                                                            .init(name: "x-version", value: .exact("ignored duplicate"))])
        #expect(m.headers.count == 1)
        #expect(m.matches(CompileFixtures.request("/", headers: [("x-VERSION", "v2")])))
        #expect(!m.matches(CompileFixtures.request("/", headers: [("x-version", "v22")])))
        #expect(!m.matches(CompileFixtures.request("/")))
        // Any of several fields with the name may match.
        #expect(m.matches(CompileFixtures.request("/", headers: [("X-Version", "v9"), ("X-Version", "v1")])))
    }
}
