/// `get` tables, in the columns gwctl and the CRDs' printer columns use:
/// - gateway: NAME CLASS ADDRESS PROGRAMMED AGE (wide: LISTENERS, ATTACHED ROUTES)
/// - route:   NAME HOSTNAMES PARENTS ACCEPTED RESOLVED-REFS AGE (wide: BACKENDS)
/// - backend: NAME TYPE TARGETS AGE
/// - policy:  NAME TARGETS ATTACHED AUTH RATE-LIMIT AGE
public enum ResourceTable {
    public struct Style: Sendable {
        /// `-o wide`: the extra columns.
        public var wide = false
        /// `-A`: a leading NAMESPACE column.
        public var showNamespace = false
        /// `get all`: names as `resource.group/name`, as kubectl prints several kinds.
        public var qualifiedNames = false
        public init(wide: Bool = false, showNamespace: Bool = false, qualifiedNames: Bool = false) {
            self.wide = wide
            self.showNamespace = showNamespace
            self.qualifiedNames = qualifiedNames
        }
    }

    public static func headers(_ kind: DisplayKind, style: Style) -> [String] {
        var h: [String]
        switch kind {
        case .gateway: h = ["NAME", "CLASS", "ADDRESS", "PROGRAMMED", "AGE"] + (style.wide ? ["LISTENERS", "ATTACHED ROUTES"] : [])
        case .route: h = ["NAME", "HOSTNAMES", "PARENTS", "ACCEPTED", "RESOLVED-REFS", "AGE"] + (style.wide ? ["BACKENDS"] : [])
        case .backend: h = ["NAME", "TYPE", "TARGETS", "AGE"]
        case .policy: h = ["NAME", "TARGETS", "ATTACHED", "AUTH", "RATE-LIMIT", "AGE"]
        }
        return style.showNamespace ? ["NAMESPACE"] + h : h
    }

    /// One row per object of `kind` in the snapshot, sorted by namespace then name as kubectl does.
    public static func rows(_ kind: DisplayKind, in snapshot: ClusterSnapshot, style: Style) -> [[String]] {
        let objects = snapshot.objects(kind).sorted { ($0.metaNamespace, $0.metaName) < ($1.metaNamespace, $1.metaName) }
        return objects.map { o in
            let name = style.qualifiedNames ? "\(kind.qualifiedResource)/\(o.metaName)" : o.metaName
            let age = Summary.age(o, now: snapshot.now)
            var row: [String]
            switch kind {
            case .gateway:
                row = [name, Summary.gatewayClass(o), Summary.address(o) ?? "", Summary.conditionStatus("Programmed", o["status"]?["conditions"]), age]
                if style.wide { row += [Summary.listeners(o), String(Summary.attachedRoutes(o, snapshot))] }
            case .route:
                row = [name, Summary.hostnames(o), Summary.parents(o), Summary.parentCondition("Accepted", o),
                       Summary.parentCondition("ResolvedRefs", o), age]
                if style.wide { row.append(Summary.backends(o)) }
            case .backend:
                row = [name, o["spec"]?["type"]?.string ?? "", Summary.backendTargets(o), age]
            case .policy:
                row = [name, Summary.policyTargets(o), Summary.policyAttached(o, snapshot), Summary.auth(o), Summary.rateLimits(o), age]
            }
            return style.showNamespace ? [o.metaNamespace] + row : row
        }
    }

    /// The table as kubectl prints it, or nil when there are no rows (the caller says
    /// "No resources found").
    public static func render(_ kind: DisplayKind, in snapshot: ClusterSnapshot, style: Style) -> String? {
        let r = rows(kind, in: snapshot, style: style)
        if r.isEmpty { return nil }
        return TableWriter.format([headers(kind, style: style)] + r)
    }
}

/// kubectl's tab writer: columns padded by 3 spaces (minimum width 6), no trailing spaces.
public enum TableWriter {
    public static func format(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows {
            for (i, cell) in row.enumerated() where i < columns - 1 {
                widths[i] = max(widths[i], cell.count + 3, 6)
            }
        }
        var out = ""
        for row in rows {
            var line = ""
            for (i, cell) in row.enumerated() {
                line += cell
                if i < row.count - 1 { line += String(repeating: " ", count: max(widths[i] - cell.count, 1)) }
            }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}

/// Column values, shared by tables and describe.
enum Summary {
    static func age(_ o: Node, now: Double) -> String {
        guard let ts = o["metadata"]?["creationTimestamp"]?.string, let t = Timestamp.parse(ts) else { return "<unknown>" }
        return HumanDuration.format(seconds: now - t)
    }

    static func gatewayClass(_ gw: Node) -> String { gw["spec"]?["gatewayClassName"]?.string ?? "" }

    /// The first status address, as `kubectl get gateway` shows.
    static func address(_ gw: Node) -> String? {
        gw["status"]?["addresses"]?.array?.first?["value"]?.string
    }

    static func conditionStatus(_ type: String, _ conditions: Node?) -> String {
        conditions?.array?.first { $0["type"]?.string == type }?["status"]?.string ?? "Unknown"
    }

    static func listeners(_ gw: Node) -> String {
        let items = gw["spec"]?["listeners"]?.array ?? []
        if items.isEmpty { return "<none>" }
        return items.map { l in
            let host = l["hostname"]?.string.map { "\($0):" } ?? ""
            return "\(l["name"]?.string ?? "")=\(host)\(l["port"]?.int.map(String.init) ?? "?")/\(l["protocol"]?.string ?? "")"
        }.joined(separator: ",")
    }

    /// The controller's count (status.listeners[].attachedRoutes) when present, else the routes
    /// in the snapshot whose parentRefs name the Gateway.
    static func attachedRoutes(_ gw: Node, _ snapshot: ClusterSnapshot) -> Int {
        if let listeners = gw["status"]?["listeners"]?.array, !listeners.isEmpty {
            return listeners.reduce(0) { $0 + ($1["attachedRoutes"]?.int ?? 0) }
        }
        return snapshot.routes(attachedTo: gw).count
    }

    static func hostnames(_ route: Node) -> String {
        let h = route["spec"]?["hostnames"]?.array?.compactMap(\.string) ?? []
        return h.isEmpty ? "*" : h.joined(separator: ",")
    }

    static func parents(_ route: Node) -> String {
        let refs = ClusterSnapshot.parentRefs(of: route)
        if refs.isEmpty { return "<none>" }
        return refs.map { r in
            var s = r.display(relativeTo: route.metaNamespace)
            if let section = r.sectionName { s += "/\(section)" }
            return s
        }.joined(separator: ",")
    }

    /// A route condition over all parents: False if any parent says False, True if every
    /// parent says True, else Unknown (no status yet).
    static func parentCondition(_ type: String, _ route: Node) -> String {
        let parents = route["status"]?["parents"]?.array ?? []
        let statuses = parents.map { conditionStatus(type, $0["conditions"]) }
        if statuses.contains("False") { return "False" }
        if !statuses.isEmpty && statuses.allSatisfy({ $0 == "True" }) { return "True" }
        return "Unknown"
    }

    static func backends(_ route: Node) -> String {
        let refs = ClusterSnapshot.backendRefs(of: route)
        if refs.isEmpty { return "<none>" }
        return refs.map { r in
            var s = r.display(relativeTo: route.metaNamespace)
            if let port = r.port { s += ":\(port)" }
            return s
        }.joined(separator: ",")
    }

    static func backendTargets(_ b: Node) -> String {
        let targets = b["spec"]?["mcp"]?["targets"]?.array ?? []
        if targets.isEmpty { return "<none>" }
        return targets.map { t in
            let s = t["static"]
            let proto = s?["protocol"]?.string ?? "StreamableHTTP"
            let path = s?["path"]?.string ?? (proto == "SSE" ? "/sse" : "/mcp")
            return "\(t["name"]?.string ?? "")=\(s?["host"]?.string ?? "?"):\(s?["port"]?.int.map(String.init) ?? "?")\(path)"
        }.joined(separator: ",")
    }

    static func policyTargets(_ p: Node) -> String {
        let refs = ClusterSnapshot.targetRefs(of: p)
        if refs.isEmpty { return "<none>" }
        return refs.map { r in r.sectionName.map { "\(r.display)/\($0)" } ?? r.display }.joined(separator: ",")
    }

    /// The controller's answer (status.ancestors[].conditions Accepted) when present; otherwise
    /// whether every target exists in the snapshot.
    static func policyAttached(_ p: Node, _ snapshot: ClusterSnapshot) -> String {
        if let ancestors = p["status"]?["ancestors"]?.array, !ancestors.isEmpty {
            let statuses = ancestors.map { conditionStatus("Accepted", $0["conditions"]) }
            if statuses.contains("False") { return "False" }
            if statuses.allSatisfy({ $0 == "True" }) { return "True" }
        }
        let refs = ClusterSnapshot.targetRefs(of: p)
        if refs.isEmpty { return "False" }
        return refs.allSatisfy { snapshot.resolve($0) != nil } ? "True" : "False"
    }

    static func auth(_ p: Node) -> String {
        guard let apiKey = p["spec"]?["traffic"]?["authentication"]?["apiKeyAuth"] else { return "None" }
        return "APIKey(\(apiKey["secretRef"]?["name"]?.string ?? "?"))"
    }

    static func rateLimits(_ p: Node) -> String {
        let limits = p["spec"]?["traffic"]?["rateLimit"]?["local"]?.array ?? []
        if limits.isEmpty { return "None" }
        return limits.map(rateLimit).joined(separator: ",")
    }

    /// `100/Minutes` plus `+20` burst and `per APIKey` / `tool T` when given.
    static func rateLimit(_ l: Node) -> String {
        var s = "\(l["requests"]?.int.map(String.init) ?? "?")/\(l["unit"]?.string ?? "Minutes")"
        if let b = l["burst"]?.int { s += "+\(b)" }
        if let per = l["per"]?.string { s += " per \(per)" }
        if let tool = l["tool"]?.string { s += " tool \(tool)" }
        return s
    }
}

/// RFC 3339 timestamps as the API server writes them (`2026-11-26T13:54:31Z`, optional
/// fraction and offset), to seconds since 1970.
public enum Timestamp {
    public static func parse(_ s: String) -> Double? {
        let b = Array(s.utf8)
        guard b.count >= 20 else { return nil }
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= b.count else { return nil }
            var v = 0
            for i in from..<(from + len) {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard let y = num(0, 4), b[4] == 0x2D, let mo = num(5, 2), b[7] == 0x2D, let d = num(8, 2),
              b[10] == 0x54 || b[10] == 0x74 || b[10] == 0x20,
              let h = num(11, 2), b[13] == 0x3A, let mi = num(14, 2), b[16] == 0x3A, let sec = num(17, 2),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, sec < 61 else { return nil }
        var i = 19
        var fraction = 0.0
        if i < b.count && b[i] == 0x2E {
            i += 1
            var scale = 0.1
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 { fraction += Double(b[i] - 0x30) * scale; scale /= 10; i += 1 }
        }
        var offset = 0
        guard i < b.count else { return nil }
        if b[i] == 0x5A || b[i] == 0x7A {
            i += 1
        } else if b[i] == 0x2B || b[i] == 0x2D {
            guard let oh = num(i + 1, 2), b.count > i + 3, b[i + 3] == 0x3A, let om = num(i + 4, 2) else { return nil }
            offset = (oh * 3600 + om * 60) * (b[i] == 0x2B ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm).
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let mp = (mo + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        return Double(days * 86400 + h * 3600 + mi * 60 + sec - offset) + fraction
    }
}

/// kubectl's AGE: `apimachinery/pkg/util/duration.HumanDuration`.
public enum HumanDuration {
    public static func format(seconds: Double) -> String {
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        let s = Int(seconds)
        if s < 60 * 2 { return "\(s)s" }
        let minutes = s / 60
        if minutes < 10 {
            let rem = s % 60
            return rem == 0 ? "\(minutes)m" : "\(minutes)m\(rem)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 {
            let rem = minutes % 60
            return rem == 0 ? "\(hours)h" : "\(hours)h\(rem)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let rem = hours % 24
            return rem == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(rem)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let dy = (hours / 24) % 365
            return dy == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(dy)d"
        }
        return "\(hours / 24 / 365)y"
    }
}
