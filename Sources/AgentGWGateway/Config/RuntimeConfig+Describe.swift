import AgentGWMCP
import AgentGWModel

extension RuntimeConfig {
    /// The configuration as JSON for the admin `/config` endpoint: listeners, routes, rules,
    /// backends, policies and warnings. Secrets stay out: API keys appear only as a count, and
    /// Backend headers only by name (their values may come from Secrets).
    public func describe() -> JSONValue {
        let ports = listeners.keys.sorted()
        let listenerValues: [JSONValue] = ports.compactMap { port in
            guard let l = listeners[port] else { return nil }
            return .object(JSONObject([
                ("port", .int(port)),
                ("listeners", .array(l.listenerNames.map { .string($0) })),
                ("rules", .array(Self.describeRules(l.routes))),
            ]))
        }
        return .object(JSONObject([
            ("generation", .int(generation)),
            ("listeners", .array(listenerValues)),
            ("warnings", .array(warnings.map { .string($0.description) })),
        ]))
    }

    /// One entry per compiled rule (in precedence order of its first match), with its matches.
    static func describeRules(_ table: RouteTable) -> [JSONValue] {
        var order: [ObjectIdentifier] = []
        var byRule: [ObjectIdentifier: (rule: CompiledRule, matches: [JSONValue], hostnames: [String], listenerHostname: String?)] = [:]
        for e in table.entries {
            let id = ObjectIdentifier(e.rule)
            if byRule[id] == nil {
                order.append(id)
                byRule[id] = (e.rule, [], e.hostnames, e.listenerHostname)
            }
            byRule[id]?.matches.append(describe(e.matcher))
        }
        return order.compactMap { id in
            guard let item = byRule[id] else { return nil }
            let r = item.rule
            var pairs: [(String, JSONValue)] = [
                ("route", .string(r.routeName)),
                ("rule", .string(r.ruleName)),
                ("hostnames", .array(item.hostnames.map { .string($0) })),
            ]
            if let h = item.listenerHostname { pairs.append(("listenerHostname", .string(h))) }
            pairs += [
                ("matches", .array(item.matches)),
                ("filters", .array(r.filters.map(describe))),
                ("backends", .array(r.backends.map { describe($0.backend, weight: $0.weight) })),
            ]
            if let t = r.requestTimeout { pairs.append(("requestTimeout", .string(GatewayDuration.format(t)))) }
            if let t = r.backendRequestTimeout { pairs.append(("backendRequestTimeout", .string(GatewayDuration.format(t)))) }
            pairs.append(("policy", describe(r.policy)))
            return .object(JSONObject(pairs))
        }
    }

    static func describe(_ m: RequestMatcher) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("path", .object(JSONObject([("type", .string(m.pathType)), ("value", .string(m.pathValue))])))]
        if let method = m.method { pairs.append(("method", .string(method))) }
        func fields(_ list: [RequestMatcher.FieldMatch]) -> JSONValue {
            .array(list.map { f in
                switch f.value {
                case .exact(let v): return .object(JSONObject([("name", .string(f.name)), ("type", .string("Exact")), ("value", .string(v))]))
                case .regularExpression(let re):
                    return .object(JSONObject([("name", .string(f.name)), ("type", .string("RegularExpression")), ("value", .string(re.pattern))]))
                }
            })
        }
        if !m.headers.isEmpty { pairs.append(("headers", fields(m.headers))) }
        if !m.queryParams.isEmpty { pairs.append(("queryParams", fields(m.queryParams))) }
        return .object(JSONObject(pairs))
    }

    static func describe(_ f: RouteFilter) -> JSONValue {
        func edits(_ e: RouteFilter.HeaderEdits) -> [(String, JSONValue)] {
            [("set", .array(e.set.map { .object(JSONObject([("name", .string($0.name)), ("value", .string($0.value))])) })),
             ("add", .array(e.add.map { .object(JSONObject([("name", .string($0.name)), ("value", .string($0.value))])) })),
             ("remove", .array(e.remove.map { .string($0) }))]
        }
        func path(_ p: RouteFilter.PathModifier?) -> JSONValue {
            switch p {
            case .replaceFullPath(let v): return .object(JSONObject([("type", .string("ReplaceFullPath")), ("value", .string(v))]))
            case .replacePrefixMatch(let v): return .object(JSONObject([("type", .string("ReplacePrefixMatch")), ("value", .string(v))]))
            case nil: return .null
            }
        }
        switch f {
        case .requestHeaders(let e): return .object(JSONObject([("type", .string("RequestHeaderModifier"))] + edits(e)))
        case .responseHeaders(let e): return .object(JSONObject([("type", .string("ResponseHeaderModifier"))] + edits(e)))
        case .urlRewrite(let hostname, let p):
            return .object(JSONObject([("type", .string("URLRewrite")), ("hostname", hostname.map { .string($0) } ?? .null), ("path", path(p))]))
        case .redirect(let scheme, let hostname, let p, let port, let status):
            return .object(JSONObject([
                ("type", .string("RequestRedirect")), ("scheme", scheme.map { .string($0) } ?? .null),
                ("hostname", hostname.map { .string($0) } ?? .null), ("path", path(p)),
                ("port", port.map { .int($0) } ?? .null), ("statusCode", .int(status)),
            ]))
        }
    }

    static func describe(_ b: BackendTarget, weight: Int) -> JSONValue {
        switch b {
        case .mcp(let t):
            var pairs: [(String, JSONValue)] = [
                ("kind", .string("Backend")), ("name", .string(t.backendName)), ("target", .string(t.targetName)),
                ("weight", .int(weight)), ("host", .string(t.connectHost)), ("port", .int(t.connectPort)),
                ("hostHeader", .string(t.hostHeader)), ("path", .string(t.path)), ("protocol", .string(t.transport.rawValue)),
                // Names only: values may come from Secrets.
                ("headers", .array(t.headers.map { .string($0.name) })),
            ]
            if let timeout = t.timeout { pairs.append(("timeout", .string(GatewayDuration.format(timeout)))) }
            if !t.tools.include.isEmpty { pairs.append(("includeTools", .array(t.tools.include.map { .string($0) }))) }
            if !t.tools.exclude.isEmpty { pairs.append(("excludeTools", .array(t.tools.exclude.map { .string($0) }))) }
            return .object(JSONObject(pairs))
        case .multiplexed(let m):
            return .object(JSONObject([
                ("kind", .string("Backend")), ("name", .string(m.backendName)), ("weight", .int(weight)),
                ("multiplexed", .bool(true)), ("prefixMode", .string(m.prefixMode.rawValue)), ("failureMode", .string(m.failureMode.rawValue)),
                ("targets", .array(m.targets.map { describe(.mcp($0), weight: 1) })),
            ]))
        case .service(let name, let host, let port, _):
            return .object(JSONObject([("kind", .string("Service")), ("name", .string(name)), ("weight", .int(weight)),
                                       ("host", .string(host)), ("port", .int(port))]))
        }
    }

    static func describe(_ p: EffectivePolicy) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("sources", .array(p.sources.map { .string($0) }))]
        if let keys = p.apiKeys {
            pairs.append(("auth", .object(JSONObject([
                ("enabled", .bool(true)),
                ("keyCount", .int(keys.count)),
                ("header", .string(p.apiKeyHeader ?? "Authorization: Bearer")),
            ]))))
        } else {
            pairs.append(("auth", .object(JSONObject([("enabled", .bool(false))]))))
        }
        pairs.append(("rateLimits", .array(p.rateLimits.map { l in
            var items: [(String, JSONValue)] = [
                ("id", .string(l.id)), ("requests", .int(l.requests)), ("window", .string(GatewayDuration.format(l.window))),
                ("burst", .int(l.burst)), ("per", .string(l.scope.rawValue)),
            ]
            if let tool = l.tool { items.append(("tool", .string(tool))) }
            return .object(JSONObject(items))
        })))
        pairs.append(("tools", .object(JSONObject([("allow", .array(p.tools.include.map { .string($0) })),
                                                   ("deny", .array(p.tools.exclude.map { .string($0) }))]))))
        var timeouts: [(String, JSONValue)] = []
        if let t = p.requestTimeout { timeouts.append(("request", .string(GatewayDuration.format(t)))) }
        if let t = p.idleTimeout { timeouts.append(("idle", .string(GatewayDuration.format(t)))) }
        pairs.append(("timeouts", .object(JSONObject(timeouts))))
        return .object(JSONObject(pairs))
    }
}
