import AgentGWKube
import AgentGWModel
import ArgumentParser

/// `delete -f ...`: removes what apply created, dependents first.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete the objects in manifests from the cluster.",
        discussion: """
        Deletes in the reverse of apply's order (policies and routes before
        Gateways and Backends, Secrets and Namespaces last), with background
        propagation, and prints kubectl's lines, e.g.
          backend.agentgateway.alibabacloud.com "test-mcp" deleted
        An object that isn't there is an error (exit 1) unless
        --ignore-not-found. Like kubectl, it then waits until the objects are
        gone (--wait=false returns at once; --timeout bounds the wait).
        Examples:
          kubectl agentgw delete -f mcp-gateway.yaml -f mcp-api-key.yaml
          kubectl agentgw delete -R -f manifests/ --ignore-not-found
        """
    )

    enum DryRunMode: String, ExpressibleByArgument, CaseIterable { case none, server }

    @Option(name: [.short, .customLong("filename")], help: ArgumentHelp("A file, folder or - for stdin; repeatable.", valueName: "path"))
    var files: [String] = []
    @Flag(name: [.customShort("R"), .customLong("recursive")], help: "Recurse into folders.") var recursive = false
    @Flag(name: .customLong("ignore-not-found"), help: "Treat objects that don't exist as deleted.") var ignoreNotFound = false
    @Option(name: .customLong("dry-run"), help: ArgumentHelp("none or server (the server checks without deleting).", valueName: "strategy"))
    var dryRun: DryRunMode = .none
    @Option(name: .customLong("cascade"), help: "background, foreground or orphan.") var cascade = "background"
    @Option(name: .customLong("wait"), defaultAsFlag: true, parsing: .next,
            help: ArgumentHelp("Wait until the objects are gone (finalizers done), as kubectl does (default true).", valueName: "bool"))
    var waitOption: Bool? = nil
    var wait: Bool { waitOption ?? true }
    @Option(name: .customLong("timeout"), help: ArgumentHelp("How long --wait waits: 30s, 5m; 0 = until done.", valueName: "duration"))
    var timeout = "0s"
    @OptionGroup var kube: KubeOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one -f FILE|DIR|-") }
        guard ["background", "foreground", "orphan"].contains(cascade) else {
            throw ValidationError("--cascade must be background, foreground or orphan, not \"\(cascade)\"")
        }
        if GoDuration.parse(timeout) == nil { throw ValidationError("invalid --timeout \"\(timeout)\": use a duration such as 30s or 5m") }
    }

    func run() async throws {
        let manifests = try ManifestInputs.load(files, recursive: recursive)
        try manifests.requireReadable()
        try await kube.withClient { client, config in
            var deleter = Deleter(client: client,
                                  namespaces: NamespacePolicy(defaultNamespace: config.namespace, enforce: kube.namespace != nil))
            deleter.ignoreNotFound = ignoreNotFound
            deleter.dryRun = dryRun == .server
            deleter.propagationPolicy = cascade.prefix(1).uppercased() + cascade.dropFirst()
            let results = await deleter.deleteAll(manifests.objects, extraOrder: AgentGWOrder.rank) { r in
                if let line = r.line { Output.stdout(line) }
            }
            let failures = results.compactMap(\.error)
            for f in failures { Output.stderr(f) }
            if !failures.isEmpty { throw ExitCode(1) }
            if wait && dryRun == .none {
                let limit = GoDuration.parse(timeout).flatMap { $0 > .zero ? $0 : nil }
                do { try await deleter.waitUntilGone(results, timeout: limit) } catch { throw CLIError(String(describing: error)) }
            }
        }
    }
}
