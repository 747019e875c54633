// The JSON-RPC methods of the sample server, per era. Legacy: initialize, ping,
// logging/setLevel and the lists/calls; modern: server/discover and the lists/calls, every result
// marked `resultType: "complete"`.

struct SampleMethods: Sendable {
    let options: SampleServerOptions
    let tools: SampleTools

    static let serverName = "agentgw-sample"
    static let instructions = "A sample MCP server built into kubectl-agentgw: echo, add, time, fetch."
    static let capabilities: JSONValue = ["tools": ["listChanged": false], "logging": [:]]

    var serverInfo: JSONValue { ["name": .string(Self.serverName), "version": .string(options.serverVersion)] }

    /// Methods shared by both eras.
    static let commonMethods: Set<String> = ["tools/list", "tools/call", "resources/list", "resources/templates/list",
                                             "resources/read", "prompts/list", "prompts/get"]

    /// Whether the modern era implements `method` (others are HTTP 404 + -32601).
    func modernKnows(_ method: String) -> Bool {
        method == "server/discover" || Self.commonMethods.contains(method)
    }

    /// A legacy-era request.
    func legacy(_ method: String, params: JSONValue?) async -> Result<JSONValue, JSONRPCError> {
        switch method {
        case "initialize":
            let requested = params?["protocolVersion"]?.string ?? ""
            let version = MCPProtocol.legacyVersions.contains(requested) ? requested : MCPProtocol.latestLegacy
            return .success([
                "protocolVersion": .string(version),
                "capabilities": Self.capabilities,
                "serverInfo": serverInfo,
                "instructions": .string(Self.instructions),
            ])
        case "ping", "logging/setLevel":
            return .success([:])
        default:
            guard Self.commonMethods.contains(method) else {
                return .failure(JSONRPCError(code: JSONRPCError.methodNotFound, message: "Method not found", data: .string(method)))
            }
            return await common(method, params: params, listExtras: [:])
        }
    }

    /// A modern-era request (the dispatcher has checked the envelope and that the method exists).
    func modern(_ method: String, params: JSONValue?) async -> Result<JSONValue, JSONRPCError> {
        let outcome: Result<JSONValue, JSONRPCError>
        if method == "server/discover" {
            outcome = .success([
                "supportedVersions": [.string(MCPProtocol.modernVersion)],
                "capabilities": Self.capabilities,
                "instructions": .string(Self.instructions),
                "ttlMs": 0,
                "cacheScope": "private",
                "_meta": .object(JSONObject([(MCPProtocol.metaServerInfo, serverInfo)])),
            ])
        } else {
            outcome = await common(method, params: params, listExtras: ["ttlMs": 0, "cacheScope": "private"])
        }
        return outcome.map { result in
            guard case .object(var o) = result else { return result }
            o["resultType"] = "complete"
            return .object(o)
        }
    }

    private func common(_ method: String, params: JSONValue?, listExtras: JSONObject) async -> Result<JSONValue, JSONRPCError> {
        func list(_ key: String, _ items: [JSONValue]) -> Result<JSONValue, JSONRPCError> {
            if let cursor = params?["cursor"], !cursor.isNull {
                return .failure(JSONRPCError(code: JSONRPCError.invalidParams, message: "Invalid cursor"))
            }
            var o = JSONObject([(key, .array(items))])
            for (k, v) in listExtras { o[k] = v }
            return .success(.object(o))
        }
        switch method {
        case "tools/list":
            return list("tools", SampleTools.definitions)
        case "resources/list":
            return list("resources", [])
        case "resources/templates/list":
            return list("resourceTemplates", [])
        case "prompts/list":
            return list("prompts", [])
        case "resources/read":
            let uri = params?["uri"]?.string ?? ""
            return .failure(JSONRPCError(code: JSONRPCError.invalidParams, message: "Resource not found", data: ["uri": .string(uri)]))
        case "prompts/get":
            return .failure(JSONRPCError(code: JSONRPCError.invalidParams, message: "Unknown prompt: \(params?["name"]?.string ?? "")"))
        case "tools/call":
            return await call(params)
        default:
            return .failure(JSONRPCError(code: JSONRPCError.methodNotFound, message: "Method not found", data: .string(method)))
        }
    }

    private func call(_ params: JSONValue?) async -> Result<JSONValue, JSONRPCError> {
        guard let name = params?["name"]?.string else {
            return .failure(JSONRPCError(code: JSONRPCError.invalidParams, message: "Invalid params: tools/call needs a string \"name\""))
        }
        guard SampleTools.names.contains(name) else {
            return .failure(JSONRPCError(code: JSONRPCError.invalidParams, message: "Unknown tool: \(name)"))
        }
        let arguments: JSONObject
        switch params?["arguments"] {
        case nil, .null?: arguments = [:]
        case .object(let o)?: arguments = o
        case let other?:
            return .success(SampleToolResult.error("Invalid arguments for tool \(name): expected an object, got \(other.typeName)"))
        }
        return .success(await tools.call(name, arguments: arguments))
    }

    /// The one `notifications/progress` sent before a tools/call result when the caller passed
    /// `params._meta.progressToken`; nil otherwise.
    static func progressNotification(method: String, params: JSONValue?) -> JSONRPCMessage? {
        guard method == "tools/call", let token = params?["_meta"]?["progressToken"],
              token.string != nil || token.isNumber
        else { return nil }
        let name = params?["name"]?.string ?? "tool"
        return .notification(method: "notifications/progress", params: [
            "progressToken": token, "progress": 0, "total": 1, "message": .string("Running \(name)"),
        ])
    }
}
