import Foundation

/// What `probe` should do.
public struct ProbeOptions: Sendable {
    public var url: String
    public var era: EraPreference = .auto
    public var transport: MCPTransportKind?
    public var listResources = false
    public var listPrompts = false
    public var callTool: String?
    public var callArguments: JSONValue = .object([:])
    public var method: String?
    public var methodParams: JSONValue?
    public var strict = false
    /// The credential header, e.g. `("Authorization", "Bearer k")`; never printed.
    public var credential: (name: String, value: String)?

    public init(url: String) { self.url = url }
}

/// One tool, prompt or resource as listed.
public struct ListedItem: Sendable {
    public var name: String
    public var title: String?
    public var description: String?
}

/// A warning from `--strict`: which spec rule the server broke.
public struct SpecWarning: Sendable {
    public var rule: String
    public var message: String
}

/// Everything a probe learned, in the order it happened.
public struct ProbeResult: Sendable {
    public var url: String
    public var server: ServerDescription?
    public var tools: [ListedItem] = []
    public var toolPages = 0
    public var resources: [ListedItem]?
    public var prompts: [ListedItem]?
    public var callResult: JSONValue?
    public var methodResult: JSONValue?
    public var timings: [(step: String, duration: Duration)] = []
    public var warnings: [SpecWarning] = []
    public var error: MCPClientError?

    public var total: Duration { timings.first { $0.step == "total" }?.duration ?? .zero }
}

/// Runs the probe steps: connect, handshake, list (all pages), optional extras, close.
public struct Probe: Sendable {
    public var options: ProbeOptions
    public var transportOptions: TransportOptions
    public var observer: MessageObserver?

    public init(options: ProbeOptions, transportOptions: TransportOptions, observer: MessageObserver? = nil) {
        self.options = options
        self.transportOptions = transportOptions
        self.observer = observer
    }

    /// Runs once. Errors are recorded in the result, never thrown, so reports stay complete.
    public func run() async -> ProbeResult {
        var result = ProbeResult(url: options.url)
        let clock = ContinuousClock()
        let start = clock.now
        defer { _ = start }
        let http: HTTPTransport
        do { http = try HTTPTransport(options: transportOptions) } catch {
            result.error = error
            return result
        }
        await run(into: &result, http: http, clock: clock)
        await http.shutdown()
        result.timings.append(("total", clock.now - start))
        return result
    }

    func run(into result: inout ProbeResult, http: HTTPTransport, clock: ContinuousClock) async {
        var connection: (any MCPConnection)?
        do {
            var t = clock.now
            // Through a proxy, "connect" is the TCP connect to the proxy.
            let connectURL = transportOptions.proxy.map { $0.contains("://") ? $0 : "http://\($0)" } ?? options.url
            result.timings.append(("connect", try await HTTPTransport.measureConnect(url: connectURL, timeout: transportOptions.timeout)))
            t = clock.now
            let auth = options.credential.map { [($0.name, $0.value)] } ?? []
            let conn = try await MCPConnector.connect(url: options.url, era: options.era, transport: options.transport,
                                                      http: http, auth: auth, observer: observer)
            connection = conn
            result.server = await conn.server
            result.timings.append(("handshake", clock.now - t))

            t = clock.now
            let (tools, pages) = try await listAll(conn, method: "tools/list", key: "tools")
            result.tools = tools
            result.toolPages = pages
            result.timings.append(("tools/list", clock.now - t))

            if options.listResources {
                t = clock.now
                result.resources = try await listAll(conn, method: "resources/list", key: "resources").0
                result.timings.append(("resources/list", clock.now - t))
            }
            if options.listPrompts {
                t = clock.now
                result.prompts = try await listAll(conn, method: "prompts/list", key: "prompts").0
                result.timings.append(("prompts/list", clock.now - t))
            }
            if let tool = options.callTool {
                t = clock.now
                let callResult = try await conn.request("tools/call", params: ["name": .string(tool), "arguments": options.callArguments])
                result.callResult = callResult
                result.timings.append(("tools/call", clock.now - t))
                if callResult["isError"]?.bool == true {
                    let text = callResult["content"]?.array?.compactMap { $0["text"]?.string }.joined(separator: " ") ?? ""
                    throw MCPClientError.tool("tool \(tool) returned an error: \(text.isEmpty ? "isError: true" : text)")
                }
            }
            if let method = options.method {
                t = clock.now
                result.methodResult = try await conn.request(method, params: options.methodParams)
                result.timings.append((method, clock.now - t))
            }
            if options.strict, let c = conn as? StreamableHTTPConnection {
                result.warnings = await StrictChecks(connection: c, url: options.url, tools: result.tools).run()
            }
        } catch let error as MCPClientError {
            result.error = error
        } catch {
            result.error = .protocolViolation("\(error)")
        }
        await connection?.close()
    }

    /// Follows `nextCursor` until the server stops giving one (bounded, against loops).
    func listAll(_ conn: any MCPConnection, method: String, key: String) async throws(MCPClientError) -> ([ListedItem], Int) {
        var items: [ListedItem] = []
        var cursor: String?
        var pages = 0
        var seen = Set<String>()
        repeat {
            let params: JSONValue? = cursor.map { ["cursor": .string($0)] }
            let page = try await conn.request(method, params: params)
            pages += 1
            for item in page[key]?.array ?? [] {
                items.append(ListedItem(name: item["name"]?.string ?? item["uri"]?.string ?? "",
                                        title: item["title"]?.string, description: item["description"]?.string))
            }
            cursor = page["nextCursor"]?.string
            if let c = cursor, !seen.insert(c).inserted {
                throw .protocolViolation("\(method): the server repeated cursor \"\(c)\"")
            }
        } while cursor != nil && pages < 1000
        return (items, pages)
    }
}
