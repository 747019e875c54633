import Foundation
import NIOHTTP1
import Testing
@testable import AgentGWMCP

/// Raw requests to the sample server, for the transport rules the client never breaks.
enum SampleWire {
    static let accept = ("Accept", "application/json, text/event-stream")
    static let json = ("Content-Type", "application/json")

    static func legacyHeaders(session: String? = nil) -> [(String, String)] {
        [accept, json] + (session.map { [("Mcp-Session-Id", $0)] } ?? [])
    }

    /// A modern request body (with `_meta`) and its headers; `override` replaces or (with "") drops headers.
    static func modern(_ method: String, params: JSONObject = [:], version: String = "2026-07-28", metaVersion: String? = nil,
                       override: [(String, String)] = []) -> (headers: [(String, String)], body: [UInt8]) {
        var p = params
        p["_meta"] = [MCPProtocol.metaProtocolVersion: .string(metaVersion ?? version), MCPProtocol.metaClientCapabilities: [:]]
        let body = JSONRPCMessage.request(id: 7, method: method, params: .object(p)).serializedBytes()
        var headers: [(String, String)] = [accept, json, ("MCP-Protocol-Version", version), ("Mcp-Method", method)]
        if let key = MCPProtocol.nameParameter(for: method), let name = p[key]?.string {
            headers.append(("Mcp-Name", MCPHeaderValue.encode(name)))
        }
        for (name, value) in override {
            headers.removeAll { $0.0.lowercased() == name.lowercased() }
            if !value.isEmpty { headers.append((name, value)) }
        }
        return (headers, body)
    }

    struct Answer {
        var status: Int
        var headers: [(name: String, value: String)]
        var text: String
        var json: JSONValue? { try? JSONValue.parse(text) }
        var errorCode: Int? { json?["error"]?["code"]?.int }
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    }

    static func send(_ http: HTTPTransport, _ method: HTTPMethod = .POST, _ url: String, headers: [(String, String)],
                     body: [UInt8]? = nil) async throws -> Answer {
        let r = try await http.send(method, url: url, headers: headers, body: body)
        let bytes = try await r.collect(limit: 1 << 20)
        return Answer(status: r.status, headers: r.headers, text: String(decoding: bytes, as: UTF8.self))
    }

    static func post(_ http: HTTPTransport, _ url: String, _ body: String, headers: [(String, String)] = legacyHeaders()) async throws -> Answer {
        try await send(http, .POST, url, headers: headers, body: Array(body.utf8))
    }
}

@Suite("SampleServer wire rules", .timeLimit(.minutes(2)))
struct SampleServerWireTests {
    static let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#
    static let toolsList = #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#

    @Test func legacySessionsAndStatusCodes() async throws {
        try await withSampleServer { server, http in
            let url = server.url
            let initialized = try await SampleWire.post(http, url, Self.initialize)
            #expect(initialized.status == 200)
            #expect(initialized.header("content-type") == "text/event-stream")
            #expect(initialized.text.hasPrefix("event: message\r\ndata: {"), "\(initialized.text)")
            #expect(initialized.text.hasSuffix("}\r\n\r\n"))
            #expect(initialized.text.contains(#""protocolVersion":"2025-06-18""#))
            let sid = try #require(initialized.header("mcp-session-id"))
            #expect(sid.count == 32 && sid.allSatisfy(\.isHexDigit))

            let other = try await SampleWire.post(http, url, Self.initialize)
            #expect(other.header("mcp-session-id") != sid)
            let future = try await SampleWire.post(http, url, Self.initialize.replacingOccurrences(of: "2025-06-18", with: "2026-07-28"))
            #expect(future.text.contains(#""protocolVersion":"2025-11-25""#))

            let missing = try await SampleWire.post(http, url, Self.toolsList)
            #expect(missing.status == 400 && missing.errorCode == -32600)
            #expect(missing.json?["error"]?["message"] == "Bad Request: Missing session ID")
            #expect(missing.json?["id"] == .null)
            let unknown = try await SampleWire.post(http, url, Self.toolsList, headers: SampleWire.legacyHeaders(session: "feedface"))
            #expect(unknown.status == 404 && unknown.errorCode == -32600)
            #expect(unknown.json?["error"]?["message"] == "Session not found")

            let note = try await SampleWire.post(http, url, #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
                                                 headers: SampleWire.legacyHeaders(session: sid))
            #expect(note.status == 202 && note.text.isEmpty)
            let unknownMethod = try await SampleWire.post(http, url, #"{"jsonrpc":"2.0","id":3,"method":"nope/nope"}"#,
                                                          headers: SampleWire.legacyHeaders(session: sid))
            #expect(unknownMethod.status == 200 && unknownMethod.text.contains("-32601"))

            let deleted = try await SampleWire.send(http, .DELETE, url, headers: [("Mcp-Session-Id", sid)])
            #expect(deleted.status == 200)
            let gone = try await SampleWire.post(http, url, Self.toolsList, headers: SampleWire.legacyHeaders(session: sid))
            #expect(gone.status == 404)
            let deleteAgain = try await SampleWire.send(http, .DELETE, url, headers: [("Mcp-Session-Id", sid)])
            #expect(deleteAgain.status == 404)
        }
    }

    @Test func legacyJSONResponsesAndStateless() async throws {
        try await withSampleServer({ $0.jsonResponse = true; $0.stateless = true }) { server, http in
            let initialized = try await SampleWire.post(http, server.url, Self.initialize)
            #expect(initialized.status == 200 && initialized.header("content-type") == "application/json")
            #expect(initialized.header("mcp-session-id") == nil)
            let list = try await SampleWire.post(http, server.url, Self.toolsList)
            #expect(list.status == 200 && list.json?["result"]?["tools"]?.array?.count == 4)
            let get = try await SampleWire.send(http, .GET, server.url, headers: [("Accept", "text/event-stream")])
            #expect(get.status == 405)
            let delete = try await SampleWire.send(http, .DELETE, server.url, headers: [("Mcp-Session-Id", "x")])
            #expect(delete.status == 405)
        }
    }

    @Test func rulesForBothEras() async throws {
        try await withSampleServer { server, http in
            let url = server.url
            let jsonOnly = try await SampleWire.post(http, url, Self.initialize, headers: [("Accept", "application/json"), SampleWire.json])
            #expect(jsonOnly.status == 406 && jsonOnly.errorCode == -32600)
            let sseOnly = try await SampleWire.post(http, url, Self.initialize, headers: [("Accept", "text/event-stream"), SampleWire.json])
            #expect(sseOnly.status == 406)
            let textBody = try await SampleWire.post(http, url, Self.initialize, headers: [SampleWire.accept, ("Content-Type", "text/plain")])
            #expect(textBody.status == 415)

            for origin in ["http://evil.example.com", "https://localhost.evil.com", "http://127.0.0.1.nip.io:80", "null", "file://"] {
                let r = try await SampleWire.post(http, url, Self.initialize, headers: SampleWire.legacyHeaders() + [("Origin", origin)])
                #expect(r.status == 403, "\(origin)")
            }
            for origin in ["http://localhost:6274", "http://127.0.0.1", "https://[::1]:8443", "http://LOCALHOST:3000"] {
                let r = try await SampleWire.post(http, url, Self.initialize, headers: SampleWire.legacyHeaders() + [("Origin", origin)])
                #expect(r.status == 200, "\(origin)")
            }

            let batch = try await SampleWire.post(http, url, "[\(Self.initialize)]")
            #expect(batch.status == 400 && batch.errorCode == -32600)
            let broken = try await SampleWire.post(http, url, #"{"jsonrpc":"2.0","id":1,"#)
            #expect(broken.status == 400 && broken.errorCode == -32700)
            let invalid = try await SampleWire.post(http, url, #"{"jsonrpc":"1.0","id":1,"method":"x"}"#)
            #expect(invalid.status == 400 && invalid.errorCode == -32600)

            let big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"x\":\"" + String(repeating: "a", count: 4 << 20) + "\"}}"
            let tooLarge = try await SampleWire.post(http, url, big)
            #expect(tooLarge.status == 413)
            let stillServing = try await SampleWire.post(http, url, Self.initialize)
            #expect(stillServing.status == 200)

            let wrongPath = try await SampleWire.post(http, url + "x", Self.initialize)
            #expect(wrongPath.status == 404)
            let put = try await SampleWire.send(http, .PUT, url, headers: SampleWire.legacyHeaders(), body: Array("{}".utf8))
            #expect(put.status == 405 && put.header("allow") != nil)
        }
    }

    @Test func modernEnvelopeAndHeaderChecks() async throws {
        try await withSampleServer { server, http in
            let url = server.url
            func send(_ r: (headers: [(String, String)], body: [UInt8])) async throws -> SampleWire.Answer {
                try await SampleWire.send(http, .POST, url, headers: r.headers, body: r.body)
            }
            let discover = try await send(SampleWire.modern("server/discover"))
            #expect(discover.status == 200 && discover.header("content-type") == "application/json")
            #expect(discover.header("mcp-session-id") == nil)
            let result = try #require(discover.json?["result"])
            #expect(result["supportedVersions"] == ["2026-07-28"])
            #expect(result["resultType"] == "complete")
            #expect(result["_meta"]?["io.modelcontextprotocol/serverInfo"]?["name"] == "agentgw-sample")
            #expect(result["capabilities"] == ["tools": ["listChanged": false], "logging": [:]])

            let call = try await send(SampleWire.modern("tools/call", params: ["name": "add", "arguments": ["a": 5, "b": 6]]))
            #expect(call.status == 200 && call.json?["result"]?["structuredContent"]?["result"] == 11)
            #expect(call.json?["result"]?["resultType"] == "complete")
            let encodedName = try await send(SampleWire.modern("tools/call", params: ["name": "echo", "arguments": ["text": "x"]],
                                                               override: [("Mcp-Name", "=?base64?ZWNobw==?=")]))
            #expect(encodedName.status == 200, "\(encodedName.text)")

            let wrongName = try await send(SampleWire.modern("tools/call", params: ["name": "add", "arguments": ["a": 1, "b": 1]],
                                                             override: [("Mcp-Name", "echo")]))
            #expect(wrongName.status == 400 && wrongName.errorCode == -32020)
            let noName = try await send(SampleWire.modern("tools/call", params: ["name": "add"], override: [("Mcp-Name", "")]))
            #expect(noName.status == 400 && noName.errorCode == -32020)
            let wrongMethod = try await send(SampleWire.modern("tools/list", override: [("Mcp-Method", "prompts/list")]))
            #expect(wrongMethod.status == 400 && wrongMethod.errorCode == -32020)
            let noMethod = try await send(SampleWire.modern("tools/list", override: [("Mcp-Method", "")]))
            #expect(noMethod.status == 400 && noMethod.errorCode == -32020)
            let metaMismatch = try await send(SampleWire.modern("tools/list", metaVersion: "2025-11-25"))
            #expect(metaMismatch.status == 400 && metaMismatch.errorCode == -32020)

            let future = try await send(SampleWire.modern("tools/list", version: "2099-01-01"))
            #expect(future.status == 400 && future.errorCode == -32022)
            #expect(future.json?["error"]?["data"] == ["supported": ["2026-07-28"], "requested": "2099-01-01"])
            #expect(future.json?["id"] == 7)

            let noMeta = try await SampleWire.post(http, url, Self.toolsList,
                                                   headers: [SampleWire.accept, SampleWire.json, ("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", "tools/list")])
            #expect(noMeta.status == 400 && noMeta.errorCode == -32602)

            for method in ["ping", "initialize", "logging/setLevel", "nope/nope"] {
                let r = try await send(SampleWire.modern(method))
                #expect(r.status == 404 && r.errorCode == -32601, "\(method)")
            }
            let get = try await SampleWire.send(http, .GET, url, headers: [("Accept", "text/event-stream"), ("MCP-Protocol-Version", "2026-07-28")])
            #expect(get.status == 405)
            let delete = try await SampleWire.send(http, .DELETE, url, headers: [("MCP-Protocol-Version", "2026-07-28")])
            #expect(delete.status == 405)
            let notification = try await SampleWire.post(http, url, #"{"jsonrpc":"2.0","method":"notifications/whatever"}"#,
                                                         headers: [SampleWire.accept, SampleWire.json, ("MCP-Protocol-Version", "2026-07-28")])
            #expect(notification.status == 202)
        }
    }
}
