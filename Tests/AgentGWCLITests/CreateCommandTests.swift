import Foundation
import Testing
import AgentGWModel

/// `create …` through the real binary: output, exit codes, and the tutorial equivalence.
@Suite struct CreateCommandTests {
    /// Objects by `Kind/name`, marks dropped, so comparison is by content only.
    func objects(_ yaml: String, file: String) throws -> [String: Node] {
        var out: [String: Node] = [:]
        for doc in try YAMLReader.read(yaml, file: file) where !doc.isNull {
            let m = Manifest(node: doc, file: file)
            out["\(m.kind)/\(m.name)"] = doc.withoutMarks
        }
        return out
    }

    @Test func createMCPEqualsTheTutorialsManifests() throws {
        let r = try CLI.run(["create", "mcp", "test-mcp", "--service", "demo-mcp-server:8000",
                             "--gateway", "test-mcp-gateway", "--route", "route-for-mcp-backend"])
        #expect(r.status == 0, "\(r.stderr)")
        let tutorial = try String(contentsOfFile: CLI.shared("seed/manifests/mcp-gateway.yaml"), encoding: .utf8)
        let expected = try objects(tutorial, file: "mcp-gateway.yaml")
        let generated = try objects(r.stdout, file: "stdout")
        #expect(expected.count == 3)
        #expect(Set(generated.keys) == Set(expected.keys))
        for (key, object) in expected {
            #expect(generated[key] == object, "\(key) differs:\n\(YAMLWriter.write(generated[key] ?? .null))")
        }
    }

    @Test func createMCPWithKeysAddsSecretAndPolicy() throws {
        let r = try CLI.run(["create", "mcp", "demo", "--service", "demo.tools:8000", "--api-key-secret", "demo-keys",
                             "--generate-keys", "2", "--rate-limit", "10/second", "-n", "tools"])
        #expect(r.status == 0, "\(r.stderr)")
        let objs = try objects(r.stdout, file: "stdout")
        #expect(Set(objs.keys) == ["Secret/demo-keys", "Backend/demo", "Gateway/demo-gateway", "HTTPRoute/demo-route", "TrafficPolicy/demo-apikey-auth"])
        #expect(objs["Backend/demo"]?["spec"]?["mcp"]?["targets"]?[0]?["static"]?["host"]?.string == "demo.tools.svc.cluster.local")
        #expect(objs["TrafficPolicy/demo-apikey-auth"]?["spec"]?["traffic"]?["rateLimit"]?["local"]?[0]?["unit"]?.string == "Seconds")
        #expect(objs["Gateway/demo-gateway"]?["metadata"]?["namespace"]?.string == "tools")
        // The generated output is itself valid.
        let v = try CLI.run(["validate", "-f", "-"], stdin: r.stdout)
        #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
    }

    @Test(arguments: [
        ["create", "backend", "b", "--host", "mcp.example.com", "--port", "9000", "--protocol", "SSE"],
        ["create", "backend", "b", "--service", "svc.ns:8000"],
        ["create", "backend", "b", "--target", "name=one,host=a.example.com,port=80", "--target", "name=two,host=b.example.com,port=81,path=/x,protocol=SSE"],
        ["create", "gateway", "g", "--port", "8080", "--allowed-routes", "All"],
        ["create", "httproute", "r", "--gateway", "g", "--backend", "b", "--path-prefix", "/mcp", "--hostname", "mcp.example.com"],
        ["create", "trafficpolicy", "p", "--target-route", "r", "--api-key-secret", "s", "--rate-limit", "100/minute,burst=20,per=APIKey", "--allow-tools", "fetch,get_*"],
        ["create", "apikey-secret", "s", "--key", "key1=key-value-foo", "--key", "key2=key-value-bar"],
    ])
    func eachGeneratorPrintsValidYAMLAndJSON(_ args: [String]) throws {
        let yaml = try CLI.run(args)
        #expect(yaml.status == 0, "\(args): \(yaml.stderr)")
        let v = try CLI.run(["validate", "-f", "-"], stdin: yaml.stdout)
        #expect(v.status == 0, "\(args) did not validate: \(v.stdout)\(v.stderr)")
        let json = try CLI.run(args + ["-o", "json"])
        #expect(json.status == 0)
        let a = try YAMLReader.read(yaml.stdout, file: "y").first?.withoutMarks
        let b = try YAMLReader.read(json.stdout, file: "j").first?.withoutMarks
        #expect(a != nil && a == b, "yaml and json output differ for \(args)")
        let name = try CLI.run(args + ["-o", "name"])
        #expect(name.stdout.contains("/"), "\(name.stdout)")
    }

    @Test func sseTargetDefaultsItsPath() throws {
        let r = try CLI.run(["create", "backend", "b", "--host", "h.example.com", "--port", "1", "--protocol", "SSE"])
        let doc = try YAMLReader.read(r.stdout, file: "o")[0]
        #expect(doc["spec"]?["mcp"]?["targets"]?[0]?["static"]?["path"]?.string == "/sse")
    }

    @Test func generatedKeysAreFreshURLSafe32ByteValues() throws {
        let a = try CLI.run(["create", "apikey-secret", "k", "--generate", "3", "-o", "json"])
        let b = try CLI.run(["create", "apikey-secret", "k", "--generate", "3", "-o", "json"])
        let ka = try YAMLReader.read(a.stdout, file: "a")[0]["stringData"]?.entries ?? []
        let kb = try YAMLReader.read(b.stdout, file: "b")[0]["stringData"]?.entries ?? []
        #expect(ka.map(\.key) == ["key1", "key2", "key3"])
        let urlSafe = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for e in ka {
            let v = e.value.string ?? ""
            #expect(v.count == 43) // 32 bytes, unpadded base64url
            #expect(v.unicodeScalars.allSatisfy { urlSafe.contains($0) })
        }
        #expect(Set(ka.compactMap(\.value.string)).isDisjoint(with: kb.compactMap(\.value.string)))
    }

    @Test(arguments: [
        (["create", "backend", "b", "--host", "h"], "--host and --port"),
        (["create", "backend", "b"], "exactly one of"),
        (["create", "backend", "b", "--target", "name=x,host=h"], "port is required"),
        (["create", "backend", "b", "--service", "nope"], "NAME[.NAMESPACE]:PORT"),
        (["create", "gateway", "g", "--port", "0"], "--port"),
        (["create", "httproute", "r", "--gateway", "g"], "--backend"),
        (["create", "trafficpolicy", "p", "--target-route", "r"], "at least one of"),
        (["create", "trafficpolicy", "p", "--target-route", "r", "--rate-limit", "ten/minute"], "--rate-limit"),
        (["create", "apikey-secret", "s", "--key", "novalue"], "ID=VALUE"),
        (["create", "mcp", "m", "--service", "s:1", "--dry-run=server"], "needs a cluster"),
        (["create", "nothing"], "nothing"),
    ])
    func badFlagsGiveOneLineErrors(_ args: [String], _ fragment: String) throws {
        let r = try CLI.run(args)
        #expect(r.status != 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains(fragment), "\(args): \(r.stderr)")
        #expect(r.stderr.hasPrefix("error:"), "\(args): \(r.stderr)")
    }

    @Test func secretValuesNeverAppearInErrors() throws {
        let r = try CLI.run(["create", "apikey-secret", "s", "--key", "k1=super-secret-value", "--key", "k1=super-secret-value"])
        #expect(r.status != 0)
        #expect(!r.stderr.contains("super-secret-value"))
    }
}
