import AgentGWModel
import Foundation

/// Server-side apply: per-manager field ownership, conflicts, force and pruning.
extension Store {
    func apply(_ ctx: Context) throws(APIError) -> APIResponse {
        guard let manager = ctx.query["fieldManager"], !manager.isEmpty else {
            throw APIError(code: 422, reason: "Invalid",
                           message: "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
                           details: .object([("group", "meta.k8s.io"), ("kind", "PatchOptions"),
                                             ("causes", [.object([("reason", "FieldValueRequired"), ("message", "Required value: is required for apply patch"), ("field", "fieldManager")])])]))
        }
        if manager.count > 128 {
            throw APIError(code: 422, reason: "Invalid", message: "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long: may not be more than 128 bytes")
        }
        let force = ctx.query["force"] == "true"
        var body = try parseBody(ctx)
        try checkIdentity(body, ctx)
        if body["metadata"]?["managedFields"] != nil {
            throw APIError.badRequest("metadata.managedFields must be nil")
        }
        var warnings: [String] = []
        body = try pruneUnknown(body, ctx, warnings: &warnings)
        let existing = objects[ctx.key]
        if existing == nil {
            if ctx.subresource == "status" { throw APIError.notFound(ctx.type, name: ctx.name ?? "") }
            try requireNamespace(ctx)
        }
        let shape = ctx.type.shape(version: ctx.version)
        let config = ownable(body, type: ctx.type, subresource: ctx.subresource)
        let applied = FieldSets.fields(of: config, shape: shape)
        var managed = existing?.managed ?? []
        let live = existing.map { ownable($0.object, type: ctx.type, subresource: ctx.subresource) }
        let mine = managed.firstIndex { $0.manager == manager && $0.operation == "Apply" && $0.subresource == ctx.subresource }

        // Conflicts: a field another manager owns whose live value this apply would change.
        var conflicts: [(path: FieldPath, entry: Int)] = []
        if let live {
            for (i, e) in managed.enumerated() where e.manager != manager {
                for p in e.fields.intersection(applied) {
                    guard case .field = p.last else { continue }
                    if let lv = FieldSets.value(at: p, in: live), lv != FieldSets.value(at: p, in: config) {
                        conflicts.append((p, i))
                    }
                }
            }
        }
        if !conflicts.isEmpty && !force { throw conflictError(conflicts, managed) }
        for c in conflicts { managed[c.entry].fields.remove(c.path) }

        // Merge, then prune what this manager stopped applying and nobody else owns.
        var result = FieldSets.merge(live, config, shape: shape)
        var others = FieldSet()
        for (i, e) in managed.enumerated() where i != mine { others.formUnion(e.fields) }
        if let mine {
            let kept = applied.union(others)
            let removed = managed[mine].fields.subtracting(applied).subtracting(others)
            for p in removed.sorted(by: { $0.count < $1.count }) {  // items before their fields (keys find items)
                if kept.contains(where: { $0.count > p.count && Array($0.prefix(p.count)) == p }) { continue }
                // An item that stays keeps its key fields.
                if p.count >= 2, case .field(let f) = p[p.count - 1], case .key(let k) = p[p.count - 2],
                   FieldSets.keyFields(k).contains(where: { $0.key == f }) { continue }
                FieldSets.remove(p, from: &result)
            }
        }
        if let i = mine {
            managed[i].fields = applied
            managed[i].apiVersion = body["apiVersion"]?.string ?? ctx.apiVersion
            managed[i].time = Clock.now()
        } else {
            managed.append(ManagedEntry(manager: manager, operation: "Apply", apiVersion: body["apiVersion"]?.string ?? ctx.apiVersion,
                                        time: Clock.now(), subresource: ctx.subresource, fields: applied))
        }

        // Back to a whole object: identity and server metadata from the live one.
        var candidate = result
        let base = existing?.object ?? Node(.object([]))
        var meta = candidate["metadata"] ?? Node(.object([]))
        for k in ["uid", "creationTimestamp", "resourceVersion", "generation", "deletionTimestamp", "deletionGracePeriodSeconds"] {
            if let v = base["metadata"]?[k] { meta.set(k, v) }
        }
        candidate.set("metadata", meta)
        if ctx.subresource == "status" {
            var whole = base
            if let s = candidate["status"] { whole.set("status", s) } else { whole.remove("status") }
            candidate = whole
        } else if let s = base["status"] {
            candidate.set("status", s)
        }
        let object = try finalize(candidate, ctx, existing: existing)
        let allFields = FieldSets.fields(of: ownable(object, type: ctx.type, subresource: nil), shape: shape)
            .union(FieldSets.fields(of: ownable(object, type: ctx.type, subresource: "status"), shape: shape))
        for i in managed.indices { managed[i].fields.formIntersection(allFields) }
        managed.removeAll { $0.fields.isEmpty && $0.operation != "Apply" }
        let created = existing == nil
        return .json(created ? 201 : 200, commit(object, managed: managed, ctx: ctx, created: created), headers: warningHeaders(warnings))
    }

    func conflictError(_ conflicts: [(path: FieldPath, entry: Int)], _ managed: [ManagedEntry]) -> APIError {
        let sorted = conflicts.sorted { (managed[$0.entry].manager, FieldSets.describe($0.path)) < (managed[$1.entry].manager, FieldSets.describe($1.path)) }
        let causes: [Node] = sorted.map {
            .object([("reason", "FieldManagerConflict"), ("message", .string("conflict with \(managed[$0.entry].conflictName)")),
                     ("field", .string(FieldSets.describe($0.path)))])
        }
        let message: String
        if sorted.count == 1 {
            message = "Apply failed with 1 conflict: conflict with \(managed[sorted[0].entry].conflictName): \(FieldSets.describe(sorted[0].path))"
        } else {
            var lines: [String] = []
            var seen: [String] = []
            for c in sorted where !seen.contains(managed[c.entry].conflictName) {
                let name = managed[c.entry].conflictName
                seen.append(name)
                lines.append("conflicts with \(name):")
                for d in sorted where managed[d.entry].conflictName == name { lines.append("- \(FieldSets.describe(d.path))") }
            }
            message = "Apply failed with \(sorted.count) conflicts: " + lines.joined(separator: "\n")
        }
        return APIError(code: 409, reason: "Conflict", message: message, details: .object([("causes", .array(causes))]))
    }
}
