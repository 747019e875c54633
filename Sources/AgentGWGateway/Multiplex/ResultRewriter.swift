import AgentGWMCP

/// Rewrites resource URIs inside a routed target's results and notifications into the client's
/// namespace (``NameMapper/exposedURI(_:target:)``), so follow-up `resources/read` calls route back.
/// Everything else is kept as is (key order too). A no-op when the mapper does not prefix.
public enum ResultRewriter {
    /// `resources/read` result: every `contents[].uri`.
    public static func resourcesRead(_ result: JSONValue, target: String, mapper: NameMapper) -> JSONValue {
        guard mapper.prefixes, case .object(var o) = result, case .array(let contents)? = o["contents"] else { return result }
        o["contents"] = .array(contents.map { rewriteURI(in: $0, field: "uri", target: target, mapper: mapper) })
        return .object(o)
    }

    /// `tools/call` result: `resource_link` blocks' `uri` and embedded `resource` blocks' `resource.uri`
    /// in `content[]`.
    public static func toolsCall(_ result: JSONValue, target: String, mapper: NameMapper) -> JSONValue {
        guard mapper.prefixes, case .object(var o) = result, case .array(let content)? = o["content"] else { return result }
        o["content"] = .array(content.map { contentBlock($0, target: target, mapper: mapper) })
        return .object(o)
    }

    /// `prompts/get` result: the content block of every `messages[]` entry.
    public static func promptsGet(_ result: JSONValue, target: String, mapper: NameMapper) -> JSONValue {
        guard mapper.prefixes, case .object(var o) = result, case .array(let messages)? = o["messages"] else { return result }
        o["messages"] = .array(messages.map { message in
            guard case .object(var m) = message, let block = m["content"] else { return message }
            m["content"] = contentBlock(block, target: target, mapper: mapper)
            return .object(m)
        })
        return .object(o)
    }

    /// `notifications/resources/updated` params: `uri`.
    public static func resourceUpdated(_ params: JSONValue, target: String, mapper: NameMapper) -> JSONValue {
        guard mapper.prefixes else { return params }
        return rewriteURI(in: params, field: "uri", target: target, mapper: mapper)
    }

    private static func contentBlock(_ block: JSONValue, target: String, mapper: NameMapper) -> JSONValue {
        switch block["type"]?.string {
        case "resource_link"?:
            return rewriteURI(in: block, field: "uri", target: target, mapper: mapper)
        case "resource"?:
            guard case .object(var b) = block, let inner = b["resource"] else { return block }
            b["resource"] = rewriteURI(in: inner, field: "uri", target: target, mapper: mapper)
            return .object(b)
        default:
            return block
        }
    }

    private static func rewriteURI(in value: JSONValue, field: String, target: String, mapper: NameMapper) -> JSONValue {
        guard case .object(var o) = value, let uri = o[field]?.string else { return value }
        o[field] = .string(mapper.exposedURI(uri, target: target))
        return .object(o)
    }
}
