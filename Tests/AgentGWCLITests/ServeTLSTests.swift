import Foundation
import Testing
import AgentGWModel

/// HTTPS listeners: certificates from kubernetes.io/tls Secrets, chosen by SNI, checked by a
/// real TLS client (curl) over loopback with --resolve.
@Suite(.timeLimit(.minutes(3))) struct ServeTLSTests {
    typealias Serve = ServeCommandTests.Serve

    /// A self-signed certificate for `host`: (cert path, key path, cert PEM, key PEM).
    static func certificate(_ host: String, in dir: URL) throws -> (crt: String, key: String, crtPEM: String, keyPEM: String) {
        let crt = dir.appendingPathComponent("\(host).crt").path, key = dir.appendingPathComponent("\(host).key").path
        let r = try CLI.run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                             "-subj", "/CN=\(host)", "-addext", "subjectAltName=DNS:\(host)", "-keyout", key, "-out", crt],
                            executable: URL(fileURLWithPath: "/usr/bin/openssl"))
        guard r.status == 0 else { throw PeerError("openssl failed: \(r.stderr)") }
        return (crt, key, try String(contentsOfFile: crt, encoding: .utf8), try String(contentsOfFile: key, encoding: .utf8))
    }

    static func secret(_ name: String, _ pem: (crt: String, key: String, crtPEM: String, keyPEM: String)) -> String {
        func indent(_ s: String) -> String { s.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") }
        return """
        apiVersion: v1
        kind: Secret
        metadata: {name: \(name)}
        type: kubernetes.io/tls
        stringData:
          tls.crt: |
        \(indent(pem.crtPEM))
          tls.key: |
        \(indent(pem.keyPEM))
        ---

        """
    }

    static func manifests(upstream: Int, secrets: String, refs: (String, String)) -> String {
        secrets + """
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: Backend
        metadata: {name: tools}
        spec: {type: MCP, mcp: {targets: [{name: t, static: {host: 127.0.0.1, port: \(upstream), path: /mcp}}]}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: ack-agent-gateway
          listeners:
          - {name: a, port: 80, protocol: HTTPS, hostname: a.example.com, tls: {certificateRefs: [{name: \(refs.0)}]}}
          - {name: b, port: 80, protocol: HTTPS, hostname: b.example.com, tls: {certificateRefs: [{name: \(refs.1)}]}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r}
        spec:
          parentRefs: [{name: gw}]
          rules: [{backendRefs: [{group: agentgateway.alibabacloud.com, kind: Backend, name: tools}]}]

        """
    }

    @Test func httpsListenersServeEachHostnameItsOwnCertificate() throws {
        let dir = try CLI.tempDir()
        let a = try Self.certificate("a.example.com", in: dir), b = try Self.certificate("b.example.com", in: dir)
        let upstream = try Peer.start(nil, ["sample-server"], executable: CLI.binary.path)
        defer { upstream.stop() }
        let serve = try Serve(Self.manifests(upstream: upstream.port, secrets: Self.secret("cert-a", a) + Self.secret("cert-b", b),
                                             refs: ("cert-a", "cert-b")))
        let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#
        func post(_ host: String, trusting ca: String) throws -> CLIResult {
            try ServeCommandTests.Curl.run(["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", "--cacert", ca,
                                            "--resolve", "\(host):\(serve.port):127.0.0.1", "-X", "POST", "https://\(host):\(serve.port)/mcp",
                                            "-H", "Content-Type: application/json", "-H", "Accept: application/json, text/event-stream",
                                            "--data-binary", initialize])
        }
        // Each name gets its own certificate: trusting only a's, a works and b fails verification.
        #expect(try post("a.example.com", trusting: a.crt).stdout == "200")
        #expect(try post("b.example.com", trusting: b.crt).stdout == "200")
        let wrong = try post("b.example.com", trusting: a.crt)
        #expect(wrong.status == 60, "curl exit \(wrong.status): \(wrong.stdout)")   // 60: peer certificate cannot be authenticated
        // Plain HTTP on an HTTPS port is refused.
        let plain = try ServeCommandTests.Curl.run(["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", "http://127.0.0.1:\(serve.port)/mcp"])
        #expect(plain.stdout != "200")
    }

    /// A listener whose certificate is missing or broken is not served (never in plain text,
    /// never with another listener's certificate); the other listeners are, and the log says why
    /// with the reference's position and without the key material.
    @Test func aListenerWithAMissingOrBrokenCertificateIsLeftOutAlone() throws {
        let dir = try CLI.tempDir()
        let a = try Self.certificate("a.example.com", in: dir)
        var broken = try Self.certificate("c.example.com", in: dir)
        broken.keyPEM = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
        let upstream = try Peer.start(nil, ["sample-server"], executable: CLI.binary.path)
        defer { upstream.stop() }
        let yaml = Self.manifests(upstream: upstream.port, secrets: Self.secret("cert-a", a) + Self.secret("cert-c", broken), refs: ("cert-a", "missing"))
            .replacingOccurrences(of: "  - {name: b, port: 80", with: "  - {name: c, port: 80, protocol: HTTPS, hostname: c.example.com, tls: {certificateRefs: [{name: cert-c}]}}\n  - {name: b, port: 80")
        let serve = try Serve(yaml)
        let ok = try ServeCommandTests.Curl.run(["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", "--cacert", a.crt,
                                                 "--resolve", "a.example.com:\(serve.port):127.0.0.1", "-X", "POST", "https://a.example.com:\(serve.port)/mcp",
                                                 "-H", "Content-Type: application/json", "-H", "Accept: application/json, text/event-stream",
                                                 "--data-binary", #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#])
        #expect(ok.stdout != "000", "a is served: \(ok.stderr)")
        let log = serve.log
        #expect(log.contains("certificate Secret \"default/missing\" is not in the input; the listener is not served"), "\(log)")
        #expect(log.contains("Secret \"default/cert-c\": tls.key is not a PEM private key"), "\(log)")
        #expect(log.contains("gateway.yaml:"), "\(log)")
        #expect(!log.contains("AAAA"))
        // Plain HTTP is still refused on the port.
        let plain = try ServeCommandTests.Curl.run(["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", "http://127.0.0.1:\(serve.port)/mcp"])
        #expect(plain.stdout != "200")
    }

    /// Targets on port 443 are reached over TLS, by their manifest name (SNI and the certificate
    /// check), alone and multiplexed with a plain-HTTP target; an untrusted certificate fails.
    @Test func upstreamsOnPort443AreReachedOverTLS() throws {
        let dir = try CLI.tempDir()
        let cert = try Self.certificate("mcp.example.com", in: dir)
        let script = CLI.repoRoot.appendingPathComponent("Tests/AgentGWCLITests/Fixtures/spec_server.py").path
        let secure = try Peer.start(nil, [script, "--tls-cert", cert.crt, "--tls-key", cert.key], executable: Peer.python("modern"))
        defer { secure.stop() }
        let plain = try Peer.start(nil, ["sample-server"], executable: CLI.binary.path)
        defer { plain.stop() }
        func backend(_ targets: String) -> String {
            ServeMultiplexTests.manifests([]).replacingOccurrences(of: "    targets:\n", with: "    targets:\n" + targets)
        }
        let tlsTarget = "    - name: s\n      static: {host: mcp.example.com, port: 443, path: /mcp}\n"
        let plainTarget = "    - name: p\n      static: {host: 127.0.0.1, port: \(plain.port), path: /mcp}\n"
        let resolve = ["--resolve", "mcp.example.com:443=127.0.0.1:\(secure.port)"]
        for (targets, expected) in [(tlsTarget, ["echo", "headers"]), (tlsTarget + plainTarget, ["p_add", "p_echo", "p_fetch", "p_time", "s_echo", "s_headers"])] {
            let serve = try Serve(backend(targets), extra: resolve + ["--upstream-ca-file", cert.crt])
            let r = try CLI.run(["probe", serve.url, "--era", "legacy", "-o", "json"])
            #expect(r.status == 0, "\(r.stderr)")
            let names = try YAMLReader.read(r.stdout, file: "p").first?["tools"]?.array?.compactMap { $0["name"]?.string }.sorted()
            #expect(names == expected, "\(String(describing: names)) \(serve.log)")
        }
        // Without the CA the certificate isn't trusted: the gateway answers 502, it doesn't fall back to HTTP.
        let untrusted = try Serve(backend(tlsTarget), extra: resolve)
        let r = try CLI.run(["probe", untrusted.url, "--era", "legacy", "-o", "json"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("502"), "\(r.stderr)")
    }
}
