/// The CEL rules of GRPCRoute (v1), hand-coded with the CRD's messages.
struct GRPCRouteRules: KindRules {
    var group: String { GatewayAPI.group }
    var kind: String { "GRPCRoute" }

    static let filterFields: [(field: String, type: String)] = [
        ("requestHeaderModifier", "RequestHeaderModifier"), ("responseHeaderModifier", "ResponseHeaderModifier"),
        ("requestMirror", "RequestMirror"), ("extensionRef", "ExtensionRef"),
    ]
    static let service = GoRegex(#"^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$"#)
    static let method = GoRegex(#"^[A-Za-z_][A-Za-z_0-9]*$"#)

    func check(_ object: Node) -> [Diagnostic] {
        var report = CELReport(object, kind: kind)
        guard let spec = CELNode(object)["spec"] else { return [] }
        CommonRules.parentRefs(spec["parentRefs"], &report)
        guard let rules = spec["rules"] else { return report.diagnostics }
        if rules.items.reduce(0, { $0 + $1.size("matches") }) > 128 {
            report.fail(rules, "total-matches",
                        "While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128")
        }
        for rule in rules.items {
            if let list = rule["filters"] { checkFilters(list, &report) }
            for ref in rule.items("backendRefs") {
                CommonRules.servicePort(ref, &report)
                if let list = ref["filters"] { checkFilters(list, &report) }
            }
            for match in rule.items("matches") {
                guard let m = match["method"] else { continue }
                if m.has("type"), !m.has("service"), !m.has("method") {
                    report.fail(m, "method-service", "One or both of 'service' or 'method' must be specified")
                }
                let exact = !m.has("type") || m.string("type") == "Exact"
                if exact, let s = m.node["service"]?.string, let re = Self.service, !re.matches(s) {
                    report.fail(m, "service-characters",
                                #"service must only contain valid characters (matching ^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$)"#)
                }
                if exact, let s = m.node["method"]?.string, let re = Self.method, !re.matches(s) {
                    report.fail(m, "method-characters", "method must only contain valid characters (matching ^[A-Za-z_][A-Za-z_0-9]*$)")
                }
            }
        }
        return report.diagnostics
    }

    func checkFilters(_ list: CELNode, _ report: inout CELReport) {
        CommonRules.filterRepeats(list, ["RequestHeaderModifier", "ResponseHeaderModifier"], &report)
        for filter in list.items {
            CommonRules.filterFields(filter, Self.filterFields, &report)
            CommonRules.requestMirror(filter, &report)
        }
    }
}
