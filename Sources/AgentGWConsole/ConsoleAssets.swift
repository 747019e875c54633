import Foundation

/// The web console's files (HTML, CSS, JavaScript modules), embedded at build time from
/// `Assets/` by the EmbedConsoleAssets plugin: the binary needs no files beside it.
public enum ConsoleAssets {
    /// Environment variable naming a folder to serve the assets from instead (console
    /// development: edit and reload, no rebuild). Only flat, plain file names are read.
    public static let developmentFolderVariable = "AGENTGW_CONSOLE_DIR"

    public struct Asset: Sendable {
        public var bytes: [UInt8]
        public var contentType: String
    }

    /// The embedded asset names, sorted.
    public static var names: [String] { embeddedConsoleAssets.keys.sorted() }

    /// The asset `name` (a flat file name such as `app.js`), or nil.
    public static func asset(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Asset? {
        guard isPlainName(name), let type = contentType(name) else { return nil }
        if let folder = environment[developmentFolderVariable], !folder.isEmpty {
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { return nil }
            return Asset(bytes: Array(data), contentType: type)
        }
        guard let bytes = embeddedConsoleAssets[name] else { return nil }
        return Asset(bytes: bytes, contentType: type)
    }

    /// No separators, no leading dot, no traversal: a name is looked up, never a path.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && name.utf8.count <= 100
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }
    }

    /// Only types the console uses; anything else is not served.
    static func contentType(_ name: String) -> String? {
        switch name.split(separator: ".").last.map({ $0.lowercased() }) {
        case "html": return "text/html; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "ico": return "image/x-icon"
        case "json": return "application/json"
        default: return nil
        }
    }
}
