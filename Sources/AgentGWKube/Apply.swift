import AgentGWModel

/// An object to send, with where it was read from (for kubectl's error wording).
public struct SourcedObject: Sendable {
    public var object: Node
    /// The file it came from (`-` for stdin).
    public var source: String
    public init(object: Node, source: String) { self.object = object; self.source = source }

    public var apiVersion: String { object["apiVersion"]?.string ?? "" }
    public var kind: String { object["kind"]?.string ?? "" }
    public var name: String { object["metadata"]?["name"]?.string ?? "" }
    public var namespace: String? { object["metadata"]?["namespace"]?.string.flatMap { $0.isEmpty ? nil : $0 } }
    public var group: String { KubeClient.splitAPIVersion(apiVersion).group }

    /// kubectl's refusal of an object without a name (server-side apply needs one).
    var missingNameError: String? {
        name.isEmpty ? "error: resource name may not be empty (\(kind.isEmpty ? "object" : kind) from \"\(source)\")" : nil
    }
}

/// The order objects are applied in: what others depend on goes first.
public enum ApplyOrder {
    /// Built-in kinds that others depend on; everything else ranks after them.
    static let builtIn: [String: Int] = [
        "Namespace": 0, "CustomResourceDefinition": 1, "ServiceAccount": 2, "Secret": 3, "ConfigMap": 4,
        "ClusterRole": 5, "Role": 5, "ClusterRoleBinding": 6, "RoleBinding": 6, "Service": 7, "Deployment": 8,
    ]

    /// The rank of a kind: built-ins 0–8, the rest 100 + `extra(kind, group)` (callers rank
    /// their own kinds there, e.g. Backends before routes and policies).
    public static func rank(kind: String, group: String, extra: (String, String) -> Int?) -> Int {
        if let r = builtIn[kind], group.isEmpty || ["apps", "rbac.authorization.k8s.io", "apiextensions.k8s.io"].contains(group) { return r }
        return 100 + (extra(kind, group) ?? 50)
    }

    /// A stable sort by rank: objects of the same rank keep their input order.
    public static func sorted(_ objects: [SourcedObject], extra: (String, String) -> Int? = { _, _ in nil }) -> [SourcedObject] {
        objects.enumerated()
            .map { (rank(kind: $0.element.kind, group: $0.element.group, extra: extra), $0.offset, $0.element) }
            .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            .map(\.2)
    }
}

/// What happened to one object.
public struct ObjectResult: Sendable {
    public var input: SourcedObject
    /// The server's answer (apply, dry run or delete), when there was one.
    public var object: Node?
    /// kubectl's success line, e.g. `secret/x serverside-applied`.
    public var line: String?
    /// kubectl's error text (may be several lines), when it failed.
    public var error: String?
    /// The failure, typed.
    public var failure: KubeError?
    /// Where the object lives (set once discovery mapped it).
    public var resource: ResourceInfo?
    public var namespace: String?
    public var succeeded: Bool { error == nil }
}

/// Where objects go: the namespace rules kubectl applies before sending.
public struct NamespacePolicy: Sendable {
    /// The namespace for namespaced objects that name none.
    public var defaultNamespace: String
    /// Set when -n was given: an object naming another namespace is refused.
    public var enforce: Bool
    public init(defaultNamespace: String, enforce: Bool) { self.defaultNamespace = defaultNamespace; self.enforce = enforce }

    func namespace(for o: SourcedObject, resource: ResourceInfo) throws(KubeError) -> String? {
        guard resource.namespaced else { return nil }
        if let ns = o.namespace {
            if enforce && ns != defaultNamespace {
                throw .config("the namespace from the provided object \"\(ns)\" does not match the namespace \"\(defaultNamespace)\". You must pass '--namespace=\(ns)' to perform this operation.")
            }
            return ns
        }
        return defaultNamespace
    }
}

/// Server-side apply of many objects, in order, with kubectl's result lines.
public struct Applier: Sendable {
    public enum DryRunMode: String, Sendable { case none, server, client }

    public var client: KubeClient
    public var fieldManager: String
    public var force = false
    public var dryRun: DryRunMode = .none
    /// `Strict`, `Warn`, `Ignore` or nil.
    public var fieldValidation: String?
    public var namespaces: NamespacePolicy
    /// Appended under kubectl's "ensure CRDs are installed first" (e.g. `run: kubectl agentgw install`).
    public var missingKindHint: String?

    public init(client: KubeClient, fieldManager: String, namespaces: NamespacePolicy) {
        self.client = client
        self.fieldManager = fieldManager
        self.namespaces = namespaces
    }

    var suffix: String {
        switch dryRun {
        case .none: return ""
        case .server: return " (server dry run)"
        case .client: return " (dry run)"
        }
    }

    /// Applies one object. Never throws: failures come back as kubectl's text.
    public func apply(_ input: SourcedObject) async -> ObjectResult {
        var result = ObjectResult(input: input)
        if let problem = input.missingNameError {
            result.error = problem
            return result
        }
        let resource: ResourceInfo
        do {
            resource = try await client.resource(apiVersion: input.apiVersion, kind: input.kind)
        } catch let e as KubeError {
            result.failure = e
            result.error = Self.mappingError(e, input, hint: missingKindHint)
            return result
        } catch {
            result.error = KubectlWording.line(for: error)
            return result
        }
        do {
            let ns = try namespaces.namespace(for: input, resource: resource)
            var body = input.object.withoutMarks
            if let ns {
                var meta = body["metadata"] ?? Node(.object([]))
                meta.set("namespace", .string(ns))
                body.set("metadata", meta)
            }
            let kindName = "\(resource.kindGroup)/\(input.name)"
            if dryRun == .client {
                result.object = body
                result.line = "\(kindName) serverside-applied\(suffix)"
                return result
            }
            let options = KubeClient.ApplyOptions(fieldManager: fieldManager, force: force,
                                                  dryRun: dryRun == .server ? .all : .none, fieldValidation: fieldValidation)
            result.object = try await client.apply(body, resource, namespace: ns, name: input.name, options: options)
            result.line = "\(kindName) serverside-applied\(suffix)"
        } catch let e as KubeError {
            result.failure = e
            if e.isFieldManagerConflict, let s = e.apiStatus {
                result.error = KubectlWording.conflict(s)
            } else {
                result.error = KubectlWording.line(for: e)
            }
        } catch {
            result.error = KubectlWording.line(for: error)
        }
        return result
    }

    static func mappingError(_ e: KubeError, _ input: SourcedObject, hint: String?) -> String {
        guard case .noMatch(let g, let v, let k) = e else { return KubectlWording.line(for: e) }
        var text = KubectlWording.resourceMappingNotFound(name: input.name, namespace: input.namespace ?? "", source: input.source,
                                                          group: g, version: v, kind: k)
        if let hint { text += "\n\(hint)" }
        return text
    }

    /// Applies objects one by one in `ApplyOrder`, continuing past failures as kubectl does.
    public func applyAll(_ objects: [SourcedObject], extraOrder: (String, String) -> Int? = { _, _ in nil },
                         each: (ObjectResult) -> Void = { _ in }) async -> [ObjectResult] {
        var results: [ObjectResult] = []
        await client.prefetchDiscovery(apiVersions: objects.map(\.apiVersion))
        for o in ApplyOrder.sorted(objects, extra: extraOrder) {
            let r = await apply(o)
            each(r)
            results.append(r)
        }
        return results
    }
}

/// `delete -f`: objects in reverse apply order, kubectl's `kind.group "name" deleted` lines.
public struct Deleter: Sendable {
    public var client: KubeClient
    public var namespaces: NamespacePolicy
    public var ignoreNotFound = false
    public var dryRun = false
    public var propagationPolicy: String? = "Background"

    public init(client: KubeClient, namespaces: NamespacePolicy) {
        self.client = client
        self.namespaces = namespaces
    }

    public func delete(_ input: SourcedObject) async -> ObjectResult {
        var result = ObjectResult(input: input)
        if let problem = input.missingNameError {
            result.error = problem
            return result
        }
        let resource: ResourceInfo
        do {
            resource = try await client.resource(apiVersion: input.apiVersion, kind: input.kind)
        } catch let e as KubeError {
            if case .noMatch = e, ignoreNotFound { return result }
            result.failure = e
            result.error = Applier.mappingError(e, input, hint: nil)
            return result
        } catch {
            result.error = KubectlWording.line(for: error)
            return result
        }
        result.resource = resource
        do {
            let ns = try namespaces.namespace(for: input, resource: resource)
            result.namespace = ns
            result.object = try await client.delete(resource, namespace: ns, name: input.name,
                                                    propagationPolicy: propagationPolicy, dryRun: dryRun ? .all : .none)
            result.line = "\(resource.kindGroup) \"\(input.name)\" deleted\(dryRun ? " (server dry run)" : "")"
        } catch let e as KubeError {
            if e.isNotFound && ignoreNotFound { return result }
            result.failure = e
            if case .status(var s) = e {
                // kubectl names the file: `Error from server (NotFound): error when deleting "x.yaml": ...`.
                s.message = "error when deleting \"\(input.source)\": \(s.message)"
                result.error = KubectlWording.message(for: s)
            } else {
                result.error = KubectlWording.line(for: e)
            }
        } catch {
            result.error = KubectlWording.line(for: error)
        }
        return result
    }

    /// kubectl delete's default `--wait`: polls each deleted object until it is gone (finalizers
    /// done) or replaced by a new one (another uid). Throws a timeout error naming what remains.
    public func waitUntilGone(_ results: [ObjectResult], timeout: Duration?, interval: Duration = .milliseconds(500)) async throws {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        for r in results where r.succeeded {
            guard let resource = r.resource, let object = r.object, object["kind"]?.string != "Status",
                  let uid = object["metadata"]?["uid"]?.string else { continue }
            while true {
                guard let live = try await client.getIfExists(resource, namespace: r.namespace, name: r.input.name),
                      live["metadata"]?["uid"]?.string == uid else { break }
                if let deadline, ContinuousClock.now >= deadline {
                    throw KubeError.timeout("timed out waiting for the deletion of \(resource.kindGroup)/\(r.input.name)")
                }
                try await Task.sleep(for: interval)
            }
        }
    }

    public func deleteAll(_ objects: [SourcedObject], extraOrder: (String, String) -> Int? = { _, _ in nil },
                          each: (ObjectResult) -> Void = { _ in }) async -> [ObjectResult] {
        var results: [ObjectResult] = []
        await client.prefetchDiscovery(apiVersions: objects.map(\.apiVersion))
        for o in ApplyOrder.sorted(objects, extra: extraOrder).reversed() {
            let r = await delete(o)
            each(r)
            results.append(r)
        }
        return results
    }
}
