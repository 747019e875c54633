import Testing
@testable import AgentGWMCP

@Suite("JSON parser")
struct JSONParserTests {
    func parse(_ s: String) throws -> JSONValue { try JSONValue.parse(s) }

    func parseError(_ s: String) -> JSONParseError? {
        do {
            _ = try JSONValue.parse(s)
            return nil
        } catch {
            return error
        }
    }

    func parseError(bytes: [UInt8]) -> JSONParseError? {
        do {
            _ = try JSONValue.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func scalars() throws {
        #expect(try parse("null") == .null)
        #expect(try parse("true") == .bool(true))
        #expect(try parse(" false ") == .bool(false))
        #expect(try parse("\"hi\"") == .string("hi"))
        #expect(try parse("42") == .int(42))
        #expect(try parse("\n\t\r 7 \n") == .int(7))
    }

    @Test func containers() throws {
        #expect(try parse("[]") == .array([]))
        #expect(try parse("{}") == .object(JSONObject()))
        #expect(try parse("[1, [2, [3]], {\"a\": [] }]") == [1, [2, [3]], ["a": []]])
        #expect(try parse(#"{"a":{"b":{"c":null}}}"#) == ["a": ["b": ["c": nil]]])
    }

    @Test func keyOrderPreserved() throws {
        let v = try parse(#"{"z":1,"a":2,"m":3,"b":{"y":1,"x":2}}"#)
        #expect(v.object?.keys == ["z", "a", "m", "b"])
        #expect(v["b"]?.object?.keys == ["y", "x"])
        #expect(v.serialized() == #"{"z":1,"a":2,"m":3,"b":{"y":1,"x":2}}"#)
    }

    @Test func duplicateKeysLastWins() throws {
        let v = try parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(v["a"] == 3)
        #expect(v.object?.keys == ["a", "b"])
        // Large objects use an index; same rule.
        let many = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let big = try parse("{" + many + ",\"k5\":\"last\"}")
        #expect(big.object?.count == 40)
        #expect(big["k5"] == "last")
        #expect(big.object?.keys.first == "k0")
    }

    @Test func escapes() throws {
        #expect(try parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{08}\u{0C}\n\r\t"))
        #expect(try parse(#""\u0041\u00e9\u4e2d""#) == .string("Aé中"))
        #expect(try parse(#""a\u0000b""#) == .string("a\u{0}b"))
        #expect(try parse(#""\uD83D\uDE00""#) == .string("😀"))
        #expect(try parse(#""x\ud834\udd1ey""#) == .string("x𝄞y"))
    }

    @Test func rawUnicode() throws {
        #expect(try parse("\"héllo 中文 😀\"") == .string("héllo 中文 😀"))
        #expect(try parse("{\"ключ\":\"значение\"}")["ключ"] == "значение")
    }

    @Test(arguments: [
        (#""\uD83D""#, "unpaired high surrogate"),
        (#""\uD83Dx""#, "unpaired high surrogate"),
        (#""\uD83D\u0041""#, "low surrogate"),
        (#""\uDE00""#, "unpaired low surrogate"),
        (#""\u12G4""#, "hex"),
        (#""\u12""#, "truncated"),
        (#""\x""#, "invalid escape"),
    ])
    func badEscapes(input: String, fragment: String) {
        let e = parseError(input)
        #expect(e != nil)
        #expect(e?.message.contains(fragment) == true, "\(e?.message ?? "")")
    }

    @Test func numbers() throws {
        #expect(try parse("0") == .int(0))
        #expect(try parse("-1") == .int(-1))
        #expect(try parse("9223372036854775807") == .int(Int.max))
        #expect(try parse("-9223372036854775808") == .int(Int.min))
        #expect(try parse("9223372036854775808") == .double(9223372036854775808.0))
        #expect(try parse("-9223372036854775809") == .double(-9223372036854775809.0))
        #expect(try parse("123456789012345678901234567890") == .double(1.2345678901234568e29))
        #expect(try parse("1.5") == .double(1.5))
        #expect(try parse("-0.25") == .double(-0.25))
        #expect(try parse("1e3") == .double(1000))
        #expect(try parse("1E+3") == .double(1000))
        #expect(try parse("25e-1") == .double(2.5))
        #expect(try parse("1.0") == .double(1.0))
        #expect(try parse("5e-324") == .double(.leastNonzeroMagnitude))
        #expect(try parse("1.7976931348623157e308") == .double(.greatestFiniteMagnitude))
    }

    @Test func negativeZeroIsADouble() throws {
        let v = try parse("-0")
        guard case .double(let d) = v else {
            Issue.record("expected double, got \(v)")
            return
        }
        #expect(d == 0 && d.sign == .minus)
        #expect(v.serialized() == "-0.0")
        #expect(try parse("-0.0").double?.sign == .minus)
    }

    @Test(arguments: ["01", "-01", "00", "1.", ".5", "-", "+1", "1e", "1e+", "0x10", "NaN", "Infinity", "-Infinity",
                      "1.5.2", "--1", "1e400", "-1e400"])
    func badNumbers(input: String) {
        #expect(parseError(input) != nil, "\(input) should be rejected")
    }

    @Test func errorOffsets() {
        #expect(parseError("")?.offset == 0)
        #expect(parseError("   ")?.offset == 3)
        #expect(parseError("[1,]")?.offset == 3)
        #expect(parseError("[1 2]")?.offset == 3)
        #expect(parseError(#"{"a" 1}"#)?.offset == 5)
        #expect(parseError(#"{"a":1,}"#)?.offset == 7)
        #expect(parseError(#"{a:1}"#)?.offset == 1)
        #expect(parseError("[1] x")?.offset == 4)
        #expect(parseError("tru")?.offset == 0)
        #expect(parseError("[true, nul]")?.offset == 7)
        #expect(parseError("01")?.offset == 0)
        #expect(parseError(#"["abc"#)?.offset == 1)
        #expect(parseError("\"a\u{01}b\"")?.offset == 2)
        #expect(parseError("[1,2")?.offset == 4)
        let e = parseError("[1,]")
        #expect(e?.description == "JSON parse error at byte 3: unexpected ']', expected a value")
    }

    @Test func trailingGarbageRejected() {
        #expect(parseError("{} {}") != nil)
        #expect(parseError("1 2") != nil)
        #expect(parseError("null,") != nil)
        #expect(parseError("\u{FEFF}{}") != nil)  // BOM is not JSON
    }

    @Test func controlCharactersMustBeEscaped() {
        #expect(parseError("\"a\nb\"") != nil)
        #expect(parseError("\"a\tb\"") != nil)
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let e = parseError(deep)
        #expect(e?.offset == 512)
        #expect(e?.message.contains("nesting") == true)
        let deepObjects = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        #expect(parseError(deepObjects) != nil)
        // Exactly at the limit is fine; one more is not.
        let atLimit = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSONValue.parse(atLimit) }
        let over = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(parseError(over) != nil)
        // A bigger limit parses 10,000 levels without recursion.
        let v = try JSONValue.parse(deep, maxDepth: 20_000)
        #expect(v.array?.count == 1)
    }

    @Test func invalidUTF8Rejected() throws {
        let cases: [[UInt8]] = [
            [0x22, 0xFF, 0x22],  // invalid byte
            [0x22, 0xC3, 0x22],  // truncated 2-byte
            [0x22, 0xC0, 0xAF, 0x22],  // overlong '/'
            [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong 3-byte
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // UTF-16 surrogate D800 encoded
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // > U+10FFFF
            [0x22, 0xE4, 0xB8, 0x41, 0x22],  // bad continuation
            [0x22, 0x80, 0x22],  // lone continuation
            [0x22, 0xF0, 0x9F, 0x98],  // truncated at end of input
        ]
        for bytes in cases {
            #expect(parseError(bytes: bytes) != nil, "\(bytes)")
        }
        #expect(parseError(bytes: [0x22, 0xFF, 0x22])?.offset == 1)
        // Valid multi-byte sequences at the edges of the allowed ranges.
        #expect(try JSONValue.parse([0x22, 0xF4, 0x8F, 0xBF, 0xBF, 0x22]) == .string("\u{10FFFF}"))
        #expect(try JSONValue.parse([0x22, 0xEF, 0xBF, 0xBF, 0x22]) == .string("\u{FFFF}"))
    }

    @Test func parsesNonContiguousCollections() throws {
        let text = #"{"a":[1,2,{"b":"c"}]}"#
        let viaSlice = try JSONValue.parse(text.bytes[...])
        let viaLazy = try JSONValue.parse(text.utf8.lazy.map { $0 })
        let viaString = try JSONValue.parse(text)
        #expect(viaSlice == viaString && viaLazy == viaString)
        let sub = text.bytes[5..<(text.utf8.count - 1)]  // non-zero start index
        #expect(try JSONValue.parse(sub) == [1, 2, ["b": "c"]])
    }

    @Test func parsesAllCaptures() throws {
        for message in WireFixtures.allMessages {
            let v = try JSONValue.parse(message)
            #expect(v.serialized() == message, "byte-stable re-serialization")
        }
    }
}
