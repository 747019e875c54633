/// The `x-kubernetes-validations` rules of the TrafficPolicy CRD, hand-coded.
/// Rule ids: `cel.trafficpolicy.*`; the messages are the CRD's own.
public struct TrafficPolicyRules: KindRules {
    public var group: String { AgentGateway.group }
    public var kind: String { "TrafficPolicy" }

    public init() {}

    public func check(_ object: Node) -> [Diagnostic] {
        Self.celRules.flatMap { $0.evaluate(on: object) }
    }

    private static let traffic: [AgentGatewayCELRule.Step] = [.key("spec"), .key("traffic")]

    /// The rules, in the order of their schema paths.
    public static let celRules: [AgentGatewayCELRule] = [
        AgentGatewayCELRule(
            id: "cel.trafficpolicy.section-name",
            at: [.key("spec"), .key("targetRefs"), .each],
            rule: "self.kind == 'Gateway' || !has(self.sectionName)",
            message: "sectionName is only allowed when kind is Gateway (it names a listener)"
        ) { ref in
            ref["kind"]?.string == "Gateway" || !ref.celHas("sectionName") ? nil : [.key("sectionName")]
        },
        AgentGatewayCELRule(
            id: "cel.trafficpolicy.unique-targetrefs",
            at: [.key("spec"), .key("targetRefs")],
            rule: "self.all(a, self.exists_one(b, a.group == b.group && a.kind == b.kind && a.name == b.name && (has(a.sectionName) ? (has(b.sectionName) && a.sectionName == b.sectionName) : !has(b.sectionName))))",
            message: "targetRefs must be unique"
        ) { refs in
            Node.firstDuplicate(in: refs.array ?? []) { a, b in
                a["group"] == b["group"] && a["kind"] == b["kind"] && a["name"] == b["name"]
                    && Node.sameOptional(a, b, "sectionName")
            }
        },
        AgentGatewayCELRule(
            id: "cel.trafficpolicy.unique-rate-limits",
            at: traffic + [.key("rateLimit"), .key("local")],
            rule: "self.all(a, self.exists_one(b, a.unit == b.unit && a.per == b.per && (has(a.tool) ? (has(b.tool) && a.tool == b.tool) : !has(b.tool))))",
            message: "local rate limits must differ in unit, per or tool"
        ) { limits in
            // `per` has a default, so after defaulting it is always set; "Client" stands in
            // for it when a caller skipped defaulting.
            Node.firstDuplicate(in: limits.array ?? []) { a, b in
                a["unit"] == b["unit"] && (a["per"]?.string ?? "Client") == (b["per"]?.string ?? "Client")
                    && Node.sameOptional(a, b, "tool")
            }
        },
        AgentGatewayCELRule(
            id: "cel.trafficpolicy.authorization-nonempty",
            at: traffic + [.key("mcp"), .key("authorization")],
            rule: "has(self.allowTools) || has(self.denyTools)",
            message: "authorization must set allowTools, denyTools or both"
        ) { authz in
            authz.celHas("allowTools") || authz.celHas("denyTools") ? nil : []
        },
        AgentGatewayCELRule(
            id: "cel.trafficpolicy.authorization-overlap",
            at: traffic + [.key("mcp"), .key("authorization")],
            rule: "!has(self.allowTools) || !has(self.denyTools) || !self.allowTools.exists(t, t in self.denyTools)",
            message: "a tool must not be listed in both allowTools and denyTools"
        ) { authz in
            guard let allow = authz["allowTools"]?.array, let deny = authz["denyTools"]?.array else { return nil }
            for (j, entry) in deny.enumerated() where allow.contains(entry) {
                return [.key("denyTools"), .index(j)]
            }
            return nil
        },
        AgentGatewayCELRule(
            id: "cel.trafficpolicy.timeouts-nonempty",
            at: traffic + [.key("timeouts")],
            rule: "has(self.request) || has(self.idle)",
            message: "timeouts must set request, idle or both"
        ) { timeouts in
            timeouts.celHas("request") || timeouts.celHas("idle") ? nil : []
        },
        AgentGatewayCELRule(
            id: "cel.trafficpolicy.traffic-nonempty",
            at: traffic,
            rule: "has(self.authentication) || has(self.rateLimit) || has(self.mcp) || has(self.timeouts)",
            message: "traffic must set at least one of authentication, rateLimit, mcp or timeouts"
        ) { traffic in
            ["authentication", "rateLimit", "mcp", "timeouts"].contains(where: traffic.celHas) ? nil : []
        },
    ]
}
