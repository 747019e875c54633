import Crypto
import Foundation
import Testing
@testable import AgentGWGateway

@Suite struct SessionTokenTests {
    static let now: Int64 = 1_760_000_000
    static let apiKey = Array("sk-agw-0123456789abcdef".utf8)

    static func upstream(_ i: Int, sessionID: String? = UUID().uuidString.lowercased(),
                         version: String = "2025-06-18") -> SessionState.Upstream {
        .init(target: "target-\(i)", endpoint: "mcp-server-\(i).tools.svc.cluster.local:8080/mcp",
              sessionID: sessionID, protocolVersion: version)
    }

    static func state(upstreams n: Int, credential: [UInt8]? = apiKey, expiresIn: Int64 = 3600) -> SessionState {
        SessionState(upstreams: (0..<n).map { upstream($0) }, protocolVersion: "2025-06-18",
                     expiresAt: now + expiresIn, credentialHash: credential.map(SessionSealer.credentialHash))
    }

    static func error(_ body: () throws(SessionTokenError) -> SessionState) -> SessionTokenError? {
        do { _ = try body(); return nil } catch { return error }
    }

    // MARK: Round trip

    @Test(arguments: [0, 1, 2, 3])
    func roundTrip(upstreams n: Int) throws {
        let sealer = SessionSealer(key: SessionSealer.randomKey())
        let state = Self.state(upstreams: n)
        let token = sealer.seal(state)
        #expect(try sealer.open(token, credential: Self.apiKey, now: Self.now) == state)
    }

    @Test func roundTripVariety() throws {
        let sealer = SessionSealer(key: SessionSealer.randomKey())
        let state = SessionState(
            upstreams: [
                Self.upstream(0, sessionID: nil),                                   // stateless
                Self.upstream(1, version: "2025-03-26"),                            // older upstream
                Self.upstream(2, sessionID: "", version: ""),                       // empty but present
                .init(target: "ünïcødé", endpoint: "[::1]:9/🙂", sessionID: String(repeating: "j", count: 900),
                      protocolVersion: "2024-11-05"),
            ],
            protocolVersion: "2025-06-18", expiresAt: Int64.max, credentialHash: nil)
        let token = sealer.seal(state)
        let opened = try sealer.open(token, credential: nil, now: Self.now)
        #expect(opened == state)
        #expect(opened.upstreams[0].sessionID == nil && opened.upstreams[2].sessionID == "")
        // Negative expiry is representable (and of course expired).
        var old = state
        old.expiresAt = -5
        #expect(Self.error { () throws(SessionTokenError) in try sealer.open(sealer.seal(old), credential: nil, now: 0) } == .expired)
    }

    @Test func sameStateSealsDifferentlyEachTime() throws {
        let sealer = SessionSealer(key: SessionSealer.randomKey())
        let state = Self.state(upstreams: 2)
        let a = sealer.seal(state), b = sealer.seal(state)
        #expect(a != b)  // random nonce
        #expect(try sealer.open(a, credential: Self.apiKey, now: Self.now) == sealer.open(b, credential: Self.apiKey, now: Self.now))
    }

    // MARK: Shape

    @Test func charsetPrefixAndSize() {
        let sealer = SessionSealer(key: SessionSealer.randomKey())
        for n in 0...3 {
            let token = sealer.seal(Self.state(upstreams: n))
            #expect(token.hasPrefix("agw1."))
            #expect(token.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E })
            #expect(!token.contains("="))
            #expect(token.utf8.count < 2048)
            if n == 3 {
                #expect(token.utf8.count < 700)
                print("session token with 3 upstreams: \(token.utf8.count) chars")
            }
        }
    }

    // MARK: Tampering

    @Test func everySingleCharacterChangeIsRejected() {
        let sealer = SessionSealer(key: SessionSealer.randomKey())
        let token = Array(sealer.seal(Self.state(upstreams: 3)).utf8)
        let replacements = Array("Aa0-_+/=.~ \u{7F}".utf8) + [0x00, 0xC3]
        for i in token.indices {
            for r in replacements where r != token[i] {
                var bad = token
                bad[i] = r
                let text = String(decoding: bad, as: UTF8.self)
                let err = Self.error { () throws(SessionTokenError) in try sealer.open(text, credential: Self.apiKey, now: Self.now) }
                #expect(err != nil, "position \(i) replaced by \(r) was accepted")
                if i >= 5 + 6 {  // past prefix and the base64 chars that carry the key id
                    #expect(err == .malformed || err == .tampered, "position \(i): \(String(describing: err))")
                }
            }
        }
    }

    @Test func everySingleBitFlipOfTheSealedBytesIsRejected() throws {
        let sealer = SessionSealer(key: SessionSealer.randomKey())
        let token = sealer.seal(Self.state(upstreams: 3))
        let raw = try #require(Base64.decode(token.utf8.dropFirst(5), urlSafe: true))
        #expect(Base64.urlEncode(raw) == String(token.dropFirst(5)))
        for i in raw.indices {
            for bit in 0..<8 {
                var bad = raw
                bad[i] ^= 1 << bit
                let err = Self.error { () throws(SessionTokenError) in
                    try sealer.open("agw1." + Base64.urlEncode(bad), credential: Self.apiKey, now: Self.now)
                }
                let expected: SessionTokenError = i < SessionSealer.keyIDCount ? .foreignKey : .tampered
                #expect(err == expected, "byte \(i) bit \(bit): \(String(describing: err))")
            }
        }
    }

    @Test func truncationsAreRejected() {
        let sealer = SessionSealer(key: SessionSealer.randomKey())
        let token = sealer.seal(Self.state(upstreams: 1))
        for length in 0..<token.count {
            let err = Self.error { () throws(SessionTokenError) in
                try sealer.open(String(token.prefix(length)), credential: Self.apiKey, now: Self.now)
            }
            #expect(err == .malformed || err == .tampered, "length \(length): \(String(describing: err))")
        }
        // Appending is no better.
        for extra in ["A", "AA", "AAAA", "x=", "."] {
            let err = Self.error { () throws(SessionTokenError) in try sealer.open(token + extra, credential: Self.apiKey, now: Self.now) }
            #expect(err == .malformed || err == .tampered)
        }
    }

    @Test(arguments: [
        "", "agw1", "agw1.", "agw2.AAAA", "AGW1.AAAA", "agw1.A", "agw1.====", "agw1.AAAA====",
        "agw1.not base64!", "agw1.aGVsbG8", "agw1.+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/",
        "00000000-0000-0000-0000-000000000000", "agw1.ä", "\u{0}", "agw1.\u{0}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ])
    func garbageIsMalformed(_ token: String) {
        let sealer = SessionSealer(key: SessionSealer.randomKey())
        #expect(Self.error { () throws(SessionTokenError) in try sealer.open(token, credential: nil, now: Self.now) } == .malformed)
    }

    @Test func hugeInputIsMalformed() {
        let sealer = SessionSealer(key: SessionSealer.randomKey())
        let valid = sealer.seal(Self.state(upstreams: 1))
        for huge in ["agw1." + String(repeating: "A", count: 1 << 20), valid + String(repeating: "A", count: SessionSealer.maxTokenLength)] {
            #expect(Self.error { () throws(SessionTokenError) in try sealer.open(huge, credential: Self.apiKey, now: Self.now) } == .malformed)
        }
    }

    @Test func randomGarbageWithValidShapeNeverOpens() {
        let sealer = SessionSealer(key: SessionSealer.randomKey())
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let count = Int.random(in: 0..<200, using: &rng)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let err = Self.error { () throws(SessionTokenError) in
                try sealer.open("agw1." + Base64.urlEncode(bytes), credential: nil, now: Self.now)
            }
            #expect(err == .malformed || err == .foreignKey || err == .tampered)
        }
    }

    // MARK: Keys, expiry, credentials

    @Test func anotherKeyIsForeign() {
        let mine = SessionSealer(key: SessionSealer.randomKey())
        let theirs = SessionSealer(key: SessionSealer.randomKey())
        let token = theirs.seal(Self.state(upstreams: 2))
        #expect(Self.error { () throws(SessionTokenError) in try mine.open(token, credential: Self.apiKey, now: Self.now) } == .foreignKey)
    }

    @Test func replicasSharingAKeyInteroperate() throws {
        let key = SessionSealer.randomKey()
        let replicaA = SessionSealer(key: key)
        let replicaB = SessionSealer(key: SymmetricKey(data: key.withUnsafeBytes { Array($0) }))
        let state = Self.state(upstreams: 3)
        #expect(try replicaB.open(replicaA.seal(state), credential: Self.apiKey, now: Self.now) == state)
        #expect(try replicaA.open(replicaB.seal(state), credential: Self.apiKey, now: Self.now) == state)
    }

    @Test func expiry() throws {
        let sealer = SessionSealer(key: SessionSealer.randomKey())
        let state = Self.state(upstreams: 1, expiresIn: 60)
        let token = sealer.seal(state)
        #expect(try sealer.open(token, credential: Self.apiKey, now: state.expiresAt - 1) == state)
        for t in [state.expiresAt, state.expiresAt + 1, Int64.max] {
            #expect(Self.error { () throws(SessionTokenError) in try sealer.open(token, credential: Self.apiKey, now: t) } == .expired)
        }
    }

    @Test func credentialBinding() throws {
        let sealer = SessionSealer(key: SessionSealer.randomKey())
        let bound = sealer.seal(Self.state(upstreams: 1, credential: Self.apiKey))
        let unbound = sealer.seal(Self.state(upstreams: 1, credential: nil))
        func err(_ token: String, _ credential: [UInt8]?) -> SessionTokenError? {
            Self.error { () throws(SessionTokenError) in try sealer.open(token, credential: credential, now: Self.now) }
        }
        #expect(err(bound, Self.apiKey) == nil)
        #expect(err(bound, Array("sk-agw-0123456789abcdeF".utf8)) == .wrongCredential)
        #expect(err(bound, []) == .wrongCredential)
        #expect(err(bound, nil) == .wrongCredential)
        #expect(err(unbound, nil) == nil)
        #expect(err(unbound, Self.apiKey) == .wrongCredential)
        // Expiry is checked before the credential.
        let expired = sealer.seal(Self.state(upstreams: 1, credential: Self.apiKey, expiresIn: -1))
        #expect(err(expired, nil) == .expired)
    }

    @Test func credentialHashAndConstantTimeCompare() {
        let h = SessionSealer.credentialHash(Array("abc".utf8))
        #expect(h.count == 32)
        #expect(h.prefix(4) == [0xBA, 0x78, 0x16, 0xBF])  // SHA-256("abc")
        #expect(constantTimeEqual(h, h))
        #expect(!constantTimeEqual(h, SessionSealer.credentialHash(Array("abd".utf8))))
        #expect(!constantTimeEqual(h, Array(h.prefix(31))))
        #expect(constantTimeEqual([], []))
    }

    @Test func randomKeysDiffer() {
        let keys = (0..<8).map { _ in SessionSealer.randomKey().withUnsafeBytes { Array($0) } }
        #expect(Set(keys).count == keys.count)
        #expect(keys.allSatisfy { $0.count == 32 })
    }

    // MARK: loadKey

    struct TempDir {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("agw-session-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            let path = url.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }
        func remove() { try? FileManager.default.removeItem(at: url) }
    }

    static let keyBytes: [UInt8] = (0..<32).map { UInt8(($0 * 37 + 200) & 0xFF) }  // binary, includes 0x00…0xFF range

    @Test func loadKeyAcceptsRawBase64AndHex() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let key = Self.keyBytes
        let hex = key.map { String(format: "%02x", $0) }.joined()
        let b64 = Data(key).base64EncodedString()
        let url = Base64.urlEncode(key)
        let forms: [(String, [UInt8])] = [
            ("raw", key),
            ("b64", Array(b64.utf8)),
            ("b64nl", Array((b64 + "\n").utf8)),
            ("b64ws", Array(("  \t" + b64 + " \r\n").utf8)),
            ("b64nopad", Array(b64.replacingOccurrences(of: "=", with: "").utf8)),
            ("b64url", Array((url + "\n").utf8)),
            ("hex", Array((hex + "\n").utf8)),
            ("HEX", Array(hex.uppercased().utf8)),
        ]
        let reference = SessionSealer(key: SymmetricKey(data: key))
        for (name, contents) in forms {
            let path = try dir.write(name, contents)
            let loaded = try SessionSealer.loadKey(file: path)
            #expect(loaded.withUnsafeBytes { Array($0) } == key, "form \(name)")
            // Interoperates with a sealer built from the same bytes.
            let state = Self.state(upstreams: 1)
            #expect(try SessionSealer(key: loaded).open(reference.seal(state), credential: Self.apiKey, now: Self.now) == state)
        }
    }

    @Test func loadKeyRejectsWrongSizesClearly() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let cases: [(String, [UInt8], String)] = [
            ("empty", [], "file is empty"),
            ("blank", Array("  \n".utf8), "only whitespace"),
            ("raw31", Array(Self.keyBytes.prefix(31)), "31 bytes of binary data, not 32"),
            ("raw33", Self.keyBytes + [0x0A], "33 bytes of binary data, not 32"),
            ("hex16", Array(String(repeating: "ab", count: 16).utf8), "hex text decodes to 16 bytes, not 32"),
            ("hex31", Array(String(repeating: "ab", count: 31).utf8), "hex text decodes to 31 bytes, not 32"),
            ("b64-16", Array(Data(repeating: 7, count: 16).base64EncodedString().utf8), "base64 text decodes to 16 bytes, not 32"),
            ("b64-48", Array(Data(repeating: 7, count: 48).base64EncodedString().utf8), "base64 text decodes to 48 bytes, not 32"),
            ("junk", Array("this is not a key!".utf8), "neither 64 hex digits nor valid base64"),
            ("big", [UInt8](repeating: 0x41, count: 5000), "larger than"),
        ]
        for (name, contents, fragment) in cases {
            let path = try dir.write(name, contents)
            do {
                _ = try SessionSealer.loadKey(file: path)
                Issue.record("\(name) was accepted")
            } catch let error as SessionKeyError {
                #expect(error.path == path)
                #expect(error.description.contains(fragment), "\(name): \(error.description)")
                #expect(error.description.contains(path) && error.description.contains("32 raw bytes"))
            }
        }
        let missing = dir.url.appendingPathComponent("missing").path
        #expect(throws: SessionKeyError.self) { try SessionSealer.loadKey(file: missing) }
        #expect(throws: SessionKeyError.self) { try SessionSealer.loadKey(file: dir.url.path) }  // a directory
    }

    @Test func strictBase64() {
        #expect(Base64.decode(Array("QQ".utf8), urlSafe: true) == [0x41])
        #expect(Base64.decode(Array("QR".utf8), urlSafe: true) == nil)     // non-zero trailing bits
        #expect(Base64.decode(Array("QQ==".utf8), urlSafe: true) == nil)   // no padding in tokens
        #expect(Base64.decode(Array("QQ==".utf8), urlSafe: nil) == [0x41])
        #expect(Base64.decode(Array("QQ=".utf8), urlSafe: nil) == nil)
        #expect(Base64.decode(Array("Q".utf8), urlSafe: nil) == nil)
        #expect(Base64.decode(Array("-+".utf8), urlSafe: nil) == nil)      // mixed alphabets
        for n in 0..<40 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 * 91 + 7) }
            #expect(Base64.decode(Array(Base64.urlEncode(bytes).utf8), urlSafe: true) == bytes)
            #expect(Base64.urlEncode(bytes) == Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: ""))
        }
    }

    @Test func codecRejectsNonCanonicalAndTrailingBytes() {
        let state = Self.state(upstreams: 2)
        let bytes = SessionStateCodec.encode(state)
        #expect(SessionStateCodec.decode(bytes) == state)
        #expect(SessionStateCodec.decode(bytes + [0]) == nil)
        for n in 0..<bytes.count { #expect(SessionStateCodec.decode(Array(bytes.prefix(n))) == nil) }
        var badFlags = bytes
        badFlags[8] |= 0x80
        #expect(SessionStateCodec.decode(badFlags) == nil)
    }
}
