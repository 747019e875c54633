import AgentGWModel
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A resource the API serves: what discovery maps a kind to.
public struct ResourceInfo: Sendable, Hashable {
    public var group: String
    public var version: String
    public var kind: String
    /// The plural resource name used in URLs (`gateways`).
    public var plural: String
    public var namespaced: Bool

    public init(group: String, version: String, kind: String, plural: String, namespaced: Bool) {
        self.group = group; self.version = version; self.kind = kind; self.plural = plural; self.namespaced = namespaced
    }

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `/api/v1/namespaces/NS/secrets/NAME/status`, leaving out what is nil.
    public func path(namespace: String?, name: String? = nil, subresource: String? = nil) -> String {
        var p = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace, !namespace.isEmpty { p += "/namespaces/\(KubeClient.escape(namespace))" }
        p += "/\(plural)"
        if let name { p += "/\(KubeClient.escape(name))" }
        if let subresource { p += "/\(subresource)" }
        return p
    }

    /// kubectl's `kind.group` (lowercased kind): `gateway.gateway.networking.k8s.io`, `secret`.
    public var kindGroup: String { group.isEmpty ? kind.lowercased() : "\(kind.lowercased()).\(group)" }
}

/// A raw response.
public struct KubeResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
}

/// Options of `dryRun`, as the API spells them.
public enum DryRun: Sendable { case none, all }

/// A Kubernetes REST client on AsyncHTTPClient, over generic objects (`Node`).
///
/// One `HTTPClient` per `KubeClient`; call `shutdown()` when done.
public final class KubeClient: Sendable {
    public let config: ClientConfig
    public let discovery: Discovery
    let http: HTTPClient
    let auth: Authenticator
    let baseTLS: TLSConfiguration?
    /// The URL prefix requests go to (the tls-server-name host when one is set, see init).
    let base: String
    /// Receives the text of each `Warning: 299 - "..."` response header (kubectl prints them).
    let warningHandler: (@Sendable (String) -> Void)?

    /// Largest non-watch response body accepted.
    static let maxBody = 64 << 20

    public init(config: ClientConfig, warningHandler: (@Sendable (String) -> Void)? = nil) throws {
        self.config = config
        self.warningHandler = warningHandler
        auth = try Authenticator(config: config)
        guard let url = URL(string: config.server), let host = url.host else {
            throw KubeError.config("invalid configuration: server \"\(config.server)\" is not a URL")
        }
        var httpConfig = HTTPClient.Configuration()
        httpConfig.redirectConfiguration = .disallow
        httpConfig.decompression = config.disableCompression ? .disabled : .enabled(limit: .ratio(100))
        // Fail fast with the real cause (refused, bad certificate) instead of retrying until the deadline.
        httpConfig.connectionPool.retryConnectionEstablishment = false
        // A controller holds one watch per resource open (ten for serve --kubernetes) besides its
        // writes; over HTTP/1.1 each takes a connection, and the default of 8 per host starves.
        httpConfig.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        var base = config.server
        if config.usesTLS {
            var tls = TLSConfiguration.makeClientConfiguration()
            if config.insecureSkipTLSVerify {
                tls.certificateVerification = .none
            } else if let ca = config.certificateAuthority {
                do {
                    let bytes = try ca.bytes()
                    tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(bytes))
                } catch let e as KubeConfigError {
                    throw KubeError.config(e.message)
                } catch {
                    throw KubeError.config("unable to load root certificates: \(error)")
                }
            }
            baseTLS = tls
            httpConfig.tlsConfiguration = tls
            // tls-server-name: ask for and verify that name while connecting to the real host.
            if let name = config.tlsServerName, !name.isEmpty, name != host {
                httpConfig.dnsOverride = [name: host]
                var comps = URLComponents(string: config.server)
                comps?.host = name
                base = comps?.string ?? config.server
            }
        } else {
            baseTLS = nil
        }
        self.base = base
        httpConfig.proxy = try Self.proxy(for: config, host: host)
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfig)
        discovery = Discovery()
    }

    /// Closes connections. Call once, before the client goes away.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// proxy-url from the kubeconfig, else HTTPS_PROXY/HTTP_PROXY unless NO_PROXY matches.
    static func proxy(for config: ClientConfig, host: String) throws(KubeError) -> HTTPClient.Configuration.Proxy? {
        var raw = config.proxyURL
        if raw == nil {
            let env = config.environment
            func v(_ k: String) -> String? { (env[k] ?? env[k.lowercased()]).flatMap { $0.isEmpty ? nil : $0 } }
            let candidate = config.usesTLS ? v("HTTPS_PROXY") : v("HTTP_PROXY")
            if let candidate, !noProxyMatches(v("NO_PROXY") ?? "", host: host) { raw = candidate }
        }
        guard let raw, !raw.isEmpty else { return nil }
        let withScheme = raw.contains("://") ? raw : "http://\(raw)"
        guard let url = URL(string: withScheme), let phost = url.host, let scheme = url.scheme?.lowercased() else {
            throw .config("invalid proxy URL \"\(raw)\"")
        }
        switch scheme {
        case "http":
            let auth: HTTPClient.Authorization? = url.user.map { .basic(username: $0, password: url.password ?? "") }
            return .server(host: phost, port: url.port ?? 80, authorization: auth)
        case "https":
            // AsyncHTTPClient can't speak TLS to the proxy itself; say so rather than fail obscurely.
            throw .config("proxy \"\(phost)\": https:// proxies are not supported, use http:// (CONNECT) or socks5://")
        case "socks5", "socks5h":
            return .socksServer(host: phost, port: url.port ?? 1080)
        default:
            throw .config("unsupported proxy scheme \"\(scheme)\" in \"\(raw)\" (use http, https or socks5)")
        }
    }

    /// NO_PROXY: comma-separated hosts, domain suffixes (`.example.com` or `example.com`), IPs, `*`.
    static func noProxyMatches(_ list: String, host: String) -> Bool {
        let h = host.lowercased()
        for raw in list.split(separator: ",") {
            var entry = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if entry.isEmpty { continue }
            if entry == "*" { return true }
            if let colon = entry.lastIndex(of: ":"), !entry.contains("]"), entry.filter({ $0 == ":" }).count == 1 {
                entry = String(entry[..<colon])
            }
            if entry.contains("/"), cidrContains(entry, h) { return true }
            if entry.hasPrefix(".") { entry.removeFirst() }
            if h == entry || h.hasSuffix("." + entry) { return true }
        }
        return false
    }

    static func cidrContains(_ cidr: String, _ host: String) -> Bool {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let bits = Int(parts[1]), let net = ipv4(String(parts[0])), let ip = ipv4(host), (0...32).contains(bits) else { return false }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
        return net & mask == ip & mask
    }

    static func ipv4(_ s: String) -> UInt32? {
        let octets = s.split(separator: ".").compactMap { UInt8($0) }
        guard octets.count == 4, s.split(separator: ".").count == 4 else { return nil }
        return octets.reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? s
    }

    static func query(_ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return "" }
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return "?" + items.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }.joined(separator: "&")
    }

    // MARK: - Raw requests

    func makeRequest(method: HTTPMethod, path: String, query: [(String, String)], body: [UInt8]?,
                     contentType: String?, accept: String, credentials: RequestCredentials) throws -> HTTPClientRequest {
        var request = HTTPClientRequest(url: base + path + Self.query(query))
        request.method = method
        request.headers.add(name: "Accept", value: accept)
        request.headers.add(name: "User-Agent", value: "kubectl-agentgw (linux) kubernetes/agentgw")
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        // Like Go's transport, ask for gzip unless the kubeconfig says disable-compression.
        if !config.disableCompression { request.headers.add(name: "Accept-Encoding", value: "gzip") }
        if let a = credentials.authorization { request.headers.add(name: "Authorization", value: a) }
        if let user = config.impersonate, !user.isEmpty {
            request.headers.add(name: "Impersonate-User", value: user)
            if let uid = config.impersonateUID, !uid.isEmpty { request.headers.add(name: "Impersonate-Uid", value: uid) }
            for g in config.impersonateGroups { request.headers.add(name: "Impersonate-Group", value: g) }
        }
        if let body {
            // AsyncHTTPClient sets Content-Length from the known size.
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        if let cert = credentials.clientCertificate, let key = credentials.clientKey, var tls = baseTLS {
            do {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(cert).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
            } catch {
                throw KubeError.credentials("tls: failed to load the client certificate and key")
            }
            request.tlsConfiguration = tls
        }
        return request
    }

    /// Sends one request and reads the whole response; on a 401 with rotating credentials it
    /// refreshes them and tries once more. Non-2xx answers are returned, not thrown.
    public func send(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
                     contentType: String? = nil, accept: String = "application/json",
                     timeout: Duration? = nil) async throws -> KubeResponse {
        let limit = timeout ?? config.requestTimeout
        var attempt = 0
        while true {
            attempt += 1
            let creds = try await auth.credentials()
            let request = try makeRequest(method: method, path: path, query: query, body: body, contentType: contentType,
                                          accept: accept, credentials: creds)
            let response: KubeResponse
            do {
                response = try await withDeadline(limit) { [http] in
                    let r = try await http.execute(request, timeout: Self.timeAmount(limit))
                    let bytes = try await r.body.collect(upTo: Self.maxBody)
                    return KubeResponse(status: Int(r.status.code), headers: r.headers.map { ($0.name, $0.value) },
                                        body: Array(buffer: bytes))
                }
            } catch let e as KubeError {
                throw e
            } catch {
                throw KubeError.transport(Self.describe(error, path: path))
            }
            if response.status == 401, attempt == 1, auth.canRefresh {
                await auth.invalidate()
                continue
            }
            if let warningHandler {
                for (name, value) in response.headers where name.lowercased() == "warning" {
                    if let text = Self.warningText(value) { warningHandler(text) }
                }
            }
            return response
        }
    }

    /// The text of an RFC 7234 warning as the API server sends it: `299 - "text"`.
    static func warningText(_ value: String) -> String? {
        guard let open = value.firstIndex(of: "\"") else { return nil }
        var text = ""
        var escaped = false
        for c in value[value.index(after: open)...] {
            if escaped { text.append(c); escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "\"" { return text }
            text.append(c)
        }
        return nil
    }

    static func timeAmount(_ d: Duration) -> TimeAmount {
        let (s, atto) = d.components
        return .nanoseconds(s * 1_000_000_000 + atto / 1_000_000_000)
    }

    static func describe(_ error: any Error, path: String) -> String {
        if let e = error as? HTTPClientError {
            if e == .deadlineExceeded || e == .readTimeout || e == .connectTimeout { return "context deadline exceeded (Client.Timeout exceeded while awaiting headers)" }
            if e == .remoteConnectionClosed { return "connection closed by the server" }
            if e == .cancelled { return "request cancelled" }
            if e == .bodyLengthMismatch { return "response body too large" }
            return "\(e)"
        }
        if let e = error as? NIOSSLError {
            let text = "\(e)"
            if text.contains("CERTIFICATE_VERIFY_FAILED") { return "tls: failed to verify certificate: x509: certificate signed by unknown authority" }
            if case .handshakeFailed = e { return "tls: handshake failed" }
            return "tls: \(text)"
        }
        if let e = error as? NIOSSLExtraError, "\(e)".contains("validate") {
            return "tls: failed to verify certificate: x509: certificate is not valid for the server name"
        }
        if let e = error as? NIOConnectionError { return "connection refused (\(e.host):\(e.port))" }
        if error is CancellationError { return "request cancelled" }
        if error is NIOTooManyBytesError { return "response larger than \(maxBody) bytes" }
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("handshakeFailed") || text.contains("certificate") { return "tls: \(text)" }
        return text
    }

    /// Runs `body`, throwing a timeout error if it outlives `limit` (AHC's deadline covers only
    /// the head, so the body read needs its own bound).
    func withDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw KubeError.transport("context deadline exceeded (Client.Timeout exceeded after \(limit))")
            }
            return value
        }
    }

    /// Sends a request and decodes a successful JSON answer; failures become `KubeError.status`.
    public func call(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: Node? = nil,
                     contentType: String = "application/json") async throws -> Node {
        let bytes = body.map { Array(JSONWriter.write($0, indent: nil).utf8) }
        let r = try await send(method, path, query: query, body: bytes, contentType: bytes == nil ? nil : contentType)
        return try Self.decode(r)
    }

    static func decode(_ r: KubeResponse) throws -> Node {
        guard (200..<300).contains(r.status) else { throw KubeError.status(APIStatus.fromResponse(code: r.status, body: r.body)) }
        do {
            guard let doc = try YAMLReader.read(r.body, file: "response").first else {
                throw KubeError.decoding("empty response from the server")
            }
            return doc
        } catch let e as ReadError {
            throw KubeError.decoding("invalid JSON from the server: \(e.message)")
        }
    }

    // MARK: - Verbs

    public func get(_ resource: ResourceInfo, namespace: String?, name: String, subresource: String? = nil) async throws -> Node {
        try await call(.GET, resource.path(namespace: namespace, name: name, subresource: subresource))
    }

    /// GETs an object, or nil on 404.
    public func getIfExists(_ resource: ResourceInfo, namespace: String?, name: String) async throws -> Node? {
        do { return try await get(resource, namespace: namespace, name: name) } catch let e as KubeError where e.isNotFound {
            return nil
        }
    }

    /// One LIST page.
    public struct ListPage: Sendable {
        public var items: [Node]
        public var resourceVersion: String
        public var continueToken: String?
    }

    /// Lists every object, following `continue` tokens page by page (`limit` per page).
    /// `namespace` nil lists across all namespaces.
    public func list(_ resource: ResourceInfo, namespace: String?, labelSelector: String? = nil,
                     fieldSelector: String? = nil, limit: Int = 500) async throws -> (items: [Node], resourceVersion: String) {
        var items: [Node] = []
        var token: String?
        var rv = ""
        repeat {
            let page = try await listPage(resource, namespace: namespace, labelSelector: labelSelector,
                                          fieldSelector: fieldSelector, limit: limit, continueToken: token)
            items += page.items
            rv = page.resourceVersion
            token = page.continueToken
        } while token != nil
        return (items, rv)
    }

    public func listPage(_ resource: ResourceInfo, namespace: String?, labelSelector: String? = nil, fieldSelector: String? = nil,
                         limit: Int = 500, continueToken: String? = nil, resourceVersion: String? = nil) async throws -> ListPage {
        var q: [(String, String)] = []
        if limit > 0 { q.append(("limit", String(limit))) }
        if let c = continueToken { q.append(("continue", c)) }
        if let l = labelSelector { q.append(("labelSelector", l)) }
        if let f = fieldSelector { q.append(("fieldSelector", f)) }
        if let v = resourceVersion { q.append(("resourceVersion", v)) }
        let node = try await call(.GET, resource.path(namespace: namespace), query: q)
        let token = node["metadata"]?["continue"]?.string
        return ListPage(items: node["items"]?.array ?? [], resourceVersion: node["metadata"]?["resourceVersion"]?.string ?? "",
                        continueToken: (token?.isEmpty ?? true) ? nil : token)
    }

    public func create(_ object: Node, _ resource: ResourceInfo, namespace: String?, dryRun: DryRun = .none,
                       fieldManager: String? = nil) async throws -> Node {
        var q: [(String, String)] = []
        if dryRun == .all { q.append(("dryRun", "All")) }
        if let m = fieldManager { q.append(("fieldManager", m)) }
        return try await call(.POST, resource.path(namespace: namespace), query: q, body: object)
    }

    /// Options of a server-side apply.
    public struct ApplyOptions: Sendable {
        public var fieldManager: String
        public var force = false
        public var dryRun: DryRun = .none
        /// `Strict`, `Warn` or `Ignore`; nil leaves it to the server.
        public var fieldValidation: String?
        public init(fieldManager: String, force: Bool = false, dryRun: DryRun = .none, fieldValidation: String? = nil) {
            self.fieldManager = fieldManager; self.force = force; self.dryRun = dryRun; self.fieldValidation = fieldValidation
        }
    }

    /// Server-side apply: PATCH with `application/apply-patch+yaml` (the body is the object as JSON).
    /// `subresource: "status"` applies status (controllers).
    public func apply(_ object: Node, _ resource: ResourceInfo, namespace: String?, name: String,
                      options: ApplyOptions, subresource: String? = nil) async throws -> Node {
        var q: [(String, String)] = []
        if options.dryRun == .all { q.append(("dryRun", "All")) }
        q.append(("fieldManager", options.fieldManager))
        if let v = options.fieldValidation { q.append(("fieldValidation", v)) }
        q.append(("force", options.force ? "true" : "false"))
        return try await call(.PATCH, resource.path(namespace: namespace, name: name, subresource: subresource), query: q,
                              body: object, contentType: "application/apply-patch+yaml")
    }

    /// JSON merge patch (RFC 7386); `subresource: "status"` for status.
    public func mergePatch(_ patch: Node, _ resource: ResourceInfo, namespace: String?, name: String,
                           subresource: String? = nil, fieldManager: String? = nil, dryRun: DryRun = .none) async throws -> Node {
        var q: [(String, String)] = []
        if dryRun == .all { q.append(("dryRun", "All")) }
        if let m = fieldManager { q.append(("fieldManager", m)) }
        return try await call(.PATCH, resource.path(namespace: namespace, name: name, subresource: subresource), query: q,
                              body: patch, contentType: "application/merge-patch+json")
    }

    /// PUT (update with the object's resourceVersion as precondition).
    public func replace(_ object: Node, _ resource: ResourceInfo, namespace: String?, name: String,
                        subresource: String? = nil, fieldManager: String? = nil) async throws -> Node {
        var q: [(String, String)] = []
        if let m = fieldManager { q.append(("fieldManager", m)) }
        return try await call(.PUT, resource.path(namespace: namespace, name: name, subresource: subresource), query: q, body: object)
    }

    /// DELETE with an optional `propagationPolicy` (`Foreground`, `Background`, `Orphan`).
    public func delete(_ resource: ResourceInfo, namespace: String?, name: String, propagationPolicy: String? = nil,
                       dryRun: DryRun = .none) async throws -> Node {
        var q: [(String, String)] = []
        if dryRun == .all { q.append(("dryRun", "All")) }
        var body: Node?
        if let p = propagationPolicy {
            body = ["kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": .string(p)]
        }
        return try await call(.DELETE, resource.path(namespace: namespace, name: name), query: q, body: body)
    }
}
