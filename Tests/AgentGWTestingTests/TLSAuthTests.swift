import AgentGWModel
import AgentGWTesting
import Foundation
import Testing

@Suite("TestAPIServer over HTTPS", .serialized)
struct TLSAuthTests {
    static let pkiDir = Proc.tempDir("pki")
    static let pki: Result<TestPKIFiles, any Error> = Result { try TestPKI.generate(in: pkiDir) }

    func start(tokens: Set<String>) async throws -> (TestAPIServer, TestPKIFiles) {
        let files = try Self.pki.get()
        var options = TestAPIServerOptions()
        options.tls = TestTLS(certificatePath: files.serverCertificate, keyPath: files.serverKey, clientCAPath: files.caCertificate)
        options.auth = .required(tokens: tokens)
        return (try await TestAPIServer.start(options), files)
    }

    @Test("TestPKI makes a CA, a server certificate for 127.0.0.1 and a client certificate CN=alice O=devs")
    func pki() async throws {
        let files = try Self.pki.get()
        let text = try await Proc.run("/usr/bin/openssl", ["x509", "-in", files.clientCertificate, "-noout", "-subject"])
        #expect(text.stdout.contains("O = devs") && text.stdout.contains("CN = alice"))
        let san = try await Proc.run("/usr/bin/openssl", ["x509", "-in", files.serverCertificate, "-noout", "-ext", "subjectAltName"])
        #expect(san.stdout.contains("IP Address:127.0.0.1") && san.stdout.contains("DNS:localhost"))
        let verify = try await Proc.run("/usr/bin/openssl", ["verify", "-CAfile", files.caCertificate, files.serverCertificate, files.clientCertificate])
        #expect(verify.status == 0)
    }

    @Test("a bad or missing token gets 401 Unauthorized; a good token passes")
    func tokens() async throws {
        let (server, files) = try await start(tokens: ["good-token"])
        defer { Task { try? await server.shutdown() } }
        #expect(server.baseURL.hasPrefix("https://127.0.0.1:"))
        let curl = Curl(base: server.baseURL, args: ["--cacert", files.caCertificate])
        let none = try await curl.get("/api/v1/namespaces")
        #expect(none.status == 401)
        #expect(none.body == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","details":{},"code":401}"#)
        let bad = try await curl.call("GET", "/api/v1/namespaces", headers: ["Authorization: Bearer wrong"])
        #expect(bad.status == 401)
        let good = try await curl.call("GET", "/api/v1/namespaces", headers: ["Authorization: Bearer good-token"])
        #expect(good.status == 200)
        #expect(good.json?["kind"]?.string == "NamespaceList")
        // The token never lands in the request log.
        #expect(server.requests().allSatisfy { !($0.header("Authorization") ?? "").contains("good-token") })
        #expect(server.requests().last?.header("Authorization") == "<redacted>")
        #expect(server.requests().last?.authenticatedBy == "token")

        // Rotation: the old token stops working, the new one works.
        server.setAuth(.required(tokens: ["rotated"]))
        #expect(try await curl.call("GET", "/version", headers: ["Authorization: Bearer good-token"]).status == 401)
        #expect(try await curl.call("GET", "/version", headers: ["Authorization: Bearer rotated"]).status == 200)
    }

    @Test("a client certificate signed by the client CA authenticates; one from another CA is refused")
    func clientCertificate() async throws {
        let (server, files) = try await start(tokens: ["t"])
        defer { Task { try? await server.shutdown() } }
        let withCert = Curl(base: server.baseURL, args: ["--cacert", files.caCertificate, "--cert", files.clientCertificate, "--key", files.clientKey])
        #expect(try await withCert.get("/version").status == 200)
        #expect(server.requests().last?.authenticatedBy == "client-certificate")

        let strangerDir = Proc.tempDir("stranger")
        defer { try? FileManager.default.removeItem(atPath: strangerDir) }
        let stranger = try TestPKI.generate(in: strangerDir)
        let foreign = Curl(base: server.baseURL, args: ["--cacert", files.caCertificate, "--cert", stranger.clientCertificate, "--key", stranger.clientKey])
        let refused = try await foreign.get("/version")
        #expect(refused.status != 200)  // the handshake fails: curl reports no HTTP status
    }
}
