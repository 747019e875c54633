@testable import AgentGWController
@testable import AgentGWGateway
import AgentGWKube
import AgentGWModel
import AgentGWTesting
import Foundation
import Testing

/// Kubernetes Events from the controller: a change the compiler refuses becomes a Warning on
/// the object at fault (the data plane keeps its last good config, so status alone wouldn't
/// say), the Service it creates a Normal on the Gateway; repeats are counted, not duplicated.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ControllerEventTests {
    typealias Harness = ControllerTests.Harness
    static let events = ResourceInfo(group: "", version: "v1", kind: "Event", plural: "events", namespaced: true)

    static func events(_ h: Harness, about name: String, reason: String) async throws -> [Node] {
        try await h.client.list(events, namespace: "default",
                                fieldSelector: "involvedObject.name=\(name),reason=\(reason)").items
    }

    static let brokenBackend = """
    apiVersion: agentgateway.alibabacloud.com/v1alpha1
    kind: Backend
    metadata:
      name: test-mcp
    spec:
      type: MCP
      mcp:
        targets:
        - name: mcp-target
          static:
            host: demo-mcp-server.default.svc.cluster.local
            path: /mcp
            port: 0
            protocol: StreamableHTTP
    """

    @Test func aRejectedChangeIsAWarningEventOnTheObjectAtFault() async throws {
        let h = try await Harness()
        do {
            try h.tutorial()
            h.start()
            #expect(await ControllerTests.eventually { ControllerTests.condition(h.gateway()?["status"], "Accepted")?["status"]?.string == "True" })
            // The Service for the Gateway's address: a Normal event on the Gateway.
            #expect(await ControllerTests.eventually { (try? await Self.events(h, about: "test-mcp-gateway", reason: "ServiceCreated").count) == 1 })
            #expect(await ControllerTests.settled(h))
            let served = h.runner.server.context.store.current.generation
            let created = try await Self.events(h, about: "test-mcp-gateway", reason: "ServiceCreated").first
            #expect(created?["type"]?.string == "Normal")
            #expect(created?["involvedObject"]?["kind"]?.string == "Gateway")
            #expect(created?["involvedObject"]?["uid"] == h.gateway()?["metadata"]?["uid"])
            #expect(created?["source"]?["component"]?.string == "kubectl-agentgw")

            try h.seed(Self.brokenBackend)
            #expect(await ControllerTests.eventually { (try? await Self.events(h, about: "test-mcp", reason: "ConfigRejected").isEmpty) == false })
            let rejected = try #require(try await Self.events(h, about: "test-mcp", reason: "ConfigRejected").first, "\(h.runner.statusJSON())")
            #expect(rejected["type"]?.string == "Warning")
            #expect(rejected["involvedObject"]?["kind"]?.string == "Backend")
            #expect(rejected["message"]?.string?.contains("port") == true, "\(rejected)")
            #expect(rejected["message"]?.string?.contains("last good configuration") == true)
            #expect(h.runner.server.context.store.current.generation == served, "the last good config is still served")

            // The same refusal again (another change that doesn't fix it): counted on the same Event.
            var broken = try #require(try YAMLReader.read(Self.brokenBackend, file: "b").first)
            broken.set("metadata", ["name": "test-mcp", "namespace": "default", "labels": ["touched": "yes"]])
            try h.server.seed(broken.withoutMarks)
            #expect(await ControllerTests.eventually { (try? await Self.events(h, about: "test-mcp", reason: "ConfigRejected").first?["count"]?.int) == 2 })
            #expect(try await Self.events(h, about: "test-mcp", reason: "ConfigRejected").count == 1)
        } catch {
            Issue.record(error)
        }
        await h.stop()
    }
}
