import AgentGWModel
import Foundation
import NIOConcurrencyHelpers

/// One `metadata.managedFields` entry.
struct ManagedEntry: Sendable {
    var manager: String
    var operation: String  // "Apply" | "Update"
    var apiVersion: String
    var time: String
    var subresource: String?
    var fields: FieldSet

    var node: Node {
        var entries: [(String, Node)] = [("manager", .string(manager)), ("operation", .string(operation)),
                                         ("apiVersion", .string(apiVersion)), ("time", .string(time)),
                                         ("fieldsType", "FieldsV1"), ("fieldsV1", FieldSets.fieldsV1(fields))]
        if let subresource { entries.append(("subresource", .string(subresource))) }
        return .object(entries)
    }

    /// How conflicts name this manager: `"helm" using v1`, Update ones with their time.
    var conflictName: String {
        var s = "\"\(manager)\""
        if let subresource { s += " with subresource \"\(subresource)\"" }
        s += " using \(apiVersion)"
        if operation == "Update" { s += " at \(time)" }
        return s
    }
}

struct StoredObject: Sendable {
    /// The object without managedFields.
    var object: Node
    var managed: [ManagedEntry]
}

struct ObjectKey: Hashable, Sendable, Comparable {
    var type: TypeKey
    var namespace: String
    var name: String

    static func < (a: ObjectKey, b: ObjectKey) -> Bool { (a.namespace, a.name) < (b.namespace, b.name) }
}

struct WatchEvent: Sendable {
    var rv: Int
    var type: String
    var key: ObjectKey
    var object: Node
}

/// An open watch stream. `send` and `finish` hop to the connection's event loop; the store calls
/// them while holding its lock, so events reach each stream in resourceVersion order.
final class Watcher: Sendable {
    let id: Int
    let type: TypeKey
    let namespace: String?
    let labels: LabelSelector
    let fields: FieldSelector
    let apiVersion: String
    let kind: String
    let send: @Sendable (String) -> Void
    let finish: @Sendable () -> Void

    init(id: Int, type: TypeKey, namespace: String?, labels: LabelSelector, fields: FieldSelector, apiVersion: String,
         kind: String, send: @escaping @Sendable (String) -> Void, finish: @escaping @Sendable () -> Void) {
        self.id = id
        self.type = type
        self.namespace = namespace
        self.labels = labels
        self.fields = fields
        self.apiVersion = apiVersion
        self.kind = kind
        self.send = send
        self.finish = finish
    }

    func wants(_ event: WatchEvent) -> Bool {
        event.key.type == type && (namespace == nil || namespace == event.key.namespace)
            && labels.matches(event.object) && fields.matches(event.object)
    }

    func line(_ type: String, _ object: Node) -> String {
        var o = object
        o.set("apiVersion", .string(apiVersion))
        return JSONWriter.write(.object([("type", .string(type)), ("object", o.canonicalOrder())]), indent: nil) + "\n"
    }
}

/// What a request resolves to.
enum APIResponse {
    case json(Int, Node, headers: [(String, String)])
    case text(Int, String)
    case watch(WatchRequest)
}

/// A watch to open on the connection (the handler supplies the stream callbacks).
struct WatchRequest {
    var type: ResourceType
    var version: String
    var namespace: String?
    var labels: LabelSelector
    var fields: FieldSelector
    var resourceVersion: Int?
    var timeoutSeconds: Int?
    var bookmarks: Bool
    /// `sendInitialEvents=true`: after the initial ADDED events, a BOOKMARK annotated
    /// `k8s.io/initial-events-end` (streaming lists).
    var sendInitialEvents = false
}

/// The API server's state: served types, objects, the resourceVersion counter and event log.
/// Every operation runs under one lock; requests are small, so this stays simple and ordered.
final class Store: @unchecked Sendable {
    let lock = NIOLock()
    var types: [TypeKey: ResourceType] = [:]
    var objects: [ObjectKey: StoredObject] = [:]
    var resourceVersion = 1
    var events: [WatchEvent] = []
    /// Watches from resourceVersions below this get 410 Expired.
    var oldestWatchable = 0
    var watchers: [Int: Watcher] = [:]
    var nextWatcherID = 1
    var log: [TestAPIRequest] = []
    let maxEvents = 20_000
    let port: () -> Int

    init(options: TestAPIServerOptions, port: @escaping () -> Int) {
        self.port = port
        for t in ResourceType.builtins { types[t.key] = t }
        for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            _ = try? seedLocked(.object([("apiVersion", "v1"), ("kind", "Namespace"), ("metadata", .object([("name", .string(ns))]))]),
                                manager: "test-preinstall")
        }
        var crds: [Node] = []
        if options.gatewayAPICRDs { crds += ResourceType.gatewayAPICRDs() }
        if options.agentGatewayCRDs {
            let docs = (try? YAMLReader.read(AgentGatewayCRDs.yaml, file: "AgentGatewayCRDs.yaml")) ?? []
            crds += docs.filter { $0["kind"]?.string == "CustomResourceDefinition" }
        }
        for crd in crds { _ = try? seedLocked(crd, manager: "test-preinstall") }
        // Fixtures are history: a watch from RV 0 lists them, a watch from "now" starts clean.
        events.removeAll()
    }

    /// The lock, with typed throws (NIOLock.withLock rethrows untyped).
    func locked<T>(_ body: () throws(APIError) -> T) throws(APIError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: - Public helpers (called by TestAPIServer)

    func record(_ request: TestAPIRequest) { lock.withLock { log.append(request) } }
    func requests() -> [TestAPIRequest] { lock.withLock { log } }

    func object(group: String, plural: String, namespace: String?, name: String) -> Node? {
        lock.withLock {
            guard let type = types[TypeKey(group: group, plural: plural)],
                  let stored = objects[ObjectKey(type: type.key, namespace: type.namespaced ? (namespace ?? "default") : "", name: name)]
            else { return nil }
            return render(stored, type: type, version: type.preferredVersion)
        }
    }

    func seed(_ object: Node, manager: String) throws {
        try lock.withLock { _ = try seedLocked(object, manager: manager) }
    }

    func compactHistory() {
        lock.withLock {
            oldestWatchable = resourceVersion + 1
            events.removeAll()
            let expired = APIError(code: 410, reason: "Expired", message: "The resourceVersion for the provided watch is too old.")
            for w in watchers.values {
                w.send(JSONWriter.write(.object([("type", "ERROR"), ("object", expired.status)]), indent: nil) + "\n")
                w.finish()
            }
            watchers.removeAll()
        }
    }

    func closeWatches() {
        lock.withLock {
            for w in watchers.values { w.finish() }
            watchers.removeAll()
        }
    }

    func removeWatcher(_ id: Int) { _ = lock.withLock { watchers.removeValue(forKey: id) } }

    /// Sends a BOOKMARK at the current resourceVersion (queued behind any pending events).
    func bookmark(_ id: Int) {
        lock.withLock {
            guard let w = watchers[id] else { return }
            let object: Node = .object([("kind", .string(w.kind)), ("apiVersion", .string(w.apiVersion)),
                                        ("metadata", .object([("resourceVersion", .string(String(resourceVersion)))]))])
            w.send(JSONWriter.write(.object([("type", "BOOKMARK"), ("object", object)]), indent: nil) + "\n")
        }
    }

    /// Opens a watch: replays what the client missed (or lists everything for RV 0), then
    /// registers for new events, atomically.
    func startWatch(_ request: WatchRequest, send: @escaping @Sendable (String) -> Void,
                    finish: @escaping @Sendable () -> Void) throws(APIError) -> Int {
        try locked { () throws(APIError) -> Int in
            let w = Watcher(id: nextWatcherID, type: request.type.key, namespace: request.namespace, labels: request.labels,
                            fields: request.fields, apiVersion: request.type.apiVersion(request.version),
                            kind: request.type.kind, send: send, finish: finish)
            if let rv = request.resourceVersion, rv != 0 {
                if rv < oldestWatchable - 1 { throw APIError.expired(requested: rv, oldest: oldestWatchable - 1) }
                for e in events where e.rv > rv && w.wants(e) { send(w.line(e.type, e.object)) }
            } else {
                for (key, stored) in objects.sorted(by: { $0.key < $1.key }) where key.type == request.type.key {
                    let rendered = render(stored, type: request.type, version: request.version)
                    let e = WatchEvent(rv: 0, type: "ADDED", key: key, object: rendered)
                    if w.wants(e) { send(w.line("ADDED", rendered)) }
                }
                if request.sendInitialEvents {
                    let object: Node = .object([("kind", .string(w.kind)), ("apiVersion", .string(w.apiVersion)),
                                                ("metadata", .object([("resourceVersion", .string(String(resourceVersion))),
                                                                      ("annotations", .object([("k8s.io/initial-events-end", "true")]))]))])
                    send(JSONWriter.write(.object([("type", "BOOKMARK"), ("object", object)]), indent: nil) + "\n")
                }
            }
            nextWatcherID += 1
            watchers[w.id] = w
            return w.id
        }
    }

    // MARK: - Requests

    func handle(_ request: TestAPIRequest) -> APIResponse {
        do {
            return try locked { () throws(APIError) -> APIResponse in try route(request) }
        } catch {
            return .json(error.code, error.status, headers: [])
        }
    }

    func route(_ request: TestAPIRequest) throws(APIError) -> APIResponse {
        let segments = request.path.split(separator: "/").map(String.init)
        let query = request.queryItems
        if request.method == "GET" {
            if ["healthz", "readyz", "livez"].contains(request.path.dropFirst()) { return .text(200, "ok") }
            if let doc = discovery(segments) { return .json(200, doc, headers: []) }
        }
        let group: String, version: String, rest: [String]
        if segments.count >= 2, segments[0] == "api", segments[1] == "v1" {
            (group, version, rest) = ("", "v1", Array(segments.dropFirst(2)))
        } else if segments.count >= 3, segments[0] == "apis" {
            (group, version, rest) = (segments[1], segments[2], Array(segments.dropFirst(3)))
        } else {
            throw APIError.notFoundResource
        }
        var namespace: String?
        var plural: String, name: String?, sub: String?
        if rest.count >= 3, rest[0] == "namespaces", !(rest.count == 3 && ["status", "finalize"].contains(rest[2])) {
            namespace = rest[1]
            plural = rest[2]
            name = rest.count > 3 ? rest[3] : nil
            sub = rest.count > 4 ? rest[4] : nil
            if rest.count > 5 { throw APIError.notFoundResource }
        } else if !rest.isEmpty {
            plural = rest[0]
            name = rest.count > 1 ? rest[1] : nil
            sub = rest.count > 2 ? rest[2] : nil
            if rest.count > 3 { throw APIError.notFoundResource }
        } else {
            throw APIError.notFoundResource
        }
        guard let type = types[TypeKey(group: group, plural: plural)], type.versions.contains(version) else {
            throw APIError.notFoundResource
        }
        if namespace != nil && !type.namespaced { throw APIError.notFoundResource }
        if type.namespaced && namespace == nil && name != nil { throw APIError.notFoundResource }
        if let sub, sub != "status" || !type.statusSubresource { throw APIError.notFoundResource }
        let ctx = Context(type: type, version: version, namespace: type.namespaced ? namespace : nil, name: name,
                          subresource: sub, query: query, request: request)
        switch (request.method, name) {
        case ("GET", nil):
            if query["watch"] == "true" || query["watch"] == "1" { return try watch(ctx) }
            return .json(200, try list(ctx), headers: [])
        case ("GET", _?):
            if sub == nil, query["watch"] == "true" || query["watch"] == "1" { return try watch(ctx) }
            return .json(200, try get(ctx), headers: [])
        case ("POST", nil): return try create(ctx)
        case ("PUT", _?): return try update(ctx)
        case ("PATCH", _?): return try patch(ctx)
        case ("DELETE", _?): return try delete(ctx)
        case ("DELETE", nil): return try deleteCollection(ctx)
        default: throw APIError.methodNotAllowed()
        }
    }

    struct Context {
        var type: ResourceType
        var version: String
        var namespace: String?
        var name: String?
        var subresource: String?
        var query: [String: String]
        var request: TestAPIRequest

        var dryRun: Bool { query["dryRun"] == "All" }
        var key: ObjectKey { ObjectKey(type: type.key, namespace: namespace ?? "", name: name ?? "") }
        var apiVersion: String { type.apiVersion(version) }
        /// fieldManager, else what the apiserver derives from the User-Agent (`kubectl/v1.32...` → `kubectl`).
        var manager: String {
            if let m = query["fieldManager"], !m.isEmpty { return m }
            let agent = request.header("User-Agent") ?? "unknown"
            return String(agent.split(separator: "/").first ?? "unknown")
        }
    }
}
