/// The CEL rules of the Gateway API CRDs, hand-coded.
public enum GatewayAPIRules {
    public static let all: [any KindRules] = []
}
