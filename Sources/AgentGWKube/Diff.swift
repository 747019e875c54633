import AgentGWModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One object's two sides: the live object (nil if absent) and what the server would make of
/// the local one (a server-side apply dry run).
public struct DiffPair: Sendable {
    public var resource: ResourceInfo
    public var namespace: String
    public var name: String
    public var live: Node?
    public var merged: Node?

    /// kubectl's file name: `<group>.<version>.<Kind>.<namespace>.<name>` (no group part for core).
    public var fileName: String {
        (resource.group.isEmpty ? "" : "\(resource.group).") + "\(resource.version).\(resource.kind).\(namespace).\(name)"
    }
}

/// `diff`: builds LIVE and MERGED trees, masks Secret data, and runs `diff -u -N` or
/// `KUBECTL_EXTERNAL_DIFF` like kubectl (k8s.io/kubectl/pkg/cmd/diff).
public struct Differ: Sendable {
    public var client: KubeClient
    public var fieldManager: String
    public var force = false
    public var namespaces: NamespacePolicy
    public var showManagedFields = false
    public var missingKindHint: String?

    public init(client: KubeClient, fieldManager: String, namespaces: NamespacePolicy) {
        self.client = client
        self.fieldManager = fieldManager
        self.namespaces = namespaces
    }

    /// GET live, then an SSA dry run for MERGED. A failure is kubectl's error text.
    public func pair(_ input: SourcedObject) async -> Result<DiffPair, DiffFailure> {
        if let problem = input.missingNameError { return .failure(DiffFailure(message: problem)) }
        let resource: ResourceInfo
        do {
            resource = try await client.resource(apiVersion: input.apiVersion, kind: input.kind)
        } catch let e as KubeError {
            return .failure(DiffFailure(message: Applier.mappingError(e, input, hint: missingKindHint)))
        } catch {
            return .failure(DiffFailure(message: KubectlWording.line(for: error)))
        }
        do {
            let ns = try namespaces.namespace(for: input, resource: resource)
            var body = input.object.withoutMarks
            if let ns {
                var meta = body["metadata"] ?? Node(.object([]))
                meta.set("namespace", .string(ns))
                body.set("metadata", meta)
            }
            let live = try await client.getIfExists(resource, namespace: ns, name: input.name)
            let options = KubeClient.ApplyOptions(fieldManager: fieldManager, force: force, dryRun: .all)
            let merged = try await client.apply(body, resource, namespace: ns, name: input.name, options: options)
            var pair = DiffPair(resource: resource, namespace: ns ?? "", name: input.name, live: live, merged: merged)
            prepare(&pair)
            return .success(pair)
        } catch let e as KubeError {
            return .failure(DiffFailure(message: KubectlWording.line(for: e)))
        } catch {
            return .failure(DiffFailure(message: KubectlWording.line(for: error)))
        }
    }

    /// Strips managedFields (unless asked) and masks Secret data on both sides.
    public func prepare(_ pair: inout DiffPair) {
        if !showManagedFields {
            pair.live = pair.live.map(Self.stripManagedFields)
            pair.merged = pair.merged.map(Self.stripManagedFields)
        }
        if pair.resource.kind == "Secret" && pair.resource.group.isEmpty {
            (pair.live, pair.merged) = Self.maskSecrets(live: pair.live, merged: pair.merged)
        }
    }

    public static func stripManagedFields(_ n: Node) -> Node {
        var n = n
        if var meta = n["metadata"], meta["managedFields"] != nil {
            meta.remove("managedFields")
            n.set("metadata", meta)
        }
        return n
    }

    static let mask = "***"
    static let maskBefore = "*** (before)"
    static let maskAfter = "*** (after)"

    /// kubectl's Masker: a key on both sides with equal values → `***` on both; different →
    /// `*** (before)` / `*** (after)`; on one side only → `***`. Applies to `data` and `stringData`.
    public static func maskSecrets(live: Node?, merged: Node?) -> (Node?, Node?) {
        var live = live, merged = merged
        for field in ["data", "stringData"] {
            let from = live?[field]?.entries ?? []
            let to = merged?[field]?.entries ?? []
            var fromOut: [(String, Node)] = [], toOut: [String: Node] = [:]
            let toIndex = Dictionary(to.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            let fromIndex = Dictionary(from.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            for e in from {
                if let other = toIndex[e.key] {
                    if other != e.value {
                        fromOut.append((e.key, .string(maskBefore)))
                        toOut[e.key] = .string(maskAfter)
                        continue
                    }
                    toOut[e.key] = .string(mask)
                }
                fromOut.append((e.key, .string(mask)))
            }
            for e in to where fromIndex[e.key] == nil { toOut[e.key] = .string(mask) }
            if live?[field] != nil { live?.set(field, .object(fromOut)) }
            if merged?[field] != nil { merged?.set(field, .object(to.map { ($0.key, toOut[$0.key] ?? .string(mask)) })) }
        }
        return (live, merged)
    }

    /// Writes `LIVE-*` and `MERGED-*` folders under `tmp`; absent sides are left out (diff -N
    /// treats them as empty).
    public static func writeTrees(_ pairs: [DiffPair], tmp: String = NSTemporaryDirectory()) throws -> (live: String, merged: String) {
        let live = try makeTempDir(prefix: "LIVE-", in: tmp)
        let merged = try makeTempDir(prefix: "MERGED-", in: tmp)
        for p in pairs {
            if let l = p.live {
                try Data(KubectlYAML.write(l).utf8).write(to: URL(fileURLWithPath: "\(live)/\(p.fileName)"))
            }
            if let m = p.merged {
                try Data(KubectlYAML.write(m).utf8).write(to: URL(fileURLWithPath: "\(merged)/\(p.fileName)"))
            }
        }
        return (live, merged)
    }

    /// `PREFIX<random digits>` with mode 0700, like Go's os.MkdirTemp that kubectl uses.
    static func makeTempDir(prefix: String, in tmp: String) throws -> String {
        let base = tmp.hasSuffix("/") ? String(tmp.dropLast()) : tmp
        for _ in 0..<100 {
            let path = "\(base)/\(prefix)\(UInt32.random(in: 0...UInt32.max))"
            if mkdir(path, 0o700) == 0 { return path }
            if errno != EEXIST { break }
        }
        throw KubeError.config("cannot create a temporary folder in \(base): \(String(cString: strerror(errno)))")
    }

    /// The diff command: `KUBECTL_EXTERNAL_DIFF` (its extra args filtered by `^[a-zA-Z0-9-=]+$`),
    /// else `diff -u -N` (with `--color=always` when asked).
    public static func command(environment: [String: String], color: Bool) -> (String, [String]) {
        if let ext = environment["KUBECTL_EXTERNAL_DIFF"]?.split(separator: " ").map(String.init), let cmd = ext.first {
            let args = ext.dropFirst().filter { arg in
                !arg.isEmpty && arg.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "-" || $0 == "=" }
            }
            return (cmd, Array(args))
        }
        return ("diff", color ? ["-u", "-N", "--color=always"] : ["-u", "-N"])
    }

    /// Runs the diff program with our stdout/stderr; returns its exit status.
    public static func run(live: String, merged: String, environment: [String: String], color: Bool) throws -> Int32 {
        let (cmd, args) = command(environment: environment, color: color)
        let process = Process()
        if cmd.contains("/") {
            process.executableURL = URL(fileURLWithPath: cmd)
            process.arguments = args + [live, merged]
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [cmd] + args + [live, merged]
        }
        process.environment = environment
        process.standardOutput = FileHandle.standardOutput
        process.standardError = FileHandle.standardError
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw KubeError.config("failed to run \"\(cmd)\": \(error.localizedDescription)")
        }
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal { return 2 }
        // `env` exits 127 when the program is missing.
        if process.terminationStatus == 127 {
            throw KubeError.config("executable file not found in $PATH: \"\(cmd)\"")
        }
        return process.terminationStatus
    }
}

/// Why one object couldn't be diffed (kubectl's text).
public struct DiffFailure: Error, Sendable {
    public var message: String
}
