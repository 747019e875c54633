import AgentGWModel
import Foundation

/// Create, update, merge/JSON patch, delete; the metadata, defaulting and validation every
/// write shares; fixtures.
extension Store {
    // MARK: - Writes

    func parseBody(_ ctx: Context) throws(APIError) -> Node {
        // Protobuf needs the generated Go types; this server speaks JSON and YAML only.
        if let type = ctx.request.header("Content-Type"), type.contains("protobuf") || type.contains("cbor") {
            throw APIError(code: 415, reason: "UnsupportedMediaType",
                           message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml")
        }
        let docs: [Node]
        do {
            docs = try YAMLReader.read(Array(ctx.request.body.utf8), file: "body")
        } catch {
            throw APIError.badRequest("error decoding request body: \(error.message)")
        }
        guard let doc = docs.first, doc.isObject || (doc.array != nil && ctx.request.header("Content-Type")?.hasPrefix("application/json-patch+json") == true) else {
            throw APIError.badRequest("the body of the request must be a JSON or YAML object")
        }
        return doc.withoutMarks
    }

    /// Checks the body's identity against the URL, as the real server does.
    func checkIdentity(_ body: Node, _ ctx: Context) throws(APIError) {
        let apiVersion = body["apiVersion"]?.string ?? ""
        let kind = body["kind"]?.string ?? ""
        if !apiVersion.isEmpty || !kind.isEmpty || ctx.request.method == "PATCH" {
            if kind != ctx.type.kind {
                throw APIError.badRequest("the kind in the data (\(kind)) does not match the expected kind (\(ctx.type.kind))")
            }
            if apiVersion != ctx.apiVersion {
                throw APIError.badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(ctx.apiVersion))")
            }
        }
        if let name = ctx.name, let bodyName = body["metadata"]?["name"]?.string, bodyName != name {
            throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        if let ns = body["metadata"]?["namespace"]?.string, !ns.isEmpty, ctx.type.namespaced, ns != ctx.namespace {
            throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
    }

    /// fieldValidation: Strict rejects unknown fields (400); otherwise they are dropped, with a
    /// Warning header unless Ignore.
    func pruneUnknown(_ body: Node, _ ctx: Context, warnings: inout [String]) throws(APIError) -> Node {
        guard SchemaRegistry.lookup(group: ctx.type.group, version: ctx.version, kind: ctx.type.kind) != nil else { return body }
        let check = ObjectValidator.validate(Manifest(node: body, file: "body"))
        let unknown = check.diagnostics.filter { $0.rule == "schema.unknown-field" }.map(\.message)
        guard !unknown.isEmpty else { return body }
        let mode = ctx.query["fieldValidation"] ?? "Warn"
        if mode == "Strict" {
            throw APIError.badRequest("strict decoding error: " + unknown.joined(separator: ", "))
        }
        if mode != "Ignore" { warnings += unknown }
        var out = body
        for message in unknown {
            guard let open = message.firstIndex(of: "\""), let close = message.lastIndex(of: "\""), open < close else { continue }
            out.remove(path: parseDotted(String(message[message.index(after: open)..<close])))
        }
        return out
    }

    /// The fields a manager can own: no identity, no server-set metadata; for a status
    /// subresource only `.status`, for a main resource with one everything but `.status`.
    func ownable(_ object: Node, type: ResourceType, subresource: String?) -> Node {
        var o = object
        o.remove("apiVersion")
        o.remove("kind")
        if var meta = o["metadata"] {
            for k in ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
                      "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", "generateName"] { meta.remove(k) }
            if meta.entries?.isEmpty ?? true { o.remove("metadata") } else { o.set("metadata", meta) }
        }
        if subresource == "status" {
            return o["status"].map { .object([("status", $0)]) } ?? Node(.object([]))
        }
        if type.statusSubresource { o.remove("status") }
        return o
    }

    /// Defaulting, built-in conversions and validation of a candidate object, then the
    /// server-set metadata. Throws 422 with causes for invalid objects.
    func finalize(_ candidate: Node, _ ctx: Context, existing: StoredObject?) throws(APIError) -> Node {
        var o = candidate
        o.set("apiVersion", .string(ctx.apiVersion))
        o.set("kind", .string(ctx.type.kind))
        var meta = o["metadata"] ?? Node(.object([]))
        if !meta.isObject { meta = Node(.object([])) }
        meta.set("name", .string(ctx.name ?? ""))
        if let ns = ctx.namespace { meta.set("namespace", .string(ns)) } else { meta.remove("namespace") }
        meta.remove("managedFields")
        o.set("metadata", meta)
        if ctx.type.key == TypeKey(group: "", plural: "secrets") { o = Store.convertStringData(o) }
        if ctx.type.key == TypeKey(group: "", plural: "namespaces"), o["status"] == nil {
            o.set("status", .object([("phase", "Active")]))
        }

        if SchemaRegistry.lookup(group: ctx.type.group, version: ctx.version, kind: ctx.type.kind) != nil {
            let check = ObjectValidator.validate(Manifest(node: o, file: "body"))
            let errors = check.diagnostics.filter { $0.severity == .error && $0.rule != "schema.unknown-field" }
            if !errors.isEmpty {
                throw APIError.invalid(ctx.type, name: ctx.name ?? "", errors: errors.map(Store.cause))
            }
            o = check.object
        } else if ctx.type.key == TypeKey(group: "apiextensions.k8s.io", plural: "customresourcedefinitions") {
            o = try Store.checkCRD(o, ctx)
        }

        meta = o["metadata"] ?? Node(.object([]))
        meta.set("uid", .string(existing?.object["metadata"]?["uid"]?.string ?? UUID().uuidString.lowercased()))
        meta.set("creationTimestamp", .string(existing?.object["metadata"]?["creationTimestamp"]?.string ?? Clock.now()))
        if let rv = existing?.object["metadata"]?["resourceVersion"] { meta.set("resourceVersion", rv) } else { meta.remove("resourceVersion") }
        // Deletion marks are the server's: kept from the live object, never taken from clients.
        for k in ["deletionTimestamp", "deletionGracePeriodSeconds"] {
            if let v = existing?.object["metadata"]?[k] { meta.set(k, v) } else { meta.remove(k) }
        }
        if ctx.type.tracksGeneration {
            var generation = existing?.object["metadata"]?["generation"]?.int ?? 1
            if let old = existing?.object, Store.specOf(old) != Store.specOf(o) { generation += 1 }
            meta.set("generation", .int(generation))
        } else {
            meta.remove("generation")
        }
        o.set("metadata", meta)
        return o.canonicalOrder()
    }

    /// Everything outside metadata and status: what bumps metadata.generation.
    static func specOf(_ o: Node) -> Node {
        var s = o
        s.remove("metadata")
        s.remove("status")
        return s
    }

    /// A validator finding as a 422 cause: `spec.x: Invalid value: ...` → field, reason, body.
    static func cause(_ d: Diagnostic) -> (field: String, reason: String, body: String) {
        var field = ""
        var body = d.message
        if let r = d.message.range(of: ": "), !d.message[..<r.lowerBound].contains(" ") {
            field = String(d.message[..<r.lowerBound])
            body = String(d.message[r.upperBound...])
        }
        let reasons = [("Required value", "FieldValueRequired"), ("Invalid value", "FieldValueInvalid"),
                       ("Unsupported value", "FieldValueNotSupported"), ("Duplicate value", "FieldValueDuplicate"),
                       ("Too long", "FieldValueTooLong"), ("Too many", "FieldValueTooMany"), ("Forbidden", "FieldValueForbidden")]
        let reason = reasons.first { body.hasPrefix($0.0) }?.1 ?? "FieldValueInvalid"
        return (field, reason, body)
    }

    /// A CRD must name its kind fully; the server then reports it Established.
    static func checkCRD(_ crd: Node, _ ctx: Context) throws(APIError) -> Node {
        guard let type = ResourceType.from(crd: crd) else {
            throw APIError.invalid(ctx.type, name: ctx.name ?? "", errors: [("spec.versions", "FieldValueRequired", "Required value: must have exactly one version marked as storage version")])
        }
        let expected = "\(type.plural).\(type.group)"
        if ctx.name != expected {
            throw APIError.invalid(ctx.type, name: ctx.name ?? "", errors: [("metadata.name", "FieldValueInvalid", "Invalid value: \"\(ctx.name ?? "")\": must be spec.names.plural+\".\"+spec.group")])
        }
        var o = crd
        var names = crd["spec"]?["names"] ?? Node(.object([]))
        if names["singular"] == nil { names.set("singular", .string(type.singular)) }
        if names["listKind"] == nil { names.set("listKind", .string(type.listKind)) }
        let now = Clock.now()
        func condition(_ t: String, _ reason: String, _ message: String) -> Node {
            .object([("type", .string(t)), ("status", "True"), ("lastTransitionTime", .string(now)),
                     ("reason", .string(reason)), ("message", .string(message))])
        }
        let storage = (crd["spec"]?["versions"]?.array ?? []).filter { $0["storage"]?.bool == true }.compactMap { $0["name"]?.string }
        o.set("status", .object([
            ("conditions", [condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                            condition("Established", "InitialNamesAccepted", "the initial names have been accepted")]),
            ("acceptedNames", names), ("storedVersions", .array(storage.map { .string($0) })),
        ]))
        return o
    }

    /// Secrets: `stringData` is write-only; the server folds it into base64 `data`.
    static func convertStringData(_ secret: Node) -> Node {
        guard let stringData = secret["stringData"]?.entries else { return secret }
        var o = secret
        var data = o["data"] ?? Node(.object([]))
        if !data.isObject { data = Node(.object([])) }
        for e in stringData { data.set(e.key, .string(Data((e.value.string ?? "").utf8).base64EncodedString())) }
        o.remove("stringData")
        o.set("data", data)
        if o["type"] == nil { o.set("type", "Opaque") }
        return o
    }

    /// managedFields sent on an update replace the stored ones; `[{}]` clears them (the
    /// documented way to strip them). Returns false when the body sent none.
    static func replaceManagedFields(from sent: Node?, into managed: inout [ManagedEntry]) -> Bool {
        guard let entries = sent?.array, !entries.isEmpty else { return false }
        managed = entries.compactMap { e in
            guard let manager = e["manager"]?.string, let operation = e["operation"]?.string else { return nil }
            return ManagedEntry(manager: manager, operation: operation, apiVersion: e["apiVersion"]?.string ?? "",
                                time: e["time"]?.string ?? Clock.now(), subresource: e["subresource"]?.string,
                                fields: FieldSets.parseFieldsV1(e["fieldsV1"] ?? Node(.object([]))))
        }
        return true
    }

    /// Ownership after a non-apply write: the manager takes every changed field (from anyone),
    /// and fields gone from the object leave every set.
    func trackUpdate(old: Node?, new: Node, managed: inout [ManagedEntry], ctx: Context) {
        let shape = ctx.type.shape(version: ctx.version)
        let newView = ownable(new, type: ctx.type, subresource: ctx.subresource)
        let newSet = FieldSets.fields(of: newView, shape: shape)
        let oldView = old.map { ownable($0, type: ctx.type, subresource: ctx.subresource) }
        var changed = FieldSet()
        for p in newSet {
            let before = oldView.flatMap { FieldSets.value(at: p, in: $0) }
            // A list item changes owner only when it appears; edits inside it move its fields.
            if case .field = p.last {
                if before == nil || before != FieldSets.value(at: p, in: newView) { changed.insert(p) }
            } else if before == nil {
                changed.insert(p)
            }
        }
        let allNew = FieldSets.fields(of: ownable(new, type: ctx.type, subresource: nil), shape: shape)
            .union(FieldSets.fields(of: ownable(new, type: ctx.type, subresource: "status"), shape: shape))
        for i in managed.indices {
            managed[i].fields.subtract(changed)
            managed[i].fields.formIntersection(allNew)
        }
        if !changed.isEmpty {
            let manager = ctx.manager
            if let i = managed.firstIndex(where: { $0.manager == manager && $0.operation == "Update" && $0.subresource == ctx.subresource }) {
                managed[i].fields.formUnion(changed)
                managed[i].time = Clock.now()
                managed[i].apiVersion = ctx.apiVersion
            } else {
                managed.append(ManagedEntry(manager: manager, operation: "Update", apiVersion: ctx.apiVersion, time: Clock.now(),
                                            subresource: ctx.subresource, fields: changed))
            }
        }
        managed.removeAll { $0.fields.isEmpty }
    }

    /// Stores a write (unless dry run), bumping the resourceVersion and logging the event.
    func commit(_ object: Node, managed: [ManagedEntry], ctx: Context, created: Bool) -> Node {
        var o = object
        if ctx.dryRun {
            return render(StoredObject(object: o, managed: managed), type: ctx.type, version: ctx.version)
        }
        // A write that changes nothing (object and ownership) is a no-op, as on a real server:
        // no new resourceVersion, no watch event, managedFields times kept.
        if !created, let old = objects[ctx.key], old.object == o, Store.sameOwnership(old.managed, managed) {
            return render(old, type: ctx.type, version: ctx.version)
        }
        resourceVersion += 1
        var meta = o["metadata"] ?? Node(.object([]))
        meta.set("resourceVersion", .string(String(resourceVersion)))
        o.set("metadata", meta)
        o = o.canonicalOrder()
        let stored = StoredObject(object: o, managed: managed)
        objects[ctx.key] = stored
        emit(created ? "ADDED" : "MODIFIED", key: ctx.key, object: render(stored, type: ctx.type, version: ctx.type.preferredVersion))
        // The last finalizer removed from an object being deleted completes the deletion.
        if o["metadata"]?["deletionTimestamp"] != nil, o["metadata"]?["finalizers"]?.array?.isEmpty ?? true {
            removeObject(ctx.key, type: ctx.type)
            return render(stored, type: ctx.type, version: ctx.version)
        }
        if ctx.type.key == TypeKey(group: "apiextensions.k8s.io", plural: "customresourcedefinitions"),
           let installed = ResourceType.from(crd: o) {
            if let old = types[installed.key], old.crdName != installed.crdName {
                // Another CRD already serves this group/plural: keep the first.
            } else {
                types[installed.key] = installed
            }
        }
        return render(stored, type: ctx.type, version: ctx.version)
    }

    static func sameOwnership(_ a: [ManagedEntry], _ b: [ManagedEntry]) -> Bool {
        guard a.count == b.count else { return false }
        return a.allSatisfy { x in
            b.contains { $0.manager == x.manager && $0.operation == x.operation && $0.subresource == x.subresource
                && $0.apiVersion == x.apiVersion && $0.fields == x.fields }
        }
    }

    func emit(_ type: String, key: ObjectKey, object: Node) {
        let event = WatchEvent(rv: resourceVersion, type: type, key: key, object: object)
        events.append(event)
        if events.count > maxEvents {
            let drop = events.count - maxEvents
            oldestWatchable = events[drop - 1].rv + 1
            events.removeFirst(drop)
        }
        for w in watchers.values where w.wants(event) { w.send(w.line(type, object)) }
    }

    func requireNamespace(_ ctx: Context) throws(APIError) {
        guard let ns = ctx.namespace else { return }
        guard let nsType = types[TypeKey(group: "", plural: "namespaces")] else { return }
        if objects[ObjectKey(type: nsType.key, namespace: "", name: ns)] == nil {
            throw APIError.notFound(nsType, name: ns)
        }
    }

    func create(_ ctx0: Context) throws(APIError) -> APIResponse {
        var ctx = ctx0
        var body = try parseBody(ctx)
        try checkIdentity(body, ctx)
        var warnings: [String] = []
        body = try pruneUnknown(body, ctx, warnings: &warnings)
        var name = body["metadata"]?["name"]?.string ?? ""
        if name.isEmpty, let prefix = body["metadata"]?["generateName"]?.string, !prefix.isEmpty {
            name = prefix + String(UUID().uuidString.lowercased().filter(\.isLetter).prefix(5))
        }
        if name.isEmpty {
            throw APIError.invalid(ctx.type, name: "", errors: [("metadata.name", "FieldValueRequired", "Required value: name or generateName is required")])
        }
        ctx.name = name
        if let rv = body["metadata"]?["resourceVersion"]?.string, !rv.isEmpty {
            throw APIError.badRequest("resourceVersion should not be set on objects to be created")
        }
        if objects[ctx.key] != nil { throw APIError.alreadyExists(ctx.type, name: name) }
        try requireNamespace(ctx)
        // Status is the controllers' to write (through /status): a create drops it.
        if ctx.type.statusSubresource { body.remove("status") }
        let object = try finalize(body, ctx, existing: nil)
        var managed: [ManagedEntry] = []
        trackUpdate(old: nil, new: object, managed: &managed, ctx: ctx)
        return .json(201, commit(object, managed: managed, ctx: ctx, created: true), headers: warningHeaders(warnings))
    }

    func warningHeaders(_ warnings: [String]) -> [(String, String)] {
        warnings.map { ("Warning", "299 - \"\($0.replacingOccurrences(of: "\"", with: "\\\""))\"") }
    }

    /// A write's candidate keeps what the endpoint may not change: the live status on the main
    /// resource (when there is a status subresource), everything but status on /status.
    func scoped(_ candidate: Node, live: Node, ctx: Context) -> Node {
        var o = candidate
        if ctx.subresource == "status" {
            o = live
            if let status = candidate["status"] { o.set("status", status) } else { o.remove("status") }
        } else if ctx.type.statusSubresource {
            if let status = live["status"] { o.set("status", status) } else { o.remove("status") }
        }
        return o
    }

    func update(_ ctx: Context) throws(APIError) -> APIResponse {
        var body = try parseBody(ctx)
        try checkIdentity(body, ctx)
        var warnings: [String] = []
        body = try pruneUnknown(body, ctx, warnings: &warnings)
        guard let existing = objects[ctx.key] else { throw APIError.notFound(ctx.type, name: ctx.name ?? "") }
        if let rv = body["metadata"]?["resourceVersion"]?.string, !rv.isEmpty,
           rv != existing.object["metadata"]?["resourceVersion"]?.string {
            throw APIError.conflict(ctx.type, name: ctx.name ?? "")
        }
        let candidate = scoped(body, live: existing.object, ctx: ctx)
        let object = try finalize(candidate, ctx, existing: existing)
        var managed = existing.managed
        if !Store.replaceManagedFields(from: body["metadata"]?["managedFields"], into: &managed) {
            trackUpdate(old: existing.object, new: object, managed: &managed, ctx: ctx)
        }
        return .json(200, commit(object, managed: managed, ctx: ctx, created: false), headers: warningHeaders(warnings))
    }

    func patch(_ ctx: Context) throws(APIError) -> APIResponse {
        let contentType = (ctx.request.header("Content-Type") ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        switch contentType {
        case "application/apply-patch+yaml", "application/apply-patch+cbor":
            return try apply(ctx)
        case "application/merge-patch+json", "application/strategic-merge-patch+json", "application/json-patch+json":
            if ctx.query["force"] != nil {
                throw APIError.invalid(ctx.type, name: ctx.name ?? "", errors: [("force", "FieldValueForbidden", "Forbidden: may not be specified for non-apply patch")])
            }
            let patch = try parseBody(ctx)
            guard let existing = objects[ctx.key] else { throw APIError.notFound(ctx.type, name: ctx.name ?? "") }
            let live = render(existing, type: ctx.type, version: ctx.version)
            var merged: Node
            switch contentType {
            case "application/json-patch+json": merged = try FieldSets.jsonPatch(live, patch)
            case "application/strategic-merge-patch+json":
                // As on a real server, custom resources have no strategic merge (kubectl uses merge patches there).
                guard ctx.type.crdName == nil else { throw APIError.unsupportedMediaType(contentType) }
                merged = StrategicMerge.apply(live, patch)
            default: merged = FieldSets.mergePatch(live, patch)
            }
            if let rv = patch["metadata"]?["resourceVersion"]?.string, rv != existing.object["metadata"]?["resourceVersion"]?.string {
                throw APIError.conflict(ctx.type, name: ctx.name ?? "")
            }
            var warnings: [String] = []
            merged = try pruneUnknown(merged, ctx, warnings: &warnings)
            try checkIdentity(merged, ctx)
            let object = try finalize(scoped(merged, live: existing.object, ctx: ctx), ctx, existing: existing)
            var managed = existing.managed
            if !Store.replaceManagedFields(from: patch["metadata"]?["managedFields"], into: &managed) {
                trackUpdate(old: existing.object, new: object, managed: &managed, ctx: ctx)
            }
            return .json(200, commit(object, managed: managed, ctx: ctx, created: false), headers: warningHeaders(warnings))
        default:
            throw APIError.unsupportedMediaType(contentType)
        }
    }

    /// Server-side apply.

    func delete(_ ctx: Context) throws(APIError) -> APIResponse {
        guard let existing = objects[ctx.key] else { throw APIError.notFound(ctx.type, name: ctx.name ?? "") }
        if ctx.type.key == TypeKey(group: "", plural: "namespaces"), let name = ctx.name,
           ["default", "kube-system", "kube-public"].contains(name) {
            throw APIError(code: 403, reason: "Forbidden", message: "namespaces \"\(name)\" is forbidden: this namespace may not be deleted",
                           details: APIError.details(name: name, group: "", kind: "namespaces"))
        }
        if let pre = try? parseBody(ctx), let uid = pre["preconditions"]?["uid"]?.string,
           uid != existing.object["metadata"]?["uid"]?.string {
            throw APIError.conflict(ctx.type, name: ctx.name ?? "")
        }
        if !(existing.object["metadata"]?["finalizers"]?.array?.isEmpty ?? true) {
            // Finalizers hold the object: mark it deleted; it goes when the last one is removed.
            if existing.object["metadata"]?["deletionTimestamp"] != nil {
                return .json(200, render(existing, type: ctx.type, version: ctx.version), headers: [])
            }
            var object = existing.object
            var meta = object["metadata"] ?? Node(.object([]))
            meta.set("deletionTimestamp", .string(Clock.now()))
            meta.set("deletionGracePeriodSeconds", 0)
            object.set("metadata", meta)
            return .json(200, commit(object.canonicalOrder(), managed: existing.managed, ctx: ctx, created: false), headers: [])
        }
        let rendered = render(existing, type: ctx.type, version: ctx.version)
        if ctx.dryRun { return .json(200, rendered, headers: []) }
        removeObject(ctx.key, type: ctx.type)
        return .json(200, rendered, headers: [])
    }

    /// DELETE on a collection: every object matching the selectors; answers with the list.
    func deleteCollection(_ ctx: Context) throws(APIError) -> APIResponse {
        let deleted = try list(ctx)
        if !ctx.dryRun {
            for item in deleted["items"]?.array ?? [] {
                let key = ObjectKey(type: ctx.type.key, namespace: item.at([.key("metadata"), .key("namespace")])?.string ?? "",
                                    name: item.at([.key("metadata"), .key("name")])?.string ?? "")
                removeObject(key, type: ctx.type)
            }
        }
        return .json(200, deleted, headers: [])
    }

    /// Deletes an object and what it owns: a namespace its objects, a CRD its type and objects.
    func removeObject(_ key: ObjectKey, type: ResourceType) {
        guard let stored = objects.removeValue(forKey: key) else { return }
        resourceVersion += 1
        var object = render(stored, type: type, version: type.preferredVersion)
        var meta = object["metadata"] ?? Node(.object([]))
        meta.set("resourceVersion", .string(String(resourceVersion)))
        object.set("metadata", meta)
        emit("DELETED", key: key, object: object.canonicalOrder())
        if type.key == TypeKey(group: "", plural: "namespaces") {
            for k in objects.keys.filter({ $0.namespace == key.name }).sorted() {
                if let t = types[k.type] { removeObject(k, type: t) }
            }
        }
        if type.key == TypeKey(group: "apiextensions.k8s.io", plural: "customresourcedefinitions"),
           let installed = ResourceType.from(crd: stored.object), types[installed.key]?.crdName == key.name {
            for k in objects.keys.filter({ $0.type == installed.key }).sorted() { removeObject(k, type: installed) }
            types.removeValue(forKey: installed.key)
            for w in watchers.values where w.type == installed.key { w.finish() }
        }
    }

    // MARK: - Fixtures

    func seedLocked(_ object: Node, manager: String) throws -> Node {
        let apiVersion = object["apiVersion"]?.string ?? ""
        let kind = object["kind"]?.string ?? ""
        let slash = apiVersion.firstIndex(of: "/")
        let group = slash.map { String(apiVersion[..<$0]) } ?? ""
        let version = slash.map { String(apiVersion[apiVersion.index(after: $0)...]) } ?? apiVersion
        guard let type = types.values.first(where: { $0.group == group && $0.kind == kind && $0.versions.contains(version) }) else {
            throw APIError(code: 404, reason: "NotFound", message: "no matches for kind \"\(kind)\" in version \"\(apiVersion)\"")
        }
        guard let name = object["metadata"]?["name"]?.string, !name.isEmpty else {
            throw APIError.badRequest("a seeded object needs metadata.name")
        }
        let ns = type.namespaced ? (object["metadata"]?["namespace"]?.string ?? "default") : nil
        let request = TestAPIRequest(method: "SEED", path: "", query: "", headers: [], body: "")
        let ctx = Context(type: type, version: version, namespace: ns, name: name, subresource: nil,
                          query: ["fieldManager": manager], request: request)
        let existing = objects[ctx.key]
        var candidate = object.withoutMarks
        if var meta = candidate["metadata"] { meta.remove("resourceVersion"); candidate.set("metadata", meta) }
        if type.key == TypeKey(group: "apiextensions.k8s.io", plural: "customresourcedefinitions") {
            candidate = try Store.checkCRD(candidate, ctx)
        }
        if type.key == TypeKey(group: "", plural: "secrets") { candidate = Store.convertStringData(candidate) }
        if type.key == TypeKey(group: "", plural: "namespaces"), candidate["status"] == nil {
            candidate.set("status", .object([("phase", "Active")]))
        }
        // Fixtures skip validation but get the server's metadata.
        var meta = candidate["metadata"] ?? Node(.object([]))
        meta.set("name", .string(name))
        if let ns { meta.set("namespace", .string(ns)) }
        meta.set("uid", .string(existing?.object["metadata"]?["uid"]?.string ?? UUID().uuidString.lowercased()))
        meta.set("creationTimestamp", .string(existing?.object["metadata"]?["creationTimestamp"]?.string ?? Clock.now()))
        if type.tracksGeneration {
            var generation = existing?.object["metadata"]?["generation"]?.int ?? 1
            if let old = existing?.object, Store.specOf(old) != Store.specOf(candidate) { generation += 1 }
            meta.set("generation", .int(generation))
        }
        meta.remove("managedFields")
        candidate.set("metadata", meta)
        candidate.set("apiVersion", .string(apiVersion))
        var managed = existing?.managed ?? []
        trackUpdate(old: existing?.object, new: candidate, managed: &managed, ctx: ctx)
        if type.statusSubresource, candidate["status"] != nil {
            var statusCtx = ctx
            statusCtx.subresource = "status"
            trackUpdate(old: existing?.object, new: candidate, managed: &managed, ctx: statusCtx)
        }
        return commit(candidate, managed: managed, ctx: ctx, created: existing == nil)
    }
}
