/// Hand-coded equivalents of one kind's CEL rules (`x-kubernetes-validations`) and the other
/// checks an API server makes that a plain OpenAPI schema cannot express.
///
/// There is no CEL engine for Swift, so each rule is written out once here, with the CRD's own
/// message, and tested against the upstream invalid examples.
public protocol KindRules: Sendable {
    /// API group of the kind, e.g. `gateway.networking.k8s.io`.
    var group: String { get }
    /// The kind, e.g. `Gateway`.
    var kind: String { get }
    /// Checks an object that already passed its schema and has its defaults applied.
    func check(_ object: Node) -> [Diagnostic]
}
