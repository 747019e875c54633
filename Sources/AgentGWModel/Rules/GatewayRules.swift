/// The CEL rules of Gateway (gateway.networking.k8s.io, v1 and v1beta1), hand-coded.
///
/// Not covered: the `status.addresses` rule (status is the controller's, not the manifest's).
struct GatewayRules: KindRules {
    var group: String { GatewayAPI.group }
    var kind: String { "Gateway" }

    func check(_ object: Node) -> [Diagnostic] {
        var report = CELReport(object, kind: kind)
        guard let spec = CELNode(object)["spec"] else { return [] }
        if let listeners = spec["listeners"] {
            ListenerRules.check(listeners, &report)
        }
        if let addresses = spec["addresses"] {
            Self.addresses(addresses, &report)
        }
        if let infrastructure = spec["infrastructure"] {
            CommonRules.mapKeys(infrastructure["labels"], noun: "Label", &report)
            CommonRules.mapKeys(infrastructure["annotations"], noun: "Annotation", &report)
        }
        if let perPort = spec["tls"]?["frontend"]?["perPort"] {
            var seen = Set<Int>()
            for entry in perPort.items {
                if let port = entry.node["port"]?.int, !seen.insert(port).inserted {
                    report.fail(perPort, "tls-port-unique", "Port for TLS configuration must be unique within the Gateway", at: entry)
                    break
                }
            }
        }
        return report.diagnostics
    }

    static func addresses(_ list: CELNode, _ report: inout CELReport) {
        let items = list.items
        for type in ["IPAddress", "Hostname"] {
            var seen = Set<String>()
            for a in items where a.string("type") == type {
                guard let value = a.node["value"]?.string else { continue }
                if !seen.insert(value).inserted {
                    report.fail(list, "\(type.lowercased())-unique", "\(type) values must be unique", at: a)
                    break
                }
            }
        }
        for a in items where a.string("type") == "Hostname" {
            if let value = a.node["value"]?.string, let re = CommonRules.hostname, !re.matches(value) {
                report.fail(a, "address-hostname",
                            #"Hostname value must be empty or contain only valid characters (matching ^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$)"#)
            }
        }
    }
}

/// The listener rules Gateway and ListenerSet share.
enum ListenerRules {
    /// ListenerSet listeners may omit `port`; its uniqueness rule skips them, as here.
    static func check(_ list: CELNode, _ report: inout CELReport) {
        let listeners = list.items
        for l in listeners {
            let proto = l.string("protocol")
            if ["HTTP", "TCP", "UDP"].contains(proto), l.has("tls") {
                report.fail(list, "tls-not-allowed", "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']", at: l["tls"])
            }
            if proto == "HTTPS", let tls = l["tls"], !tls.isEmpty("mode"), tls.string("mode") != "Terminate" {
                report.fail(list, "https-terminate", "tls mode must be Terminate for protocol HTTPS", at: tls["mode"])
            }
            if proto == "TLS", l["tls"]?.isEmpty("mode") ?? true {
                report.fail(list, "tls-mode-required", "tls mode must be set for protocol TLS", at: l)
            }
            if ["TCP", "UDP"].contains(proto), !l.isEmpty("hostname") {
                report.fail(list, "hostname-not-allowed", "hostname must not be specified for protocols ['TCP', 'UDP']", at: l["hostname"])
            }
            if let tls = l["tls"], tls.string("mode") == "Terminate", tls.size("certificateRefs") == 0, tls.size("options") == 0 {
                report.fail(tls, "terminate-certificates", "certificateRefs or options must be specified when mode is Terminate")
            }
        }
        var names = Set<String>()
        for l in listeners where !names.insert(l.string("name")).inserted {
            report.fail(list, "name-unique", "Listener name must be unique within the Gateway", at: l)
            break
        }
        // port + protocol + hostname, where an unset hostname only equals another unset one.
        var combos = Set<String>()
        for l in listeners {
            guard let port = l.node["port"]?.int else { continue }
            let host = l.node["hostname"]?.string.map { "=" + $0 } ?? "-"
            if !combos.insert("\(port)/\(l.string("protocol"))/\(host)").inserted {
                report.fail(list, "port-protocol-hostname-unique",
                            "Combination of port, protocol and hostname must be unique for each listener", at: l)
                break
            }
        }
    }
}
