import Testing
import AgentGWMCP
@testable import AgentGWGateway

private func tool(_ name: String) -> JSONValue { ["name": .string(name), "inputSchema": ["type": "object"]] }
private func pair(_ r: (target: String, name: String)?) -> [String]? { r.map { [$0.target, $0.name] } }
private func pair(_ r: (target: String, uri: String)?) -> [String]? { r.map { [$0.target, $0.uri] } }
private func names(_ r: MergeResult, _ key: String = "name") -> [String] { r.items.compactMap { $0[key]?.string } }

@Suite struct MultiplexNameMapperTests {
    @Test func conditionalPrefixesOnlyWithSeveralTargets() {
        let one = NameMapper(targets: ["docs"], mode: .conditional)
        #expect(!one.prefixes)
        #expect(one.exposed(name: "search", target: "docs") == "search")
        #expect(pair(one.route(name: "search")) == ["docs", "search"])

        let two = NameMapper(targets: ["docs", "git"], mode: .conditional)
        #expect(two.prefixes)
        #expect(two.exposed(name: "search", target: "docs") == "docs_search")
        #expect(pair(two.route(name: "git_log")) == ["git", "log"])
    }

    @Test func alwaysPrefixesEvenOneTarget() {
        let m = NameMapper(targets: ["docs"], mode: .always)
        #expect(m.prefixes)
        #expect(m.exposed(name: "search", target: "docs") == "docs_search")
        #expect(pair(m.route(name: "docs_search")) == ["docs", "search"])
        #expect(m.route(name: "search") == nil)
    }

    @Test func neverRoutesOnlyThroughOwners() {
        let m = NameMapper(targets: ["a", "b"], mode: .never)
        #expect(!m.prefixes)
        #expect(m.exposed(name: "x", target: "a") == "x")
        #expect(m.route(name: "x") == nil)
        #expect(pair(m.route(name: "x", owners: ["x": "b"])) == ["b", "x"])
        #expect(m.route(name: "y", owners: ["x": "b"]) == nil)
        #expect(throws: MultiplexError.self) { try m.resolve(name: "y") }
        let single = NameMapper(targets: ["a"], mode: .never)
        #expect(pair(single.route(name: "a_x")) == ["a", "a_x"])
    }

    @Test(arguments: ["get_weather", "a_b_c_", "_leading", "x", "with.dot-and_under"])
    func routeSplitsAtFirstUnderscore(_ name: String) throws {
        let m = NameMapper(targets: ["svc-1", "git"], mode: .conditional)
        let exposed = m.exposed(name: name, target: "svc-1")
        let routed = try #require(m.route(name: exposed))
        #expect(routed.target == "svc-1" && routed.name == name)
    }

    @Test func routeRejectsUnknownOrEmpty() {
        let m = NameMapper(targets: ["a", "b"], mode: .always)
        #expect(m.route(name: "c_tool") == nil)
        #expect(m.route(name: "a_") == nil)
        #expect(m.route(name: "notool") == nil)
        do {
            _ = try m.resolve(name: "zz_top")
            Issue.record("expected a throw")
        } catch {
            #expect(error.kind == .unknownName && error.code == -32602)
        }
    }

    @Test(arguments: ["http://example.com/a?b=c#d", "file:///etc/hosts", "git+ssh://host/repo", "custom-scheme:thing",
                      "no-scheme/path", "", "a+b+c", "agw+a+http://already", "urn:isbn:0451450523", "file:///{path}", "ünï:cødé",
                      "HTTP://UPPER", "++", "%2B:x"])
    func uriRoundTrips(_ uri: String) throws {
        let m = NameMapper(targets: ["a", "fs-2"], mode: .conditional)
        for target in ["a", "fs-2"] {
            let exposed = m.exposedURI(uri, target: target)
            #expect(exposed.hasPrefix("agw+\(target)+"))
            let routed = try #require(m.routeURI(exposed))
            #expect(routed.target == target && routed.uri == uri)
        }
    }

    @Test func uriRoutingEdgeCases() {
        let m = NameMapper(targets: ["a", "b"], mode: .always)
        #expect(m.exposedURI("http://h/x", target: "a") == "agw+a+http://h/x")
        #expect(m.routeURI("http://h/x") == nil)
        #expect(m.routeURI("agw+c+http://h") == nil)
        #expect(m.routeURI("agw+a") == nil)
        #expect(pair(m.routeURI("AGW+A+HTTP://h")) == ["a", "HTTP://h"])
        let single = NameMapper(targets: ["a"], mode: .conditional)
        #expect(single.exposedURI("file:///x", target: "a") == "file:///x")
        #expect(pair(single.routeURI("file:///x")) == ["a", "file:///x"])
        let never = NameMapper(targets: ["a", "b"], mode: .never)
        #expect(never.routeURI("file:///x") == nil)
        #expect(pair(never.routeURI("file:///x", owners: ["file:///x": "b"])) == ["b", "file:///x"])
    }

    @Test func targetNameValidation() {
        #expect(NameMapper.isValidTargetName("a") && NameMapper.isValidTargetName("svc-1") && NameMapper.isValidTargetName("9"))
        #expect(!NameMapper.isValidTargetName("") && !NameMapper.isValidTargetName("a_b") && !NameMapper.isValidTargetName("-a"))
        #expect(!NameMapper.isValidTargetName("a-") && !NameMapper.isValidTargetName("A") && !NameMapper.isValidTargetName("a+b"))
    }
}

@Suite struct MultiplexListMergerTests {
    let two = NameMapper(targets: ["a", "b"], mode: .conditional)

    @Test func prefixesAndKeepsOtherFields() throws {
        let r = try ListMerger.merge(kind: .tools, pages: [("a", .page(items: [tool("x"), tool("y_z")], nextCursor: nil)),
                                                           ("b", .page(items: [tool("x")], nextCursor: nil))],
                                     mapper: two, filters: [:], failure: .failClosed)
        #expect(names(r) == ["a_x", "a_y_z", "b_x"])
        #expect(r.items[0]["inputSchema"] == ["type": "object"])
        #expect(r.items[0].object?.keys == ["name", "inputSchema"])
        #expect(r.nextCursor == nil && r.droppedDuplicates.isEmpty && r.failedTargets.isEmpty)
        #expect(r.owners["b_x"] == "b")
        #expect(r.result(kind: .tools)["nextCursor"] == nil)
    }

    @Test func singleTargetPassesThrough() throws {
        let m = NameMapper(targets: ["a"], mode: .conditional)
        let r = try ListMerger.merge(kind: .prompts, pages: [("a", .page(items: [tool("p")], nextCursor: nil))],
                                     mapper: m, filters: [:], failure: .failClosed)
        #expect(names(r) == ["p"])
    }

    @Test func neverDropsNamesServedByTwoTargets() throws {
        let m = NameMapper(targets: ["a", "b", "c"], mode: .never)
        let r = try ListMerger.merge(kind: .tools, pages: [("a", .page(items: [tool("shared"), tool("only_a")], nextCursor: nil)),
                                                           ("b", .page(items: [tool("shared"), tool("only_b"), tool("only_b")], nextCursor: nil)),
                                                           ("c", .page(items: [tool("shared")], nextCursor: nil))],
                                     mapper: m, filters: [:], failure: .failClosed)
        #expect(names(r) == ["only_a", "only_b"])
        #expect(r.droppedDuplicates == ["only_b", "shared"])
        #expect(r.owners == ["only_a": "a", "only_b": "b"])
        #expect(pair(m.route(name: "only_b", owners: r.owners)) == ["b", "only_b"])
    }

    @Test func toolFiltersApplyPerTargetToUpstreamNames() throws {
        let filters = ["a": ToolMatcher(include: ["get_*"]), "b": ToolMatcher(exclude: ["delete*"])]
        let r = try ListMerger.merge(kind: .tools, pages: [("a", .page(items: [tool("get_x"), tool("put_x")], nextCursor: nil)),
                                                           ("b", .page(items: [tool("get_x"), tool("delete_all")], nextCursor: nil))],
                                     mapper: two, filters: filters, failure: .failClosed)
        #expect(names(r) == ["a_get_x", "b_get_x"])
        // Filters are for tools only.
        let p = try ListMerger.merge(kind: .prompts, pages: [("a", .page(items: [tool("put_x")], nextCursor: nil))],
                                     mapper: two, filters: filters, failure: .failClosed)
        #expect(names(p) == ["a_put_x"])
    }

    @Test func prefixedToolNamesOver64AreDropped() throws {
        let fits = String(repeating: "t", count: 62)   // "a_" + 62 = 64
        let long = String(repeating: "t", count: 63)   // 65
        let r = try ListMerger.merge(kind: .tools, pages: [("a", .page(items: [tool(fits), tool(long)], nextCursor: nil))],
                                     mapper: two, filters: [:], failure: .failClosed)
        #expect(names(r) == ["a_" + fits])
        #expect(r.droppedTooLong == ["a_" + long] && r.dropped == ["a_" + long])
        // Prompts have no such limit; unprefixed names pass through as the server sent them.
        let p = try ListMerger.merge(kind: .prompts, pages: [("a", .page(items: [tool(long)], nextCursor: nil))],
                                     mapper: two, filters: [:], failure: .failClosed)
        #expect(p.items.count == 1)
        let single = NameMapper(targets: ["a"], mode: .conditional)
        let s = try ListMerger.merge(kind: .tools, pages: [("a", .page(items: [tool(long + "xx")], nextCursor: nil))],
                                     mapper: single, filters: [:], failure: .failClosed)
        #expect(s.items.count == 1)
    }

    @Test func resourcesAndTemplatesGetURINamespaces() throws {
        let res: JSONValue = ["uri": "file:///a.txt", "name": "a.txt"]
        let tpl: JSONValue = ["uriTemplate": "file:///{path}", "name": "files"]
        let r = try ListMerger.merge(kind: .resources, pages: [("a", .page(items: [res], nextCursor: nil)), ("b", .page(items: [res], nextCursor: nil))],
                                     mapper: two, filters: [:], failure: .failClosed)
        #expect(names(r, "uri") == ["agw+a+file:///a.txt", "agw+b+file:///a.txt"])
        #expect(names(r) == ["a.txt", "a.txt"])  // names of resources are not rewritten
        let t = try ListMerger.merge(kind: .resourceTemplates, pages: [("b", .page(items: [tpl], nextCursor: nil))],
                                     mapper: two, filters: [:], failure: .failClosed)
        #expect(names(t, "uriTemplate") == ["agw+b+file:///{path}"])
        #expect(t.result(kind: .resourceTemplates)["resourceTemplates"]?.array?.count == 1)
    }

    @Test func malformedItemsAreSkipped() throws {
        let r = try ListMerger.merge(kind: .tools, pages: [("a", .page(items: ["str", ["name": 5], tool("ok")], nextCursor: nil))],
                                     mapper: two, filters: [:], failure: .failClosed)
        #expect(names(r) == ["a_ok"] && r.malformedItems == 2)
    }

    @Test func cursorResumesOnlyTargetsWithMorePages() throws {
        // A has 2 pages, B has 1.
        let plan1 = try ListMerger.plan(cursor: nil, mapper: two)
        #expect(plan1.map(\.target) == ["a", "b"] && plan1.allSatisfy { $0.cursor == nil })
        let first = try ListMerger.merge(kind: .tools, pages: [("a", .page(items: [tool("a1")], nextCursor: "A-page-2")),
                                                               ("b", .page(items: [tool("b1")], nextCursor: nil))],
                                         mapper: two, filters: [:], failure: .failClosed)
        #expect(names(first) == ["a_a1", "b_b1"])
        let cursor = try #require(first.nextCursor)
        #expect(!cursor.contains("=") && !cursor.contains("+") && !cursor.contains("/"))
        #expect(try ListMerger.decodeCursor(cursor) == ["a": "A-page-2"])
        #expect(first.result(kind: .tools)["nextCursor"] == .string(cursor))

        let plan2 = try ListMerger.plan(cursor: cursor, mapper: two)
        #expect(plan2.count == 1 && plan2[0].target == "a" && plan2[0].cursor == "A-page-2")
        let second = try ListMerger.merge(kind: .tools, pages: [("a", .page(items: [tool("a2")], nextCursor: nil))],
                                          mapper: two, filters: [:], failure: .failClosed)
        #expect(names(second) == ["a_a2"] && second.nextCursor == nil)
    }

    @Test func cursorEncodingRoundTripsOddStrings() throws {
        let pairs: [(target: String, cursor: String)] = [("a", "x\"y\\z/+=é\u{1}"), ("b", ""), ("c", String(repeating: "q", count: 1000))]
        let c = try #require(ListMerger.encodeCursor(pairs))
        #expect(try ListMerger.decodeCursor(c) == ["a": "x\"y\\z/+=é\u{1}", "b": "", "c": String(repeating: "q", count: 1000)])
        #expect(ListMerger.encodeCursor([]) == nil)
    }

    @Test(arguments: ["", "!!!", "a", "bm90IGpzb24", "W10", "e30", "eyJhIjoxfQ", "eyJhIjp7ImIiOiJjIn19",
                      String(repeating: "A", count: 70_000)])
    func invalidCursors(_ cursor: String) {
        // "bm90IGpzb24" = not json, "W10" = [], "e30" = {}, "eyJhIjoxfQ" = {"a":1}, {"a":{"b":"c"}}
        do {
            _ = try ListMerger.decodeCursor(cursor)
            Issue.record("accepted \(cursor)")
        } catch {
            #expect(error.kind == .invalidCursor && error.code == -32602)
            #expect(error.jsonRPCError.code == -32602)
        }
    }

    @Test func cursorNamingUnknownTargetIsInvalid() throws {
        let c = try #require(ListMerger.encodeCursor([("zz", "1")]))
        #expect(throws: MultiplexError.invalidCursor("unknown target zz")) { try ListMerger.plan(cursor: c, mapper: two) }
    }

    @Test func failClosedThrowsNamingTargetWithoutDetail() {
        do {
            _ = try ListMerger.merge(kind: .tools, pages: [("a", .page(items: [tool("x")], nextCursor: nil)),
                                                           ("b", .failed("connect to http://user:secret@10.0.0.1 failed"))],
                                     mapper: two, filters: [:], failure: .failClosed)
            Issue.record("expected a throw")
        } catch {
            #expect(error.kind == .targetFailed && error.code == -32603 && error.target == "b")
            let wire = error.jsonRPCError.json.serialized()
            #expect(wire.contains("\"b\"") && !wire.contains("secret"))
        }
    }

    @Test func failOpenLeavesFailedTargetsOut() throws {
        let r = try ListMerger.merge(kind: .tools, pages: [("a", .page(items: [tool("x")], nextCursor: "n")), ("b", .failed("timeout"))],
                                     mapper: two, filters: [:], failure: .failOpen)
        #expect(names(r) == ["a_x"] && r.failedTargets == ["b"])
        #expect(try ListMerger.decodeCursor(r.nextCursor ?? "") == ["a": "n"])
        #expect(throws: MultiplexError.self) {
            try ListMerger.merge(kind: .tools, pages: [("a", .failed("x")), ("b", .failed("y"))], mapper: two, filters: [:], failure: .failOpen)
        }
    }

    @Test func listKindMetadata() {
        #expect(ListKind(method: "resources/templates/list") == .resourceTemplates)
        #expect(ListKind(method: "tools/call") == nil)
        #expect(ListKind.allCases.map(\.field) == ["tools", "prompts", "resources", "resourceTemplates"])
        #expect(ListKind.allCases.map(\.keyField) == ["name", "name", "uri", "uriTemplate"])
    }

    @Test func cacheHintsMerge() {
        let h = ListMerger.cacheHints([["ttlMs": 5000, "cacheScope": "public"], ["ttlMs": 1000, "cacheScope": "private"]])
        #expect(h.ttlMs == 1000 && h.cacheScope == "private")
        let p = ListMerger.cacheHints([["cacheScope": "public"], ["cacheScope": "public"]])
        #expect(p.ttlMs == nil && p.cacheScope == "public")
        #expect(ListMerger.cacheHints([[:]]).cacheScope == nil)
    }
}
