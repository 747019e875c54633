import AgentGWGateway
import AgentGWModel

/// Turns the cache into the compiler's input: the same `LoadedInputs` files mode reads, one
/// `Manifest` per object with the file name `cluster://<kind>/<namespace>/<name>`.
public enum ClusterInputs {
    /// The kinds the compiler reads, in the order they are handed to it.
    static let compiled: [WatchedKind] = [.gatewayClass, .referenceGrant, .backend, .gateway, .httpRoute, .trafficPolicy, .secret, .service]

    /// GatewayClasses whose `spec.controllerName` is ours.
    public static func ourClasses(_ snapshot: ObjectCache.Snapshot, controllerName: String) -> Set<String> {
        Set(snapshot.items(.gatewayClass).filter { $0["spec"]?["controllerName"]?.string == controllerName }.map(\.metaName))
    }

    /// Each Namespace's labels (for `allowedRoutes.namespaces.from: Selector`).
    public static func namespaceLabels(_ snapshot: ObjectCache.Snapshot) -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        for ns in snapshot.items(.namespace) {
            var labels: [String: String] = [:]
            for e in ns["metadata"]?["labels"]?.entries ?? [] { labels[e.key] = e.value.string ?? "" }
            out[ns.metaName] = labels
        }
        return out
    }

    /// Only our GatewayClasses and the Gateways of those classes are compiled; Secrets other than
    /// Opaque and TLS ones (service-account tokens, registry credentials) and the Services we
    /// manage are left out. Status
    /// and managedFields are stripped: the compiler reads specs.
    public static func build(_ snapshot: ObjectCache.Snapshot, classes: Set<String>, controllerName: String) -> LoadedInputs {
        var inputs = LoadedInputs()
        for kind in compiled {
            for object in snapshot.items(kind) {
                switch kind {
                case .gatewayClass:
                    guard object["spec"]?["controllerName"]?.string == controllerName else { continue }
                case .gateway:
                    guard classes.contains(object["spec"]?["gatewayClassName"]?.string ?? "") else { continue }
                case .service:
                    // Our own LoadBalancer Services are never backends: creating one (or its
                    // address arriving) needn't recompile.
                    guard ServicePlan.owner(of: object) == nil else { continue }
                case .secret:
                    let type = object["type"]?.string ?? "Opaque"
                    guard type == "Opaque" || type == "kubernetes.io/tls" else { continue }
                default: break
                }
                var node = object
                node.remove("status")
                let file = "cluster://\(kind.resource.kind.lowercased())/\(object.metaNamespace)/\(object.metaName)"
                // Findings inside the object (no positions: it came from the API) fall back to
                // the root's mark, so they name the object, and the controller can put an Event on it.
                node.mark = SourceMark(file: file, line: 1, column: 1)
                inputs.manifests.append(Manifest(node: node, file: file))
                inputs.files.append(file)
            }
        }
        return inputs
    }
}
