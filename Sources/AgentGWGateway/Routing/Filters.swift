/// Request-side HTTPRoute filter logic, pure so the proxy can call it on the event loop.
/// Header names and values in filters are checked at compile time (tokens; no CR, LF, NUL).
extension RouteFilter.HeaderEdits {
    /// Applies the edits as the Gateway API's header modifiers do: `remove` drops every field
    /// with the name, `set` replaces every field with the name by one (names compared
    /// case-insensitively), and `add` appends a field, keeping existing ones.
    public func apply(to headers: inout [(name: String, value: String)]) {
        if !remove.isEmpty {
            let lowered = remove.map { $0.lowercased() }
            headers.removeAll { h in lowered.contains { RequestMatcher.equalsIgnoringCase(h.name, $0) } }
        }
        for s in set {
            let lower = s.name.lowercased()
            if let first = headers.firstIndex(where: { RequestMatcher.equalsIgnoringCase($0.name, lower) }) {
                headers[first] = (s.name, s.value)
                var i = headers.count - 1
                while i > first {
                    if RequestMatcher.equalsIgnoringCase(headers[i].name, lower) { headers.remove(at: i) }
                    i -= 1
                }
            } else {
                headers.append((s.name, s.value))
            }
        }
        headers.append(contentsOf: add)
    }

    /// Whether there is nothing to do.
    public var isEmpty: Bool { self.set.isEmpty && add.isEmpty && remove.isEmpty }
}

extension RouteFilter {
    /// The default status of a RequestRedirect.
    public static let defaultRedirectStatus = 302

    /// The path after a URLRewrite or RequestRedirect path modifier.
    ///
    /// `replaceFullPath` replaces the whole path. `replacePrefixMatch` replaces the matched
    /// PathPrefix (a trailing slash in either the prefix or the replacement is ignored, so
    /// `/foo/bar` with prefix `/foo` → `/xyz/bar` for both `/xyz` and `/xyz/`); an empty
    /// result is `/`. Without a matched prefix the path is returned unchanged.
    public static func rewrittenPath(original: String, matchedPrefix: String?, modifier: PathModifier) -> String {
        switch modifier {
        case .replaceFullPath(let path):
            return path.isEmpty ? "/" : path
        case .replacePrefixMatch(let replacement):
            guard let matchedPrefix else { return original }
            let prefix = trimmingTrailingSlashes(matchedPrefix)
            guard original.utf8.starts(with: prefix.utf8) else { return original }
            let rest = String(original.utf8.dropFirst(prefix.utf8.count)) ?? ""
            guard rest.isEmpty || rest.hasPrefix("/") else { return original }
            var result = trimmingTrailingSlashes(replacement) + rest
            if result.isEmpty { result = "/" }
            if !result.hasPrefix("/") { result = "/" + result }
            return result
        }
    }

    /// The `Location` of a RequestRedirect.
    ///
    /// - Parameters:
    ///   - scheme, host, port, path, query: the request's scheme (`http`/`https`), Host without
    ///     port, the Gateway listener port it arrived on, path, and raw query (without `?`).
    ///   - matchedPrefix: the PathPrefix the rule matched (for `replacePrefixMatch`).
    ///   - redirectScheme, redirectHostname, redirectPath, redirectPort: the filter's fields.
    ///
    /// Scheme and host default to the request's. The port is the filter's, else the
    /// well-known port of the filter's scheme when it sets one, else the listener port; it is
    /// left out when it is the default for the scheme (80 for http, 443 for https).
    public static func redirectLocation(scheme: String, host: String, port: Int, path: String, query: String?,
                                        matchedPrefix: String?, redirectScheme: String?, redirectHostname: String?,
                                        redirectPath: PathModifier?, redirectPort: Int?) -> String {
        let newScheme = (redirectScheme ?? scheme).lowercased()
        let newHost = redirectHostname ?? host
        let newPort: Int
        if let redirectPort {
            newPort = redirectPort
        } else if redirectScheme != nil {
            newPort = wellKnownPort(newScheme) ?? port
        } else {
            newPort = port
        }
        let newPath = redirectPath.map { rewrittenPath(original: path, matchedPrefix: matchedPrefix, modifier: $0) } ?? path
        var location = "\(newScheme)://"
        location += newHost.contains(":") && !newHost.hasPrefix("[") ? "[\(newHost)]" : newHost
        if wellKnownPort(newScheme) != newPort { location += ":\(newPort)" }
        location += newPath.hasPrefix("/") ? newPath : "/" + newPath
        if let query, !query.isEmpty { location += "?\(query)" }
        return location
    }

    static func wellKnownPort(_ scheme: String) -> Int? {
        switch scheme {
        case "http": return 80
        case "https": return 443
        default: return nil
        }
    }

    static func trimmingTrailingSlashes(_ s: String) -> String {
        var t = Substring(s)
        while t.hasSuffix("/") { t = t.dropLast() }
        return String(t)
    }
}
