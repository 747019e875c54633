/// Who may write status and Services: the Lease holder. Every replica serves traffic.
public protocol LeadershipSource: Sendable {
    var isLeader: Bool { get }
}

extension LeaderElector: LeadershipSource {}

/// A single replica (`--leader-elect=false`): always the leader.
public struct AlwaysLeader: LeadershipSource {
    public init() {}
    public var isLeader: Bool { true }
}
