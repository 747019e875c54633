import Testing
@testable import AgentGWMCP

@Suite("MCP protocol helpers")
struct MCPProtocolTests {
    @Test func versionsAndEras() {
        #expect(MCPProtocol.modernVersion == "2026-07-28")
        #expect(MCPProtocol.latestLegacy == MCPProtocol.legacyVersions.first)
        #expect(MCPProtocol.legacyVersions == MCPProtocol.legacyVersions.sorted(by: >))
        for v in MCPProtocol.legacyVersions { #expect(MCPProtocol.era(of: v) == .legacy) }
        #expect(MCPProtocol.era(of: "2026-07-28") == .modern)
        #expect(MCPProtocol.era(of: "2026-07-29") == .modern)
        #expect(MCPProtocol.era(of: "2099-01-01") == .modern)
        #expect(MCPProtocol.era(of: "2026-07-27") == nil)
        #expect(MCPProtocol.era(of: "1999-01-01") == nil)
        #expect(MCPProtocol.era(of: "2025-01-01") == nil)
        for bad in ["", "draft", "2026-7-28", "2026-13-01", "2026-00-10", "2026-12-32", "2026-12-00", "2026/12/01", "2026-12-01 ", "２０２７-01-01", "20261-01-01"] {
            #expect(MCPProtocol.era(of: bad) == nil, "\(bad)")
        }
        #expect(MCPEra.allCases == [.legacy, .modern])
        #expect(MCPEra(rawValue: "modern") == .modern)
    }

    @Test func nameParameter() {
        #expect(MCPProtocol.nameParameter(for: "tools/call") == "name")
        #expect(MCPProtocol.nameParameter(for: "prompts/get") == "name")
        #expect(MCPProtocol.nameParameter(for: "resources/read") == "uri")
        #expect(MCPProtocol.nameParameter(for: "tools/list") == nil)
        #expect(MCPProtocol.nameParameter(for: "Tools/Call") == nil)
    }

    @Test func addingModernMetaMatchesCapture() throws {
        let clientInfo: JSONValue = ["name": "agentgw-peer-probe", "version": "0.1"]
        let params = MCPProtocol.addingModernMeta(to: ["name": "add", "arguments": ["a": 1, "b": 2]], clientInfo: clientInfo, capabilities: [:])
        let request = JSONRPCMessage.request(id: 3, method: "tools/call", params: params)
        #expect(request.serialized() == WireFixtures.modernToolsCall)
        let discover = JSONRPCMessage.request(id: 1, method: "server/discover",
                                              params: MCPProtocol.addingModernMeta(to: nil, clientInfo: clientInfo, capabilities: [:]))
        #expect(discover.serialized() == WireFixtures.modernDiscover)
        #expect(MCPProtocol.declaredVersion(in: params) == "2026-07-28")
        #expect(MCPProtocol.declaredVersion(in: nil) == nil)
    }

    @Test func addingModernMetaKeepsOtherKeys() {
        let params: JSONValue = ["cursor": "c1", "_meta": ["progressToken": 5, MCPProtocol.metaProtocolVersion: "old"]]
        let out = MCPProtocol.addingModernMeta(to: params, clientInfo: ["name": "x"], capabilities: ["roots": [:]])
        #expect(out["cursor"] == "c1")
        #expect(out["_meta"]?["progressToken"] == 5)
        #expect(out["_meta"]?[MCPProtocol.metaProtocolVersion] == "2026-07-28")
        #expect(out["_meta"]?[MCPProtocol.metaClientCapabilities] == ["roots": [:]])
        #expect(out["_meta"]?[MCPProtocol.metaClientInfo]?["name"] == "x")
        #expect(out["_meta"]?.object?.keys.first == "progressToken")
        #expect(MCPProtocol.addingModernMeta(to: .null, clientInfo: [:], capabilities: [:]).object?.keys == ["_meta"])
        #expect(MCPProtocol.addingModernMeta(to: [1, 2], clientInfo: [:], capabilities: [:]) == [1, 2])
    }

    @Test(arguments: [
        ("add", "add"),
        ("file:///tmp/x.txt", "file:///tmp/x.txt"),
        ("with inner space", "with inner space"),
        ("", ""),
    ])
    func headerValuesPlain(value: String, header: String) {
        #expect(MCPHeaderValue.encode(value) == header)
        #expect(MCPHeaderValue.decode(header) == value)
    }

    @Test(arguments: ["café", "日本語", "😀", " leading", "trailing ", "tab\there", "new\nline", "=?base64?abc?=", "=?x?=", "\u{7F}", "a\u{0}b", "\r\n"])
    func headerValuesEncoded(value: String) {
        let header = MCPHeaderValue.encode(value)
        #expect(header.hasPrefix("=?base64?") && header.hasSuffix("?="))
        #expect(header.utf8.allSatisfy { (0x21...0x7E).contains($0) })
        #expect(MCPHeaderValue.decode(header) == value)
    }

    @Test func headerValueKnownEncodings() {
        #expect(MCPHeaderValue.encode("café") == "=?base64?Y2Fmw6k=?=")
        #expect(MCPHeaderValue.encode("日本語") == "=?base64?5pel5pys6Kqe?=")
        #expect(MCPHeaderValue.decode("=?base64?5pel5pys6Kqe?=") == "日本語")
        #expect(MCPHeaderValue.decode("=?base64?Y2Fmw6k?=") == "café")  // padding optional
        #expect(MCPHeaderValue.decode("=?base64??=") == "")
        #expect(MCPHeaderValue.decode("=?base64?!!!!?=") == nil)
        #expect(MCPHeaderValue.decode("=?base64?Y?=") == nil)
        #expect(MCPHeaderValue.decode("=?base64?Y2Fmw6l=?=") == nil)  // non-canonical trailing bits
        #expect(MCPHeaderValue.decode("=?base64?/w==?=") == nil)  // 0xFF is not UTF-8
        #expect(MCPHeaderValue.decode("=?BASE64?Y2Fmw6k=?=") == "=?BASE64?Y2Fmw6k=?=")  // markers are case-sensitive
        #expect(MCPHeaderValue.isPlain("add") && !MCPHeaderValue.isPlain("é"))
    }

    @Test func base64() {
        let cases: [(String, String)] = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")]
        for (plain, encoded) in cases {
            #expect(Base64.encode(plain.bytes) == encoded)
            #expect(Base64.decode(encoded.bytes) == plain.bytes)
        }
        let all = (0...255).map { UInt8($0) }
        #expect(Base64.decode(Base64.encode(all).bytes) == all)
        #expect(Base64.decode("Zm9v=".bytes) == nil)
        #expect(Base64.decode("Zm=9".bytes) == nil)
    }

    @Test func toolNames() {
        for good in ["add", "echo", "get_weather", "a.b-c_D9", "x", String(repeating: "a", count: 128), "0", "..."] {
            #expect(MCPToolName.isValid(good), "\(good)")
        }
        for bad in ["", String(repeating: "a", count: 129), "has space", "slash/name", "é", "a:b", "tab\t", "emoji😀", "semi;colon"] {
            #expect(!MCPToolName.isValid(bad), "\(bad)")
        }
        #expect(MCPToolName.strictMaxLength == 64 && MCPToolName.maxLength == 128)
    }

    @Test func sessionIDs() {
        #expect(MCPSessionID.isValid("d98c83ab1b694d4491d54d7b4f234a74"))
        #expect(MCPSessionID.isValid("!~{}[]"))
        for bad in ["", "has space", "tab\t", "é", "new\nline", "\u{7F}"] {
            #expect(!MCPSessionID.isValid(bad), "\(bad)")
        }
    }

    @Test func headerNames() {
        #expect(MCPProtocol.headerProtocolVersion == "MCP-Protocol-Version")
        #expect(MCPProtocol.headerSessionID == "Mcp-Session-Id")
        #expect(MCPProtocol.headerMethod == "Mcp-Method")
        #expect(MCPProtocol.headerName == "Mcp-Name")
        #expect(MCPProtocol.metaProtocolVersion == "io.modelcontextprotocol/protocolVersion")
        #expect(MCPProtocol.metaClientCapabilities == "io.modelcontextprotocol/clientCapabilities")
        #expect(MCPProtocol.metaClientInfo == "io.modelcontextprotocol/clientInfo")
        #expect(MCPProtocol.metaServerInfo == "io.modelcontextprotocol/serverInfo")
    }
}
