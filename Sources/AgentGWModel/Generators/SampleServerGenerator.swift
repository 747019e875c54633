/// `create sample-server NAME`: the tutorial's `mcp-server.yaml` (a Deployment `NAME` and a
/// Service `NAME-server`, same labels and ports), running `kubectl-agentgw sample-server` from
/// our image instead of the tutorial's sample image. The tutorial's Backend then points at
/// `NAME-server.NAMESPACE.svc.cluster.local:PORT/mcp` unchanged.
public enum SampleServerGenerator {
    public struct Options: Sendable {
        public var name: String
        public var namespace: String?
        public var port: Int = 8000
        public var image: String
        /// The Service's name; nil means `NAME-server`, as in the tutorial (`demo-mcp` → `demo-mcp-server`).
        public var serviceName: String?
        public var replicas: Int = 1

        public init(name: String, image: String) {
            self.name = name
            self.image = image
        }
    }

    /// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`, at most 63: a DNS-1123 label (Service names need it).
    static func isDNSLabel(_ s: String) -> Bool { Generators.isTargetName(s) }

    public static func objects(_ o: Options) throws(GeneratorError) -> [Node] {
        let service = o.serviceName ?? "\(o.name)-server"
        guard isDNSLabel(o.name) else { throw GeneratorError("NAME \"\(o.name)\" must be a DNS label: lowercase letters, digits and '-', at most 63 characters") }
        guard isDNSLabel(service) else { throw GeneratorError("--service-name \"\(service)\" must be a DNS label: lowercase letters, digits and '-', at most 63 characters") }
        guard (1...65535).contains(o.port) else { throw GeneratorError("--port: \(o.port) is not in 1-65535") }
        guard o.replicas >= 1 else { throw GeneratorError("--replicas must be at least 1") }
        guard InstallBundle.isImageReference(o.image) else { throw GeneratorError("--image: \"\(o.image)\" is not an image reference") }
        let labels: Node = ["app.kubernetes.io/name": .string(o.name)]
        let container: Node = [
            "image": .string(o.image),
            "imagePullPolicy": "IfNotPresent",
            "name": "mcp",
            // The image's ENTRYPOINT is kubectl-agentgw; listen on all addresses inside the pod.
            "args": ["sample-server", "--host", "0.0.0.0", "--port", .string(String(o.port))],
            "ports": [["containerPort": .int(o.port), "name": "server", "protocol": "TCP"]],
            "readinessProbe": ["tcpSocket": ["port": "server"], "periodSeconds": 5],
            "resources": ["requests": ["cpu": "10m", "memory": "32Mi"], "limits": ["memory": "128Mi"]],
            "securityContext": [
                "allowPrivilegeEscalation": false,
                "readOnlyRootFilesystem": true,
                "runAsNonRoot": true,
                "runAsUser": .int(InstallBundle.uid),
                "capabilities": ["drop": ["ALL"]],
                "seccompProfile": ["type": "RuntimeDefault"],
            ],
        ]
        let deployment = Generators.object("apps/v1", "Deployment", o.name, o.namespace, [
            ("spec", [
                "replicas": .int(o.replicas),
                "selector": ["matchLabels": labels],
                "template": ["metadata": ["labels": labels], "spec": ["containers": [container]]],
            ]),
        ])
        let svc = Generators.object("v1", "Service", service, o.namespace, [
            ("spec", [
                "ports": [["name": "server", "port": .int(o.port), "protocol": "TCP", "targetPort": .int(o.port)]],
                "selector": labels,
                "sessionAffinity": "None",
                "type": "ClusterIP",
            ]),
        ])
        return [deployment, svc]
    }
}
