import AgentGWMCP
import Testing
@testable import AgentGWGateway

/// `subscriptions/listen` through a multiplexed Backend: what is acknowledged, what each
/// target is asked for, and which of a target's notifications reach the client.
@Suite struct ListenFilterTests {
    let mapper = NameMapper(targets: ["docs", "git"], mode: .conditional)

    func filter(_ notifications: String) throws -> MultiplexService.ListenFilter {
        MultiplexService.ListenFilter(try JSONValue.parse(Array(#"{"notifications":\#(notifications)}"#.utf8)), mapper: mapper)
    }

    @Test func onlyRequestedKindsAreAcknowledgedAndAdmitted() throws {
        let f = try filter(#"{"toolsListChanged":true,"promptsListChanged":false}"#)
        #expect(f.honored["toolsListChanged"]?.bool == true)
        #expect(f.honored["promptsListChanged"] == nil, "a kind not asked for is not acknowledged")
        #expect(f.admits("notifications/tools/list_changed", params: nil, target: "docs"))
        #expect(!f.admits("notifications/prompts/list_changed", params: nil, target: "docs"))
        #expect(!f.admits("notifications/progress", params: nil, target: "docs"))
        #expect(!f.admits("notifications/subscriptions/acknowledged", params: nil, target: "git"), "targets' own acks stay behind")
    }

    @Test func resourceSubscriptionsAreSplitByTargetAndUnprefixed() throws {
        let f = try filter(#"{"resourceSubscriptions":["agw+docs+file:///a.md","agw+git+git://repo/HEAD","agw+nobody+x://y"]}"#)
        #expect(f.honored["resourceSubscriptions"]?.array?.compactMap(\.string) == ["agw+docs+file:///a.md", "agw+git+git://repo/HEAD"],
                "a URI no target owns is not honored")
        #expect(f.params(for: "docs")["notifications"]?["resourceSubscriptions"]?.array?.compactMap(\.string) == ["file:///a.md"])
        #expect(f.params(for: "git")["notifications"]?["resourceSubscriptions"]?.array?.compactMap(\.string) == ["git://repo/HEAD"])
        let updated = { (uri: String) in try JSONValue.parse(Array(#"{"uri":"\#(uri)"}"#.utf8)) }
        #expect(f.admits("notifications/resources/updated", params: try updated("file:///a.md"), target: "docs"))
        #expect(!f.admits("notifications/resources/updated", params: try updated("file:///a.md"), target: "git"), "only the target that owns the URI")
        #expect(!f.admits("notifications/resources/updated", params: try updated("file:///other.md"), target: "docs"))
        #expect(!f.admits("notifications/tools/list_changed", params: nil, target: "docs"))
    }
}
