import AgentGWMCP
import AgentGWModel
import Foundation

/// Renders probe results: a readable report, or the same data as JSON/YAML for scripts.
enum ProbeReport {
    static func print(_ r: ProbeResult, format: ProbeFormat) {
        switch format {
        case .text: Output.stdoutRaw(text(r))
        case .json: Output.stdout(JSONWriter.write(NodeBridge.node(json(r))))
        case .yaml: Output.stdoutRaw(YAMLWriter.write(NodeBridge.node(json(r))))
        }
        for w in r.warnings { Output.stderr("warning: \(w.message) [\(w.rule)]") }
    }

    static func ms(_ d: Duration) -> String { String(format: "%.1f ms", d.milliseconds) }

    static func firstLine(_ s: String?) -> String {
        (s ?? "").split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }

    static func text(_ r: ProbeResult) -> String {
        var lines: [String] = []
        func row(_ k: String, _ v: String) { lines.append(k.padding(toLength: 14, withPad: " ", startingAt: 0) + v) }
        row("URL:", r.url)
        if let s = r.server {
            row("Transport:", s.transport.rawValue)
            row("Era:", "\(s.era.rawValue) (protocol \(s.protocolVersion))")
            row("Server:", [s.serverName, s.serverVersion].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " "))
            if let i = s.instructions, !i.isEmpty { row("Instructions:", firstLine(i)) }
            row("Capabilities:", s.capabilities.object?.keys.sorted().joined(separator: ", ") ?? "")
            if let sid = s.sessionID { row("Session:", sid.count > 12 ? String(sid.prefix(8)) + "…" : sid) }
        }
        if r.server != nil && (r.error == nil || !r.tools.isEmpty) {
            lines.append("Tools (\(r.tools.count)\(r.toolPages > 1 ? ", \(r.toolPages) pages" : "")):")
            let width = min(32, (r.tools.map(\.name.count).max() ?? 0) + 2)
            for t in r.tools { lines.append("  " + t.name.padding(toLength: max(width, t.name.count + 1), withPad: " ", startingAt: 0) + firstLine(t.description)) }
        }
        for (title, items) in [("Resources", r.resources), ("Prompts", r.prompts)] {
            guard let items else { continue }
            lines.append("\(title) (\(items.count)):")
            for i in items { lines.append("  \(i.name)  \(firstLine(i.description))") }
        }
        if let c = r.callResult {
            lines.append("Call result\(c["isError"]?.bool == true ? " (isError)" : ""):")
            for block in c["content"]?.array ?? [] {
                switch block["type"]?.string {
                case "text": lines.append(contentsOf: (block["text"]?.string ?? "").split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 })
                case let type: lines.append("  [\(type ?? "?")] \(block["mimeType"]?.string ?? block["uri"]?.string ?? "")")
                }
            }
            if let s = c["structuredContent"] { lines.append("  structured: \(s.serialized())") }
        }
        if let m = r.methodResult { lines.append("Method result:"); lines.append(m.pretty().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")) }
        lines.append("Timings:")
        for t in r.timings { lines.append("  " + t.step.padding(toLength: 16, withPad: " ", startingAt: 0) + ms(t.duration)) }
        if r.error == nil { lines.append(r.warnings.isEmpty ? "Result:       ok" : "Result:       \(r.warnings.count) spec deviation(s)") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ r: ProbeResult) -> JSONValue {
        var o = JSONObject([("url", .string(r.url))])
        if let s = r.server {
            o["transport"] = .string(s.transport.rawValue)
            o["era"] = .string(s.era.rawValue)
            o["protocolVersion"] = .string(s.protocolVersion)
            o["server"] = .object(JSONObject([("name", s.serverName.map { .string($0) } ?? .null), ("version", s.serverVersion.map { .string($0) } ?? .null)]))
            o["instructions"] = s.instructions.map { .string($0) } ?? .null
            o["capabilities"] = s.capabilities
            o["sessionId"] = s.sessionID.map { .string($0) } ?? .null
        }
        func items(_ list: [ListedItem]) -> JSONValue {
            .array(list.map { .object(JSONObject([("name", .string($0.name)), ("description", $0.description.map { .string($0) } ?? .null)])) })
        }
        o["tools"] = items(r.tools)
        if let res = r.resources { o["resources"] = items(res) }
        if let p = r.prompts { o["prompts"] = items(p) }
        if let c = r.callResult { o["callResult"] = c }
        if let m = r.methodResult { o["result"] = m }
        o["timingsMs"] = .object(JSONObject(r.timings.map { ($0.step, .double(($0.duration.milliseconds * 10).rounded() / 10)) }))
        o["warnings"] = .array(r.warnings.map { .object(JSONObject([("rule", .string($0.rule)), ("message", .string($0.message))])) })
        if let e = r.error {
            o["error"] = .object(JSONObject([("class", .string(e.errorClass)), ("message", .string(e.description)), ("exitCode", .int(Int(e.exitCode)))]))
        }
        o["ok"] = .bool(r.error == nil && r.warnings.isEmpty)
        return .object(o)
    }

    static func printSummary(_ s: RepeatSummary, url: String, format: ProbeFormat) {
        let ok = s.latencies.count
        let percentiles: [(String, Duration?)] = [("min", s.latencies.first), ("p50", s.percentile(50)), ("p90", s.percentile(90)),
                                                   ("p99", s.percentile(99)), ("max", s.latencies.last)]
        switch format {
        case .text:
            var lines = ["URL:          \(url)", "Probes:       \(s.runs) (\(ok) ok, \(s.runs - ok) failed)"]
            lines.append("Latency:      " + percentiles.map { "\($0.0) \($0.1.map(ms) ?? "-")" }.joined(separator: "  "))
            if !s.errors.isEmpty { lines.append("Errors:       " + s.errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")) }
            Output.stdout(lines.joined(separator: "\n"))
        case .json, .yaml:
            let value: JSONValue = .object(JSONObject([
                ("url", .string(url)), ("runs", .int(s.runs)), ("ok", .int(ok)),
                ("latencyMs", .object(JSONObject(percentiles.map { ($0.0, $0.1.map { .double(($0.milliseconds * 10).rounded() / 10) } ?? .null) }))),
                ("errors", .object(JSONObject(s.errors.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) }))),
            ]))
            let node = NodeBridge.node(value)
            if format == .json { Output.stdout(JSONWriter.write(node)) } else { Output.stdoutRaw(YAMLWriter.write(node)) }
        }
    }
}

/// JSONValue → Node, so one writer prints both YAML and JSON.
enum NodeBridge {
    static func node(_ v: JSONValue) -> Node {
        switch v {
        case .null: return .null
        case .bool(let b): return Node(.bool(b))
        case .int(let i): return Node(.int(i))
        case .double(let d): return Node(.double(d))
        case .string(let s): return Node(.string(s))
        case .array(let a): return Node(.array(a.map(node)))
        case .object(let o): return Node(.object(o.map { Node.Entry(key: $0.0, value: node($0.1)) }))
        }
    }
}
