import AgentGWKube
import AgentGWModel
import ArgumentParser

/// `uninstall`: remove what `install` put in the cluster.
struct UninstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "Remove the gateway's Deployment, session key, RBAC and namespace (and with --crds, the CRDs).",
        discussion: """
        Deletes, in reverse install order: the Deployment agentgw, the Secret
        agentgw-session-key, the Role(Binding) and ClusterRole(Binding) agentgw, the
        ServiceAccount, and the namespace ack-agent-gateway. Objects already gone
        are skipped. Your Gateways, HTTPRoutes, Backends and TrafficPolicies stay.
        --crds also deletes the GatewayClass ack-agent-gateway and the Backend and
        TrafficPolicy CRDs, and with them EVERY Backend and TrafficPolicy in the
        cluster.
        Examples:
          kubectl agentgw uninstall
          kubectl agentgw uninstall --crds --dry-run=server
        """
    )

    enum DryRun: String, ExpressibleByArgument, CaseIterable { case none, server }

    @Flag(help: "Also delete the CRDs (and all Backends and TrafficPolicies) and the GatewayClass.") var crds = false
    @Option(name: .customLong("dry-run"), help: ArgumentHelp("none, or server (the server checks without deleting).", valueName: "strategy"))
    var dryRun: DryRun = .none
    @OptionGroup var kube: KubeOptions

    func run() async throws {
        var options = InstallBundle.Options(image: InstallBundle.defaultImage(version: AgentGWVersion.current), version: AgentGWVersion.current)
        options.includeCRDs = crds
        // The key is irrelevant for deleting; a fixed one avoids drawing random bytes.
        options.sessionKeyHex = String(repeating: "0", count: 64)
        let objects = try generate { () throws(GeneratorError) in try InstallBundle.objects(options) }
        try await kube.withClient { client, _ in
            var deleter = Deleter(client: client, namespaces: NamespacePolicy(defaultNamespace: InstallBundle.namespace, enforce: false))
            deleter.ignoreNotFound = true
            deleter.dryRun = dryRun == .server
            var failed = false
            let results = await deleter.deleteAll(objects.map { SourcedObject(object: $0, source: "install bundle") }, extraOrder: AgentGWOrder.rank) { r in
                if let line = r.line { Output.stdout(line) }
                if let error = r.error { Output.stderr(error); failed = true }
            }
            if results.allSatisfy({ $0.line == nil && $0.error == nil }) {
                Output.stderr("nothing to uninstall: kubectl-agentgw is not installed in this cluster")
            }
            if failed { throw ExitCode(1) }
        }
    }
}
