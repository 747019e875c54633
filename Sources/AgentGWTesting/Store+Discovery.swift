import AgentGWModel
import Foundation

/// Legacy discovery documents: /version, /api, /api/v1, /apis, /apis/G, /apis/G/V.
extension Store {
    // MARK: - Discovery

    func discovery(_ s: [String]) -> Node? {
        if s == ["version"] {
            return .object([("major", "1"), ("minor", "32"), ("gitVersion", "v1.32.0-agentgw-test"),
                            ("gitCommit", "0000000000000000000000000000000000000000"), ("gitTreeState", "clean"),
                            ("buildDate", "2026-01-01T00:00:00Z"), ("goVersion", "go1.23.0"), ("compiler", "gc"),
                            ("platform", "linux/amd64")])
        }
        if s == ["api"] {
            return .object([("kind", "APIVersions"), ("versions", ["v1"]),
                            ("serverAddressByClientCIDRs", [.object([("clientCIDR", "0.0.0.0/0"), ("serverAddress", .string("127.0.0.1:\(port())"))])])])
        }
        if s == ["api", "v1"] { return resourceList(group: "", version: "v1") }
        if s == ["apis"] {
            return .object([("kind", "APIGroupList"), ("apiVersion", "v1"), ("groups", .array(groups().map(groupNode)))])
        }
        if s.count == 2, s[0] == "apis", let g = groups().first(where: { $0.name == s[1] }) {
            var node = groupNode(g)
            node.set("kind", "APIGroup")
            node.set("apiVersion", "v1")
            return node.canonicalOrder()
        }
        if s.count == 3, s[0] == "apis", groups().contains(where: { $0.name == s[1] && $0.versions.contains(s[2]) }) {
            return resourceList(group: s[1], version: s[2])
        }
        return nil
    }

    func groups() -> [(name: String, versions: [String])] {
        var byGroup: [String: Set<String>] = [:]
        for t in types.values where !t.group.isEmpty { byGroup[t.group, default: []].formUnion(t.versions) }
        return byGroup.keys.sorted().map { ($0, (byGroup[$0] ?? []).sorted(by: ResourceType.versionOrder)) }
    }

    func groupNode(_ g: (name: String, versions: [String])) -> Node {
        let versions: [Node] = g.versions.map { .object([("groupVersion", .string("\(g.name)/\($0)")), ("version", .string($0))]) }
        return .object([("name", .string(g.name)), ("versions", .array(versions)), ("preferredVersion", versions.first ?? Node(.object([])))])
    }

    func resourceList(group: String, version: String) -> Node {
        let list = types.values.filter { $0.group == group && $0.versions.contains(version) }.sorted { $0.plural < $1.plural }
        return .object([("kind", "APIResourceList"), ("apiVersion", "v1"),
                        ("groupVersion", .string(group.isEmpty ? version : "\(group)/\(version)")),
                        ("resources", .array(list.flatMap(\.discoveryEntries)))])
    }
}
