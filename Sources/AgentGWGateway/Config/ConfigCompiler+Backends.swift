import AgentGWModel

extension Compilation {
    /// The target of one backendRef, or nil (with a warning) when it does not resolve: the
    /// rule then has fewer backends, and none means the proxy answers 500 (Gateway API).
    mutating func backendTarget(_ ref: WrittenRef, route r: HTTPRouteResource) -> BackendTarget? {
        let at = r.manifest.node.bestMark(ref.path)
        let namespace = ref.namespace ?? r.key.namespace
        let key = ObjectKey(group: ref.group, kind: ref.kind, namespace: namespace, name: ref.name)
        let routeName = "\(r.key.namespace)/\(r.key.name)"
        if namespace != r.key.namespace, !grants.contains(where: {
            $0.permits(fromGroup: GatewayAPI.group, fromKind: "HTTPRoute", fromNamespace: r.key.namespace, to: key)
        }) {
            warn("HTTPRoute \"\(routeName)\": backendRef \(ref.kind) \"\(namespace)/\(ref.name)\" is in another namespace without a ReferenceGrant in the input; it is skipped",
                 rule: "compile.backend-not-permitted", at: at)
            refProblem(r.key, reason: "RefNotPermitted", message: "backendRef \(ref.kind) \(namespace)/\(ref.name) is in another namespace and no ReferenceGrant allows it")
            return nil
        }
        if !(r.manifest.node.at(ref.path)?["filters"]?.array ?? []).isEmpty {
            warn("HTTPRoute \"\(routeName)\": filters on a backendRef are not supported; they are ignored", rule: "compile.filter-unsupported", at: at)
        }
        switch (ref.group, ref.kind) {
        case (AgentGateway.group, "Backend"):
            guard backends[key] != nil else {
                warn("HTTPRoute \"\(routeName)\": Backend \"\(namespace)/\(ref.name)\" is not in the input; the backendRef is skipped",
                     rule: "compile.backend-not-found", at: at)
                refProblem(r.key, reason: "BackendNotFound", message: "Backend \(namespace)/\(ref.name) not found")
                return nil
            }
            return compiledBackend(key)
        case ("", "Service"):
            // A Service missing from the input still resolves by its cluster DNS name (the
            // usual case in files mode, where --resolve maps it); validate already warned.
            guard let port = ref.port else {
                warn("HTTPRoute \"\(routeName)\": backendRef to Service \"\(namespace)/\(ref.name)\" names no port; it is skipped",
                     rule: "compile.backend-not-found", at: at)
                return nil
            }
            let host = "\(ref.name).\(namespace).svc.cluster.local"
            let address = options.connectAddress(host: host, port: port)
            return .service(name: "\(namespace)/\(ref.name)", host: address.host, port: address.port,
                            hostHeader: port == 80 ? host : "\(host):\(port)")
        default:
            refProblem(r.key, reason: "InvalidKind", message: "backendRef kind \(ref.kind) of group \"\(ref.group)\" is not supported")
            return nil // validate already reports other kinds as errors
        }
    }

    /// A Backend as served: one target proxied as is, or several (or `prefixMode: Always`)
    /// multiplexed into one MCP server.
    mutating func compiledBackend(_ key: ObjectKey) -> BackendTarget? {
        guard let backend = backends[key] else { return nil }
        let name = "\(key.namespace)/\(key.name)"
        guard !backend.targets.isEmpty else {
            warn("Backend \"\(name)\" has no MCP target", rule: "compile.backend-empty", at: backend.manifest.node.mark)
            return nil
        }
        let mode = PrefixMode(rawValue: backend.prefixMode) ?? .conditional
        // One Streamable HTTP target is proxied as is; an old HTTP+SSE target needs the gateway to
        // speak MCP to it, so it takes the multiplexed path even alone.
        if backend.targets.count == 1 && mode != .always && backend.targets[0].protocol != .sse {
            return mcpTarget(key).map { .mcp($0) }
        }
        var targets: [MCPTarget] = []
        for t in backend.targets {
            guard let compiled = compileTarget(backend, t) else { return nil }
            targets.append(compiled)
        }
        guard !targets.isEmpty else { return nil }
        return .multiplexed(MultiplexedBackend(backendName: name, targets: targets, prefixMode: mode,
                                               failureMode: FailureMode(rawValue: backend.failureMode) ?? .failClosed))
    }

    /// A Backend's served target, compiled once per compile.
    mutating func mcpTarget(_ key: ObjectKey) -> MCPTarget? {
        if let cached = mcpTargets[key] { return cached }
        let target = compileMCPTarget(key)
        mcpTargets[key] = .some(target)
        return target
    }

    private mutating func compileMCPTarget(_ key: ObjectKey) -> MCPTarget? {
        guard let backend = backends[key], let t = backend.targets.first else { return nil }
        return compileTarget(backend, t)
    }

    private mutating func compileTarget(_ backend: BackendResource, _ t: BackendResource.Target) -> MCPTarget? {
        let name = "\(backend.key.namespace)/\(backend.key.name)"
        guard let headers = targetHeaders(backend, t) else { return nil }
        let address = options.connectAddress(host: t.host.lowercased(), port: t.port)
        let hostHeader = t.port == 80 || t.port == 443 ? t.host : "\(t.host):\(t.port)"
        return MCPTarget(backendName: name, targetName: t.name, connectHost: address.host, connectPort: address.port,
                         hostHeader: hostHeader, path: t.path.isEmpty ? t.protocol.defaultPath : t.path, transport: t.protocol,
                         headers: headers, timeout: GatewayDuration.timeout(t.timeout),
                         tools: ToolMatcher(include: t.includeTools, exclude: t.excludeTools),
                         tls: t.port == 443, serverName: t.host)
    }

    /// The target's extra upstream headers with values resolved; nil (with errors) when a
    /// Secret or key is missing or a name or value is not a safe HTTP field. Messages name the
    /// Backend, header, Secret and key, never a value.
    private mutating func targetHeaders(_ backend: BackendResource, _ t: BackendResource.Target) -> [(name: String, value: String)]? {
        let node = backend.manifest.node
        let name = "\(backend.key.namespace)/\(backend.key.name)"
        var out: [(name: String, value: String)] = []
        var ok = true
        for (i, h) in (node.at(t.nodePath)?["headers"]?.array ?? []).enumerated() {
            let at = node.bestMark(t.nodePath + [.key("headers"), .index(i)])
            guard let header = h["name"]?.string, HeaderSafety.isToken(header) else {
                fail("Backend \"\(name)\" target \(t.name): header \(i) has no valid HTTP field name", rule: "compile.header-injection", at: at)
                ok = false
                continue
            }
            if let value = h["value"]?.string {
                guard HeaderSafety.isSafeValue(value) else {
                    fail("Backend \"\(name)\" target \(t.name): the value of header \(header) contains control characters (CR, LF or NUL are not allowed)",
                         rule: "compile.header-injection", at: at)
                    ok = false
                    continue
                }
                out.append((header, value))
                continue
            }
            guard let ref = h["valueFrom"]?["secretKeyRef"], let secretName = ref["name"]?.string, let keyName = ref["key"]?.string else { continue }
            let secretKey = ObjectKey(group: "", kind: "Secret", namespace: backend.key.namespace, name: secretName)
            guard let secret = secrets[secretKey] else {
                fail("Backend \"\(name)\" target \(t.name): header \(header) takes its value from Secret \"\(secretKey.namespace)/\(secretName)\", which is not in the input",
                     rule: "compile.secret-not-found", at: at)
                ok = false
                continue
            }
            guard let bytes = secret.value(keyName) else {
                fail("Backend \"\(name)\" target \(t.name): header \(header) takes its value from key \"\(keyName)\" of Secret \"\(secretKey.namespace)/\(secretName)\", which has no such key",
                     rule: "compile.secret-key-not-found", at: at)
                ok = false
                continue
            }
            let value = String(decoding: bytes, as: UTF8.self)
            guard !bytes.isEmpty, HeaderSafety.isSafeValue(value) else {
                fail("Backend \"\(name)\" target \(t.name): key \"\(keyName)\" of Secret \"\(secretKey.namespace)/\(secretName)\" is empty or holds control characters, so it is not a valid value for header \(header)",
                     rule: "compile.header-injection", at: at)
                ok = false
                continue
            }
            out.append((header, value))
        }
        return ok ? out : nil
    }
}
