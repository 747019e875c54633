import Foundation

/// Command-line overrides, as kubectl's config flags spell them.
public struct ConfigOverrides: Sendable, Equatable {
    public var kubeconfig: String?
    public var context: String?
    public var cluster: String?
    public var user: String?
    public var namespace: String?
    public var server: String?
    public var token: String?
    public var impersonate: String?
    public var tlsServerName: String?
    public var insecureSkipTLSVerify: Bool?
    /// `--request-timeout`; nil or zero means the library default.
    public var requestTimeout: Duration?
    public init() {}
}

/// Where a PEM blob comes from: inline bytes or a file read when the client is made.
public enum PEMSource: Sendable, Equatable {
    case data([UInt8])
    case file(String)

    func bytes() throws(KubeConfigError) -> [UInt8] {
        switch self {
        case .data(let d): return d
        case .file(let path):
            guard let d = FileManager.default.contents(atPath: path) else {
                throw KubeConfigError("unable to read \(path)")
            }
            return [UInt8](d)
        }
    }
}

/// What the client authenticates with. Several may be set (a client certificate and a token).
public struct Credentials: Sendable, Equatable {
    public var token: String?
    public var tokenFile: String?
    public var username: String?
    public var password: String?
    public var clientCertificate: PEMSource?
    public var clientKey: PEMSource?
    public var exec: ExecConfig?
    public var authProviderName: String?
    /// The `id-token` of an `oidc` auth-provider (sent as a bearer token; it isn't refreshed).
    public var authProviderToken: String?
    public init() {}

    public var isEmpty: Bool {
        token == nil && tokenFile == nil && username == nil && clientCertificate == nil && exec == nil
    }
}

/// Everything needed to talk to one API server: the result of kubeconfig + flags, or in-cluster.
public struct ClientConfig: Sendable, Equatable {
    /// `https://host:port` (any path prefix kept, no trailing slash).
    public var server: String
    public var namespace: String = "default"
    /// Whether the namespace came from a flag or the context (vs. the default).
    public var namespaceExplicit = false
    public var contextName: String?
    public var certificateAuthority: PEMSource?
    public var insecureSkipTLSVerify = false
    public var tlsServerName: String?
    public var proxyURL: String?
    /// `disable-compression`: don't ask for gzip responses.
    public var disableCompression = false
    public var credentials = Credentials()
    public var impersonate: String?
    public var impersonateUID: String?
    public var impersonateGroups: [String] = []
    /// Deadline for ordinary requests (watches only bound the response head with it).
    public var requestTimeout: Duration = .seconds(60)
    /// How often a tokenFile is re-read (client-go: one minute).
    public var tokenFileRefresh: Duration = .seconds(60)
    /// The environment used for exec plugins and proxy variables.
    public var environment: [String: String] = [:]

    public init(server: String) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
    }

    /// Credentials travel only over TLS, as clientcmd does.
    public var usesTLS: Bool { server.lowercased().hasPrefix("https://") }

    /// kubectl's resolution: kubeconfig files merged, then the context, then flag overrides.
    /// Falls back to the in-cluster config when no kubeconfig exists and none was named.
    public static func load(_ overrides: ConfigOverrides = .init(),
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            home: String? = nil,
                            serviceAccountDir: String = InClusterConfig.defaultServiceAccountDir) throws(KubeConfigError) -> ClientConfig {
        let loader = KubeConfigLoader(explicitPath: overrides.kubeconfig, environment: environment, home: home)
        let (merged, files) = try loader.load()
        if files.isEmpty, overrides.server == nil, InClusterConfig.isAvailable(environment: environment) {
            var config = try InClusterConfig.load(environment: environment, serviceAccountDir: serviceAccountDir)
            try config.apply(overrides)
            return config
        }
        return try resolve(merged, overrides: overrides, environment: environment)
    }

    /// Picks the context, cluster and user from a merged kubeconfig and applies the flags.
    public static func resolve(_ kubeconfig: KubeConfig, overrides: ConfigOverrides,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws(KubeConfigError) -> ClientConfig {
        let contextName = overrides.context ?? kubeconfig.currentContext
        var context = KubeContext()
        if !contextName.isEmpty {
            guard let c = kubeconfig.contexts[contextName] else {
                throw KubeConfigError("context was not found for specified context: \(contextName)")
            }
            context = c
        }
        let clusterName = overrides.cluster ?? context.cluster
        let userName = overrides.user ?? context.user
        var cluster = KubeCluster()
        if !clusterName.isEmpty {
            if let c = kubeconfig.clusters[clusterName] {
                cluster = c
            } else if overrides.server == nil {
                throw KubeConfigError("cluster \"\(clusterName)\" does not exist")
            }
        }
        var user = KubeUser()
        if !userName.isEmpty {
            if let u = kubeconfig.users[userName] {
                user = u
            } else if overrides.user != nil {
                // A context may name a user no file defines (clientcmd then uses no credentials).
                throw KubeConfigError("auth info \"\(userName)\" does not exist")
            }
        }
        return try fromParts(cluster, user, contextName, context, overrides, environment)
    }

    private static func fromParts(_ cluster: KubeCluster, _ user: KubeUser, _ contextName: String, _ context: KubeContext,
                                  _ overrides: ConfigOverrides, _ environment: [String: String]) throws(KubeConfigError) -> ClientConfig {
        let server = overrides.server ?? cluster.server
        guard !server.isEmpty else {
            throw KubeConfigError("invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable")
        }
        guard let url = URL(string: server), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw KubeConfigError("invalid configuration: server \"\(server)\" is not an http(s) URL")
        }
        var config = ClientConfig(server: server)
        config.contextName = contextName.isEmpty ? nil : contextName
        config.environment = environment
        if let data = cluster.certificateAuthorityData {
            config.certificateAuthority = .data(data)
        } else if let file = cluster.certificateAuthority {
            config.certificateAuthority = .file(file)
        }
        config.insecureSkipTLSVerify = cluster.insecureSkipTLSVerify
        config.tlsServerName = cluster.tlsServerName
        config.proxyURL = cluster.proxyURL
        config.disableCompression = cluster.disableCompression
        var creds = Credentials()
        // Token wins over tokenFile; data wins over file (clientcmd).
        creds.token = user.token
        creds.tokenFile = user.token == nil ? user.tokenFile : nil
        creds.username = user.username
        creds.password = user.password
        if let d = user.clientCertificateData { creds.clientCertificate = .data(d) } else if let f = user.clientCertificate { creds.clientCertificate = .file(f) }
        if let d = user.clientKeyData { creds.clientKey = .data(d) } else if let f = user.clientKey { creds.clientKey = .file(f) }
        if (creds.clientCertificate == nil) != (creds.clientKey == nil) {
            throw KubeConfigError("invalid configuration: client-cert-data and client-key-data must be specified together")
        }
        creds.exec = user.exec
        creds.authProviderName = user.authProvider?.name
        creds.authProviderToken = user.authProvider?.config["id-token"].flatMap { $0.isEmpty ? nil : $0 }
        if let exec = user.exec {
            guard ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"].contains(exec.apiVersion) else {
                throw KubeConfigError("exec plugin: invalid apiVersion \"\(exec.apiVersion)\"")
            }
            if exec.apiVersion.hasSuffix("/v1"), exec.interactiveMode == nil || exec.interactiveMode == "" {
                throw KubeConfigError("exec plugin: interactiveMode must be specified for \(exec.command) to use exec authentication plugin")
            }
        }
        if let p = user.authProvider, p.name != "oidc" {
            throw KubeConfigError("no Auth Provider found for name \"\(p.name)\"")
        }
        config.credentials = creds
        config.impersonate = user.impersonate
        config.impersonateUID = user.impersonateUID
        config.impersonateGroups = user.impersonateGroups
        if let ns = context.namespace, !ns.isEmpty { config.namespace = ns; config.namespaceExplicit = true }
        try config.apply(overrides)
        return config
    }

    /// Applies the flags that override whatever the kubeconfig said.
    mutating func apply(_ o: ConfigOverrides) throws(KubeConfigError) {
        if let s = o.server, !s.isEmpty { server = s.hasSuffix("/") ? String(s.dropLast()) : s }
        if let ns = o.namespace, !ns.isEmpty { namespace = ns; namespaceExplicit = true }
        if let t = o.token, !t.isEmpty {
            // A token flag replaces the file's credentials (clientcmd: token overrides tokenFile and plugins).
            credentials.token = t
            credentials.tokenFile = nil
            credentials.exec = nil
            credentials.username = nil
            credentials.password = nil
            credentials.authProviderToken = nil
        }
        if let a = o.impersonate, !a.isEmpty { impersonate = a }
        if let n = o.tlsServerName, !n.isEmpty { tlsServerName = n }
        if let i = o.insecureSkipTLSVerify {
            insecureSkipTLSVerify = i
            // kubectl drops the CA when told to skip verification.
            if i { certificateAuthority = nil }
        }
        if let t = o.requestTimeout, t > .zero { requestTimeout = t }
        if insecureSkipTLSVerify, certificateAuthority != nil {
            throw KubeConfigError("specifying a root certificates file with the insecure flag is not allowed")
        }
    }
}

/// The config a pod gets from its service account (client-go rest.InClusterConfig).
public enum InClusterConfig {
    public static let defaultServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount"

    public static func isAvailable(environment: [String: String]) -> Bool {
        !(environment["KUBERNETES_SERVICE_HOST"] ?? "").isEmpty && !(environment["KUBERNETES_SERVICE_PORT"] ?? "").isEmpty
    }

    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment,
                            serviceAccountDir: String = defaultServiceAccountDir) throws(KubeConfigError) -> ClientConfig {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
              let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty else {
            throw KubeConfigError("unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined")
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var config = ClientConfig(server: "https://\(hostPart):\(port)")
        config.environment = environment
        let dir = serviceAccountDir.hasSuffix("/") ? String(serviceAccountDir.dropLast()) : serviceAccountDir
        let tokenPath = dir + "/token"
        guard FileManager.default.isReadableFile(atPath: tokenPath) else {
            throw KubeConfigError("open \(tokenPath): no such file or directory")
        }
        // The token rotates; read it through the tokenFile path so it is re-read every minute and after a 401.
        config.credentials.tokenFile = tokenPath
        let caPath = dir + "/ca.crt"
        if FileManager.default.fileExists(atPath: caPath) { config.certificateAuthority = .file(caPath) }
        if let ns = environment["POD_NAMESPACE"], !ns.isEmpty {
            config.namespace = ns
            config.namespaceExplicit = true
        } else if let d = FileManager.default.contents(atPath: dir + "/namespace"),
                  let ns = String(data: d, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !ns.isEmpty {
            config.namespace = ns
            config.namespaceExplicit = true
        }
        return config
    }
}
