/// The CEL rules of HTTPRoute (v1 and v1beta1 share them), hand-coded with the CRD's messages.
struct HTTPRouteRules: KindRules {
    var group: String { GatewayAPI.group }
    var kind: String { "HTTPRoute" }

    static let filterFields: [(field: String, type: String)] = [
        ("cors", "CORS"), ("requestHeaderModifier", "RequestHeaderModifier"),
        ("responseHeaderModifier", "ResponseHeaderModifier"), ("requestMirror", "RequestMirror"),
        ("requestRedirect", "RequestRedirect"), ("urlRewrite", "URLRewrite"), ("extensionRef", "ExtensionRef"),
    ]
    static let unrepeatable = ["CORS", "RequestHeaderModifier", "ResponseHeaderModifier", "RequestRedirect", "URLRewrite"]

    func check(_ object: Node) -> [Diagnostic] {
        var report = CELReport(object, kind: kind)
        guard let spec = CELNode(object)["spec"] else { return [] }
        CommonRules.parentRefs(spec["parentRefs"], &report)
        if let rules = spec["rules"] {
            let total = rules.items.reduce(0) { $0 + $1.size("matches") }
            if total > 128 {
                report.fail(rules, "total-matches",
                            "While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128")
            }
            for rule in rules.items { checkRule(rule, &report) }
        }
        return report.diagnostics
    }

    func checkRule(_ rule: CELNode, _ report: inout CELReport) {
        let filters = rule.items("filters")
        let backendRefs = rule.items("backendRefs")
        if !backendRefs.isEmpty, let redirect = filters.first(where: { $0.has("requestRedirect") }) {
            report.fail(rule, "redirect-with-backendrefs", "RequestRedirect filter must not be used together with backendRefs", at: redirect)
        }
        // A ReplacePrefixMatch rewrite needs exactly one match, of type PathPrefix.
        let matches = rule.items("matches")
        let onePrefixMatch = matches.count == 1 && matches[0]["path"]?.string("type") == "PathPrefix"
        if !onePrefixMatch {
            func replacesPrefix(_ filters: [CELNode], _ field: String) -> Bool {
                filters.filter { f in
                    guard let path = f[field]?["path"] else { return false }
                    return path.string("type") == "ReplacePrefixMatch" && path.has("replacePrefixMatch")
                }.count == 1  // CEL exists_one
            }
            if replacesPrefix(filters, "requestRedirect") {
                report.fail(rule, "redirect-prefix-match", "When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified")
            }
            if replacesPrefix(filters, "urlRewrite") {
                report.fail(rule, "rewrite-prefix-match", "When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified")
            }
            if backendRefs.filter({ replacesPrefix($0.items("filters"), "requestRedirect") }).count == 1 {
                report.fail(rule, "backend-redirect-prefix-match", "Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified")
            }
            if backendRefs.filter({ replacesPrefix($0.items("filters"), "urlRewrite") }).count == 1 {
                report.fail(rule, "backend-rewrite-prefix-match", "Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified")
            }
        }
        if let list = rule["filters"] { checkFilters(list, &report) }
        for ref in backendRefs {
            CommonRules.servicePort(ref, &report)
            if let list = ref["filters"] { checkFilters(list, &report) }
        }
        for match in matches {
            if let path = match["path"] { Self.checkPath(path, &report) }
        }
        if let timeouts = rule["timeouts"] {
            let request = timeouts.node["request"]?.string.flatMap(Durations.nanoseconds)
            let backend = timeouts.node["backendRequest"]?.string.flatMap(Durations.nanoseconds)
            if let request, let backend, request != 0, backend > request {
                report.fail(timeouts, "backend-timeout", "backendRequest timeout cannot be longer than request timeout")
            }
        }
    }

    func checkFilters(_ list: CELNode, _ report: inout CELReport) {
        let items = list.items
        if items.contains(where: { $0.string("type") == "RequestRedirect" }), items.contains(where: { $0.string("type") == "URLRewrite" }) {
            report.fail(list, "redirect-and-rewrite", "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both")
        }
        CommonRules.filterRepeats(list, Self.unrepeatable, &report)
        for filter in items {
            CommonRules.filterFields(filter, Self.filterFields, &report)
            if let cors = filter["cors"] {
                for (field, noun) in [("allowHeaders", "methods"), ("allowMethods", "methods"), ("allowOrigins", "origins")] {
                    let values = cors.items(field)
                    if values.count > 1, values.contains(where: { $0.node.string == "*" }), let node = cors[field] {
                        let name = field.prefix(1).uppercased() + field.dropFirst()
                        report.fail(node, "cors-wildcard", "\(name) cannot contain '*' alongside other \(noun)")
                    }
                }
            }
            CommonRules.requestMirror(filter, &report)
            for field in ["requestRedirect", "urlRewrite"] {
                if let path = filter[field]?["path"] { Self.checkModifierPath(path, &report) }
            }
        }
    }

    /// The four `ReplaceFullPath` / `ReplacePrefixMatch` consistency rules of a path modifier.
    static func checkModifierPath(_ path: CELNode, _ report: inout CELReport) {
        let type = path.string("type")
        for (t, field) in [("ReplaceFullPath", "replaceFullPath"), ("ReplacePrefixMatch", "replacePrefixMatch")] {
            if type == t && !path.has(field) {
                report.fail(path, "path-modifier", "\(field) must be specified when type is set to '\(t)'")
            }
            if path.has(field) && type != t {
                report.fail(path, "path-modifier", "type must be '\(t)' when \(field) is set")
            }
        }
    }

    static let pathCharacters = GoRegex(#"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$"#)

    /// The rules on `matches[].path` for Exact and PathPrefix values.
    static func checkPath(_ path: CELNode, _ report: inout CELReport) {
        let type = path.string("type")
        guard type == "Exact" || type == "PathPrefix" else {
            if type != "RegularExpression" {
                report.fail(path, "path-type", "type must be one of ['Exact', 'PathPrefix', 'RegularExpression']")
            }
            return
        }
        let value = path.string("value")
        let scope = "when type one of ['Exact', 'PathPrefix']"
        if !value.hasPrefix("/") {
            report.fail(path, "path-absolute", "value must be an absolute path and start with '/' \(scope)")
        }
        for bad in ["//", "/./", "/../", "%2f", "%2F", "#"] where value.contains(bad) {
            report.fail(path, "path-segment", "must not contain '\(bad)' \(scope)")
        }
        for bad in ["/..", "/."] where value.hasSuffix(bad) {
            report.fail(path, "path-segment", "must not end with '\(bad)' \(scope)")
        }
        if let re = pathCharacters, !re.matches(value) {
            report.fail(path, "path-characters",
                        #"must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']"#)
        }
    }
}

/// Go/CEL `duration()` parsing, for the timeout rules.
enum Durations {
    /// Nanoseconds of a Go duration string (`1h30m`, `500ms`, `1.5s`), or nil.
    static func nanoseconds(_ s: String) -> Double? {
        let units: [(String, Double)] = [("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9)]
        var rest = Substring(s)
        var sign = 1.0
        if rest.first == "-" { sign = -1; rest = rest.dropFirst() } else if rest.first == "+" { rest = rest.dropFirst() }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let unit = units.first(where: { $0.0 == unitText }) else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.1
        }
        return sign * total
    }
}
