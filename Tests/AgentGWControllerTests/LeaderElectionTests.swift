@testable import AgentGWController
import AgentGWKube
import AgentGWModel
import AgentGWTesting
import Foundation
import NIOConcurrencyHelpers
import Testing

/// Lease-based leader election against the test API server: one leader among replicas, a
/// handover when the leader stops, and a takeover of a lease its holder stopped renewing.
@Suite(.timeLimit(.minutes(2))) struct LeaderElectionTests {
    static func client(_ server: TestAPIServer) throws -> KubeClient {
        let kubeconfig = try KubeConfig.parse(Array(server.kubeconfig(token: nil).utf8), file: "/test/kubeconfig")
        var config = try ClientConfig.resolve(kubeconfig, overrides: .init(), environment: ProcessInfo.processInfo.environment)
        config.requestTimeout = .seconds(10)
        return try KubeClient(config: config)
    }

    static func options(_ identity: String) -> LeaderElector.Options {
        var o = LeaderElector.Options(namespace: "default", name: "agentgw-leader", identity: identity)
        o.leaseDuration = .seconds(2)
        o.renewDeadline = .milliseconds(1500)
        o.retryPeriod = .milliseconds(100)
        return o
    }

    /// Polls until `condition` holds, for up to `seconds`.
    static func eventually(_ seconds: Double = 10, _ condition: () async -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return await condition()
    }

    /// Runs `body` with a server and a client, shutting both down however it ends (a KubeClient
    /// released without shutdown aborts the process).
    static func withCluster(_ body: (TestAPIServer, KubeClient) async throws -> Void) async throws {
        let server = try await TestAPIServer.start()
        let client: KubeClient
        do { client = try Self.client(server) } catch { try? await server.shutdown(); throw error }
        var failure: (any Error)?
        do { try await body(server, client) } catch { failure = error }
        try? await client.shutdown()
        try? await server.shutdown()
        if let failure { throw failure }
    }

    @Test func twoReplicasElectOneLeaderAndHandOverWhenItStops() async throws {
        try await Self.withCluster { server, client in
            let a = LeaderElector(client: client, options: Self.options("replica-a"))
            let b = LeaderElector(client: client, options: Self.options("replica-b"))
            let changes = NIOLockedValueBox<[String]>([])
            let runA = Task { await a.run { leading in changes.withLockedValue { $0.append("a:\(leading)") } } }
            let runB = Task { await b.run { leading in changes.withLockedValue { $0.append("b:\(leading)") } } }
            #expect(await Self.eventually { a.isLeader != b.isLeader })
            // Stays one leader over several renewals.
            for _ in 0..<10 {
                #expect(!(a.isLeader && b.isLeader))
                try await Task.sleep(for: .milliseconds(100))
            }
            let (leader, follower, leaderTask, followerTask) = a.isLeader ? (a, b, runA, runB) : (b, a, runB, runA)
            let lease = server.object(group: "coordination.k8s.io", plural: "leases", namespace: "default", name: "agentgw-leader")
            #expect(lease?["spec"]?["holderIdentity"]?.string == leader.options.identity)
            // The leader stops (a rolling update): it releases the lease and the other takes over
            // without waiting out the lease duration.
            leaderTask.cancel()
            await leaderTask.value
            #expect(!leader.isLeader)
            #expect(await Self.eventually(1.5) { follower.isLeader })
            let after = server.object(group: "coordination.k8s.io", plural: "leases", namespace: "default", name: "agentgw-leader")
            #expect(after?["spec"]?["holderIdentity"]?.string == follower.options.identity)
            #expect((after?["spec"]?["leaseTransitions"]?.int ?? 0) >= 1)
            followerTask.cancel()
            await followerTask.value
            // Each replica saw its own rise (and the first leader its fall).
            let seen = changes.withLockedValue { $0 }
            #expect(seen.contains("a:true") && seen.contains("b:true"), "\(seen)")
        }
    }

    @Test func aLeaseItsHolderStoppedRenewingIsTakenOverAndAFreshOneIsNot() async throws {
        try await Self.withCluster { server, client in
            let elector = LeaderElector(client: client, options: Self.options("replica-c"))
            // A fresh lease held by another replica: not taken.
            let fresh = elector.leaseObject(holder: "crashed", acquired: Date(), renewed: Date(), transitions: 4, resourceVersion: nil)
            try server.seed(fresh)
            #expect(try await elector.tryAcquireOrRenew() == false)
            // The same lease, last renewed a minute ago: taken over, with one more transition.
            let stale = elector.leaseObject(holder: "crashed", acquired: Date().addingTimeInterval(-120), renewed: Date().addingTimeInterval(-60),
                                            transitions: 4, resourceVersion: nil)
            try server.seed(stale)
            #expect(try await elector.tryAcquireOrRenew() == true)
            let lease = server.object(group: "coordination.k8s.io", plural: "leases", namespace: "default", name: "agentgw-leader")
            #expect(lease?["spec"]?["holderIdentity"]?.string == "replica-c")
            #expect(lease?["spec"]?["leaseTransitions"]?.int == 5)
            #expect(LeaderElector.parseMicroTime(lease?["spec"]?["renewTime"]?.string ?? "") != nil)
        }
    }
}
