import Foundation
import Testing
@testable import AgentGWModel

/// The install bundle's objects, and the Dockerfile's consistency with them and with install.sh.
@Suite struct InstallBundleTests {
    func bundle(_ configure: (inout InstallBundle.Options) -> Void = { _ in }) throws -> [Node] {
        var o = InstallBundle.Options(image: "ghcr.io/agentgw/kubectl-agentgw:v9.9.9", version: "9.9.9")
        configure(&o)
        return try InstallBundle.objects(o)
    }

    func named(_ objects: [Node], _ kind: String) throws -> Node {
        try #require(objects.first { $0["kind"]?.string == kind }, "no \(kind)")
    }

    @Test func objectsComeInApplyOrder() throws {
        let kinds = try bundle().map { "\($0["kind"]?.string ?? "")/\($0["metadata"]?["name"]?.string ?? "")" }
        #expect(kinds == [
            "CustomResourceDefinition/backends.agentgateway.alibabacloud.com",
            "CustomResourceDefinition/trafficpolicies.agentgateway.alibabacloud.com",
            "GatewayClass/ack-agent-gateway",
            "Namespace/ack-agent-gateway", "ServiceAccount/agentgw", "ClusterRole/agentgw", "ClusterRoleBinding/agentgw",
            "Role/agentgw", "RoleBinding/agentgw", "Secret/agentgw-session-key", "Deployment/agentgw",
        ])
        let skipped = try bundle { $0.includeCRDs = false }
        #expect(skipped.count == 8)
        #expect(!skipped.contains { $0["kind"]?.string == "CustomResourceDefinition" || $0["kind"]?.string == "GatewayClass" })
    }

    @Test func gatewayClassNamesOurController() throws {
        let gc = try named(bundle(), "GatewayClass")
        #expect(gc["spec"]?["controllerName"]?.string == AgentGateway.controllerName)
    }

    /// Every rule as "group resource verb" triples, so the test reads as the brief's list.
    func grants(_ role: Node) -> Set<String> {
        var out = Set<String>()
        for rule in role["rules"]?.array ?? [] {
            for g in rule["apiGroups"]?.array ?? [] {
                for r in rule["resources"]?.array ?? [] {
                    for v in rule["verbs"]?.array ?? [] { out.insert("\(g.string ?? "") \(r.string ?? "") \(v.string ?? "")") }
                }
            }
        }
        return out
    }

    @Test func clusterRoleIsLeastPrivilege() throws {
        let objects = try bundle()
        let granted = grants(try named(objects, "ClusterRole"))
        var expected = Set<String>()
        for (group, resources) in [("gateway.networking.k8s.io", ["gatewayclasses", "gateways", "httproutes", "referencegrants"]),
                                   ("agentgateway.alibabacloud.com", ["backends", "trafficpolicies"]),
                                   ("", ["secrets", "services", "namespaces"]), ("discovery.k8s.io", ["endpointslices"])] {
            for r in resources { for v in ["get", "list", "watch"] { expected.insert("\(group) \(r) \(v)") } }
        }
        for r in ["gatewayclasses/status", "gateways/status", "httproutes/status"] {
            for v in ["update", "patch"] { expected.insert("gateway.networking.k8s.io \(r) \(v)") }
        }
        for v in ["update", "patch"] { expected.insert("agentgateway.alibabacloud.com trafficpolicies/status \(v)") }
        for v in ["create", "update", "patch", "delete"] { expected.insert(" services \(v)") }
        // Events about served objects live in those objects' namespaces.
        for v in ["create", "patch"] { expected.insert(" events \(v)") }
        #expect(granted == expected)
        #expect(!granted.contains { $0.contains("*") })
        // Secrets are read-only: the controller never writes them.
        #expect(!granted.contains { $0.hasPrefix(" secrets ") && !["get", "list", "watch"].contains($0.split(separator: " ").last.map(String.init) ?? "") })

        let role = try named(objects, "Role")
        #expect(role["metadata"]?["namespace"]?.string == "ack-agent-gateway")
        let roleGrants = grants(role)
        #expect(roleGrants.contains("coordination.k8s.io leases update"))
        #expect(roleGrants.allSatisfy { $0.contains("leases") }, "the namespaced Role is for leader election only")
        // Both bindings name the ServiceAccount the Deployment runs as.
        for kind in ["ClusterRoleBinding", "RoleBinding"] {
            let b = try named(objects, kind)
            #expect(b["subjects"]?[0]?["name"]?.string == "agentgw")
            #expect(b["subjects"]?[0]?["namespace"]?.string == "ack-agent-gateway")
        }
    }

    @Test func sessionKeyIsRandom32BytesAndMounted() throws {
        let a = try named(bundle(), "Secret")["data"]?["session.key"]?.string ?? ""
        let b = try named(bundle(), "Secret")["data"]?["session.key"]?.string ?? ""
        #expect(a != b, "each bundle gets a fresh key")
        let hex = String(decoding: Data(base64Encoded: a) ?? Data(), as: UTF8.self)
        #expect(hex.count == 64 && hex.allSatisfy(\.isHexDigit), "the key file holds 64 hex digits (32 bytes)")
        let fixed = try bundle { $0.sessionKeyHex = String(repeating: "ab", count: 32) }
        #expect(try named(fixed, "Secret")["data"]?["session.key"]?.string == Data(String(repeating: "ab", count: 32).utf8).base64EncodedString())
        #expect(throws: GeneratorError.self) { try bundle { $0.sessionKeyHex = "abc" } }

        let pod = try named(bundle(), "Deployment")["spec"]?["template"]?["spec"]
        let container = pod?["containers"]?[0]
        let args = container?["args"]?.array?.compactMap(\.string) ?? []
        let keyFile = try #require(args.firstIndex(of: "--session-key-file").map { args[$0 + 1] })
        #expect(keyFile == "/etc/agentgw/session/session.key")
        let mount = container?["volumeMounts"]?.array?.first { $0["name"]?.string == "session-key" }
        #expect(mount?["readOnly"]?.bool == true)
        #expect(keyFile.hasPrefix((mount?["mountPath"]?.string ?? "?") + "/"))
        let volume = pod?["volumes"]?.array?.first { $0["name"]?.string == "session-key" }
        #expect(volume?["secret"]?["secretName"]?.string == "agentgw-session-key")
    }

    @Test func deploymentRunsServeKubernetesHardened() throws {
        let d = try named(bundle { $0.replicas = 3 }, "Deployment")
        #expect(d["spec"]?["replicas"]?.int == 3)
        #expect(try named(bundle(), "Deployment")["spec"]?["replicas"]?.int == 2)
        let template = d["spec"]?["template"]
        #expect(template?["metadata"]?["annotations"]?["prometheus.io/scrape"]?.string == "true")
        #expect(template?["metadata"]?["annotations"]?["prometheus.io/port"]?.string == "15000")
        let pod = template?["spec"]
        #expect(pod?["serviceAccountName"]?.string == "agentgw")
        #expect(pod?["securityContext"]?["seccompProfile"]?["type"]?.string == "RuntimeDefault")
        #expect(pod?["securityContext"]?["runAsNonRoot"]?.bool == true)
        let c = try #require(pod?["containers"]?[0])
        #expect(c["image"]?.string == "ghcr.io/agentgw/kubectl-agentgw:v9.9.9")
        #expect(c["command"] == nil, "the image's ENTRYPOINT runs the binary")
        let args = c["args"]?.array?.compactMap(\.string) ?? []
        #expect(Array(args.prefix(2)) == ["serve", "--kubernetes"])
        let admin = try #require(args.firstIndex(of: "--admin-address").map { args[$0 + 1] })
        #expect(admin == "0.0.0.0:15000")
        let port = c["ports"]?.array?.first { $0["name"]?.string == "metrics" }
        #expect(port?["containerPort"]?.int == 15000)
        #expect(c["livenessProbe"]?["httpGet"]?["path"]?.string == "/healthz")
        #expect(c["readinessProbe"]?["httpGet"]?["path"]?.string == "/readyz")
        #expect(c["livenessProbe"]?["httpGet"]?["port"]?.string == "metrics")
        #expect(c["resources"]?["requests"]?["cpu"] != nil && c["resources"]?["limits"]?["memory"] != nil)
        let sc = c["securityContext"]
        #expect(sc?["runAsNonRoot"]?.bool == true)
        #expect(sc?["runAsUser"]?.int == InstallBundle.uid && InstallBundle.uid != 0)
        #expect(sc?["readOnlyRootFilesystem"]?.bool == true)
        #expect(sc?["allowPrivilegeEscalation"]?.bool == false)
        #expect(sc?["capabilities"]?["drop"]?.array?.compactMap(\.string) == ["ALL"])
    }

    @Test func badImagesAndReplicasAreRefused() throws {
        for image in ["", "has space:1", "Upper/Case:1", "repo:", "repo@"] {
            #expect(throws: GeneratorError.self, "\(image)") { try bundle { $0.image = image } }
        }
        for image in ["nginx", "registry.example.com:5000/team/agentgw:v1", "ghcr.io/a/b@sha256:abc"] {
            #expect(InstallBundle.isImageReference(image), "\(image)")
        }
        #expect(throws: GeneratorError.self) { try bundle { $0.replicas = 0 } }
    }

    // MARK: Dockerfile

    var repoRoot: URL { SharedPaths.repoRoot }

    func dockerfile() throws -> [String] {
        try String(contentsOf: repoRoot.appendingPathComponent("Dockerfile"), encoding: .utf8)
            .replacingOccurrences(of: "\\\n", with: " ")
            .split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }
            .filter { !$0.hasPrefix("#") && !$0.isEmpty }
    }

    @Test func dockerfileMatchesTheDeployment() throws {
        let lines = try dockerfile()
        let froms = lines.filter { $0.hasPrefix("FROM ") }
        #expect(froms.count == 2, "multi-stage: a build stage and a runtime stage")
        let args = Dictionary(lines.filter { $0.hasPrefix("ARG ") }.compactMap { line -> (String, String)? in
            let kv = line.dropFirst(4).split(separator: "=", maxSplits: 1).map(String.init)
            return kv.count == 2 ? (kv[0], kv[1]) : nil
        }, uniquingKeysWith: { a, _ in a })
        #expect(args["SWIFT_IMAGE"]?.hasPrefix("swift:6.") == true)
        #expect(args["RUNTIME_IMAGE"] == "debian:12-slim")
        // The non-root user: created with the Deployment's UID, and the image runs as it.
        let user = try #require(lines.last { $0.hasPrefix("USER ") })
        #expect(user == "USER \(InstallBundle.uid):\(InstallBundle.uid)")
        #expect(lines.contains { $0.contains("useradd") && $0.contains("--uid \(InstallBundle.uid)") })
        // The binary lands where the ENTRYPOINT (and so the Deployment's args) expect it.
        let entry = try #require(lines.last { $0.hasPrefix("ENTRYPOINT ") })
        #expect(entry == "ENTRYPOINT [\"\(InstallBundle.binaryPath)\"]")
        let copy = try #require(lines.last { $0.hasPrefix("COPY --from=build ") })
        #expect(copy.hasSuffix(" \(InstallBundle.binaryPath)"))
        #expect(lines.contains("EXPOSE \(InstallBundle.adminPort)"))
        // The runtime has libyaml's shared library, which the binary links (install.sh installs libyaml-dev).
        #expect(lines.contains { $0.contains("libyaml-0-2") && $0.contains("ca-certificates") })
    }

    @Test func dockerfileBuildsLikeInstallSh() throws {
        let install = try String(contentsOf: repoRoot.appendingPathComponent("install.sh"), encoding: .utf8)
        let buildLine = try #require(install.split(separator: "\n").first { $0.hasPrefix("swift build -c release --product kubectl-agentgw") })
        let lines = try dockerfile()
        #expect(lines.contains { $0.contains(String(buildLine)) }, "Dockerfile lacks install.sh's build command: \(buildLine)")
        #expect(buildLine.contains("--static-swift-stdlib"))
        // RUN --mount needs BuildKit's Dockerfile syntax, declared on the first line.
        let text = try String(contentsOf: repoRoot.appendingPathComponent("Dockerfile"), encoding: .utf8)
        if lines.contains(where: { $0.hasPrefix("RUN --mount=") }) {
            #expect(text.hasPrefix("# syntax=docker/dockerfile:1\n"))
        }
        let ignore = try String(contentsOf: repoRoot.appendingPathComponent(".dockerignore"), encoding: .utf8)
        #expect(ignore.split(separator: "\n").contains(".build"), ".dockerignore keeps the local build out of the context")
    }
}
