import AgentGWKube
import ArgumentParser
import AgentGWModel

/// `install`: put the gateway in a cluster (CRDs, GatewayClass, namespace, RBAC, session key,
/// Deployment), or print it with `-o`. `install crds` prints only the CRDs and GatewayClass.
struct InstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install the gateway in a cluster (CRDs, GatewayClass, RBAC, Deployment), or print it with -o.",
        discussion: """
        Applies with server-side apply (field manager kubectl-agentgw), dependencies
        first (the namespace and CRDs before what needs them):
        the Backend and TrafficPolicy CRDs, the GatewayClass ack-agent-gateway,
        the namespace ack-agent-gateway, the ServiceAccount agentgw with a
        least-privilege ClusterRole (read Gateway API and agentgateway resources,
        Secrets, Services, EndpointSlices, Namespaces; write their status; manage
        one LoadBalancer Service per Gateway) and a Role for Leases and Events,
        the Secret agentgw-session-key (32 random bytes shared by the replicas; an
        existing key is kept), and the Deployment agentgw running
        'kubectl-agentgw serve --kubernetes' (2 replicas, probes on /healthz and
        /readyz, metrics on port 15000, non-root, read-only root filesystem).
        The Gateway API CRDs (v1.3.0 or later) must be installed already.
        With -o yaml|json|name it prints the objects instead (a new session key
        each time). Undo with 'kubectl agentgw uninstall'.
        Examples:
          kubectl agentgw install
          kubectl agentgw install --image registry.example.com/agentgw:v0.1.0
          kubectl agentgw install -o yaml > agentgw.yaml
          kubectl agentgw install crds | kubectl apply --server-side -f -
        Flags: kubectl agentgw install all --help.
        """,
        subcommands: [InstallAll.self, InstallCRDs.self],
        defaultSubcommand: InstallAll.self
    )
}

/// `install [all]`: the whole bundle. A subcommand (the default one) rather than options on
/// `install` itself, because a parent's `-o` would swallow `install crds -o json`.
struct InstallAll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Install (or with -o print) everything: CRDs, GatewayClass, namespace, RBAC, session key, Deployment.",
        discussion: "The default of 'kubectl agentgw install'; see 'kubectl agentgw install --help'."
    )

    @Option(help: ArgumentHelp("Image with kubectl-agentgw as its entrypoint.", valueName: "image"))
    var image: String = InstallBundle.defaultImage(version: AgentGWVersion.current)
    @Option(help: "Replicas of the gateway Deployment.") var replicas: Int = 2
    @Flag(name: .customLong("skip-crds"), help: "Leave out the CRDs and the GatewayClass.") var skipCRDs = false
    @Option(name: [.short, .customLong("output")], help: "Print instead of applying: yaml, json or name.") var output: ObjectFormat?
    @Option(name: .customLong("dry-run"), help: ArgumentHelp("none, or server (the server checks without persisting).", valueName: "strategy"))
    var dryRun: InstallDryRun = .none
    @Flag(name: .customLong("force-conflicts"), help: "Take ownership of fields another manager owns (e.g. after kubectl edit).") var forceConflicts = false
    @OptionGroup var kube: KubeOptions

    enum InstallDryRun: String, ExpressibleByArgument, CaseIterable { case none, server }

    func validate() throws {
        if let ns = kube.namespace, ns != InstallBundle.namespace {
            throw ValidationError("the gateway always installs into namespace \(InstallBundle.namespace); drop -n \(ns)")
        }
        if output != nil && (dryRun != .none || forceConflicts) {
            throw ValidationError("-o prints without contacting the cluster; --dry-run and --force-conflicts apply only when installing")
        }
    }

    /// The bundle for these flags. `keepSessionKey` leaves the Secret out (it exists already).
    func objects(keepSessionKey: Bool = false) throws -> [Node] {
        var options = InstallBundle.Options(image: image, version: AgentGWVersion.current)
        options.replicas = replicas
        options.includeCRDs = !skipCRDs
        let all = try generate { () throws(GeneratorError) in try InstallBundle.objects(options) }
        guard keepSessionKey else { return all }
        return all.filter { !($0["kind"]?.string == "Secret" && $0["metadata"]?["name"]?.string == InstallBundle.sessionKeySecret) }
    }

    func run() async throws {
        if let output {
            CreateOutputOptions(output: output).print(try objects())
            return
        }
        try await install()
    }

    /// Server-side apply of the bundle, in dependency order, with kubectl's result lines.
    func install() async throws {
        try await kube.withClient { client, _ in
            // A re-install keeps the existing session key: a new one would end every open session.
            let secrets = ResourceInfo(group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true)
            let existingKey: Node?
            do { existingKey = try await client.getIfExists(secrets, namespace: InstallBundle.namespace, name: InstallBundle.sessionKeySecret) } catch let e as KubeError {
                throw kubeFailure(e)
            }
            let objects = try objects(keepSessionKey: existingKey != nil)
            var applier = Applier(client: client, fieldManager: AgentGateway.fieldManager,
                                  namespaces: NamespacePolicy(defaultNamespace: InstallBundle.namespace, enforce: false))
            applier.force = forceConflicts
            applier.dryRun = dryRun == .server ? .server : .none
            applier.missingKindHint = "install the Gateway API CRDs (v1.3.0 or later) first"
            let results = await applier.applyAll(objects.map { SourcedObject(object: $0, source: "install bundle") }, extraOrder: AgentGWOrder.rank) { r in
                if let line = r.line { Output.stdout(line) }
                if let error = r.error { Output.stderr(error) }
            }
            if existingKey != nil { Output.stdout("secret/\(InstallBundle.sessionKeySecret) unchanged (the existing session key is kept)") }
            if results.contains(where: { !$0.succeeded }) { throw ExitCode(1) }
        }
    }
}

struct InstallCRDs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crds",
        abstract: "Print the Backend and TrafficPolicy CRDs and the ack-agent-gateway GatewayClass.",
        discussion: """
        The same text the validator reads its schemas from. Apply it with:
          kubectl agentgw install crds | kubectl apply --server-side -f -
        The Gateway API CRDs (v1.3.0 or later) must be installed too.
        """
    )

    @Option(name: [.short, .customLong("output")], help: "yaml or json.") var output: ObjectFormat = .yaml

    func run() throws {
        switch output {
        case .yaml:
            Output.stdoutRaw(AgentGatewayCRDs.yaml)
        case .json, .name:
            let docs: [Node]
            do { docs = try YAMLReader.read(AgentGatewayCRDs.yaml, file: "crds") } catch { throw CLIError(error.description) }
            CreateOutputOptions(output: output).print(docs.filter { !$0.isNull })
        }
    }
}

extension CreateOutputOptions {
    init(output: ObjectFormat) {
        self.init()
        self.output = output
    }
}
