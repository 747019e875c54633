import AgentGWModel
import AgentGWTesting
import Foundation
import Testing

@Suite("agentgw-test-apiserver executable")
struct ExecutableTests {
    static var binary: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/agentgw-test-apiserver").path
    }

    @Test("prints its URL first, writes a kubeconfig, serves, and exits 0 on SIGTERM")
    func runs() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build it first: swift build --build-tests")
        let dir = Proc.tempDir("exe")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try Proc.start(Self.binary, ["--port", "0", "--token", "tok", "--no-agentgateway-crds", "--kubeconfig", dir + "/kc"],
                               dir: dir, name: "server")
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        var url = ""
        let started = await Proc.eventually {
            let text = (try? String(contentsOfFile: dir + "/server.out", encoding: .utf8)) ?? ""
            url = String(text.split(separator: "\n").first ?? "")
            return !url.isEmpty && FileManager.default.fileExists(atPath: dir + "/kc")
        }
        #expect(started)
        #expect(url.hasPrefix("http://127.0.0.1:"))
        let kubeconfig = (try? String(contentsOfFile: dir + "/kc", encoding: .utf8)) ?? ""
        #expect(kubeconfig.contains("server: \(url)") && kubeconfig.contains("token: tok"))
        let groups = try await Curl(base: url).call("GET", "/apis", headers: ["Authorization: Bearer tok"])
        #expect(groups.status == 200)
        #expect(groups.json?["groups"]?.array?.contains { $0["name"]?.string == "agentgateway.alibabacloud.com" } == false)
        #expect(try await Curl(base: url).get("/apis").status == 401)
        if p.isRunning { kill(p.processIdentifier, SIGTERM) }
        await Proc.wait(p, timeout: 20)
        #expect(p.terminationReason == .exit && p.terminationStatus == 0)
    }

    @Test("--tls-dir makes (or reuses) certificates and serves HTTPS with the CA in the kubeconfig")
    func tls() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build it first: swift build --build-tests")
        let dir = Proc.tempDir("exe-tls")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try Proc.start(Self.binary, ["--tls-dir", dir + "/pki", "--kubeconfig", dir + "/kc"], dir: dir, name: "server")
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        var url = ""
        #expect(await Proc.eventually {
            url = String(((try? String(contentsOfFile: dir + "/server.out", encoding: .utf8)) ?? "").split(separator: "\n").first ?? "")
            return !url.isEmpty && FileManager.default.fileExists(atPath: dir + "/kc")
        })
        #expect(url.hasPrefix("https://127.0.0.1:"))
        #expect(((try? String(contentsOfFile: dir + "/kc", encoding: .utf8)) ?? "").contains("certificate-authority-data: "))
        let version = try await Curl(base: url, args: ["--cacert", dir + "/pki/ca.crt"]).get("/version")
        #expect(version.json?["gitVersion"]?.string?.hasPrefix("v1.32") == true)
        if p.isRunning { kill(p.processIdentifier, SIGINT) }
        await Proc.wait(p, timeout: 20)
        #expect(p.terminationStatus == 0)
    }

    @Test("a bad flag is one line on stderr and exit 2")
    func badFlag() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build it first: swift build --build-tests")
        let r = try await Proc.run(Self.binary, ["--port", "x"], timeout: 20)
        #expect(r.status == 2)
        #expect(r.stderr == "agentgw-test-apiserver: --port needs a number 0-65535\n")
    }
}
