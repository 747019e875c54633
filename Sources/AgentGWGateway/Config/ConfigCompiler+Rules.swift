import AgentGWModel

/// The parts of an HTTPRoute rule that do not depend on the listener it is attached through.
struct RuleBody {
    var name: String
    var matchers: [RequestMatcher]
    var filters: [RouteFilter]
    var backends: [(backend: BackendTarget, weight: Int)]
    var requestTimeout: Duration?
    var backendRequestTimeout: Duration?
}

extension Compilation {
    /// The route's rules, compiled once per compile (warnings and errors reported once).
    mutating func ruleBodies(for route: Route) -> [RuleBody] {
        let r = route.resource
        if let cached = ruleBodies[r.key] { return cached }
        var bodies: [RuleBody] = []
        for (index, rule) in r.rules.enumerated() {
            let node = rule.node
            let timeouts = node["timeouts"]
            bodies.append(RuleBody(
                name: node["name"]?.string ?? String(index),
                matchers: matchers(rule, route: r),
                filters: filters(rule, route: r),
                backends: rule.backendRefs.compactMap { ref in
                    guard let target = backendTarget(ref, route: r) else { return nil }
                    return (target, r.manifest.node.at(ref.path)?["weight"]?.int ?? 1)
                },
                requestTimeout: GatewayDuration.timeout(timeouts?["request"]?.string),
                backendRequestTimeout: GatewayDuration.timeout(timeouts?["backendRequest"]?.string)))
            if rule.backendRefs.count > 0, bodies[index].backends.isEmpty {
                warn("no backendRef of rule \(bodies[index].name) of HTTPRoute \"\(r.key.namespace)/\(r.key.name)\" resolves; its requests get 500",
                     rule: "compile.rule-without-backends", at: r.manifest.node.bestMark(rule.path + [.key("backendRefs")]))
            }
        }
        ruleBodies[r.key] = bodies
        return bodies
    }

    // MARK: Matches

    mutating func matchers(_ rule: HTTPRouteResource.Rule, route r: HTTPRouteResource) -> [RequestMatcher] {
        let items = rule.node["matches"]?.array ?? []
        if items.isEmpty { return [.everything] }
        var out: [RequestMatcher] = []
        for (i, m) in items.enumerated() {
            let at = r.manifest.node.bestMark(rule.path + [.key("matches"), .index(i)])
            let type = m["path"]?["type"]?.string ?? "PathPrefix"
            let value = m["path"]?["value"]?.string ?? "/"
            let path: RequestMatcher.PathMatch
            switch type {
            case "Exact": path = .exact(value)
            case "RegularExpression":
                guard let re = CompiledRegex(fullMatch: value) else {
                    warn("path regular expression \"\(value)\" uses syntax the gateway does not support (RE2 without \\p{…} or \\Q…\\E); this match never matches",
                         rule: "compile.unsupported-regex", at: at)
                    continue
                }
                path = .regularExpression(re)
            default: path = .prefix(value)
            }
            var ok = true
            func fields(_ key: String) -> [RequestMatcher.FieldMatch] {
                (m[key]?.array ?? []).compactMap { f in
                    guard let name = f["name"]?.string, let value = f["value"]?.string else { return nil }
                    if f["type"]?.string == "RegularExpression" {
                        guard let re = CompiledRegex(fullMatch: value) else { ok = false; return nil }
                        return .init(name: name, value: .regularExpression(re))
                    }
                    return .init(name: name, value: .exact(value))
                }
            }
            let headers = fields("headers"), query = fields("queryParams")
            guard ok else {
                warn("a header or query parameter regular expression uses syntax the gateway does not support; this match never matches",
                     rule: "compile.unsupported-regex", at: at)
                continue
            }
            out.append(RequestMatcher(path: path, method: m["method"]?.string?.uppercased(), headers: headers, queryParams: query))
        }
        return out
    }

    // MARK: Filters

    mutating func filters(_ rule: HTTPRouteResource.Rule, route r: HTTPRouteResource) -> [RouteFilter] {
        var out: [RouteFilter] = []
        for (i, f) in (rule.node["filters"]?.array ?? []).enumerated() {
            let path = rule.path + [.key("filters"), .index(i)]
            let at = r.manifest.node.bestMark(path)
            let type = f["type"]?.string ?? ""
            switch type {
            case "RequestHeaderModifier":
                if let edits = headerEdits(f["requestHeaderModifier"], route: r, at: at) { out.append(.requestHeaders(edits)) }
            case "ResponseHeaderModifier":
                if let edits = headerEdits(f["responseHeaderModifier"], route: r, at: at) { out.append(.responseHeaders(edits)) }
            case "URLRewrite":
                let u = f["urlRewrite"] ?? .null
                let modifier = pathModifier(u["path"], route: r, at: at)
                guard modifier.ok else { continue }
                out.append(.urlRewrite(hostname: u["hostname"]?.string, path: modifier.modifier))
            case "RequestRedirect":
                let rr = f["requestRedirect"] ?? .null
                let modifier = pathModifier(rr["path"], route: r, at: at)
                guard modifier.ok else { continue }
                out.append(.redirect(scheme: rr["scheme"]?.string, hostname: rr["hostname"]?.string, path: modifier.modifier,
                                     port: rr["port"]?.int, statusCode: rr["statusCode"]?.int ?? RouteFilter.defaultRedirectStatus))
            default:
                warn("HTTPRoute \"\(r.key.namespace)/\(r.key.name)\": filter type \(type) is not supported by kubectl-agentgw; it is ignored",
                     rule: "compile.filter-unsupported", at: at)
            }
        }
        return out
    }

    /// A header modifier's edits, or nil (with an error) when a name or value could inject
    /// header lines.
    mutating func headerEdits(_ node: Node?, route r: HTTPRouteResource, at: SourceMark?) -> RouteFilter.HeaderEdits? {
        let node = node ?? .null
        func pairs(_ key: String) -> [(name: String, value: String)] {
            (node[key]?.array ?? []).compactMap { p in
                guard let name = p["name"]?.string else { return nil }
                return (name, p["value"]?.string ?? "")
            }
        }
        let set = pairs("set"), add = pairs("add")
        let remove = node["remove"]?.array?.compactMap(\.string) ?? []
        var ok = true
        for (name, value) in set + add where !HeaderSafety.isToken(name) || !HeaderSafety.isSafeValue(value) {
            fail("HTTPRoute \"\(r.key.namespace)/\(r.key.name)\": header \"\(Self.printable(name))\" has a name or value that is not a valid HTTP field (control characters such as CR, LF or NUL are not allowed)",
                 rule: "compile.header-injection", at: at)
            ok = false
        }
        for name in remove where !HeaderSafety.isToken(name) {
            fail("HTTPRoute \"\(r.key.namespace)/\(r.key.name)\": header name \"\(Self.printable(name))\" to remove is not a valid HTTP field name",
                 rule: "compile.header-injection", at: at)
            ok = false
        }
        return ok ? RouteFilter.HeaderEdits(set: set, add: add, remove: remove) : nil
    }

    /// The filter's path modifier (nil when none is set); `ok` is false (with an error) when
    /// the path is unsafe.
    mutating func pathModifier(_ node: Node?, route r: HTTPRouteResource, at: SourceMark?) -> (ok: Bool, modifier: RouteFilter.PathModifier?) {
        guard let node, node.isObject else { return (true, nil) }
        let modifier: RouteFilter.PathModifier?
        let text: String
        switch node["type"]?.string {
        case "ReplaceFullPath": text = node["replaceFullPath"]?.string ?? "/"; modifier = .replaceFullPath(text)
        case "ReplacePrefixMatch": text = node["replacePrefixMatch"]?.string ?? "/"; modifier = .replacePrefixMatch(text)
        default: return (true, nil)
        }
        guard HeaderSafety.isSafeValue(text), !text.contains(" ") else {
            fail("HTTPRoute \"\(r.key.namespace)/\(r.key.name)\": path \"\(Self.printable(text))\" contains spaces or control characters",
                 rule: "compile.header-injection", at: at)
            return (false, nil)
        }
        return (true, modifier)
    }

    /// Text for a message with control characters escaped (so a finding stays one line).
    static func printable(_ s: String) -> String {
        String(s.unicodeScalars.flatMap { u -> [Character] in
            u.value < 0x20 || u.value == 0x7F ? Array("\\x" + (u.value < 16 ? "0" : "") + String(u.value, radix: 16, uppercase: true)) : [Character(u)]
        })
    }
}
