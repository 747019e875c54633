import AgentGWModel
import Foundation

/// GET, LIST and WATCH requests.
extension Store {
    // MARK: - Reads

    func render(_ stored: StoredObject, type: ResourceType, version: String) -> Node {
        var o = stored.object
        o.set("apiVersion", .string(type.apiVersion(version)))
        o.set("kind", .string(type.kind))
        if var meta = o["metadata"], !stored.managed.isEmpty {
            meta.set("managedFields", .array(stored.managed.map(\.node)))
            o.set("metadata", meta)
        }
        return o.canonicalOrder()
    }

    func get(_ ctx: Context) throws(APIError) -> Node {
        guard let stored = objects[ctx.key] else { throw APIError.notFound(ctx.type, name: ctx.name ?? "") }
        return render(stored, type: ctx.type, version: ctx.version)
    }

    func list(_ ctx: Context) throws(APIError) -> Node {
        let labels = try LabelSelector(ctx.query["labelSelector"])
        let fields = try FieldSelector(ctx.query["fieldSelector"])
        var keys = objects.keys.filter { $0.type == ctx.type.key && (ctx.namespace == nil || $0.namespace == ctx.namespace) }.sorted()
        if let token = ctx.query["continue"], !token.isEmpty {
            guard let data = Data(base64Encoded: token), let last = String(data: data, encoding: .utf8) else {
                throw APIError.badRequest("continue key is not valid: illegal base64 data")
            }
            let parts = last.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else { throw APIError.badRequest("continue key is not valid") }
            let after = ObjectKey(type: ctx.type.key, namespace: parts[0], name: parts[1])
            keys = keys.filter { after < $0 }
        }
        var items: [Node] = []
        var matched: [ObjectKey] = []
        for key in keys {
            guard let stored = objects[key], labels.matches(stored.object), fields.matches(stored.object) else { continue }
            matched.append(key)
            var item = render(stored, type: ctx.type, version: ctx.version)
            // Typed (built-in) lists carry kind and apiVersion once, on the list; custom
            // resource lists repeat them on every item. Clients must handle both.
            if ctx.type.crdName == nil {
                item.remove("apiVersion")
                item.remove("kind")
            }
            items.append(item)
        }
        var meta: [(String, Node)] = [("resourceVersion", .string(String(resourceVersion)))]
        if let limit = ctx.query["limit"].flatMap(Int.init), limit > 0, items.count > limit {
            let last = matched[limit - 1]
            meta.append(("continue", .string(Data("\(last.namespace)\u{0}\(last.name)".utf8).base64EncodedString())))
            meta.append(("remainingItemCount", .int(items.count - limit)))
            items = Array(items.prefix(limit))
        }
        return .object([("kind", .string(ctx.type.listKind)), ("apiVersion", .string(ctx.apiVersion)),
                        ("metadata", .object(meta)), ("items", .array(items))])
    }

    func watch(_ ctx: Context) throws(APIError) -> APIResponse {
        var fields = try FieldSelector(ctx.query["fieldSelector"])
        if let name = ctx.name { fields.requirements.append(("metadata.name", true, name)) }
        let rvText = ctx.query["resourceVersion"] ?? ""
        var rv: Int?
        if !rvText.isEmpty {
            guard let n = Int(rvText) else { throw APIError.badRequest("invalid resource version: \(rvText)") }
            rv = n
            if n != 0 && n < oldestWatchable - 1 { throw APIError.expired(requested: n, oldest: oldestWatchable - 1) }
        }
        return .watch(WatchRequest(type: ctx.type, version: ctx.version, namespace: ctx.namespace,
                                   labels: try LabelSelector(ctx.query["labelSelector"]), fields: fields,
                                   resourceVersion: rv, timeoutSeconds: ctx.query["timeoutSeconds"].flatMap(Int.init),
                                   bookmarks: ctx.query["allowWatchBookmarks"] == "true",
                                   sendInitialEvents: ctx.query["sendInitialEvents"] == "true"))
    }
}
