/// `probe --repeat N`: runs whole probes with bounded concurrency and summarizes latency.
public struct RepeatSummary: Sendable {
    public var runs: Int
    public var latencies: [Duration]   // successful runs, sorted
    public var errors: [String: Int]   // by class
    /// Exit codes of the failures seen.
    public var exitCodes: Set<Int32> = []

    public func percentile(_ p: Double) -> Duration? {
        guard !latencies.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(latencies.count)).rounded(.up)) - 1
        return latencies[max(0, min(latencies.count - 1, rank))]
    }
}

public enum RepeatedProbe {
    public static func run(_ probe: Probe, count: Int, concurrency: Int, interval: Duration) async -> RepeatSummary {
        var latencies: [Duration] = []
        var errors: [String: Int] = [:]
        var codes: Set<Int32> = []
        await withTaskGroup(of: ProbeResult.self) { group in
            var started = 0
            func startNext() {
                guard started < count else { return }
                started += 1
                group.addTask { await probe.run() }
            }
            for _ in 0..<min(concurrency, count) { startNext() }
            while let result = await group.next() {
                if let e = result.error {
                    errors[e.errorClass, default: 0] += 1
                    codes.insert(e.exitCode)
                } else {
                    latencies.append(result.total)
                }
                if interval > .zero { try? await Task.sleep(for: interval) }
                startNext()
            }
        }
        return RepeatSummary(runs: count, latencies: latencies.sorted(), errors: errors, exitCodes: codes)
    }
}
