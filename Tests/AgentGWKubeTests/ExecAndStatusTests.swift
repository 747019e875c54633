@testable import AgentGWKube
import AgentGWModel
import Foundation
import Testing

/// A real shell-script credential plugin: counts its runs in `runs`, saves its
/// KUBERNETES_EXEC_INFO and args, and prints the ExecCredential in `out` (or `out-N` for run N).
struct ScriptPlugin {
    let dir: String
    var path: String { "\(dir)/plugin.sh" }
    var runs: Int { read("\(dir)/runs").split(separator: "\n").count }
    var execInfo: String { read("\(dir)/info") }

    init(apiVersion: String, token: String? = "plugin-token", expiration: String? = nil, tokens: [String]? = nil) throws {
        dir = try tempDir()
        func credential(_ t: String) -> String {
            var status = "\"token\":\"\(t)\""
            if let expiration { status += ",\"expirationTimestamp\":\"\(expiration)\"" }
            return "{\"apiVersion\":\"\(apiVersion)\",\"kind\":\"ExecCredential\",\"status\":{\(status)}}"
        }
        if let tokens {
            for (i, t) in tokens.enumerated() { try write(credential(t), to: "\(dir)/out-\(i + 1)") }
        }
        try write(credential(token ?? ""), to: "\(dir)/out")
        try write("""
        #!/bin/sh
        echo run >> "\(dir)/runs"
        n=$(wc -l < "\(dir)/runs" | tr -d ' ')
        printf '%s' "$KUBERNETES_EXEC_INFO" > "\(dir)/info"
        echo "$@ FOO=$FOO" > "\(dir)/args"
        if [ -f "\(dir)/out-$n" ]; then cat "\(dir)/out-$n"; else cat "\(dir)/out"; fi
        """, to: path, executable: true)
    }

    func config(_ apiVersion: String) -> ExecConfig {
        var e = ExecConfig()
        e.command = path
        e.apiVersion = apiVersion
        e.args = ["get", "token"]
        e.env = [.init(name: "FOO", value: "bar")]
        e.interactiveMode = "Never"
        e.provideClusterInfo = true
        return e
    }
}

@Suite("exec credential plugins")
struct ExecPluginTests {
    func authenticator(_ exec: ExecConfig) throws -> Authenticator {
        var c = ClientConfig(server: "https://127.0.0.1:6443")
        c.credentials.exec = exec
        c.environment = ProcessInfo.processInfo.environment
        return try Authenticator(config: c)
    }

    @Test(arguments: ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"])
    func runsThePluginAndCachesItsToken(apiVersion: String) async throws {
        let plugin = try ScriptPlugin(apiVersion: apiVersion, expiration: "2099-01-01T00:00:00Z")
        let auth = try authenticator(plugin.config(apiVersion))
        #expect(try await auth.credentials().authorization == "Bearer plugin-token")
        #expect(try await auth.credentials().authorization == "Bearer plugin-token")
        #expect(plugin.runs == 1)
        #expect(read("\(plugin.dir)/args").trimmingCharacters(in: .whitespacesAndNewlines) == "get token FOO=bar")
        let info = try yaml(plugin.execInfo)
        #expect(info["apiVersion"]?.string == apiVersion)
        #expect(info["kind"]?.string == "ExecCredential")
        #expect(info["spec"]?["interactive"]?.bool == false)
        #expect(info["spec"]?["cluster"]?["server"]?.string == "https://127.0.0.1:6443")
        // A 401 forces a new run.
        await auth.invalidate()
        _ = try await auth.credentials()
        #expect(plugin.runs == 2)
    }

    @Test func expiredCredentialsAreFetchedAgain() async throws {
        let v1 = "client.authentication.k8s.io/v1"
        let plugin = try ScriptPlugin(apiVersion: v1, expiration: "2001-01-01T00:00:00Z", tokens: ["one", "two"])
        let auth = try authenticator(plugin.config(v1))
        #expect(try await auth.credentials().authorization == "Bearer one")
        #expect(try await auth.credentials().authorization == "Bearer two")
        #expect(plugin.runs == 2)
    }

    @Test func noExpiryMeansCachedUntilA401() async throws {
        let v1 = "client.authentication.k8s.io/v1"
        let plugin = try ScriptPlugin(apiVersion: v1, tokens: ["one", "two"])
        let auth = try authenticator(plugin.config(v1))
        for _ in 0..<3 { #expect(try await auth.credentials().authorization == "Bearer one") }
        #expect(plugin.runs == 1)
    }

    @Test func aMissingCommandShowsTheInstallHint() async throws {
        var e = ExecConfig()
        e.command = "agentgw-no-such-plugin"
        e.apiVersion = "client.authentication.k8s.io/v1beta1"
        e.installHint = "brew install agentgw-plugin"
        let auth = try authenticator(e)
        let error = await #expect(throws: KubeError.self) { try await auth.credentials() }
        let text = error.map { String(describing: $0) } ?? ""
        #expect(text.hasPrefix("getting credentials: exec: executable agentgw-no-such-plugin not found"))
        #expect(text.hasSuffix("brew install agentgw-plugin"))
    }

    @Test func wrongOutputIsRefused() throws {
        let v1 = "client.authentication.k8s.io/v1"
        let ok = try ExecCredential.parse(Array("""
        {"apiVersion":"\(v1)","kind":"ExecCredential","status":{"clientCertificateData":"CERT","clientKeyData":"KEY","expirationTimestamp":"2030-05-06T07:08:09Z"}}
        """.utf8), expectedAPIVersion: v1)
        #expect(ok.clientCertificateData == Array("CERT".utf8))
        #expect(ok.token == nil)
        #expect(ok.expiration == RFC3339.parse("2030-05-06T07:08:09Z"))
        #expect(throws: KubeError.self) {
            try ExecCredential.parse(Array("{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"t\"}}".utf8), expectedAPIVersion: v1)
        }
        #expect(throws: KubeError.self) {
            try ExecCredential.parse(Array("{\"apiVersion\":\"\(v1)\",\"kind\":\"ExecCredential\",\"status\":{\"clientCertificateData\":\"C\"}}".utf8), expectedAPIVersion: v1)
        }
        #expect(throws: KubeError.self) { try ExecCredential.parse(Array("not json {".utf8), expectedAPIVersion: v1) }
    }

    @Test func aFailingPluginIsAnError() async throws {
        let dir = try tempDir()
        try write("#!/bin/sh\nexit 3\n", to: "\(dir)/p", executable: true)
        var e = ExecConfig()
        e.command = "\(dir)/p"
        e.apiVersion = "client.authentication.k8s.io/v1"
        let auth = try authenticator(e)
        let error = await #expect(throws: KubeError.self) { try await auth.credentials() }
        #expect(error.map { String(describing: $0) } == "getting credentials: exec: executable \(dir)/p failed with exit code 3")
    }
}

@Suite("Status errors and kubectl's wording")
struct StatusErrorTests {
    @Test func decodesAConflictStatus() throws {
        let body = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Apply failed with 1 conflict: conflict with \"helm\" using v1: .data.colour","reason":"Conflict","details":{"causes":[{"reason":"FieldManagerConflict","message":"conflict with \"helm\" using v1","field":".data.colour"}]},"code":409}"#
        let s = APIStatus.fromResponse(code: 409, body: Array(body.utf8))
        #expect(s.code == 409)
        #expect(s.reason == "Conflict")
        #expect(s.causes == [.init(reason: "FieldManagerConflict", message: "conflict with \"helm\" using v1", field: ".data.colour")])
        let e = KubeError.status(s)
        #expect(e.isConflict && e.isFieldManagerConflict && !e.isNotFound)
        #expect(KubectlWording.conflict(s).hasPrefix("error: Apply failed with 1 conflict: conflict with \"helm\" using v1: .data.colour\nPlease review the fields above"))
        #expect(KubectlWording.conflict(s).hasSuffix("See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts"))
    }

    @Test func kubectlWordingForCommonStatuses() {
        let notFound = APIStatus(code: 404, reason: "NotFound", message: "secrets \"x\" not found", name: "x", kind: "secrets")
        #expect(KubeError.status(notFound).description == "Error from server (NotFound): secrets \"x\" not found")
        #expect(KubeError.status(notFound).isNotFound)

        let invalid = APIStatus(code: 422, reason: "Invalid", message: "ignored", name: "gw1", group: "gateway.networking.k8s.io",
                                kind: "Gateway", causes: [.init(reason: "FieldValueInvalid", message: "Invalid value: 0: must be between 1 and 65535", field: "spec.listeners[0].port")])
        #expect(KubectlWording.message(for: invalid) == "The Gateway \"gw1\" is invalid: spec.listeners[0].port: Invalid value: 0: must be between 1 and 65535")
        var two = invalid
        two.causes.append(.init(reason: "FieldValueRequired", message: "Required value", field: "spec.gatewayClassName"))
        #expect(KubectlWording.message(for: two) == "The Gateway \"gw1\" is invalid: \n* spec.listeners[0].port: Invalid value: 0: must be between 1 and 65535\n* spec.gatewayClassName: Required value")

        let unauthorized = APIStatus.fromResponse(code: 401, body: Array(#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#.utf8))
        #expect(KubectlWording.message(for: unauthorized) == "error: You must be logged in to the server (Unauthorized)")

        let plain = APIStatus.fromResponse(code: 503, body: Array("upstream down".utf8))
        #expect(plain.reason == "ServiceUnavailable")
        #expect(KubeError.status(plain).description == "Error from server (ServiceUnavailable): the server is currently unable to handle the request")

        let mapping = KubectlWording.resourceMappingNotFound(name: "b1", namespace: "", source: "backend.yaml",
                                                             group: "agentgateway.alibabacloud.com", version: "v1alpha1", kind: "Backend")
        #expect(mapping == "error: resource mapping not found for name: \"b1\" namespace: \"\" from \"backend.yaml\": no matches for kind \"Backend\" in version \"agentgateway.alibabacloud.com/v1alpha1\"\nensure CRDs are installed first")
    }

    @Test func watchEventsDecode() throws {
        let added = try KubeClient.decodeEvent(Array(#"{"type":"ADDED","object":{"kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"7"}}}"#.utf8))
        #expect(added?.resourceVersion == "7")
        let bookmark = try KubeClient.decodeEvent(Array(#"{"type":"BOOKMARK","object":{"kind":"ConfigMap","metadata":{"resourceVersion":"9"}}}"#.utf8))
        if case .bookmark(let rv)? = bookmark { #expect(rv == "9") } else { Issue.record("not a bookmark") }
        #expect(try KubeClient.decodeEvent(Array("  ".utf8)) == nil)
        let expired = #expect(throws: KubeError.self) {
            try KubeClient.decodeEvent(Array(#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}"#.utf8))
        }
        #expect(expired?.isExpired == true)
    }

    @Test func applyOrderPutsDependenciesFirst() {
        func o(_ apiVersion: String, _ kind: String) -> SourcedObject {
            SourcedObject(object: ["apiVersion": .string(apiVersion), "kind": .string(kind), "metadata": ["name": "x"]], source: "f")
        }
        let input = [o("agentgateway.alibabacloud.com/v1alpha1", "TrafficPolicy"), o("gateway.networking.k8s.io/v1", "HTTPRoute"),
                     o("apps/v1", "Deployment"), o("v1", "Secret"), o("agentgateway.alibabacloud.com/v1alpha1", "Backend"),
                     o("v1", "Namespace"), o("apiextensions.k8s.io/v1", "CustomResourceDefinition"), o("v1", "Service")]
        let ranks = ["Backend": 0, "HTTPRoute": 4, "TrafficPolicy": 5]
        let sorted = ApplyOrder.sorted(input) { kind, _ in ranks[kind] }.map(\.kind)
        #expect(sorted == ["Namespace", "CustomResourceDefinition", "Secret", "Service", "Deployment", "Backend", "HTTPRoute", "TrafficPolicy"])
    }

    @Test func secretDataIsMaskedLikeKubectl() {
        let live: Node = ["kind": "Secret", "data": ["same": "YQ==", "changed": "Yg==", "gone": "Yw=="]]
        let merged: Node = ["kind": "Secret", "data": ["same": "YQ==", "changed": "ZA==", "new": "ZQ=="]]
        let (l, m) = Differ.maskSecrets(live: live, merged: merged)
        #expect(l?["data"] == ["same": "***", "changed": "*** (before)", "gone": "***"])
        #expect(m?["data"] == ["same": "***", "changed": "*** (after)", "new": "***"])
        let (onlyLive, none) = Differ.maskSecrets(live: live, merged: nil)
        #expect(onlyLive?["data"]?["changed"]?.string == "***")
        #expect(none == nil)
    }

    @Test func warningHeadersAreDecoded() {
        #expect(KubeClient.warningText(#"299 - "unknown field \"spec.foo\"""#) == #"unknown field "spec.foo""#)
        #expect(KubeClient.warningText(#"299 - "v1beta1 is deprecated" "Mon, 01 Jan 2026 00:00:00 GMT""#) == "v1beta1 is deprecated")
        #expect(KubeClient.warningText("garbage") == nil)
    }

    @Test func externalDiffArgumentsAreFiltered() {
        let (cmd, args) = Differ.command(environment: ["KUBECTL_EXTERNAL_DIFF": "meld -u --x=1 $(rm) a;b"], color: false)
        #expect(cmd == "meld")
        #expect(args == ["-u", "--x=1"])
        #expect(Differ.command(environment: [:], color: true) == ("diff", ["-u", "-N", "--color=always"]))
    }

    @Test func yamlIsWrittenLikeKubectl() throws {
        let node = try yaml("""
        metadata: {name: x, creationTimestamp: "2026-11-26T14:03:48Z", resourceVersion: "20", labels: {a: "yes", b: "", c: "1.5", d: "plain text"}}
        apiVersion: v1
        data: {masked: "*** (before)", colon: "a: b", hash: "a #b", lead: " x", url: "http://x:80/p", script: "line1\\nline2\\n", tab: "a\\tb"}
        spec:
          ports: [{port: 80, name: http}]
          list: [[a, b], []]
          empty: {}
          on: true
        """)
        #expect(KubectlYAML.write(node) == """
        apiVersion: v1
        data:
          colon: 'a: b'
          hash: 'a #b'
          lead: ' x'
          masked: '*** (before)'
          script: |
            line1
            line2
          tab: "a\\tb"
          url: http://x:80/p
        metadata:
          creationTimestamp: "2026-11-26T14:03:48Z"
          labels:
            a: "yes"
            b: ""
            c: "1.5"
            d: plain text
          name: x
          resourceVersion: "20"
        spec:
          empty: {}
          list:
          - - a
            - b
          - []
          "on": true
          ports:
          - name: http
            port: 80

        """)
    }
}
