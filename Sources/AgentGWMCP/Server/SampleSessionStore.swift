// Legacy-era sessions of the sample server: ids minted on `initialize`, the GET streams open on
// each, and their end on DELETE or server stop.

import NIOConcurrencyHelpers

/// Known session ids and the GET streams attached to them.
final class SampleSessionStore: Sendable {
    /// Beyond this many sessions the oldest is forgotten (clients that never DELETE).
    static let maxSessions = 10_000

    private struct State {
        var order: [String] = []
        var streams: [String: [Int: AsyncStream<Void>.Continuation]] = [:]
        var nextStream = 0
        var closed = false
    }

    private let state = NIOLockedValueBox(State())

    /// A new random 128-bit session id (32 lowercase hex digits).
    static func newID() -> String {
        var rng = SystemRandomNumberGenerator()
        return [rng.next() as UInt64, rng.next() as UInt64].map { word in
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// Mints and remembers a session.
    func create() -> String {
        let id = Self.newID()
        let evicted: [AsyncStream<Void>.Continuation] = state.withLockedValue { s in
            s.order.append(id)
            s.streams[id] = [:]
            guard s.order.count > Self.maxSessions else { return [] }
            let oldest = s.order.removeFirst()
            return Array((s.streams.removeValue(forKey: oldest) ?? [:]).values)
        }
        for continuation in evicted { continuation.finish() }
        return id
    }

    func contains(_ id: String) -> Bool {
        state.withLockedValue { $0.streams[id] != nil }
    }

    /// Ends a session and its GET streams; false if it was unknown.
    func remove(_ id: String) -> Bool {
        let streams: [AsyncStream<Void>.Continuation]? = state.withLockedValue { s in
            guard let streams = s.streams.removeValue(forKey: id) else { return nil }
            s.order.removeAll { $0 == id }
            return Array(streams.values)
        }
        guard let streams else { return false }
        for continuation in streams { continuation.finish() }
        return true
    }

    /// A stream that finishes when the session ends (DELETE, eviction or server stop); nil if the
    /// session is unknown.
    func attachStream(to id: String) -> AsyncStream<Void>? {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        let key: Int? = state.withLockedValue { s in
            guard !s.closed, s.streams[id] != nil else { return nil }
            s.nextStream += 1
            s.streams[id]?[s.nextStream] = continuation
            return s.nextStream
        }
        guard let key else { return nil }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLockedValue { s in _ = s.streams[id]?.removeValue(forKey: key) }
        }
        return stream
    }

    /// Ends every GET stream (server stop); later attaches fail.
    func closeAll() {
        let all: [AsyncStream<Void>.Continuation] = state.withLockedValue { s in
            s.closed = true
            return s.streams.values.flatMap { Array($0.values) }
        }
        for continuation in all { continuation.finish() }
    }
}
