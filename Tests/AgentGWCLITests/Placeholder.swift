import Testing
@testable import AgentGWModel

@Suite struct CLIPlaceholder {
    @Test func readsPositions() throws {
        let docs = try YAMLReader.read("a: 1\nb:\n  - x\n  - 'y'\n---\nc: true\n", file: "f.yaml")
        #expect(docs.count == 2)
        #expect(docs[0]["a"]?.int == 1)
        #expect(docs[0]["b"]?[1]?.string == "y")
        #expect(docs[0]["b"]?[1]?.mark == SourceMark(file: "f.yaml", line: 4, column: 5))
        #expect(docs[1]["c"]?.bool == true)
    }
}
