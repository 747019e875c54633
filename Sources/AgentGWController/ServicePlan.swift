import AgentGWModel

/// What to do to the LoadBalancer Services of the served Gateways.
public enum ServiceAction: Sendable {
    case create(Node)
    /// A merge patch for an existing Service.
    case update(namespace: String, name: String, patch: Node)
    case delete(namespace: String, name: String)
}

/// One LoadBalancer Service per served Gateway: its ports are the Gateway's HTTP/HTTPS listener
/// ports, its selector the data-plane pods' labels. In the Gateway's namespace it is owned by the
/// Gateway (ownerReference, so the garbage collector removes it too); the controller also deletes
/// it explicitly when the Gateway goes. The Service's `status.loadBalancer.ingress` becomes the
/// Gateway's `status.addresses`.
public struct ServicePlan: Sendable {
    public static let managedByLabel = "app.kubernetes.io/managed-by"
    public static let managedByValue = "kubectl-agentgw"
    public static let gatewayNameLabel = "gateway.networking.k8s.io/gateway-name"
    public static let gatewayNamespaceLabel = "agentgateway.alibabacloud.com/gateway-namespace"

    /// The data-plane pods' labels (the install bundle's Deployment selector).
    public var selector: [String: String]
    /// Where the Services go; nil = each Gateway's own namespace (then owned by the Gateway).
    public var namespace: String?

    public init(selector: [String: String], namespace: String?) {
        self.selector = selector
        self.namespace = namespace
    }

    /// `agentgw-<gateway>`, a DNS label of at most 63 characters.
    public static func serviceName(_ gatewayNamespace: String, _ gateway: String) -> String {
        var name = "agentgw-\(gateway)"
        if name.count > 63 { name = String(name.prefix(63)) }
        while name.hasSuffix("-") || name.hasSuffix(".") { name.removeLast() }
        return name.replacingOccurrences(of: ".", with: "-")
    }

    static func labelValue(_ s: String) -> String {
        var v = String(s.prefix(63))
        while let last = v.last, !(last.isLetter || last.isNumber) { v.removeLast() }
        return v
    }

    public func serviceNamespace(forGatewayIn ns: String) -> String { namespace ?? ns }

    /// The Service a Gateway should have.
    public func desired(gateway: Node) -> Node {
        let gwNS = gateway.metaNamespace, gwName = gateway.metaName
        let ns = serviceNamespace(forGatewayIn: gwNS)
        var meta: Node = [
            "name": .string(Self.serviceName(gwNS, gwName)),
            "namespace": .string(ns),
            "labels": [
                Self.managedByLabel: .string(Self.managedByValue),
                Self.gatewayNameLabel: .string(Self.labelValue(gwName)),
                Self.gatewayNamespaceLabel: .string(Self.labelValue(gwNS)),
            ],
        ]
        if ns == gwNS, let uid = gateway["metadata"]?["uid"]?.string {
            meta.set("ownerReferences", [[
                "apiVersion": .string(GatewayAPI.apiVersion), "kind": "Gateway", "name": .string(gwName), "uid": .string(uid),
                "controller": true, "blockOwnerDeletion": true,
            ]])
        }
        var ports: [Node] = []
        var seen = Set<Int>()
        for l in gateway["spec"]?["listeners"]?.array ?? [] {
            guard let port = l["port"]?.int, ["HTTP", "HTTPS"].contains(l["protocol"]?.string ?? ""), seen.insert(port).inserted else { continue }
            ports.append(["name": .string("port-\(port)"), "port": .int(port), "targetPort": .int(port), "protocol": "TCP"])
        }
        return [
            "apiVersion": "v1", "kind": "Service", "metadata": meta,
            "spec": [
                "type": "LoadBalancer",
                "selector": .object(selector.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }),
                "ports": .array(ports),
            ],
        ]
    }

    /// Whether a live Service is one of ours, and for which Gateway (`namespace/name`).
    public static func owner(of service: Node) -> String? {
        let labels = service["metadata"]?["labels"]
        guard labels?[managedByLabel]?.string == managedByValue, let name = labels?[gatewayNameLabel]?.string else { return nil }
        return "\(labels?[gatewayNamespaceLabel]?.string ?? service.metaNamespace)/\(name)"
    }

    /// The actions that make the live Services match the served Gateways.
    public func actions(gateways: [Node], services: [Node]) -> (actions: [ServiceAction], conflicts: [String]) {
        var out: [ServiceAction] = []
        var conflicts: [String] = []
        var wanted = Set<String>()
        let live = Dictionary(services.map { ("\($0.metaNamespace)/\($0.metaName)", $0) }, uniquingKeysWith: { a, _ in a })
        for gw in gateways {
            let want = desired(gateway: gw)
            let key = "\(want.metaNamespace)/\(want.metaName)"
            wanted.insert(key)
            guard let have = live[key] else { out.append(.create(want)); continue }
            guard Self.owner(of: have) == "\(gw.metaNamespace)/\(gw.metaName)" else {
                conflicts.append("Service \(key) exists and is not managed by kubectl-agentgw; Gateway \(gw.metaNamespace)/\(gw.metaName) gets no address")
                continue
            }
            if !Self.matches(have, want) {
                out.append(.update(namespace: want.metaNamespace, name: want.metaName, patch: [
                    "metadata": ["labels": want["metadata"]?["labels"] ?? [:], "ownerReferences": want["metadata"]?["ownerReferences"] ?? .null],
                    "spec": ["type": "LoadBalancer", "selector": want["spec"]?["selector"] ?? [:], "ports": want["spec"]?["ports"] ?? []],
                ]))
            }
        }
        for s in services where Self.owner(of: s) != nil && !wanted.contains("\(s.metaNamespace)/\(s.metaName)") {
            out.append(.delete(namespace: s.metaNamespace, name: s.metaName))
        }
        return (out, conflicts)
    }

    /// Compares what we set (the server may add clusterIP, nodePorts and more).
    static func matches(_ have: Node, _ want: Node) -> Bool {
        let ports = (have["spec"]?["ports"]?.array ?? []).map { p -> Node in
            ["name": p["name"] ?? "", "port": p["port"] ?? .null, "targetPort": p["targetPort"] ?? .null, "protocol": p["protocol"] ?? "TCP"]
        }
        let haveOwners = (have["metadata"]?["ownerReferences"]?.array ?? []).map { o -> Node in
            ["apiVersion": o["apiVersion"] ?? "", "kind": o["kind"] ?? "", "name": o["name"] ?? "", "uid": o["uid"] ?? "",
             "controller": o["controller"] ?? false, "blockOwnerDeletion": o["blockOwnerDeletion"] ?? false]
        }
        return have["spec"]?["type"]?.string == "LoadBalancer"
            && (have["spec"]?["selector"] ?? [:]) == (want["spec"]?["selector"] ?? [:])
            && Node.array(ports) == (want["spec"]?["ports"] ?? [])
            && Node.array(haveOwners) == (want["metadata"]?["ownerReferences"] ?? [])
            && labelsInclude(have["metadata"]?["labels"], want["metadata"]?["labels"])
    }

    static func labelsInclude(_ have: Node?, _ want: Node?) -> Bool {
        for e in want?.entries ?? [] where have?[e.key] != e.value { return false }
        return true
    }

    /// `status.loadBalancer.ingress[]` as Gateway addresses.
    public static func addresses(of service: Node?) -> [Node] {
        var out: [Node] = []
        for i in service?["status"]?["loadBalancer"]?["ingress"]?.array ?? [] {
            if let ip = i["ip"]?.string, !ip.isEmpty { out.append(["type": "IPAddress", "value": .string(ip)]) }
            else if let host = i["hostname"]?.string, !host.isEmpty { out.append(["type": "Hostname", "value": .string(host)]) }
        }
        return out
    }
}
