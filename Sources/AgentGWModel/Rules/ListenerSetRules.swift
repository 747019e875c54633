/// The CEL rules of ListenerSet (v1): the listener rules it shares with Gateway.
struct ListenerSetRules: KindRules {
    var group: String { GatewayAPI.group }
    var kind: String { "ListenerSet" }

    func check(_ object: Node) -> [Diagnostic] {
        var report = CELReport(object, kind: kind)
        if let listeners = CELNode(object)["spec"]?["listeners"] {
            ListenerRules.check(listeners, &report)
        }
        return report.diagnostics
    }
}
