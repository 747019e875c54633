import AgentGWMCP
#if canImport(Glibc)
import Glibc
#endif

/// One line per request on stdout: route, backend, MCP method, tool, status, duration, bytes.
/// Never headers or bodies, so never credentials.
public struct AccessLog: Sendable {
    public enum Format: String, Sendable, CaseIterable { case text, json, off }

    public var format: Format

    public init(format: Format) { self.format = format }

    public struct Entry: Sendable {
        public var client: String
        public var method: String
        public var path: String
        public var route: String
        public var backend: String
        public var mcpMethod: String?
        public var tool: String?
        public var status: Int
        public var durationMs: Double
        public var bytesIn: Int
        public var bytesOut: Int
        public var note: String?
    }

    public func write(_ e: Entry) {
        switch format {
        case .off:
            return
        case .json:
            var o = JSONObject([("ts", .string(Timestamp.now())), ("client", .string(e.client)), ("method", .string(e.method)),
                                ("path", .string(e.path)), ("route", .string(e.route)), ("backend", .string(e.backend))])
            if let m = e.mcpMethod { o["mcpMethod"] = .string(m) }
            if let t = e.tool { o["tool"] = .string(t) }
            o["status"] = .int(e.status)
            o["durationMs"] = .double((e.durationMs * 1000).rounded() / 1000)
            o["bytesIn"] = .int(e.bytesIn)
            o["bytesOut"] = .int(e.bytesOut)
            if let n = e.note { o["note"] = .string(n) }
            Self.emit(JSONValue.object(o).serialized() + "\n")
        case .text:
            var line = "\(Timestamp.now()) \(e.client) \"\(e.method) \(e.path)\" \(e.status) route=\(e.route.isEmpty ? "-" : e.route) backend=\(e.backend.isEmpty ? "-" : e.backend)"
            line += " mcp=\(e.mcpMethod ?? "-") tool=\(e.tool ?? "-")"
            line += " dur=\(String(Int(e.durationMs * 1000)))us in=\(e.bytesIn) out=\(e.bytesOut)"
            if let n = e.note { line += " note=\"\(n)\"" }
            Self.emit(line + "\n")
        }
    }

    /// A single write(2) per line keeps lines whole when event loops log at once.
    static func emit(_ line: String) {
        var bytes = Array(line.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            bytes = bytes.dropFirst(n)
        }
    }
}

/// Log lines for events other than requests (reloads, startup, errors).
public struct EventLog: Sendable {
    public var format: AccessLog.Format
    public var level: Level

    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case debug = 0, info, warning, error
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        public var name: String { ["debug", "info", "warning", "error"][rawValue] }
        public init?(name: String) {
            guard let l = Level.allCases.first(where: { $0.name == name }) else { return nil }
            self = l
        }
    }

    public init(format: AccessLog.Format, level: Level) {
        self.format = format
        self.level = level
    }

    public func log(_ level: Level, _ message: String, _ fields: [(String, String)] = []) {
        guard level >= self.level else { return }
        switch format {
        case .json:
            var o = JSONObject([("ts", .string(Timestamp.now())), ("level", .string(level.name)), ("msg", .string(message))])
            for (k, v) in fields { o[k] = .string(v) }
            emitErr(JSONValue.object(o).serialized() + "\n")
        case .text, .off:
            let extra = fields.map { " \($0.0)=\($0.1)" }.joined()
            emitErr("\(Timestamp.now()) \(level.name) \(message)\(extra)\n")
        }
    }

    /// Events go to stderr so stdout stays access logs only.
    func emitErr(_ line: String) {
        var bytes = Array(line.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            bytes = bytes.dropFirst(n)
        }
    }
}

/// RFC 3339 UTC timestamps with milliseconds, without Foundation's formatter cost.
enum Timestamp {
    static func now() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return format(ts)
    }

    static func format(_ ts: timespec) -> String {
        var t = time_t(ts.tv_sec)
        var tm = tm()
        gmtime_r(&t, &tm)
        func pad(_ v: Int32, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(tm.tm_year + 1900, 4))-\(pad(tm.tm_mon + 1, 2))-\(pad(tm.tm_mday, 2))T\(pad(tm.tm_hour, 2)):\(pad(tm.tm_min, 2)):\(pad(tm.tm_sec, 2)).\(pad(Int32(ts.tv_nsec / 1_000_000), 3))Z"
    }
}
