import Foundation
import Testing
import AgentGWModel

/// `validate` through the real binary: findings, positions, exit codes, hostile input.
@Suite struct ValidateCommandTests {
    func write(_ text: String, name: String = "m.yaml") throws -> String {
        let dir = try CLI.tempDir()
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theTutorialsManifestsAreValid() throws {
        let r = try CLI.run(["validate", "-f", CLI.shared("seed/manifests/mcp-gateway.yaml"),
                             "-f", CLI.shared("seed/manifests/mcp-api-key.yaml"), "-f", CLI.shared("seed/manifests/mcp-server.yaml")])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains("valid: 3 file(s), 7 object(s): 0 error(s)"), "\(r.stderr)")
    }

    @Test func aFolderIsReadAndRecursionIsOptIn() throws {
        let r = try CLI.run(["validate", "-f", CLI.shared("seed/manifests")])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains("3 file(s)"))
        let nested = try CLI.run(["validate", "-R", "-f", CLI.shared("seed")])
        #expect(nested.status == 0)
        #expect(nested.stderr.contains("3 file(s)"))
    }

    @Test func findingsCarryFileLineColumnAndRule() throws {
        let path = try write("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: r
        spec:
          parentRefs:
          - name: gw
          rules:
          - backendRefs:
            - group: agentgateway.alibabacloud.com
              kind: Backend
              name: missing
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: gw
          namespace: other
        spec:
          gatewayClassName: ack-agent-gateway
          listeners:
          - name: http
            port: 80
            protocol: HTTP
        """)
        let r = try CLI.run(["validate", "-f", path])
        #expect(r.status == 0, "warnings alone keep it valid: \(r.stdout)")
        #expect(r.stdout.contains("\(path):10:7: warning: Backend \"default/missing\" is not in the input (ref.backend-not-found)"), "\(r.stdout)")
        #expect(r.stdout.contains("\(path):7:5: warning: Gateway \"default/gw\" is not in the input (ref.parent-not-found)"), "\(r.stdout)")
        let strict = try CLI.run(["validate", "--strict", "-f", path])
        #expect(strict.status == 1)
    }

    @Test func aRouteNoListenerAdmitsIsAnError() throws {
        let path = try write("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: infra}
        spec:
          gatewayClassName: ack-agent-gateway
          listeners: [{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: Same}}}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r, namespace: apps}
        spec:
          parentRefs: [{name: gw, namespace: infra}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: keys, namespace: apps}
        stringData: {key1: ""}
        ---
        apiVersion: agentgateway.alibabacloud.com/v1alpha1
        kind: TrafficPolicy
        metadata: {name: p, namespace: apps}
        spec:
          targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}]
          traffic: {authentication: {apiKeyAuth: {secretRef: {name: keys}}}}
        """)
        let r = try CLI.run(["validate", "-f", path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("(ref.not-allowed-by-listeners)"), "\(r.stdout)")
        #expect(r.stdout.contains("(ref.secret-empty)"), "\(r.stdout)")
        #expect(r.stderr.hasPrefix("invalid:"))
    }

    @Test func jsonOutputIsMachineReadable() throws {
        let path = try write("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n---\nfoo: [\n")
        let r = try CLI.run(["validate", "-o", "json", "-f", path])
        #expect(r.status == 1)
        let doc = try YAMLReader.read(r.stdout, file: "json")[0]
        #expect(doc["valid"]?.bool == false)
        #expect(doc["findings"]?[0]?["rule"]?.string == "input.syntax")
        #expect(doc["findings"]?[0]?["line"]?.int != nil)
    }

    @Test func usageAndIOErrorsExitTwo() throws {
        let missing = try CLI.run(["validate", "-f", "/nonexistent/x.yaml"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: /nonexistent/x.yaml: no such file or directory\n")
        let none = try CLI.run(["validate"])
        #expect(none.status == 2)
        let badFlag = try CLI.run(["validate", "--bogus"])
        #expect(badFlag.status == 2)
    }

    // MARK: hostile input: each gets one clear line and exit 1, never a crash.

    func expectOneLineRefusal(_ path: String, _ fragment: String) throws {
        let r = try CLI.run(["validate", "-f", path])
        #expect(r.status == 1, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 1, "\(r.stdout)")
        #expect(lines.first?.hasPrefix("\(path):") == true)
        #expect(r.stdout.contains(fragment), "\(r.stdout)")
    }

    @Test func aliasBomb() throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n" }
        try expectOneLineRefusal(try write(text), "alias bomb")
    }

    @Test func hugeFile() throws {
        let path = try CLI.tempDir().appendingPathComponent("big.yaml").path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let h = try #require(FileHandle(forWritingAtPath: path))
        let chunk = Data(String(repeating: "# padding line of a very large file\n", count: 30_000).utf8)
        for _ in 0..<100 { h.write(chunk) } // ~108 MB
        try h.close()
        try expectOneLineRefusal(path, "over the limit")
    }

    @Test func deepNesting() throws {
        try expectOneLineRefusal(try write(String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)), "nesting deeper than")
    }

    @Test func binaryGarbage() throws {
        let path = try CLI.tempDir().appendingPathComponent("garbage.yaml").path
        var rng = SystemRandomNumberGenerator()
        _ = FileManager.default.createFile(atPath: path, contents: Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) } + [0]))
        try expectOneLineRefusal(path, "error:")
    }

    @Test func nonUTF8Text() throws {
        let path = try CLI.tempDir().appendingPathComponent("latin1.yaml").path
        _ = FileManager.default.createFile(atPath: path, contents: Data("kind: Caf".utf8 + [0xE9] + Data("\n".utf8)))
        try expectOneLineRefusal(path, "invalid UTF-8")
        let r = try CLI.run(["validate", "-f", path])
        #expect(r.stdout.hasPrefix("\(path):1:10:"), "\(r.stdout)")
    }
}
