import AgentGWKube
import AgentGWModel
import ArgumentParser
import Foundation

/// `apply -f ...`: validate, then server-side apply in dependency order.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Validate manifests, then server-side apply them to the cluster.",
        discussion: """
        Checks the input as 'validate' does and refuses it on errors (exit 1)
        unless --validate=false. Then sends each object as a server-side apply
        (PATCH application/apply-patch+yaml, field manager kubectl-agentgw) in
        dependency order: Namespaces, CRDs, ServiceAccounts, Secrets,
        ConfigMaps, RBAC, Services, Deployments, then Backends, Gateways,
        routes and TrafficPolicies. Prints kubectl's lines, e.g.
          backend.agentgateway.alibabacloud.com/test-mcp serverside-applied
        A kind the cluster doesn't serve prints kubectl's "no matches for kind"
        error and the hint to run 'kubectl agentgw install'. A field owned by
        another manager is a conflict (exit 1) unless --force-conflicts.
        --wait waits until every applied Gateway is Programmed and prints it as
        'kubectl get gateway' does.
        Examples:
          kubectl agentgw apply -f mcp-gateway.yaml -f mcp-api-key.yaml
          kubectl agentgw apply -f manifests/ -R --dry-run=server -o yaml
          kubectl agentgw apply -f mcp-gateway.yaml --wait=2m
        """
    )

    enum ValidateMode: String, ExpressibleByArgument, CaseIterable {
        case `true`, `false`, strict, warn, ignore
    }

    enum DryRunMode: String, ExpressibleByArgument, CaseIterable { case none, server, client }

    @Option(name: [.short, .customLong("filename")], help: ArgumentHelp("A file, folder or - for stdin; repeatable.", valueName: "path"))
    var files: [String] = []
    @Flag(name: [.customShort("R"), .customLong("recursive")], help: "Recurse into folders.") var recursive = false
    @Option(name: .customLong("validate"), defaultAsFlag: ValidateMode.strict, parsing: .next,
            help: ArgumentHelp("strict (default) or true: refuse invalid input, the server checks fields strictly; warn: report and apply; false or ignore: skip the checks.", valueName: "mode"))
    var validateOption: ValidateMode? = nil
    var validateMode: ValidateMode { validateOption ?? .strict }
    @Option(name: .customLong("dry-run"), help: ArgumentHelp("none, server (the server checks without persisting) or client (nothing is sent).", valueName: "strategy"))
    var dryRun: DryRunMode = .none
    @Flag(name: .customLong("force-conflicts"), help: "Take ownership of fields other managers own.") var forceConflicts = false
    @Flag(name: .customLong("server-side"), help: "Accepted as kubectl spells it: this command always uses server-side apply.") var serverSide = false
    @Option(name: .customLong("field-manager"), help: "The field manager name.") var fieldManager = AgentGateway.fieldManager
    @Option(name: [.short, .customLong("output")], help: "Print the applied objects: yaml, json or name.") var output: ObjectFormat?
    @Option(name: .customLong("wait"), defaultAsFlag: "5m", parsing: .next,
            help: ArgumentHelp("Wait (default 5m) until applied Gateways are Programmed, then print them.", valueName: "timeout"))
    var wait: String? = nil
    @OptionGroup var kube: KubeOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one -f FILE|DIR|-") }
        if let w = wait, GoDuration.parse(w) == nil { throw ValidationError("invalid --wait \"\(w)\": use a duration such as 90s or 5m") }
        if wait != nil && dryRun != .none { throw ValidationError("--wait can't be combined with --dry-run") }
    }

    func run() async throws {
        let manifests = try ManifestInputs.load(files, recursive: recursive)
        try manifests.requireReadable()
        let config = try kube.clientConfig()
        switch validateMode {
        case .true, .strict:
            try manifests.validate(defaultNamespace: config.namespace, refuse: true, verb: "applied")
        case .warn:
            try manifests.validate(defaultNamespace: config.namespace, refuse: false, verb: "applied")
        case .false, .ignore:
            break
        }
        let fieldValidation: String = switch validateMode {
        case .true, .strict: "Strict"
        case .warn: "Warn"
        case .false, .ignore: "Ignore"
        }
        try await kube.withClient { client, config in
            var applier = Applier(client: client, fieldManager: fieldManager,
                                  namespaces: NamespacePolicy(defaultNamespace: config.namespace, enforce: kube.namespace != nil))
            applier.force = forceConflicts
            applier.fieldValidation = fieldValidation
            applier.dryRun = Applier.DryRunMode(rawValue: dryRun.rawValue) ?? .none
            applier.missingKindHint = AgentGWOrder.installHint
            let quiet = output != nil
            let results = await applier.applyAll(manifests.objects, extraOrder: AgentGWOrder.rank) { r in
                if let line = r.line, !quiet { Output.stdout(line) }
                if quiet, let o = r.object, output == .name { Output.stdout(ResourceNames.qualified(o)) }
            }
            if let output, output != .name { Self.print(results.compactMap(\.object), output) }
            let failures = results.compactMap(\.error)
            for f in failures { Output.stderr(f) }
            if !failures.isEmpty { throw ExitCode(1) }
            if let wait, let limit = GoDuration.parse(wait) {
                let gateways = results.compactMap(\.object).filter {
                    $0["kind"]?.string == "Gateway" && ($0["apiVersion"]?.string ?? "").hasPrefix(GatewayAPI.group + "/")
                }
                try await GatewayWaiter(client: client, timeout: limit).wait(for: gateways)
            }
        }
    }

    /// kubectl apply -o: one object as is, several as a `List`; keys sorted and managedFields
    /// hidden, as kubectl's printers do.
    static func print(_ objects: [Node], _ format: ObjectFormat) {
        let objects = objects.map { KubectlYAML.sortKeys(Differ.stripManagedFields($0)) }
        // kubectl's List: typed fields first in JSON, sorted keys in YAML.
        let node: Node = objects.count == 1 ? objects[0] : ["kind": "List", "apiVersion": "v1", "metadata": [:], "items": .array(objects)]
        switch format {
        case .yaml: Output.stdoutRaw(KubectlYAML.write(node))
        case .json: Output.stdout(JSONWriter.write(node))
        case .name: for o in objects { Output.stdout(ResourceNames.qualified(o)) }
        }
    }
}

/// `--wait`: polls Gateways until their Programmed condition is True, then prints them as
/// `kubectl get gateway` does.
struct GatewayWaiter {
    var client: KubeClient
    var timeout: Duration
    var interval: Duration = .milliseconds(500)

    func wait(for gateways: [Node]) async throws {
        guard !gateways.isEmpty else { return }
        let resource = try await client.resource(apiVersion: GatewayAPI.apiVersion, kind: "Gateway")
        let deadline = ContinuousClock.now + timeout
        var ready: [Node] = []
        for gw in gateways {
            let name = gw["metadata"]?["name"]?.string ?? ""
            let ns = gw["metadata"]?["namespace"]?.string
            while true {
                let live = try await client.get(resource, namespace: ns, name: name)
                if Self.programmed(live) == "True" { ready.append(live); break }
                if ContinuousClock.now >= deadline {
                    let reason = Self.condition(live, "Programmed")?["message"]?.string.flatMap { $0.isEmpty ? nil : $0 }
                    throw CLIError("timed out after \(Self.format(timeout)) waiting for gateway/\(name) to be Programmed" + (reason.map { " (\($0))" } ?? ""))
                }
                try await Task.sleep(for: interval)
            }
        }
        Output.stdoutRaw(Self.table(ready, now: Date()))
    }

    static func format(_ d: Duration) -> String {
        let s = d.components.seconds
        return s >= 60 && s % 60 == 0 ? "\(s / 60)m" : "\(s)s"
    }

    static func condition(_ gw: Node, _ type: String) -> Node? {
        gw["status"]?["conditions"]?.array?.first { $0["type"]?.string == type }
    }

    static func programmed(_ gw: Node) -> String { condition(gw, "Programmed")?["status"]?.string ?? "" }

    /// The Gateway CRD's printer columns: NAME CLASS ADDRESS PROGRAMMED AGE.
    static func table(_ gateways: [Node], now: Date) -> String {
        var rows = [["NAME", "CLASS", "ADDRESS", "PROGRAMMED", "AGE"]]
        for gw in gateways {
            let addresses = (gw["status"]?["addresses"]?.array ?? []).compactMap { $0["value"]?.string }.joined(separator: ",")
            let created = gw["metadata"]?["creationTimestamp"]?.string.flatMap(RFC3339.parse)
            rows.append([gw["metadata"]?["name"]?.string ?? "", gw["spec"]?["gatewayClassName"]?.string ?? "",
                         addresses, programmed(gw).isEmpty ? "Unknown" : programmed(gw),
                         created.map { humanDuration(now.timeIntervalSince($0)) } ?? "<unknown>"])
        }
        return tabulate(rows)
    }

    /// kubectl's tabwriter: columns padded to the widest cell plus three spaces.
    static func tabulate(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell.padding(toLength: widths[i] + 3, withPad: " ", startingAt: 0) }.joined()
        }.joined(separator: "\n") + "\n"
    }

    /// k8s.io/apimachinery duration.HumanDuration.
    static func humanDuration(_ seconds: Double) -> String {
        let s = Int(seconds)
        if s < -1 { return "<invalid>" }
        if s < 0 { return "0s" }
        if s < 120 { return "\(s)s" }
        let m = s / 60
        if m < 10 { return s % 60 == 0 ? "\(m)m" : "\(m)m\(s % 60)s" }
        if m < 180 { return "\(m)m" }
        let h = s / 3600
        if h < 8 { return m % 60 == 0 ? "\(h)h" : "\(h)h\(m % 60)m" }
        if h < 48 { return "\(h)h" }
        if h < 24 * 8 { return h % 24 == 0 ? "\(h / 24)d" : "\(h / 24)d\(h % 24)h" }
        if h < 24 * 365 * 2 { return "\(h / 24)d" }
        if h < 24 * 365 * 8 { let d = (h / 24) % 365; return d == 0 ? "\(h / 24 / 365)y" : "\(h / 24 / 365)y\(d)d" }
        return "\(h / 24 / 365)y"
    }
}

