import AgentGWModel
import AgentGWTesting
import Foundation
import Testing

@Suite("TestAPIServer server-side apply")
struct ServerSideApplyTests {
    let configMapPath = "/api/v1/namespaces/default/configmaps"

    func configMap(_ data: String) -> String {
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{\#(data)}}"#
    }

    @Test("apply needs a fieldManager (422) and an object matching the URL (400)")
    func applyPreconditions() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        let noManager = try await curl.apply(configMapPath + "/cm", configMap(#""a":"1""#), manager: nil)
        #expect(noManager.status == 422)
        #expect(noManager.json?["message"]?.string == #"PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch"#)
        let wrongName = try await curl.apply(configMapPath + "/other", configMap(#""a":"1""#))
        #expect(wrongName.status == 400)
        let wrongKind = try await curl.apply(configMapPath + "/cm", #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"cm"}}"#)
        #expect(wrongKind.status == 400)
        let withManagedFields = try await curl.apply(configMapPath + "/cm", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","managedFields":[]}}"#)
        #expect(withManagedFields.status == 400)
        #expect(server.object(group: "", plural: "configmaps", namespace: "default", name: "cm") == nil)
    }

    @Test("apply creates, records Apply ownership, conflicts with another manager, force takes over")
    func ownershipConflictForce() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        let path = configMapPath + "/cm"

        let created = try await curl.apply(path, configMap(#""colour":"red","size":"1""#), manager: "helm")
        #expect(created.status == 201)
        let entry = try #require(created.json?.at("metadata.managedFields.0"))
        #expect(entry["manager"]?.string == "helm")
        #expect(entry["operation"]?.string == "Apply")
        #expect(entry["apiVersion"]?.string == "v1")
        #expect(entry["fieldsType"]?.string == "FieldsV1")
        #expect(entry["time"]?.string?.hasSuffix("Z") == true)
        #expect(entry["fieldsV1"] == ["f:data": ["f:colour": [:], "f:size": [:]]])

        // Same value: shared ownership, no conflict.
        let shared = try await curl.apply(path, configMap(#""size":"1""#), manager: "other")
        #expect(shared.status == 200)

        let conflict = try await curl.apply(path, configMap(#""colour":"blue""#), manager: "other")
        #expect(conflict.status == 409)
        #expect(conflict.body == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Apply failed with 1 conflict: conflict with \"helm\" using v1: .data.colour","reason":"Conflict","details":{"causes":[{"reason":"FieldManagerConflict","message":"conflict with \"helm\" using v1","field":".data.colour"}]},"code":409}"#)
        #expect(server.object(group: "", plural: "configmaps", namespace: "default", name: "cm")?.at("data.colour")?.string == "red")

        let two = try await curl.apply(path, configMap(#""colour":"blue","size":"2""#), manager: "third")
        #expect(two.status == 409)
        #expect(two.json?["message"]?.string?.hasPrefix("Apply failed with 3 conflicts: conflicts with \"helm\" using v1:\n- .data.colour\n- .data.size\nconflicts with \"other\" using v1:\n- .data.size") == true)

        let forced = try await curl.apply(path, configMap(#""colour":"blue""#), manager: "other", force: true)
        #expect(forced.status == 200)
        #expect(forced.json?.at("data.colour")?.string == "blue")
        let managers = forced.json?.at("metadata.managedFields")?.array ?? []
        let helm = managers.first { $0["manager"]?.string == "helm" }
        let other = managers.first { $0["manager"]?.string == "other" }
        #expect(helm?["fieldsV1"] == ["f:data": ["f:size": [:]]])
        #expect(other?["fieldsV1"] == ["f:data": ["f:colour": [:]]])
    }

    @Test("fields a manager stops applying are pruned unless another manager owns them")
    func prune() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        let path = configMapPath + "/cm"
        _ = try await curl.apply(path, configMap(#""a":"1","b":"2","c":"3""#), manager: "m1")
        _ = try await curl.apply(path, configMap(#""c":"3""#), manager: "m2")
        let after = try await curl.apply(path, configMap(#""a":"1""#), manager: "m1")
        #expect(after.status == 200)
        #expect(after.json?.at("data.a")?.string == "1")
        #expect(after.json?.at("data.b") == nil)  // owned by m1 alone: pruned
        #expect(after.json?.at("data.c")?.string == "3")  // still owned by m2
    }

    @Test("keyed lists merge per item from the CRD schema; atomic lists replace")
    func listMerge() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        let path = Fixtures.gatewayPath + "/gw"
        _ = try await curl.apply(path, Fixtures.gateway("gw"), manager: "a")
        let second = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          listeners:
          - {name: https-ish, port: 8443, protocol: HTTP}
        """
        let merged = try await curl.apply(path, second, manager: "b")
        #expect(merged.status == 200)
        #expect(merged.json?.at("spec.listeners")?.array?.compactMap { $0["name"]?.string } == ["http", "https-ish"])
        let b = merged.json?.at("metadata.managedFields")?.array?.first { $0["manager"]?.string == "b" }
        #expect(b?.at("fieldsV1.f:spec.f:listeners.k:{\"name\":\"https-ish\"}.f:port") != nil)
        #expect(b?.at("fieldsV1.f:spec.f:listeners.k:{\"name\":\"https-ish\"}..") != nil)

        // Dropping its listener prunes it; a's listener stays.
        let dropped = try await curl.apply(path, "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw}\n", manager: "b")
        #expect(dropped.json?.at("spec.listeners")?.array?.compactMap { $0["name"]?.string } == ["http"])
    }

    @Test("dryRun=All returns the result and persists nothing")
    func dryRun() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        let rv = server.resourceVersion
        let applied = try await curl.apply(Fixtures.gatewayPath + "/dry", Fixtures.gateway("dry"), extra: "dryRun=All")
        #expect(applied.status == 201)
        #expect(applied.json?.at("spec.listeners.0.port")?.int == 80)
        #expect(applied.json?.at("metadata.managedFields.0.manager")?.string == "test")
        #expect(server.object(group: "gateway.networking.k8s.io", plural: "gateways", namespace: "default", name: "dry") == nil)
        let created = try await curl.call("POST", "/api/v1/namespaces/default/configmaps?dryRun=All", body: configMap(#""a":"1""#))
        #expect(created.status == 201)
        #expect(server.resourceVersion == rv)

        _ = try await curl.apply(Fixtures.gatewayPath + "/real", Fixtures.gateway("real"))
        let rv2 = server.resourceVersion
        let changed = try await curl.apply(Fixtures.gatewayPath + "/real", Fixtures.gateway("real", port: 81), extra: "dryRun=All")
        #expect(changed.json?.at("spec.listeners.0.port")?.int == 81)
        let deleted = try await curl.call("DELETE", Fixtures.gatewayPath + "/real?dryRun=All")
        #expect(deleted.status == 200)
        let patched = try await curl.call("PATCH", Fixtures.gatewayPath + "/real?dryRun=All", body: #"{"metadata":{"labels":{"x":"y"}}}"#, contentType: "application/merge-patch+json")
        #expect(patched.json?.at("metadata.labels.x")?.string == "y")
        let stored = server.object(group: "gateway.networking.k8s.io", plural: "gateways", namespace: "default", name: "real")
        #expect(stored?.at("spec.listeners.0.port")?.int == 80)
        #expect(stored?.at("metadata.labels") == nil)
        #expect(server.resourceVersion == rv2)
    }

    @Test("invalid objects get 422 with causes; Strict rejects unknown fields, Ignore drops them")
    func validation() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        let invalid = try await curl.apply(Fixtures.gatewayPath + "/gw1", Fixtures.gateway("gw1", port: 0))
        #expect(invalid.status == 422)
        let status = try #require(invalid.json)
        #expect(status["reason"]?.string == "Invalid")
        #expect(status["message"]?.string?.hasPrefix(#"Gateway.gateway.networking.k8s.io "gw1" is invalid: spec.listeners[0].port: Invalid value: 0"#) == true)
        #expect(status.at("details.name")?.string == "gw1")
        #expect(status.at("details.group")?.string == "gateway.networking.k8s.io")
        #expect(status.at("details.kind")?.string == "Gateway")
        #expect(status.at("details.causes.0.reason")?.string == "FieldValueInvalid")
        #expect(status.at("details.causes.0.field")?.string == "spec.listeners[0].port")
        #expect(status.at("details.causes.0.message")?.string?.hasPrefix("Invalid value: 0") == true)

        let unknown = Fixtures.gateway("gw2") + "\n  foo: bar\n"
        let strict = try await curl.apply(Fixtures.gatewayPath + "/gw2", unknown, extra: "fieldValidation=Strict")
        #expect(strict.status == 400)
        #expect(strict.json?["message"]?.string == #"strict decoding error: unknown field "spec.foo""#)
        let ignored = try await curl.apply(Fixtures.gatewayPath + "/gw2", unknown, extra: "fieldValidation=Ignore")
        #expect(ignored.status == 201)
        #expect(ignored.json?.at("spec.foo") == nil)
    }
}

@Suite("TestAPIServer ownership across operations")
struct MixedOwnershipTests {
    @Test("an Update manager's field conflicts with an apply (message names its time); built-in keyed lists merge")
    func updateThenApply() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        let path = "/api/v1/namespaces/default/services"
        let created = try await curl.call("POST", path + "?fieldManager=editor", body: #"{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[{"name":"a","port":80,"protocol":"TCP"}]}}"#)
        #expect(created.status == 201)
        let svc = #"{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[{"name":"a","port":80,"protocol":"TCP","targetPort":8080}]}}"#
        let applied = try await curl.apply(path + "/s", svc, manager: "ssa")
        #expect(applied.status == 200)  // adds targetPort to the same keyed item, no conflict
        #expect(applied.json?.at("spec.ports.0.targetPort")?.int == 8080)
        let entry = applied.json?.at("metadata.managedFields")?.array?.first { $0["manager"]?.string == "ssa" }
        #expect(entry?.at([.key("fieldsV1"), .key("f:spec"), .key("f:ports"), .key(#"k:{"port":80,"protocol":"TCP"}"#), .key("f:targetPort")]) != nil)

        let renamed = #"{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[{"name":"b","port":80,"protocol":"TCP","targetPort":8080}]}}"#
        let conflict = try await curl.apply(path + "/s", renamed, manager: "ssa")
        #expect(conflict.status == 409)
        let message = conflict.json?["message"]?.string ?? ""
        #expect(message.hasPrefix(#"Apply failed with 1 conflict: conflict with "editor" using v1 at "#))
        #expect(message.hasSuffix(#": .spec.ports[port=80,protocol="TCP"].name"#))
        #expect(conflict.json?.at("details.causes.0.reason")?.string == "FieldManagerConflict")
    }

    @Test("label selectors are atomic: one owner for the whole selector")
    func atomicSelector() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        func deployment(_ labels: String) -> String {
            #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{\#(labels)}}}}"#
        }
        let path = "/apis/apps/v1/namespaces/default/deployments/d"
        let first = try await curl.apply(path, deployment(#""a":"b""#), manager: "one")
        #expect(first.json?.at("metadata.managedFields.0.fieldsV1") == ["f:spec": ["f:selector": [:]]])
        let second = try await curl.apply(path, deployment(#""c":"d""#), manager: "two")
        #expect(second.status == 409)
        #expect(second.json?.at("details.causes.0.field")?.string == ".spec.selector")
        let forced = try await curl.apply(path, deployment(#""c":"d""#), manager: "two", force: true)
        #expect(forced.json?.at("spec.selector.matchLabels") == ["c": "d"])  // replaced, not merged
    }

    @Test("watch on a named object path, and DELETE on a collection")
    func namedWatchAndCollectionDelete() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        let path = "/api/v1/namespaces/default/configmaps"
        let start = server.resourceVersion
        for name in ["x", "y"] {
            _ = try await curl.call("POST", path, body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)","labels":{"del":"yes"}}}"#)
        }
        let named = try await curl.get(path + "/y?watch=true&resourceVersion=\(start)&timeoutSeconds=1")
        #expect(events(named.body).compactMap { $0.at("object.metadata.name")?.string } == ["y"])
        let deleted = try await curl.call("DELETE", path + "?labelSelector=del%3Dyes")
        #expect(deleted.status == 200)
        #expect(deleted.json?["items"]?.array?.count == 2)
        #expect(server.object(group: "", plural: "configmaps", namespace: "default", name: "x") == nil)
    }
}
