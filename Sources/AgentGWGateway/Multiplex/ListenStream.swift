import AgentGWMCP
import Foundation

/// `subscriptions/listen` (2026-07-28) for a multiplexed Backend: one client stream fed by every
/// target. Modern targets get a `subscriptions/listen` of their own (re-opened when it ends, as
/// the spec tells clients to); legacy targets get a session whose server stream (GET) is read,
/// with `resources/subscribe` for the URIs asked for. Only the kinds the client asked for reach
/// it, each stamped with the client's subscription id, names and URIs prefixed like every other
/// multiplexed answer.
extension MultiplexService {
    static let subscriptionIDKey = "io.modelcontextprotocol/subscriptionId"

    /// What the client asked for, and per target the URIs that are its.
    struct ListenFilter: Sendable {
        var kinds: Set<String>               // notification methods
        var uris: [String: [String]]         // target → its own URIs
        var honored: JSONObject              // the acknowledged filter, as the client wrote it

        init(_ params: JSONValue?, mapper: NameMapper) {
            let requested = params?["notifications"]?.object ?? JSONObject([])
            kinds = []
            uris = [:]
            honored = JSONObject([])
            for (flag, method) in [("toolsListChanged", "notifications/tools/list_changed"), ("promptsListChanged", "notifications/prompts/list_changed"),
                                   ("resourcesListChanged", "notifications/resources/list_changed")] where requested[flag]?.bool == true {
                kinds.insert(method)
                honored[flag] = .bool(true)
            }
            var acknowledged: [JSONValue] = []
            for uri in requested["resourceSubscriptions"]?.array?.compactMap(\.string) ?? [] {
                guard let routed = try? mapper.resolveURI(uri) else { continue }   // no target has it: not honored
                uris[routed.target, default: []].append(routed.uri)
                acknowledged.append(.string(uri))
            }
            if !acknowledged.isEmpty {
                kinds.insert("notifications/resources/updated")
                honored["resourceSubscriptions"] = .array(acknowledged)
            }
        }

        /// The filter a target is sent: the same kinds, its own URIs.
        func params(for target: String) -> JSONValue {
            var o = honored
            o["resourceSubscriptions"] = uris[target].map { .array($0.map { .string($0) }) }
            return .object(JSONObject([("notifications", .object(o))]))
        }

        func admits(_ method: String, params: JSONValue?, target: String) -> Bool {
            guard kinds.contains(method) else { return false }
            if method == "notifications/resources/updated" {
                return (uris[target] ?? []).contains(params?["uri"]?.string ?? "")
            }
            return true
        }
    }

    func listen(id: JSONRPCID, params: JSONValue?, backend: MultiplexedBackend, mapper: NameMapper, keepalive: Duration, reply: ReplyStream) async -> Response? {
        let filter = ListenFilter(params, mapper: mapper)
        reply.open()
        let ack = JSONObject([("notifications", .object(filter.honored)), ("_meta", .object(JSONObject([(Self.subscriptionIDKey, id.json)])))])
        reply.event(.notification(method: "notifications/subscriptions/acknowledged", params: .object(ack)))
        let relay: @Sendable (JSONRPCMessage, String) -> Void = { message, target in
            guard case .notification(let method, let params) = message, filter.admits(method, params: params, target: target) else { return }
            var p = params?.object ?? JSONObject([])
            var meta = p["_meta"]?.object ?? JSONObject([])
            meta[Self.subscriptionIDKey] = id.json
            p["_meta"] = .object(meta)
            if let m = MessageRelay.toClient(.notification(method: method, params: .object(p)), target: target, mapper: mapper) { reply.event(m) }
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: keepalive)
                    reply.keepalive()
                }
            }
            for target in backend.targets where target.transport != .sse && !filter.kinds.isEmpty {
                group.addTask { await self.listen(to: target, filter: filter, relay: relay) }
            }
            // Runs until the client goes away (the task is cancelled).
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            group.cancelAll()
        }
        return nil
    }

    /// One target's events, for as long as the client listens. A stream that ends or fails is
    /// opened again after a pause that grows to 30 s.
    func listen(to target: MCPTarget, filter: ListenFilter, relay: @escaping @Sendable (JSONRPCMessage, String) -> Void) async {
        var pause = Duration.milliseconds(250)
        while !Task.isCancelled {
            let started = ContinuousClock.now
            await listenOnce(to: target, filter: filter, relay: relay)
            if ContinuousClock.now - started > .seconds(30) { pause = .milliseconds(250) }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(30))
        }
    }

    func listenOnce(to target: MCPTarget, filter: ListenFilter, relay: @escaping @Sendable (JSONRPCMessage, String) -> Void) async {
        guard let http = try? transport(for: target) else { return }
        let observe: MessageObserver = { relay($0, target.targetName) }
        let key = TargetHealth.key(host: target.connectHost, port: target.connectPort)
        if eras.withLockedValue({ $0[endpoint(target)] }) != .legacy {
            let conn = StreamableHTTPConnection(resuming: url(target), http: http, auth: upstreamHeaders(target), era: .modern,
                                                protocolVersion: MCPProtocol.modernVersion, sessionID: nil, observer: observe)
            do {
                _ = try await conn.request("subscriptions/listen", params: filter.params(for: target.targetName))
                return
            } catch {
                // A legacy target answers a modern request with 400/404: remember, and use its GET stream.
                if case .rpc = error { return }
                guard case .http(let status, _) = error, [400, 404, 405].contains(status) else {
                    if !Task.isCancelled { health.failure(key, error.description) }
                    return
                }
                eras.withLockedValue { $0[endpoint(target)] = .legacy }
            }
        }
        let conn = StreamableHTTPConnection(url: url(target), http: http, auth: upstreamHeaders(target), observer: observe)
        do {
            try await conn.initialize()
            for uri in filter.uris[target.targetName] ?? [] { _ = try? await conn.request("resources/subscribe", params: .object(JSONObject([("uri", .string(uri))]))) }
            if let stream = try await conn.openServerStream() {
                try await SSEMessageReader.read(stream) { relay($0, target.targetName) }
            } else {
                // No server stream: nothing will come; wait rather than reconnect in a loop.
                try await Task.sleep(for: .seconds(3600))
            }
        } catch {
            if !Task.isCancelled { health.failure(key, "\(error)") }
        }
        await conn.close()
    }
}
