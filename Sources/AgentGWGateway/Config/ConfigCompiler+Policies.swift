import AgentGWModel

/// One TrafficPolicy, compiled: each section is nil when the policy does not set it.
struct CompiledPolicy {
    struct Order: Comparable {
        var created: String
        var inputIndex: Int
        var name: String
        static func < (a: Order, b: Order) -> Bool { (a.created, a.inputIndex, a.name) < (b.created, b.inputIndex, b.name) }
    }

    var key: ObjectKey
    var generation = 0
    var order: Order
    var targetRefs: [WrittenRef]
    var auth: (keys: [[UInt8]], header: String?)?
    var rateLimits: [RateLimitRule]?
    var tools: ToolMatcher?
    /// `.some(nil)`: set to 0s (disabled); nil: not set.
    var requestTimeout: Duration??
    var idleTimeout: Duration??

    var name: String { "\(key.namespace)/\(key.name)" }

    func targets(route: ObjectKey) -> Bool {
        key.namespace == route.namespace && targetRefs.contains { $0.kind == "HTTPRoute" && $0.name == route.name }
    }

    /// Whether the policy targets the Gateway: with `section` nil, the whole Gateway; else the
    /// named listener.
    func targets(gateway: ObjectKey, section: String?) -> Bool {
        key.namespace == gateway.namespace && targetRefs.contains { $0.kind == "Gateway" && $0.name == gateway.name && $0.sectionName == section }
    }
}

extension Compilation {
    /// Compiles a TrafficPolicy. A policy whose API-key Secret is missing (or holds no
    /// non-empty key) is a compile error: fail closed rather than serve without auth.
    mutating func compilePolicy(_ p: TrafficPolicyResource, inputIndex: Int) -> CompiledPolicy {
        let node = p.manifest.node
        let name = "\(p.key.namespace)/\(p.key.name)"
        var policy = CompiledPolicy(key: p.key, order: .init(created: Self.created(p.manifest), inputIndex: inputIndex, name: name),
                                    targetRefs: p.targetRefs)
        policy.generation = Self.generation(p.manifest)
        let traffic: [PathComponent] = [.key("spec"), .key("traffic")]
        if let secretName = p.apiKeySecret {
            let at = node.bestMark(traffic + [.key("authentication"), .key("apiKeyAuth"), .key("secretRef"), .key("name")])
            let secretKey = ObjectKey(group: "", kind: "Secret", namespace: p.key.namespace, name: secretName)
            if let secret = secrets[secretKey] {
                let keys = secret.nonEmptyValues
                if keys.isEmpty {
                    fail("TrafficPolicy \"\(name)\": Secret \"\(secretKey.namespace)/\(secretName)\" holds no non-empty API key; refusing to serve its targets without authentication",
                         rule: "compile.secret-empty", at: at)
                }
                policy.auth = (keys, p.apiKeyHeader)
            } else {
                fail("TrafficPolicy \"\(name)\" takes API keys from Secret \"\(secretKey.namespace)/\(secretName)\", which is not in the input; refusing to serve its targets without authentication",
                     rule: "compile.secret-not-found", at: at)
                policy.auth = ([], p.apiKeyHeader)
            }
            if let header = p.apiKeyHeader, !HeaderSafety.isToken(header) {
                fail("TrafficPolicy \"\(name)\": API key header \"\(Self.printable(header))\" is not a valid HTTP field name",
                     rule: "compile.header-injection", at: node.bestMark(traffic + [.key("authentication"), .key("apiKeyAuth"), .key("header")]))
            }
        }
        if node.at(traffic + [.key("rateLimit")]) != nil {
            policy.rateLimits = p.rateLimits.enumerated().map { i, l in
                let window: Duration
                switch l.unit {
                case "Seconds": window = .seconds(1)
                case "Hours": window = .seconds(3600)
                default: window = .seconds(60)
                }
                return RateLimitRule(id: "\(name)#\(i)", requests: l.requests, window: window, burst: l.requests + max(0, l.burst ?? 0),
                                     scope: RateLimitRule.Scope(rawValue: l.per) ?? .client, tool: l.tool)
            }
        }
        if node.at(traffic + [.key("mcp"), .key("authorization")]) != nil {
            policy.tools = ToolMatcher(include: p.allowTools, exclude: p.denyTools)
        }
        if let request = p.requestTimeout { policy.requestTimeout = .some(GatewayDuration.timeout(request)) }
        if let idle = p.idleTimeout { policy.idleTimeout = .some(GatewayDuration.timeout(idle)) }
        return policy
    }

    /// The TrafficPolicy settings for a route attached through one Gateway listener.
    ///
    /// Precedence, field by field (authentication, rateLimit, mcp.authorization,
    /// timeouts.request, timeouts.idle each taken whole from the first policy that sets it):
    /// 1. policies targeting the HTTPRoute;
    /// 2. policies targeting the Gateway with `sectionName` = this listener;
    /// 3. policies targeting the whole Gateway.
    /// Within one level the oldest policy wins (`metadata.creationTimestamp`, else input
    /// order), then `namespace/name` alphabetically. So a route policy with only rate limits
    /// keeps the Gateway policy's API keys, and a route policy with its own API keys replaces
    /// the Gateway's keys (they are not merged).
    func effectivePolicy(route: ObjectKey, gateway: ObjectKey, listener: String) -> EffectivePolicy {
        let chain = policies.filter { $0.targets(route: route) }
            + policies.filter { $0.targets(gateway: gateway, section: listener) }
            + policies.filter { $0.targets(gateway: gateway, section: nil) }
        guard !chain.isEmpty else { return .open }
        var out = EffectivePolicy()
        var sources: [String] = []
        func use(_ p: CompiledPolicy) { if !sources.contains(p.name) { sources.append(p.name) } }
        if let p = chain.first(where: { $0.auth != nil }), let auth = p.auth {
            out.apiKeys = auth.keys
            out.apiKeyHeader = auth.header
            use(p)
        }
        if let p = chain.first(where: { $0.rateLimits != nil }) {
            out.rateLimits = p.rateLimits ?? []
            use(p)
        }
        if let p = chain.first(where: { $0.tools != nil }) {
            out.tools = p.tools ?? .all
            use(p)
        }
        if let p = chain.first(where: { $0.requestTimeout != nil }), let t = p.requestTimeout {
            out.requestTimeout = t
            use(p)
        }
        if let p = chain.first(where: { $0.idleTimeout != nil }), let t = p.idleTimeout {
            out.idleTimeout = t
            use(p)
        }
        out.sources = sources
        return out
    }
}
