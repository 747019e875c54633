/// GatewayClass (v1, v1beta1) has one CEL rule, `spec.controllerName: Value is immutable`
/// (`self == oldSelf`). It is a transition rule: it needs the stored object, so an offline check
/// of a manifest cannot apply it. The schema (the controllerName pattern) covers the rest.
struct GatewayClassRules: KindRules {
    var group: String { GatewayAPI.group }
    var kind: String { "GatewayClass" }

    func check(_ object: Node) -> [Diagnostic] { [] }

    /// The transition rule, for callers that have the stored object (e.g. a fake API server).
    static func checkUpdate(old: Node, new: Node) -> [Diagnostic] {
        guard let before = old["spec"]?["controllerName"], let after = new["spec"]?["controllerName"], before != after else { return [] }
        return [.error("spec.controllerName: Invalid value: \(SchemaValidator.render(after)): Value is immutable",
                       rule: "cel.gatewayclass.controller-name-immutable", at: new.bestMark([.key("spec"), .key("controllerName")]))]
    }
}
