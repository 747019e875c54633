import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// How the client reaches a server: TLS material, proxy, timeouts and extra headers.
public struct TransportOptions: Sendable {
    public var timeout: Duration = .seconds(15)
    /// `-H 'Name: value'` headers, sent on every request.
    public var headers: [(name: String, value: String)] = []
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    public var insecureSkipTLSVerify = false
    /// `http://host:port` (from `--proxy`, or HTTPS_PROXY / HTTP_PROXY).
    public var proxy: String?
    /// Called with each request and response head, for `-v`; values of credential headers are masked.
    public var trace: (@Sendable (String) -> Void)?
    /// More header names (lowercased) whose values `-v` masks, e.g. a custom API key header.
    public var sensitiveHeaders: Set<String> = []
    /// Keep-alive connections per upstream host. AsyncHTTPClient's default (8) queues a
    /// gateway's concurrent requests behind each other.
    public var connectionsPerHost = 8
    /// Host names connected to another address while TLS still checks the name (a gateway's
    /// `--resolve` for HTTPS upstreams).
    public var dnsOverride: [String: String] = [:]
    /// How a response body is bounded: by `timeout` as a whole (a probe's step), or by
    /// `timeout` of silence between reads (a gateway: long calls that stream stay alive, and no
    /// timer task runs per request).
    public var bodyTimeout: BodyTimeout = .whole
    public enum BodyTimeout: Sendable { case whole, idle }

    public init() {}
}

/// One HTTP response whose body streams in as it arrives.
public struct StreamingResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: HTTPClientResponse.Body

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The media type without parameters, lowercased (`text/event-stream`).
    public var mediaType: String {
        (header("content-type") ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }

    /// Reads the whole body, refusing more than `limit` bytes.
    public func collect(limit: Int = 64 << 20) async throws -> [UInt8] {
        var buffer = try await body.collect(upTo: limit)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }
}

/// HTTP for the MCP client, on AsyncHTTPClient: no redirects, our own client (not `.shared`,
/// which cuts idle streams), and errors mapped to what a user can act on.
public final class HTTPTransport: Sendable {
    public let options: TransportOptions
    let client: HTTPClient

    public init(options: TransportOptions) throws(MCPClientError) {
        self.options = options
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .nanoseconds(Int64(options.timeout.components.seconds) * 1_000_000_000 + options.timeout.components.attoseconds / 1_000_000_000))
        )
        configuration.tlsConfiguration = try Self.tls(options)
        // A refused connection or a failed TLS handshake is the answer a probe reports; retrying
        // until the deadline would only turn it into a timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = options.connectionsPerHost
        configuration.dnsOverride = options.dnsOverride
        if options.bodyTimeout == .idle { configuration.timeout.read = .nanoseconds(Int64(options.timeout.components.seconds) * 1_000_000_000 + options.timeout.components.attoseconds / 1_000_000_000) }
        if let proxy = options.proxy {
            guard let url = URL(string: proxy.contains("://") ? proxy : "http://\(proxy)"), let host = url.host else {
                throw .usage("--proxy: \"\(proxy)\" is not a URL like http://proxy:3128")
            }
            configuration.proxy = .server(host: host, port: url.port ?? 80)
        }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    static func tls(_ o: TransportOptions) throws(MCPClientError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            if let ca = o.caFile {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca))
            }
            if let cert = o.certFile {
                guard let key = o.keyFile else { throw MCPClientError.usage("--cert needs --key") }
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            } else if o.keyFile != nil {
                throw MCPClientError.usage("--key needs --cert")
            }
        } catch let error as MCPClientError {
            throw error
        } catch {
            throw .usage("TLS files: \(error)")
        }
        if o.insecureSkipTLSVerify { tls.certificateVerification = .none }
        return tls
    }

    /// Checks TLS files and the proxy URL without connecting (usage errors before any output).
    public static func check(_ options: TransportOptions) throws(MCPClientError) {
        _ = try tls(options)
        if let proxy = options.proxy {
            guard let url = URL(string: proxy.contains("://") ? proxy : "http://\(proxy)"), url.host != nil else {
                throw .usage("--proxy: \"\(proxy)\" is not a URL like http://proxy:3128")
            }
        }
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// Sends a request and returns once the response head is in; the body streams after.
    public func send(_ method: HTTPMethod, url: String, headers: [(String, String)], body: [UInt8]?) async throws(MCPClientError) -> StreamingResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in options.headers { request.headers.add(name: name, value: value) }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let body {
            request.headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        if let trace = options.trace {
            var lines = ["> \(method.rawValue) \(url)"]
            for h in request.headers { lines.append("> \(h.name): \(Redaction.headerValue(name: h.name, value: h.value, extraSensitive: options.sensitiveHeaders))") }
            if let body { lines.append("> " + String(decoding: body.prefix(4096), as: UTF8.self)) }
            trace(lines.joined(separator: "\n"))
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, deadline: .now() + .nanoseconds(Int64(options.timeout.nanoseconds)))
        } catch {
            throw MCPClientError.classify(error, url: url)
        }
        let headers = response.headers.map { (name: $0.name, value: $0.value) }
        if let trace = options.trace {
            var lines = ["< \(response.status.code) \(response.status.reasonPhrase)"]
            for h in headers { lines.append("< \(h.name): \(Redaction.headerValue(name: h.name, value: h.value, extraSensitive: options.sensitiveHeaders))") }
            trace(lines.joined(separator: "\n"))
        }
        return StreamingResponse(status: Int(response.status.code), headers: headers, body: response.body)
    }

    /// Time to open (and close) a TCP connection to the URL's host, for the report's "connect"
    /// step. Errors here are the clearest "unreachable" a user gets.
    public static func measureConnect(url: String, timeout: Duration) async throws(MCPClientError) -> Duration {
        guard let u = URL(string: url), let host = u.host else { throw .usage("\"\(url)\" is not a URL") }
        let port = u.port ?? (u.scheme == "https" ? 443 : 80)
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.nanoseconds(Int64(timeout.nanoseconds)))
                .connect(host: host, port: port).get()
            let elapsed = clock.now - start
            try? await channel.close().get()
            return elapsed
        } catch {
            throw MCPClientError.classify(error, url: url)
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }

    /// Milliseconds as a Double, for reports.
    public var milliseconds: Double { Double(nanoseconds) / 1_000_000 }
}

/// Masks credentials in anything we print.
public enum Redaction {
    static let sensitive: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"]

    /// Header values of credential headers become `Bearer ***` / `***`.
    public static func headerValue(name: String, value: String, extraSensitive: Set<String> = []) -> String {
        let lower = name.lowercased()
        guard sensitive.contains(lower) || extraSensitive.contains(lower) else { return value }
        if let space = value.firstIndex(of: " "), ["bearer", "basic", "token"].contains(value[..<space].lowercased()) {
            return "\(value[..<space]) ***"
        }
        return "***"
    }
}
