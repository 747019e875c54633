/// One document of a manifest file: a Kubernetes object as read, with its origin.
public struct Manifest: Sendable {
    /// The object tree, positions included.
    public var node: Node
    /// The file it came from (`-` for standard input).
    public var file: String
    /// 0-based index of the document in its file.
    public var documentIndex: Int

    public init(node: Node, file: String, documentIndex: Int = 0) {
        self.node = node
        self.file = file
        self.documentIndex = documentIndex
    }

    public var apiVersion: String { node["apiVersion"]?.string ?? "" }
    public var kind: String { node["kind"]?.string ?? "" }
    public var name: String { node["metadata"]?["name"]?.string ?? "" }
    /// The namespace written in the manifest, or nil when it is left to the context.
    public var namespace: String? { node["metadata"]?["namespace"]?.string }

    /// API group: the part of apiVersion before `/`, or "" for the core group.
    public var group: String {
        let parts = apiVersion.split(separator: "/", maxSplits: 1)
        return parts.count == 2 ? String(parts[0]) : ""
    }

    /// API version: the part of apiVersion after `/`.
    public var version: String {
        String(apiVersion.split(separator: "/", maxSplits: 1).last ?? "")
    }

    /// `kind/name` for messages, e.g. `HTTPRoute/route-for-mcp-backend`.
    public var displayName: String { "\(kind)/\(name)" }
}
