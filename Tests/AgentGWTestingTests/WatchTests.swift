import AgentGWModel
import AgentGWTesting
import Foundation
import Testing

/// Reads a watch stream that curl wrote to a file: one JSON event per line.
func events(_ text: String) -> [Node] {
    text.split(separator: "\n").compactMap { (try? YAMLReader.read(String($0), file: "event"))?.first }
}

@Suite("TestAPIServer watch")
struct WatchTests {
    let path = "/api/v1/namespaces/default/configmaps"

    func configMap(_ name: String, _ value: String) -> String {
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)"},"data":{"v":"\#(value)"}}"#
    }

    @Test("a watch from a resourceVersion replays ADDED, MODIFIED and DELETED in order, then ends after timeoutSeconds")
    func replay() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        let start = server.resourceVersion
        _ = try await curl.call("POST", path, body: configMap("w", "1"))
        _ = try await curl.call("PATCH", path + "/w", body: #"{"data":{"v":"2"}}"#, contentType: "application/merge-patch+json")
        _ = try await curl.call("POST", path, body: configMap("other", "1"))
        _ = try await curl.call("DELETE", path + "/w")
        let watch = try await curl.call("GET", path + "?watch=true&resourceVersion=\(start)&timeoutSeconds=1&fieldSelector=metadata.name%3Dw")
        #expect(watch.status == 200)
        let got = events(watch.body)
        #expect(got.compactMap { $0["type"]?.string } == ["ADDED", "MODIFIED", "DELETED"])
        #expect(got[1].at("object.data.v")?.string == "2")
        #expect(got[1].at("object.kind")?.string == "ConfigMap")
        let rvs = got.compactMap { $0.at("object.metadata.resourceVersion")?.string.flatMap(Int.init) }
        #expect(rvs == rvs.sorted() && Set(rvs).count == 3)

        // A streaming list: current objects, then the initial-events-end bookmark.
        let streamed = try await curl.get(path + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1")
        let initial = events(streamed.body)
        #expect(initial.first?.at("object.metadata.name")?.string == "other")
        #expect(initial.count >= 2)
        #expect(initial[1]["type"]?.string == "BOOKMARK")
        #expect(initial[1].at([.key("object"), .key("metadata"), .key("annotations"), .key("k8s.io/initial-events-end")])?.string == "true")
    }

    @Test("resourceVersion 0 starts with ADDED for current objects; live events follow; bookmarks when asked")
    func liveAndBookmarks() async throws {
        var options = TestAPIServerOptions()
        options.bookmarkInterval = .milliseconds(100)
        let server = try await TestAPIServer.start(options)
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        _ = try await curl.call("POST", path, body: configMap("first", "1"))
        let dir = Proc.tempDir("watch")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try Proc.start("/usr/bin/curl", ["-sS", "-N", "--max-time", "60", "-o", "\(dir)/stream",
                                                 server.baseURL + path + "?watch=1&resourceVersion=0&allowWatchBookmarks=true&timeoutSeconds=50"],
                               dir: dir, name: "curl")
        #expect(await Proc.eventually { server.openWatches == 1 })
        _ = try await curl.call("POST", path, body: configMap("second", "1"))
        // Wait (bounded) until the stream holds the new object and a bookmark, then end it.
        func streamed() -> [Node] { events((try? String(contentsOfFile: "\(dir)/stream", encoding: .utf8)) ?? "") }
        _ = await Proc.eventually {
            let e = streamed()
            return e.contains { $0.at("object.metadata.name")?.string == "second" } && e.contains { $0["type"]?.string == "BOOKMARK" }
        }
        server.closeWatches()
        await Proc.wait(p, timeout: 20)
        let got = streamed()
        let nonBookmarks = got.filter { $0["type"]?.string != "BOOKMARK" }
        #expect(nonBookmarks.compactMap { $0.at("object.metadata.name")?.string } == ["first", "second"])
        #expect(nonBookmarks.allSatisfy { $0["type"]?.string == "ADDED" })
        let bookmark = try #require(got.first { $0["type"]?.string == "BOOKMARK" })
        #expect(bookmark.at("object.kind")?.string == "ConfigMap")
        #expect(bookmark.at("object.apiVersion")?.string == "v1")
        #expect(bookmark.at("object.metadata.resourceVersion")?.string != nil)
        #expect(bookmark.at("object.metadata.name") == nil)
        #expect(server.openWatches == 0)
    }

    @Test("compactHistory: open watches get an in-stream ERROR 410, new watches from old RVs get HTTP 410")
    func expired() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        _ = try await curl.call("POST", path, body: configMap("a", "1"))
        let old = server.resourceVersion
        let dir = Proc.tempDir("watch410")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try Proc.start("/usr/bin/curl", ["-sS", "-N", "--max-time", "20", "-o", "\(dir)/stream",
                                                 server.baseURL + path + "?watch=true&resourceVersion=\(old)"],
                               dir: dir, name: "curl")
        #expect(await Proc.eventually { server.openWatches == 1 })
        _ = try await curl.call("POST", path, body: configMap("b", "1"))
        server.compactHistory()
        await Proc.wait(p, timeout: 20)
        #expect(p.terminationStatus == 0)  // the server ended the stream, curl did not time out
        let got = events((try? String(contentsOfFile: "\(dir)/stream", encoding: .utf8)) ?? "")
        #expect(got.first?["type"]?.string == "ADDED")
        let error = try #require(got.last)
        #expect(error["type"]?.string == "ERROR")
        #expect(error.at("object.kind")?.string == "Status")
        #expect(error.at("object.reason")?.string == "Expired")
        #expect(error.at("object.code")?.int == 410)

        let late = try await curl.get(path + "?watch=true&resourceVersion=\(old)")
        #expect(late.status == 410)
        #expect(late.json?["reason"]?.string == "Expired")
        #expect(late.json?["kind"]?.string == "Status")
        // A watch from the current RV still works.
        let fresh = try await curl.get(path + "?watch=true&resourceVersion=\(server.resourceVersion)&timeoutSeconds=1")
        #expect(fresh.status == 200)
    }

    @Test("closeWatches ends open streams cleanly")
    func closeWatches() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let dir = Proc.tempDir("close")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try Proc.start("/usr/bin/curl", ["-sS", "-N", "--max-time", "20", "-o", "\(dir)/stream",
                                                 server.baseURL + "/apis/gateway.networking.k8s.io/v1/gateways?watch=true&resourceVersion=\(server.resourceVersion)"],
                               dir: dir, name: "curl")
        #expect(await Proc.eventually { server.openWatches == 1 })
        server.closeWatches()
        await Proc.wait(p, timeout: 20)
        #expect(p.terminationStatus == 0)
        #expect(server.openWatches == 0)
    }
}

@Suite("TestAPIServer CRDs")
struct CRDTests {
    let crd = """
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: widgets.example.com}
    spec:
      group: example.com
      scope: Namespaced
      names: {kind: Widget, plural: widgets, singular: widget, shortNames: [wd], categories: [things]}
      versions:
      - name: v1
        served: true
        storage: true
        subresources: {status: {}}
        schema:
          openAPIV3Schema:
            type: object
            properties:
              spec:
                type: object
                properties:
                  parts:
                    type: array
                    x-kubernetes-list-type: map
                    x-kubernetes-list-map-keys: [id]
                    items: {type: object, properties: {id: {type: string}, size: {type: integer}}}
      - {name: v1beta1, served: true, storage: false}
    """

    @Test("applying a CRD installs its kind into discovery; deleting it removes the kind and its objects")
    func installAndRemove() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let curl = Curl(base: server.baseURL)
        #expect(try await curl.get("/apis/example.com/v1").status == 404)
        let applied = try await curl.apply("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com", crd)
        #expect(applied.status == 201)
        #expect(applied.json?.at("status.conditions")?.array?.contains { $0["type"]?.string == "Established" && $0["status"]?.string == "True" } == true)

        let group = try await curl.get("/apis")
        let example = group.json?["groups"]?.array?.first { $0["name"]?.string == "example.com" }
        #expect(example?.at("preferredVersion.version")?.string == "v1")
        #expect(example?["versions"]?.array?.count == 2)
        let resources = try await curl.get("/apis/example.com/v1beta1")
        let widgets = resources.json?["resources"]?.array?.first { $0["name"]?.string == "widgets" }
        #expect(widgets?["kind"]?.string == "Widget")
        #expect(widgets?["shortNames"]?.array == ["wd"])
        #expect(resources.json?["resources"]?.array?.contains { $0["name"]?.string == "widgets/status" } == true)

        // Lists keyed by the CRD's list-map-keys merge across managers.
        let w1 = #"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"parts":[{"id":"a","size":1}]}}"#
        let w2 = #"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"parts":[{"id":"b","size":2}]}}"#
        #expect(try await curl.apply("/apis/example.com/v1/namespaces/default/widgets/w", w1, manager: "one").status == 201)
        let merged = try await curl.apply("/apis/example.com/v1/namespaces/default/widgets/w", w2, manager: "two")
        #expect(merged.json?.at("spec.parts")?.array?.compactMap { $0["id"]?.string } == ["a", "b"])
        let other = try await curl.get("/apis/example.com/v1beta1/namespaces/default/widgets/w")
        #expect(other.json?["apiVersion"]?.string == "example.com/v1beta1")

        let removed = try await curl.call("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")
        #expect(removed.status == 200)
        #expect(try await curl.get("/apis/example.com/v1").status == 404)
        #expect(try await curl.get("/apis/example.com/v1/namespaces/default/widgets/w").status == 404)
        #expect(server.object(group: "example.com", plural: "widgets", namespace: "default", name: "w") == nil)
    }

    @Test("a CRD whose name is not plural.group is invalid")
    func badName() async throws {
        let server = try await TestAPIServer.start()
        defer { Task { try? await server.shutdown() } }
        let bad = crd.replacingOccurrences(of: "name: widgets.example.com", with: "name: wrong.example.com")
        let result = try await Curl(base: server.baseURL).apply("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/wrong.example.com", bad)
        #expect(result.status == 422)
        #expect(result.json?.at("details.causes.0.field")?.string == "metadata.name")
    }
}
