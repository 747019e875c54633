import AgentGWKube
import AgentGWModel
import ArgumentParser
import Foundation

/// `get gateways|routes|backends|policies|all [NAME]`: gwctl-style tables from the cluster.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "List Gateways, HTTPRoutes, Backends and TrafficPolicies with their state.",
        discussion: """
        Tables (kubectl get's layout, AGE as kubectl prints it):
          gateways  NAME CLASS ADDRESS PROGRAMMED AGE   (-o wide: LISTENERS, ATTACHED ROUTES)
          routes    NAME HOSTNAMES PARENTS ACCEPTED RESOLVED-REFS AGE   (-o wide: BACKENDS)
          backends  NAME TYPE TARGETS AGE
          policies  NAME TARGETS ATTACHED AUTH RATE-LIMIT AGE
          all       the four tables, names as resource.group/NAME
        Kind names: gateway|gateways|gw, httproute|httproutes|route|routes,
        backend|backends|agbe, trafficpolicy|trafficpolicies|policy|policies|agtp.
        -o yaml|json print the objects (managedFields left out), -o name their names.
        Examples:
          kubectl agentgw get gateways
          kubectl agentgw get routes -A -o wide
          kubectl agentgw get policy test-mcp-apikey-auth -o yaml
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case wide, yaml, json, name }

    @Argument(help: ArgumentHelp("gateways, routes, backends, policies or all.", valueName: "kind")) var kind: String
    @Argument(help: "Only this object.") var name: String?
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "List across all namespaces.") var allNamespaces = false
    @Option(name: [.short, .customLong("output")], help: "wide, yaml, json or name.") var output: Format?
    @OptionGroup var kube: KubeOptions

    func validate() throws {
        if kind.lowercased() != "all" && DisplayKind.parse(kind) == nil {
            throw ValidationError("unknown kind \"\(kind)\": use gateways, routes, backends, policies or all")
        }
        if allNamespaces && name != nil { throw ValidationError("a NAME can't be combined with -A") }
        if kind.lowercased() == "all" && name != nil { throw ValidationError("'get all' takes no NAME") }
    }

    func run() async throws {
        let kinds = DisplayKind.parse(kind).map { [$0] } ?? DisplayKind.allCases
        try await kube.withClient { client, config in
            let namespace = allNamespaces ? nil : config.namespace
            var objects: [Node]
            var snapshot: ClusterSnapshot
            if let name, let kind = kinds.first {
                let object = ClusterFetch.withKind(try await ClusterFetch.get(client, kind, namespace: config.namespace, name: name), kind)
                snapshot = try await ClusterFetch.snapshot(client, namespace: namespace, required: [])
                objects = [object]
                // The table shows the object as just fetched, with the rest for related columns.
                snapshot = ClusterFetch.replacing(object, in: snapshot)
            } else {
                snapshot = try await ClusterFetch.snapshot(client, namespace: namespace, required: kinds)
                objects = kinds.flatMap { snapshot.objects($0) }
            }
            if objects.isEmpty {
                Output.stderr(namespace.map { "No resources found in \($0) namespace." } ?? "No resources found")
                return
            }
            switch output {
            case .yaml, .json:
                let clean = objects.map(Differ.stripManagedFields)
                let node: Node = name != nil ? clean[0] : ["apiVersion": "v1", "kind": "List", "items": .array(clean), "metadata": ["resourceVersion": ""]]
                if output == .yaml { Output.stdoutRaw(YAMLWriter.write(node)) } else { Output.stdout(JSONWriter.write(node)) }
            case .name:
                for o in objects { Output.stdout(ResourceNames.qualified(o)) }
            case .wide, nil:
                let style = ResourceTable.Style(wide: output == .wide, showNamespace: allNamespaces, qualifiedNames: kinds.count > 1)
                if let name {
                    // One object: its row, computed with the rest of the namespace for related columns.
                    let rows = ResourceTable.rows(kinds[0], in: snapshot, style: style).filter { $0.first == name }
                    Output.stdoutRaw(TableWriter.format([ResourceTable.headers(kinds[0], style: style)] + rows))
                    return
                }
                let tables = kinds.compactMap { ResourceTable.render($0, in: snapshot, style: style) }
                Output.stdoutRaw(tables.joined(separator: "\n"))
            }
        }
    }
}

/// Reads what `get`, `describe` and `probe gateway/NAME` show, as a `ClusterSnapshot`.
enum ClusterFetch {
    /// The resource for a kind, or kubectl's "doesn't have a resource type" error plus our hint.
    static func resolve(_ client: KubeClient, _ kind: DisplayKind) async throws -> ResourceInfo {
        do {
            return try await client.resource(apiVersion: kind.apiVersion, kind: kind.kind)
        } catch let e as KubeError {
            if case .noMatch = e {
                let hint = kind.group == GatewayAPI.group
                    ? "install the Gateway API CRDs (v1.3.0 or later) first"
                    : AgentGWOrder.installHint
                throw CLIError("the server doesn't have a resource type \"\(kind.plural)\"\n\(hint)")
            }
            throw kubeFailure(e)
        }
    }

    /// One object, with the server's NotFound wording when it is absent.
    static func get(_ client: KubeClient, _ kind: DisplayKind, namespace: String, name: String) async throws -> Node {
        let r = try await resolve(client, kind)
        do { return try await client.get(r, namespace: namespace, name: name) } catch let e as KubeError { throw kubeFailure(e) }
    }

    /// Lists our four kinds (those in `required` must be served; the others are skipped when the
    /// cluster lacks them or forbids listing), plus Secrets (metadata only) and Services when
    /// `related` is set, for describe's analysis.
    static func snapshot(_ client: KubeClient, namespace: String?, required: [DisplayKind], related: Bool = false) async throws -> ClusterSnapshot {
        var s = ClusterSnapshot(now: Date().timeIntervalSince1970)
        for kind in DisplayKind.allCases {
            if required.contains(kind) {
                let r = try await resolve(client, kind)
                do { for o in try await client.list(r, namespace: namespace).items { s.add(withKind(o, kind)) } } catch let e as KubeError { throw kubeFailure(e) }
            } else if let r = try? await client.resource(apiVersion: kind.apiVersion, kind: kind.kind),
                      let items = try? await client.list(r, namespace: namespace).items {
                for o in items { s.add(withKind(o, kind)) }
            }
        }
        if related {
            let secrets = ResourceInfo(group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true)
            // Secrets are reduced to metadata as they arrive (ClusterSnapshot.add); their values are never kept.
            if let items = try? await client.list(secrets, namespace: namespace).items {
                for o in items { s.add(withKind(o, apiVersion: "v1", kind: "Secret")) }
            } else {
                s.secretsListed = false
            }
            let services = ResourceInfo(group: "", version: "v1", kind: "Service", plural: "services", namespaced: true)
            if let items = try? await client.list(services, namespace: namespace).items {
                for o in items { s.add(withKind(o, apiVersion: "v1", kind: "Service")) }
            }
        }
        return s
    }

    /// List items may come without apiVersion/kind (the List carries them); put them back.
    static func withKind(_ o: Node, _ kind: DisplayKind) -> Node { withKind(o, apiVersion: kind.apiVersion, kind: kind.kind) }

    static func withKind(_ o: Node, apiVersion: String, kind: String) -> Node {
        var o = o
        if o["apiVersion"]?.string == nil || o["apiVersion"]?.string == "" { o.set("apiVersion", .string(apiVersion)) }
        if o["kind"]?.string == nil || o["kind"]?.string == "" { o.set("kind", .string(kind)) }
        return o
    }

    /// The snapshot with `object` in place of its listed copy (or added).
    static func replacing(_ object: Node, in s: ClusterSnapshot) -> ClusterSnapshot {
        var out = ClusterSnapshot(now: s.now)
        out.secretsListed = s.secretsListed
        let key = (object["kind"]?.string, object["metadata"]?["namespace"]?.string, object["metadata"]?["name"]?.string)
        for kind in DisplayKind.allCases {
            for o in s.objects(kind) where (o["kind"]?.string, o["metadata"]?["namespace"]?.string, o["metadata"]?["name"]?.string) != key {
                out.add(o)
            }
        }
        out.secrets = s.secrets
        out.services = s.services
        out.add(object)
        return out
    }
}

/// Prints a server error in kubectl's own words (`Error from server (NotFound): ...`, which
/// carries no `error: ` prefix) and returns the exit to throw.
func kubeFailure(_ e: KubeError) -> ExitCode {
    Output.stderr(KubectlWording.line(for: e))
    return ExitCode(1)
}
