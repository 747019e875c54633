@testable import AgentGWKube
import AgentGWModel
import Foundation
import Testing

@Suite("kubeconfig loading and merging")
struct KubeConfigTests {
    static let full = """
    apiVersion: v1
    kind: Config
    current-context: dev
    clusters:
    - name: c1
      cluster:
        server: https://10.0.0.1:6443
        certificate-authority: certs/ca.crt
        tls-server-name: api.internal
        proxy-url: socks5://127.0.0.1:1080
        disable-compression: true
    - name: c2
      cluster:
        server: https://10.0.0.2:6443
        certificate-authority-data: \(Data("PEM".utf8).base64EncodedString())
        insecure-skip-tls-verify: false
    users:
    - name: u1
      user:
        tokenFile: secrets/token
        client-certificate: /abs/client.crt
        client-key: rel/client.key
        as: alice
        as-groups: [devs]
    - name: u2
      user:
        username: bob
        password: hunter2
    - name: u3
      user:
        exec:
          apiVersion: client.authentication.k8s.io/v1
          command: ./bin/plugin
          args: [get-token, --x]
          env: [{name: FOO, value: bar}]
          installHint: install the plugin
          provideClusterInfo: true
          interactiveMode: Never
    contexts:
    - name: dev
      context: {cluster: c1, user: u1, namespace: team}
    - name: other
      context: {cluster: c2, user: u2}
    """

    @Test func parsesEveryFieldAndResolvesRelativePaths() throws {
        let cfg = try KubeConfig.parse(Array(Self.full.utf8), file: "/home/me/.kube/config")
        #expect(cfg.currentContext == "dev")
        let c1 = try #require(cfg.clusters["c1"])
        #expect(c1.server == "https://10.0.0.1:6443")
        #expect(c1.certificateAuthority == "/home/me/.kube/certs/ca.crt")
        #expect(c1.tlsServerName == "api.internal")
        #expect(c1.proxyURL == "socks5://127.0.0.1:1080")
        #expect(c1.disableCompression)
        #expect(cfg.clusters["c2"]?.certificateAuthorityData == Array("PEM".utf8))
        let u1 = try #require(cfg.users["u1"])
        #expect(u1.tokenFile == "/home/me/.kube/secrets/token")
        #expect(u1.clientCertificate == "/abs/client.crt")
        #expect(u1.clientKey == "/home/me/.kube/rel/client.key")
        #expect(u1.impersonate == "alice")
        #expect(u1.impersonateGroups == ["devs"])
        #expect(cfg.users["u2"]?.username == "bob")
        let exec = try #require(cfg.users["u3"]?.exec)
        #expect(exec.command == "/home/me/.kube/bin/plugin")
        #expect(exec.args == ["get-token", "--x"])
        #expect(exec.env == [.init(name: "FOO", value: "bar")])
        #expect(exec.installHint == "install the plugin")
        #expect(exec.provideClusterInfo)
        #expect(exec.interactiveMode == "Never")
        #expect(cfg.contexts["dev"] == KubeContext(cluster: "c1", user: "u1", namespace: "team"))
    }

    @Test func resolvesContextClusterAndUser() throws {
        let cfg = try KubeConfig.parse(Array(Self.full.utf8), file: "/k/config")
        let c = try ClientConfig.resolve(cfg, overrides: .init(), environment: [:])
        #expect(c.server == "https://10.0.0.1:6443")
        #expect(c.namespace == "team")
        #expect(c.certificateAuthority == .file("/k/certs/ca.crt"))
        #expect(c.tlsServerName == "api.internal")
        #expect(c.credentials.tokenFile == "/k/secrets/token")
        #expect(c.credentials.clientCertificate == .file("/abs/client.crt"))
        #expect(c.impersonate == "alice")

        var o = ConfigOverrides()
        o.context = "other"
        let other = try ClientConfig.resolve(cfg, overrides: o, environment: [:])
        #expect(other.server == "https://10.0.0.2:6443")
        #expect(other.namespace == "default")
        #expect(!other.namespaceExplicit)
        #expect(other.credentials.username == "bob")
        #expect(other.certificateAuthority == .data(Array("PEM".utf8)))
    }

    @Test func flagsOverrideTheFile() throws {
        let cfg = try KubeConfig.parse(Array(Self.full.utf8), file: "/k/config")
        var o = ConfigOverrides()
        o.cluster = "c2"
        o.user = "u2"
        o.namespace = "ns1"
        o.token = "flag-token"
        o.impersonate = "carol"
        o.tlsServerName = "other.name"
        o.requestTimeout = .seconds(5)
        let c = try ClientConfig.resolve(cfg, overrides: o, environment: [:])
        #expect(c.server == "https://10.0.0.2:6443")
        #expect(c.namespace == "ns1")
        #expect(c.credentials.token == "flag-token")
        #expect(c.credentials.username == nil)
        #expect(c.impersonate == "carol")
        #expect(c.tlsServerName == "other.name")
        #expect(c.requestTimeout == .seconds(5))

        var s = ConfigOverrides()
        s.server = "https://override:1"
        s.insecureSkipTLSVerify = true
        let c2 = try ClientConfig.resolve(cfg, overrides: s, environment: [:])
        #expect(c2.server == "https://override:1")
        #expect(c2.insecureSkipTLSVerify)
        #expect(c2.certificateAuthority == nil)
    }

    @Test func unknownContextOrClusterIsAnError() throws {
        let cfg = try KubeConfig.parse(Array(Self.full.utf8), file: "/k/config")
        var o = ConfigOverrides()
        o.context = "nope"
        #expect(throws: KubeConfigError("context was not found for specified context: nope")) {
            try ClientConfig.resolve(cfg, overrides: o, environment: [:])
        }
        var c = ConfigOverrides()
        c.cluster = "nope"
        #expect(throws: KubeConfigError("cluster \"nope\" does not exist")) {
            try ClientConfig.resolve(cfg, overrides: c, environment: [:])
        }
        #expect(throws: KubeConfigError.self) { try ClientConfig.resolve(KubeConfig(), overrides: .init(), environment: [:]) }
    }

    @Test func execPluginNeedsAKnownAPIVersionAndInteractiveMode() throws {
        let bad = """
        clusters: [{name: c, cluster: {server: "https://x:1"}}]
        users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: p}}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        current-context: x
        """
        let cfg = try KubeConfig.parse(Array(bad.utf8), file: "/k/config")
        #expect(throws: KubeConfigError.self) { try ClientConfig.resolve(cfg, overrides: .init(), environment: [:]) }
        let alpha = bad.replacingOccurrences(of: "/v1,", with: "/v1alpha1, interactiveMode: Never,")
        let cfg2 = try KubeConfig.parse(Array(alpha.utf8), file: "/k/config")
        #expect(throws: KubeConfigError("exec plugin: invalid apiVersion \"client.authentication.k8s.io/v1alpha1\"")) {
            try ClientConfig.resolve(cfg2, overrides: .init(), environment: [:])
        }
    }

    // MARK: - Merging several files

    func writeFiles(_ dir: String) throws -> (a: String, b: String) {
        let a = "\(dir)/a.yaml", b = "\(dir)/sub/b.yaml"
        try FileManager.default.createDirectory(atPath: "\(dir)/sub", withIntermediateDirectories: true)
        try write("""
        current-context: ctx-a
        clusters:
        - name: shared
          cluster: {server: "https://a:1", certificate-authority: ca-a.crt}
        users:
        - name: ua
          user: {token: token-a}
        contexts:
        - name: ctx-a
          context: {cluster: shared, user: ua}
        """, to: a)
        try write("""
        current-context: ctx-b
        clusters:
        - name: shared
          cluster: {server: "https://b:1"}
        - name: only-b
          cluster: {server: "https://only-b:1", certificate-authority: ca-b.crt}
        users:
        - name: ub
          user: {tokenFile: tok}
        contexts:
        - name: ctx-b
          context: {cluster: only-b, user: ub, namespace: nb}
        """, to: b)
        return (a, b)
    }

    @Test func firstFileToSetAValueWins() throws {
        let dir = try tempDir()
        let (a, b) = try writeFiles(dir)
        let loader = KubeConfigLoader(environment: ["KUBECONFIG": "\(a):\(b)"], home: dir)
        let (cfg, files) = try loader.load()
        #expect(files == [a, b])
        #expect(cfg.currentContext == "ctx-a")
        // A named entry comes whole from the first file that has it.
        #expect(cfg.clusters["shared"]?.server == "https://a:1")
        #expect(cfg.clusters["shared"]?.certificateAuthority == "\(dir)/ca-a.crt")
        // Keys only the second file has are merged in, its paths relative to its own folder.
        #expect(cfg.clusters["only-b"]?.certificateAuthority == "\(dir)/sub/ca-b.crt")
        #expect(cfg.users["ub"]?.tokenFile == "\(dir)/sub/tok")
        #expect(cfg.contexts.count == 2)

        let reversed = try KubeConfigLoader(environment: ["KUBECONFIG": "\(b):\(a)"], home: dir).load().config
        #expect(reversed.currentContext == "ctx-b")
        #expect(reversed.clusters["shared"]?.server == "https://b:1")

        var o = ConfigOverrides()
        o.context = "ctx-b"
        let c = try ClientConfig.resolve(cfg, overrides: o, environment: [:])
        #expect(c.server == "https://only-b:1")
        #expect(c.namespace == "nb")
    }

    @Test func emptyEntriesAreIgnoredAndMissingFilesSkipped() throws {
        let dir = try tempDir()
        let (a, b) = try writeFiles(dir)
        let loader = KubeConfigLoader(environment: ["KUBECONFIG": "::\(dir)/missing.yaml:\(b)::\(a)"], home: dir)
        #expect(loader.candidateFiles == ["\(dir)/missing.yaml", b, a])
        let (cfg, files) = try loader.load()
        #expect(files == [b, a])
        #expect(cfg.currentContext == "ctx-b")
    }

    @Test func aBrokenFileIsAnErrorWithFileAndLine() throws {
        let dir = try tempDir()
        let (a, _) = try writeFiles(dir)
        let broken = "\(dir)/broken.yaml"
        try write("clusters:\n- name: x\n  cluster: {server: [unclosed\n", to: broken)
        let error = #expect(throws: KubeConfigError.self) {
            try KubeConfigLoader(environment: ["KUBECONFIG": "\(a):\(broken)"], home: dir).load()
        }
        #expect(error?.message.contains("error loading config file \"\(broken)\"") == true)
        #expect(error?.message.contains("\(broken):") == true)

        let typed = "\(dir)/typed.yaml"
        try write("current-context: x\nclusters:\n  name: notalist\n", to: typed)
        let e2 = #expect(throws: KubeConfigError.self) { try KubeConfig.load(file: typed) }
        #expect(e2?.message.contains("\(typed):3: clusters must be a list") == true)
    }

    @Test func explicitKubeconfigIsTheOnlyFile() throws {
        let dir = try tempDir()
        let (a, b) = try writeFiles(dir)
        let (cfg, files) = try KubeConfigLoader(explicitPath: b, environment: ["KUBECONFIG": a], home: dir).load()
        #expect(files == [b])
        #expect(cfg.clusters["shared"]?.server == "https://b:1")
        #expect(throws: KubeConfigError("stat \(dir)/none: no such file or directory")) {
            try KubeConfigLoader(explicitPath: "\(dir)/none", environment: [:], home: dir).load()
        }
    }

    @Test func homeKubeConfigIsTheDefault() throws {
        let dir = try tempDir()
        try FileManager.default.createDirectory(atPath: "\(dir)/.kube", withIntermediateDirectories: true)
        try write("""
        current-context: h
        clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]
        contexts: [{name: h, context: {cluster: c}}]
        """, to: "\(dir)/.kube/config")
        let c = try ClientConfig.load(.init(), environment: [:], home: dir)
        #expect(c.server == "http://127.0.0.1:1")
        #expect(c.contextName == "h")
        #expect(!c.usesTLS)
    }

    // MARK: - In-cluster

    @Test func inClusterConfigReadsTheServiceAccount() throws {
        let dir = try tempDir()
        try write("sa-token\n", to: "\(dir)/token")
        try write("CA", to: "\(dir)/ca.crt")
        try write("from-file\n", to: "\(dir)/namespace")
        let env = ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        let c = try InClusterConfig.load(environment: env, serviceAccountDir: dir)
        #expect(c.server == "https://10.96.0.1:443")
        #expect(c.credentials.tokenFile == "\(dir)/token")
        #expect(c.certificateAuthority == .file("\(dir)/ca.crt"))
        #expect(c.namespace == "from-file")

        var env2 = env
        env2["POD_NAMESPACE"] = "from-env"
        env2["KUBERNETES_SERVICE_HOST"] = "fd00::1"
        let c2 = try InClusterConfig.load(environment: env2, serviceAccountDir: dir)
        #expect(c2.namespace == "from-env")
        #expect(c2.server == "https://[fd00::1]:443")

        // No kubeconfig anywhere: the loader falls back to the pod's config.
        let home = try tempDir()
        let c3 = try ClientConfig.load(.init(), environment: env, home: home, serviceAccountDir: dir)
        #expect(c3.server == "https://10.96.0.1:443")
        #expect(throws: KubeConfigError.self) { try InClusterConfig.load(environment: [:], serviceAccountDir: dir) }
        #expect(throws: KubeConfigError.self) { try InClusterConfig.load(environment: env, serviceAccountDir: home) }
    }

    @Test func inClusterTokenIsReReadWhenItRotates() async throws {
        let dir = try tempDir()
        try write("first", to: "\(dir)/token")
        var c = try InClusterConfig.load(environment: ["KUBERNETES_SERVICE_HOST": "h", "KUBERNETES_SERVICE_PORT": "1"], serviceAccountDir: dir)
        c.certificateAuthority = nil
        let auth = try Authenticator(config: c)
        #expect(try await auth.credentials().authorization == "Bearer first")
        try write("second", to: "\(dir)/token")
        // Within the refresh period the cached token is used...
        #expect(try await auth.credentials().authorization == "Bearer first")
        // ...and a 401 forces a re-read.
        await auth.invalidate()
        #expect(try await auth.credentials().authorization == "Bearer second")

        c.tokenFileRefresh = .zero
        let eager = try Authenticator(config: c)
        #expect(try await eager.credentials().authorization == "Bearer second")
        try write("third", to: "\(dir)/token")
        #expect(try await eager.credentials().authorization == "Bearer third")
    }

    @Test func credentialsAreOnlySentOverTLS() async throws {
        var c = ClientConfig(server: "http://127.0.0.1:1")
        c.credentials.token = "secret"
        #expect(try await Authenticator(config: c).credentials().authorization == nil)
        c.server = "https://127.0.0.1:1"
        #expect(try await Authenticator(config: c).credentials().authorization == "Bearer secret")
        var oidc = ClientConfig(server: "https://h:1")
        oidc.credentials.authProviderToken = "id-token"
        #expect(try await Authenticator(config: oidc).credentials().authorization == "Bearer id-token")
        var basic = ClientConfig(server: "https://h:1")
        basic.credentials.username = "u"
        basic.credentials.password = "p"
        #expect(try await Authenticator(config: basic).credentials().authorization == "Basic dTpw")
    }

    @Test func noProxyMatching() {
        #expect(KubeClient.noProxyMatches("localhost,.example.com", host: "api.example.com"))
        #expect(KubeClient.noProxyMatches("example.com", host: "example.com"))
        #expect(KubeClient.noProxyMatches("10.0.0.0/8", host: "10.1.2.3"))
        #expect(KubeClient.noProxyMatches("*", host: "anything"))
        #expect(!KubeClient.noProxyMatches("example.com", host: "example.org"))
        #expect(!KubeClient.noProxyMatches("10.0.0.0/8", host: "11.1.2.3"))
    }
}
