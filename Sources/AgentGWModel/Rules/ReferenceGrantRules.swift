/// ReferenceGrant (v1, v1beta1) has no CEL rules in Gateway API v1.6.1: its schema (required
/// `from`/`to`, 1–16 entries, group/kind/namespace patterns) says it all. This checks nothing
/// but keeps the kind's place in `GatewayAPIRules.all` for when upstream adds rules.
struct ReferenceGrantRules: KindRules {
    var group: String { GatewayAPI.group }
    var kind: String { "ReferenceGrant" }

    func check(_ object: Node) -> [Diagnostic] { [] }
}
