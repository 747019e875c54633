import Testing
@testable import AgentGWMCP

@Suite("SSE parser and encoder")
struct SSETests {
    /// Feeds all chunks, then finishes.
    static func parse(_ chunks: [[UInt8]], maxEventBytes: Int = 16 << 20) throws -> [SSEItem] {
        var parser = SSEParser(maxEventBytes: maxEventBytes)
        var items: [SSEItem] = []
        for chunk in chunks { items += try parser.feed(chunk) }
        items += parser.finish()
        return items
    }

    static func parse(_ text: String) throws -> [SSEItem] { try parse([text.bytes]) }

    static func events(_ items: [SSEItem]) -> [SSEEvent] {
        items.compactMap { if case .event(let e) = $0 { return e } else { return nil } }
    }

    @Test func captureFraming() throws {
        let items = try Self.parse(WireFixtures.sseToolsCallResponse)
        #expect(items == [.event(SSEEvent(event: "message", data: WireFixtures.legacyToolsCallResult))])
        let e = Self.events(items)[0]
        #expect(e.type == "message")
        let msg = try JSONRPCMessage(parsing: e.data.bytes)
        #expect(msg.id == 2)
    }

    @Test func legacySSETransportEndpointEvent() throws {
        let stream = "event: endpoint\r\ndata: /messages/?session_id=e5c82519a5b04b3b90992ba66e78762b\r\n\r\n"
            + "event: message\r\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\r\n\r\n"
        let events = Self.events(try Self.parse(stream))
        #expect(events.map(\.event) == ["endpoint", "message"])
        #expect(events[0].data == "/messages/?session_id=e5c82519a5b04b3b90992ba66e78762b")
    }

    static let sample: [UInt8] = Array(
        ("\u{FEFF}: keep-alive\r\nretry: 1500\nid: 1\nevent: message\r\ndata: {\"a\":\"é😀\"}\r\n\r\n"
            + "data: line1\rdata:line2\r\n\r\n: ping\n\nid: 7\n\ndata\n\nevent: x\ndata:  two spaces\n\n"
            + "data: tail\r").utf8)

    static let sampleExpected: [SSEItem] = [
        .comment("keep-alive"),
        .event(SSEEvent(event: "message", data: #"{"a":"é😀"}"#, id: "1", retry: 1500)),
        .event(SSEEvent(data: "line1\nline2")),
        .comment("ping"),
        .event(SSEEvent(data: "")),
        .event(SSEEvent(event: "x", data: " two spaces")),
    ]

    @Test func sampleStreamWhole() throws {
        #expect(try Self.parse([Self.sample]) == Self.sampleExpected)
        var parser = SSEParser()
        _ = try parser.feed(Self.sample)
        #expect(parser.lastEventID == "7")
        #expect(parser.retry == 1500)
    }

    @Test func sampleStreamByteByByte() throws {
        #expect(try Self.parse(Self.sample.map { [$0] }) == Self.sampleExpected)
    }

    @Test func sampleStreamEveryTwoWaySplit() throws {
        for cut in 0...Self.sample.count {
            let chunks = [Array(Self.sample[..<cut]), Array(Self.sample[cut...])]
            #expect(try Self.parse(chunks) == Self.sampleExpected, "split at \(cut)")
        }
    }

    @Test func sampleStreamEveryThreeWaySplit() throws {
        let n = Self.sample.count
        for a in stride(from: 0, through: n, by: 3) {
            for b in a...n {
                let chunks = [Array(Self.sample[..<a]), Array(Self.sample[a..<b]), Array(Self.sample[b...])]
                #expect(try Self.parse(chunks) == Self.sampleExpected, "splits at \(a), \(b)")
            }
        }
    }

    @Test func lineEndingMixes() throws {
        let expected: [SSEItem] = [.event(SSEEvent(data: "a\nb\nc\nd"))]
        for ends in [["\n", "\r", "\r\n", "\n"], ["\r\n", "\r\n", "\r\n", "\r\n"], ["\r", "\r", "\r", "\r"], ["\r", "\n", "\r\n", "\r"]] {
            let text = "data: a" + ends[0] + "data: b" + ends[1] + "data: c" + ends[2] + "data: d" + ends[3] + ends[3]
            #expect(try Self.parse(text) == expected, "\(ends)")
        }
        // "\r\r" is two line ends (a blank line), "\n\r" too.
        #expect(try Self.parse("data: x\r\rdata: y\n\r") == [.event(SSEEvent(data: "x")), .event(SSEEvent(data: "y"))])
        // CR at the end of a chunk, LF at the start of the next: one line end, not two.
        #expect(try Self.parse(["data: x\r".bytes, "\ndata: y\r\n\r\n".bytes]) == [.event(SSEEvent(data: "x\ny"))])
    }

    @Test func commentsAndFields() throws {
        #expect(try Self.parse(":\n\n") == [.comment("")])
        #expect(try Self.parse(":no space\n") == [.comment("no space")])
        #expect(try Self.parse(":  two\n") == [.comment(" two")])
        // Unknown fields ignored; no-colon lines are fields with empty values.
        #expect(try Self.parse("foo: bar\ndata: x\n\n") == [.event(SSEEvent(data: "x"))])
        #expect(try Self.parse("data\ndata\n\n") == [.event(SSEEvent(data: "\n"))])
        #expect(try Self.parse("data:a:b\n\n") == [.event(SSEEvent(data: "a:b"))])
        #expect(try Self.parse("DATA: x\n\n") == [])  // field names are case-sensitive
        #expect(try Self.parse("event: custom\n\n") == [])  // no data → not dispatched
        // event type does not leak into the next event.
        #expect(try Self.parse("event: a\ndata: 1\n\ndata: 2\n\n") == [.event(SSEEvent(event: "a", data: "1")), .event(SSEEvent(data: "2"))])
        #expect(try Self.parse("event:\ndata: 1\n\n") == [.event(SSEEvent(data: "1"))])
    }

    @Test func bom() throws {
        #expect(try Self.parse("\u{FEFF}data: x\n\n") == [.event(SSEEvent(data: "x"))])
        // Split BOM.
        let bytes = "\u{FEFF}data: x\n\n".bytes
        #expect(try Self.parse([[bytes[0]], [bytes[1]], Array(bytes[2...])]) == [.event(SSEEvent(data: "x"))])
        // Only one BOM is skipped; a second one is part of the field name (→ unknown field).
        #expect(try Self.parse("\u{FEFF}\u{FEFF}data: x\n\n") == [])
        // Partial BOM-like prefix is content.
        #expect(try Self.parse([[0xEF, 0xBB], ":c\n".bytes]) == [])
    }

    @Test func idHandling() throws {
        var p = SSEParser()
        var items = try p.feed("id: 5\ndata: a\n\n".bytes)
        #expect(items == [.event(SSEEvent(data: "a", id: "5"))])
        #expect(p.lastEventID == "5")
        // id persists but events without their own id report nil.
        items = try p.feed("data: b\n\n".bytes)
        #expect(items == [.event(SSEEvent(data: "b"))])
        #expect(p.lastEventID == "5")
        // id containing NUL is ignored.
        items = try p.feed("id: x\u{0}y\ndata: c\n\n".bytes)
        #expect(items == [.event(SSEEvent(data: "c"))])
        #expect(p.lastEventID == "5")
        // The 2025-11-25 priming event (id + empty data) is dispatched with empty data; an id-only
        // block dispatches nothing but still updates lastEventID.
        items = try p.feed("id: prime-1\ndata:\n\nid: 9\n\n".bytes)
        #expect(items == [.event(SSEEvent(data: "", id: "prime-1"))])
        #expect(p.lastEventID == "9")
        // Empty id resets.
        _ = try p.feed("id\n\n".bytes)
        #expect(p.lastEventID == nil)
        // An incomplete block at the end does not update lastEventID.
        _ = try p.feed("id: 10\ndata: lost".bytes)
        #expect(p.finish() == [])
        #expect(p.lastEventID == nil)
    }

    @Test func retryHandling() throws {
        var p = SSEParser()
        _ = try p.feed("retry: 3000\n\n".bytes)
        #expect(p.retry == 3000)
        for bad in ["retry: 12a\n", "retry: -1\n", "retry: 1.5\n", "retry:\n", "retry:  5\n", "retry: 99999999999999999999999\n"] {
            _ = try p.feed(bad.bytes)
            #expect(p.retry == 3000, "\(bad)")
        }
        let items = try p.feed("retry: 10\ndata: x\n\n".bytes)
        #expect(items == [.event(SSEEvent(data: "x", retry: 10))])
        #expect(p.retry == 10)
    }

    @Test func incompleteEventDiscarded() throws {
        #expect(try Self.parse("data: a\n\ndata: b\n") == [.event(SSEEvent(data: "a"))])
        #expect(try Self.parse("data: a\n\ndata: b") == [.event(SSEEvent(data: "a"))])
    }

    @Test func utf8SplitAcrossChunksAndInvalidBytes() throws {
        let bytes = "data: 日本😀\n\n".bytes
        for cut in 6..<(bytes.count - 2) {
            #expect(try Self.parse([Array(bytes[..<cut]), Array(bytes[cut...])]) == [.event(SSEEvent(data: "日本😀"))])
        }
        #expect(try Self.parse([("data: a".bytes + [0xFF] + "b\n\n".bytes)]) == [.event(SSEEvent(data: "a\u{FFFD}b"))])
    }

    @Test func oversizeEvent() throws {
        var p = SSEParser(maxEventBytes: 64)
        #expect(try p.feed(("data: " + String(repeating: "x", count: 40) + "\n\n").bytes).count == 1)
        // Many lines accumulate in the data buffer.
        #expect(throws: SSEParseError.self) {
            var q = SSEParser(maxEventBytes: 64)
            for _ in 0..<10 { _ = try q.feed("data: 0123456789\n".bytes) }
        }
        // One long line without an end.
        var r = SSEParser(maxEventBytes: 64)
        do {
            _ = try r.feed(String(repeating: "y", count: 100).bytes)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("64"))
        }
        // The parser stays failed.
        #expect(throws: SSEParseError.self) { _ = try r.feed("data: ok\n\n".bytes) }
        // Dispatch resets the budget.
        var s = SSEParser(maxEventBytes: 64)
        for _ in 0..<100 { #expect(try s.feed("data: 0123456789\n\n".bytes).count == 1) }
    }

    @Test func encoder() {
        #expect(SSEEncoder.event("hello") == "data: hello\n\n")
        #expect(SSEEncoder.event("a\nb\r\nc\rd", event: "message", id: "7", retry: 100)
            == "event: message\nid: 7\nretry: 100\ndata: a\ndata: b\ndata: c\ndata: d\n\n")
        #expect(SSEEncoder.event("") == "data: \n\n")
        #expect(SSEEncoder.event("x", event: "bad\nname", id: "i\r\nd\0") == "event: badname\nid: id\ndata: x\n\n")
        #expect(SSEEncoder.comment("ping") == ": ping\n\n")
        #expect(SSEEncoder.comment("") == ":\n\n")
        #expect(SSEEncoder.comment("a\nb") == ": a\n: b\n\n")
    }

    @Test(arguments: ["", "x", "line1\nline2", "trailing\n", "\n", "\n\n", " leading space", "crlf\r\nand cr\r", "json {\"a\":[1,2]}", "ü😀"])
    func encoderParserRoundTrip(data: String) throws {
        let encoded = SSEEncoder.event(data, event: "message", id: "id-1", retry: 5)
        let normalized = data.replacingCRs()
        #expect(try Self.parse(encoded) == [.event(SSEEvent(event: "message", data: normalized, id: "id-1", retry: 5))])
        #expect(try Self.parse(SSEEncoder.comment(data)).allSatisfy { if case .comment = $0 { true } else { false } })
    }

    @Test func manyEventsInOneChunk() throws {
        let frames = (0..<500).map { SSEEncoder.event(#"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":\#($0)}}"#) }
        let items = try Self.parse(frames.joined())
        #expect(items.count == 500)
        let last = Self.events(items).last.flatMap { try? JSONValue.parse($0.data) }
        #expect(last?["params"]?["progress"] == 499)
    }
}

extension String {
    /// CRLF and CR as LF (the SSE parser's view of line ends).
    func replacingCRs() -> String {
        String(split(omittingEmptySubsequences: false) { $0 == "\r\n" || $0 == "\r" || $0 == "\n" }.joined(separator: "\n"))
    }
}
