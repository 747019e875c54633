import AgentGWModel
import AsyncHTTPClient
import NIOCore

/// One event of a watch stream.
public enum WatchEvent: Sendable {
    case added(Node)
    case modified(Node)
    case deleted(Node)
    /// A progress marker: only the resourceVersion to resume from.
    case bookmark(resourceVersion: String)

    public var object: Node? {
        switch self {
        case .added(let n), .modified(let n), .deleted(let n): return n
        case .bookmark: return nil
        }
    }

    /// The resourceVersion to resume a watch from after this event.
    public var resourceVersion: String? {
        switch self {
        case .bookmark(let rv): return rv
        default: return object?["metadata"]?["resourceVersion"]?.string
        }
    }
}

/// Options of a watch request.
public struct WatchOptions: Sendable {
    /// Start after this version ("" or "0": begin with ADDED events for what exists).
    public var resourceVersion: String?
    public var allowBookmarks = true
    /// The server ends the stream after this many seconds (callers then re-watch).
    public var timeoutSeconds: Int?
    public var labelSelector: String?
    public var fieldSelector: String?
    public init(resourceVersion: String? = nil, allowBookmarks: Bool = true, timeoutSeconds: Int? = nil,
                labelSelector: String? = nil, fieldSelector: String? = nil) {
        self.resourceVersion = resourceVersion; self.allowBookmarks = allowBookmarks; self.timeoutSeconds = timeoutSeconds
        self.labelSelector = labelSelector; self.fieldSelector = fieldSelector
    }
}

extension KubeClient {
    /// Watches a resource (`namespace` nil = all namespaces). The stream ends when the server
    /// closes it (timeoutSeconds); it throws `KubeError.expired` when the resourceVersion is too
    /// old (HTTP 410 or an in-stream ERROR with code 410) so the caller relists, and other
    /// `ERROR` events as `KubeError.status`. Cancelling the consuming task closes the connection.
    public func watch(_ resource: ResourceInfo, namespace: String?, options: WatchOptions = .init()) -> AsyncThrowingStream<WatchEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<WatchEvent, any Error>.makeStream()
        let task = Task { [self] in
            do {
                try await runWatch(resource, namespace: namespace, options: options) { continuation.yield($0) }
                continuation.finish()
            } catch is CancellationError {
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    func runWatch(_ resource: ResourceInfo, namespace: String?, options: WatchOptions,
                  yield: (WatchEvent) -> Void) async throws {
        var q: [(String, String)] = [("watch", "true")]
        if let rv = options.resourceVersion { q.append(("resourceVersion", rv)) }
        if options.allowBookmarks { q.append(("allowWatchBookmarks", "true")) }
        if let t = options.timeoutSeconds { q.append(("timeoutSeconds", String(t))) }
        if let l = options.labelSelector { q.append(("labelSelector", l)) }
        if let f = options.fieldSelector { q.append(("fieldSelector", f)) }
        let path = resource.path(namespace: namespace)
        var attempt = 0
        while true {
            attempt += 1
            let creds = try await auth.credentials()
            let request = try makeRequest(method: .GET, path: path, query: q, body: nil, contentType: nil,
                                          accept: "application/json", credentials: creds)
            let response: HTTPClientResponse
            do {
                // The deadline covers only the head: the stream itself may run as long as the server keeps it.
                response = try await http.execute(request, timeout: Self.timeAmount(config.requestTimeout))
            } catch {
                if Task.isCancelled { throw CancellationError() }
                throw KubeError.transport(Self.describe(error, path: path))
            }
            let code = Int(response.status.code)
            if code == 401, attempt == 1, auth.canRefresh {
                _ = try? await response.body.collect(upTo: 1 << 20)
                await auth.invalidate()
                continue
            }
            guard code == 200 else {
                let body = (try? await response.body.collect(upTo: 1 << 20)).map { Array(buffer: $0) } ?? []
                let status = APIStatus.fromResponse(code: code, body: body)
                if code == 410 { throw KubeError.expired(status.message.isEmpty ? "too old resource version" : status.message) }
                throw KubeError.status(status)
            }
            var line: [UInt8] = []
            do {
                for try await chunk in response.body {
                    for byte in chunk.readableBytesView {
                        if byte == UInt8(ascii: "\n") {
                            if let event = try Self.decodeEvent(line) { yield(event) }
                            line.removeAll(keepingCapacity: true)
                        } else {
                            line.append(byte)
                            if line.count > Self.maxBody { throw KubeError.decoding("watch event larger than \(Self.maxBody) bytes") }
                        }
                    }
                }
            } catch let e as KubeError {
                throw e
            } catch {
                if Task.isCancelled { throw CancellationError() }
                throw KubeError.transport(Self.describe(error, path: path))
            }
            if let event = try Self.decodeEvent(line) { yield(event) }
            return
        }
    }

    /// Decodes one `{"type":..., "object":...}` line (blank lines are skipped).
    static func decodeEvent(_ line: [UInt8]) throws -> WatchEvent? {
        guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) else { return nil }
        let node: Node
        do {
            guard let n = try YAMLReader.read(line, file: "watch").first else { return nil }
            node = n
        } catch {
            throw KubeError.decoding("invalid watch event: \(error.message)")
        }
        let object = node["object"] ?? .null
        switch node["type"]?.string {
        case "ADDED": return .added(object)
        case "MODIFIED": return .modified(object)
        case "DELETED": return .deleted(object)
        case "BOOKMARK": return .bookmark(resourceVersion: object["metadata"]?["resourceVersion"]?.string ?? "")
        case "ERROR":
            let status = APIStatus(object) ?? APIStatus(code: 500, reason: "InternalError", message: "watch error")
            if status.code == 410 || status.reason == "Expired" || status.reason == "Gone" {
                throw KubeError.expired(status.message.isEmpty ? "too old resource version" : status.message)
            }
            throw KubeError.status(status)
        default:
            throw KubeError.decoding("unknown watch event type \"\(node["type"]?.string ?? "")\"")
        }
    }
}

/// What a reflector reports: the full set after each (re)list, then the changes.
public enum ReflectorEvent: Sendable {
    /// Everything that exists now (the first list, and every relist after a 410).
    case replaced([Node], resourceVersion: String)
    /// One change after the last list.
    case event(WatchEvent)
}

extension KubeClient {
    /// client-go's reflector loop (tools/cache/reflector.go): list, then watch from the list's
    /// resourceVersion with bookmarks; a clean close re-watches from the last version seen; a
    /// 410 relists (a consistent read) and reports the whole set again. Other errors end the
    /// stream; cancelling the consumer stops it.
    public func reflect(_ resource: ResourceInfo, namespace: String?, labelSelector: String? = nil,
                        timeoutSeconds: Int = 300) -> AsyncThrowingStream<ReflectorEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<ReflectorEvent, any Error>.makeStream()
        let task = Task { [self] in
            do {
                var lastRV: String?
                while !Task.isCancelled {
                    if lastRV == nil {
                        let (items, rv) = try await list(resource, namespace: namespace, labelSelector: labelSelector)
                        continuation.yield(.replaced(items, resourceVersion: rv))
                        lastRV = rv
                    }
                    do {
                        let options = WatchOptions(resourceVersion: lastRV, allowBookmarks: true, timeoutSeconds: timeoutSeconds,
                                                   labelSelector: labelSelector)
                        try await runWatch(resource, namespace: namespace, options: options) { event in
                            if let rv = event.resourceVersion, !rv.isEmpty { lastRV = rv }
                            if case .bookmark = event { return }
                            continuation.yield(.event(event))
                        }
                    } catch let e as KubeError where e.isExpired {
                        lastRV = nil
                    }
                }
                continuation.finish()
            } catch is CancellationError {
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
