import NIOConcurrencyHelpers

/// Holds the current `RuntimeConfig`. Readers take a snapshot per request; a reload replaces
/// the whole value, so a request never sees half of one config and half of another.
public final class ConfigStore: Sendable {
    private let box: NIOLockedValueBox<RuntimeConfig>

    public init(_ config: RuntimeConfig) {
        box = NIOLockedValueBox(config)
    }

    public var current: RuntimeConfig { box.withLockedValue { $0 } }

    public func swap(_ config: RuntimeConfig) {
        box.withLockedValue { $0 = config }
    }
}
