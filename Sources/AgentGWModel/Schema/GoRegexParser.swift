/// The parsed form of a Go regular expression.
indirect enum RegexTree {
    case empty
    case chars(ScalarSet)
    case concat([RegexTree])
    case alternate([RegexTree])
    case repetition(RegexTree, min: Int, max: Int?)
    case assert(GoRegex.Assertion)

    /// Whether every match must begin at the start of the text.
    var startsAnchored: Bool {
        switch self {
        case .assert(.beginText): return true
        case .concat(let items):
            for item in items {
                if case .empty = item { continue }
                if case .assert(let a) = item, a != .beginText, a != .beginLine { continue }
                return item.startsAnchored
            }
            return false
        case .alternate(let branches): return !branches.isEmpty && branches.allSatisfy(\.startsAnchored)
        case .repetition(let t, let min, _): return min > 0 && t.startsAnchored
        default: return false
        }
    }
}

/// Recursive-descent parser for RE2 syntax. Returns nil on anything unsupported or malformed.
struct RegexParser {
    struct Flags { var caseInsensitive = false, dotAll = false, multiLine = false }

    let s: [Unicode.Scalar]
    var pos = 0
    var flags = Flags()
    var depth = 0

    init(_ scalars: [Unicode.Scalar]) { s = scalars }

    var atEnd: Bool { pos >= s.count }
    func peek(_ offset: Int = 0) -> Unicode.Scalar? { pos + offset < s.count ? s[pos + offset] : nil }

    mutating func parseAll() -> RegexTree? {
        guard let tree = parseAlternation(), atEnd else { return nil }
        return tree
    }

    mutating func parseAlternation() -> RegexTree? {
        guard let first = parseConcat() else { return nil }
        var branches = [first]
        while peek() == "|" {
            pos += 1
            guard let next = parseConcat() else { return nil }
            branches.append(next)
        }
        return branches.count == 1 ? first : .alternate(branches)
    }

    mutating func parseConcat() -> RegexTree? {
        var items: [RegexTree] = []
        while let c = peek(), c != "|", c != ")" {
            guard var atom = parseAtom() else { return nil }
            if let q = parseQuantifier() {
                if case .assert = atom { atom = .concat([atom]) }
                atom = .repetition(atom, min: q.min, max: q.max)
                if peek() == "?" { pos += 1 }  // lazy: same set of matches
                if let c = peek(), c == "*" || c == "+" || c == "?" { return nil }  // Go: nested repetition
            }
            items.append(atom)
        }
        return items.count == 1 ? items[0] : .concat(items)
    }

    mutating func parseQuantifier() -> (min: Int, max: Int?)? {
        switch peek() {
        case "*": pos += 1; return (0, nil)
        case "+": pos += 1; return (1, nil)
        case "?": pos += 1; return (0, 1)
        case "{":
            var p = pos + 1
            func number(_ p: inout Int) -> Int? {
                var value = 0, digits = 0
                while p < s.count, let d = Int(String(s[p])), s[p].isASCII, digits < 5 {
                    value = value * 10 + d; digits += 1; p += 1
                }
                return digits > 0 ? value : nil
            }
            guard let lo = number(&p) else { return nil }  // `{` stays a literal
            var hi: Int? = lo
            if p < s.count, s[p] == "," {
                p += 1
                hi = number(&p)
            }
            guard p < s.count, s[p] == "}", lo <= 1000, (hi ?? 0) <= 1000, lo <= (hi ?? lo) else { return nil }
            pos = p + 1
            return (lo, hi)
        default: return nil
        }
    }

    mutating func literal(_ c: Unicode.Scalar) -> RegexTree {
        let set = ScalarSet([c.value...c.value])
        return .chars(flags.caseInsensitive ? set.caseFolded : set)
    }

    mutating func parseAtom() -> RegexTree? {
        guard let c = peek() else { return nil }
        pos += 1
        switch c {
        case "(": return parseGroup()
        case "[": return parseClass().map { .chars(flags.caseInsensitive ? $0.caseFolded : $0) }
        case ".": return .chars(flags.dotAll ? .any : .anyButNewline)
        case "^": return .assert(flags.multiLine ? .beginLine : .beginText)
        case "$": return .assert(flags.multiLine ? .endLine : .endText)
        case "\\":
            guard let e = peek() else { return nil }
            switch e {
            case "A": pos += 1; return .assert(.beginText)
            case "z": pos += 1; return .assert(.endText)
            case "b": pos += 1; return .assert(.wordBoundary)
            case "B": pos += 1; return .assert(.notWordBoundary)
            default:
                guard let set = parseEscape() else { return nil }
                return .chars(flags.caseInsensitive ? set.caseFolded : set)
            }
        case "*", "+", "?", ")": return nil
        case "{":
            // A `{` that does not start a valid repetition is a literal (Go allows this).
            pos -= 1
            if parseQuantifier() != nil { return nil }
            pos += 1
            return literal(c)
        default: return literal(c)
        }
    }

    mutating func parseGroup() -> RegexTree? {
        depth += 1
        guard depth < 200 else { return nil }
        defer { depth -= 1 }
        let saved = flags
        if peek() == "?" {
            pos += 1
            if peek() == "P" || peek() == "<" {
                // Named capture: (?P<name>…) or (?<name>…)
                if peek() == "P" { pos += 1 }
                guard peek() == "<" else { return nil }
                while let c = peek(), c != ">" { pos += 1 }
                guard peek() == ">" else { return nil }
                pos += 1
            } else {
                var negate = false
                var newFlags = flags
                while let c = peek(), c != ")", c != ":" {
                    pos += 1
                    switch c {
                    case "i": newFlags.caseInsensitive = !negate
                    case "s": newFlags.dotAll = !negate
                    case "m": newFlags.multiLine = !negate
                    case "U": break
                    case "-": guard !negate else { return nil }; negate = true
                    default: return nil
                    }
                }
                guard let end = peek() else { return nil }
                pos += 1
                if end == ")" {
                    // (?i): applies to the rest of the enclosing group.
                    flags = newFlags
                    return .empty
                }
                flags = newFlags
            }
        }
        guard let inner = parseAlternation(), peek() == ")" else { return nil }
        pos += 1
        flags = saved
        return inner
    }

    /// An escape after `\` outside or inside a class, as a set of scalars.
    mutating func parseEscape() -> ScalarSet? {
        guard let e = peek() else { return nil }
        pos += 1
        func single(_ v: UInt32) -> ScalarSet { ScalarSet([v...v]) }
        switch e {
        case "d": return .digit
        case "D": return ScalarSet.digit.inverted
        case "w": return .word
        case "W": return ScalarSet.word.inverted
        case "s": return .space
        case "S": return ScalarSet.space.inverted
        case "n": return single(0x0A)
        case "t": return single(0x09)
        case "r": return single(0x0D)
        case "f": return single(0x0C)
        case "v": return single(0x0B)
        case "a": return single(0x07)
        case "x":
            var hex = ""
            if peek() == "{" {
                pos += 1
                while let c = peek(), c != "}" { hex.unicodeScalars.append(c); pos += 1 }
                guard peek() == "}" else { return nil }
                pos += 1
            } else {
                for _ in 0..<2 {
                    guard let c = peek() else { return nil }
                    hex.unicodeScalars.append(c); pos += 1
                }
            }
            guard let v = UInt32(hex, radix: 16), v <= 0x10FFFF else { return nil }
            return single(v)
        default:
            // Go allows escaping any ASCII punctuation; letters and digits are reserved.
            guard e.isASCII, !e.properties.isAlphabetic, !("0"..."9").contains(e) else { return nil }
            return single(e.value)
        }
    }

    /// A bracket class; `[` already consumed.
    mutating func parseClass() -> ScalarSet? {
        var negated = false
        if peek() == "^" { negated = true; pos += 1 }
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while let c = peek(), c != "]" || first {
            first = false
            if c == "[", peek(1) == ":" {
                guard let posix = parsePOSIX() else { return nil }
                ranges += posix.ranges
                continue
            }
            guard let lo = classAtom() else { return nil }
            if peek() == "-", let after = peek(1), after != "]" {
                pos += 1
                guard let hi = classAtom(), lo.ranges.count == 1, hi.ranges.count == 1,
                      lo.ranges[0].count == 1, hi.ranges[0].count == 1,
                      lo.ranges[0].lowerBound <= hi.ranges[0].lowerBound else { return nil }
                ranges.append(lo.ranges[0].lowerBound...hi.ranges[0].lowerBound)
            } else {
                ranges += lo.ranges
            }
        }
        guard peek() == "]" else { return nil }
        pos += 1
        let set = ScalarSet(ranges)
        return negated ? set.inverted : set
    }

    mutating func classAtom() -> ScalarSet? {
        guard let c = peek() else { return nil }
        pos += 1
        if c == "\\" { return parseEscape() }
        return ScalarSet([c.value...c.value])
    }

    mutating func parsePOSIX() -> ScalarSet? {
        // [:name:] or [:^name:]
        var p = pos + 2
        var negated = false
        if p < s.count, s[p] == "^" { negated = true; p += 1 }
        var name = ""
        while p < s.count, s[p] != ":" { name.unicodeScalars.append(s[p]); p += 1 }
        guard p + 1 < s.count, s[p] == ":", s[p + 1] == "]" else { return nil }
        pos = p + 2
        let table: [String: [ClosedRange<UInt32>]] = [
            "alnum": [0x30...0x39, 0x41...0x5A, 0x61...0x7A], "alpha": [0x41...0x5A, 0x61...0x7A],
            "ascii": [0...0x7F], "blank": [0x09...0x09, 0x20...0x20], "cntrl": [0...0x1F, 0x7F...0x7F],
            "digit": [0x30...0x39], "graph": [0x21...0x7E], "lower": [0x61...0x7A], "print": [0x20...0x7E],
            "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E], "space": [0x09...0x0D, 0x20...0x20],
            "upper": [0x41...0x5A], "word": [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A],
            "xdigit": [0x30...0x39, 0x41...0x46, 0x61...0x66],
        ]
        guard let r = table[name] else { return nil }
        let set = ScalarSet(r)
        return negated ? set.inverted : set
    }
}

/// Turns a tree into Pike VM instructions.
struct RegexCompiler {
    var program: [GoRegex.Inst] = []
    static let maxInstructions = 20_000

    mutating func emit(_ tree: RegexTree) -> Bool {
        guard program.count < RegexCompiler.maxInstructions else { return false }
        switch tree {
        case .empty: return true
        case .chars(let set): program.append(.chars(set)); return true
        case .assert(let a): program.append(.assert(a)); return true
        case .concat(let items):
            for item in items where !emit(item) { return false }
            return true
        case .alternate(let branches):
            var jumps: [Int] = []
            for (i, branch) in branches.enumerated() {
                if i < branches.count - 1 {
                    let split = program.count
                    program.append(.match)  // placeholder
                    guard emit(branch) else { return false }
                    jumps.append(program.count)
                    program.append(.match)  // placeholder
                    program[split] = .split(split + 1, program.count)
                } else {
                    guard emit(branch) else { return false }
                }
            }
            for j in jumps { program[j] = .jump(program.count) }
            return true
        case .repetition(let inner, let min, let max):
            for _ in 0..<min where !emit(inner) { return false }
            if let max {
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(program.count)
                    program.append(.match)  // placeholder
                    guard emit(inner) else { return false }
                }
                for s in splits { program[s] = .split(s + 1, program.count) }
            } else {
                let loop = program.count
                program.append(.match)  // placeholder
                guard emit(inner) else { return false }
                program.append(.jump(loop))
                program[loop] = .split(loop + 1, program.count)
            }
            return true
        }
    }
}
