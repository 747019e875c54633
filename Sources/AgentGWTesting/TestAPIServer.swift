import AgentGWModel
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// How to start a `TestAPIServer`.
public struct TestAPIServerOptions: Sendable {
    /// nil = plain HTTP.
    public var tls: TestTLS?
    /// Who may call. Enforced on every request when `.required` (real clients only send
    /// credentials over TLS, so it is meaningful with `tls`).
    public var auth: TestAuth = .none
    /// Preinstall the Backend/TrafficPolicy CRDs of `AgentGatewayCRDs.yaml`.
    public var agentGatewayCRDs = true
    /// Preinstall the Gateway API kinds (from `SchemaRegistry`).
    public var gatewayAPICRDs = true
    /// 0 = a free port.
    public var port = 0
    /// How often watches that allow bookmarks get a BOOKMARK event.
    public var bookmarkInterval: Duration = .seconds(1)
    public init() {}
}

/// The server's TLS material (PEM files).
public struct TestTLS: Sendable {
    public var certificatePath: String
    public var keyPath: String
    /// Client certificates signed by this CA authenticate (optional verification).
    public var clientCAPath: String?
    /// The CA that signed the server certificate, for `kubeconfig(token:)`; nil = `ca.crt`
    /// next to the certificate, else the certificate itself.
    public var serverCAPath: String?

    public init(certificatePath: String, keyPath: String, clientCAPath: String? = nil, serverCAPath: String? = nil) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.clientCAPath = clientCAPath
        self.serverCAPath = serverCAPath
    }
}

/// Who may call the server.
public enum TestAuth: Sendable {
    case none
    /// A Bearer token from the set, or a client certificate signed by `TestTLS.clientCAPath`.
    case required(tokens: Set<String>)
}

/// Why the test server could not start.
public struct TestAPIServerError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// An in-memory, faithful subset of the Kubernetes API server (discovery, CRUD, server-side
/// apply with managed fields, dry run, status subresource, watch) over HTTP or HTTPS.
///
/// Paths, status codes and Status bodies are the real server's (reference/kubernetes.md §1, §3,
/// §6), so the real `kubectl` works against it (`apply --server-side --validate=false`, `get`,
/// `get -w`, `diff --server-side`, `delete`, `label`, `wait`, client-side `apply`, `replace`).
///
/// What it does not do, knowingly:
/// - protobuf and CBOR bodies get 415 (kubectl's typed `create namespace|secret` send protobuf;
///   `apply` sends JSON); strategic merge patches work for built-in kinds with the keyed lists
///   of `Shape` only; no Tables, no OpenAPI (kubectl needs `--validate=false`), no aggregated
///   discovery (clients fall back to the legacy documents).
/// - Built-in kinds are neither validated nor defaulted, except Secret `stringData` → `data`
///   and a Namespace's `status.phase`. Kinds from `SchemaRegistry` (Gateway API and ours) are
///   defaulted and validated by `ObjectValidator`; other CRDs' schemas drive list merging only.
/// - Server-side apply compares leaf values for conflicts; a manager never conflicts with its
///   own Update entry; maps emptied by pruning stay as `{}`.
/// - `auth` is enforced on plain HTTP too (real clients send no credentials there).
public final class TestAPIServer: Sendable {
    let group: MultiThreadedEventLoopGroup
    let store: Store
    let options: TestAPIServerOptions
    let auth: NIOLockedValueBox<TestAuth>
    let sslContext: NIOSSLContext?
    /// The listening socket (nil while down) and every accepted connection, so an outage can
    /// close them all.
    let listener: NIOLockedValueBox<(any Channel)?>
    let connections: NIOLockedValueBox<[ObjectIdentifier: any Channel]>
    public let port: Int
    public let baseURL: String

    init(group: MultiThreadedEventLoopGroup, sslContext: NIOSSLContext?, listener: any Channel, store: Store, options: TestAPIServerOptions,
         port: Int, auth: NIOLockedValueBox<TestAuth>, connections: NIOLockedValueBox<[ObjectIdentifier: any Channel]>) {
        self.auth = auth
        self.group = group
        self.sslContext = sslContext
        self.listener = NIOLockedValueBox(listener)
        self.connections = connections
        self.store = store
        self.options = options
        self.port = port
        self.baseURL = "\(options.tls == nil ? "http" : "https")://127.0.0.1:\(port)"
    }

    public static func start(_ options: TestAPIServerOptions = .init()) async throws -> TestAPIServer {
        let portBox = NIOLockedValueBox(0)
        let store = Store(options: options, port: { portBox.withLockedValue { $0 } })
        var sslContext: NIOSSLContext?
        if let tls = options.tls {
            do {
                var config = TLSConfiguration.makeServerConfiguration(
                    certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificatePath).map { .certificate($0) },
                    privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.keyPath, format: .pem)))
                if let ca = tls.clientCAPath {
                    config.trustRoots = .file(ca)
                    config.certificateVerification = .optionalVerification
                }
                config.applicationProtocols = ["http/1.1"]
                sslContext = try NIOSSLContext(configuration: config)
            } catch {
                throw TestAPIServerError(description: "test API server: cannot load TLS material: \(error)")
            }
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let auth = NIOLockedValueBox(options.auth)
        let connections = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
        let bootstrap = Self.bootstrap(group: group, sslContext: sslContext, store: store, auth: auth, options: options, connections: connections)
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: "127.0.0.1", port: options.port).get()
        } catch {
            try? await group.shutdownGracefully()
            throw TestAPIServerError(description: "test API server: cannot listen on 127.0.0.1:\(options.port): \(error)")
        }
        let port = channel.localAddress?.port ?? options.port
        portBox.withLockedValue { $0 = port }
        return TestAPIServer(group: group, sslContext: sslContext, listener: channel, store: store, options: options, port: port,
                             auth: auth, connections: connections)
    }

    static func bootstrap(group: MultiThreadedEventLoopGroup, sslContext: NIOSSLContext?, store: Store, auth: NIOLockedValueBox<TestAuth>,
                          options: TestAPIServerOptions, connections: NIOLockedValueBox<[ObjectIdentifier: any Channel]>) -> ServerBootstrap {
        let interval = options.bookmarkInterval
        return ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let id = ObjectIdentifier(channel)
                connections.withLockedValue { $0[id] = channel }
                channel.closeFuture.whenComplete { _ in connections.withLockedValue { _ = $0.removeValue(forKey: id) } }
                return channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        APIHandler(store: store, auth: auth, tls: sslContext != nil, bookmarkInterval: interval))
                }
            }
    }

    public func shutdown() async throws {
        await goDown()
        try await group.shutdownGracefully()
    }

    /// An API server outage: the listening socket and every open connection (watches included)
    /// close, so clients see resets and then refused connections until `comeBack()`. The stored
    /// objects and their resourceVersions survive, as etcd's do across an API server restart.
    public func goDown() async {
        store.closeWatches()
        let open = listener.withLockedValue { l in defer { l = nil }; return l }
        try? await open?.close()
        for c in connections.withLockedValue({ Array($0.values) }) { try? await c.close() }
    }

    /// Listens again on the same port after `goDown()`.
    public func comeBack() async throws {
        guard listener.withLockedValue({ $0 }) == nil else { return }
        do {
            let bootstrap = Self.bootstrap(group: group, sslContext: sslContext, store: store, auth: auth, options: options, connections: connections)
            let channel = try await bootstrap.bind(host: "127.0.0.1", port: port).get()
            listener.withLockedValue { $0 = channel }
        } catch {
            throw TestAPIServerError(description: "test API server: cannot listen on 127.0.0.1:\(port) again: \(error)")
        }
    }

    /// Stored object (nil if absent), in the type's preferred version. plural e.g. "gateways";
    /// group "" for core; namespace nil = "default" for namespaced kinds.
    public func object(group: String, plural: String, namespace: String?, name: String) -> Node? {
        store.object(group: group, plural: plural, namespace: namespace, name: name)
    }

    /// Inserts or replaces an object directly (no validation), as an Update by field manager
    /// `manager`. Its status is kept. It emits a watch event like any write.
    public func seed(_ object: Node, manager: String = "test-seed") throws {
        do {
            try store.seed(object, manager: manager)
        } catch let error as APIError {
            throw TestAPIServerError(description: "seed: \(error.message)")
        }
    }

    /// Drops watch history: a watch from any older resourceVersion then gets 410 Expired, and
    /// open watches get an in-stream ERROR 410 event and end.
    public func compactHistory() { store.compactHistory() }

    /// Ends all open watch streams (clients must re-watch).
    public func closeWatches() { store.closeWatches() }

    /// Every request received, in order (Authorization redacted).
    public func requests() -> [TestAPIRequest] { store.requests() }

    /// Changes who may call from now on (e.g. to rotate tokens mid-test; clients must re-read).
    public func setAuth(_ auth: TestAuth) { self.auth.withLockedValue { $0 = auth } }

    /// How many watch streams are open (tests wait for a client's watch to be in place).
    public var openWatches: Int { store.lock.withLock { store.watchers.count } }

    /// The current global resourceVersion.
    public var resourceVersion: Int { store.lock.withLock { store.resourceVersion } }

    /// A kubeconfig YAML pointing at this server (CA included when TLS), context `agentgw-test`,
    /// namespace `default`.
    public func kubeconfig(token: String?) -> String {
        kubeconfig(token: token, clientCertificatePath: nil, clientKeyPath: nil)
    }

    /// A kubeconfig with a bearer token and/or a client certificate.
    public func kubeconfig(token: String?, clientCertificatePath: String?, clientKeyPath: String?) -> String {
        var cluster = "    server: \(baseURL)\n"
        if let tls = options.tls {
            let sibling = (tls.certificatePath as NSString).deletingLastPathComponent + "/ca.crt"
            let caPath = tls.serverCAPath ?? (FileManager.default.fileExists(atPath: sibling) ? sibling : tls.certificatePath)
            if let data = FileManager.default.contents(atPath: caPath) {
                cluster += "    certificate-authority-data: \(data.base64EncodedString())\n"
            }
        }
        var user = ""
        if let token { user += "    token: \(token)\n" }
        if let clientCertificatePath, let clientKeyPath {
            user += "    client-certificate: \(clientCertificatePath)\n    client-key: \(clientKeyPath)\n"
        }
        return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: agentgw-test
          cluster:
        \(cluster)users:
        - name: agentgw-test
          user:\(user.isEmpty ? " {}\n" : "\n" + user)contexts:
        - name: agentgw-test
          context:
            cluster: agentgw-test
            user: agentgw-test
            namespace: default
        current-context: agentgw-test

        """
    }
}

/// One connection: reads whole requests, answers from the store, streams watches.
final class APIHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let maxBody = 32 << 20

    let store: Store
    let auth: NIOLockedValueBox<TestAuth>
    let tls: Bool
    let bookmarkInterval: Duration
    var head: HTTPRequestHead?
    var body = ByteBuffer()
    var tooLarge = false
    var context: ChannelHandlerContext?
    var watchID: Int?
    var watchTasks: [Scheduled<Void>] = []
    var bookmarkTask: RepeatedTask?

    init(store: Store, auth: NIOLockedValueBox<TestAuth>, tls: Bool, bookmarkInterval: Duration) {
        self.store = store
        self.auth = auth
        self.tls = tls
        self.bookmarkInterval = bookmarkInterval
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func channelInactive(context: ChannelHandlerContext) {
        stopWatch()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body.clear()
            tooLarge = false
        case .body(var chunk):
            if body.readableBytes + chunk.readableBytes > APIHandler.maxBody { tooLarge = true } else { body.writeBuffer(&chunk) }
        case .end:
            guard let head else { return }
            self.head = nil
            respond(context: context, head: head)
        }
    }

    func respond(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let uri = head.uri
        let path = String(uri.split(separator: "?", maxSplits: 1).first ?? "")
        let query = uri.contains("?") ? String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[1]) : ""
        var headers: [(name: String, value: String)] = []
        for (name, value) in head.headers {
            headers.append((name, name.lowercased() == "authorization" ? "<redacted>" : value))
        }
        let identity = authenticate(context: context, head: head)
        var request = TestAPIRequest(method: head.method.rawValue, path: path, query: query, headers: headers,
                                     body: String(decoding: body.readableBytesView, as: UTF8.self))
        if case .user(let how) = identity { request.authenticatedBy = how }
        store.record(request)
        if tooLarge {
            send(context: context, head: head, status: 413, body: APIError(code: 413, reason: "RequestEntityTooLarge", message: "the request body is too large").status, extra: [])
            return
        }
        if case .refused = identity {
            send(context: context, head: head, status: 401, body: APIError.unauthorized.status, extra: [])
            return
        }
        switch store.handle(request) {
        case .json(let status, let node, let extra):
            send(context: context, head: head, status: status, body: node, extra: extra)
        case .text(let status, let text):
            send(context: context, head: head, status: status, text: text, contentType: "text/plain; charset=utf-8", extra: [])
        case .watch(let watch):
            startWatch(context: context, head: head, watch: watch)
        }
    }

    enum Identity {
        case anonymous
        case user(String)
        case refused
    }

    /// Who is calling: a listed Bearer token, else a verified client certificate.
    func authenticate(context: ChannelHandlerContext, head: HTTPRequestHead) -> Identity {
        let tokens: Set<String>
        switch auth.withLockedValue({ $0 }) {
        case .none: tokens = []
        case .required(let t): tokens = t
        }
        if let value = head.headers.first(name: "Authorization"), value.hasPrefix("Bearer "),
           tokens.contains(String(value.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)) {
            return .user("token")
        }
        // With optional verification, a presented certificate has already been verified against
        // the client CA during the handshake.
        if tls, (try? context.pipeline.syncOperations.nioSSL_peerCertificate()) != nil { return .user("client-certificate") }
        if case .none = auth.withLockedValue({ $0 }) { return .anonymous }
        return .refused
    }

    func send(context: ChannelHandlerContext, head: HTTPRequestHead, status: Int, body node: Node, extra: [(String, String)]) {
        send(context: context, head: head, status: status, text: JSONWriter.write(node, indent: nil), contentType: "application/json", extra: extra)
    }

    func send(context: ChannelHandlerContext, head: HTTPRequestHead, status: Int, text: String, contentType: String, extra: [(String, String)]) {
        var buffer = context.channel.allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(buffer.readableBytes))
        headers.add(name: "Cache-Control", value: "no-cache, private")
        for (k, v) in extra { headers.add(name: k, value: v) }
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: status), headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func startWatch(context: ChannelHandlerContext, head: HTTPRequestHead, watch: WatchRequest) {
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        let watchToken = NIOLockedValueBox<Int?>(nil)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Transfer-Encoding", value: "chunked")
        headers.add(name: "Cache-Control", value: "no-cache, private")
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
        let id: Int
        do {
            id = try store.startWatch(watch, send: { line in
                loop.execute {
                    let handler = bound.value
                    guard handler.watchID != nil, handler.watchID == watchToken.withLockedValue({ $0 }) else { return }
                    handler.writeLine(line)
                }
            }, finish: {
                loop.execute {
                    let handler = bound.value
                    guard handler.watchID != nil, handler.watchID == watchToken.withLockedValue({ $0 }) else { return }
                    handler.endWatch()
                }
            })
        } catch {
            // The store checked the resourceVersion before; a race with compaction lands here.
            writeLine(JSONWriter.write(.object([("type", "ERROR"), ("object", error.status)]), indent: nil) + "\n")
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        watchToken.withLockedValue { $0 = id }
        watchID = id
        if let seconds = watch.timeoutSeconds, seconds > 0 {
            watchTasks.append(loop.scheduleTask(in: .seconds(Int64(seconds))) {
                let handler = bound.value
                if handler.watchID == id { handler.endWatch() }
            })
        }
        if watch.bookmarks {
            let store = self.store
            let nanos = Int64(bookmarkInterval.components.seconds) * 1_000_000_000 + bookmarkInterval.components.attoseconds / 1_000_000_000
            bookmarkTask = loop.scheduleRepeatedTask(initialDelay: .nanoseconds(nanos), delay: .nanoseconds(nanos)) { _ in
                store.bookmark(id)
            }
        }
    }

    func writeLine(_ line: String) {
        guard let context else { return }
        var buffer = context.channel.allocator.buffer(capacity: line.utf8.count)
        buffer.writeString(line)
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
    }

    func endWatch() {
        guard watchID != nil else { return }
        stopWatch()
        context?.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func stopWatch() {
        if let id = watchID { store.removeWatcher(id) }
        watchID = nil
        for t in watchTasks { t.cancel() }
        watchTasks.removeAll()
        bookmarkTask?.cancel()
        bookmarkTask = nil
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
