import NIOConcurrencyHelpers

/// Token buckets for `rateLimit.local`, shared by all event loops. Buckets are keyed by the
/// rule's stable id and the scope's key, so they survive reloads that keep the rule.
public final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    /// The outcome of taking a token.
    public struct Decision: Sendable {
        public var allowed: Bool
        public var limit: Int
        public var remaining: Int
        /// Seconds until a token is available again (for Retry-After and x-ratelimit-reset).
        public var resetSeconds: Int
    }

    private let buckets = NIOLockedValueBox<[String: Bucket]>([:])
    private let maxBuckets: Int

    public init(maxBuckets: Int = 100_000) {
        self.maxBuckets = maxBuckets
    }

    /// Takes one token from the rule's bucket for `key`.
    public func take(_ rule: RateLimitRule, key: String, now: ContinuousClock.Instant = .now) -> Decision {
        let capacity = Double(max(rule.burst, 1))
        let windowSeconds = Double(rule.window.components.seconds) + Double(rule.window.components.attoseconds) / 1e18
        let rate = Double(rule.requests) / max(windowSeconds, 0.001)   // tokens per second
        let id = rule.id + "|" + key
        return buckets.withLockedValue { buckets in
            if buckets.count >= maxBuckets, buckets[id] == nil {
                // Bound memory against clients cycling keys: drop the full buckets first.
                buckets = buckets.filter { $0.value.tokens < capacity }
                if buckets.count >= maxBuckets { buckets.removeAll(keepingCapacity: true) }
            }
            var bucket = buckets[id] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + seconds * rate)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[id] = bucket
            let missing = max(0, 1 - bucket.tokens)
            return Decision(allowed: allowed, limit: rule.requests, remaining: Int(bucket.tokens.rounded(.down)),
                            resetSeconds: Int((missing / rate).rounded(.up)))
        }
    }
}
