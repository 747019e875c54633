import Foundation
import NIOHTTP1
import Testing
@testable import AgentGWMCP

/// Starts a sample server on a free port and a client transport; stops both afterwards.
func withSampleServer(_ configure: (inout SampleServerOptions) -> Void = { _ in },
                      _ body: (SampleServer, HTTPTransport) async throws -> Void) async throws {
    var options = SampleServerOptions()
    options.port = 0
    configure(&options)
    let server = try await SampleServer.start(options)
    let http: HTTPTransport
    do {
        http = try HTTPTransport(options: TransportOptions())
    } catch {
        await server.stop()
        throw error
    }
    do {
        try await body(server, http)
    } catch {
        await http.shutdown()
        await server.stop()
        throw error
    }
    await http.shutdown()
    await server.stop()
}

/// Collects the messages a connection's observer sees.
final class SeenMessages: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [JSONRPCMessage] = []
    func add(_ m: JSONRPCMessage) { lock.withLock { items.append(m) } }
    var all: [JSONRPCMessage] { lock.withLock { items } }
}

/// The sample server driven by the project's own MCP client, in both eras and all modes.
@Suite("SampleServer client round trips", .timeLimit(.minutes(2)))
struct SampleServerTests {
    static let modes: [(json: Bool, stateless: Bool)] = [(false, false), (true, false), (false, true), (true, true)]

    @Test(arguments: [EraPreference.legacy, .modern, .auto], [0, 1, 2, 3])
    func listAndCallInEveryMode(_ era: EraPreference, _ mode: Int) async throws {
        let (json, stateless) = Self.modes[mode]
        try await withSampleServer({ $0.jsonResponse = json; $0.stateless = stateless }) { server, http in
            let conn = try await MCPConnector.connect(url: server.url, era: era, transport: nil, http: http, auth: [], observer: nil)
            let description = await conn.server
            #expect(description.era == (era == .legacy ? .legacy : .modern))
            #expect(description.serverName == "agentgw-sample")
            #expect(description.instructions == "A sample MCP server built into kubectl-agentgw: echo, add, time, fetch.")
            #expect(description.capabilities["tools"]?["listChanged"] == false)
            #expect((description.sessionID != nil) == (era == .legacy && !stateless), "session \(String(describing: description.sessionID))")
            if era == .legacy { #expect(description.protocolVersion == "2025-11-25") }

            let list = try await conn.request("tools/list", params: nil)
            let tools = list["tools"]?.array ?? []
            #expect(tools.compactMap { $0["name"]?.string } == ["echo", "add", "time", "fetch"])
            for tool in tools {
                #expect(tool["title"]?.string != nil && tool["description"]?.string != nil)
                #expect(tool["inputSchema"]?["type"] == "object")
            }
            #expect((list["resultType"] != nil) == (era != .legacy))

            let sum = try await conn.request("tools/call", params: ["name": "add", "arguments": ["a": 1, "b": 2]])
            #expect(sum["content"]?[0]?["text"] == "3")
            #expect(sum["structuredContent"]?["result"] == 3)
            #expect(sum["isError"] == false)

            let echo = try await conn.request("tools/call", params: ["name": "echo", "arguments": ["text": "héllo ✓"]])
            #expect(echo["content"]?[0]?["text"] == "héllo ✓")

            let time = try await conn.request("tools/call", params: ["name": "time"])
            let stamp = try #require(time["content"]?[0]?["text"]?.string)
            #expect(stamp.hasSuffix("Z") && stamp.count == 20, "\(stamp)")
            #expect(ISO8601DateFormatter().date(from: stamp).map { abs($0.timeIntervalSinceNow) < 60 } == true)

            #expect(try await conn.request("resources/list", params: nil)["resources"] == [])
            #expect(try await conn.request("prompts/list", params: nil)["prompts"] == [])
            await conn.close()
        }
    }

    @Test func unknownToolAndBadArguments() async throws {
        try await withSampleServer { server, http in
            for era in [EraPreference.legacy, .modern] {
                let conn = try await MCPConnector.connect(url: server.url, era: era, transport: nil, http: http, auth: [], observer: nil)
                do {
                    _ = try await conn.request("tools/call", params: ["name": "nope", "arguments": [:]])
                    Issue.record("unknown tool accepted")
                } catch let error as MCPClientError {
                    guard case .rpc(let e, _) = error else { Issue.record("\(error)"); continue }
                    #expect(e.code == -32602 && e.message == "Unknown tool: nope")
                    #expect(error.exitCode == 5)
                }
                for args: JSONValue in [["a": "1", "b": 2], ["a": 1], ["a": 1.5, "b": 2], ["a": 1, "b": 2, "c": 3], [1, 2]] {
                    let r = try await conn.request("tools/call", params: ["name": "add", "arguments": args])
                    #expect(r["isError"] == true, "\(args)")
                    #expect(r["content"]?[0]?["text"]?.string?.hasPrefix("Invalid arguments for tool add") == true, "\(r)")
                }
                let overflow = try await conn.request("tools/call", params: ["name": "add", "arguments": ["a": .int(Int.max), "b": 1]])
                #expect(overflow["isError"] == true)
                let echo = try await conn.request("tools/call", params: ["name": "echo", "arguments": [:]])
                #expect(echo["isError"] == true)
                await conn.close()
            }
        }
    }

    @Test func legacyOnlyMethodsAndModernOnlyMethods() async throws {
        try await withSampleServer { server, http in
            let legacy = try await MCPConnector.connect(url: server.url, era: .legacy, transport: nil, http: http, auth: [], observer: nil)
            #expect(try await legacy.request("ping", params: nil) == [:])
            #expect(try await legacy.request("logging/setLevel", params: ["level": "debug"]) == [:])
            await #expect(throws: MCPClientError.self) { try await legacy.request("server/discover", params: nil) }
            await legacy.close()

            let modern = try await MCPConnector.connect(url: server.url, era: .modern, transport: nil, http: http, auth: [], observer: nil)
            do {
                _ = try await modern.request("ping", params: nil)
                Issue.record("modern ping answered")
            } catch let error as MCPClientError {
                guard case .http(let status, _) = error else { Issue.record("\(error)"); return }
                #expect(status == 404)
            }
        }
    }

    @Test(arguments: [EraPreference.legacy, .modern])
    func progressTokenStreamsOneProgressNotification(_ era: EraPreference) async throws {
        try await withSampleServer { server, http in
            let seen = SeenMessages()
            let conn = try await MCPConnector.connect(url: server.url, era: era, transport: nil, http: http, auth: [],
                                                      observer: { seen.add($0) })
            let r = try await conn.request("tools/call", params: ["name": "add", "arguments": ["a": 2, "b": 40], "_meta": ["progressToken": "p1"]])
            #expect(r["structuredContent"]?["result"] == 42)
            let progress = seen.all.filter { $0.method == "notifications/progress" }
            #expect(progress.count == 1)
            #expect(progress.first?.params?["progressToken"] == "p1")
            await conn.close()
        }
    }

    @Test func legacyGetStreamKeepsAliveUntilDelete() async throws {
        try await withSampleServer({ $0.keepAliveInterval = .milliseconds(50) }) { server, http in
            let conn = try await MCPConnector.connect(url: server.url, era: .legacy, transport: nil, http: http, auth: [], observer: nil)
            let sid = try #require(await conn.server.sessionID)
            let stream = try await http.send(.GET, url: server.url, headers: [("Accept", "text/event-stream"), ("Mcp-Session-Id", sid)], body: nil)
            #expect(stream.status == 200)
            #expect(stream.mediaType == "text/event-stream")
            let reader = Task { () -> String in
                var text = ""
                for try await chunk in stream.body { text += String(decoding: chunk.readableBytesView, as: UTF8.self) }
                return text
            }
            try await Task.sleep(for: .milliseconds(300))
            await conn.close()  // DELETE ends the GET stream
            let text = try await reader.value
            #expect(text.contains(": keepalive\n\n"), "\(text)")
            let after = try await http.send(.POST, url: server.url, headers: SampleWire.legacyHeaders(session: sid),
                                            body: Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#.utf8))
            #expect(after.status == 404)
        }
    }

    @Test func stopEndsOpenStreams() async throws {
        var options = SampleServerOptions()
        options.port = 0
        let server = try await SampleServer.start(options)
        let http = try HTTPTransport(options: TransportOptions())
        let conn = try await MCPConnector.connect(url: server.url, era: .legacy, transport: nil, http: http, auth: [], observer: nil)
        let sid = try #require(await conn.server.sessionID)
        let stream = try await http.send(.GET, url: server.url, headers: [("Accept", "text/event-stream"), ("Mcp-Session-Id", sid)], body: nil)
        let reader = Task { () -> Bool in
            do { for try await _ in stream.body {} } catch { return false }
            return true
        }
        await server.stop()
        _ = await reader.value  // ends (cleanly or not) instead of hanging
        await server.stop()  // idempotent
        await http.shutdown()
        var quick = TransportOptions()
        quick.timeout = .seconds(2)
        let probe = try HTTPTransport(options: quick)
        await #expect(throws: MCPClientError.self) {
            _ = try await probe.send(.POST, url: server.url, headers: SampleWire.legacyHeaders(session: sid), body: Array("{}".utf8))
        }
        await probe.shutdown()
    }
}
