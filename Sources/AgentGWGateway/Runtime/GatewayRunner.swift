import AgentGWMCP
import AgentGWModel
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Crypto

/// The data plane and its admin listener, with reload bookkeeping (generation, history,
/// readiness, metrics). `serve -f`: `start()` loads and compiles manifests, watches the files
/// and swaps the config atomically on change. `serve --kubernetes`: `startWithoutConfig()`, then
/// the controller hands each compile to `apply(_:)`. Either way an invalid change is logged and
/// the last good config stays.
public final class GatewayRunner: Sendable {
    public struct Options: Sendable {
        public var paths: [String]
        public var recursive = false
        public var compile = CompileOptions()
        public var bindAddress = "0.0.0.0"
        public var portMap: [Int: Int] = [:]
        public var adminHost = "127.0.0.1"
        public var adminPort = 15000
        /// The web console's playground and exposure (see `AdminServer.ConsoleOptions`).
        public var console = AdminServer.ConsoleOptions()
        public var dataPlane = DataPlaneOptions()
        public var accessLog = AccessLog.Format.text
        public var eventLog = EventLog(format: .text, level: .info)
        public var watchInterval: Duration = .seconds(1)
        public var threads = System.coreCount
        /// Key for sealing multiplexed sessions; nil: a random key per process.
        public var sessionKeyFile: String?

        public init(paths: [String]) { self.paths = paths }
    }

    /// Why serve could not start.
    public enum StartError: Error, CustomStringConvertible {
        case load(String)
        case invalid(CompileError)
        case bind(String)

        public var description: String {
            switch self {
            case .load(let m): return m
            case .invalid(let e): return "the manifests do not compile:\n" + e.description
            case .bind(let m): return m
            }
        }
    }

    struct ReloadRecord: Sendable {
        var time: String
        var generation: Int
        var ok: Bool
        var error: String?
    }

    struct State: Sendable {
        var fingerprint: [String: Int] = [:]
        var generation = 0
        var history: [ReloadRecord] = []
        var ready = false
    }

    public let options: Options
    public let server: GatewayServer
    public let metrics: GatewayMetrics
    let state = NIOLockedValueBox(State())
    let admin = NIOLockedValueBox<AdminServer?>(nil)
    let watcher = NIOLockedValueBox<Task<Void, Never>?>(nil)

    public init(options: Options) throws {
        self.options = options
        let key: SymmetricKeyBox
        if let file = options.sessionKeyFile {
            do { key = SymmetricKeyBox(try SessionSealer.loadKey(file: file)) } catch { throw StartError.load("\(error)") }
        } else {
            key = SymmetricKeyBox(SessionSealer.randomKey())
            options.eventLog.log(.warning, "no --session-key-file: sessions of multiplexed Backends are sealed with a random key, so replicas won't share them")
        }
        let multiplexer = MultiplexService(sealer: SessionSealer(key: key.key), upstreamCAFile: options.dataPlane.upstreamCAFile)
        var dataPlane = options.dataPlane
        dataPlane.loopbackBind = ["127.0.0.1", "localhost", "::1"].contains(options.bindAddress)
        metrics = GatewayMetrics()
        let store = ConfigStore(RuntimeConfig(listeners: [:], generation: 0, warnings: []))
        let context = GatewayContext(store: store, metrics: metrics, rateLimiter: RateLimiter(), accessLog: AccessLog(format: options.accessLog),
                                     events: options.eventLog, options: dataPlane, multiplexer: multiplexer)
        server = GatewayServer(context: context, bindAddress: options.bindAddress, portMap: options.portMap, threads: options.threads)
    }

    var events: EventLog { options.eventLog }

    /// Compiles the files and starts serving; throws with validate's messages when they are invalid.
    public func start() async throws {
        let (result, fingerprint) = compileFiles(generation: 1)
        switch result {
        case .failure(let error):
            throw StartError.invalid(error)
        case .success(let config):
            state.withLockedValue { $0.fingerprint = fingerprint }
            if let message = await install(config) { throw StartError.bind(message) }
        }
        try await startAdmin()
        startWatching()
    }

    /// Cluster mode (or any other config source): starts the admin listener with no config
    /// yet. /readyz answers 503 until the first `apply` succeeds.
    public func startWithoutConfig() async throws {
        try await startAdmin()
    }

    /// Swaps in a config compiled by someone else (the Kubernetes controller): `compile` gets
    /// the next generation number. A failed compile or bind keeps the last good config, is
    /// logged and counted, and returns nil; a success returns the config now served.
    @discardableResult
    public func apply(_ compile: (Int) -> Result<RuntimeConfig, CompileError>) async -> RuntimeConfig? {
        let next = state.withLockedValue { $0.generation + 1 }
        switch compile(next) {
        case .success(let config):
            if let message = await install(config) {
                recordFailure(next, message)
                return nil
            }
            return config
        case .failure(let error):
            recordFailure(next, error.description)
            return nil
        }
    }

    /// Puts a compiled config into the data plane; returns an error message when a listener
    /// can't bind (the last good config stays).
    func install(_ config: RuntimeConfig) async -> String? {
        do { try await server.apply(config) } catch { return "cannot listen: \(error)" }
        let generation = config.generation
        let first = state.withLockedValue { s -> Bool in
            let first = !s.ready
            s.generation = generation
            s.history.append(ReloadRecord(time: Self.now(), generation: generation, ok: true, error: nil))
            if s.history.count > 50 { s.history.removeFirst() }
            s.ready = true
            return first
        }
        metrics.increment("agentgw_config_reloads_total", [("result", "success")])
        metrics.setGauge("agentgw_config_generation", [], Double(generation))
        if !first {
            events.log(.info, "config reloaded", [("generation", String(generation)), ("listeners", String(config.listeners.count))])
        }
        for w in config.warnings { events.log(.warning, w.description) }
        return nil
    }

    func startAdmin() async throws {
        do {
            let sources = AdminServer.Sources(metrics: metrics, store: server.context.store,
                                              ready: { [state] in state.withLockedValue { $0.ready } },
                                              status: { [weak self] in self?.statusJSON() ?? .null },
                                              server: server, console: options.console)
            let a = try await AdminServer.start(host: options.adminHost, port: options.adminPort, sources: sources)
            admin.withLockedValue { $0 = a }
            events.log(.info, "admin listening", [("address", "\(options.adminHost):\(a.port)")])
        } catch {
            throw StartError.bind("cannot listen on the admin address \(options.adminHost):\(options.adminPort): \(error)")
        }
    }

    /// The admin listener's port (useful when it was 0).
    public var adminPort: Int? { admin.withLockedValue { $0?.port } }

    /// Reads, validates and compiles the files.
    func compileFiles(generation: Int) -> (Result<RuntimeConfig, CompileError>, [String: Int]) {
        let inputs: LoadedInputs
        do {
            inputs = try ManifestLoader.load(options.paths, recursive: options.recursive)
        } catch {
            let d = Diagnostic.error(error.description, rule: "input.io", at: nil)
            return (.failure(CompileError(diagnostics: [d])), [:])
        }
        return (ConfigCompiler.compile(inputs, options: options.compile, generation: generation), fingerprint())
    }

    /// A cheap content fingerprint of every input file (paths, sizes and a hash).
    func fingerprint() -> [String: Int] {
        var out: [String: Int] = [:]
        for path in options.paths where path != "-" {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { out[path] = -1; continue }
            let files = isDir.boolValue ? ((try? ManifestLoader.listFiles(path, recursive: options.recursive)) ?? []) : [path]
            for f in files {
                // All the bytes: Data's own hash looks at a prefix only, so an edit further in
                // that keeps the length (a port number) would go unnoticed.
                if let data = FileManager.default.contents(atPath: f) {
                    var h = Hasher()
                    data.withUnsafeBytes { h.combine(bytes: $0) }
                    out[f] = h.finalize() ^ data.count
                } else {
                    out[f] = -2
                }
            }
        }
        return out
    }

    func startWatching() {
        guard !options.paths.contains("-") else { return }
        let task = Task { [weak self] in
            while !Task.isCancelled {
                guard let interval = self?.options.watchInterval else { return }
                try? await Task.sleep(for: interval)
                await self?.checkForChanges()
            }
        }
        watcher.withLockedValue { $0 = task }
    }

    func checkForChanges() async {
        let current = fingerprint()
        let changed = state.withLockedValue { $0.fingerprint != current }
        guard changed else { return }
        await reload()
    }

    /// Recompiles now. On failure the last good config stays and the error is logged.
    public func reload() async {
        await apply { next in
            let (result, fingerprint) = compileFiles(generation: next)
            state.withLockedValue { $0.fingerprint = fingerprint }
            return result
        }
    }

    func recordFailure(_ generation: Int, _ message: String) {
        state.withLockedValue {
            $0.history.append(ReloadRecord(time: Self.now(), generation: generation, ok: false, error: message))
            if $0.history.count > 50 { $0.history.removeFirst() }
        }
        metrics.increment("agentgw_config_reloads_total", [("result", "failure")])
        events.log(.error, "config change rejected; still serving the last good config", [("error", message.replacingOccurrences(of: "\n", with: " | "))])
    }

    func statusJSON() -> JSONValue {
        let s = state.withLockedValue { $0 }
        return .object(JSONObject([
            ("generation", .int(s.generation)),
            ("ready", .bool(s.ready)),
            ("openStreams", .int(server.context.openStreams)),
            ("reloads", .array(s.history.map { r in
                var o = JSONObject([("time", .string(r.time)), ("generation", .int(r.generation)), ("ok", .bool(r.ok))])
                if let e = r.error { o["error"] = .string(e) }
                return .object(o)
            })),
        ]))
    }

    /// Stops accepting, lets requests finish (streams end), and stops within `timeout`.
    public func shutdown(drainTimeout: Duration) async {
        state.withLockedValue { $0.ready = false }
        watcher.withLockedValue { $0?.cancel() }
        events.log(.info, "draining", [("timeout", "\(drainTimeout.components.seconds)s")])
        await server.drain(timeout: drainTimeout)
        await server.context.multiplexer?.shutdown()
        if let a = admin.withLockedValue({ $0 }) { await a.stop() }
        await server.shutdown()
        events.log(.info, "stopped")
    }

    static func now() -> String { Timestamp.now() }
}

/// Carries a key into the initializer's locals without Sendable complaints.
struct SymmetricKeyBox: @unchecked Sendable {
    let key: SymmetricKey
    init(_ key: SymmetricKey) { self.key = key }
}
