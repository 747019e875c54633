import AgentGWModel

/// A regular expression compiled once at config compile time that must match a whole value.
///
/// It runs on `GoRegex` (RE2 syntax, linear time, no backtracking), so a hostile pattern or
/// request cannot stall the event loop.
public struct CompiledRegex: Sendable {
    /// The pattern as written in the manifest.
    public let pattern: String
    let regex: GoRegex

    /// Compiles `pattern` to match entire values; nil when the syntax is not supported.
    public init?(fullMatch pattern: String) {
        guard let regex = GoRegex("^(?:\(pattern))$") else { return nil }
        self.pattern = pattern
        self.regex = regex
    }

    /// Whether the whole of `text` matches.
    public func matches(_ text: String) -> Bool { regex.matches(text) }
}

/// One compiled `HTTPRouteMatch`: path, method, headers and query parameters, all of which
/// must hold.
public struct RequestMatcher: Sendable {
    /// The path condition.
    public enum PathMatch: Sendable {
        /// The path equals the value.
        case exact(String)
        /// The path starts with the value, segment-wise. Stored as written (`/foo/`); matching
        /// ignores a trailing slash.
        case prefix(String)
        /// The whole path matches the expression.
        case regularExpression(CompiledRegex)
    }

    /// How a header or query parameter value is compared.
    public enum ValueMatch: Sendable {
        case exact(String)
        case regularExpression(CompiledRegex)

        func matches(_ value: String) -> Bool {
            switch self {
            case .exact(let v): return v == value
            case .regularExpression(let re): return re.matches(value)
            }
        }
    }

    /// One header (name lowercased; compared case-insensitively) or query parameter (name
    /// compared exactly) condition.
    public struct FieldMatch: Sendable {
        public var name: String
        public var value: ValueMatch
        public init(name: String, value: ValueMatch) {
            self.name = name
            self.value = value
        }
    }

    /// The path condition (a rule without matches gets PathPrefix `/`).
    public let path: PathMatch
    /// Upper-case method, when the match names one.
    public var method: String?
    /// Header conditions, names lowercased, the first per name only.
    public var headers: [FieldMatch]
    /// Query parameter conditions, the first per name only.
    public var queryParams: [FieldMatch]
    /// The prefix without its trailing slash ("" for "/"), for `.prefix`.
    let normalizedPrefix: String

    public init(path: PathMatch, method: String? = nil, headers: [FieldMatch] = [], queryParams: [FieldMatch] = []) {
        self.path = path
        self.method = method
        // Only the first condition per name counts (Gateway API); header names ignore case.
        var seenHeaders = Set<String>()
        self.headers = headers.compactMap { h in
            let name = h.name.lowercased()
            return seenHeaders.insert(name).inserted ? FieldMatch(name: name, value: h.value) : nil
        }
        var seenQuery = Set<String>()
        self.queryParams = queryParams.filter { seenQuery.insert($0.name).inserted }
        if case .prefix(let p) = path {
            var trimmed = Substring(p)
            while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
            normalizedPrefix = String(trimmed)
        } else {
            normalizedPrefix = ""
        }
    }

    /// The default match of a rule without matches: every path.
    public static let everything = RequestMatcher(path: .prefix("/"))

    /// The path value as written (for /config and for `RouteMatch.matchedPrefix`).
    public var pathValue: String {
        switch path {
        case .exact(let v), .prefix(let v): return v
        case .regularExpression(let re): return re.pattern
        }
    }

    /// `Exact`, `PathPrefix` or `RegularExpression`.
    public var pathType: String {
        switch path {
        case .exact: return "Exact"
        case .prefix: return "PathPrefix"
        case .regularExpression: return "RegularExpression"
        }
    }

    /// Whether the request meets every condition.
    public func matches(_ request: RequestInfo) -> Bool {
        guard pathMatches(request.path) else { return false }
        if let method, method != request.method { return false }
        for h in headers {
            guard request.headers.contains(where: { Self.equalsIgnoringCase($0.name, h.name) && h.value.matches($0.value) }) else {
                return false
            }
        }
        for q in queryParams {
            // A repeated parameter: the first occurrence counts.
            guard let value = request.query.first(where: { $0.name == q.name })?.value, q.value.matches(value) else { return false }
        }
        return true
    }

    func pathMatches(_ requestPath: String) -> Bool {
        switch path {
        case .exact(let v):
            return requestPath == v
        case .prefix:
            let p = normalizedPrefix
            if p.isEmpty { return true }
            guard requestPath.utf8.starts(with: p.utf8) else { return false }
            let rest = requestPath.utf8.dropFirst(p.utf8.count)
            return rest.isEmpty || rest.first == UInt8(ascii: "/")
        case .regularExpression(let re):
            return re.matches(requestPath)
        }
    }

    /// ASCII case-insensitive equality, where `lower` is already lowercase.
    static func equalsIgnoringCase(_ s: String, _ lower: String) -> Bool {
        guard s.utf8.count == lower.utf8.count else { return false }
        for (a, b) in zip(s.utf8, lower.utf8) {
            let la = (a >= UInt8(ascii: "A") && a <= UInt8(ascii: "Z")) ? a + 32 : a
            if la != b { return false }
        }
        return true
    }
}
