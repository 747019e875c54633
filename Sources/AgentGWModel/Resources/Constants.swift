/// Names shared by the generators, the validator and (later) the controller.
public enum AgentGateway {
    /// API group of our CRDs.
    public static let group = "agentgateway.alibabacloud.com"
    public static let version = "v1alpha1"
    public static let apiVersion = "\(group)/\(version)"
    /// The GatewayClass the tutorial uses and `serve` answers to by default.
    public static let defaultGatewayClass = "ack-agent-gateway"
    /// The controllerName of that GatewayClass.
    public static let controllerName = "agentgateway.alibabacloud.com/gateway-controller"
    /// Field manager for server-side apply.
    public static let fieldManager = "kubectl-agentgw"
}

/// The Gateway API group and version we generate.
public enum GatewayAPI {
    public static let group = "gateway.networking.k8s.io"
    public static let version = "v1"
    public static let apiVersion = "\(group)/\(version)"
}
