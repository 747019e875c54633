import AgentGWModel
import NIOConcurrencyHelpers

/// Kind → resource mappings per group/version, cached in memory (discovery is slow and rarely
/// changes). A miss refreshes the group/version once before it becomes "no matches for kind".
public final class Discovery: Sendable {
    private let cache = NIOLockedValueBox<[String: [ResourceInfo]]>([:])

    public init() {}

    func cached(_ groupVersion: String) -> [ResourceInfo]? { cache.withLockedValue { $0[groupVersion] } }
    func store(_ groupVersion: String, _ resources: [ResourceInfo]) { cache.withLockedValue { $0[groupVersion] = resources } }

    /// Forgets everything (after installing CRDs, for instance).
    public func invalidate() { cache.withLockedValue { $0.removeAll() } }

    /// Parses an `APIResourceList`: top-level resources only (`x/status` entries are subresources).
    public static func parse(_ list: Node, group: String, version: String) -> [ResourceInfo] {
        (list["resources"]?.array ?? []).compactMap { r in
            guard let name = r["name"]?.string, !name.contains("/"), let kind = r["kind"]?.string else { return nil }
            // A resource may live in another group/version than the list (rare); honour it.
            let g = r["group"]?.string ?? group
            let v = r["version"]?.string ?? version
            return ResourceInfo(group: g, version: v, kind: kind, plural: name, namespaced: r["namespaced"]?.bool ?? false)
        }
    }
}

extension KubeClient {
    /// The resources served under one group/version (`/api/v1` or `/apis/G/V`); an empty list
    /// when the server doesn't serve it (404).
    public func serverResources(group: String, version: String, refresh: Bool = false) async throws -> [ResourceInfo] {
        let gv = group.isEmpty ? version : "\(group)/\(version)"
        if !refresh, let c = discovery.cached(gv) { return c }
        let path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        let resources: [ResourceInfo]
        do {
            resources = Discovery.parse(try await call(.GET, path), group: group, version: version)
        } catch let e as KubeError where e.isNotFound {
            resources = []
        }
        discovery.store(gv, resources)
        return resources
    }

    /// Maps `apiVersion` + `kind` to its resource; throws `KubeError.noMatch` when the server
    /// has no such kind (typically a CRD that isn't installed).
    public func resource(apiVersion: String, kind: String) async throws -> ResourceInfo {
        let (group, version) = Self.splitAPIVersion(apiVersion)
        let wasCached = discovery.cached(group.isEmpty ? version : "\(group)/\(version)") != nil
        if let r = try await serverResources(group: group, version: version).first(where: { $0.kind == kind }) { return r }
        // A miss on cached data: ask once more, the CRD may be new.
        if wasCached, let r = try await serverResources(group: group, version: version, refresh: true).first(where: { $0.kind == kind }) {
            return r
        }
        throw KubeError.noMatch(group: group, version: version, kind: kind)
    }

    /// The resource of an object (from its apiVersion and kind).
    public func resource(for object: Node) async throws -> ResourceInfo {
        try await resource(apiVersion: object["apiVersion"]?.string ?? "", kind: object["kind"]?.string ?? "")
    }

    /// Fetches the resource lists of several apiVersions at once (one round trip of latency
    /// instead of one per group). Failures are left for `resource(apiVersion:kind:)` to report.
    public func prefetchDiscovery(apiVersions: some Sequence<String>) async {
        let missing = Set(apiVersions).filter { discovery.cached($0) == nil && !$0.isEmpty }
        guard missing.count > 1 else { return }
        await withTaskGroup(of: Void.self) { group in
            for apiVersion in missing {
                let (g, v) = Self.splitAPIVersion(apiVersion)
                group.addTask { _ = try? await self.serverResources(group: g, version: v) }
            }
        }
    }

    public static func splitAPIVersion(_ apiVersion: String) -> (group: String, version: String) {
        guard let slash = apiVersion.firstIndex(of: "/") else { return ("", apiVersion) }
        return (String(apiVersion[..<slash]), String(apiVersion[apiVersion.index(after: slash)...]))
    }
}
