import Testing
@testable import AgentGWMCP

@Suite("JSON-RPC messages")
struct JSONRPCTests {
    func message(_ s: String) throws -> JSONRPCMessage { try JSONRPCMessage(parsing: s.bytes) }

    func rpcError(_ s: String) -> JSONRPCError? {
        do {
            _ = try JSONRPCMessage(parsing: s)
            return nil
        } catch {
            return error
        }
    }

    @Test func legacyCaptureRequests() throws {
        let initialize = try message(WireFixtures.legacyInitialize)
        guard case let .request(id, method, params) = initialize else {
            Issue.record("expected request, got \(initialize)")
            return
        }
        #expect(id == .int(0))
        #expect(method == "initialize")
        #expect(params?["protocolVersion"] == "2025-11-25")
        #expect(params?["clientInfo"]?["name"] == "agentgw-peer-probe")
        #expect(initialize.id == 0 && initialize.method == "initialize" && !initialize.isResponse)

        let call = try message(WireFixtures.legacyToolsCall)
        #expect(call == .request(id: 2, method: "tools/call", params: ["name": "add", "arguments": ["a": 1, "b": 2]]))
        #expect(try message(WireFixtures.legacyToolsList) == .request(id: 1, method: "tools/list", params: nil))
    }

    @Test func notifications() throws {
        for text in [WireFixtures.initializedNotification, WireFixtures.proxyInitialized] {
            let m = try message(text)
            #expect(m == .notification(method: "notifications/initialized", params: nil))
            #expect(m.id == nil && m.method == "notifications/initialized")
            #expect(m.serialized() == #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        }
        let progress = try message(#"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"t","progress":1}}"#)
        #expect(progress.params?["progress"] == 1)
    }

    @Test func responses() throws {
        let r = try message(WireFixtures.legacyToolsCallResult)
        guard case let .response(id, result) = r else {
            Issue.record("expected response, got \(r)")
            return
        }
        #expect(id == 2)
        #expect(result["structuredContent"]?["result"] == 3)
        #expect(result["isError"] == false)
        #expect(r.isResponse && r.method == nil)

        let discover = try message(WireFixtures.modernDiscoverResult)
        #expect(discover.id == 1)
        if case .response(_, let result) = discover {
            #expect(result["supportedVersions"] == ["2026-07-28"])
            #expect(result["_meta"]?[MCPProtocol.metaServerInfo]?["name"] == "echo-peer")
            #expect(result["resultType"] == "complete")
        }
    }

    @Test func errorResponses() throws {
        let e = try message(WireFixtures.legacyServerDiscoverError)
        #expect(e == .errorResponse(id: "server-error", error: JSONRPCError(code: -32600, message: "Bad Request: Missing session ID")))
        #expect(e.id == .string("server-error"))
        #expect(e.isResponse)

        let nullID = try message(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#)
        #expect(nullID == .errorResponse(id: nil, error: JSONRPCError(code: JSONRPCError.parseError, message: "Parse error")))
        #expect(nullID.serialized() == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#)

        let withData = try message(#"{"jsonrpc":"2.0","id":9,"error":{"code":-32022,"message":"Unsupported protocol version","data":{"supported":["2026-07-28"],"requested":"2099-01-01"}}}"#)
        guard case .errorResponse(_, let error) = withData else {
            Issue.record("expected error response")
            return
        }
        #expect(error.code == JSONRPCError.unsupportedProtocolVersion)
        #expect(error.data?["requested"] == "2099-01-01")
        #expect(error.description.contains("-32022"))
    }

    @Test func lenientErrorBodies() {
        // Observed bodies without "jsonrpc": not valid messages, but the error is extractable.
        for body in [WireFixtures.missingSessionBody, WireFixtures.notAcceptableBody, WireFixtures.unsupportedVersionBody] {
            #expect(rpcError(body)?.code == JSONRPCError.invalidRequest)
            let value = try? JSONValue.parse(body)
            #expect(value.flatMap { JSONRPCError(errorBody: $0) } != nil)
        }
        let v = try? JSONValue.parse(WireFixtures.unsupportedVersionBody)
        let e = v.flatMap { JSONRPCError(errorBody: $0) }
        #expect(e?.code == -32022 && e?.data?["supported"] == ["2026-07-28"])
        #expect(JSONRPCError(errorBody: ["result": 1]) == nil)
        #expect(JSONRPCError(errorBody: ["error": ["code": "x", "message": "m"]]) == nil)
    }

    @Test func stringAndIntIDs() throws {
        #expect(try message(#"{"jsonrpc":"2.0","id":"abc-1","method":"ping"}"#).id == .string("abc-1"))
        #expect(try message(#"{"jsonrpc":"2.0","id":-5,"method":"ping"}"#).id == .int(-5))
        #expect(try message(#"{"jsonrpc":"2.0","id":"","result":{}}"#).id == .string(""))
        #expect(JSONRPCID.int(7).description == "7")
        #expect(JSONRPCID.string("a\"b").description == #""a\"b""#)
        #expect(JSONRPCID(json: 1.5) == nil)
        #expect(JSONRPCID(json: nil) == nil)
    }

    @Test(arguments: [
        #"[]"#,
        #""just a string""#,
        #"{"id":1,"method":"ping"}"#,  // no jsonrpc
        #"{"jsonrpc":"1.0","id":1,"method":"ping"}"#,
        #"{"jsonrpc":2.0,"id":1,"method":"ping"}"#,
        #"{"jsonrpc":"2.0","id":null,"method":"ping"}"#,  // null id on a request
        #"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#,
        #"{"jsonrpc":"2.0","id":true,"method":"ping"}"#,
        #"{"jsonrpc":"2.0","id":1,"method":5}"#,
        #"{"jsonrpc":"2.0","id":1,"method":"x","params":"str"}"#,
        #"{"jsonrpc":"2.0","id":1,"method":"x","params":3}"#,
        #"{"jsonrpc":"2.0","id":1,"method":"x","result":{}}"#,
        #"{"jsonrpc":"2.0","id":1}"#,
        #"{"jsonrpc":"2.0","result":{}}"#,  // response without id
        #"{"jsonrpc":"2.0","id":null,"result":{}}"#,  // null id only on errors
        #"{"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}}"#,
        #"{"jsonrpc":"2.0","id":1,"error":{"code":"x","message":"m"}}"#,
        #"{"jsonrpc":"2.0","id":1,"error":{"code":1}}"#,
        #"{"jsonrpc":"2.0","id":1,"error":"boom"}"#,
        #"{"jsonrpc":"2.0","id":[1],"error":{"code":1,"message":"m"}}"#,
    ])
    func invalidShapes(input: String) {
        let e = rpcError(input)
        #expect(e?.code == JSONRPCError.invalidRequest, "\(input) → \(String(describing: e))")
    }

    @Test func parseErrors() {
        for bad in ["", "{", #"{"jsonrpc":"2.0""#, "nope", #"{"a":1}x"#] {
            #expect(rpcError(bad)?.code == JSONRPCError.parseError)
        }
        #expect(rpcError("{,}")?.message.contains("byte 1") == true)
    }

    @Test func paramsVariants() throws {
        #expect(try message(#"{"jsonrpc":"2.0","id":1,"method":"x","params":null}"#) == .request(id: 1, method: "x", params: nil))
        #expect(try message(#"{"jsonrpc":"2.0","id":1,"method":"x","params":[1,2]}"#).params == [1, 2])
    }

    @Test func serializationRoundTripsCaptures() throws {
        for text in WireFixtures.allMessages {
            let m = try message(text)
            let again = try JSONRPCMessage(parsing: m.serialized())
            #expect(again == m)
            #expect(try JSONRPCMessage(m.json) == m)
            #expect(m.serializedBytes() == m.serialized().bytes)
        }
        // Our key order matches the modern SDK's wire order.
        let modern = try message(WireFixtures.modernToolsCall)
        #expect(modern.serialized() == WireFixtures.modernToolsCall)
        #expect(try message(WireFixtures.modernToolsCallResult).serialized() == WireFixtures.modernToolsCallResult)
    }

    @Test func errorCodesAndJSON() {
        #expect(JSONRPCError.parseError == -32700)
        #expect(JSONRPCError.invalidRequest == -32600)
        #expect(JSONRPCError.methodNotFound == -32601)
        #expect(JSONRPCError.invalidParams == -32602)
        #expect(JSONRPCError.internalError == -32603)
        #expect(JSONRPCError.headerMismatch == -32020)
        #expect(JSONRPCError.missingRequiredClientCapability == -32021)
        #expect(JSONRPCError.unsupportedProtocolVersion == -32022)
        let e = JSONRPCError(code: -32601, message: "Method not found", data: "ping")
        #expect(e.json.serialized() == #"{"code":-32601,"message":"Method not found","data":"ping"}"#)
        #expect(JSONRPCError(code: 1, message: "m").json.serialized() == #"{"code":1,"message":"m"}"#)
        #expect(JSONRPCError(json: e.json) == e)
    }
}
