import AgentGWModel

/// Strategic merge patch for built-in kinds, as kubectl's client-side apply, label and edit send
/// it: objects merge, `null` deletes, keyed lists (containers by name, ports, env, volumes…
/// the same keys server-side apply uses) merge per item, and the directives `$patch`
/// (replace/delete/merge), `$retainKeys`, `$setElementOrder/<list>` and
/// `$deleteFromPrimitiveList/<list>` are honoured. Other lists are replaced.
enum StrategicMerge {
    static func apply(_ target: Node, _ patch: Node) -> Node {
        merge(target, patch, shape: .builtinShape, field: nil) ?? Node(.object([]))
    }

    /// nil = delete the value (a `$patch: delete` object).
    static func merge(_ target: Node?, _ patch: Node, shape: Shape, field: String?) -> Node? {
        guard let patchEntries = patch.entries else { return patch }
        let directive = patch["$patch"]?.string
        if directive == "delete" { return nil }
        var clean = patchEntries.filter { !$0.key.hasPrefix("$") }
        if directive == "replace" { return Node(.object(clean)) }
        var entries = target?.entries ?? []
        // `$deleteFromPrimitiveList/x` and `$setElementOrder/x` act on list x after the merge.
        let deletions = patchEntries.filter { $0.key.hasPrefix("$deleteFromPrimitiveList/") }
        let orders = patchEntries.filter { $0.key.hasPrefix("$setElementOrder/") }
        for e in clean {
            let i = entries.firstIndex { $0.key == e.key }
            if e.value.isNull {
                if let i { entries.remove(at: i) }
                continue
            }
            let current = i.map { entries[$0].value }
            let merged: Node?
            switch e.value.value {
            case .object: merged = merge(current, e.value, shape: shape.child(e.key), field: e.key)
            case .array(let items): merged = mergeList(current?.array ?? [], items, shape: shape, field: e.key)
            default: merged = e.value
            }
            if let i {
                if let merged { entries[i].value = merged } else { entries.remove(at: i) }
            } else if let merged {
                entries.append(Node.Entry(key: e.key, value: merged))
            }
        }
        for d in deletions {
            let name = String(d.key.dropFirst("$deleteFromPrimitiveList/".count))
            if let i = entries.firstIndex(where: { $0.key == name }), var items = entries[i].value.array {
                items.removeAll { (d.value.array ?? []).contains($0) }
                entries[i].value = Node(.array(items))
            }
        }
        for o in orders {
            let name = String(o.key.dropFirst("$setElementOrder/".count))
            guard let i = entries.firstIndex(where: { $0.key == name }), let items = entries[i].value.array,
                  let order = o.value.array else { continue }
            entries[i].value = Node(.array(reorder(items, by: order, shape: shape, field: name)))
        }
        if let retain = patch["$retainKeys"]?.array?.compactMap(\.string) {
            entries.removeAll { !retain.contains($0.key) }
        }
        clean = entries
        return Node(.object(clean))
    }

    static func mergeList(_ current: [Node], _ patch: [Node], shape: Shape, field: String) -> Node? {
        let plain = patch.filter { $0["$patch"] == nil }
        switch shape.listKind(field: field, items: current.isEmpty ? plain : current) {
        case .map(let keys):
            var items = current
            for p in patch {
                let i = items.firstIndex { same($0, p, keys) }
                if p["$patch"]?.string == "replace" {
                    // `[{$patch: replace}]` replaces the whole list with the rest of the patch.
                    return Node(.array(patch.filter { $0["$patch"] == nil }))
                }
                let merged = merge(i.map { items[$0] }, p, shape: shape.item(), field: nil)
                if let i {
                    if let merged { items[i] = merged } else { items.remove(at: i) }
                } else if let merged {
                    items.append(merged)
                }
            }
            return Node(.array(items))
        case .set:
            var items = current
            for p in patch where !items.contains(p) { items.append(p) }
            return Node(.array(items))
        case .atomic:
            return Node(.array(patch))
        }
    }

    /// Whether a live item is the one a patch item names: every key field the patch item has
    /// matches (kubectl's merge key is e.g. `containerPort` alone; protocol may be absent).
    static func same(_ item: Node, _ patch: Node, _ keys: [String]) -> Bool {
        let present = keys.filter { patch[$0] != nil }
        return !present.isEmpty && present.allSatisfy { item[$0] == patch[$0] }
    }

    /// Items named in `order` first, in that order; the rest keep their relative order after.
    static func reorder(_ items: [Node], by order: [Node], shape: Shape, field: String) -> [Node] {
        let matches: (Node, Node) -> Bool
        if case .map(let keys) = shape.listKind(field: field, items: items) {
            matches = { same($0, $1, keys) }
        } else {
            matches = { $0 == $1 }
        }
        let ordered = order.compactMap { o in items.first { matches($0, o) } }
        let rest = items.filter { item in !order.contains { matches(item, $0) } }
        return ordered + rest
    }
}
