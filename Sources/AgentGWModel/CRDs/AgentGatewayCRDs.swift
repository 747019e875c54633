/// Our CRDs, as `install crds` prints them. The validator reads their schemas from this text too,
/// so it is the single source of truth for Backend and TrafficPolicy.
public enum AgentGatewayCRDs {
    public static let yaml = ""
}
