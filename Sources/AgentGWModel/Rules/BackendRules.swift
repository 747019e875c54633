/// The `x-kubernetes-validations` rules of the Backend CRD, hand-coded.
/// Rule ids: `cel.backend.*`; the messages are the CRD's own.
public struct BackendRules: KindRules {
    public var group: String { AgentGateway.group }
    public var kind: String { "Backend" }

    public init() {}

    public func check(_ object: Node) -> [Diagnostic] {
        Self.celRules.flatMap { $0.evaluate(on: object) }
    }

    /// Header names the gateway sets itself, lowercased (rule `cel.backend.header-reserved`).
    public static let reservedHeaderNames: [String] = [
        "host", "content-length", "transfer-encoding", "connection", "mcp-session-id", "mcp-protocol-version",
    ]

    private static let target: [AgentGatewayCELRule.Step] = [.key("spec"), .key("mcp"), .key("targets"), .each]

    /// The rules, in the order of their schema paths.
    public static let celRules: [AgentGatewayCELRule] = [
        AgentGatewayCELRule(
            id: "cel.backend.tools-filter",
            at: target + [.key("tools")],
            rule: "has(self.include) || has(self.exclude)",
            message: "tools must set include, exclude or both"
        ) { tools in
            tools.celHas("include") || tools.celHas("exclude") ? nil : []
        },
        AgentGatewayCELRule(
            id: "cel.backend.header-value",
            at: target + [.key("headers"), .each],
            rule: "has(self.value) != has(self.valueFrom)",
            message: "exactly one of value and valueFrom must be set"
        ) { header in
            if header.celHas("value") == header.celHas("valueFrom") {
                return header.celHas("value") ? [.key("valueFrom")] : []
            }
            return nil
        },
        AgentGatewayCELRule(
            id: "cel.backend.header-reserved",
            at: target + [.key("headers"), .each],
            rule: "!(self.name.lowerAscii() in ['host', 'content-length', 'transfer-encoding', 'connection', 'mcp-session-id', 'mcp-protocol-version'])",
            message: "header name is managed by the gateway and cannot be set"
        ) { header in
            guard let name = header["name"]?.string else { return nil }
            return reservedHeaderNames.contains(asciiLowercased(name)) ? [.key("name")] : nil
        },
        AgentGatewayCELRule(
            id: "cel.backend.mcp-for-type",
            at: [.key("spec")],
            rule: "self.type == 'MCP' ? has(self.mcp) : !has(self.mcp)",
            message: "mcp must be set if and only if type is MCP"
        ) { spec in
            guard let type = spec["type"]?.string else { return nil }
            let hasMCP = spec.celHas("mcp")
            if type == "MCP" { return hasMCP ? nil : [] }
            return hasMCP ? [.key("mcp")] : nil
        },
    ]

    /// CEL's `lowerAscii()`: lowercases A–Z only.
    static func asciiLowercased(_ s: String) -> String {
        String(decoding: s.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}
