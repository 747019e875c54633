import AgentGWMCP
import AgentGWModel

/// The compiled, immutable configuration the data plane reads. Manifests (from files now, from
/// watches later) compile into one of these; a reload swaps the whole value atomically.
public struct RuntimeConfig: Sendable {
    /// Listeners by the Gateway listener port (before `--port-map`).
    public var listeners: [Int: ListenerConfig]
    /// Increases with every successful compile.
    public var generation: Int
    /// Warnings from compiling (validate's warnings plus compile-time notes).
    public var warnings: [Diagnostic]
    /// The Gateway API status of the served objects (what `serve --kubernetes` writes).
    public var status = StatusReport()

    public init(listeners: [Int: ListenerConfig], generation: Int, warnings: [Diagnostic]) {
        self.listeners = listeners
        self.generation = generation
        self.warnings = warnings
    }
}

/// One listening port: every Gateway listener on it, and the routes attached to them.
public struct ListenerConfig: Sendable {
    public var port: Int
    /// `namespace/gateway/listener` names sharing this port (for metrics and /config).
    public var listenerNames: [String]
    public var routes: RouteTable
    /// Set when the port's listeners are HTTPS: their certificates, picked by SNI.
    public var tls: ListenerTLS?

    public init(port: Int, listenerNames: [String], routes: RouteTable, tls: ListenerTLS? = nil) {
        self.port = port
        self.listenerNames = listenerNames
        self.routes = routes
        self.tls = tls
    }
}

/// What the router needs of a request.
public struct RequestInfo: Sendable {
    public var method: String
    /// Host header without port, lowercased.
    public var host: String
    /// Path without the query string.
    public var path: String
    public var query: [(name: String, value: String)]
    public var headers: [(name: String, value: String)]

    public init(method: String, host: String, path: String, query: [(name: String, value: String)], headers: [(name: String, value: String)]) {
        self.method = method
        self.host = host
        self.path = path
        self.query = query
        self.headers = headers
    }
}

/// The rule a request matched, with what the filters need.
public struct RouteMatch: Sendable {
    public var rule: CompiledRule
    /// For PathPrefix matches, the prefix that matched (URLRewrite ReplacePrefixMatch uses it).
    public var matchedPrefix: String?

    public init(rule: CompiledRule, matchedPrefix: String?) {
        self.rule = rule
        self.matchedPrefix = matchedPrefix
    }
}

/// One HTTPRoute rule, compiled: filters, weighted backends, timeouts and the policy in effect.
public final class CompiledRule: Sendable {
    /// `namespace/name` of the HTTPRoute, and the rule's index (or name), for logs and metrics.
    public let routeName: String
    public let ruleName: String
    public let filters: [RouteFilter]
    /// Backends with their weights (weight 0 backends are kept but never picked).
    public let backends: [(backend: BackendTarget, weight: Int)]
    /// `timeouts.request` of the rule, if set.
    public let requestTimeout: Duration?
    /// `timeouts.backendRequest` of the rule, if set.
    public let backendRequestTimeout: Duration?
    public let policy: EffectivePolicy

    public init(routeName: String, ruleName: String, filters: [RouteFilter], backends: [(backend: BackendTarget, weight: Int)],
                requestTimeout: Duration?, backendRequestTimeout: Duration?, policy: EffectivePolicy) {
        self.routeName = routeName
        self.ruleName = ruleName
        self.filters = filters
        self.backends = backends
        self.requestTimeout = requestTimeout
        self.backendRequestTimeout = backendRequestTimeout
        self.policy = policy
    }
}

/// Gateway API HTTPRoute filters we apply.
public enum RouteFilter: Sendable {
    public struct HeaderEdits: Sendable {
        public var set: [(name: String, value: String)]
        public var add: [(name: String, value: String)]
        public var remove: [String]
        public init(set: [(name: String, value: String)], add: [(name: String, value: String)], remove: [String]) {
            self.set = set
            self.add = add
            self.remove = remove
        }
    }
    public enum PathModifier: Sendable {
        case replaceFullPath(String)
        case replacePrefixMatch(String)
    }

    case requestHeaders(HeaderEdits)
    case responseHeaders(HeaderEdits)
    case urlRewrite(hostname: String?, path: PathModifier?)
    case redirect(scheme: String?, hostname: String?, path: PathModifier?, port: Int?, statusCode: Int)
}

/// Where a rule sends traffic.
public enum BackendTarget: Sendable {
    /// A single-target MCP Backend: the MCP-aware proxy.
    case mcp(MCPTarget)
    /// A Backend with several targets (or `prefixMode: Always`): served as one MCP server.
    case multiplexed(MultiplexedBackend)
    /// A Service backendRef: plain HTTP proxying to `host:port` (after `--resolve`), sending
    /// `hostHeader` (the Service's cluster name and port, as curl --resolve keeps the name).
    case service(name: String, host: String, port: Int, hostHeader: String)

    public var displayName: String {
        switch self {
        case .mcp(let t): return t.backendName
        case .multiplexed(let m): return m.backendName
        case .service(let name, _, _, _): return name
        }
    }
}

/// Several MCP targets of one Backend, served as one MCP server.
public struct MultiplexedBackend: Sendable {
    public var backendName: String
    public var targets: [MCPTarget]
    public var prefixMode: PrefixMode
    public var failureMode: FailureMode

    public init(backendName: String, targets: [MCPTarget], prefixMode: PrefixMode, failureMode: FailureMode) {
        self.backendName = backendName
        self.targets = targets
        self.prefixMode = prefixMode
        self.failureMode = failureMode
    }
}

/// One MCP target of a Backend, resolved to an address.
public struct MCPTarget: Sendable {
    /// `namespace/name` of the Backend, and the target's name.
    public var backendName: String
    public var targetName: String
    /// Where to connect (after `--resolve`), and the Host header to send (the manifest's host).
    public var connectHost: String
    public var connectPort: Int
    public var hostHeader: String
    public var path: String
    public var transport: BackendResource.TargetProtocol
    /// Extra upstream headers, values resolved (from Secrets too). Never logged.
    public var headers: [(name: String, value: String)]
    public var timeout: Duration?
    public var tools: ToolMatcher
    /// The connection to the target uses TLS (its port is 443). `serverName` is the manifest's
    /// host, sent as SNI and checked against the certificate.
    public var tls: Bool
    public var serverName: String

    public init(backendName: String, targetName: String, connectHost: String, connectPort: Int, hostHeader: String, path: String,
                transport: BackendResource.TargetProtocol, headers: [(name: String, value: String)], timeout: Duration?, tools: ToolMatcher,
                tls: Bool = false, serverName: String = "") {
        self.tls = tls
        self.serverName = serverName
        self.backendName = backendName
        self.targetName = targetName
        self.connectHost = connectHost
        self.connectPort = connectPort
        self.hostHeader = hostHeader
        self.path = path
        self.transport = transport
        self.headers = headers
        self.timeout = timeout
        self.tools = tools
    }
}

/// Include/exclude lists of tool names or globs (`*`, `?`). Empty include means all.
public struct ToolMatcher: Sendable {
    public var include: [String]
    public var exclude: [String]

    public init(include: [String] = [], exclude: [String] = []) {
        self.include = include
        self.exclude = exclude
    }

    public static let all = ToolMatcher()

    public func allows(_ tool: String) -> Bool {
        if exclude.contains(where: { Glob.matches($0, tool) }) { return false }
        return include.isEmpty || include.contains(where: { Glob.matches($0, tool) })
    }
}

/// The TrafficPolicy settings in effect for a rule (route policy over gateway policy).
public struct EffectivePolicy: Sendable {
    /// The accepted API keys (as bytes, compared in constant time); nil when auth is off.
    public var apiKeys: [[UInt8]]?
    /// The header carrying the raw key; nil means `Authorization: Bearer`.
    public var apiKeyHeader: String?
    public var rateLimits: [RateLimitRule]
    public var tools: ToolMatcher
    public var requestTimeout: Duration?
    public var idleTimeout: Duration?
    /// `namespace/name` of the TrafficPolicies that contributed, for /config and logs.
    public var sources: [String]

    public init(apiKeys: [[UInt8]]? = nil, apiKeyHeader: String? = nil, rateLimits: [RateLimitRule] = [], tools: ToolMatcher = .all,
                requestTimeout: Duration? = nil, idleTimeout: Duration? = nil, sources: [String] = []) {
        self.apiKeys = apiKeys
        self.apiKeyHeader = apiKeyHeader
        self.rateLimits = rateLimits
        self.tools = tools
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
        self.sources = sources
    }

    public static let open = EffectivePolicy()
}

/// One `rateLimit.local` entry: a token bucket of `requests` per `per`-second window.
public struct RateLimitRule: Sendable {
    public enum Scope: String, Sendable { case client = "Client", apiKey = "APIKey", route = "Route" }
    /// Stable id (policy + index), so buckets survive reloads that keep the rule.
    public var id: String
    public var requests: Int
    public var window: Duration
    public var burst: Int
    public var scope: Scope
    /// Only tools/call of tools matching this name or glob count, when set.
    public var tool: String?

    public init(id: String, requests: Int, window: Duration, burst: Int, scope: Scope, tool: String?) {
        self.id = id
        self.requests = requests
        self.window = window
        self.burst = burst
        self.scope = scope
        self.tool = tool
    }
}

/// `*` and `?` globs over tool names.
public enum Glob {
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8), t = Array(text.utf8)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == UInt8(ascii: "?") || p[pi] == t[ti]) {
                pi += 1; ti += 1
            } else if pi < p.count && p[pi] == UInt8(ascii: "*") {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
