import Testing
@testable import AgentGWGateway

@Suite struct GlobTests {
    @Test(arguments: [("get_*", "get_weather", true), ("get_*", "set_x", false), ("*", "", true), ("a?c", "abc", true), ("a?c", "ac", false),
                      ("*_admin", "db_admin", true), ("fetch", "fetch", true), ("fetch", "fetcher", false), ("a*b*c", "aXXbYYc", true)])
    func globs(_ pattern: String, _ text: String, _ expected: Bool) {
        #expect(Glob.matches(pattern, text) == expected)
    }

    @Test func toolMatcherExcludeWins() {
        let m = ToolMatcher(include: ["get_*", "fetch"], exclude: ["get_secret"])
        #expect(m.allows("get_weather") && m.allows("fetch"))
        #expect(!m.allows("get_secret") && !m.allows("delete"))
        #expect(ToolMatcher.all.allows("anything"))
    }
}
