import AgentGWGateway
import AgentGWKube
import AgentGWModel
import Foundation
import NIOConcurrencyHelpers

/// Kubernetes Events (core/v1, what `kubectl describe` lists) about the objects the controller
/// serves, like client-go's event recorder: an event repeated within ten minutes bumps the
/// `count` and `lastTimestamp` of the first instead of adding another. Recording never fails
/// the caller: an API error is logged (once, for a missing permission) and the event dropped.
public final class EventRecorder: Sendable {
    /// The object an event is about.
    public struct Subject: Sendable, Hashable {
        public var apiVersion: String
        public var kind: String
        public var namespace: String
        public var name: String
        public var uid: String

        public init(apiVersion: String, kind: String, namespace: String, name: String, uid: String) {
            self.apiVersion = apiVersion
            self.kind = kind
            self.namespace = namespace
            self.name = name
            self.uid = uid
        }

        /// From a cached object (it carries apiVersion, kind and metadata).
        public init(_ object: Node) {
            self.init(apiVersion: object["apiVersion"]?.string ?? "", kind: object["kind"]?.string ?? "", namespace: object.metaNamespace,
                      name: object.metaName, uid: object["metadata"]?["uid"]?.string ?? "")
        }
    }

    public enum EventType: String, Sendable { case normal = "Normal", warning = "Warning" }

    struct Key: Hashable {
        var subject: Subject
        var reason: String
        var message: String
    }

    struct Sent {
        var name: String
        var count: Int
        var first: String
        var at: ContinuousClock.Instant
    }

    static let resource = ResourceInfo(group: "", version: "v1", kind: "Event", plural: "events", namespaced: true)
    static let component = "kubectl-agentgw"
    /// The API server rejects longer messages.
    static let maxMessage = 1024
    static let aggregationWindow: Duration = .seconds(600)

    let client: KubeClient
    let host: String
    let log: EventLog
    let sent = NIOLockedValueBox<[Key: Sent]>([:])
    let warnedForbidden = NIOLockedValueBox(false)

    public init(client: KubeClient, host: String, log: EventLog) {
        self.client = client
        self.host = host
        self.log = log
    }

    public func record(_ subject: Subject, _ type: EventType, reason: String, message: String) async {
        let text = message.count > Self.maxMessage ? String(message.prefix(Self.maxMessage - 3)) + "..." : message
        let key = Key(subject: subject, reason: reason, message: text)
        let now = ContinuousClock.now
        let stamp = KubernetesController.now()
        let previous = sent.withLockedValue { s -> Sent? in
            guard let p = s[key], now - p.at < Self.aggregationWindow else { return nil }
            s[key]?.count += 1
            s[key]?.at = now
            return s[key]
        }
        do {
            if let previous {
                let patch: Node = ["count": .int(previous.count), "lastTimestamp": .string(stamp)]
                _ = try await client.mergePatch(patch, Self.resource, namespace: subject.namespace, name: previous.name)
                return
            }
            let name = "\(subject.name).\(String(UInt64(Date().timeIntervalSince1970 * 1e9), radix: 16))"
            let event: Node = [
                "apiVersion": "v1", "kind": "Event",
                "metadata": ["name": .string(name), "namespace": .string(subject.namespace)],
                "involvedObject": ["apiVersion": .string(subject.apiVersion), "kind": .string(subject.kind), "namespace": .string(subject.namespace),
                                   "name": .string(subject.name), "uid": .string(subject.uid)],
                "type": .string(type.rawValue), "reason": .string(reason), "message": .string(text),
                "count": 1, "firstTimestamp": .string(stamp), "lastTimestamp": .string(stamp),
                "source": ["component": .string(Self.component), "host": .string(host)],
                "reportingComponent": .string(Self.component), "reportingInstance": .string(host),
            ]
            _ = try await client.create(event, Self.resource, namespace: subject.namespace)
            sent.withLockedValue { s in
                s[key] = Sent(name: name, count: 1, first: stamp, at: now)
                // Keep the table bounded: forget aggregations past their window.
                if s.count > 4096 { s = s.filter { now - $0.value.at < Self.aggregationWindow } }
            }
        } catch let e as KubeError where e.apiStatus?.code == 403 {
            if warnedForbidden.withLockedValue({ w in defer { w = true }; return !w }) {
                log.log(.warning, "cannot record Kubernetes Events (RBAC: create/patch events); continuing without them", [("error", "\(e)")])
            }
        } catch {
            log.log(.debug, "event not recorded", [("reason", reason), ("error", "\(error)")])
        }
    }
}
