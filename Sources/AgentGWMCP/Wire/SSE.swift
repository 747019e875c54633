// Server-Sent Events (text/event-stream) parsing and encoding, per the WHATWG HTML "event stream
// interpretation" rules.
//
// Parser notes:
// * Lines end in CRLF, LF or CR. A CR that ends one chunk and an LF that starts the next are one
//   line end. Chunks may split anywhere, also inside a UTF-8 sequence (lines are decoded whole;
//   invalid UTF-8 becomes U+FFFD, as the standard's decoder does).
// * One leading UTF-8 BOM is skipped. `:` lines are comments (reported as ``SSEItem/comment(_:)``
//   with one leading space removed). `field: value` loses one optional space after the colon; a
//   line without colon is a field with an empty value. Unknown fields are ignored.
// * `data` lines are joined with "\n"; an event whose data buffer is empty is not dispatched.
// * `id` sets the last event ID (ignored if it contains NUL); ``SSEParser/lastEventID`` is updated
//   when an event block ends (blank line), even if nothing is dispatched, as the standard does.
//   ``SSEEvent/id`` is the `id` given inside that event block, nil if none.
// * `retry` is applied only if it is all ASCII digits (immediately, like the standard).
// * An incomplete event at the end of the stream is discarded by ``SSEParser/finish()``.

/// One dispatched server-sent event.
public struct SSEEvent: Sendable, Equatable {
    /// The `event` field; nil means the default type "message".
    public var event: String?
    /// The data lines joined with "\n".
    public var data: String
    /// The `id` field given in this event block, if any.
    public var id: String?
    /// The `retry` field (milliseconds) given in this event block, if valid.
    public var retry: Int?

    public init(event: String? = nil, data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }

    /// The event type with the default applied ("message" when no `event` field was sent).
    public var type: String { event ?? "message" }
}

/// What the parser yields: events and comments (useful for keep-alive tracking).
public enum SSEItem: Sendable, Equatable {
    case event(SSEEvent)
    case comment(String)
}

/// A stream-level SSE error (for example an event larger than the configured limit).
public struct SSEParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { "SSE parse error: \(message)" }
}

/// Incremental SSE parser. Feed it chunks as they arrive; it returns completed items.
public struct SSEParser: Sendable {
    /// Maximum bytes of one event (its pending line plus its data buffer).
    public let maxEventBytes: Int
    /// The last event ID (the standard's "last event ID string"); nil when empty/unset. Send it as
    /// `Last-Event-ID` when resuming (legacy era).
    public private(set) var lastEventID: String?
    /// The reconnection time in milliseconds from the last valid `retry` field.
    public private(set) var retry: Int?

    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var eventType: String?
    private var idBuffer: String?  // persists across events, like the standard's buffer
    private var blockID: String?
    private var blockRetry: Int?
    private var pendingCR = false
    private var bomMatched = 0  // bytes of a leading BOM matched so far; -1 once past the start
    private var failure: SSEParseError?

    private static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    public init(maxEventBytes: Int = 16 << 20) {
        self.maxEventBytes = maxEventBytes
    }

    /// Processes a chunk and returns the items it completed. After an error every later call
    /// throws the same error.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(SSEParseError) -> [SSEItem] {
        if let failure { throw failure }
        var items: [SSEItem] = []
        let result = bytes.withContiguousStorageIfAvailable { process($0, into: &items) }
            ?? Array(bytes).withUnsafeBufferPointer { process($0, into: &items) }
        if let error = result {
            failure = error
            line = []
            data = []
            throw error
        }
        return items
    }

    /// Ends the stream: discards any incomplete event and resets the line state. Returns the
    /// items still pending (always empty under the standard's rules; kept for API symmetry).
    public mutating func finish() -> [SSEItem] {
        idBuffer = lastEventID  // an id from the discarded block never took effect
        line = []
        data = []
        eventType = nil
        blockID = nil
        blockRetry = nil
        pendingCR = false
        bomMatched = 0
        return []
    }

    private mutating func process(_ input: UnsafeBufferPointer<UInt8>, into items: inout [SSEItem]) -> SSEParseError? {
        var i = 0
        // Leading BOM, possibly split over chunks.
        while bomMatched >= 0, i < input.count {
            if input[i] == Self.bom[bomMatched] {
                bomMatched += 1
                i += 1
                if bomMatched == 3 { bomMatched = -1 }
            } else {
                // Not a BOM: the bytes matched so far are ordinary content.
                line.append(contentsOf: Self.bom[0..<bomMatched])
                bomMatched = -1
            }
        }
        if pendingCR, i < input.count {
            pendingCR = false
            if input[i] == ASCII.lf { i += 1 }
        }
        while i < input.count {
            var j = i
            while j < input.count, input[j] != ASCII.lf, input[j] != ASCII.cr { j += 1 }
            if line.count + data.count + (j - i) > maxEventBytes {
                return SSEParseError(message: "event exceeds \(maxEventBytes) bytes")
            }
            line.append(contentsOf: UnsafeBufferPointer(rebasing: input[i..<j]))
            guard j < input.count else { break }  // no line end in this chunk yet
            if input[j] == ASCII.cr {
                if j + 1 < input.count {
                    if input[j + 1] == ASCII.lf { j += 1 }
                } else {
                    pendingCR = true
                }
            }
            i = j + 1
            if let error = processLine(into: &items) { return error }
            line.removeAll(keepingCapacity: true)
        }
        return nil
    }

    private mutating func processLine(into items: inout [SSEItem]) -> SSEParseError? {
        if line.isEmpty {
            dispatch(into: &items)
            return nil
        }
        if line[0] == ASCII.colon {
            var start = 1
            if line.count > 1, line[1] == ASCII.space { start = 2 }
            items.append(.comment(String(decoding: line[start...], as: UTF8.self)))
            return nil
        }
        let colon = line.firstIndex(of: ASCII.colon) ?? line.count
        var valueStart = min(colon + 1, line.count)
        if valueStart < line.count, line[valueStart] == ASCII.space { valueStart += 1 }
        let field = line[0..<colon]
        let value = line[valueStart...]
        if field.elementsEqual("data".utf8) {
            if data.count + value.count + 1 > maxEventBytes {
                return SSEParseError(message: "event exceeds \(maxEventBytes) bytes")
            }
            data.append(contentsOf: value)
            data.append(ASCII.lf)
        } else if field.elementsEqual("event".utf8) {
            eventType = String(decoding: value, as: UTF8.self)
        } else if field.elementsEqual("id".utf8) {
            if !value.contains(0) {
                let id = String(decoding: value, as: UTF8.self)
                idBuffer = id
                blockID = id
            }
        } else if field.elementsEqual("retry".utf8) {
            if !value.isEmpty, value.allSatisfy(ASCII.isDigit) {
                var ms = 0
                var overflow = false
                for d in value {
                    let (m, o1) = ms.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.addingReportingOverflow(Int(d - ASCII.zero))
                    if o1 || o2 { overflow = true; break }
                    ms = s
                }
                if !overflow {
                    retry = ms
                    blockRetry = ms
                }
            }
        }
        return nil
    }

    private mutating func dispatch(into items: inout [SSEItem]) {
        lastEventID = (idBuffer?.isEmpty ?? true) ? nil : idBuffer
        defer {
            data.removeAll(keepingCapacity: true)
            eventType = nil
            blockID = nil
            blockRetry = nil
        }
        guard !data.isEmpty else { return }
        data.removeLast()  // the trailing "\n"
        let event = SSEEvent(
            event: (eventType?.isEmpty ?? true) ? nil : eventType,
            data: String(decoding: data, as: UTF8.self),
            id: blockID,
            retry: blockRetry)
        items.append(.event(event))
    }
}

/// Writes SSE frames (LF line ends).
public enum SSEEncoder {
    /// One event: optional `event:`, `id:`, `retry:` lines, then one `data:` line per line of
    /// `data` (split on CRLF, CR or LF), then a blank line. CR, LF (and, in `id`, NUL) are
    /// removed from `event` and `id`, since they cannot be represented.
    public static func event(_ data: String, event: String? = nil, id: String? = nil, retry: Int? = nil) -> String {
        var out = ""
        out.reserveCapacity(data.utf8.count + 32)
        if let event {
            out += "event: " + event.filter { $0 != "\r" && $0 != "\n" && $0 != "\r\n" } + "\n"
        }
        if let id {
            out += "id: " + id.filter { $0 != "\r" && $0 != "\n" && $0 != "\r\n" && $0 != "\0" } + "\n"
        }
        if let retry, retry >= 0 { out += "retry: \(retry)\n" }
        for line in lines(of: data) { out += "data: " + line + "\n" }
        out += "\n"
        return out
    }

    /// A comment frame, `": text\n\n"` (each line of a multi-line text gets its own `:` line).
    /// Use an empty text for a keep-alive.
    public static func comment(_ text: String) -> String {
        var out = ""
        for line in lines(of: text) { out += line.isEmpty ? ":\n" : ": " + line + "\n" }
        return out + "\n"
    }

    private static func lines(of text: String) -> [Substring] {
        // "\r\n" is a single Character in Swift, so splitting on Characters covers all three ends.
        text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
    }
}
