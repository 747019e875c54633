import AgentGWGateway
import AgentGWModel

/// Helpers to compile YAML written inline in tests and to build requests.
enum CompileFixtures {
    /// Loads YAML documents (joined with `---`) as if read from standard input.
    static func inputs(_ documents: [String]) throws -> LoadedInputs {
        let text = documents.joined(separator: "\n---\n")
        return try ManifestLoader.load(["-"], recursive: false, stdin: { Array(text.utf8) })
    }

    static func compile(_ documents: String..., options: CompileOptions = CompileOptions()) throws -> Result<RuntimeConfig, CompileError> {
        ConfigCompiler.compile(try inputs(documents), options: options, generation: 1)
    }

    /// Compiles and fails the test (throws) when the compile fails.
    static func config(_ documents: String..., options: CompileOptions = CompileOptions()) throws -> RuntimeConfig {
        try ConfigCompiler.compile(try inputs(documents), options: options, generation: 1).get()
    }

    static func request(_ path: String, host: String = "example.com", method: String = "GET",
                        headers: [(name: String, value: String)] = [], query: [(name: String, value: String)] = []) -> RequestInfo {
        RequestInfo(method: method, host: host, path: path, query: query, headers: headers)
    }

    /// A Gateway of the served class with one HTTP listener per `(name, port, from)`.
    static func gateway(_ name: String = "gw", namespace: String = "default",
                        listeners: [(name: String, port: Int, from: String, hostname: String?)] = [("http", 80, "Same", nil)]) -> String {
        var yaml = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: \(name)
          namespace: \(namespace)
        spec:
          gatewayClassName: ack-agent-gateway
          listeners:
        """
        for l in listeners {
            yaml += "\n  - name: \(l.name)\n    port: \(l.port)\n    protocol: HTTP\n    allowedRoutes:\n      namespaces:\n        from: \(l.from)"
            if let h = l.hostname { yaml += "\n    hostname: \"\(h)\"" }
        }
        return yaml
    }

    /// A Service with one port.
    static func service(_ name: String, namespace: String = "default", port: Int = 8080) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: \(name)
          namespace: \(namespace)
        spec:
          ports:
          - port: \(port)
        """
    }

    /// An MCP Backend with one StreamableHTTP target.
    static func backend(_ name: String, namespace: String = "default", host: String = "mcp.default.svc.cluster.local", port: Int = 8000) -> String {
        """
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: Backend
        metadata:
          name: \(name)
          namespace: \(namespace)
        spec:
          type: MCP
          mcp:
            targets:
            - name: t1
              static:
                host: \(host)
                port: \(port)
        """
    }

    /// The backend names of a matched rule (`namespace/name`).
    static func backendNames(_ match: RouteMatch?) -> [String] {
        match?.rule.backends.map(\.backend.displayName) ?? []
    }
}
