// `kubectl agentgw sample-server`: a small dual-era MCP server (echo, add, time, fetch) on
// SwiftNIO, so the tutorial's demo server, the tests and the quickstarts need no Python.
//
// Layout: this file binds the listener and owns the lifetime; SampleHTTPConnection reads HTTP
// requests and writes replies; SampleDispatcher applies the transport rules of both eras;
// SampleMethods answers JSON-RPC methods; SampleTools/SampleFetch implement the tools;
// SampleSessionStore keeps legacy sessions and their GET streams.

import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// How ``SampleServer`` listens and answers.
public struct SampleServerOptions: Sendable {
    /// Address to bind (`127.0.0.1` keeps the server local).
    public var host = "127.0.0.1"
    /// Port to bind; 0 picks a free port (read it back from ``SampleServer/port``).
    public var port = 8000
    /// The MCP endpoint path.
    public var path = "/mcp"
    /// Legacy era: answer requests with `application/json` instead of an SSE stream (the SDK's
    /// default is SSE). The modern era always answers JSON unless it streams progress.
    public var jsonResponse = false
    /// Legacy era: no sessions (no `Mcp-Session-Id`, no GET stream, no DELETE).
    public var stateless = false
    /// `serverInfo.version` reported to clients.
    public var serverVersion = "0.1.0"
    /// Interval of `: keepalive` comments on legacy GET streams.
    public var keepAliveInterval: Duration = .seconds(15)
    /// Largest request body accepted (413 beyond).
    public var maxBodyBytes = 4 << 20

    /// Defaults: `http://127.0.0.1:8000/mcp`, SSE responses, sessions on.
    public init() {}
}

/// Errors starting the sample server.
public struct SampleServerError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// A built-in MCP server speaking both protocol eras on one Streamable HTTP endpoint.
///
/// Legacy clients (≤ 2025-11-25) get the handshake, sessions, SSE or JSON responses and a GET
/// stream; modern clients (2026-07-28) get `server/discover` and stateless requests validated
/// against the `MCP-Protocol-Version`, `Mcp-Method` and `Mcp-Name` headers.
public final class SampleServer: Sendable {
    /// The options the server runs with (`port` is the requested one; see ``port``).
    public let options: SampleServerOptions
    /// The port the listener is bound to.
    public let port: Int

    private let serverChannel: any Channel
    private let acceptTask: Task<Void, Never>
    private let connections: SampleConnectionRegistry
    private let sessions: SampleSessionStore
    private let fetcher: SampleFetcher
    private let stopped = NIOLockedValueBox(false)

    private init(options: SampleServerOptions, port: Int, serverChannel: any Channel, acceptTask: Task<Void, Never>,
                 connections: SampleConnectionRegistry, sessions: SampleSessionStore, fetcher: SampleFetcher) {
        self.options = options
        self.port = port
        self.serverChannel = serverChannel
        self.acceptTask = acceptTask
        self.connections = connections
        self.sessions = sessions
        self.fetcher = fetcher
    }

    /// Binds the listener and starts serving. Call ``stop()`` when done.
    public static func start(_ options: SampleServerOptions) async throws -> SampleServer {
        guard options.path.hasPrefix("/") else { throw SampleServerError("--path must start with \"/\", got \"\(options.path)\"") }
        guard (0...65535).contains(options.port) else { throw SampleServerError("--port must be 0 to 65535, got \(options.port)") }
        let sessions = SampleSessionStore()
        let fetcher = SampleFetcher()
        let dispatcher = SampleDispatcher(options: options, sessions: sessions,
                                          methods: SampleMethods(options: options, tools: SampleTools(fetcher: fetcher)))
        let connections = SampleConnectionRegistry()
        let listener: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
        do {
            listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 256)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: options.host, port: options.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            await fetcher.shutdown()
            throw SampleServerError("cannot listen on \(options.host):\(options.port): \(error)")
        }
        let boundPort = listener.channel.localAddress?.port ?? options.port
        let maxBody = options.maxBodyBytes
        let task = Task<Void, Never> {
            _ = try? await listener.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        group.addTask {
                            let id = connections.add(connection.channel)
                            defer { connections.remove(id) }
                            await SampleHTTPConnection(dispatcher: dispatcher, maxBodyBytes: maxBody).serve(connection)
                        }
                    }
                }
            }
        }
        return SampleServer(options: options, port: boundPort, serverChannel: listener.channel, acceptTask: task,
                            connections: connections, sessions: sessions, fetcher: fetcher)
    }

    /// The endpoint URL clients connect to (`http://HOST:PORT/PATH`, IPv6 hosts bracketed).
    public var url: String {
        let host = options.host.contains(":") && !options.host.hasPrefix("[") ? "[\(options.host)]" : options.host
        return "http://\(host):\(port)\(options.path)"
    }

    /// Closes the listener, ends open GET streams and connections, and releases the fetch
    /// client. Safe to call more than once.
    public func stop() async {
        let first = stopped.withLockedValue { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        sessions.closeAll()
        serverChannel.close(promise: nil)
        connections.closeAll()
        acceptTask.cancel()
        await acceptTask.value
        await fetcher.shutdown()
    }
}

/// The open client connections, so ``SampleServer/stop()`` can close idle keep-alive ones.
final class SampleConnectionRegistry: Sendable {
    private let state = NIOLockedValueBox<(next: Int, channels: [Int: any Channel])>((0, [:]))

    func add(_ channel: any Channel) -> Int {
        state.withLockedValue { s in
            s.next += 1
            s.channels[s.next] = channel
            return s.next
        }
    }

    func remove(_ id: Int) {
        _ = state.withLockedValue { $0.channels.removeValue(forKey: id) }
    }

    func closeAll() {
        let channels = state.withLockedValue { Array($0.channels.values) }
        for channel in channels { channel.close(promise: nil) }
    }
}
