/// The routes of one listener port, in Gateway API precedence order.
///
/// Built once per compile; `match` runs per request on the event loop, so everything that can
/// be decided ahead (sorting, hostname grouping, regex compilation) is decided in `init`.
///
/// Selection of a rule for a request:
/// 1. **Listener isolation**: among the Gateway listeners on this port, the one with the most
///    specific hostname that accepts the request's Host (exact, then the longest `*.` wildcard,
///    then a listener without hostname) is chosen; only routes attached through listeners
///    with that hostname are considered. No such listener → no match (404).
/// 2. **Hostname**: routes whose hostname equals the Host come first, then routes with
///    wildcard hostnames matching it (longest first), then routes without hostnames. A group
///    in which no rule matches falls through to the next.
/// 3. **Within a group**, Gateway API rule precedence: Exact path, then PathPrefix by length
///    (longest first), then RegularExpression (implementation-specific: longer pattern first);
///    then a method match; then more header matches; then more query param matches; then the
///    oldest route (`metadata.creationTimestamp`, else input order), then `namespace/name`
///    alphabetically, then rule order and match order within the route.
public struct RouteTable: Sendable {
    /// One match of one rule, as attached through one listener.
    public struct Entry: Sendable {
        /// Hostname of the listener the route attached through (nil: any host).
        public var listenerHostname: String?
        /// The route's hostnames intersected with the listener's; empty means any host the
        /// listener accepts. Lowercase.
        public var hostnames: [String]
        public var matcher: RequestMatcher
        public var rule: CompiledRule
        public var order: Order

        public init(listenerHostname: String?, hostnames: [String], matcher: RequestMatcher, rule: CompiledRule, order: Order) {
            self.listenerHostname = listenerHostname?.lowercased()
            self.hostnames = hostnames.map { $0.lowercased() }
            self.matcher = matcher
            self.rule = rule
            self.order = order
        }
    }

    /// The tie-breakers after the match-specific criteria, compared field by field.
    public struct Order: Sendable, Comparable {
        /// `metadata.creationTimestamp` of the route (RFC 3339), or "" when unknown.
        public var created: String
        /// Position of the route in the input.
        public var inputIndex: Int
        /// `namespace/name` of the route.
        public var routeName: String
        public var ruleIndex: Int
        public var matchIndex: Int

        public init(created: String = "", inputIndex: Int, routeName: String, ruleIndex: Int, matchIndex: Int) {
            self.created = created
            self.inputIndex = inputIndex
            self.routeName = routeName
            self.ruleIndex = ruleIndex
            self.matchIndex = matchIndex
        }

        public static func < (a: Order, b: Order) -> Bool {
            (a.created, a.inputIndex, a.routeName, a.ruleIndex, a.matchIndex) < (b.created, b.inputIndex, b.routeName, b.ruleIndex, b.matchIndex)
        }
    }

    /// Entries sharing a route hostname specificity, already sorted by rule precedence.
    struct HostGroups: Sendable {
        var exact: [String: [Entry]] = [:]
        /// `(".example.com", entries)`, longest suffix first.
        var wildcards: [(suffix: String, entries: [Entry])] = []
        var any: [Entry] = []

        init(_ entries: [Entry]) {
            var wild: [String: [Entry]] = [:]
            for e in entries {
                if e.hostnames.isEmpty { any.append(e); continue }
                for h in e.hostnames {
                    if h.hasPrefix("*.") { wild[String(h.dropFirst()), default: []].append(e) } else { exact[h, default: []].append(e) }
                }
            }
            wildcards = wild.map { ($0.key, $0.value) }.sorted { $0.suffix.count != $1.suffix.count ? $0.suffix.count > $1.suffix.count : $0.suffix < $1.suffix }
        }

        func match(_ request: RequestInfo) -> RouteMatch? {
            if let list = exact[request.host], let m = RouteTable.first(list, request) { return m }
            for w in wildcards where RouteTable.hostHasSuffix(request.host, w.suffix) {
                if let m = RouteTable.first(w.entries, request) { return m }
            }
            return RouteTable.first(any, request)
        }
    }

    /// Every entry, in precedence order (hostname grouping aside), for /config and tests.
    public let entries: [Entry]
    let listenerExact: [String: HostGroups]
    let listenerWildcards: [(suffix: String, groups: HostGroups)]
    let listenerAny: HostGroups?

    public init() { self.init(entries: [], listenerHostnames: []) }

    /// Sorts and indexes `entries` (in any order) for matching; the listeners are those the
    /// entries name.
    public init(entries: [Entry]) {
        self.init(entries: entries, listenerHostnames: entries.map(\.listenerHostname))
    }

    /// Sorts and indexes `entries` (in any order) for matching. `listenerHostnames` are the
    /// hostnames (nil: none) of every Gateway listener on the port, routes or not, so a host
    /// that selects a listener without routes gets 404 rather than another listener's routes.
    public init(entries: [Entry], listenerHostnames: [String?]) {
        let sorted = entries.sorted(by: RouteTable.precedes)
        self.entries = sorted
        var byListener: [String: [Entry]] = [:]
        var anyListener: [Entry] = []
        var sawAnyListener = false
        for h in listenerHostnames {
            if let h { byListener[h.lowercased(), default: []] += [] } else { sawAnyListener = true }
        }
        for e in sorted {
            if let h = e.listenerHostname { byListener[h, default: []].append(e) } else { anyListener.append(e); sawAnyListener = true }
        }
        var exact: [String: HostGroups] = [:]
        var wild: [(suffix: String, groups: HostGroups)] = []
        for (h, list) in byListener {
            if h.hasPrefix("*.") { wild.append((String(h.dropFirst()), HostGroups(list))) } else { exact[h] = HostGroups(list) }
        }
        listenerExact = exact
        listenerWildcards = wild.sorted { $0.suffix.count != $1.suffix.count ? $0.suffix.count > $1.suffix.count : $0.suffix < $1.suffix }
        listenerAny = sawAnyListener ? HostGroups(anyListener) : nil
    }

    public static let empty = RouteTable()

    /// The rule for a request, or nil (404).
    public func match(_ request: RequestInfo) -> RouteMatch? {
        let groups: HostGroups
        if let g = listenerExact[request.host] {
            groups = g
        } else if let w = listenerWildcards.first(where: { Self.hostHasSuffix(request.host, $0.suffix) }) {
            groups = w.groups
        } else if let a = listenerAny {
            groups = a
        } else {
            return nil
        }
        return groups.match(request)
    }

    static func first(_ list: [Entry], _ request: RequestInfo) -> RouteMatch? {
        for e in list where e.matcher.matches(request) {
            if case .prefix(let p) = e.matcher.path { return RouteMatch(rule: e.rule, matchedPrefix: p) }
            return RouteMatch(rule: e.rule, matchedPrefix: nil)
        }
        return nil
    }

    /// Whether `host` ends in `suffix` (".example.com") with at least one more character.
    static func hostHasSuffix(_ host: String, _ suffix: String) -> Bool {
        host.utf8.count > suffix.utf8.count && host.utf8.reversed().starts(with: suffix.utf8.reversed())
    }

    /// Gateway API rule precedence (see the type's documentation).
    static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        func rank(_ m: RequestMatcher) -> (Int, Int) {
            switch m.path {
            case .exact(let v): return (0, -v.utf8.count)
            case .prefix: return (1, -m.normalizedPrefix.utf8.count)
            case .regularExpression(let re): return (2, -re.pattern.utf8.count)
            }
        }
        let ra = rank(a.matcher), rb = rank(b.matcher)
        if ra != rb { return ra < rb }
        let ma = a.matcher.method != nil, mb = b.matcher.method != nil
        if ma != mb { return ma }
        if a.matcher.headers.count != b.matcher.headers.count { return a.matcher.headers.count > b.matcher.headers.count }
        if a.matcher.queryParams.count != b.matcher.queryParams.count { return a.matcher.queryParams.count > b.matcher.queryParams.count }
        return a.order < b.order
    }
}
