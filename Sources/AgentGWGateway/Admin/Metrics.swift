import NIOConcurrencyHelpers

/// The gateway's Prometheus metrics. Label values never carry secrets: routes, backends,
/// MCP methods and tool names only.
public final class GatewayMetrics: Sendable {
    struct State {
        var counters: [String: [String: Double]] = [:]     // name → labels → value
        var gauges: [String: [String: Double]] = [:]
        var histograms: [String: [String: Histogram]] = [:]
    }

    struct Histogram {
        var buckets: [Double]
        var counts: [Int]
        var sum: Double = 0
        var count: Int = 0
    }

    static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

    static let help: [String: (type: String, help: String)] = [
        "agentgw_requests_total": ("counter", "Requests by gateway listener, route, backend, MCP method, tool and status."),
        "agentgw_request_duration_seconds": ("histogram", "Time from request to response end, by route and MCP method."),
        "agentgw_tool_call_duration_seconds": ("histogram", "Time from a tools/call request to its response end, by route and tool."),
        "agentgw_open_streams": ("gauge", "SSE responses currently streaming to clients."),
        "agentgw_sessions_started_total": ("counter", "MCP sessions started (initialize answered with Mcp-Session-Id), by route."),
        "agentgw_sessions_ended_total": ("counter", "MCP sessions ended by DELETE, by route."),
        "agentgw_auth_failures_total": ("counter", "Requests refused for a missing or wrong API key, by route."),
        "agentgw_rate_limited_total": ("counter", "Requests refused by a local rate limit, by route."),
        "agentgw_tool_denied_total": ("counter", "tools/call requests refused by tool rules, by route and tool."),
        "agentgw_upstream_errors_total": ("counter", "Upstream failures (connect, reset, timeout), by backend and kind."),
        "agentgw_config_reloads_total": ("counter", "Configuration reloads, by result (success or failure)."),
        "agentgw_config_generation": ("gauge", "Generation of the configuration being served."),
    ]

    private let state = NIOLockedValueBox(State())

    public init() {}

    static func labels(_ pairs: [(String, String)]) -> String {
        pairs.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
    }

    static func escape(_ v: String) -> String {
        // Runs for every label of every request: most values need no escaping.
        if !v.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }) { return v }
        var out = ""
        for c in v {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    public func increment(_ name: String, _ labels: [(String, String)], by value: Double = 1) {
        let key = Self.labels(labels)
        state.withLockedValue { $0.counters[name, default: [:]][key, default: 0] += value }
    }

    public func gauge(_ name: String, _ labels: [(String, String)], add delta: Double) {
        let key = Self.labels(labels)
        state.withLockedValue { $0.gauges[name, default: [:]][key, default: 0] += delta }
    }

    public func setGauge(_ name: String, _ labels: [(String, String)], _ value: Double) {
        let key = Self.labels(labels)
        state.withLockedValue { $0.gauges[name, default: [:]][key] = value }
    }

    public func observe(_ name: String, _ labels: [(String, String)], _ value: Double) {
        let key = Self.labels(labels)
        state.withLockedValue { s in
            var h = s.histograms[name]?[key] ?? Histogram(buckets: Self.latencyBuckets, counts: Array(repeating: 0, count: Self.latencyBuckets.count))
            if let i = h.buckets.firstIndex(where: { value <= $0 }) { h.counts[i] += 1 }
            h.sum += value
            h.count += 1
            s.histograms[name, default: [:]][key] = h
        }
    }

    /// The current value of a counter or gauge series (for tests and the console).
    public func value(_ name: String, _ labels: [(String, String)]) -> Double {
        let key = Self.labels(labels)
        return state.withLockedValue { $0.counters[name]?[key] ?? $0.gauges[name]?[key] ?? 0 }
    }

    /// One counter or gauge series, labels parsed back.
    public struct Series: Sendable {
        public var labels: [String: String]
        public var value: Double
    }

    /// One histogram series: per-bucket (not cumulative) counts.
    public struct HistogramSeries: Sendable {
        public var labels: [String: String]
        public var buckets: [Double]
        public var counts: [Int]
        public var sum: Double
        public var count: Int

        /// The q-quantile (0...1), interpolated linearly inside its bucket as Prometheus's
        /// histogram_quantile does; nil with no observations. Beyond the last bucket: its bound.
        public func quantile(_ q: Double) -> Double? {
            guard count > 0 else { return nil }
            let rank = q * Double(count)
            var cumulative = 0
            for (i, bound) in buckets.enumerated() {
                let before = cumulative
                cumulative += counts[i]
                if Double(cumulative) >= rank, counts[i] > 0 {
                    let lower = i == 0 ? 0 : buckets[i - 1]
                    return lower + (bound - lower) * (rank - Double(before)) / Double(counts[i])
                }
            }
            return buckets.last
        }
    }

    /// Every series of a counter or gauge (the console's traffic view reads the same numbers
    /// as /metrics).
    public func series(_ name: String) -> [Series] {
        let raw = state.withLockedValue { $0.counters[name] ?? $0.gauges[name] ?? [:] }
        return raw.map { Series(labels: Self.parseLabels($0.key), value: $0.value) }
    }

    public func histogramSeries(_ name: String) -> [HistogramSeries] {
        let raw = state.withLockedValue { $0.histograms[name] ?? [:] }
        return raw.map { HistogramSeries(labels: Self.parseLabels($0.key), buckets: $0.value.buckets, counts: $0.value.counts, sum: $0.value.sum, count: $0.value.count) }
    }

    /// The inverse of `labels(_:)`: `a="x",b="y\"z"` → [a: x, b: y"z].
    static func parseLabels(_ key: String) -> [String: String] {
        var out: [String: String] = [:]
        var i = key.startIndex
        while i < key.endIndex {
            guard let eq = key[i...].firstIndex(of: "=") else { break }
            let name = String(key[i..<eq])
            var j = key.index(eq, offsetBy: 2, limitedBy: key.endIndex) ?? key.endIndex   // past ="
            var value = ""
            while j < key.endIndex, key[j] != "\"" {
                if key[j] == "\\", key.index(after: j) < key.endIndex {
                    j = key.index(after: j)
                    value.append(key[j] == "n" ? "\n" : key[j])
                } else {
                    value.append(key[j])
                }
                j = key.index(after: j)
            }
            out[name] = value
            i = j < key.endIndex ? key.index(after: j) : j        // past the closing quote
            if i < key.endIndex, key[i] == "," { i = key.index(after: i) }
        }
        return out
    }

    /// Prometheus text exposition format 0.0.4.
    public func render() -> String {
        let s = state.withLockedValue { $0 }
        var out = ""
        func header(_ name: String) {
            if let h = Self.help[name] { out += "# HELP \(name) \(h.help)\n# TYPE \(name) \(h.type)\n" }
        }
        for (name, series) in s.counters.sorted(by: { $0.key < $1.key }) {
            header(name)
            for (labels, v) in series.sorted(by: { $0.key < $1.key }) { out += labels.isEmpty ? "\(name) \(format(v))\n" : "\(name){\(labels)} \(format(v))\n" }
        }
        for (name, series) in s.gauges.sorted(by: { $0.key < $1.key }) {
            header(name)
            for (labels, v) in series.sorted(by: { $0.key < $1.key }) { out += labels.isEmpty ? "\(name) \(format(v))\n" : "\(name){\(labels)} \(format(v))\n" }
        }
        for (name, series) in s.histograms.sorted(by: { $0.key < $1.key }) {
            header(name)
            for (labels, h) in series.sorted(by: { $0.key < $1.key }) {
                let sep = labels.isEmpty ? "" : ","
                var cumulative = 0
                for (i, b) in h.buckets.enumerated() {
                    cumulative += h.counts[i]
                    out += "\(name)_bucket{\(labels)\(sep)le=\"\(format(b))\"} \(cumulative)\n"
                }
                out += "\(name)_bucket{\(labels)\(sep)le=\"+Inf\"} \(h.count)\n"
                out += "\(name)_sum{\(labels)} \(format(h.sum))\n"
                out += "\(name)_count{\(labels)} \(h.count)\n"
            }
        }
        return out
    }

    func format(_ v: Double) -> String {
        v.rounded() == v && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}
