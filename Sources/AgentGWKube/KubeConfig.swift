import AgentGWModel
import Foundation

/// A problem with kubeconfig files or the selected context, worded like clientcmd's.
public struct KubeConfigError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One `clusters[].cluster` entry (clientcmd v1 `Cluster`).
public struct KubeCluster: Sendable, Equatable {
    public var server: String = ""
    /// Absolute path (relative paths are resolved against the kubeconfig's folder on load).
    public var certificateAuthority: String?
    /// PEM bytes; wins over `certificateAuthority`.
    public var certificateAuthorityData: [UInt8]?
    public var insecureSkipTLSVerify = false
    public var tlsServerName: String?
    public var proxyURL: String?
    public var disableCompression = false
    public init() {}
}

/// `users[].user.exec`: a client-go credential plugin.
public struct ExecConfig: Sendable, Equatable {
    public struct EnvVar: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) { self.name = name; self.value = value }
    }
    public var command: String = ""
    public var args: [String] = []
    public var env: [EnvVar] = []
    public var apiVersion: String = ""
    public var installHint: String?
    public var provideClusterInfo = false
    public var interactiveMode: String?
    public init() {}
}

/// `users[].user.auth-provider`.
public struct AuthProviderConfig: Sendable, Equatable {
    public var name: String
    public var config: [String: String]
}

/// One `users[].user` entry (clientcmd v1 `AuthInfo`). Secrets are held, never printed.
public struct KubeUser: Sendable, Equatable {
    public var clientCertificate: String?
    public var clientCertificateData: [UInt8]?
    public var clientKey: String?
    public var clientKeyData: [UInt8]?
    public var token: String?
    public var tokenFile: String?
    public var impersonate: String?
    public var impersonateUID: String?
    public var impersonateGroups: [String] = []
    public var username: String?
    public var password: String?
    public var authProvider: AuthProviderConfig?
    public var exec: ExecConfig?
    public init() {}
}

/// One `contexts[].context` entry.
public struct KubeContext: Sendable, Equatable {
    public var cluster: String = ""
    public var user: String = ""
    public var namespace: String?
    public init(cluster: String = "", user: String = "", namespace: String? = nil) {
        self.cluster = cluster; self.user = user; self.namespace = namespace
    }
}

/// A kubeconfig: one file, or several merged with clientcmd's rules.
public struct KubeConfig: Sendable, Equatable {
    public var clusters: [String: KubeCluster] = [:]
    public var users: [String: KubeUser] = [:]
    public var contexts: [String: KubeContext] = [:]
    public var currentContext: String = ""
    public init() {}

    public var isEmpty: Bool { clusters.isEmpty && users.isEmpty && contexts.isEmpty && currentContext.isEmpty }

    /// Merges a lower-priority file in: the first file to set a value or a map key wins, and a
    /// named entry is taken whole from the first file that has it (clientcmd loader.go).
    public mutating func merge(lowerPriority other: KubeConfig) {
        if currentContext.isEmpty { currentContext = other.currentContext }
        for (k, v) in other.clusters where clusters[k] == nil { clusters[k] = v }
        for (k, v) in other.users where users[k] == nil { users[k] = v }
        for (k, v) in other.contexts where contexts[k] == nil { contexts[k] = v }
    }

    /// Parses one kubeconfig file. Relative paths in it resolve against `directory` (normally the
    /// file's folder). Errors name the file and line.
    public static func parse(_ bytes: [UInt8], file: String, directory: String? = nil) throws(KubeConfigError) -> KubeConfig {
        let docs: [Node]
        do { docs = try YAMLReader.read(bytes, file: file) } catch {
            throw KubeConfigError("error loading config file \"\(file)\": \(error.description)")
        }
        let root = docs.first(where: { !$0.isNull }) ?? Node(.object([]))
        let dir = directory ?? (file as NSString).deletingLastPathComponent
        var p = Parser(file: file, dir: dir)
        return try p.config(root)
    }

    /// Reads and parses a file.
    public static func load(file: String) throws(KubeConfigError) -> KubeConfig {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw KubeConfigError("error loading config file \"\(file)\": cannot read file")
        }
        let abs = URL(fileURLWithPath: file).standardizedFileURL.deletingLastPathComponent().path
        return try parse([UInt8](data), file: file, directory: abs)
    }
}

/// Turns the YAML tree into the typed config, with `file:line` on every type error.
private struct Parser {
    var file: String
    var dir: String

    func fail(_ node: Node, _ message: String) -> KubeConfigError {
        let at = node.mark.map { "\($0.file):\($0.line)" } ?? file
        return KubeConfigError("error loading config file \"\(file)\": \(at): \(message)")
    }

    func object(_ node: Node, _ what: String) throws(KubeConfigError) -> Node {
        guard node.isObject || node.isNull else { throw fail(node, "\(what) must be a mapping, not a \(node.typeName)") }
        return node.isNull ? Node(.object([])) : node
    }

    func string(_ node: Node?, _ what: String) throws(KubeConfigError) -> String? {
        guard let node, !node.isNull else { return nil }
        switch node.value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .bool(let b): return String(b)
        default: throw fail(node, "\(what) must be a string, not a \(node.typeName)")
        }
    }

    func bool(_ node: Node?, _ what: String) throws(KubeConfigError) -> Bool {
        guard let node, !node.isNull else { return false }
        if let b = node.bool { return b }
        if let s = node.string, let b = Bool(s) { return b }
        throw fail(node, "\(what) must be a boolean, not a \(node.typeName)")
    }

    func data(_ node: Node?, _ what: String) throws(KubeConfigError) -> [UInt8]? {
        guard let s = try string(node, what), !s.isEmpty else { return nil }
        guard let d = Data(base64Encoded: s.filter { !$0.isWhitespace }) else {
            throw fail(node ?? .null, "\(what) is not valid base64")
        }
        return [UInt8](d)
    }

    /// clientcmd ResolveLocalPaths: relative file paths are relative to the kubeconfig's folder.
    func path(_ node: Node?, _ what: String) throws(KubeConfigError) -> String? {
        guard let s = try string(node, what), !s.isEmpty else { return nil }
        return resolve(s)
    }

    func resolve(_ s: String) -> String {
        if s.hasPrefix("/") || dir.isEmpty { return s }
        return ((dir as NSString).appendingPathComponent(s) as NSString).standardizingPath
    }

    func namedList(_ node: Node?, _ what: String, _ inner: String) throws(KubeConfigError) -> [(String, Node)] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.array else { throw fail(node, "\(what) must be a list, not a \(node.typeName)") }
        var out: [(String, Node)] = []
        for item in items {
            let o = try object(item, "an entry of \(what)")
            guard let name = try string(o["name"], "name"), !name.isEmpty else { throw fail(item, "an entry of \(what) has no name") }
            out.append((name, try object(o[inner] ?? .null, "\(what)[\(name)].\(inner)")))
        }
        return out
    }

    mutating func config(_ root: Node) throws(KubeConfigError) -> KubeConfig {
        let root = try object(root, "a kubeconfig")
        var config = KubeConfig()
        config.currentContext = try string(root["current-context"], "current-context") ?? ""
        // Within one file the first entry of a name wins too.
        for (name, c) in try namedList(root["clusters"], "clusters", "cluster") where config.clusters[name] == nil {
            config.clusters[name] = try cluster(c)
        }
        for (name, u) in try namedList(root["users"], "users", "user") where config.users[name] == nil {
            config.users[name] = try user(u)
        }
        for (name, c) in try namedList(root["contexts"], "contexts", "context") where config.contexts[name] == nil {
            config.contexts[name] = KubeContext(cluster: try string(c["cluster"], "cluster") ?? "",
                                                user: try string(c["user"], "user") ?? "",
                                                namespace: try string(c["namespace"], "namespace"))
        }
        return config
    }

    func cluster(_ n: Node) throws(KubeConfigError) -> KubeCluster {
        var c = KubeCluster()
        c.server = try string(n["server"], "server") ?? ""
        c.certificateAuthority = try path(n["certificate-authority"], "certificate-authority")
        c.certificateAuthorityData = try data(n["certificate-authority-data"], "certificate-authority-data")
        c.insecureSkipTLSVerify = try bool(n["insecure-skip-tls-verify"], "insecure-skip-tls-verify")
        c.tlsServerName = try string(n["tls-server-name"], "tls-server-name")
        c.proxyURL = try string(n["proxy-url"], "proxy-url")
        c.disableCompression = try bool(n["disable-compression"], "disable-compression")
        return c
    }

    func user(_ n: Node) throws(KubeConfigError) -> KubeUser {
        var u = KubeUser()
        u.clientCertificate = try path(n["client-certificate"], "client-certificate")
        u.clientCertificateData = try data(n["client-certificate-data"], "client-certificate-data")
        u.clientKey = try path(n["client-key"], "client-key")
        u.clientKeyData = try data(n["client-key-data"], "client-key-data")
        u.token = try string(n["token"], "token").flatMap { $0.isEmpty ? nil : $0 }
        u.tokenFile = try path(n["tokenFile"], "tokenFile")
        u.impersonate = try string(n["as"], "as")
        u.impersonateUID = try string(n["as-uid"], "as-uid")
        if let groups = n["as-groups"], !groups.isNull {
            guard let a = groups.array else { throw fail(groups, "as-groups must be a list") }
            for g in a { if let s = try string(g, "as-groups") { u.impersonateGroups.append(s) } }
        }
        u.username = try string(n["username"], "username")
        u.password = try string(n["password"], "password")
        if let ap = n["auth-provider"], !ap.isNull {
            let o = try object(ap, "auth-provider")
            var cfg: [String: String] = [:]
            for e in (try object(o["config"] ?? .null, "auth-provider.config")).entries ?? [] {
                cfg[e.key] = try string(e.value, "auth-provider.config.\(e.key)") ?? ""
            }
            u.authProvider = AuthProviderConfig(name: try string(o["name"], "auth-provider.name") ?? "", config: cfg)
        }
        if let ex = n["exec"], !ex.isNull {
            let o = try object(ex, "exec")
            var e = ExecConfig()
            e.command = try string(o["command"], "exec.command") ?? ""
            // A command with a path separator is relative to the kubeconfig; a bare name is looked up on PATH.
            if e.command.contains("/") { e.command = resolve(e.command) }
            if let args = o["args"], !args.isNull {
                guard let a = args.array else { throw fail(args, "exec.args must be a list") }
                for x in a { e.args.append(try string(x, "exec.args") ?? "") }
            }
            if let env = o["env"], !env.isNull {
                guard let a = env.array else { throw fail(env, "exec.env must be a list") }
                for x in a {
                    let v = try object(x, "exec.env entry")
                    e.env.append(.init(name: try string(v["name"], "exec.env.name") ?? "", value: try string(v["value"], "exec.env.value") ?? ""))
                }
            }
            e.apiVersion = try string(o["apiVersion"], "exec.apiVersion") ?? ""
            e.installHint = try string(o["installHint"], "exec.installHint")
            e.provideClusterInfo = try bool(o["provideClusterInfo"], "exec.provideClusterInfo")
            e.interactiveMode = try string(o["interactiveMode"], "exec.interactiveMode")
            u.exec = e
        }
        return u
    }
}

/// Finds and merges kubeconfig files the way kubectl does.
public struct KubeConfigLoader: Sendable {
    /// `--kubeconfig`: that file only (and it must exist).
    public var explicitPath: String?
    public var environment: [String: String]
    public var home: String

    public init(explicitPath: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                home: String? = nil) {
        self.explicitPath = explicitPath
        self.environment = environment
        self.home = home ?? environment["HOME"] ?? NSHomeDirectory()
    }

    /// The files that are consulted, in precedence order.
    public var candidateFiles: [String] {
        if let explicitPath, !explicitPath.isEmpty { return [explicitPath] }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            var seen = Set<String>()
            return list.split(separator: ":", omittingEmptySubsequences: true).map(String.init).filter { seen.insert($0).inserted }
        }
        return [(home as NSString).appendingPathComponent(".kube/config")]
    }

    /// The merged config and the files actually read. Missing files are skipped except an
    /// explicit `--kubeconfig`; an unparsable file is an error.
    public func load() throws(KubeConfigError) -> (config: KubeConfig, files: [String]) {
        var merged = KubeConfig()
        var read: [String] = []
        for file in candidateFiles {
            guard FileManager.default.fileExists(atPath: file) else {
                if explicitPath != nil && !(explicitPath ?? "").isEmpty {
                    throw KubeConfigError("stat \(file): no such file or directory")
                }
                continue
            }
            let cfg = try KubeConfig.load(file: file)
            merged.merge(lowerPriority: cfg)
            read.append(file)
        }
        return (merged, read)
    }
}
