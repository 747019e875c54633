// Name mapping between the client's view of a multiplexed MCP Backend and each target's own names.
//
// Tools and prompts: `<target>_<name>` (agentgateway's `DELIMITER = "_"`). Target names follow
// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`, so they never contain `_` and a prefixed name splits
// unambiguously at its FIRST `_`; the tool's own name may contain any number of `_`.
//
// Resource URIs and URI templates: `agw+<target>+<original>` where `<original>` is the target's URI
// verbatim (see ``NameMapper/exposedURI(_:target:)``).

/// When tool and prompt names (and resource URIs) get their target's prefix: `Backend.spec.mcp.prefixMode`.
public enum PrefixMode: String, Sendable, CaseIterable {
    /// Prefix only when the Backend has more than one target (the default).
    case conditional = "Conditional"
    /// Always prefix, even with a single target.
    case always = "Always"
    /// Never prefix; names served by two targets are dropped from lists.
    case never = "Never"
}

/// What a fan-out does when a target fails: `Backend.spec.mcp.failureMode`.
public enum FailureMode: String, Sendable, CaseIterable {
    /// Any failed target fails the whole request (the default).
    case failClosed = "FailClosed"
    /// Failed targets are left out; the others still answer.
    case failOpen = "FailOpen"
}

/// How names map between the client's view and each target's.
///
/// * Tools and prompts: `exposed = "<target>_<name>"` when ``prefixes`` is true, else the name unchanged.
/// * Resource URIs and URI templates: `exposed = "agw+<target>+<uri>"` when ``prefixes`` is true, else
///   unchanged. The original URI follows the second `+` byte-for-byte, so every string round-trips
///   (URIs with or without `://`, with `+`, `%`, templates with `{…}`). Because target names are valid
///   URI-scheme characters, a URI with scheme `s` becomes one with scheme `agw+<target>+s`
///   (`http://h/x` → `agw+docs+http://h/x`), which clients treat as an ordinary URI.
///
/// When ``prefixes`` is false and there are several targets (`Never`), names cannot be routed from the
/// name alone: use the owner index from ``MergeResult/owners`` (``route(name:owners:)``).
public struct NameMapper: Sendable {
    /// The delimiter between target and name.
    public static let delimiter: Character = "_"
    /// The marker opening a namespaced resource URI.
    public static let uriMarker = "agw+"

    /// Target names in Backend order (duplicates removed).
    public let targets: [String]
    public let mode: PrefixMode
    private let targetSet: Set<String>

    /// `targets` must match `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$` (see ``isValidTargetName(_:)``); a target
    /// whose name contains `_` or `+` can never be routed to when prefixing.
    public init(targets: [String], mode: PrefixMode) {
        var seen = Set<String>()
        self.targets = targets.filter { seen.insert($0).inserted }
        self.targetSet = seen
        self.mode = mode
    }

    /// Whether names carry a target prefix: `Always`; `Conditional` with more than one target; never for `Never`.
    public var prefixes: Bool {
        switch mode {
        case .always: return true
        case .never: return false
        case .conditional: return targets.count > 1
        }
    }

    /// Whether `name` is a valid target name: `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`.
    public static func isValidTargetName(_ name: String) -> Bool {
        let b = Array(name.utf8)
        guard let first = b.first, let last = b.last else { return false }
        func alnum(_ c: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) }
        return alnum(first) && alnum(last) && b.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// Whether `target` is one of this Backend's targets.
    public func contains(target: String) -> Bool { targetSet.contains(target) }

    // MARK: Tools and prompts

    /// The name the client sees for `name` served by `target`.
    public func exposed(name: String, target: String) -> String {
        prefixes ? "\(target)\(Self.delimiter)\(name)" : name
    }

    /// The target and upstream name for a client-visible tool or prompt name.
    ///
    /// Prefixing: splits at the FIRST `_`; nil when there is no `_`, the prefix is not a target, or the
    /// rest is empty. Not prefixing: the only target when there is exactly one; nil otherwise (the
    /// caller must use the owner index, see ``route(name:owners:)``).
    public func route(name: String) -> (target: String, name: String)? {
        guard prefixes else {
            return targets.count == 1 ? (targets[0], name) : nil
        }
        guard let cut = name.firstIndex(of: Self.delimiter) else { return nil }
        let target = String(name[..<cut])
        let rest = String(name[name.index(after: cut)...])
        guard targetSet.contains(target), !rest.isEmpty else { return nil }
        return (target, rest)
    }

    /// Like ``route(name:)``, but in `Never` mode with several targets looks the name up in `owners`
    /// (exposed name → target, from ``MergeResult/owners``).
    public func route(name: String, owners: [String: String]) -> (target: String, name: String)? {
        if let routed = route(name: name) { return routed }
        guard !prefixes, let owner = owners[name], targetSet.contains(owner) else { return nil }
        return (owner, name)
    }

    /// ``route(name:owners:)`` or ``MultiplexError/unknownName(_:)`` (-32602) for the proxy to answer with.
    public func resolve(name: String, owners: [String: String] = [:]) throws(MultiplexError) -> (target: String, name: String) {
        guard let routed = route(name: name, owners: owners) else { throw .unknownName(name) }
        return routed
    }

    // MARK: Resource URIs

    /// The URI (or URI template) the client sees for `uri` served by `target`: `agw+<target>+<uri>`
    /// when prefixing, else `uri` unchanged.
    public func exposedURI(_ uri: String, target: String) -> String {
        prefixes ? "\(Self.uriMarker)\(target)+\(uri)" : uri
    }

    /// The target and upstream URI for a client-visible URI.
    ///
    /// Prefixing: `agw+<target>+<rest>` → `(target, rest)`; the marker and target are matched
    /// case-insensitively (clients may lowercase a scheme); `rest` is returned verbatim and may be empty
    /// only if the target listed an empty URI. Not prefixing: the only target, or nil with several
    /// targets (use the owner index).
    public func routeURI(_ uri: String) -> (target: String, uri: String)? {
        guard prefixes else {
            return targets.count == 1 ? (targets[0], uri) : nil
        }
        let bytes = uri.utf8
        let marker = Self.uriMarker.utf8
        guard bytes.count > marker.count,
              zip(bytes.prefix(marker.count), marker).allSatisfy({ asciiLower($0) == $1 }) else { return nil }
        let afterMarker = bytes.index(bytes.startIndex, offsetBy: marker.count)
        guard let plus = bytes[afterMarker...].firstIndex(of: UInt8(ascii: "+")) else { return nil }
        let target = String(decoding: bytes[afterMarker..<plus].map(asciiLower), as: UTF8.self)
        guard targetSet.contains(target) else { return nil }
        let restStart = bytes.index(after: plus)
        // Index conversion keeps the original bytes (and any non-ASCII) exactly.
        let rest = String(uri[restStart...])
        return (target, rest)
    }

    /// ``routeURI(_:)`` with an owner-index fallback (exposed URI → target) for `Never` mode.
    public func routeURI(_ uri: String, owners: [String: String]) -> (target: String, uri: String)? {
        if let routed = routeURI(uri) { return routed }
        guard !prefixes, let owner = owners[uri], targetSet.contains(owner) else { return nil }
        return (owner, uri)
    }

    /// ``routeURI(_:owners:)`` or ``MultiplexError/unknownName(_:)`` (-32602).
    public func resolveURI(_ uri: String, owners: [String: String] = [:]) throws(MultiplexError) -> (target: String, uri: String) {
        guard let routed = routeURI(uri, owners: owners) else { throw .unknownName(uri) }
        return routed
    }
}

@inline(__always)
private func asciiLower(_ b: UInt8) -> UInt8 {
    (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b) ? b + 32 : b
}
