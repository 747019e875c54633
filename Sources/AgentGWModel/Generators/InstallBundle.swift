import Foundation

/// Everything a cluster needs to run the gateway in-cluster (`kubectl agentgw install`): our CRDs
/// and the GatewayClass, the namespace, a ServiceAccount with least-privilege RBAC, a Secret
/// holding the shared session key, and the Deployment running `serve --kubernetes`.
///
/// The names and numbers here are the single source for the Dockerfile test too: the image's
/// non-root UID and binary path must match what the Deployment assumes.
public enum InstallBundle {
    /// The namespace the controller runs in.
    public static let namespace = "ack-agent-gateway"
    /// Name of the ServiceAccount, ClusterRole(Binding), Role(Binding) and Deployment.
    public static let name = "agentgw"
    /// The Secret holding the 32-byte session key that every replica shares.
    public static let sessionKeySecret = "agentgw-session-key"
    /// The key inside that Secret (and the file name where it is mounted).
    public static let sessionKeyItem = "session.key"
    /// Where the Secret is mounted read-only.
    public static let sessionKeyDirectory = "/etc/agentgw/session"
    public static var sessionKeyPath: String { "\(sessionKeyDirectory)/\(sessionKeyItem)" }
    /// The image's non-root user (distroless "nonroot" convention); the Dockerfile creates it.
    public static let uid = 65532
    /// The binary's path in the image; the Dockerfile's ENTRYPOINT.
    public static let binaryPath = "/usr/local/bin/kubectl-agentgw"
    /// The admin listener (/healthz, /readyz, /metrics): `serve --admin-address`.
    public static let adminPort = 15000
    /// The named container port for the admin listener, used by the probes and scraping.
    public static let metricsPortName = "metrics"
    /// Default image repository; the tag is the plugin's version.
    public static let imageRepository = "ghcr.io/agentgw/kubectl-agentgw"
    /// Labels every object of the bundle carries, so `uninstall` and humans can find them.
    public static let partOfLabel = ("app.kubernetes.io/part-of", "kubectl-agentgw")

    /// Options of `install`.
    public struct Options: Sendable {
        public var image: String
        public var replicas: Int = 2
        /// The session key as 64 hex digits; nil generates a fresh random key.
        public var sessionKeyHex: String?
        /// Include the CRDs and the GatewayClass (false for `install --skip-crds`).
        public var includeCRDs = true
        public var version: String

        public init(image: String, version: String) {
            self.image = image
            self.version = version
        }
    }

    /// The default image for a plugin version.
    public static func defaultImage(version: String) -> String { "\(imageRepository):v\(version)" }

    /// The bundle's objects, in the order they should be applied (namespace and CRDs first).
    public static func objects(_ options: Options) throws(GeneratorError) -> [Node] {
        guard options.replicas >= 1 else { throw GeneratorError("--replicas must be at least 1") }
        guard isImageReference(options.image) else {
            throw GeneratorError("--image: \"\(options.image)\" is not an image reference (e.g. \(defaultImage(version: options.version)))")
        }
        let keyHex = options.sessionKeyHex ?? randomKeyHex()
        guard keyHex.count == 64, keyHex.allSatisfy(\.isHexDigit) else { throw GeneratorError("the session key must be 64 hex digits") }
        var out: [Node] = []
        if options.includeCRDs { out += crdsAndGatewayClass() }
        out += [
            namespaceObject(),
            serviceAccount(),
            clusterRole(),
            clusterRoleBinding(),
            role(),
            roleBinding(),
            sessionKeySecretObject(keyHex: keyHex),
            deployment(options),
        ]
        return out
    }

    /// The CRDs and the GatewayClass, parsed from the same text `install crds` prints.
    public static func crdsAndGatewayClass() -> [Node] {
        // The text is ours and a test parses it; an empty result would show up there.
        ((try? YAMLReader.read(AgentGatewayCRDs.yaml, file: "crds")) ?? []).filter { !$0.isNull }.map(\.withoutMarks)
    }

    /// 32 random bytes from the system CSPRNG, as hex text (the key file format `serve` reads).
    public static func randomKeyHex() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<32).map { _ in
            let b = UInt8.random(in: 0...255, using: &rng)
            let s = String(b, radix: 16)
            return b < 16 ? "0" + s : s
        }.joined()
    }

    // MARK: Objects

    static var labels: Node {
        ["app.kubernetes.io/name": .string(name), partOfLabel.0: .string(partOfLabel.1)]
    }

    static func meta(_ objectName: String, namespaced: Bool) -> Node {
        var m: Node = ["name": .string(objectName)]
        if namespaced { m.set("namespace", .string(namespace)) }
        m.set("labels", labels)
        return m
    }

    static func namespaceObject() -> Node {
        ["apiVersion": "v1", "kind": "Namespace", "metadata": meta(namespace, namespaced: false)]
    }

    static func serviceAccount() -> Node {
        ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(name, namespaced: true)]
    }

    static func rule(_ group: String, _ resources: [String], _ verbs: [String]) -> Node {
        ["apiGroups": [.string(group)], "resources": .array(resources.map { .string($0) }), "verbs": .array(verbs.map { .string($0) })]
    }

    static let read = ["get", "list", "watch"]
    static let writeStatus = ["update", "patch"]

    /// What the controller reads cluster-wide, the status it writes, the one LoadBalancer
    /// Service per Gateway it owns, and Events about the objects it serves (an Event lives in
    /// its object's namespace). Nothing else: no wildcard verbs or resources.
    static func clusterRole() -> Node {
        [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": meta(name, namespaced: false),
            "rules": [
                rule(GatewayAPI.group, ["gatewayclasses", "gateways", "httproutes", "referencegrants"], read),
                rule(GatewayAPI.group, ["gatewayclasses/status", "gateways/status", "httproutes/status"], writeStatus),
                rule(AgentGateway.group, ["backends", "trafficpolicies"], read),
                rule(AgentGateway.group, ["trafficpolicies/status"], writeStatus),
                rule("", ["secrets", "services", "namespaces"], read),
                rule("discovery.k8s.io", ["endpointslices"], read),
                rule("", ["services"], ["create", "update", "patch", "delete"]),
                rule("", ["events"], ["create", "patch"]),
            ],
        ]
    }

    static func clusterRoleBinding() -> Node {
        [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": meta(name, namespaced: false),
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(name)],
            "subjects": [["kind": "ServiceAccount", "name": .string(name), "namespace": .string(namespace)]],
        ]
    }

    /// Leader election (Leases), only in the controller's own namespace.
    static func role() -> Node {
        [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": meta(name, namespaced: true),
            "rules": [
                rule("coordination.k8s.io", ["leases"], ["get", "list", "watch", "create", "update", "patch", "delete"]),
            ],
        ]
    }

    static func roleBinding() -> Node {
        [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": meta(name, namespaced: true),
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": .string(name)],
            "subjects": [["kind": "ServiceAccount", "name": .string(name), "namespace": .string(namespace)]],
        ]
    }

    /// The key is stored as hex text so the mounted file is unambiguous to `--session-key-file`.
    static func sessionKeySecretObject(keyHex: String) -> Node {
        [
            "apiVersion": "v1", "kind": "Secret", "metadata": meta(sessionKeySecret, namespaced: true),
            "type": "Opaque",
            "data": [sessionKeyItem: .string(Data(keyHex.utf8).base64EncodedString())],
        ]
    }

    static func deployment(_ options: Options) -> Node {
        let selector: Node = ["app.kubernetes.io/name": .string(name)]
        var podLabels = labels
        podLabels.set("app.kubernetes.io/version", .string(options.version))
        let probe = { (path: String, period: Int, failures: Int) -> Node in
            ["httpGet": ["path": .string(path), "port": .string(metricsPortName)], "periodSeconds": .int(period), "failureThreshold": .int(failures)]
        }
        let container: Node = [
            "name": "gateway",
            "image": .string(options.image),
            "imagePullPolicy": "IfNotPresent",
            // No command: the image's ENTRYPOINT is the binary.
            "args": [
                "serve", "--kubernetes",
                "--admin-address", .string("0.0.0.0:\(adminPort)"), "--admin-expose",
                "--session-key-file", .string(sessionKeyPath),
                "--log-format", "json",
                // A Service selects pods only in its own namespace: each Gateway's LoadBalancer
                // Service lives here, next to these pods (the kubelet expands $(POD_NAMESPACE)).
                "--data-plane-namespace", "$(POD_NAMESPACE)",
            ],
            "env": [
                ["name": "POD_NAMESPACE", "valueFrom": ["fieldRef": ["fieldPath": "metadata.namespace"]]],
                ["name": "POD_NAME", "valueFrom": ["fieldRef": ["fieldPath": "metadata.name"]]],
            ],
            "ports": [["name": .string(metricsPortName), "containerPort": .int(adminPort), "protocol": "TCP"]],
            "livenessProbe": probe("/healthz", 10, 3),
            "readinessProbe": probe("/readyz", 5, 2),
            "resources": [
                "requests": ["cpu": "100m", "memory": "128Mi"],
                "limits": ["cpu": "2", "memory": "512Mi"],
            ],
            "securityContext": [
                "allowPrivilegeEscalation": false,
                "readOnlyRootFilesystem": true,
                "runAsNonRoot": true,
                "runAsUser": .int(uid),
                "runAsGroup": .int(uid),
                "capabilities": ["drop": ["ALL"]],
            ],
            "volumeMounts": [
                ["name": "session-key", "mountPath": .string(sessionKeyDirectory), "readOnly": true],
                ["name": "tmp", "mountPath": "/tmp"],
            ],
        ]
        let podSpec: Node = [
            "serviceAccountName": .string(name),
            "securityContext": [
                "runAsNonRoot": true,
                "runAsUser": .int(uid),
                "runAsGroup": .int(uid),
                "fsGroup": .int(uid),
                "seccompProfile": ["type": "RuntimeDefault"],
                // Listeners use the Gateway's ports (80, 443): a namespaced "safe" sysctl lets a
                // non-root process with no capabilities bind them.
                "sysctls": [["name": "net.ipv4.ip_unprivileged_port_start", "value": "0"]],
            ],
            // Replicas on different nodes when possible, so a node loss keeps the gateway up.
            "affinity": ["podAntiAffinity": ["preferredDuringSchedulingIgnoredDuringExecution": [[
                "weight": 100,
                "podAffinityTerm": ["labelSelector": ["matchLabels": selector], "topologyKey": "kubernetes.io/hostname"],
            ]]]],
            "terminationGracePeriodSeconds": 30,
            "containers": [container],
            "volumes": [
                ["name": "session-key", "secret": ["secretName": .string(sessionKeySecret), "defaultMode": .int(0o440)]],
                ["name": "tmp", "emptyDir": ["sizeLimit": "16Mi"]],
            ],
        ]
        return [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta(name, namespaced: true),
            "spec": [
                "replicas": .int(options.replicas),
                "selector": ["matchLabels": selector],
                "template": [
                    "metadata": [
                        "labels": podLabels,
                        "annotations": [
                            "prometheus.io/scrape": "true",
                            "prometheus.io/port": .string(String(adminPort)),
                            "prometheus.io/path": "/metrics",
                        ],
                    ],
                    "spec": podSpec,
                ],
            ],
        ]
    }

    /// A loose check of `[registry/]repo[:tag][@digest]`: no spaces, no upper case in the
    /// repository, something after `:` and `@`. Kubernetes itself accepts any string, but a
    /// typo here only shows as ImagePullBackOff much later.
    public static func isImageReference(_ s: String) -> Bool {
        guard !s.isEmpty, !s.contains(where: { $0.isWhitespace }) else { return false }
        let beforeDigest = s.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        if beforeDigest.count == 2 && beforeDigest[1].isEmpty { return false }
        let ref = beforeDigest[0]
        guard !ref.isEmpty, !ref.hasSuffix(":"), !ref.hasSuffix("/"), !ref.hasPrefix("/") else { return false }
        // The repository (without a tag) must be lower case; the registry host may carry a port.
        let lastSlash = ref.lastIndex(of: "/")
        let lastPart = lastSlash.map { ref[ref.index(after: $0)...] } ?? ref[...]
        let repo = lastPart.split(separator: ":").first ?? ""
        return !repo.isEmpty && repo == repo.lowercased()
    }
}
