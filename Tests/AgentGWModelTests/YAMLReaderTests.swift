import Foundation
import Testing
@testable import AgentGWModel

@Suite struct YAMLReaderTests {
    @Test func readsPositionsOfEveryNode() throws {
        let docs = try YAMLReader.read("a: 1\nb:\n  - x\n  - 'y'\n---\nc: true\n", file: "f.yaml")
        #expect(docs.count == 2)
        #expect(docs[0]["a"]?.int == 1)
        #expect(docs[0]["b"]?[1]?.string == "y")
        #expect(docs[0]["b"]?[1]?.mark == SourceMark(file: "f.yaml", line: 4, column: 5))
        #expect(docs[0].keyMark("b") == SourceMark(file: "f.yaml", line: 2, column: 1))
        #expect(docs[1]["c"]?.bool == true)
    }

    @Test func resolvesScalarsByTheCoreSchema() throws {
        let doc = try YAMLReader.read("""
        i: 42
        neg: -7
        hex: 0x1F
        f: 1.5
        e: 1e3
        t: true
        n: null
        tilde: ~
        empty:
        q: '42'
        dq: "true"
        yes: yes
        str: !!str 12
        ver: 1.2.3
        """, file: "s")[0]
        #expect(doc["i"]?.value.isInt(42) == true)
        #expect(doc["neg"]?.int == -7)
        #expect(doc["hex"]?.int == 31)
        #expect(doc["f"]?.double == 1.5)
        #expect(doc["e"]?.double == 1000)
        #expect(doc["t"]?.bool == true)
        #expect(doc["n"]?.isNull == true && doc["tilde"]?.isNull == true && doc["empty"]?.isNull == true)
        #expect(doc["q"]?.string == "42")
        #expect(doc["dq"]?.string == "true")
        #expect(doc["yes"]?.string == "yes")
        #expect(doc["str"]?.string == "12")
        #expect(doc["ver"]?.string == "1.2.3")
    }

    @Test func readsJSONWithPositions() throws {
        let doc = try YAMLReader.read("{\n  \"kind\": \"Gateway\",\n  \"spec\": {\"listeners\": [{\"port\": 80}]}\n}", file: "g.json")[0]
        #expect(doc["spec"]?["listeners"]?[0]?["port"]?.int == 80)
        #expect(doc["kind"]?.mark?.line == 2)
    }

    @Test func mergeKeysAndAliases() throws {
        let doc = try YAMLReader.read("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\nl: *b\n", file: "m")[0]
        #expect(doc["d"]?["x"]?.int == 1)
        #expect(doc["d"]?["y"]?.int == 3)
        #expect(doc["l"]?["y"]?.int == 2)
    }

    @Test(arguments: [
        ("a: 1\na: 2\n", "duplicate key \"a\"", 2, 1),
        ("a: [1, 2\n", "invalid YAML", 2, 1),
        ("a: *nope\n", "unknown alias", 1, 4),
        ("? [a]\n: 1\n", "mapping key must be a scalar", 1, 3),
    ])
    func errorsAreOneLineWithPosition(_ text: String, _ fragment: String, _ line: Int, _ column: Int) {
        do {
            _ = try YAMLReader.read(text, file: "bad.yaml")
            Issue.record("no error for \(text)")
        } catch {
            #expect(error.message.contains(fragment), "\(error)")
            #expect(error.mark.line == line && error.mark.column == column, "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func limitsStopHostileInput() {
        var limits = ReadLimits()
        limits.maxDepth = 10
        #expect(throws: ReadError.self) { try YAMLReader.read(String(repeating: "[", count: 11) + String(repeating: "]", count: 11), file: "d", limits: limits) }
        limits = ReadLimits()
        limits.maxNodes = 1000
        var bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for i in 1...5 { bomb += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n" }
        #expect(throws: ReadError.self) { try YAMLReader.read(bomb, file: "b", limits: limits) }
        limits = ReadLimits()
        limits.maxBytes = 10
        #expect(throws: ReadError.self) { try YAMLReader.read("a: 123456789012", file: "big", limits: limits) }
    }
}

/// Read → write → read loses nothing but comments, for every fixture we have, in YAML and JSON.
@Suite struct RoundTripTests {
    static let files: [URL] = SharedPaths.files(under: "seed/manifests") + SharedPaths.files(under: "crds/gateway-api/testdata/valid-examples")
        + SharedPaths.files(under: "crds/gateway-api/testdata/conformance")

    @Test func fixturesArePresent() { #expect(Self.files.count > 200) }

    @Test(arguments: files)
    func roundTrips(_ url: URL) throws {
        let original = try YAMLReader.read(try String(contentsOf: url, encoding: .utf8), file: url.lastPathComponent)
        let yaml = YAMLWriter.write(original)
        let again = try YAMLReader.read(yaml, file: "rewritten")
        #expect(again.filter { !$0.isNull } == original.filter { !$0.isNull }, "\(url.lastPathComponent) changed:\n\(yaml)")
        for doc in original where !doc.isNull {
            let json = try YAMLReader.read(JSONWriter.write(doc), file: "json")
            #expect(json == [doc])
        }
    }

    @Test(arguments: ["yes", "no", "on", "off", "true", "null", "", "~", "-", "- x", "a: b", "a #b", "#c", "0755", "1e3", "0x10", ".5", "1_000",
                      "@at", "`tick", "*star", "&amp", "!bang", "%pct", "line\nbreak", "trailing\n", "  lead", "tab\there", "quote'd", "\"dq\"",
                      "ünïcödé", "\u{7}bell", "{flow}", "[list]", "key:", "2026-11-26", "1:30"])
    func stringsSurviveTheWriter(_ s: String) throws {
        let node: Node = ["k": .string(s), "list": [.string(s)]]
        let back = try YAMLReader.read(YAMLWriter.write(node), file: "w")[0]
        #expect(back["k"]?.string == s, "\(YAMLWriter.write(node))")
        #expect(back["list"]?[0]?.string == s)
    }
}

extension Node.Content {
    func isInt(_ v: Int) -> Bool { if case .int(let i) = self { return i == v } else { return false } }
}
