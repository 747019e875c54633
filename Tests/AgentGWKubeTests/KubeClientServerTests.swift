@testable import AgentGWKube
import AgentGWModel
import AgentGWTesting
import Foundation
import Testing

/// Starts a test API server, a client for it, runs `body`, and shuts both down.
func withServer(_ options: TestAPIServerOptions = .init(), token: String? = nil,
                configure: (inout KubeConfig) -> Void = { _ in }, tweak: (inout ClientConfig) -> Void = { _ in },
                _ body: (TestAPIServer, KubeClient) async throws -> Void) async throws {
    let server = try await TestAPIServer.start(options)
    do {
        var kubeconfig = try KubeConfig.parse(Array(server.kubeconfig(token: token).utf8), file: "/test/kubeconfig")
        configure(&kubeconfig)
        var config = try ClientConfig.resolve(kubeconfig, overrides: .init(), environment: ProcessInfo.processInfo.environment)
        config.requestTimeout = .seconds(20)
        tweak(&config)
        let client = try KubeClient(config: config)
        do {
            try await body(server, client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    } catch {
        try? await server.shutdown()
        throw error
    }
    try await server.shutdown()
}

func configMap(_ name: String, _ data: [(String, Node)], namespace: String = "default") -> Node {
    ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": .string(namespace)], "data": .object(data)]
}

/// TLS material shared by the HTTPS tests (openssl runs once per process).
enum PKI {
    static let files: Result<TestPKIFiles, any Error> = Result { try TestPKI.generate(in: try tempDir()) }

    static func options(tokens: Set<String>) throws -> TestAPIServerOptions {
        let pki = try files.get()
        var o = TestAPIServerOptions()
        o.tls = TestTLS(certificatePath: pki.serverCertificate, keyPath: pki.serverKey, clientCAPath: pki.caCertificate)
        o.auth = .required(tokens: tokens)
        return o
    }
}

@Suite("KubeClient against the test API server")
struct KubeClientServerTests {
    let cmResource = ResourceInfo(group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true)

    // MARK: - Auth over HTTPS

    @Test func authenticatesWithABearerToken() async throws {
        try await withServer(try PKI.options(tokens: ["good-token"]), token: "good-token") { _, client in
            let r = try await client.resource(apiVersion: "v1", kind: "Namespace")
            #expect(r.plural == "namespaces" && !r.namespaced)
            _ = try await client.list(r, namespace: nil)
        }
        try await withServer(try PKI.options(tokens: ["good-token"]), token: "bad-token") { _, client in
            let error = await #expect(throws: KubeError.self) { _ = try await client.call(.GET, "/api/v1/namespaces") }
            #expect(error?.isUnauthorized == true)
            #expect(error?.description == "error: You must be logged in to the server (Unauthorized)")
        }
    }

    @Test func authenticatesWithAClientCertificate() async throws {
        let pki = try PKI.files.get()
        try await withServer(try PKI.options(tokens: []), configure: { k in
            k.users["agentgw-test"]?.clientCertificate = pki.clientCertificate
            k.users["agentgw-test"]?.clientKey = pki.clientKey
        }) { _, client in
            let created = try await client.create(configMap("by-cert", [("a", "1")]), cmResource, namespace: "default")
            #expect(created["metadata"]?["uid"]?.string?.isEmpty == false)
        }
        // Without it the same server refuses us.
        try await withServer(try PKI.options(tokens: [])) { _, client in
            await #expect(throws: KubeError.self) { _ = try await client.call(.GET, "/api/v1/namespaces") }
        }
    }

    @Test func authenticatesWithAnExecPluginAndReExecsAfter401() async throws {
        let v1 = "client.authentication.k8s.io/v1"
        // The first run hands out a token the server rejects; after the 401 the client runs it again.
        let plugin = try ScriptPlugin(apiVersion: v1, token: "good-token", expiration: "2099-01-01T00:00:00Z", tokens: ["stale-token"])
        try await withServer(try PKI.options(tokens: ["good-token"]), configure: { k in
            k.users["agentgw-test"]?.exec = plugin.config(v1)
        }) { server, client in
            _ = try await client.call(.GET, "/api/v1/namespaces")
            #expect(plugin.runs == 2)
            _ = try await client.call(.GET, "/api/v1/namespaces")
            #expect(plugin.runs == 2)
            #expect(try yaml(plugin.execInfo)["spec"]?["cluster"]?["server"]?.string == server.baseURL)
            #expect(server.requests().filter { $0.path == "/api/v1/namespaces" }.count == 3)
        }
    }

    @Test func execPluginClientCertificateIsUsedForTLS() async throws {
        let pki = try PKI.files.get()
        let v1beta1 = "client.authentication.k8s.io/v1beta1"
        let dir = try tempDir()
        let credential: Node = ["apiVersion": .string(v1beta1), "kind": "ExecCredential",
                                "status": ["clientCertificateData": .string(read(pki.clientCertificate)),
                                           "clientKeyData": .string(read(pki.clientKey))]]
        try write(JSONWriter.write(credential, indent: nil), to: "\(dir)/cred.json")
        try write("#!/bin/sh\ncat \"\(dir)/cred.json\"\n", to: "\(dir)/plugin", executable: true)
        var exec = ExecConfig()
        exec.command = "\(dir)/plugin"
        exec.apiVersion = v1beta1
        try await withServer(try PKI.options(tokens: []), configure: { k in
            k.users["agentgw-test"]?.exec = exec
        }) { server, client in
            let list = try await client.call(.GET, "/api/v1/namespaces")
            #expect(list["kind"]?.string == "NamespaceList")
            #expect(server.requests().last?.header("Authorization") == nil)
        }
    }

    @Test func tokenFileIsReReadAfter401AndPeriodically() async throws {
        let dir = try tempDir()
        let file = "\(dir)/token"
        try write("old-token", to: file)
        try await withServer(try PKI.options(tokens: ["new-token"]), configure: { k in
            k.users["agentgw-test"]?.tokenFile = file
        }) { server, client in
            await #expect(throws: KubeError.self) { _ = try await client.call(.GET, "/api/v1/namespaces") }
            try write("new-token", to: file)
            let before = server.requests().count
            _ = try await client.call(.GET, "/api/v1/namespaces")
            // Cached old token → 401 → re-read → retried once.
            #expect(server.requests().count - before == 2)
        }
        try write("old-token", to: file)
        try await withServer(try PKI.options(tokens: ["new-token"]), configure: { k in
            k.users["agentgw-test"]?.tokenFile = file
        }, tweak: { $0.tokenFileRefresh = .zero }) { server, client in
            await #expect(throws: KubeError.self) { _ = try await client.call(.GET, "/api/v1/namespaces") }
            try write("new-token", to: file)
            let before = server.requests().count
            _ = try await client.call(.GET, "/api/v1/namespaces")
            // Re-read on schedule: the first attempt already carries the new token.
            #expect(server.requests().count - before == 1)
        }
    }

    @Test func tlsServerNameAndInsecureSkipVerify() async throws {
        // The server certificate names 127.0.0.1 and localhost.
        try await withServer(try PKI.options(tokens: ["t"]), token: "t", configure: { k in
            k.clusters["agentgw-test"]?.tlsServerName = "localhost"
        }) { server, client in
            _ = try await client.call(.GET, "/api/v1/namespaces")
            #expect(server.requests().last?.header("Host")?.hasPrefix("localhost") == true)
        }
        // (A wrong name can't be shown to fail here: NIOSSL also accepts a certificate whose IP SAN
        // matches the connected address, and the test certificate names 127.0.0.1.)
        // No CA: an unknown issuer fails, unless verification is skipped.
        try await withServer(try PKI.options(tokens: ["t"]), token: "t", configure: { k in
            k.clusters["agentgw-test"]?.certificateAuthorityData = nil
        }) { _, client in
            let e = await #expect(throws: KubeError.self) { _ = try await client.call(.GET, "/api/v1/namespaces") }
            #expect(e?.description.hasPrefix("Unable to connect to the server: tls: ") == true, "\(String(describing: e))")
        }
        try await withServer(try PKI.options(tokens: ["t"]), token: "t", configure: { k in
            k.clusters["agentgw-test"]?.certificateAuthorityData = nil
            k.clusters["agentgw-test"]?.insecureSkipTLSVerify = true
        }) { _, client in
            _ = try await client.call(.GET, "/api/v1/namespaces")
        }
    }

    @Test func requestsGoThroughProxies() async throws {
        let proxy = try ForwardProxy()
        defer { proxy.stop() }
        // proxy-url for a plain HTTP server (AsyncHTTPClient tunnels with CONNECT here too).
        try await withServer(configure: { k in
            k.clusters["agentgw-test"]?.proxyURL = "http://127.0.0.1:\(proxy.port)"
        }) { server, client in
            _ = try await client.create(configMap("via-proxy", [("a", "1")]), cmResource, namespace: "default")
            #expect(proxy.requests.contains("CONNECT 127.0.0.1:\(server.port) HTTP/1.1"))
            #expect(server.object(group: "", plural: "configmaps", namespace: "default", name: "via-proxy") != nil)
        }
        // HTTPS_PROXY for an HTTPS server: a CONNECT tunnel, TLS end to end.
        try await withServer(try PKI.options(tokens: ["t"]), token: "t", tweak: { c in
            c.environment["HTTPS_PROXY"] = "http://127.0.0.1:\(proxy.port)"
        }) { server, client in
            _ = try await client.call(.GET, "/api/v1/namespaces")
            #expect(proxy.requests.contains("CONNECT 127.0.0.1:\(server.port) HTTP/1.1"))
        }
        // NO_PROXY wins over HTTPS_PROXY.
        let before = proxy.requests.count
        try await withServer(try PKI.options(tokens: ["t"]), token: "t", tweak: { c in
            c.environment["HTTPS_PROXY"] = "http://127.0.0.1:\(proxy.port)"
            c.environment["NO_PROXY"] = "127.0.0.1"
        }) { _, client in
            _ = try await client.call(.GET, "/api/v1/namespaces")
        }
        #expect(proxy.requests.count == before)
    }

    @Test func proxySettings() throws {
        var c = ClientConfig(server: "https://api.example.com:6443")
        c.environment = ["HTTPS_PROXY": "http://user:pw@proxy:3128", "NO_PROXY": "localhost"]
        #expect(try KubeClient.proxy(for: c, host: "api.example.com") == .server(host: "proxy", port: 3128, authorization: .basic(username: "user", password: "pw")))
        c.environment["NO_PROXY"] = ".example.com"
        #expect(try KubeClient.proxy(for: c, host: "api.example.com") == nil)
        c.proxyURL = "socks5://127.0.0.1:1081"
        #expect(try KubeClient.proxy(for: c, host: "api.example.com") == .socksServer(host: "127.0.0.1", port: 1081))
        c.proxyURL = "ftp://x"
        #expect(throws: KubeError.self) { try KubeClient.proxy(for: c, host: "h") }
        var plain = ClientConfig(server: "http://api:80")
        plain.environment = ["https_proxy": "http://p:1", "http_proxy": "http://q:2"]
        #expect(try KubeClient.proxy(for: plain, host: "api") == .server(host: "q", port: 2))
    }

    @Test func plainHTTPCarriesNoCredentials() async throws {
        try await withServer(token: "never-sent") { server, client in
            _ = try await client.call(.GET, "/api/v1/namespaces")
            let r = try #require(server.requests().last)
            #expect(r.headers.first { $0.name.lowercased() == "authorization" } == nil)
        }
    }

    // MARK: - Discovery

    @Test func discoveryMapsKindsAndRefreshesOnAMiss() async throws {
        var options = TestAPIServerOptions()
        options.agentGatewayCRDs = false
        try await withServer(options) { _, client in
            let gw = try await client.resource(apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway")
            #expect(gw == ResourceInfo(group: "gateway.networking.k8s.io", version: "v1", kind: "Gateway", plural: "gateways", namespaced: true))
            let dep = try await client.resource(apiVersion: "apps/v1", kind: "Deployment")
            #expect(dep.plural == "deployments")
            let missing = await #expect(throws: KubeError.self) {
                _ = try await client.resource(apiVersion: "agentgateway.alibabacloud.com/v1alpha1", kind: "Backend")
            }
            #expect(missing?.description == "no matches for kind \"Backend\" in version \"agentgateway.alibabacloud.com/v1alpha1\"")
            await #expect(throws: KubeError.self) { _ = try await client.resource(apiVersion: "v1", kind: "Nope") }
            // Install the CRDs: the cached miss is refreshed once and the kind appears.
            let crdResource = try await client.resource(apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition")
            for crd in try YAMLReader.read(AgentGatewayCRDs.yaml, file: "crds") where crd["kind"]?.string == "CustomResourceDefinition" {
                let name = crd["metadata"]?["name"]?.string ?? ""
                _ = try await client.apply(crd, crdResource, namespace: nil, name: name, options: .init(fieldManager: "test"))
            }
            let backend = try await client.resource(apiVersion: "agentgateway.alibabacloud.com/v1alpha1", kind: "Backend")
            #expect(backend.plural == "backends" && backend.namespaced)
        }
    }

    // MARK: - Apply, conflicts, dry run

    @Test func serverSideApplyConflictForceAndDryRun() async throws {
        try await withServer { server, client in
            let cm = configMap("colours", [("colour", "red")])
            let applied = try await client.apply(cm, cmResource, namespace: "default", name: "colours", options: .init(fieldManager: "helm"))
            #expect(applied["data"]?["colour"]?.string == "red")
            let managers = applied["metadata"]?["managedFields"]?.array?.compactMap { $0["manager"]?.string }
            #expect(managers == ["helm"])

            let mine = configMap("colours", [("colour", "blue")])
            let conflict = await #expect(throws: KubeError.self) {
                _ = try await client.apply(mine, cmResource, namespace: "default", name: "colours", options: .init(fieldManager: "kubectl-agentgw"))
            }
            #expect(conflict?.isFieldManagerConflict == true)
            #expect(conflict?.apiStatus?.causes.first?.field == ".data.colour")

            // Dry run: the answer shows the change, the store keeps the old value.
            let dry = try await client.apply(mine, cmResource, namespace: "default", name: "colours",
                                             options: .init(fieldManager: "kubectl-agentgw", force: true, dryRun: .all))
            #expect(dry["data"]?["colour"]?.string == "blue")
            #expect(server.object(group: "", plural: "configmaps", namespace: "default", name: "colours")?["data"]?["colour"]?.string == "red")

            let forced = try await client.apply(mine, cmResource, namespace: "default", name: "colours",
                                                options: .init(fieldManager: "kubectl-agentgw", force: true))
            #expect(forced["data"]?["colour"]?.string == "blue")
            #expect(server.object(group: "", plural: "configmaps", namespace: "default", name: "colours")?["data"]?["colour"]?.string == "blue")
            let query = server.requests().last?.query ?? ""
            #expect(query.contains("fieldManager=kubectl-agentgw") && query.contains("force=true"))
            #expect(server.requests().last?.header("Content-Type") == "application/apply-patch+yaml")
        }
    }

    @Test func getListPagingPatchAndDelete() async throws {
        try await withServer { server, client in
            for i in 0..<5 { _ = try await client.create(configMap("cm\(i)", [("i", .string("\(i)"))]), cmResource, namespace: "default") }
            let (items, rv) = try await client.list(cmResource, namespace: "default", limit: 2)
            #expect(items.compactMap { $0["metadata"]?["name"]?.string }.sorted() == ["cm0", "cm1", "cm2", "cm3", "cm4"])
            #expect(!rv.isEmpty)
            #expect(server.requests().filter { $0.method == "GET" && $0.path == "/api/v1/namespaces/default/configmaps" }.count == 3)

            let patched = try await client.mergePatch(["data": ["i": "patched"]], cmResource, namespace: "default", name: "cm1")
            #expect(patched["data"]?["i"]?.string == "patched")
            #expect(try await client.get(cmResource, namespace: "default", name: "cm1")["data"]?["i"]?.string == "patched")

            _ = try await client.delete(cmResource, namespace: "default", name: "cm1", propagationPolicy: "Background")
            #expect(try await client.getIfExists(cmResource, namespace: "default", name: "cm1") == nil)
            let gone = await #expect(throws: KubeError.self) { _ = try await client.get(cmResource, namespace: "default", name: "cm1") }
            #expect(gone?.description == "Error from server (NotFound): configmaps \"cm1\" not found")
            await #expect(throws: KubeError.self) { _ = try await client.create(configMap("cm2", []), cmResource, namespace: "default") }
        }
    }

    @Test func statusSubresourceApply() async throws {
        try await withServer { server, client in
            let gw = try await client.resource(apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway")
            let object = try yaml("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw1, namespace: default}
            spec:
              gatewayClassName: ack-agent-gateway
              listeners: [{name: http, port: 80, protocol: HTTP}]
            """)
            _ = try await client.apply(object, gw, namespace: "default", name: "gw1", options: .init(fieldManager: "kubectl-agentgw"))
            let status = try yaml("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw1, namespace: default}
            status:
              addresses: [{type: IPAddress, value: 10.0.0.9}]
            """)
            let after = try await client.apply(status, gw, namespace: "default", name: "gw1",
                                               options: .init(fieldManager: "agentgw-controller", force: true), subresource: "status")
            #expect(after["status"]?["addresses"]?[0]?["value"]?.string == "10.0.0.9")
            #expect(server.requests().last?.path == "/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/gw1/status")
        }
    }

    // MARK: - Watch

    @Test func watchDeliversEventsAndSignals410() async throws {
        var options = TestAPIServerOptions()
        options.bookmarkInterval = .milliseconds(200)
        try await withServer(options) { server, client in
            let (_, rv) = try await client.list(cmResource, namespace: "default")
            let stream = client.watch(cmResource, namespace: "default", options: .init(resourceVersion: rv, timeoutSeconds: 30))
            var iterator = stream.makeAsyncIterator()
            _ = try await client.create(configMap("watched", [("a", "1")]), cmResource, namespace: "default")
            var sawAdded = false
            while let event = try await iterator.next() {
                if case .added(let o) = event, o["metadata"]?["name"]?.string == "watched" { sawAdded = true; break }
            }
            #expect(sawAdded)
            _ = try await client.mergePatch(["data": ["a": "2"]], cmResource, namespace: "default", name: "watched")
            var sawModified = false
            while let event = try await iterator.next() {
                if case .modified(let o) = event { sawModified = o["data"]?["a"]?.string == "2"; break }
            }
            #expect(sawModified)

            // An open watch learns that its history is gone with an in-stream 410.
            server.compactHistory()
            let expired = await #expect(throws: KubeError.self) {
                while try await iterator.next() != nil {}
            }
            #expect(expired?.isExpired == true)

            // Starting from a compacted resourceVersion: HTTP 410, the same signal.
            let stale = client.watch(cmResource, namespace: "default", options: .init(resourceVersion: rv))
            let again = await #expect(throws: KubeError.self) { for try await _ in stale {} }
            #expect(again?.isExpired == true)
        }
    }

    @Test func reflectorRelistsAfter410AndRewatchesAfterAClose() async throws {
        try await withServer { server, client in
            _ = try await client.create(configMap("a", []), cmResource, namespace: "default")
            var it = client.reflect(cmResource, namespace: "default", timeoutSeconds: 60).makeAsyncIterator()
            guard case .replaced(let first, _)? = try await it.next() else { Issue.record("no initial list"); return }
            #expect(first.compactMap { $0["metadata"]?["name"]?.string } == ["a"])
            func waitForWatch() async throws {
                for _ in 0..<400 where server.openWatches == 0 { try await Task.sleep(for: .milliseconds(25)) }
            }
            try await waitForWatch()
            _ = try await client.create(configMap("b", []), cmResource, namespace: "default")
            guard case .event(.added(let b))? = try await it.next() else { Issue.record("no ADDED"); return }
            #expect(b["metadata"]?["name"]?.string == "b")
            // The server ends the stream: the reflector watches again without a relist.
            server.closeWatches()
            try await waitForWatch()
            _ = try await client.create(configMap("c", []), cmResource, namespace: "default")
            guard case .event(.added(let c))? = try await it.next() else { Issue.record("no ADDED after re-watch"); return }
            #expect(c["metadata"]?["name"]?.string == "c")
            // History gone (410): a relist reports the whole set again.
            server.compactHistory()
            guard case .replaced(let all, _)? = try await it.next() else { Issue.record("no relist"); return }
            #expect(all.compactMap { $0["metadata"]?["name"]?.string }.sorted() == ["a", "b", "c"])
            let lists = server.requests().filter { $0.method == "GET" && $0.path == "/api/v1/namespaces/default/configmaps" && $0.queryItems["watch"] == nil }
            #expect(lists.count == 2)
        }
    }

    @Test func cancellingTheConsumerClosesTheWatch() async throws {
        try await withServer { server, client in
            let consumer = Task {
                var events = 0
                for try await _ in client.watch(cmResource, namespace: "default", options: .init(timeoutSeconds: 300)) { events += 1 }
                return events
            }
            // Wait (bounded) until the server holds the stream open, then cancel the consumer.
            for _ in 0..<400 where server.openWatches == 0 { try await Task.sleep(for: .milliseconds(25)) }
            #expect(server.openWatches == 1)
            _ = try await client.create(configMap("one", []), cmResource, namespace: "default")
            consumer.cancel()
            // The stream ends without an error and the connection closes.
            _ = try await consumer.value
            var open = server.openWatches
            for _ in 0..<400 where open > 0 {
                try await Task.sleep(for: .milliseconds(25))
                open = server.openWatches
            }
            #expect(open == 0)
        }
    }

    @Test func watchEndsWhenTheServerClosesIt() async throws {
        try await withServer { server, client in
            let stream = client.watch(cmResource, namespace: nil, options: .init(resourceVersion: "0", allowBookmarks: false, timeoutSeconds: 1))
            var names: [String] = []
            _ = try await client.create(configMap("before", []), cmResource, namespace: "default")
            for try await event in stream {
                if let n = event.object?["metadata"]?["name"]?.string { names.append(n) }
            }
            // The stream finished without an error after timeoutSeconds.
            #expect(names.contains("before"))
            #expect(server.requests().contains { $0.query.contains("timeoutSeconds=1") && $0.query.contains("watch=true") })
        }
    }
}
