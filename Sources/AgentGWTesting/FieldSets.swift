import AgentGWModel

/// One step of a managed-fields path, as structured-merge-diff names it: `f:name` (a field),
/// `k:{"name":"a"}` (an item of a map list, by its keys), `v:"x"` (an item of a set list).
enum PathElement: Hashable, Sendable, Comparable {
    case field(String)
    case key(String)   // canonical JSON of the key fields, keys sorted
    case value(String) // JSON of the set item

    /// The `fieldsV1` key.
    var fieldsV1Key: String {
        switch self {
        case .field(let f): return "f:" + f
        case .key(let k): return "k:" + k
        case .value(let v): return "v:" + v
        }
    }

    static func < (a: PathElement, b: PathElement) -> Bool { a.fieldsV1Key < b.fieldsV1Key }
}

typealias FieldPath = [PathElement]
typealias FieldSet = Set<FieldPath>

/// How a list merges: atomically (one owner for the whole list), as a set, or as a map by keys.
enum ListKind: Equatable {
    case atomic
    case set
    case map([String])
}

/// Where we are in an object's schema, to know how its lists merge. Custom resources follow
/// their OpenAPI schema (`x-kubernetes-list-type`); built-in kinds use a few hard-coded keyed
/// lists (the ones that matter for tutorial manifests and controllers).
struct Shape: Sendable {
    let schema: OpenAPISchema?
    let builtin: Bool

    static let builtinShape = Shape(schema: nil, builtin: true)
    static let unknown = Shape(schema: nil, builtin: false)

    func child(_ key: String) -> Shape {
        if builtin { return self }
        guard let schema else { return .unknown }
        if let p = schema.properties[key] { return Shape(schema: p, builtin: false) }
        if case .schema(let a) = schema.additionalProperties { return Shape(schema: a, builtin: false) }
        return .unknown
    }

    func item() -> Shape { builtin ? self : Shape(schema: schema?.items, builtin: false) }

    /// Maps marked `x-kubernetes-map-type: atomic` (built-ins: label selectors) have one owner
    /// for the whole value, like atomic lists.
    func atomicMap(field: String?) -> Bool {
        builtin ? field == "selector" : schema?.mapType == "atomic"
    }

    func listKind(field: String?, items: [Node]) -> ListKind {
        let kind: ListKind
        if builtin {
            switch field {
            case "containers", "initContainers", "ephemeralContainers", "volumes", "env", "imagePullSecrets":
                kind = .map(["name"])
            case "volumeMounts": kind = .map(["mountPath"])
            case "ports":
                kind = items.contains(where: { $0["containerPort"] != nil }) ? .map(["containerPort", "protocol"]) : .map(["port", "protocol"])
            case "ownerReferences": kind = .map(["uid"])
            case "conditions": kind = .map(["type"])
            case "finalizers": kind = .set
            default: kind = .atomic
            }
        } else {
            switch schema?.listType {
            case .map?: kind = .map(schema?.listMapKeys ?? [])
            case .set?: kind = .set
            default: kind = .atomic
            }
        }
        // A keyed list whose items lack every key, or repeat keys, can't be merged: atomic.
        if case .map(let keys) = kind {
            if keys.isEmpty { return .atomic }
            var seen = Set<String>()
            for item in items {
                guard item.isObject, keys.contains(where: { item[$0] != nil }) else { return .atomic }
                if !seen.insert(FieldSets.keyJSON(item, keys)).inserted { return .atomic }
            }
        }
        return kind
    }
}

/// Field ownership sets and the server-side apply merge.
enum FieldSets {
    /// `{"name":"a"}` — the present key fields of an item, sorted by name.
    static func keyJSON(_ item: Node, _ keys: [String]) -> String {
        var entries: [(String, Node)] = []
        for k in keys.sorted() { if let v = item[k] { entries.append((k, v)) } }
        return JSONWriter.write(.object(entries), indent: nil)
    }

    /// The fields present in `node`: every leaf, every keyed or set list item, every atomic list.
    static func fields(of node: Node, shape: Shape, at path: FieldPath = [], field: String? = nil) -> FieldSet {
        var out = FieldSet()
        collect(node, shape, path, field, into: &out)
        return out
    }

    static func collect(_ node: Node, _ shape: Shape, _ path: FieldPath, _ field: String?, into out: inout FieldSet) {
        switch node.value {
        case .object(let entries):
            if entries.isEmpty || (!path.isEmpty && shape.atomicMap(field: field)) {
                if !path.isEmpty { out.insert(path) }
                return
            }
            for e in entries {
                let childShape = path.isEmpty && e.key == "metadata" ? Shape.builtinShape : shape.child(e.key)
                collect(e.value, childShape, path + [.field(e.key)], e.key, into: &out)
            }
        case .array(let items):
            switch shape.listKind(field: field, items: items) {
            case .map(let keys):
                let itemShape = shape.item()
                for item in items {
                    let p = path + [.key(keyJSON(item, keys))]
                    out.insert(p)
                    for e in item.entries ?? [] {
                        collect(e.value, itemShape.child(e.key), p + [.field(e.key)], e.key, into: &out)
                    }
                }
            case .set:
                for item in items { out.insert(path + [.value(JSONWriter.write(item, indent: nil))]) }
            case .atomic:
                out.insert(path)
            }
        default:
            out.insert(path)
        }
    }

    /// Parses `{"name":"a"}` back into its key fields.
    static func keyFields(_ json: String) -> [Node.Entry] {
        (try? YAMLReader.read(json, file: "key"))?.first?.entries ?? []
    }

    static func matches(_ item: Node, key json: String) -> Bool {
        let fields = keyFields(json)
        return !fields.isEmpty && fields.allSatisfy { item[$0.key] == $0.value }
    }

    /// The value at a path, or nil when absent.
    static func value(at path: FieldPath, in node: Node) -> Node? {
        var current = node
        for element in path {
            switch element {
            case .field(let f):
                guard let next = current[f] else { return nil }
                current = next
            case .key(let k):
                guard let next = current.array?.first(where: { matches($0, key: k) }) else { return nil }
                current = next
            case .value(let v):
                guard let next = current.array?.first(where: { JSONWriter.write($0, indent: nil) == v }) else { return nil }
                current = next
            }
        }
        return current
    }

    /// Removes the value at a path (a field, a keyed item or a set item).
    static func remove(_ path: FieldPath, from node: inout Node) {
        guard let first = path.first else { return }
        let rest = Array(path.dropFirst())
        switch (first, node.value) {
        case (.field(let f), .object(var entries)):
            guard let i = entries.firstIndex(where: { $0.key == f }) else { return }
            if rest.isEmpty { entries.remove(at: i) } else { remove(rest, from: &entries[i].value) }
            node.value = .object(entries)
        case (.key(let k), .array(var items)):
            guard let i = items.firstIndex(where: { matches($0, key: k) }) else { return }
            if rest.isEmpty { items.remove(at: i) } else { remove(rest, from: &items[i]) }
            node.value = .array(items)
        case (.value(let v), .array(var items)):
            items.removeAll { JSONWriter.write($0, indent: nil) == v }
            node.value = .array(items)
        default:
            return
        }
    }

    /// Server-side apply's merge of an applied configuration into the live object: objects merge
    /// by key, keyed lists by item key, set lists by value; anything else is replaced.
    static func merge(_ live: Node?, _ applied: Node, shape: Shape, field: String? = nil, root: Bool = true) -> Node {
        guard let live else { return applied }
        switch (live.value, applied.value) {
        case (.object(var entries), .object(let incoming)):
            if !root && shape.atomicMap(field: field) { return applied }
            for e in incoming {
                let childShape = root && e.key == "metadata" ? Shape.builtinShape : shape.child(e.key)
                if let i = entries.firstIndex(where: { $0.key == e.key }) {
                    entries[i].value = merge(entries[i].value, e.value, shape: childShape, field: e.key, root: false)
                } else {
                    entries.append(e)
                }
            }
            return Node(.object(entries))
        case (.array(var items), .array(let incoming)):
            switch shape.listKind(field: field, items: incoming) {
            case .map(let keys):
                if case .atomic = shape.listKind(field: field, items: items) { return applied }
                for item in incoming {
                    let k = keyJSON(item, keys)
                    if let i = items.firstIndex(where: { keyJSON($0, keys) == k }) {
                        items[i] = merge(items[i], item, shape: shape.item(), root: false)
                    } else {
                        items.append(item)
                    }
                }
                return Node(.array(items))
            case .set:
                for item in incoming where !items.contains(item) { items.append(item) }
                return Node(.array(items))
            case .atomic:
                return applied
            }
        default:
            return applied
        }
    }

    /// RFC 7386 JSON merge patch.
    static func mergePatch(_ target: Node?, _ patch: Node) -> Node {
        guard case .object(let patchEntries) = patch.value else { return patch }
        var entries = target?.entries ?? []
        for e in patchEntries {
            if e.value.isNull {
                entries.removeAll { $0.key == e.key }
            } else if let i = entries.firstIndex(where: { $0.key == e.key }) {
                entries[i].value = mergePatch(entries[i].value, e.value)
            } else {
                entries.append(Node.Entry(key: e.key, value: mergePatch(nil, e.value)))
            }
        }
        return Node(.object(entries))
    }

    /// RFC 6902 JSON patch (add, remove, replace, move, copy, test) with JSON pointers.
    static func jsonPatch(_ target: Node, _ operations: Node) throws(APIError) -> Node {
        guard let ops = operations.array else { throw APIError.badRequest("the JSON patch must be an array of operations") }
        var doc = target
        for op in ops {
            guard let name = op["op"]?.string, let path = op["path"]?.string else {
                throw APIError(code: 422, reason: "Invalid", message: "invalid JSON patch operation: needs op and path")
            }
            let tokens = try pointer(path)
            switch name {
            case "add": try put(&doc, tokens, op["value"] ?? .null, insert: true)
            case "replace":
                guard get(doc, tokens) != nil else { throw APIError(code: 422, reason: "Invalid", message: "replace operation does not apply: doc is missing key: \(path)") }
                try put(&doc, tokens, op["value"] ?? .null, insert: false)
            case "remove":
                guard get(doc, tokens) != nil else { throw APIError(code: 422, reason: "Invalid", message: "remove operation does not apply: doc is missing path: \(path)") }
                delete(&doc, tokens)
            case "move", "copy":
                guard let from = op["from"]?.string, let value = get(doc, try pointer(from)) else {
                    throw APIError(code: 422, reason: "Invalid", message: "\(name) operation does not apply: missing from")
                }
                if name == "move" { doc = try jsonPatch(doc, .array([.object([("op", "remove"), ("path", .string(from))])])) }
                try put(&doc, tokens, value, insert: true)
            case "test":
                if get(doc, tokens) != (op["value"] ?? .null) {
                    throw APIError(code: 422, reason: "Invalid", message: "testing value \(path) failed")
                }
            default:
                throw APIError(code: 422, reason: "Invalid", message: "unexpected JSON patch operation \"\(name)\"")
            }
        }
        return doc
    }

    static func pointer(_ p: String) throws(APIError) -> [String] {
        if p.isEmpty { return [] }
        guard p.hasPrefix("/") else { throw APIError.badRequest("invalid JSON pointer \"\(p)\"") }
        return p.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") }
    }

    static func get(_ node: Node, _ tokens: [String]) -> Node? {
        var current = node
        for t in tokens {
            if let a = current.array {
                guard let i = Int(t), i >= 0, i < a.count else { return nil }
                current = a[i]
            } else if let next = current[t] {
                current = next
            } else {
                return nil
            }
        }
        return current
    }

    static func delete(_ node: inout Node, _ tokens: [String]) {
        guard let first = tokens.first else { return }
        let rest = Array(tokens.dropFirst())
        switch node.value {
        case .object(var entries):
            guard let i = entries.firstIndex(where: { $0.key == first }) else { return }
            if rest.isEmpty { entries.remove(at: i) } else { delete(&entries[i].value, rest) }
            node.value = .object(entries)
        case .array(var items):
            guard let i = Int(first), i >= 0, i < items.count else { return }
            if rest.isEmpty { items.remove(at: i) } else { delete(&items[i], rest) }
            node.value = .array(items)
        default:
            return
        }
    }

    static func put(_ node: inout Node, _ tokens: [String], _ value: Node, insert: Bool) throws(APIError) {
        guard let first = tokens.first else { node = value; return }
        let rest = Array(tokens.dropFirst())
        switch node.value {
        case .object(var entries):
            if rest.isEmpty {
                if let i = entries.firstIndex(where: { $0.key == first }) { entries[i].value = value } else { entries.append(Node.Entry(key: first, value: value)) }
            } else {
                guard let i = entries.firstIndex(where: { $0.key == first }) else { throw APIError(code: 422, reason: "Invalid", message: "add operation does not apply: doc is missing path: /\(tokens.joined(separator: "/"))") }
                try put(&entries[i].value, rest, value, insert: insert)
            }
            node.value = .object(entries)
        case .array(var items):
            let index = first == "-" ? items.count : Int(first) ?? -1
            guard index >= 0, index <= items.count, rest.isEmpty || index < items.count else {
                throw APIError(code: 422, reason: "Invalid", message: "JSON patch index out of range: \(first)")
            }
            if rest.isEmpty {
                if insert { items.insert(value, at: index) } else if index < items.count { items[index] = value }
            } else {
                try put(&items[index], rest, value, insert: insert)
            }
            node.value = .array(items)
        default:
            throw APIError(code: 422, reason: "Invalid", message: "JSON patch path does not apply: /\(tokens.joined(separator: "/"))")
        }
    }

    /// `fieldsV1` JSON: nested `f:`/`k:`/`v:` keys, `.` where an item is owned and has children.
    static func fieldsV1(_ set: FieldSet) -> Node {
        final class Tree {
            var member = false
            var children: [PathElement: Tree] = [:]
        }
        let root = Tree()
        for path in set {
            var t = root
            for element in path {
                if let c = t.children[element] { t = c } else {
                    let c = Tree()
                    t.children[element] = c
                    t = c
                }
            }
            t.member = true
        }
        func render(_ t: Tree) -> Node {
            var entries: [(String, Node)] = []
            if t.member && !t.children.isEmpty { entries.append((".", Node(.object([])))) }
            for (element, child) in t.children.sorted(by: { $0.key < $1.key }) {
                entries.append((element.fieldsV1Key, render(child)))
            }
            return .object(entries)
        }
        return render(root)
    }

    /// Reads `fieldsV1` back into a set (for managedFields a client sends on PUT).
    static func parseFieldsV1(_ node: Node, prefix: FieldPath = []) -> FieldSet {
        var out = FieldSet()
        guard let entries = node.entries else { return out }
        if entries.isEmpty, !prefix.isEmpty { out.insert(prefix) }
        for e in entries {
            if e.key == "." { out.insert(prefix); continue }
            let body = String(e.key.dropFirst(2))
            let element: PathElement
            switch e.key.prefix(2) {
            case "f:": element = .field(body)
            case "k:": element = .key(body)
            case "v:": element = .value(body)
            default: continue
            }
            out.formUnion(parseFieldsV1(e.value, prefix: prefix + [element]))
        }
        return out
    }

    /// A path as structured-merge-diff prints it in conflicts: `.spec.listeners[name="http"].port`.
    static func describe(_ path: FieldPath) -> String {
        var out = ""
        for element in path {
            switch element {
            case .field(let f): out += "." + f
            case .key(let k):
                out += "[" + keyFields(k).map { "\($0.key)=\(JSONWriter.write($0.value, indent: nil))" }.joined(separator: ",") + "]"
            case .value(let v): out += "[=\(v)]"
            }
        }
        return out
    }
}
