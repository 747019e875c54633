import Testing
@testable import AgentGWMCP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("JSON-RPC envelope scanner")
struct JSONRPCEnvelopeTests {
    /// What the scanner should report, computed from the full parser.
    static func expected(_ bytes: [UInt8]) -> JSONRPCEnvelope? {
        guard let value = try? JSONValue.parse(bytes) else { return nil }
        switch value {
        case .array: return JSONRPCEnvelope(isBatch: true)
        case .object(let o):
            let params = o["params"]?.object
            return JSONRPCEnvelope(
                method: o["method"]?.string,
                id: o["id"].flatMap { JSONRPCID(json: $0) },
                name: params?["name"]?.string,
                uri: params?["uri"]?.string,
                isBatch: false,
                isResponse: o["method"] == nil && (o["result"] != nil || o["error"] != nil))
        default: return nil
        }
    }

    static let tricky: [String] = [
        #"{"params":{"name":"late"},"id":"x","method":"tools/call"}"#,  // params before method
        #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":{"name":"inner","method":"no"},"name":"outer"}}"#,
        #"{"jsonrpc":"2.0","id":1,"params":{"meta":{"method":"nested"}},"method":"real"}"#,
        #"{"jsonrpc":"2.0","note":"\"method\":\"fake\"","method":"real\"quoted\\","id":"a\"b"}"#,
        #"{"jsonrpc":"2.0","x":["method","id",{"method":"m"}],"id":7}"#,
        #"{"jsonrpc":"2.0","method":"tools\/call","params":{"name":"caf\u00e9 \ud83d\ude00"},"id":3}"#,
        #"{"jsonrpc":"2.0","\u006dethod":"escaped/key","\u0069d":4}"#,
        #"{"method":"a","method":"b","id":1,"id":"two"}"#,  // duplicates: last wins
        #"{"method":"a","method":5,"id":1,"id":null}"#,
        #"{"method":"resources/read","params":{"uri":"file:///a b.txt","name":3},"id":5}"#,
        #"{"method":"x","params":{"name":"first"},"params":[1,2],"id":1}"#,
        #"{"method":"x","params":"str","id":9223372036854775807}"#,
        #"{"method":"x","id":9223372036854775808}"#,
        #"{"method":"x","id":-9223372036854775808}"#,
        #"{"method":"x","id":-0}"#,
        #"{"method":"x","id":1.0}"#,
        #"{"method":"x","id":1e2}"#,
        #"{"method":"x","id":[1]}"#,
        #"{"jsonrpc":"2.0","id":1,"result":{"method":"inside result"}}"#,
        #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"m"}}"#,
        #"{"error":{"code":1,"message":"m"}}"#,
        #"{"method":null,"result":1}"#,
        #"{}"#,
        #" {  "method" :  "spaced" , "id" : 12 } "#,
        #"[{"jsonrpc":"2.0","id":1,"method":"a"},{"jsonrpc":"2.0","method":"b"}]"#,
        #"[]"#,
        "{\"method\":\"m\",\"v\":[true,false,null,-1.5e-3,0,{\"a\":[[],{}]}],\"id\":\"\"}",
        "{\"method\":\"ünï\",\"k\":\"日本\"}",
        // Malformed: scanner and parser both reject.
        #"{"method":"a""#,
        #"{"method":"a",}"#,
        #"{"method":"a"} x"#,
        #"{"method" "a"}"#,
        #"{"x":[1,2}"#,
        #"{"x":01}"#,
        #"{"x":tru}"#,
        #"{"x":"a"#,
        #"{"x":"\"}"#,
        #"[1,]"#,
        #""string""#,
        #"42"#,
        #"null"#,
        "",
        "   ",
    ]

    @Test func agreesWithFullParserOnCaptures() {
        for text in WireFixtures.allMessages {
            let scanned = JSONRPCEnvelope.scan(text.bytes)
            #expect(scanned == Self.expected(text.bytes), "\(text)")
            #expect(scanned != nil)
        }
    }

    @Test func agreesWithFullParserOnTrickyInputs() {
        for text in Self.tricky {
            #expect(JSONRPCEnvelope.scan(text.bytes) == Self.expected(text.bytes), "\(text)")
        }
    }

    @Test func specificResults() {
        let call = JSONRPCEnvelope.scan(WireFixtures.modernToolsCall.bytes)
        #expect(call == JSONRPCEnvelope(method: "tools/call", id: 3, name: "add"))
        let late = JSONRPCEnvelope.scan(Self.tricky[0].bytes)
        #expect(late == JSONRPCEnvelope(method: "tools/call", id: "x", name: "late"))
        let nested = JSONRPCEnvelope.scan(Self.tricky[1].bytes)
        #expect(nested?.name == "outer" && nested?.method == "tools/call")
        #expect(JSONRPCEnvelope.scan(Self.tricky[3].bytes)?.method == "real\"quoted\\")
        #expect(JSONRPCEnvelope.scan(Self.tricky[5].bytes) == JSONRPCEnvelope(method: "tools/call", id: 3, name: "café 😀"))
        #expect(JSONRPCEnvelope.scan(Self.tricky[6].bytes) == JSONRPCEnvelope(method: "escaped/key", id: 4))
        #expect(JSONRPCEnvelope.scan(Self.tricky[7].bytes) == JSONRPCEnvelope(method: "b", id: "two"))
        #expect(JSONRPCEnvelope.scan(Self.tricky[9].bytes)?.uri == "file:///a b.txt")
        let batch = JSONRPCEnvelope.scan(Self.tricky[24].bytes)
        #expect(batch == JSONRPCEnvelope(isBatch: true))
        let response = JSONRPCEnvelope.scan(WireFixtures.legacyToolsCallResult.bytes)
        #expect(response == JSONRPCEnvelope(id: 2, isResponse: true))
        let error = JSONRPCEnvelope.scan(WireFixtures.legacyServerDiscoverError.bytes)
        #expect(error?.isResponse == true && error?.id == "server-error")
        let note = JSONRPCEnvelope.scan(WireFixtures.initializedNotification.bytes)
        #expect(note?.isNotification == true && note?.method == "notifications/initialized")
        #expect(JSONRPCEnvelope.scan("{\"method\":\"x\",\"id\":1}".bytes)?.isNotification == false)
    }

    @Test func rejectsNonContainers() {
        #expect(JSONRPCEnvelope.scan("\"x\"".bytes) == nil)
        #expect(JSONRPCEnvelope.scan("1".bytes) == nil)
        #expect(JSONRPCEnvelope.scan([UInt8]()) == nil)
    }

    @Test func extractedStringsAreValidated() {
        // Invalid UTF-8 inside the method value → nil, like the parser; elsewhere it is not examined.
        var bad = #"{"method":"a"#.bytes
        bad += [0xFF]
        bad += #"","id":1}"#.bytes
        #expect(JSONRPCEnvelope.scan(bad) == nil)
        var elsewhere = #"{"method":"a","x":""#.bytes
        elsewhere += [0xFF]
        elsewhere += #""}"#.bytes
        #expect(JSONRPCEnvelope.scan(elsewhere)?.method == "a")
    }

    @Test func depthLimitMatchesParser() {
        let ok = #"{"x":"# + String(repeating: "[", count: 511) + String(repeating: "]", count: 511) + "}"
        let over = #"{"x":"# + String(repeating: "[", count: 512) + String(repeating: "]", count: 512) + "}"
        #expect(JSONRPCEnvelope.scan(ok.bytes) == Self.expected(ok.bytes))
        #expect(JSONRPCEnvelope.scan(ok.bytes) != nil)
        #expect(JSONRPCEnvelope.scan(over.bytes) == nil)
        #expect(Self.expected(over.bytes) == nil)
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(JSONRPCEnvelope.scan(deep.bytes) == nil)
        // Mixed object/array nesting past 64 levels (the scanner's inline bit stack spills).
        let mixed = #"{"id":1,"x":"# + String(repeating: #"{"a":["#, count: 150) + "0"
            + String(repeating: "]}", count: 150) + #","method":"after"}"#
        #expect(JSONRPCEnvelope.scan(mixed.bytes) == JSONRPCEnvelope(method: "after", id: 1))
        let mismatched = #"{"x":"# + String(repeating: #"{"a":["#, count: 100) + "0"
            + String(repeating: "]}", count: 99) + "}}"
        #expect(JSONRPCEnvelope.scan(mismatched.bytes) == nil)
        #expect(Self.expected(mismatched.bytes) == nil)
    }

    @Test func everyTruncationAgrees() {
        // All prefixes of a capture: the scanner never disagrees with the parser on validity.
        let text = WireFixtures.modernToolsCall.bytes
        for n in 0...text.count {
            let prefix = Array(text[0..<n])
            #expect((JSONRPCEnvelope.scan(prefix) == nil) == (Self.expected(prefix) == nil), "prefix \(n)")
        }
    }

    @Test func acceptsAnyCollection() {
        let text = WireFixtures.legacyToolsCall
        #expect(JSONRPCEnvelope.scan(text.utf8) == JSONRPCEnvelope.scan(text.bytes))
        #expect(JSONRPCEnvelope.scan(text.utf8.lazy.map { $0 }) == JSONRPCEnvelope.scan(text.bytes))
        #expect(JSONRPCEnvelope.scan(text.bytes[...]) == JSONRPCEnvelope(method: "tools/call", id: 2, name: "add"))
    }

    /// Measures scan vs. full parse on a large tools/call body; the scanner must be faster.
    /// (Prints the ratios; in release builds: ~18x on 18 KB, ~4x on a 292-byte capture.)
    @Test func scannerIsFasterThanFullParse() throws {
        let args = (0..<200).map { #""arg\#($0)":{"text":"some \"quoted\" text with unicode é and escapes \n","n":[1,2.5,true,null]}"# }
        let body = (#"{"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"arguments":{"#
            + args.joined(separator: ",") + #"},"name":"big_tool"}}"#).bytes
        #expect(JSONRPCEnvelope.scan(body) == Self.expected(body))
        let iterations = 200
        func seconds(_ body: () -> Void) -> Double {
            var ts = timespec()
            clock_gettime(CLOCK_MONOTONIC, &ts)
            let start = Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
            body()
            clock_gettime(CLOCK_MONOTONIC, &ts)
            return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9 - start
        }
        var sink = 0
        let parseTime = seconds {
            for _ in 0..<iterations { if case .object(let o)? = try? JSONValue.parse(body) { sink &+= o.count } }
        }
        let scanTime = seconds {
            for _ in 0..<iterations { if JSONRPCEnvelope.scan(body)?.method != nil { sink &+= 1 } }
        }
        let small = WireFixtures.modernToolsCall.bytes
        let smallParse = seconds {
            for _ in 0..<iterations * 20 { if case .object(let o)? = try? JSONValue.parse(small) { sink &+= o.count } }
        }
        let smallScan = seconds {
            for _ in 0..<iterations * 20 { if JSONRPCEnvelope.scan(small)?.name != nil { sink &+= 1 } }
        }
        print("envelope scan vs full parse (\(small.count) bytes): ratio \(smallParse / max(smallScan, 1e-9))x")
        #expect(smallScan < smallParse)
        let ratio = parseTime / max(scanTime, 1e-9)
        print("envelope scan vs full parse (\(body.count) bytes): parse \(parseTime / Double(iterations) * 1e6) µs, scan \(scanTime / Double(iterations) * 1e6) µs, ratio \(ratio)x (sink \(sink))")
        #expect(ratio > 1.2)  // loose: debug builds and parallel tests; release measures ~18x
    }
}
