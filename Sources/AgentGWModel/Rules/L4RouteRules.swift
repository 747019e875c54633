/// The CEL rules of TLSRoute, TCPRoute and UDPRoute (v1): parentRefs sections, Service ports,
/// and TLSRoute's hostname rules.
struct L4RouteRules: KindRules {
    var group: String { GatewayAPI.group }
    let kind: String

    static let rfc1123 = GoRegex(#"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$"#)

    func check(_ object: Node) -> [Diagnostic] {
        var report = CELReport(object, kind: kind)
        guard let spec = CELNode(object)["spec"] else { return [] }
        CommonRules.parentRefs(spec["parentRefs"], &report)
        for rule in spec.items("rules") {
            for ref in rule.items("backendRefs") { CommonRules.servicePort(ref, &report) }
        }
        if kind == "TLSRoute", let hostnames = spec["hostnames"] {
            for h in hostnames.items {
                guard let name = h.node.string else { continue }
                if Formats.parseIP(name) {
                    report.fail(hostnames, "hostname-ip", "Hostnames cannot contain an IP", at: h)
                }
                if !name.contains("*") {
                    if let re = Self.rfc1123, !re.matches(name) {
                        report.fail(hostnames, "hostname-rfc1123", "Hostnames must be valid based on RFC-1123", at: h)
                    }
                } else if !name.hasPrefix("*.") || !(Self.rfc1123?.matches(String(name.dropFirst(2))) ?? true) {
                    report.fail(hostnames, "hostname-wildcard",
                                "Wildcards on hostnames must be the first label, and the rest of hostname must be valid based on RFC-1123", at: h)
                }
            }
        }
        return report.diagnostics
    }
}
