/// One finding of `validate`: where, how bad, what, and which rule.
public struct Diagnostic: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
    }

    public var mark: SourceMark?
    public var severity: Severity
    public var message: String
    /// A stable rule id, e.g. `schema.required` or `ref.backend-not-found`.
    public var rule: String

    public init(_ severity: Severity, _ message: String, rule: String, at mark: SourceMark?) {
        self.mark = mark
        self.severity = severity
        self.message = message
        self.rule = rule
    }

    public static func error(_ message: String, rule: String, at mark: SourceMark?) -> Diagnostic {
        Diagnostic(.error, message, rule: rule, at: mark)
    }

    public static func warning(_ message: String, rule: String, at mark: SourceMark?) -> Diagnostic {
        Diagnostic(.warning, message, rule: rule, at: mark)
    }

    /// `FILE:LINE:COL: error|warning: message (rule-id)`
    public var description: String {
        let place = mark.map { "\($0.file):\($0.line):\($0.column)" } ?? "<input>"
        return "\(place): \(severity.rawValue): \(message) (\(rule))"
    }

    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        let fa = a.mark?.file ?? "", fb = b.mark?.file ?? ""
        if fa != fb { return fa < fb }
        let la = a.mark?.line ?? 0, lb = b.mark?.line ?? 0
        if la != lb { return la < lb }
        let ca = a.mark?.column ?? 0, cb = b.mark?.column ?? 0
        if ca != cb { return ca < cb }
        if a.severity != b.severity { return a.severity == .error }
        if a.rule != b.rule { return a.rule < b.rule }
        return a.message < b.message
    }
}
