/// The CEL rules of the Gateway API CRDs, hand-coded.
public enum GatewayAPIRules {
    public static let all: [any KindRules] = [
        GatewayClassRules(), GatewayRules(), ListenerSetRules(), HTTPRouteRules(), GRPCRouteRules(),
        L4RouteRules(kind: "TLSRoute"), L4RouteRules(kind: "TCPRoute"), L4RouteRules(kind: "UDPRoute"),
        ReferenceGrantRules(), BackendTLSPolicyRules(),
    ]
}
