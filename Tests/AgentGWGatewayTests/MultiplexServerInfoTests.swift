import Testing
import AgentGWMCP
@testable import AgentGWGateway

@Suite struct MultiplexServerInfoTests {
    @Test func capabilitiesUnion() {
        let a: JSONValue = ["tools": ["listChanged": false], "logging": [:], "resources": ["subscribe": true]]
        let b: JSONValue = ["tools": ["listChanged": true], "prompts": ["listChanged": false],
                            "resources": ["listChanged": true, "subscribe": false], "experimental": ["x": ["v": 1]]]
        let merged = ServerInfoMerger.mergeCapabilities([a, b, "garbage"])
        #expect(merged == ["tools": ["listChanged": true], "logging": [:], "resources": ["subscribe": true, "listChanged": true],
                           "prompts": ["listChanged": false], "experimental": ["x": ["v": 1]]])
        #expect(merged["completions"] == nil)  // no target has it
        #expect(ServerInfoMerger.mergeCapabilities([]) == [:])
        #expect(ServerInfoMerger.mergeCapabilities([["tools": [:]]]) == ["tools": [:]])
    }

    @Test func versionNegotiation() {
        let all = MCPProtocol.legacyVersions
        // Both support everything: the client's request wins; without one, the highest.
        #expect(ServerInfoMerger.commonVersion([all, all], clientRequested: "2025-03-26") == "2025-03-26")
        #expect(ServerInfoMerger.commonVersion([all, all], clientRequested: nil) == "2025-11-25")
        // Legacy-only target (up to 2025-06-18) with a modern-capable one.
        let legacyOnly = ["2025-06-18", "2025-03-26", "2024-11-05"]
        let modern = ["2026-07-28"] + all
        #expect(ServerInfoMerger.commonVersion([legacyOnly, modern], clientRequested: "2025-11-25") == "2025-06-18")
        #expect(ServerInfoMerger.commonVersion([legacyOnly, modern], clientRequested: "2026-07-28") == "2025-06-18")
        #expect(ServerInfoMerger.commonVersion([modern, modern], clientRequested: nil) == "2026-07-28")
        #expect(ServerInfoMerger.commonVersion([modern, modern], clientRequested: nil, era: .legacy) == "2025-11-25")
        // Nothing in common, no targets, junk versions.
        #expect(ServerInfoMerger.commonVersion([["2026-07-28"], ["2024-11-05"]], clientRequested: nil) == nil)
        #expect(ServerInfoMerger.commonVersion([], clientRequested: "2025-11-25") == nil)
        #expect(ServerInfoMerger.commonVersion([["banana"], ["banana"]], clientRequested: "banana") == nil)
    }

    @Test func legacyNegotiatedVersionExpands() {
        #expect(ServerInfoMerger.assumedSupported(negotiated: "2025-06-18") == ["2025-06-18", "2025-03-26", "2024-11-05"])
        #expect(ServerInfoMerger.assumedSupported(negotiated: "2026-07-28") == ["2026-07-28"])
        let a = ServerInfoMerger.assumedSupported(negotiated: "2025-11-25")
        let b = ServerInfoMerger.assumedSupported(negotiated: "2025-03-26")
        #expect(ServerInfoMerger.commonVersion([a, b], clientRequested: "2025-11-25") == "2025-03-26")
    }

    @Test func instructionsJoin() {
        #expect(ServerInfoMerger.instructions([("a", "Use search first."), ("b", nil), ("c", "  \n"), ("d", "Git tools.")])
                == "[a] Use search first.\n\n[d] Git tools.")
        #expect(ServerInfoMerger.instructions([("a", nil), ("b", "")]) == nil)
        #expect(ServerInfoMerger.instructions([]) == nil)
    }
}

@Suite struct MultiplexRequestIDTests {
    @Test func roundTripAcrossFanOut() {
        var map = RequestIDMap()
        let ua = map.upstream(for: 7, target: "a")
        let ub = map.upstream(for: 7, target: "b")
        let other = map.upstream(for: "7", target: "a")
        #expect(ua != ub && ua != other)
        #expect(map.upstream(for: 7, target: "a") == ua)  // stable
        #expect(map.client(for: ua, target: "a") == 7)
        #expect(map.client(for: ub, target: "b") == 7)
        #expect(map.client(for: ua, target: "b") == nil)  // ids are per target
        #expect(map.client(for: other, target: "a") == "7")
        #expect(map.upstreams(for: 7).map(\.target) == ["a", "b"])
        #expect(map.count == 3)

        map.forget(client: 7)
        #expect(map.client(for: ua, target: "a") == nil && map.client(for: ub, target: "b") == nil)
        #expect(map.existingUpstream(for: 7, target: "a") == nil)
        #expect(map.client(for: other, target: "a") == "7")
        #expect(map.count == 1)
        // A re-used client id gets a fresh upstream id.
        #expect(map.upstream(for: 7, target: "a") != ua)
    }

    @Test(arguments: [JSONRPCID.int(42), .int(-1), .string("abc"), .string("with_under_scores"), .string("")])
    func serverRequestIDs(_ id: JSONRPCID) throws {
        let encoded = RequestIDMap.encodeServerRequestID(id, target: "svc-1")
        let decoded = try #require(RequestIDMap.decodeServerRequestID(encoded))
        #expect(decoded.target == "svc-1" && decoded.id == id)
    }

    @Test func foreignIDsDoNotDecode() {
        for id: JSONRPCID in [5, "x", "agw_", "agw_a", "agw_a_q_1", "agw_a_n_x", "agw__s_1"] {
            #expect(RequestIDMap.decodeServerRequestID(id) == nil)
        }
    }
}

@Suite struct MultiplexResultRewriterTests {
    let mapper = NameMapper(targets: ["a", "b"], mode: .conditional)

    @Test func rewritesURIsInResults() {
        let read: JSONValue = ["contents": [["uri": "file:///x", "text": "hi"]]]
        #expect(ResultRewriter.resourcesRead(read, target: "a", mapper: mapper) == ["contents": [["uri": "agw+a+file:///x", "text": "hi"]]])
        let call: JSONValue = ["content": [["type": "text", "text": "t"], ["type": "resource_link", "uri": "file:///y", "name": "y"],
                                           ["type": "resource", "resource": ["uri": "mem://z", "text": "z"]]]]
        let out = ResultRewriter.toolsCall(call, target: "b", mapper: mapper)
        #expect(out["content"]?[1]?["uri"] == "agw+b+file:///y")
        #expect(out["content"]?[2]?["resource"]?["uri"] == "agw+b+mem://z")
        #expect(out["content"]?[0] == ["type": "text", "text": "t"])
        let prompt: JSONValue = ["messages": [["role": "user", "content": ["type": "resource_link", "uri": "u:1"]]]]
        #expect(ResultRewriter.promptsGet(prompt, target: "a", mapper: mapper)["messages"]?[0]?["content"]?["uri"] == "agw+a+u:1")
        #expect(ResultRewriter.resourceUpdated(["uri": "u:1"], target: "a", mapper: mapper) == ["uri": "agw+a+u:1"])
        let single = NameMapper(targets: ["a"], mode: .conditional)
        #expect(ResultRewriter.resourcesRead(read, target: "a", mapper: single) == read)
    }
}
