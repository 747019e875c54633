import AgentGWMCP
import NIOConcurrencyHelpers

/// Requests a multiplexed Backend is forwarding right now, so a client's
/// `notifications/cancelled` reaches the target that is working on it, under the id that target
/// knows. Keyed by the client's session and request id. In-process: a cancellation has to reach
/// the replica holding the request, as it does when a client keeps its connection.
final class InflightCalls: Sendable {
    struct Key: Hashable, Sendable {
        var session: String
        var id: JSONRPCID
    }

    struct Call: Sendable {
        var cancel: @Sendable (_ reason: String?) -> Void
    }

    private let calls = NIOLockedValueBox<[Key: Call]>([:])

    func add(_ key: Key, _ call: Call) { calls.withLockedValue { $0[key] = call } }
    func remove(_ key: Key) { calls.withLockedValue { _ = $0.removeValue(forKey: key) } }
    var count: Int { calls.withLockedValue { $0.count } }

    /// Cancels the call; false if there is none (already answered, or on another replica).
    @discardableResult
    func cancel(_ key: Key, reason: String?) -> Bool {
        guard let call = calls.withLockedValue({ $0.removeValue(forKey: key) }) else { return false }
        call.cancel(reason)
        return true
    }
}
