import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Receives one upstream response, part by part, on the event loop.
protocol UpstreamDelegate: AnyObject {
    func upstreamHead(_ head: HTTPResponseHead)
    func upstreamBody(_ buffer: ByteBuffer)
    func upstreamEnd()
    func upstreamFailed(_ error: any Error)
}

/// A keep-alive HTTP/1.1 connection to an upstream, owned by one event loop.
/// Unchecked Sendable: it crosses no threads; futures merely carry it on its own loop.
final class UpstreamConnection: @unchecked Sendable {
    let channel: Channel
    let key: String
    /// The exchange using this connection, if any.
    weak var delegate: (any UpstreamDelegate)?
    /// False once the upstream said `Connection: close` or the exchange was abandoned.
    var reusable = true

    init(channel: Channel, key: String) {
        self.channel = channel
        self.key = key
    }
}

/// Hands response parts from the upstream channel to its current exchange.
final class UpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    /// Strong until the channel goes inactive, which breaks the channel ↔ connection cycle.
    var connection: UpstreamConnection?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let delegate = connection?.delegate else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            if !head.isKeepAlive { connection?.reusable = false }
            delegate.upstreamHead(head)
        case .body(let buffer):
            delegate.upstreamBody(buffer)
        case .end:
            connection?.delegate = nil
            delegate.upstreamEnd()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        connection?.reusable = false
        if let delegate = connection?.delegate {
            connection?.delegate = nil
            delegate.upstreamFailed(error)
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection?.reusable = false
        if let delegate = connection?.delegate {
            connection?.delegate = nil
            delegate.upstreamFailed(ChannelError.eof)
        }
        connection = nil
        context.fireChannelInactive()
    }
}

/// Idle keep-alive connections per upstream address, for one event loop. Proxied requests run
/// entirely on the loop that accepted the client, so the pool needs no locks.
final class UpstreamPool {
    let eventLoop: EventLoop
    let connectTimeout: TimeAmount
    var idle: [String: [UpstreamConnection]] = [:]
    let maxIdlePerKey = 128

    init(eventLoop: EventLoop, connectTimeout: TimeAmount) {
        self.eventLoop = eventLoop
        self.connectTimeout = connectTimeout
    }

    /// An idle connection to `host:port`, or a new one; over TLS with `tls` (SNI and the
    /// certificate check use `serverName`, the manifest's host, unless it is an IP address).
    func acquire(host: String, port: Int, tls: (context: NIOSSLContext, serverName: String)? = nil) -> EventLoopFuture<UpstreamConnection> {
        let key = tls.map { "tls:\($0.serverName)@\(host):\(port)" } ?? "\(host):\(port)"
        while var list = idle[key], let conn = list.popLast() {
            idle[key] = list
            if conn.channel.isActive && conn.reusable { return eventLoop.makeSucceededFuture(conn) }
        }
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        let isIP = (try? SocketAddress(ipAddress: tls.serverName, port: 0)) != nil
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls.context, serverHostname: isIP ? nil : tls.serverName))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(UpstreamHandler())
                }
            }
        return bootstrap.connect(host: host, port: port).flatMapThrowing { channel in
            let conn = UpstreamConnection(channel: channel, key: key)
            let handler = try channel.pipeline.syncOperations.handler(type: UpstreamHandler.self)
            handler.connection = conn
            return conn
        }
    }

    /// Returns a connection after its response ended, or closes it.
    func release(_ conn: UpstreamConnection) {
        conn.delegate = nil
        guard conn.reusable, conn.channel.isActive, (idle[conn.key]?.count ?? 0) < maxIdlePerKey else {
            conn.channel.close(promise: nil)
            return
        }
        idle[conn.key, default: []].append(conn)
    }

    /// Closes a connection whose exchange was abandoned mid-response.
    func discard(_ conn: UpstreamConnection) {
        conn.delegate = nil
        conn.reusable = false
        conn.channel.close(promise: nil)
    }

    func closeAll() {
        for list in idle.values { for c in list { c.channel.close(promise: nil) } }
        idle.removeAll()
    }
}
