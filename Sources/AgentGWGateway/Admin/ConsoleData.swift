import AgentGWMCP
import AgentGWModel
import Foundation

/// The JSON behind the web console: `/api/overview` (what is configured and how its upstreams
/// are doing) and `/api/traffic` (the /metrics counters, grouped per route and per tool).
/// Secrets never enter it: API keys appear as a count, Backend headers not at all.
struct ConsoleData {
    var config: RuntimeConfig
    var boundPorts: [Int: Int]
    var bindAddress: String
    var health: TargetHealth
    var status: JSONValue          // the runner's generation, readiness and reload history
    var playground: Bool

    func overview() -> JSONValue {
        let reloads = status["reloads"]?.array ?? []
        let lastError = reloads.last(where: { $0["ok"]?.bool == false })?["error"] ?? .null
        return .object(JSONObject([
            ("generation", .int(config.generation)),
            ("ready", status["ready"] ?? .bool(false)),
            ("playground", .bool(playground)),
            ("gateways", .array(gateways())),
            ("routes", .array(routes())),
            ("backends", .array(backends())),
            ("reloads", .array(reloads)),
            ("lastError", lastError),
            ("warnings", .array(config.warnings.map { .string($0.description) })),
        ]))
    }

    static func conditions(_ list: [StatusReport.Condition]) -> JSONValue {
        .array(list.map { c in
            .object(JSONObject([("type", .string(c.type)), ("status", .bool(c.status)), ("reason", .string(c.reason)), ("message", .string(c.message))]))
        })
    }

    /// `namespace/gateway/listener` → (port, HTTPS?).
    var listenerPorts: [String: (port: Int, tls: Bool)] {
        var out: [String: (Int, Bool)] = [:]
        for (port, l) in config.listeners {
            for name in l.listenerNames { out[name] = (port, l.tls != nil) }
        }
        return out
    }

    func gateways() -> [JSONValue] {
        let ports = listenerPorts
        return config.status.gateways.map { g in
            let listeners: [JSONValue] = g.listeners.map { l in
                let served = ports["\(g.key.namespace)/\(g.key.name)/\(l.name)"]
                return .object(JSONObject([
                    ("name", .string(l.name)),
                    ("port", served.map { .int($0.port) } ?? .null),
                    ("boundPort", served.flatMap { boundPorts[$0.port] }.map { .int($0) } ?? .null),
                    ("address", .string(bindAddress)),
                    ("protocol", .string(served.map { $0.tls ? "HTTPS" : "HTTP" } ?? "-")),
                    ("attachedRoutes", .int(l.attachedRoutes)),
                    ("conditions", Self.conditions(l.conditions)),
                ]))
            }
            return .object(JSONObject([
                ("namespace", .string(g.key.namespace)), ("name", .string(g.key.name)),
                ("conditions", Self.conditions(g.conditions)), ("listeners", .array(listeners)),
            ]))
        }
    }

    func routes() -> [JSONValue] {
        struct Route { var rules: [JSONValue] = []; var ruleNames: Set<String> = []; var endpoints: [JSONValue] = []; var endpointKeys: Set<String> = [] }
        var byName: [String: Route] = [:]
        for port in config.listeners.keys.sorted() {
            guard let l = config.listeners[port] else { continue }
            for rule in RuntimeConfig.describeRules(l.routes) {
                guard let name = rule["route"]?.string else { continue }
                var route = byName[name] ?? Route()
                let ruleName = rule["rule"]?.string ?? ""
                if route.ruleNames.insert(ruleName).inserted { route.rules.append(rule) }
                let hostname = rule["hostnames"]?.array?.first?.string ?? rule["listenerHostname"]?.string
                for match in rule["matches"]?.array ?? [] {
                    guard let type = match["path"]?["type"]?.string, type == "PathPrefix" || type == "Exact",
                          var path = match["path"]?["value"]?.string else { continue }
                    // A catch-all prefix (the tutorial's route): offer the MCP target's own path,
                    // the URL clients are told to use.
                    if type == "PathPrefix", path == "/", let targetPath = rule["backends"]?.array?.first?["path"]?.string { path = targetPath }
                    let key = "\(port) \(hostname ?? "") \(path)"
                    guard route.endpointKeys.insert(key).inserted else { continue }
                    route.endpoints.append(.object(JSONObject([
                        ("listenerPort", .int(port)), ("boundPort", boundPorts[port].map { .int($0) } ?? .null),
                        ("hostname", hostname.map { .string($0) } ?? .null), ("path", .string(path)), ("tls", .bool(l.tls != nil)),
                    ])))
                }
                byName[name] = route
            }
        }
        return byName.keys.sorted().map { name in
            let route = byName[name] ?? Route()
            let (namespace, short) = Self.split(name)
            let parents = config.status.route(namespace, short)?.parents.map { p -> JSONValue in
                .string("\(p.parentRef.namespace ?? namespace)/\(p.parentRef.name)")
            } ?? []
            return .object(JSONObject([
                ("namespace", .string(namespace)), ("name", .string(short)), ("parents", .array(parents)),
                ("endpoints", .array(route.endpoints)), ("rules", .array(route.rules)),
            ]))
        }
    }

    func backends() -> [JSONValue] {
        var targets: [String: [MCPTarget]] = [:]
        var multiplexed: Set<String> = []
        for l in config.listeners.values {
            for entry in l.routes.entries {
                for (backend, _) in entry.rule.backends {
                    switch backend {
                    case .mcp(let t): targets[t.backendName, default: []].append(t)
                    case .multiplexed(let m):
                        multiplexed.insert(m.backendName)
                        targets[m.backendName, default: []] += m.targets
                    case .service: break
                    }
                }
            }
        }
        return targets.keys.sorted().map { name in
            var seen: Set<String> = []
            let list = (targets[name] ?? []).filter { seen.insert($0.targetName).inserted }
            let (namespace, short) = Self.split(name)
            return .object(JSONObject([
                ("namespace", .string(namespace)), ("name", .string(short)), ("multiplexed", .bool(multiplexed.contains(name))),
                ("targets", .array(list.map(target))),
            ]))
        }
    }

    func target(_ t: MCPTarget) -> JSONValue {
        let record = health.record(TargetHealth.key(host: t.connectHost, port: t.connectPort))
        let healthText: String
        switch record?.healthy {
        case true?: healthText = "healthy"
        case false?: healthText = "failing"
        case nil: healthText = "unknown"
        }
        func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        return .object(JSONObject([
            ("name", .string(t.targetName)), ("host", .string(t.hostHeader)), ("connect", .string("\(t.connectHost):\(t.connectPort)")),
            ("port", .int(t.connectPort)), ("path", .string(t.path)), ("protocol", .string(t.transport.rawValue)), ("tls", .bool(t.tls)),
            ("era", optional(record?.protocolVersion)), ("health", .string(healthText)),
            ("lastError", optional(record?.lastError)), ("lastErrorTime", optional(record?.lastErrorTime)),
            ("lastSuccessTime", optional(record?.lastSuccess)),
            ("requests", .int((record?.successes ?? 0) + (record?.failures ?? 0))),
        ]))
    }

    static func split(_ name: String) -> (String, String) {
        guard let slash = name.firstIndex(of: "/") else { return ("default", name) }
        return (String(name[..<slash]), String(name[name.index(after: slash)...]))
    }

    // MARK: traffic

    static func traffic(_ metrics: GatewayMetrics, openStreams: Int) -> JSONValue {
        func sum(_ name: String, where keep: ([String: String]) -> Bool = { _ in true }) -> Double {
            metrics.series(name).filter { keep($0.labels) }.reduce(0) { $0 + $1.value }
        }
        func byRoute(_ name: String) -> [String: Double] {
            var out: [String: Double] = [:]
            for s in metrics.series(name) { out[s.labels["route"] ?? "-", default: 0] += s.value }
            return out
        }
        func latency(_ series: [GatewayMetrics.HistogramSeries]) -> JSONValue {
            guard var merged = series.first else { return .object(JSONObject([("count", .int(0))])) }
            for s in series.dropFirst() where s.buckets == merged.buckets {
                for i in s.counts.indices { merged.counts[i] += s.counts[i] }
                merged.count += s.count
                merged.sum += s.sum
            }
            var o = JSONObject([("count", .int(merged.count))])
            for (label, q) in [("p50", 0.5), ("p90", 0.9), ("p99", 0.99)] { o[label] = merged.quantile(q).map { .double($0) } ?? .null }
            return .object(o)
        }
        let requests = metrics.series("agentgw_requests_total")
        let durations = metrics.histogramSeries("agentgw_request_duration_seconds")
        let toolDurations = metrics.histogramSeries("agentgw_tool_call_duration_seconds")
        let auth = byRoute("agentgw_auth_failures_total"), limited = byRoute("agentgw_rate_limited_total")
        let denied = byRoute("agentgw_tool_denied_total")

        var routeTotals: [String: (requests: Double, errors: Double)] = [:]
        var toolTotals: [String: (route: String, tool: String, requests: Double, errors: Double)] = [:]
        for s in requests {
            let route = s.labels["route"] ?? "-"
            let failed = Int(s.labels["status"] ?? "") .map { $0 >= 500 } ?? false
            routeTotals[route, default: (0, 0)].requests += s.value
            if failed { routeTotals[route, default: (0, 0)].errors += s.value }
            if let tool = s.labels["tool"], tool != "-", s.labels["method"] == "tools/call" {
                let key = route + "\u{0}" + tool
                toolTotals[key, default: (route, tool, 0, 0)].requests += s.value
                if failed { toolTotals[key, default: (route, tool, 0, 0)].errors += s.value }
            }
        }
        for route in Set(auth.keys).union(limited.keys) where routeTotals[route] == nil { routeTotals[route] = (0, 0) }
        let routes: [JSONValue] = routeTotals.keys.sorted().map { route in
            let t = routeTotals[route] ?? (0, 0)
            return .object(JSONObject([
                ("route", .string(route)), ("requests", .int(Int(t.requests))), ("errors", .int(Int(t.errors))),
                ("authFailures", .int(Int(auth[route] ?? 0))), ("rateLimited", .int(Int(limited[route] ?? 0))),
                ("toolDenied", .int(Int(denied[route] ?? 0))),
                ("latency", latency(durations.filter { ($0.labels["route"] ?? "-") == route })),
            ]))
        }
        let tools: [JSONValue] = toolTotals.keys.sorted().compactMap { key in
            guard let t = toolTotals[key] else { return nil }
            return .object(JSONObject([
                ("route", .string(t.route)), ("tool", .string(t.tool)), ("requests", .int(Int(t.requests))), ("errors", .int(Int(t.errors))),
                ("latency", latency(toolDurations.filter { $0.labels["route"] == t.route && $0.labels["tool"] == t.tool })),
            ]))
        }
        return .object(JSONObject([
            ("time", .double(Date().timeIntervalSince1970)),
            ("openStreams", .int(openStreams)),
            ("sessions", .object(JSONObject([("started", .int(Int(sum("agentgw_sessions_started_total")))),
                                             ("ended", .int(Int(sum("agentgw_sessions_ended_total"))))]))),
            ("totals", .object(JSONObject([
                ("requests", .int(Int(sum("agentgw_requests_total")))),
                ("authFailures", .int(Int(sum("agentgw_auth_failures_total")))),
                ("rateLimited", .int(Int(sum("agentgw_rate_limited_total")))),
                ("toolDenied", .int(Int(sum("agentgw_tool_denied_total")))),
                ("upstreamErrors", .int(Int(sum("agentgw_upstream_errors_total")))),
            ]))),
            ("routes", .array(routes)),
            ("tools", .array(tools)),
        ]))
    }
}
