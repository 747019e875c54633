import AgentGWModel

/// Settings of a compile: which GatewayClasses to serve, the namespace of objects that name
/// none, and curl-style `--resolve` overrides of upstream addresses.
public struct CompileOptions: Sendable {
    /// Gateways of these classes are served; others are ignored.
    public var gatewayClasses: Set<String>
    /// Namespace for objects without `metadata.namespace`.
    public var defaultNamespace: String
    /// `"HOST:PORT"` of an upstream as written in the manifests → the address to connect to
    /// instead. `"*:PORT"` applies to every host on that port. The Host header stays the
    /// manifest's.
    public var resolve: [String: (host: String, port: Int)]
    /// Cluster mode: a reference that doesn't resolve (a parentRef no listener admits, a
    /// missing Backend) is the referring object's status, not a reason to serve nothing.
    /// Files mode refuses such input as `validate` does.
    public var referencesAsStatus = false
    /// Cluster mode: each Namespace's labels, for listeners with `allowedRoutes.namespaces.from:
    /// Selector`. nil (files mode): such listeners admit no route, with a warning.
    public var namespaceLabels: [String: [String: String]]?

    public init(gatewayClasses: Set<String> = [AgentGateway.defaultGatewayClass], defaultNamespace: String = "default",
                resolve: [String: (host: String, port: Int)] = [:]) {
        self.gatewayClasses = gatewayClasses
        self.defaultNamespace = defaultNamespace
        self.resolve = resolve
    }

    /// Parses one `--resolve` argument: `HOST:PORT:ADDR` (connect to ADDR on PORT) or
    /// `HOST:PORT:ADDR:CONNECTPORT`. ADDR may be a bracketed IPv6 address. Returns the key
    /// for `resolve` and its target, or nil when malformed.
    public static func parseResolve(_ text: String) -> (key: String, target: (host: String, port: Int))? {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, let port = Int(parts[1]), (1...65535).contains(port) else { return nil }
        var rest = Substring(parts[2])
        var addr: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            addr = rest[rest.index(after: rest.startIndex)..<close]
            rest = rest[rest.index(after: close)...]
        } else {
            addr = rest.prefix { $0 != ":" }
            rest = rest.dropFirst(addr.count)
        }
        var connectPort = port
        if !rest.isEmpty {
            guard rest.first == ":", let p = Int(rest.dropFirst()), (1...65535).contains(p) else { return nil }
            connectPort = p
        }
        guard !addr.isEmpty else { return nil }
        return ("\(parts[0].lowercased()):\(port)", (String(addr), connectPort))
    }

    /// The connect address for an upstream written as `host:port`.
    func connectAddress(host: String, port: Int) -> (host: String, port: Int) {
        resolve["\(host):\(port)"] ?? resolve["*:\(port)"] ?? (host, port)
    }
}

/// Why manifests did not compile: validate's findings (errors and warnings, exactly as
/// `validate` reports them) plus the compiler's own errors. Never contains secret values.
public struct CompileError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// The error lines, one per finding, as `validate` prints them.
    public var description: String {
        diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "\n")
    }
}

/// Compiles validated manifests into the immutable `RuntimeConfig` the data plane reads.
/// The same compiler serves files mode and cluster mode.
///
/// What is served: Gateways of the configured classes; their HTTP and HTTPS listeners, one
/// `ListenerConfig` per port; HTTPRoutes attached through `parentRefs` (sectionName, port,
/// `allowedRoutes` namespaces and kinds, hostname intersection); backendRefs to MCP Backends
/// (the first target) and Services. TrafficPolicies attach to HTTPRoutes and Gateways (see
/// `effectivePolicy` for precedence).
public enum ConfigCompiler {
    /// Validates (the same `ManifestValidator` and `ReferenceChecker` as `validate`) and
    /// compiles. Any validation error fails the compile with validate's exact diagnostics.
    public static func compile(_ inputs: LoadedInputs, options: CompileOptions, generation: Int) -> Result<RuntimeConfig, CompileError> {
        let checker = ReferenceChecker(servedClasses: options.gatewayClasses, defaultNamespace: options.defaultNamespace)
        let report = ManifestValidator(references: checker).validate(inputs)
        return compile(report, options: options, generation: generation)
    }

    /// Compiles an existing validation report (its objects carry the schema defaults).
    public static func compile(_ report: ValidationReport, options: CompileOptions, generation: Int) -> Result<RuntimeConfig, CompileError> {
        var report = report
        if options.referencesAsStatus {
            report.diagnostics = report.diagnostics.map { d in
                var d = d
                if d.severity == .error, d.rule.hasPrefix("ref.") { d.severity = .warning }
                return d
            }
        }
        if report.errorCount > 0 { return .failure(CompileError(diagnostics: report.diagnostics)) }
        var compilation = Compilation(objects: report.objects, options: options)
        let listeners = compilation.run()
        if !compilation.errors.isEmpty {
            return .failure(CompileError(diagnostics: (report.diagnostics + compilation.errors).sorted()))
        }
        var config = RuntimeConfig(listeners: listeners, generation: generation, warnings: report.diagnostics + compilation.warnings.sorted())
        config.status = compilation.statusReport()
        return .success(config)
    }
}

/// The state of one compile: the input indexed, caches, and findings.
struct Compilation {
    struct Route {
        var resource: HTTPRouteResource
        var inputIndex: Int
        var created: String
    }

    let options: CompileOptions
    var gateways: [ObjectKey: GatewayResource] = [:]
    var gatewayOrder: [ObjectKey] = []
    var routes: [Route] = []
    var backends: [ObjectKey: BackendResource] = [:]
    var services: [ObjectKey: ServiceResource] = [:]
    var secrets: [ObjectKey: SecretValues] = [:]
    var grants: [ReferenceGrantResource] = []
    var policies: [CompiledPolicy] = []
    var warnings: [Diagnostic] = []
    var errors: [Diagnostic] = []
    var ruleBodies: [ObjectKey: [RuleBody]] = [:]
    var mcpTargets: [ObjectKey: MCPTarget?] = [:]
    // Outcomes for status (see StatusReport).
    var parentOutcomes: [ObjectKey: [ParentOutcome]] = [:]
    var refProblems: [ObjectKey: (reason: String, message: String)] = [:]
    var attachedRoutes: [String: Int] = [:]
    var listenerCertificateProblems: [String: String] = [:]

    init(objects: [Manifest], options: CompileOptions) {
        self.options = options
        let ns = options.defaultNamespace
        var policyResources: [(TrafficPolicyResource, Int)] = []
        for (index, m) in objects.enumerated() {
            switch (m.group, m.kind) {
            case (GatewayAPI.group, "Gateway"):
                let g = GatewayResource(m, defaultNamespace: ns)
                if options.gatewayClasses.contains(g.gatewayClassName), gateways[g.key] == nil {
                    gateways[g.key] = g
                    gatewayOrder.append(g.key)
                }
            case (GatewayAPI.group, "HTTPRoute"):
                routes.append(Route(resource: HTTPRouteResource(m, defaultNamespace: ns), inputIndex: index, created: Self.created(m)))
            case (GatewayAPI.group, "ReferenceGrant"): grants.append(ReferenceGrantResource(m, defaultNamespace: ns))
            case (AgentGateway.group, "Backend"):
                let b = BackendResource(m, defaultNamespace: ns)
                backends[b.key] = backends[b.key] ?? b
            case (AgentGateway.group, "TrafficPolicy"): policyResources.append((TrafficPolicyResource(m, defaultNamespace: ns), index))
            case ("", "Service"): let s = ServiceResource(m, defaultNamespace: ns); services[s.key] = s
            case ("", "Secret"): let s = SecretValues(m, defaultNamespace: ns); secrets[s.key] = s
            default: break
            }
        }
        for (p, index) in policyResources { policies.append(compilePolicy(p, inputIndex: index)) }
        policies.sort { $0.order < $1.order }
    }

    static func created(_ m: Manifest) -> String { m.node["metadata"]?["creationTimestamp"]?.string ?? "" }

    static let servedProtocols: Set<String> = ["HTTP", "HTTPS"]

    /// Listeners by port, with the routes attached to them.
    mutating func run() -> [Int: ListenerConfig] {
        var names: [Int: [String]] = [:]
        var hostnames: [Int: [String?]] = [:]
        var entries: [Int: [RouteTable.Entry]] = [:]
        var certificates: [Int: [ListenerTLS.Certificate]] = [:]
        var protocols: [Int: Set<String>] = [:]
        for key in gatewayOrder {
            guard let gw = gateways[key] else { continue }
            for l in gw.listeners {
                guard Self.servedProtocols.contains(l.protocol) else {
                    warn("listener \"\(l.name)\" of Gateway \"\(key.namespace)/\(key.name)\" has protocol \(l.protocol); only HTTP and HTTPS listeners are served, so it is ignored",
                         rule: "compile.listener-protocol", at: gw.manifest.node.bestMark(l.path + [.key("protocol")]))
                    continue
                }
                protocols[l.port, default: []].insert(l.protocol)
                if protocols[l.port]?.count == 2 {
                    fail("port \(l.port) has both HTTP and HTTPS listeners; one port serves one protocol",
                         rule: "compile.listener-tls", at: gw.manifest.node.bestMark(l.path + [.key("protocol")]))
                }
                if l.protocol == "HTTPS" {
                    let listenerCerts = listenerCertificates(gw, l)
                    guard !listenerCerts.isEmpty else { continue }   // not programmed: its status says why
                    certificates[l.port, default: []] += listenerCerts
                }
                names[l.port, default: []].append("\(key.namespace)/\(key.name)/\(l.name)")
                hostnames[l.port, default: []].append(l.hostname)
                entries[l.port] = entries[l.port] ?? []
            }
        }
        for route in routes {
            for (port, list) in attach(route) { entries[port, default: []] += list }
        }
        var out: [Int: ListenerConfig] = [:]
        for (port, list) in entries {
            out[port] = ListenerConfig(port: port, listenerNames: names[port] ?? [],
                                       routes: RouteTable(entries: list, listenerHostnames: hostnames[port] ?? []),
                                       tls: certificates[port].map(ListenerTLS.init(certificates:)))
        }
        return out
    }

    /// An HTTPS listener's certificates from its `tls.certificateRefs` (kubernetes.io/tls
    /// Secrets in the input); empty when any of them is missing or unreadable.
    mutating func listenerCertificates(_ gw: GatewayResource, _ l: GatewayResource.Listener) -> [ListenerTLS.Certificate] {
        let node = gw.manifest.node
        let what = "listener \"\(l.name)\" of Gateway \"\(gw.key.namespace)/\(gw.key.name)\""
        let refsPath = l.path + [.key("tls"), .key("certificateRefs")]
        let refs = node.at(refsPath)?.array ?? []
        if refs.isEmpty {
            certificateProblem(gw, l, "\(what) is HTTPS but has no tls.certificateRefs", at: node.bestMark(l.path))
        }
        var out: [ListenerTLS.Certificate] = []
        for (i, ref) in refs.enumerated() {
            let at = node.bestMark(refsPath + [.index(i)])
            guard (ref["group"]?.string ?? "").isEmpty, (ref["kind"]?.string ?? "Secret") == "Secret", let name = ref["name"]?.string else {
                certificateProblem(gw, l, "\(what): tls.certificateRefs[\(i)] must name a core Secret", at: at)
                continue
            }
            let ns = ref["namespace"]?.string ?? gw.key.namespace
            guard let secret = secrets[ObjectKey(group: "", kind: "Secret", namespace: ns, name: name)] else {
                certificateProblem(gw, l, "\(what): certificate Secret \"\(ns)/\(name)\" is not in the input", at: at)
                continue
            }
            guard let crt = secret.value("tls.crt"), let key = secret.value("tls.key") else {
                certificateProblem(gw, l, "\(what): Secret \"\(ns)/\(name)\" has no tls.crt and tls.key (a kubernetes.io/tls Secret)", at: at)
                continue
            }
            switch ListenerTLS.parse(chainPEM: crt, keyPEM: key) {
            case .success(let parsed):
                out.append(ListenerTLS.Certificate(hostname: l.hostname, chain: parsed.chain, key: parsed.key, secret: "\(ns)/\(name)"))
            case .failure(let e):
                certificateProblem(gw, l, "\(what): Secret \"\(ns)/\(name)\": \(e.field) \(e.problem)", at: at)
            }
        }
        return refs.isEmpty || out.count == refs.count ? out : []
    }

    /// A listener whose certificate can't be loaded is not served (never in plain text, never
    /// with another listener's certificate); the others are. Its status says why.
    mutating func certificateProblem(_ gw: GatewayResource, _ l: GatewayResource.Listener, _ message: String, at mark: SourceMark?) {
        warn(message + "; the listener is not served", rule: "compile.listener-tls", at: mark)
        let key = "\(gw.key.namespace)/\(gw.key.name)/\(l.name)"
        if listenerCertificateProblems[key] == nil { listenerCertificateProblems[key] = message }
    }

    /// The route's entries per listener port, following its parentRefs.
    mutating func attach(_ route: Route) -> [Int: [RouteTable.Entry]] {
        let r = route.resource
        let node = r.manifest.node
        var out: [Int: [RouteTable.Entry]] = [:]
        var attached = Set<String>()
        for parent in r.parentRefs where parent.group == GatewayAPI.group && parent.kind == "Gateway" {
            let gwKey = ObjectKey(group: GatewayAPI.group, kind: "Gateway", namespace: parent.namespace ?? r.key.namespace, name: parent.name)
            guard let gw = gateways[gwKey] else { continue }
            let at = node.bestMark(parent.path)
            // Why this parentRef attaches nowhere, in the spec's order of precedence.
            var matchedListener = false, kindAllowed = false, namespaceAllowed = false, attachedHere = false
            for l in gw.listeners where Self.servedProtocols.contains(l.protocol)
                && listenerCertificateProblems["\(gwKey.namespace)/\(gwKey.name)/\(l.name)"] == nil {
                if let section = parent.sectionName, section != l.name { continue }
                if let port = parent.port, port != l.port { continue }
                matchedListener = true
                let kindOK = l.allowedKinds.isEmpty || l.allowedKinds.contains("HTTPRoute")
                guard kindOK else { continue }
                kindAllowed = true
                switch l.allowedFrom {
                case "All": break
                case "Selector":
                    if let labels = options.namespaceLabels {
                        guard LabelSelector.matches(l.allowedSelector, labels: labels[r.key.namespace] ?? [:]) else { continue }
                        break
                    }
                    warn("listener \"\(l.name)\" of Gateway \"\(gwKey.namespace)/\(gwKey.name)\" admits routes by namespace selector, which needs the cluster's Namespace labels; HTTPRoute \"\(r.key.namespace)/\(r.key.name)\" is not attached to it",
                         rule: "compile.selector-not-attached", at: at)
                    continue
                default:
                    guard r.key.namespace == gwKey.namespace else { continue }
                }
                namespaceAllowed = true
                guard let effective = HostnameIntersection.effective(listener: l.hostname?.lowercased(), route: r.hostnames.map { $0.lowercased() }) else { continue }
                attachedHere = true
                guard attached.insert("\(gwKey.namespace)/\(gwKey.name)/\(l.name)").inserted else { continue }
                attachedRoutes["\(gwKey.namespace)/\(gwKey.name)/\(l.name)", default: 0] += 1
                let policy = effectivePolicy(route: r.key, gateway: gwKey, listener: l.name)
                for (ruleIndex, body) in ruleBodies(for: route).enumerated() {
                    let rule = CompiledRule(routeName: "\(r.key.namespace)/\(r.key.name)", ruleName: body.name, filters: body.filters,
                                            backends: body.backends, requestTimeout: body.requestTimeout,
                                            backendRequestTimeout: body.backendRequestTimeout, policy: policy)
                    for (matchIndex, matcher) in body.matchers.enumerated() {
                        let order = RouteTable.Order(created: route.created, inputIndex: route.inputIndex,
                                                     routeName: "\(r.key.namespace)/\(r.key.name)", ruleIndex: ruleIndex, matchIndex: matchIndex)
                        out[l.port, default: []].append(RouteTable.Entry(listenerHostname: l.hostname, hostnames: effective,
                                                                         matcher: matcher, rule: rule, order: order))
                    }
                }
            }
            let outcome: ParentOutcome
            let gwName = "\(gwKey.namespace)/\(gwKey.name)"
            if attachedHere {
                outcome = ParentOutcome(ref: parent, accepted: true, reason: "Accepted", message: "Route is accepted")
            } else if !matchedListener {
                outcome = ParentOutcome(ref: parent, accepted: false, reason: "NoMatchingParent",
                                        message: "Gateway \(gwName) has no listener matching sectionName/port of this parentRef")
            } else if !kindAllowed || !namespaceAllowed {
                outcome = ParentOutcome(ref: parent, accepted: false, reason: "NotAllowedByListeners",
                                        message: "no listener of Gateway \(gwName) allows this route (its allowedRoutes kinds or namespaces)")
            } else {
                outcome = ParentOutcome(ref: parent, accepted: false, reason: "NoMatchingListenerHostname",
                                        message: "no listener hostname of Gateway \(gwName) intersects the route's hostnames")
            }
            parentOutcomes[r.key, default: []].append(outcome)
        }
        return out
    }

    mutating func warn(_ message: String, rule: String, at mark: SourceMark?) {
        let d = Diagnostic.warning(message, rule: rule, at: mark)
        if !warnings.contains(d) { warnings.append(d) }
    }

    mutating func fail(_ message: String, rule: String, at mark: SourceMark?) {
        let d = Diagnostic.error(message, rule: rule, at: mark)
        if !errors.contains(d) { errors.append(d) }
    }
}
