// The `fetch` tool: HTTP GET with AsyncHTTPClient (one client per server, not `.shared`), at
// most 3 redirects, 10 s overall, bodies read up to 1 MiB, text returned under a
// "Contents of URL:" line. Every failure is an `isError` result with a readable reason.

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// HTTP GET for the `fetch` tool.
final class SampleFetcher: Sendable {
    static let defaultMaxLength = 5000
    static let maxMaxLength = 1_000_000
    static let maxBodyBytes = 1 << 20
    static let maxRedirects = 3
    static let timeout: Duration = .seconds(10)

    private let client: HTTPClient

    init() {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .follow(max: Self.maxRedirects, allowCycles: false),
            timeout: .init(connect: .seconds(10), read: .seconds(10))
        )
        // A refused connection is an answer: report it now instead of retrying until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    /// Fetches `url` and returns a tools/call result.
    func fetch(_ url: String, maxLength: Int) async -> JSONValue {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = parsed.host, !host.isEmpty
        else {
            return SampleToolResult.error("Invalid URL \"\(url)\": fetch needs an absolute http:// or https:// URL")
        }
        do {
            let page = try await withFetchTimeout(Self.timeout) { [client] in
                try await Self.get(url, client: client)
            }
            guard (200..<300).contains(page.status) else {
                return SampleToolResult.error("Failed to fetch \(url) - status code \(page.status)")
            }
            if let type = page.contentType, Self.isBinary(type) {
                return SampleToolResult.error("Failed to fetch \(url): its content type \(type) is not text")
            }
            return SampleToolResult.text(Self.render(url: url, page: page, maxLength: maxLength))
        } catch {
            return SampleToolResult.error("Failed to fetch \(url): \(Self.describe(error))")
        }
    }

    struct Page: Sendable {
        var status: Int
        var contentType: String?
        var body: [UInt8]
        var truncated: Bool
    }

    static func get(_ url: String, client: HTTPClient) async throws -> Page {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "User-Agent", value: "agentgw-sample/1 (kubectl-agentgw sample-server)")
        request.headers.add(name: "Accept", value: "text/html, text/plain, application/json, */*;q=0.5")
        let response = try await client.execute(request, timeout: .seconds(10))
        var body: [UInt8] = []
        var truncated = false
        for try await chunk in response.body {
            let room = maxBodyBytes - body.count
            if chunk.readableBytes > room {
                body.append(contentsOf: chunk.readableBytesView.prefix(room))
                truncated = true
                break
            }
            body.append(contentsOf: chunk.readableBytesView)
        }
        return Page(status: Int(response.status.code), contentType: response.headers.first(name: "content-type"),
                    body: body, truncated: truncated)
    }

    static func render(url: String, page: Page, maxLength: Int) -> String {
        let text = String(decoding: page.body, as: UTF8.self)
        var out = "Contents of \(url):\n"
        if text.count > maxLength {
            out += text.prefix(maxLength)
            out += "\n\n[Content truncated at \(maxLength) characters; call fetch with a larger max_length to see more.]"
        } else {
            out += text
            if page.truncated { out += "\n\n[Content truncated: only the first \(maxBodyBytes) bytes were read.]" }
        }
        return out
    }

    static func isBinary(_ contentType: String) -> Bool {
        let type = contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        return ["image/", "audio/", "video/", "font/"].contains { type.hasPrefix($0) }
            || ["application/octet-stream", "application/pdf", "application/zip", "application/gzip"].contains(type)
    }

    static func describe(_ error: any Error) -> String {
        if error is SampleFetchTimeout { return "timed out after \(timeout.components.seconds) s" }
        if let e = error as? HTTPClientError {
            switch e {
            case .redirectLimitReached: return "too many redirects (more than \(maxRedirects))"
            case .redirectCycleDetected: return "redirect loop"
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out after \(timeout.components.seconds) s"
            default: break
            }
        }
        let text = String(describing: error)
        if text.contains("refused") || text.contains("errno: 111") { return "connection refused" }
        if text.lowercased().contains("dns") || text.contains("resolve") { return "cannot resolve the host name" }
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}

/// The fetch did not finish in time.
struct SampleFetchTimeout: Error {}

/// Runs `body`, throwing ``SampleFetchTimeout`` (and cancelling it) after `limit`.
func withFetchTimeout<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw SampleFetchTimeout()
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw SampleFetchTimeout() }
        return first
    }
}
