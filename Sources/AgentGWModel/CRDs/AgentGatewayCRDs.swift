/// Our CRDs, as `install crds` prints them. The validator reads their schemas from this text too,
/// so it is the single source of truth for Backend and TrafficPolicy.
///
/// The text holds three documents: the Backend CRD, the TrafficPolicy CRD and the GatewayClass
/// `ack-agent-gateway` that the tutorial's Gateway names. Every `x-kubernetes-validations` rule
/// here has a hand-coded twin in `BackendRules` / `TrafficPolicyRules` with the same message;
/// a test keeps the two lists equal. Field reference: `docs/resources.md`.
public enum AgentGatewayCRDs {
    /// `metadata.name` of the Backend CRD.
    public static let backendCRDName = "backends.\(AgentGateway.group)"
    /// `metadata.name` of the TrafficPolicy CRD.
    public static let trafficPolicyCRDName = "trafficpolicies.\(AgentGateway.group)"
    /// The category both CRDs join, so `kubectl get agentgateway` lists them together.
    public static let category = "agentgateway"

    /// The CRDs and the GatewayClass as one multi-document YAML text.
    /// The CRDs and the GatewayClass as one multi-document YAML text.
    public static let yaml = backendCRDYAML + "\n---\n" + trafficPolicyCRDYAML + "\n---\n" + gatewayClassYAML
}

extension AgentGatewayCRDs {
    /// The GatewayClass `ack-agent-gateway`, served by kubectl-agentgw.
    static let gatewayClassYAML = #"""
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: \#(AgentGateway.defaultGatewayClass)
spec:
  controllerName: \#(AgentGateway.controllerName)
  description: MCP gateway of ack-agent-gateway (kubectl agentgw serve).

"""#
}
