/// Why `probe gateway/NAME` could not work out a URL.
public struct ProbeTargetError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// `probe gateway/NAME`: the URL a client would use, from the Gateway's address and its first
/// attached HTTPRoute, as the tutorial builds `http://<GATEWAY_IP>:80/mcp` by hand.
public enum ProbeTarget {
    public struct Resolved: Sendable, Equatable {
        public var url: String
        /// `namespace/name` of the route the path came from.
        public var route: String
    }

    public static func resolve(gateway name: String, namespace: String, in s: ClusterSnapshot) throws(ProbeTargetError) -> Resolved {
        guard let gw = s.find(s.gateways, namespace: namespace, name: name) else {
            throw ProbeTargetError("gateways.\(GatewayAPI.group) \"\(name)\" not found in namespace \(namespace)")
        }
        let listeners = gw["spec"]?["listeners"]?.array ?? []
        let routes = s.routes(attachedTo: gw).sorted { $0.metaName < $1.metaName }
        guard let route = routes.first else {
            throw ProbeTargetError("no HTTPRoute attaches to Gateway \(namespace)/\(name); create one with: kubectl agentgw create httproute")
        }
        // The listener the route attaches to: by sectionName/port when given, else the first HTTP(S) one.
        let parent = ClusterSnapshot.parentRefs(of: route).first { $0.kind == "Gateway" && $0.name == name && $0.namespace == namespace }
        let httpListeners = listeners.filter { ["HTTP", "HTTPS"].contains($0["protocol"]?.string ?? "") }
        let listener = httpListeners.first { l in
            (parent?.sectionName.map { l["name"]?.string == $0 } ?? true) && (parent?.port.map { l["port"]?.int == $0 } ?? true)
        }
        guard let listener, let port = listener["port"]?.int else {
            throw ProbeTargetError("Gateway \(namespace)/\(name) has no HTTP or HTTPS listener for HTTPRoute \(route.metaName)")
        }
        let scheme = listener["protocol"]?.string == "HTTPS" ? "https" : "http"
        var host: String
        if let address = Summary.address(gw) {
            host = address
        } else if let hostname = listeners.lazy.compactMap({ $0["hostname"]?.string }).first(where: { !$0.hasPrefix("*") }) {
            host = hostname
        } else {
            throw ProbeTargetError("Gateway \(namespace)/\(name) has no address yet (status.addresses is empty and no listener names a hostname); check it with: kubectl agentgw get gateway \(name) -n \(namespace)")
        }
        if host.contains(":") && !host.hasPrefix("[") { host = "[\(host)]" }
        return Resolved(url: "\(scheme)://\(host):\(port)\(mcpPath(route))", route: "\(route.metaNamespace)/\(route.metaName)")
    }

    /// The path of the route's first match. A prefix of `/` (or no match) means the whole host
    /// goes to the Backend, whose target path replaces the request's, so `/mcp` as in the tutorial.
    public static func mcpPath(_ route: Node) -> String {
        let path = route["spec"]?["rules"]?[0]?["matches"]?[0]?["path"]
        let type = path?["type"]?.string ?? "PathPrefix"
        let value = path?["value"]?.string ?? "/"
        if type == "RegularExpression" || value == "/" { return "/mcp" }
        return value
    }
}
