/// The rules of our own CRDs (Backend, TrafficPolicy).
public enum AgentGatewayRules {
    public static let all: [any KindRules] = []
}
