import AgentGWModel
import AgentGWTesting
import Foundation
import Testing

@Suite("TestAPIServer discovery and CRUD")
struct DiscoveryAndCRUDTests {
    @Test("discovery lists groups, kinds, short names and status subresources; unknown paths give the real 404")
    func discovery() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)

        let api = try await curl.get("/api")
        #expect(api.json?["kind"]?.string == "APIVersions")
        let core = try await curl.get("/api/v1")
        let coreNames = core.json?["resources"]?.array?.compactMap { $0["name"]?.string } ?? []
        #expect(coreNames.contains("secrets") && coreNames.contains("namespaces/status"))

        let groups = try await curl.call("GET", "/apis", headers: ["Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"])
        #expect(groups.json?["kind"]?.string == "APIGroupList")
        let names = groups.json?["groups"]?.array?.compactMap { $0["name"]?.string } ?? []
        #expect(names.contains("gateway.networking.k8s.io") && names.contains("agentgateway.alibabacloud.com") && names.contains("apps"))

        let gw = try await curl.get("/apis/gateway.networking.k8s.io/v1")
        let resources = gw.json?["resources"]?.array ?? []
        let gateways = resources.first { $0["name"]?.string == "gateways" }
        #expect(gateways?["kind"]?.string == "Gateway")
        #expect(gateways?["singularName"]?.string == "gateway")
        #expect(gateways?["namespaced"]?.bool == true)
        #expect(gateways?["shortNames"]?.array?.first?.string == "gtw")
        #expect(gateways?["verbs"]?.array?.contains("patch") == true)
        #expect(resources.contains { $0["name"]?.string == "gateways/status" })
        #expect(!resources.contains { $0["name"]?.string == "referencegrants/status" })
        let classes = resources.first { $0["name"]?.string == "gatewayclasses" }
        #expect(classes?["namespaced"]?.bool == false)

        let ours = try await curl.get("/apis/agentgateway.alibabacloud.com/v1alpha1")
        #expect(ours.json?["resources"]?.array?.contains { $0["name"]?.string == "backends" && $0["categories"]?.array?.contains("agentgateway") == true } == true)

        let missing = try await curl.get("/apis/example.com/v1/namespaces/default/widgets")
        #expect(missing.status == 404)
        #expect(missing.body == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404}"#)
        let missingResource = try await curl.get("/api/v1/namespaces/default/widgets")
        #expect(missingResource.status == 404)
    }

    @Test("without the optional CRDs their groups are absent")
    func optionalCRDs() async throws {
        var options = TestAPIServerOptions()
        options.agentGatewayCRDs = false
        options.gatewayAPICRDs = false
        let server = try await TestAPIServer.start(options)
        defer { Task { try? await server.shutdown() } }
        let groups = try await Curl(base: server.baseURL).get("/apis")
        let names = groups.json?["groups"]?.array?.compactMap { $0["name"]?.string } ?? []
        #expect(!names.contains("gateway.networking.k8s.io") && !names.contains("agentgateway.alibabacloud.com"))
        #expect(names.contains("apps"))
    }

    @Test("create, get, list, update with RV precondition, merge patch, delete")
    func crud() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        let path = "/api/v1/namespaces/default/configmaps"
        let body = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1","labels":{"app":"a"}},"data":{"k":"v"}}"#

        let created = try await curl.call("POST", path + "?fieldManager=creator", body: body)
        #expect(created.status == 201)
        let obj = try #require(created.json)
        #expect(obj.at("metadata.uid")?.string?.count == 36)
        #expect(obj.at("metadata.creationTimestamp")?.string?.hasSuffix("Z") == true)
        let rv1 = try #require(obj.at("metadata.resourceVersion")?.string.flatMap(Int.init))
        #expect(obj.at("metadata.managedFields.0.manager")?.string == "creator")
        #expect(obj.at("metadata.managedFields.0.operation")?.string == "Update")
        #expect(obj.at("metadata.managedFields.0.fieldsV1.f:data.f:k") != nil)

        let again = try await curl.call("POST", path, body: body)
        #expect(again.status == 409)
        #expect(again.json?["reason"]?.string == "AlreadyExists")
        #expect(again.json?["message"]?.string == #"configmaps "c1" already exists"#)

        let stale = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1","resourceVersion":"1"},"data":{"k":"w"}}"#
        let conflict = try await curl.call("PUT", path + "/c1", body: stale)
        #expect(conflict.status == 409)
        #expect(conflict.json?["message"]?.string == #"Operation cannot be fulfilled on configmaps "c1": the object has been modified; please apply your changes to the latest version and try again"#)

        let fresh = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1","resourceVersion":"\#(rv1)","labels":{"app":"a"}},"data":{"k":"w"}}"#
        let updated = try await curl.call("PUT", path + "/c1", body: fresh)
        #expect(updated.status == 200)
        let rv2 = try #require(updated.json?.at("metadata.resourceVersion")?.string.flatMap(Int.init))
        #expect(rv2 > rv1)
        #expect(updated.json?.at("metadata.uid") == obj.at("metadata.uid"))

        let patched = try await curl.call("PATCH", path + "/c1", body: #"{"data":{"k":null,"n":"1"}}"#, contentType: "application/merge-patch+json")
        #expect(patched.status == 200)
        #expect(patched.json?.at("data.k") == nil)
        #expect(patched.json?.at("data.n")?.string == "1")

        _ = try await curl.call("POST", path, body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c2","labels":{"app":"b"}}}"#)
        _ = try await curl.call("POST", path, body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c3","labels":{"app":"b"}}}"#)
        let list = try await curl.get(path + "?labelSelector=app%3Db")
        #expect(list.json?["kind"]?.string == "ConfigMapList")
        #expect(list.json?["items"]?.array?.first?["kind"] == nil)  // typed lists: kind on the list only
        #expect(list.json?["items"]?.array?.compactMap { $0.at("metadata.name")?.string } == ["c2", "c3"])
        #expect(list.json?.at("metadata.resourceVersion")?.string == String(server.resourceVersion))
        let byName = try await curl.get("/api/v1/configmaps?fieldSelector=metadata.name%3Dc3")
        #expect(byName.json?["items"]?.array?.count == 1)

        let page1 = try await curl.get(path + "?limit=2")
        #expect(page1.json?["items"]?.array?.count == 2)
        let token = try #require(page1.json?.at("metadata.continue")?.string)
        let page2 = try await curl.get(path + "?limit=2&continue=\(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token)")
        #expect(page2.json?["items"]?.array?.compactMap { $0.at("metadata.name")?.string } == ["c3"])
        #expect(page2.json?.at("metadata.continue") == nil)

        let deleted = try await curl.call("DELETE", path + "/c1")
        #expect(deleted.status == 200)
        let gone = try await curl.get(path + "/c1")
        #expect(gone.status == 404)
        #expect(gone.body == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \"c1\" not found","reason":"NotFound","details":{"name":"c1","kind":"configmaps"},"code":404}"#)
        #expect(server.object(group: "", plural: "configmaps", namespace: "default", name: "c1") == nil)

        let noNamespace = try await curl.call("POST", "/api/v1/namespaces/nope/configmaps", body: body)
        #expect(noNamespace.status == 404)
        #expect(noNamespace.json?["message"]?.string == #"namespaces "nope" not found"#)
    }

    @Test("generation moves only with spec changes; status subresource and main resource stay apart")
    func generationAndStatus() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        let path = Fixtures.gatewayPath

        let created = try await curl.apply(path + "/gw", Fixtures.gateway("gw"))
        #expect(created.status == 201)
        #expect(created.json?.at("metadata.generation")?.int == 1)
        // Schema defaulting happened, as on a real server.
        #expect(created.json?.at("spec.listeners.0.allowedRoutes.namespaces.from")?.string == "Same")
        #expect(created.json?.at("status.conditions.0.reason")?.string == "Pending")

        let labelled = try await curl.apply(path + "/gw", Fixtures.gateway("gw", labels: "a: b"))
        #expect(labelled.json?.at("metadata.generation")?.int == 1)
        #expect(labelled.json?.at("metadata.labels.a")?.string == "b")

        let status = #"{"status":{"addresses":[{"type":"IPAddress","value":"10.0.0.1"}]}}"#
        let patchedStatus = try await curl.call("PATCH", path + "/gw/status", body: status, contentType: "application/merge-patch+json")
        #expect(patchedStatus.status == 200)
        #expect(patchedStatus.json?.at("status.addresses.0.value")?.string == "10.0.0.1")
        #expect(patchedStatus.json?.at("metadata.generation")?.int == 1)

        // The main resource ignores status; /status ignores spec.
        let mainWithStatus = try await curl.call("PATCH", path + "/gw", body: #"{"status":{"addresses":[{"type":"IPAddress","value":"9.9.9.9"}]}}"#, contentType: "application/merge-patch+json")
        #expect(mainWithStatus.json?.at("status.addresses.0.value")?.string == "10.0.0.1")
        let statusWithSpec = try await curl.call("PATCH", path + "/gw/status", body: #"{"spec":{"gatewayClassName":"other"}}"#, contentType: "application/merge-patch+json")
        #expect(statusWithSpec.json?.at("spec.gatewayClassName")?.string == "ack-agent-gateway")

        let statusApply = #"{"apiVersion":"gateway.networking.k8s.io/v1","kind":"Gateway","metadata":{"name":"gw"},"status":{"addresses":[{"type":"IPAddress","value":"10.0.0.2"}]}}"#
        let applied = try await curl.apply(path + "/gw/status", statusApply, manager: "controller", force: true)
        #expect(applied.status == 200)
        #expect(applied.json?.at("status.addresses.0.value")?.string == "10.0.0.2")
        let entries = applied.json?.at("metadata.managedFields")?.array ?? []
        #expect(entries.contains { $0["manager"]?.string == "controller" && $0["subresource"]?.string == "status" && $0["operation"]?.string == "Apply" })

        let changed = try await curl.apply(path + "/gw", Fixtures.gateway("gw", port: 8080, labels: "a: b"))
        #expect(changed.json?.at("metadata.generation")?.int == 2)
        #expect(changed.json?.at("status.addresses.0.value")?.string == "10.0.0.2")
        let stored = server.object(group: "gateway.networking.k8s.io", plural: "gateways", namespace: "default", name: "gw")
        #expect(stored?.at("spec.listeners.0.port")?.int == 8080)
        let list = try await curl.get("/apis/gateway.networking.k8s.io/v1beta1/gateways")
        #expect(list.json?["kind"]?.string == "GatewayList")
        #expect(list.json?.at("items.0.kind")?.string == "Gateway")  // custom resources repeat it
        #expect(list.json?.at("items.0.apiVersion")?.string == "gateway.networking.k8s.io/v1beta1")
    }

    @Test("deleting a namespace deletes its objects")
    func namespaceCascade() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        #expect(try await curl.call("POST", "/api/v1/namespaces", body: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"}}"#).status == 201)
        #expect(try await curl.call("POST", "/api/v1/namespaces/team/secrets", body: #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"stringData":{"k":"v"}}"#).status == 201)
        let secret = server.object(group: "", plural: "secrets", namespace: "team", name: "s")
        #expect(secret?.at("data.k")?.string == "dg==")
        #expect(secret?["stringData"] == nil)
        #expect(try await curl.call("DELETE", "/api/v1/namespaces/team").status == 200)
        #expect(server.object(group: "", plural: "secrets", namespace: "team", name: "s") == nil)
        let protected = try await curl.call("DELETE", "/api/v1/namespaces/default")
        #expect(protected.status == 403)
        #expect(protected.json?["message"]?.string == #"namespaces "default" is forbidden: this namespace may not be deleted"#)
    }

    @Test("seed stores fixtures with their status and a manager")
    func seed() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let node = try #require(try YAMLReader.read(Fixtures.gateway("seeded") + "\nstatus:\n  addresses: [{type: IPAddress, value: 1.2.3.4}]\n", file: "t").first)
        try server.seed(node, manager: "fixture")
        let stored = try #require(server.object(group: "gateway.networking.k8s.io", plural: "gateways", namespace: nil, name: "seeded"))
        #expect(stored.at("status.addresses.0.value")?.string == "1.2.3.4")
        #expect(stored.at("metadata.managedFields.0.manager")?.string == "fixture")
        #expect(throws: (any Error).self) { try server.seed(["apiVersion": "example.com/v1", "kind": "Nope", "metadata": ["name": "x"]]) }
    }
}

@Suite("TestAPIServer write semantics")
struct WriteSemanticsTests {
    @Test("a write that changes nothing keeps the resourceVersion and emits no event")
    func noOpWrite() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        let first = try await curl.apply(Fixtures.gatewayPath + "/gw", Fixtures.gateway("gw"))
        let rv = server.resourceVersion
        let again = try await curl.apply(Fixtures.gatewayPath + "/gw", Fixtures.gateway("gw"))
        #expect(again.status == 200)
        #expect(server.resourceVersion == rv)
        #expect(again.json?.at("metadata.resourceVersion") == first.json?.at("metadata.resourceVersion"))
        #expect(again.json?.at("metadata.managedFields.0.time") == first.json?.at("metadata.managedFields.0.time"))
        let changed = try await curl.apply(Fixtures.gatewayPath + "/gw", Fixtures.gateway("gw", port: 81))
        #expect(server.resourceVersion == rv + 1)
        #expect(changed.json?.at("metadata.resourceVersion")?.string == String(rv + 1))
    }

    @Test("finalizers hold a deleted object until the last one is removed")
    func finalizers() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        let path = "/api/v1/namespaces/default/configmaps"
        _ = try await curl.call("POST", path, body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"f","finalizers":["example.com/hold"]}}"#)
        let marked = try await curl.call("DELETE", path + "/f")
        #expect(marked.status == 200)
        #expect(marked.json?.at("metadata.deletionTimestamp")?.string != nil)
        let held = try #require(server.object(group: "", plural: "configmaps", namespace: "default", name: "f"))
        #expect(held.at("metadata.deletionTimestamp") != nil)
        let released = try await curl.call("PATCH", path + "/f", body: #"{"metadata":{"finalizers":null}}"#, contentType: "application/merge-patch+json")
        #expect(released.status == 200)
        #expect(server.object(group: "", plural: "configmaps", namespace: "default", name: "f") == nil)
    }

    @Test("health endpoints answer ok as plain text")
    func health() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let r = try await Curl(base: server.baseURL).get("/readyz")
        #expect(r.status == 200 && r.body == "ok")
    }
}

@Suite("TestAPIServer patch flavours")
struct PatchTests {
    @Test("JSON patch ops apply in order; a failed test op changes nothing")
    func jsonPatch() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        let path = "/api/v1/namespaces/default/configmaps"
        _ = try await curl.call("POST", path, body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j","finalizers":["a","b"]},"data":{"x":"1"}}"#)
        let ops = #"[{"op":"add","path":"/data/y","value":"2"},{"op":"remove","path":"/metadata/finalizers/0"},{"op":"replace","path":"/data/x","value":"3"}]"#
        let patched = try await curl.call("PATCH", path + "/j", body: ops, contentType: "application/json-patch+json")
        #expect(patched.status == 200)
        #expect(patched.json?.at("data.y")?.string == "2")
        #expect(patched.json?.at("data.x")?.string == "3")
        #expect(patched.json?.at("metadata.finalizers")?.array == ["b"])
        let failed = try await curl.call("PATCH", path + "/j", body: #"[{"op":"test","path":"/data/x","value":"9"},{"op":"add","path":"/data/z","value":"1"}]"#, contentType: "application/json-patch+json")
        #expect(failed.status == 422)
        #expect(server.object(group: "", plural: "configmaps", namespace: "default", name: "j")?.at("data.z") == nil)
    }

    @Test("managedFields [{}] on an update clears them; create refuses a resourceVersion")
    func managedFieldsReset() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        let path = "/api/v1/namespaces/default/configmaps"
        let created = try await curl.apply(path + "/m", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"m"},"data":{"x":"1"}}"#)
        #expect(created.json?.at("metadata.managedFields")?.array?.count == 1)
        let cleared = try await curl.call("PATCH", path + "/m", body: #"{"metadata":{"managedFields":[{}]}}"#, contentType: "application/merge-patch+json")
        #expect(cleared.status == 200)
        #expect(cleared.json?.at("metadata.managedFields") == nil)
        let withRV = try await curl.call("POST", path, body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"n","resourceVersion":"5"}}"#)
        #expect(withRV.status == 400)
        #expect(withRV.json?["message"]?.string == "resourceVersion should not be set on objects to be created")
    }

    @Test("strategic merge patches merge keyed lists and honour directives; custom resources refuse them")
    func strategicMerge() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        let path = "/apis/apps/v1/namespaces/default/deployments"
        let deployment = #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"template":{"spec":{"containers":[{"name":"a","image":"a:1","ports":[{"containerPort":80,"protocol":"TCP"}]},{"name":"b","image":"b:1"}]}}}}"#
        #expect(try await curl.call("POST", path, body: deployment).status == 201)
        let smp = "application/strategic-merge-patch+json"
        let patch = #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],"containers":[{"name":"a","image":"a:2","ports":[{"containerPort":80,"name":"http"}]}]}}}}"#
        let patched = try await curl.call("PATCH", path + "/d", body: patch, contentType: smp)
        #expect(patched.status == 200)
        let containers = patched.json?.at("spec.template.spec.containers")?.array ?? []
        #expect(containers.compactMap { $0["name"]?.string } == ["b", "a"])
        #expect(containers.last?["image"]?.string == "a:2")
        #expect(containers.last?.at("ports")?.array?.count == 1)
        #expect(containers.last?.at("ports.0.name")?.string == "http")
        #expect(containers.last?.at("ports.0.protocol")?.string == "TCP")
        #expect(patched.json?.at("spec.template.spec.$setElementOrder/containers") == nil)

        let delete = #"{"spec":{"template":{"spec":{"containers":[{"name":"b","$patch":"delete"}]}}}}"#
        let deleted = try await curl.call("PATCH", path + "/d", body: delete, contentType: smp)
        #expect(deleted.json?.at("spec.template.spec.containers")?.array?.compactMap { $0["name"]?.string } == ["a"])

        _ = try await curl.apply(Fixtures.gatewayPath + "/gw", Fixtures.gateway("gw"))
        let onCR = try await curl.call("PATCH", Fixtures.gatewayPath + "/gw", body: #"{"metadata":{"labels":{"a":"b"}}}"#, contentType: smp)
        #expect(onCR.status == 415)
    }

    @Test("protobuf bodies get 415 UnsupportedMediaType")
    func protobuf() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let r = try await Curl(base: server.baseURL).call("POST", "/api/v1/namespaces", body: "k8s\u{1}", contentType: "application/vnd.kubernetes.protobuf")
        #expect(r.status == 415)
        #expect(r.json?["reason"]?.string == "UnsupportedMediaType")
    }
}
