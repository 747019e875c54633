/// A regular expression with Go (RE2) syntax and semantics, as the API server uses for a
/// schema's `pattern` and for CEL `matches()`.
///
/// `matches` is Go's `regexp.MatchString`: true when the pattern matches anywhere in the text
/// (use `^…$` to anchor). Matching runs a Pike VM over Unicode scalars, so it takes linear time
/// and never backtracks. Compile once and share: the value is immutable and `Sendable`.
///
/// Supported: literals, `.`, classes (`[a-z]`, `[^…]`, `[[:alpha:]]`, `\d \w \s` and their
/// negations), groups (`(…)`, `(?:…)`, `(?P<n>…)`, `(?i)`, `(?i:…)`; flags `i m s U`),
/// alternation, `* + ? {n} {n,} {n,m}` (lazy forms too), `^ $ \A \z \b \B`, escapes `\x41
/// \x{263a} \n \t \r \f \v \a` and escaped punctuation. Anything else (Unicode classes `\p{…}`,
/// `\Q…\E`) makes `init` return nil, and callers fall back to another engine.
public struct GoRegex: Sendable {
    enum Assertion: Sendable { case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary }

    enum Inst: Sendable {
        case chars(ScalarSet)
        case split(Int, Int)
        case jump(Int)
        case assert(Assertion)
        case match
    }

    let program: [Inst]
    /// Every thread must start at text position 0 (the pattern begins with `^` or `\A`).
    let anchoredStart: Bool
    public let pattern: String

    public init?(_ pattern: String) {
        var parser = RegexParser(Array(pattern.unicodeScalars))
        guard let tree = parser.parseAll() else { return nil }
        var compiler = RegexCompiler()
        guard compiler.emit(tree) else { return nil }
        compiler.program.append(.match)
        self.program = compiler.program
        self.anchoredStart = tree.startsAnchored
        self.pattern = pattern
    }

    /// Whether the pattern matches anywhere in `text` (Go `regexp.MatchString`).
    public func matches(_ text: String) -> Bool {
        let n = program.count
        // Two sparse sets (dense + sparse arrays each) and one stack, all on the stack frame.
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 4 * n + 2 * n + 4) { raw in
            guard let base = raw.baseAddress else { return false }
            raw.initialize(repeating: 0)  // the sparse-set trick tolerates any values; keep them defined
            var current = SparseSet(dense: base, sparse: base + n, count: 0)
            var next = SparseSet(dense: base + 2 * n, sparse: base + 3 * n, count: 0)
            let stack = base + 4 * n
            var previous: Unicode.Scalar? = nil
            var iterator = text.unicodeScalars.makeIterator()
            var scalar = iterator.next()
            var atStart = true
            while true {
                let context = Context(previous: previous, next: scalar, atStart: atStart)
                if atStart || !anchoredStart {
                    if addThread(0, to: &current, context: context, stack: stack) { return true }
                }
                guard let ch = scalar else { return false }
                if current.count == 0 && anchoredStart { return false }
                let following = iterator.next()
                let nextContext = Context(previous: ch, next: following, atStart: false)
                next.count = 0
                for k in 0..<current.count {
                    let pc = Int(current.dense[k])
                    if case .chars(let set) = program[pc], set.contains(ch) {
                        if addThread(pc + 1, to: &next, context: nextContext, stack: stack) { return true }
                    }
                }
                swap(&current, &next)
                previous = ch
                scalar = following
                atStart = false
            }
        }
    }

    struct Context {
        var previous: Unicode.Scalar?
        var next: Unicode.Scalar?
        var atStart: Bool

        func holds(_ a: Assertion) -> Bool {
            switch a {
            case .beginText: return atStart
            case .endText: return next == nil
            case .beginLine: return atStart || previous == "\n"
            case .endLine: return next == nil || next == "\n"
            case .wordBoundary: return isWord(previous) != isWord(next)
            case .notWordBoundary: return isWord(previous) == isWord(next)
            }
        }

        func isWord(_ s: Unicode.Scalar?) -> Bool {
            guard let v = s?.value else { return false }
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
    }

    struct SparseSet {
        var dense: UnsafeMutablePointer<Int32>
        var sparse: UnsafeMutablePointer<Int32>
        var count: Int

        func contains(_ pc: Int) -> Bool {
            let i = Int(sparse[pc])
            return i >= 0 && i < count && Int(dense[i]) == pc
        }

        mutating func insert(_ pc: Int) {
            sparse[pc] = Int32(count)
            dense[count] = Int32(pc)
            count += 1
        }
    }

    /// Follows empty transitions from `start`; true as soon as `match` is reachable.
    private func addThread(_ start: Int, to set: inout SparseSet, context: Context, stack: UnsafeMutablePointer<Int32>) -> Bool {
        var top = 0
        stack[top] = Int32(start)
        top += 1
        while top > 0 {
            top -= 1
            let pc = Int(stack[top])
            if set.contains(pc) { continue }
            set.insert(pc)
            switch program[pc] {
            case .match: return true
            case .chars: break
            case .jump(let target):
                stack[top] = Int32(target); top += 1
            case .split(let a, let b):
                stack[top] = Int32(b); top += 1
                stack[top] = Int32(a); top += 1
            case .assert(let a):
                if context.holds(a) { stack[top] = Int32(pc + 1); top += 1 }
            }
        }
        return false
    }
}

/// A set of Unicode scalars as sorted, disjoint, closed ranges.
struct ScalarSet: Sendable {
    var ranges: [ClosedRange<UInt32>]

    init(_ ranges: [ClosedRange<UInt32>]) { self.ranges = ScalarSet.normalize(ranges) }

    static func normalize(_ input: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        let sorted = input.sorted { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt32>] = []
        for r in sorted {
            if let last = out.last, r.lowerBound <= last.upperBound &+ 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }

    func contains(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        for r in ranges {
            if v < r.lowerBound { return false }
            if v <= r.upperBound { return true }
        }
        return false
    }

    var inverted: ScalarSet {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in ranges {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            next = r.upperBound &+ 1
            if r.upperBound == 0x10FFFF { return ScalarSet(out) }
        }
        out.append(next...0x10FFFF)
        return ScalarSet(out)
    }

    /// Adds the other case of every letter (ASCII fully; other scripts scalar by scalar).
    var caseFolded: ScalarSet {
        var extra: [ClosedRange<UInt32>] = []
        for r in ranges {
            let lo = max(r.lowerBound, 0x41), hi = min(r.upperBound, 0x5A)
            if lo <= hi { extra.append((lo + 32)...(hi + 32)) }
            let lo2 = max(r.lowerBound, 0x61), hi2 = min(r.upperBound, 0x7A)
            if lo2 <= hi2 { extra.append((lo2 - 32)...(hi2 - 32)) }
            if r.upperBound >= 0x80 && r.count <= 4096 {
                for v in max(r.lowerBound, 0x80)...r.upperBound {
                    guard let s = Unicode.Scalar(v) else { continue }
                    for mapped in [s.properties.lowercaseMapping, s.properties.uppercaseMapping] {
                        let scalars = Array(mapped.unicodeScalars)
                        if scalars.count == 1 { extra.append(scalars[0].value...scalars[0].value) }
                    }
                }
            }
        }
        return ScalarSet(ranges + extra)
    }

    static let digit = ScalarSet([0x30...0x39])
    static let word = ScalarSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    static let space = ScalarSet([0x09...0x0A, 0x0C...0x0D, 0x20...0x20])
    static let anyButNewline = ScalarSet([0...0x09, 0x0B...0x10FFFF])
    static let any = ScalarSet([0...0x10FFFF])
}
