import Foundation

/// Why inputs could not be loaded at all (as opposed to findings inside them).
public enum LoadError: Error, Sendable, CustomStringConvertible {
    case notFound(String)
    case unreadable(String, String)
    case noManifests(String)

    public var description: String {
        switch self {
        case .notFound(let p): return "\(p): no such file or directory"
        case .unreadable(let p, let why): return "\(p): cannot read: \(why)"
        case .noManifests(let p): return "\(p): no .yaml, .yml or .json files found"
        }
    }
}

/// The result of loading inputs: objects, plus per-file read errors that count as findings.
public struct LoadedInputs: Sendable {
    public var manifests: [Manifest] = []
    public var readErrors: [ReadError] = []
    public var files: [String] = []

    public init() {}
}

/// Reads `-f` inputs the way kubectl does: files, folders (`.yaml`, `.yml`, `.json`; `-R` to
/// recurse) and `-` for standard input. `kind: List` documents are expanded; empty documents are
/// skipped.
public enum ManifestLoader {
    public static let extensions: Set<String> = ["yaml", "yml", "json"]

    public static func load(_ paths: [String], recursive: Bool, limits: ReadLimits = .default,
                            stdin: () -> [UInt8] = { readStandardInput() }) throws(LoadError) -> LoadedInputs {
        var inputs = LoadedInputs()
        for path in paths {
            if path == "-" {
                inputs.add(bytes: stdin(), file: "-", limits: limits)
                continue
            }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw .notFound(path) }
            let files = isDir.boolValue ? try listFiles(path, recursive: recursive) : [path]
            if isDir.boolValue && files.isEmpty { throw .noManifests(path) }
            for file in files {
                inputs.add(bytes: try readFile(file, limit: limits.maxBytes), file: file, limits: limits)
            }
        }
        return inputs
    }

    public static func listFiles(_ dir: String, recursive: Bool) throws(LoadError) -> [String] {
        let fm = FileManager.default
        let names: [String]
        do {
            names = recursive ? (fm.enumerator(atPath: dir)?.compactMap { $0 as? String } ?? [])
                : try fm.contentsOfDirectory(atPath: dir)
        } catch {
            throw .unreadable(dir, "\(error.localizedDescription)")
        }
        let base = dir.hasSuffix("/") ? String(dir.dropLast()) : dir
        return names.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }
            .map { "\(base)/\($0)" }
            .filter { var d: ObjCBool = false; return fm.fileExists(atPath: $0, isDirectory: &d) && !d.boolValue }
            .sorted()
    }

    /// Reads at most `limit + 1` bytes, so a huge file is refused without loading it whole.
    static func readFile(_ path: String, limit: Int) throws(LoadError) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadable(path, "permission denied or not a regular file") }
        defer { try? handle.close() }
        do {
            let data = try handle.read(upToCount: limit + 1) ?? Data()
            return [UInt8](data)
        } catch {
            throw .unreadable(path, error.localizedDescription)
        }
    }

    public static func readStandardInput() -> [UInt8] {
        [UInt8](FileHandle.standardInput.readDataToEndOfFile())
    }
}

extension LoadedInputs {
    mutating func add(bytes: [UInt8], file: String, limits: ReadLimits) {
        files.append(file)
        let documents: [Node]
        do {
            documents = try YAMLReader.read(bytes, file: file, limits: limits)
        } catch {
            readErrors.append(error)
            return
        }
        for (index, doc) in documents.enumerated() {
            append(doc, file: file, index: index)
        }
    }

    mutating func append(_ doc: Node, file: String, index: Int) {
        switch doc.value {
        case .null:
            return
        case .object:
            if doc["kind"]?.string == "List", doc["apiVersion"]?.string == "v1", let items = doc["items"]?.array {
                for item in items { append(item, file: file, index: index) }
                return
            }
            manifests.append(Manifest(node: doc, file: file, documentIndex: index))
        default:
            readErrors.append(ReadError("a manifest must be a mapping with apiVersion and kind, not a \(doc.typeName)",
                                        at: doc.mark ?? SourceMark(file: file, line: 1, column: 1)))
        }
    }
}
