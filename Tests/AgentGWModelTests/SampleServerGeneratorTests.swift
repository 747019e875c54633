import Foundation
import Testing
@testable import AgentGWModel

/// `create sample-server` against the tutorial's mcp-server.yaml.
@Suite struct SampleServerGeneratorTests {
    func tutorial() throws -> [Node] {
        let text = try String(contentsOf: SharedPaths.url("seed/manifests/mcp-server.yaml"), encoding: .utf8)
        return try YAMLReader.read(text, file: "mcp-server.yaml").filter { !$0.isNull }.map(\.withoutMarks)
    }

    @Test func sameStructureAsTheTutorial() throws {
        let expected = try tutorial()
        let generated = try SampleServerGenerator.objects(.init(name: "demo-mcp", image: "ghcr.io/agentgw/kubectl-agentgw:v1"))
        #expect(generated.map { $0["kind"]?.string } == expected.map { $0["kind"]?.string })
        #expect(generated.map { $0["metadata"]?["name"]?.string } == expected.map { $0["metadata"]?["name"]?.string })
        let (gd, ed) = (generated[0], expected[0])
        for path: [PathComponent] in [[.key("apiVersion")], [.key("spec"), .key("replicas")], [.key("spec"), .key("selector")],
                                      [.key("spec"), .key("template"), .key("metadata"), .key("labels")]] {
            #expect(gd.at(path) == ed.at(path), "Deployment \(path.dotted)")
        }
        let gc = try #require(gd.at([.key("spec"), .key("template"), .key("spec"), .key("containers"), .index(0)]))
        let ec = try #require(ed.at([.key("spec"), .key("template"), .key("spec"), .key("containers"), .index(0)]))
        for key in ["name", "ports", "imagePullPolicy"] { #expect(gc[key] == ec[key], "container \(key)") }
        // Our image and our server, instead of the tutorial's sample image.
        #expect(gc["image"]?.string == "ghcr.io/agentgw/kubectl-agentgw:v1")
        #expect(gc["args"]?.array?.compactMap(\.string) == ["sample-server", "--host", "0.0.0.0", "--port", "8000"])
        // The Service is the tutorial's, field for field.
        #expect(generated[1] == expected[1], "\(YAMLWriter.write(generated[1]))")
    }

    @Test func portNamespaceAndServiceName() throws {
        var o = SampleServerGenerator.Options(name: "tools", image: "img:1")
        o.port = 9000
        o.namespace = "mcp"
        o.serviceName = "tools-svc"
        let objects = try SampleServerGenerator.objects(o)
        #expect(objects.map { $0["metadata"]?["namespace"]?.string } == ["mcp", "mcp"])
        #expect(objects[1]["metadata"]?["name"]?.string == "tools-svc")
        #expect(objects[1]["spec"]?["ports"]?[0]?["port"]?.int == 9000)
        #expect(objects[1]["spec"]?["ports"]?[0]?["targetPort"]?.int == 9000)
        let c = objects[0].at([.key("spec"), .key("template"), .key("spec"), .key("containers"), .index(0)])
        #expect(c?["ports"]?[0]?["containerPort"]?.int == 9000)
        #expect(c?["args"]?.array?.compactMap(\.string).last == "9000")
    }

    @Test(arguments: [("Bad_Name", 8000), ("ok", 0), ("ok", 70000)])
    func invalidOptionsAreRefused(_ name: String, _ port: Int) throws {
        var o = SampleServerGenerator.Options(name: name, image: "img:1")
        o.port = port
        #expect(throws: GeneratorError.self) { try SampleServerGenerator.objects(o) }
    }
}
