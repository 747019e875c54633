import Testing
@testable import AgentGWGateway

/// The pure filter helpers the proxy calls: header edits, path rewrites, redirect Location.
@Suite struct FiltersTests {
    @Test func headerEditsSetAddRemove() {
        var headers: [(name: String, value: String)] = [("Host", "a"), ("X-Drop", "1"), ("x-set", "old1"), ("Accept", "*/*"), ("X-SET", "old2"), ("x-drop", "2")]
        let edits = RouteFilter.HeaderEdits(set: [("X-Set", "new"), ("X-New", "n")], add: [("Accept", "text/event-stream")], remove: ["X-DROP"])
        edits.apply(to: &headers)
        #expect(headers.map(\.name) == ["Host", "X-Set", "Accept", "X-New", "Accept"])
        #expect(headers.map(\.value) == ["a", "new", "*/*", "n", "text/event-stream"])
        #expect(!edits.isEmpty && RouteFilter.HeaderEdits(set: [], add: [], remove: []).isEmpty)
    }

    /// The table of the Gateway API's HTTPPathModifier documentation, plus the "/" cases.
    @Test(arguments: [
        ("/foo/bar", "/foo", "/xyz", "/xyz/bar"),
        ("/foo/bar", "/foo", "/xyz/", "/xyz/bar"),
        ("/foo/bar", "/foo/", "/xyz", "/xyz/bar"),
        ("/foo/bar", "/foo/", "/xyz/", "/xyz/bar"),
        ("/foo", "/foo", "/xyz", "/xyz"),
        ("/foo/", "/foo", "/xyz", "/xyz/"),
        ("/foo/bar", "/foo", "", "/bar"),
        ("/foo/", "/foo", "", "/"),
        ("/foo", "/foo", "", "/"),
        ("/foo/", "/foo", "/", "/"),
        ("/foo", "/foo", "/", "/"),
        ("/foo/bar", "/foo", "/", "/bar"),
        ("/anything", "/", "/prefix", "/prefix/anything"),
        ("/", "/", "/", "/"),
        ("/strip-prefix/three", "/strip-prefix", "/", "/three"),
    ])
    func replacePrefixMatch(_ path: String, _ prefix: String, _ replacement: String, _ expected: String) {
        #expect(RouteFilter.rewrittenPath(original: path, matchedPrefix: prefix, modifier: .replacePrefixMatch(replacement)) == expected)
    }

    @Test func replaceFullPathAndMissingPrefix() {
        #expect(RouteFilter.rewrittenPath(original: "/a/b", matchedPrefix: "/a", modifier: .replaceFullPath("/one")) == "/one")
        #expect(RouteFilter.rewrittenPath(original: "/a/b", matchedPrefix: nil, modifier: .replacePrefixMatch("/x")) == "/a/b")
        #expect(RouteFilter.rewrittenPath(original: "/other", matchedPrefix: "/a", modifier: .replacePrefixMatch("/x")) == "/other")
    }

    static func location(scheme: String = "http", host: String = "example.com", port: Int = 80, path: String = "/p",
                         query: String? = nil, prefix: String? = nil, toScheme: String? = nil, toHost: String? = nil,
                         toPath: RouteFilter.PathModifier? = nil, toPort: Int? = nil) -> String {
        RouteFilter.redirectLocation(scheme: scheme, host: host, port: port, path: path, query: query, matchedPrefix: prefix,
                                     redirectScheme: toScheme, redirectHostname: toHost, redirectPath: toPath, redirectPort: toPort)
    }

    @Test func redirectLocations() {
        #expect(Self.location() == "http://example.com/p")
        #expect(Self.location(query: "a=1&b=2") == "http://example.com/p?a=1&b=2")
        #expect(Self.location(port: 8080) == "http://example.com:8080/p")
        // A new scheme takes its well-known port, which is left out.
        #expect(Self.location(port: 8080, toScheme: "https") == "https://example.com/p")
        #expect(Self.location(toScheme: "https", toPort: 8443) == "https://example.com:8443/p")
        #expect(Self.location(scheme: "https", port: 443) == "https://example.com/p")
        #expect(Self.location(scheme: "https", port: 443, toScheme: "http") == "http://example.com/p")
        #expect(Self.location(toPort: 80) == "http://example.com/p")
        #expect(Self.location(toHost: "example.org") == "http://example.org/p")
        #expect(Self.location(path: "/api/v1/x", query: "q", prefix: "/api", toPath: .replacePrefixMatch("/v2")) == "http://example.com/v2/v1/x?q")
        #expect(Self.location(toPath: .replaceFullPath("/new")) == "http://example.com/new")
        #expect(Self.location(host: "::1", port: 8080) == "http://[::1]:8080/p")
        #expect(RouteFilter.defaultRedirectStatus == 302)
    }
}
