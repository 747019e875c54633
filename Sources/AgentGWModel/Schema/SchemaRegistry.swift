import Foundation

/// One served CRD version as `scripts/embed-gateway-api-schemas.py` embeds it.
struct EmbeddedCRDVersion: Sendable {
    var group: String
    var version: String
    var kind: String
    var plural: String
    var namespaced: Bool
    var storage: Bool
    var statusSubresource: Bool
    /// Shared by versions whose schemas are identical, so each is compiled once.
    var schemaID: String
    var schemaJSON: String
}

/// A served group/version/kind the validator has a schema for.
public struct KnownKind: Sendable {
    public let group: String
    public let version: String
    public let kind: String
    public let plural: String
    public let namespaced: Bool
    public let schema: OpenAPISchema
}

/// The schemas the offline validator knows: the embedded Gateway API CRDs and our own CRDs
/// (read from `AgentGatewayCRDs.yaml`, the single source of truth for them).
///
/// Gateway API schemas are compiled on first use, one per distinct schema, and then shared.
public enum SchemaRegistry {
    struct Key: Hashable {
        var group: String
        var version: String
        var kind: String
    }

    struct GroupKind: Hashable {
        var group: String
        var kind: String
    }

    /// The Gateway API release of the embedded schemas, e.g. `v1.6.1`.
    public static var gatewayAPIBundleVersion: String { GatewayAPISchemas.bundleVersion }

    /// The schema of a served group/version/kind, or nil when we have none.
    public static func lookup(group: String, version: String, kind: String) -> KnownKind? {
        let key = Key(group: group, version: version, kind: kind)
        if let known = ours[key] { return known }
        guard let entry = embedded[key] else { return nil }
        let schema = compiled.schema(id: entry.schemaID, json: entry.schemaJSON)
        return KnownKind(group: entry.group, version: entry.version, kind: entry.kind, plural: entry.plural,
                         namespaced: entry.namespaced, schema: schema)
    }

    /// The versions we know for a group and kind (empty when the kind is unknown altogether).
    public static func servedVersions(group: String, kind: String) -> [String] {
        versionsByGroupKind[GroupKind(group: group, kind: kind)] ?? []
    }

    /// Why our own CRD text could not be read, if it could not (tests assert this is nil).
    public static var agentGatewayCRDProblem: String? { oursLoad.problem }

    // MARK: - Storage

    static let embedded: [Key: EmbeddedCRDVersion] = {
        var index: [Key: EmbeddedCRDVersion] = [:]
        for e in GatewayAPISchemas.entries {
            index[Key(group: e.group, version: e.version, kind: e.kind)] = e
        }
        return index
    }()

    static var ours: [Key: KnownKind] { oursLoad.kinds }

    static let oursLoad: (kinds: [Key: KnownKind], problem: String?) = loadCRDs(
        AgentGatewayCRDs.yaml, file: "AgentGatewayCRDs.yaml")

    static let versionsByGroupKind: [GroupKind: [String]] = {
        var out: [GroupKind: [String]] = [:]
        for e in GatewayAPISchemas.entries {
            out[GroupKind(group: e.group, kind: e.kind), default: []].append(e.version)
        }
        for key in ours.keys.sorted(by: { $0.version < $1.version }) {
            out[GroupKind(group: key.group, kind: key.kind), default: []].append(key.version)
        }
        return out
    }()

    static let compiled = CompiledSchemas()

    /// Reads the `openAPIV3Schema` of every served version of every CRD in a YAML text.
    static func loadCRDs(_ text: String, file: String) -> (kinds: [Key: KnownKind], problem: String?) {
        if text.allSatisfy(\.isWhitespace) { return ([:], nil) }
        let documents: [Node]
        do {
            documents = try YAMLReader.read(text, file: file)
        } catch {
            return ([:], error.description)
        }
        var kinds: [Key: KnownKind] = [:]
        var cache = PatternCache()
        for doc in documents where doc["kind"]?.string == "CustomResourceDefinition" {
            guard let spec = doc["spec"], let group = spec["group"]?.string,
                  let kind = spec["names"]?["kind"]?.string else { continue }
            let plural = spec["names"]?["plural"]?.string ?? kind.lowercased() + "s"
            let namespaced = (spec["scope"]?.string ?? "Namespaced") == "Namespaced"
            for version in spec["versions"]?.array ?? [] {
                guard version["served"]?.bool ?? true, let name = version["name"]?.string,
                      let schemaNode = version["schema"]?["openAPIV3Schema"], schemaNode.isObject else { continue }
                let schema = OpenAPISchema(schemaNode, cache: &cache)
                kinds[Key(group: group, version: name, kind: kind)] = KnownKind(
                    group: group, version: name, kind: kind, plural: plural, namespaced: namespaced, schema: schema)
            }
        }
        return (kinds, nil)
    }
}

/// Compiles each embedded schema on first use. A lock guards the table; compiled schemas are
/// immutable and shared freely afterwards.
final class CompiledSchemas: @unchecked Sendable {
    private let lock = NSLock()
    private var schemas: [String: OpenAPISchema] = [:]
    private var patterns = PatternCache()

    func schema(id: String, json: String) -> OpenAPISchema {
        lock.lock()
        defer { lock.unlock() }
        if let s = schemas[id] { return s }
        // JSON is YAML; the embedded text is generated, so a read failure is a build bug.
        let node = (try? YAMLReader.read(json, file: id))?.first ?? Node(.object([]))
        let schema = OpenAPISchema(node, cache: &patterns)
        schemas[id] = schema
        return schema
    }
}
