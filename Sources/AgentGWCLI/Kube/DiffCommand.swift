import AgentGWKube
import AgentGWModel
import ArgumentParser
import Foundation

/// `diff -f ...`: the live objects against a server-side dry run of the local ones.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what apply would change in the cluster, as a unified diff.",
        discussion: """
        For each object: GET the live one, then a server-side apply dry run
        (dryRun=All) of the local one. Both are written as YAML under
        $TMPDIR/LIVE-<n>/ and $TMPDIR/MERGED-<n>/ (named
        <group>.<version>.<Kind>.<namespace>.<name>) with managedFields
        stripped (unless --show-managed-fields) and Secret data masked
        (***, or *** (before) / *** (after) where values differ), then
        compared with 'diff -u -N' (colored on a terminal) or
        $KUBECTL_EXTERNAL_DIFF. Exit codes, as kubectl diff: 0 no differences,
        1 differences, >1 an error.
        Examples:
          kubectl agentgw diff -f mcp-gateway.yaml
          KUBECTL_EXTERNAL_DIFF="colordiff -N -u" kubectl agentgw diff -R -f manifests/
        """
    )

    @Option(name: [.short, .customLong("filename")], help: ArgumentHelp("A file, folder or - for stdin; repeatable.", valueName: "path"))
    var files: [String] = []
    @Flag(name: [.customShort("R"), .customLong("recursive")], help: "Recurse into folders.") var recursive = false
    @Flag(name: .customLong("force-conflicts"), help: "Diff as if apply took ownership of conflicting fields.") var forceConflicts = false
    @Flag(name: .customLong("server-side"), help: "Accepted as kubectl spells it: this command always uses server-side apply.") var serverSide = false
    @Option(name: .customLong("field-manager"), help: "The field manager name.") var fieldManager = AgentGateway.fieldManager
    @Flag(name: .customLong("show-managed-fields"), help: "Keep metadata.managedFields in the compared objects.") var showManagedFields = false
    @OptionGroup var kube: KubeOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one -f FILE|DIR|-") }
    }

    func run() async throws {
        // kubectl diff: every error exits >1, reading the input and connecting included.
        let status: Int32
        do {
            status = try await diff()
        } catch let e as CLIError {
            throw CLIError(e.message, exitCode: 2)
        } catch let e as ExitCode where e.rawValue == 1 {
            throw ExitCode(2)
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// 0 same, 1 different, 2 error (already printed).
    func diff() async throws -> Int32 {
        let manifests = try ManifestInputs.load(files, recursive: recursive)
        try manifests.requireReadable()
        let status: Int32 = try await kube.withClient { client, config in
            var differ = Differ(client: client, fieldManager: fieldManager,
                                namespaces: NamespacePolicy(defaultNamespace: config.namespace, enforce: kube.namespace != nil))
            differ.force = forceConflicts
            differ.showManagedFields = showManagedFields
            differ.missingKindHint = AgentGWOrder.installHint
            await client.prefetchDiscovery(apiVersions: manifests.objects.map(\.apiVersion))
            var pairs: [DiffPair] = []
            for o in ApplyOrder.sorted(manifests.objects, extra: AgentGWOrder.rank) {
                switch await differ.pair(o) {
                case .success(let p): pairs.append(p)
                case .failure(let f):
                    Output.stderr(f.message)
                    return 2
                }
            }
            let (live, merged) = try Differ.writeTrees(pairs)
            defer {
                try? FileManager.default.removeItem(atPath: live)
                try? FileManager.default.removeItem(atPath: merged)
            }
            do {
                return try Differ.run(live: live, merged: merged, environment: ProcessInfo.processInfo.environment,
                                      color: Output.stdoutIsTerminal)
            } catch {
                Output.stderr(KubectlWording.line(for: error))
                return 2
            }
        }
        return status
    }
}
