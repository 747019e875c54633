import AgentGWKube
import AgentGWModel
import ArgumentParser

/// `describe KIND/NAME`: summary, conditions, policies in effect and warnings.
struct DescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show a Gateway, HTTPRoute, Backend or TrafficPolicy in detail, with warnings.",
        discussion: """
        Prints the object's summary and status conditions; for a route, the
        TrafficPolicies in effect (its own, then its Gateways'); for a Gateway,
        its listeners, routes and policies. Then warnings found by looking at the
        namespace: a policy that targets nothing, a missing Secret, a route that
        isn't accepted (with the controller's reason), a missing backend, a
        Gateway without status; last, the object's Events (the controller
        records ConfigRejected, ServiceCreated and ServiceConflict). Secret values
        are never read into the output.
        Without NAME it describes every object of the kind in the namespace.
        Examples:
          kubectl agentgw describe httproute/route-for-mcp-backend
          kubectl agentgw describe gateway test-mcp-gateway -n default
          kubectl agentgw describe policies
        """
    )

    @Argument(help: ArgumentHelp("KIND/NAME, or KIND [NAME].", valueName: "kind/name")) var target: String
    @Argument(help: "The name, when KIND and NAME are given apart.") var name: String?
    @OptionGroup var kube: KubeOptions

    /// `kind/name` or `kind name` → (kind, name?).
    static func parse(_ target: String, _ name: String?) throws -> (DisplayKind, String?) {
        let parts = target.split(separator: "/", maxSplits: 1).map(String.init)
        guard let kind = DisplayKind.parse(parts.first ?? "") else {
            throw ValidationError("unknown kind \"\(parts.first ?? "")\": use gateway, httproute, backend or trafficpolicy")
        }
        if parts.count == 2 {
            if name != nil { throw ValidationError("give KIND/NAME or KIND NAME, not both") }
            guard !parts[1].isEmpty else { throw ValidationError("\"\(target)\": the name is empty") }
            return (kind, parts[1])
        }
        return (kind, name)
    }

    func validate() throws { _ = try Self.parse(target, name) }

    static let eventResource = ResourceInfo(group: "", version: "v1", kind: "Event", plural: "events", namespaced: true)

    /// The object's Events, as kubectl describe finds them (field selectors on involvedObject);
    /// nil when they can't be read (RBAC), so the section is left out rather than shown empty.
    static func events(of object: Node, client: KubeClient) async -> [Node]? {
        let meta = object["metadata"]
        let namespace = meta?["namespace"]?.string ?? ""
        var selector = "involvedObject.name=\(meta?["name"]?.string ?? ""),involvedObject.namespace=\(namespace),involvedObject.kind=\(object["kind"]?.string ?? "")"
        if let uid = meta?["uid"]?.string, !uid.isEmpty { selector += ",involvedObject.uid=\(uid)" }
        return try? await client.list(eventResource, namespace: namespace, fieldSelector: selector).items
    }

    func run() async throws {
        let (kind, objectName) = try Self.parse(target, name)
        try await kube.withClient { client, config in
            var snapshot = try await ClusterFetch.snapshot(client, namespace: config.namespace, required: [kind], related: true)
            // Routes of other namespaces may attach to a Gateway (allowedRoutes): read them all
            // when RBAC allows, else keep the namespace's.
            if kind == .gateway, let routes = try? await client.resource(apiVersion: DisplayKind.route.apiVersion, kind: DisplayKind.route.kind),
               let all = try? await client.list(routes, namespace: nil).items {
                snapshot.routes = all.map { ClusterFetch.withKind($0, .route) }
            }
            var objects: [Node]
            if let objectName {
                let object = try await ClusterFetch.get(client, kind, namespace: config.namespace, name: objectName)
                snapshot = ClusterFetch.replacing(ClusterFetch.withKind(object, kind), in: snapshot)
                objects = [ClusterFetch.withKind(object, kind)]
            } else {
                objects = snapshot.objects(kind).sorted { ($0["metadata"]?["name"]?.string ?? "") < ($1["metadata"]?["name"]?.string ?? "") }
                if objects.isEmpty {
                    Output.stderr("No resources found in \(config.namespace) namespace.")
                    return
                }
            }
            var described: [String] = []
            for object in objects {
                described.append(Describer.describe(object, in: snapshot, events: await Self.events(of: object, client: client)))
            }
            Output.stdoutRaw(described.joined(separator: "\n"))
        }
    }
}
