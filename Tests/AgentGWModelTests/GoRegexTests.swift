import Testing
@testable import AgentGWModel

/// Go `regexp.MatchString` semantics of `GoRegex` (and the format checks built on it).
@Suite struct GoRegexTests {
    static func m(_ pattern: String, _ text: String) -> Bool {
        guard let re = GoRegex(pattern) else {
            Issue.record("pattern did not compile: \(pattern)")
            return false
        }
        return re.matches(text)
    }

    @Test func matchesAnywhereUnlessAnchored() {
        #expect(Self.m("b", "abc"))
        #expect(!Self.m("^b", "abc"))
        #expect(!Self.m("b$", "abc"))
        #expect(Self.m("", "abc"))
        // Alternation binds loosest: `^Hostname|IPAddress|…` matches IPAddress anywhere.
        #expect(Self.m("^Hostname|IPAddress", "xIPAddressx"))
        #expect(!Self.m("^(Hostname|IPAddress)$", "xIPAddressx"))
        // `$` is end of text only (no final-newline allowance, unlike Perl).
        #expect(!Self.m("^a$", "a\n"))
        #expect(Self.m("(?m)^a$", "b\na\nc"))
    }

    @Test func classesAndRepetition() {
        let dns = #"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"#
        #expect(Self.m(dns, "foo.example.com"))
        #expect(!Self.m(dns, "Foo.example.com"))
        #expect(!Self.m(dns, "foo-.com"))
        #expect(Self.m(#"^([0-9]{1,5}(h|m|s|ms)){1,4}$"#, "1h30m10s500ms"))
        #expect(!Self.m(#"^([0-9]{1,5}(h|m|s|ms)){1,4}$"#, "1h2h3h4h5h"))
        #expect(!Self.m(#"^([0-9]{1,5}(h|m|s|ms)){1,4}$"#, "123456s"))
        #expect(Self.m(#"^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$"#, "x-custom`header"))
        #expect(!Self.m(#"^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$"#, "magic/"))
        #expect(Self.m(#"^[^:/?#]+$"#, "abc"))
        #expect(!Self.m(#"^[^:/?#]+$"#, "a:c"))
        #expect(Self.m(#"^[[:alpha:]]+\d\s\w$"#, "ab1 _"))
        #expect(Self.m("a{,2}", "a{,2}"))  // not a repetition: literal braces
    }

    @Test func flagsAndGroups() {
        #expect(Self.m(#"^(?i)\.?[a-z_][a-z_0-9]*$"#, "MyService"))
        #expect(Self.m("^(?:ab)+$", "ababab"))
        #expect(Self.m("^(?P<x>a)(?i:B)$", "ab"))
        #expect(!Self.m("^(?i:a)B$", "ab"))
        #expect(Self.m(#"\bfoo\b"#, "a foo b"))
        #expect(!Self.m(#"\bfoo\b"#, "afoob"))
        #expect(Self.m("^.$", "ä"))
        #expect(!Self.m("^.$", "\n"))
        #expect(Self.m("(?s)^.$", "\n"))
    }

    @Test func unsupportedSyntaxFallsBack() {
        #expect(GoRegex(#"\p{Greek}"#) == nil)
        #expect(GoRegex("a**") == nil)
        #expect(GoRegex("(") == nil)
        let pattern = SchemaPattern(#"^\p{L}+$"#)
        #expect(pattern.matches("héllo"))
        #expect(!pattern.matches("123"))
    }

    @Test func ipFormats() {
        for good in ["10.0.0.1", "255.255.255.255", "010.0.0.1"] { #expect(Formats.valid(good, format: "ipv4"), "\(good)") }
        for bad in ["1.1.1", "1.a.3.4", "256.255.255.255", "foo.com", "1.2.3.4.5", ""] {
            #expect(!Formats.valid(bad, format: "ipv4"), "\(bad)")
        }
        for good in ["::", "::1", "2001:db8::1", "1200:0000:AB00:1234:0000:2552:7777:1313", "::ffff:1.2.3.4", "1:2:3:4:5:6:7::"] {
            #expect(Formats.valid(good, format: "ipv6"), "\(good)")
        }
        for bad in ["1200:0000:::AB00:1234:0000:2552:7777:1313", "21DA:D3:0:2F3B:2AY:FF:FE28:9C5A",
                    "2001:db8:3c4d:15:0:d234:3eee:", "2001:db8:3c4d:15:0:d234:3eee:::", ":::1234::", "1:2:3:4:5:6:7:8:9", "fe80::1%eth0"] {
            #expect(!Formats.valid(bad, format: "ipv6"), "\(bad)")
        }
        #expect(Formats.valid("2024-01-02T03:04:05Z", format: "date-time"))
        #expect(!Formats.valid("yesterday", format: "date-time"))
        #expect(Formats.valid("anything", format: "int32"))
    }
}
