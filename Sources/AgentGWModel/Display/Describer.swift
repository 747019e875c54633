/// `describe KIND/NAME`: the object summary, its conditions, the policies in effect (routes),
/// and analysis warnings, in kubectl describe's `Field:  value` layout.
public enum Describer {
    /// `events`: the object's Events (core/v1), shown last as kubectl does; nil leaves the
    /// section out (they could not be read).
    public static func describe(_ o: Node, in s: ClusterSnapshot, events: [Node]? = nil) -> String {
        guard let kind = DisplayKind.of(o) else { return "" }
        var lines: [(String, String)] = [
            ("Name", o.metaName),
            ("Namespace", o.metaNamespace.isEmpty ? "<none>" : o.metaNamespace),
            ("Kind", "\(kind.kind) (\(o["apiVersion"]?.string ?? kind.apiVersion))"),
            ("Labels", keyValues(o["metadata"]?["labels"])),
        ]
        if let ts = o["metadata"]?["creationTimestamp"]?.string {
            lines.append(("Created", "\(ts) (\(Summary.age(o, now: s.now)) ago)"))
        }
        var body = ""
        switch kind {
        case .gateway:
            lines += [("Class", Summary.gatewayClass(o)), ("Address", Summary.address(o) ?? "<none>"),
                      ("Programmed", Summary.conditionStatus("Programmed", o["status"]?["conditions"]))]
            body += section("Listeners", TableWriter.format(
                [["NAME", "PORT", "PROTOCOL", "HOSTNAME", "ATTACHED ROUTES"]] + (o["spec"]?["listeners"]?.array ?? []).map { l in
                    let name = l["name"]?.string ?? ""
                    let attached = o["status"]?["listeners"]?.array?.first { $0["name"]?.string == name }?["attachedRoutes"]?.int
                    return [name, l["port"]?.int.map(String.init) ?? "", l["protocol"]?.string ?? "", l["hostname"]?.string ?? "*",
                            attached.map(String.init) ?? "-"]
                }))
            body += conditions(o["status"]?["conditions"])
            let routes = s.routes(attachedTo: o).sorted { ($0.metaNamespace, $0.metaName) < ($1.metaNamespace, $1.metaName) }.map { "HTTPRoute/\($0.metaNamespace == o.metaNamespace ? "" : $0.metaNamespace + "/")\($0.metaName)" }
            body += section("Routes", routes.isEmpty ? "<none>\n" : routes.map { $0 + "\n" }.joined())
            let policies = s.policies(targetingGateway: o)
            body += section("Policies", policies.isEmpty ? "<none>\n" : policies.map { "TrafficPolicy/\($0.metaName): \(effect($0))\n" }.joined())
        case .route:
            lines += [("Hostnames", Summary.hostnames(o)), ("Parents", Summary.parents(o)),
                      ("Accepted", Summary.parentCondition("Accepted", o)), ("Resolved refs", Summary.parentCondition("ResolvedRefs", o))]
            body += section("Rules", rules(o))
            let parents = o["status"]?["parents"]?.array ?? []
            if parents.isEmpty {
                body += section("Conditions", "<none> (no controller has written status)\n")
            } else {
                for p in parents {
                    let name = p["parentRef"]?["name"]?.string ?? "?"
                    let controller = p["controllerName"]?.string.map { " (\($0))" } ?? ""
                    body += conditions(p["conditions"], title: "Conditions for Gateway/\(name)\(controller)")
                }
            }
            let policies = s.policies(for: o)
            body += section("Policies in effect", policies.isEmpty ? "<none>\n" : policies.map {
                "TrafficPolicy/\($0.policy.metaName) (via \($0.via)): \(effect($0.policy))\n"
            }.joined())
        case .backend:
            lines += [("Type", o["spec"]?["type"]?.string ?? "")]
            body += section("Targets", TableWriter.format(
                [["NAME", "HOST", "PORT", "PATH", "PROTOCOL"]] + (o["spec"]?["mcp"]?["targets"]?.array ?? []).map { t in
                    let st = t["static"]
                    let proto = st?["protocol"]?.string ?? "StreamableHTTP"
                    return [t["name"]?.string ?? "", st?["host"]?.string ?? "", st?["port"]?.int.map(String.init) ?? "",
                            st?["path"]?.string ?? (proto == "SSE" ? "/sse" : "/mcp"), proto]
                }))
            body += conditions(o["status"]?["conditions"])
        case .policy:
            lines += [("Targets", Summary.policyTargets(o)), ("Attached", Summary.policyAttached(o, s)),
                      ("Auth", Summary.auth(o)), ("Rate limit", Summary.rateLimits(o))]
            let authz = o["spec"]?["traffic"]?["mcp"]?["authorization"]
            if let allow = authz?["allowTools"]?.array?.compactMap(\.string), !allow.isEmpty { lines.append(("Allow tools", allow.joined(separator: ","))) }
            if let deny = authz?["denyTools"]?.array?.compactMap(\.string), !deny.isEmpty { lines.append(("Deny tools", deny.joined(separator: ","))) }
            if let t = o["spec"]?["traffic"]?["timeouts"] {
                lines.append(("Timeouts", [("request", t["request"]?.string), ("idle", t["idle"]?.string)].compactMap { k, v in v.map { "\(k)=\($0)" } }.joined(separator: " ")))
            }
            for a in o["status"]?["ancestors"]?.array ?? [] {
                body += conditions(a["conditions"], title: "Conditions for \(a["ancestorRef"]?["kind"]?.string ?? "Gateway")/\(a["ancestorRef"]?["name"]?.string ?? "?")")
            }
        }
        // One label width for every kind, wider only when a label needs it.
        let width = max((lines.map(\.0.count).max() ?? 0) + 2, 16)
        var out = lines.map { k, v in (k + ":").padded(to: width) + v + "\n" }.joined()
        out += body
        let warnings = Analysis.warnings(for: o, in: s)
        out += section("Warnings", warnings.isEmpty ? "<none>\n" : warnings.map { "- \($0)\n" }.joined())
        if let events { out += eventsSection(events, now: s.now) }
        return out
    }

    /// kubectl describe's Events table, oldest first: `12s (x3 over 5m)` for repeated events.
    static func eventsSection(_ events: [Node], now: Double) -> String {
        if events.isEmpty { return "Events:  <none>\n" }
        func time(_ e: Node, _ field: String) -> Double? {
            (e[field]?.string ?? e["eventTime"]?.string ?? e["metadata"]?["creationTimestamp"]?.string).flatMap(Timestamp.parse)
        }
        let sorted = events.sorted { (time($0, "lastTimestamp") ?? 0) < (time($1, "lastTimestamp") ?? 0) }
        let rows: [[String]] = sorted.map { e in
            var age = time(e, "lastTimestamp").map { HumanDuration.format(seconds: now - $0) } ?? "<unknown>"
            if let count = e["count"]?.int, count > 1, let first = time(e, "firstTimestamp") {
                age += " (x\(count) over \(HumanDuration.format(seconds: now - first)))"
            }
            let from = e["source"]?["component"]?.string ?? e["reportingComponent"]?.string ?? ""
            let message = (e["message"]?.string ?? "").replacingOccurrences(of: "\n", with: " ")
            return [e["type"]?.string ?? "", e["reason"]?.string ?? "", age, from, message]
        }
        return section("Events", TableWriter.format([["Type", "Reason", "Age", "From", "Message"], ["----", "------", "----", "----", "-------"]] + rows))
    }

    /// What a policy does, in one line: `auth APIKey(mcp-api-key); rate limit 10/Minutes`.
    static func effect(_ p: Node) -> String {
        var parts: [String] = []
        let auth = Summary.auth(p)
        if auth != "None" { parts.append("auth \(auth)") }
        let limits = Summary.rateLimits(p)
        if limits != "None" { parts.append("rate limit \(limits)") }
        let authz = p["spec"]?["traffic"]?["mcp"]?["authorization"]
        if let allow = authz?["allowTools"]?.array?.compactMap(\.string), !allow.isEmpty { parts.append("allow tools \(allow.joined(separator: ","))") }
        if let deny = authz?["denyTools"]?.array?.compactMap(\.string), !deny.isEmpty { parts.append("deny tools \(deny.joined(separator: ","))") }
        if let t = p["spec"]?["traffic"]?["timeouts"], t.entries?.isEmpty == false { parts.append("timeouts") }
        return parts.isEmpty ? "no settings" : parts.joined(separator: "; ")
    }

    static func rules(_ route: Node) -> String {
        let rules = route["spec"]?["rules"]?.array ?? []
        if rules.isEmpty { return "<none>\n" }
        var out = ""
        for (i, rule) in rules.enumerated() {
            let matches = rule["matches"]?.array ?? []
            let matchText = matches.isEmpty ? "PathPrefix /" : matches.map { m in
                var s = "\(m["path"]?["type"]?.string ?? "PathPrefix") \(m["path"]?["value"]?.string ?? "/")"
                if let method = m["method"]?.string { s += " \(method)" }
                if let headers = m["headers"]?.array, !headers.isEmpty { s += " +\(headers.count) header(s)" }
                return s
            }.joined(separator: " | ")
            let backends = (rule["backendRefs"]?.array ?? []).map { b in
                var s = "\(b["kind"]?.string ?? "Service")/\(b["name"]?.string ?? "?")"
                if let port = b["port"]?.int { s += ":\(port)" }
                return s
            }
            out += "\(i + 1). \(matchText) -> \(backends.isEmpty ? "<no backends>" : backends.joined(separator: ", "))\n"
        }
        return out
    }

    static func conditions(_ c: Node?, title: String = "Conditions") -> String {
        let list = ConditionSummary.list(c)
        if list.isEmpty { return section(title, "<none>\n") }
        return section(title, TableWriter.format([["TYPE", "STATUS", "REASON", "MESSAGE"]] + list.map { [$0.type, $0.status, $0.reason, $0.message] }))
    }

    /// A titled block with its lines indented by two spaces, as kubectl describe nests.
    static func section(_ title: String, _ text: String) -> String {
        "\(title):\n" + text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "  \($0)\n" }.joined()
    }

    static func keyValues(_ n: Node?) -> String {
        let e = n?.entries ?? []
        if e.isEmpty { return "<none>" }
        return e.map { "\($0.key)=\($0.value.string ?? "")" }.joined(separator: ",")
    }
}

extension String {
    func padded(to n: Int) -> String {
        count >= n ? self : self + String(repeating: " ", count: n - count)
    }
}
