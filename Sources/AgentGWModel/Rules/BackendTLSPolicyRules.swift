/// The CEL rules of BackendTLSPolicy (v1), hand-coded with the CRD's messages.
struct BackendTLSPolicyRules: KindRules {
    var group: String { GatewayAPI.group }
    var kind: String { "BackendTLSPolicy" }

    func check(_ object: Node) -> [Diagnostic] {
        var report = CELReport(object, kind: kind)
        guard let spec = CELNode(object)["spec"] else { return [] }
        CommonRules.parentRefs(spec["targetRefs"], &report, noun: "targetRefs", target: "target", namespaced: false)
        guard let validation = spec["validation"] else { return report.diagnostics }
        let hasRefs = validation.size("caCertificateRefs") > 0
        let hasWellKnown = !validation.isEmpty("wellKnownCACertificates")
        if hasRefs && hasWellKnown {
            report.fail(validation, "ca-exclusive", "must not contain both CACertificateRefs and WellKnownCACertificates")
        }
        if !hasRefs && !hasWellKnown {
            report.fail(validation, "ca-required", "must specify either CACertificateRefs or WellKnownCACertificates")
        }
        for san in validation.items("subjectAltNames") {
            let type = san.string("type")
            for (t, field, name) in [("Hostname", "hostname", "Hostname"), ("URI", "uri", "URI")] {
                if type == t && san.isEmpty(field) {
                    report.fail(san, "san-\(field)", "SubjectAltName element must contain \(name), if Type is set to \(t)")
                }
                if type != t && !san.isEmpty(field) {
                    report.fail(san, "san-\(field)", "SubjectAltName element must not contain \(name), if Type is not set to \(t)")
                }
            }
        }
        return report.diagnostics
    }
}
