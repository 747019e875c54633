// Gateway-issued MCP session ids that any replica can serve.
//
// Instead of a random id pointing into one replica's memory (the most reported failure of MCP
// gateways behind a load balancer), the `Mcp-Session-Id` the gateway hands to a client *is* the
// session: the upstream session ids, their endpoints, the negotiated protocol version, an expiry
// and the hash of the API key that created it, serialized compactly and sealed with AES-256-GCM
// under a key shared by all replicas. Any replica holding the key can open it; nobody else can
// read or forge it.
//
// Token layout (all visible ASCII, 0x21–0x7E, as MCP requires of session ids):
//
//     "agw1." base64url-no-padding( keyID[4] ‖ nonce[12] ‖ ciphertext ‖ tag[16] )
//
// - keyID = SHA-256(key)[0..<4], in clear so a token sealed under another key (a different
//   gateway, or a rotated key) is reported as `.foreignKey` without trying to decrypt. It is also
//   authenticated (with the prefix) as AES-GCM associated data, so altering it cannot go unnoticed;
//   a keyID that was altered in transit is reported as `.foreignKey` too. Two different keys share
//   a keyID with probability 2⁻³², in which case the result is `.tampered`.
// - nonce: 12 random bytes per token (fine for well over 2³⁰ tokens per key; rotate keys long
//   before 2³²).
// - plaintext (format 1), integers big-endian, `str` = LEB128 length + UTF-8 bytes:
//       expiresAt  Int64 (8 bytes)
//       flags      UInt8     bit0: credentialHash present
//       [credentialHash: LEB128 length + bytes]
//       protocolVersion str
//       count      LEB128
//       count × { flags UInt8 (bit0: sessionID present, bit1: protocolVersion equals the
//                 session's), target str, endpoint str, [sessionID str], [protocolVersion str] }
//   Unknown flag bits and trailing bytes are rejected.

import Crypto
import Foundation

/// What a gateway session remembers, sealed into the `Mcp-Session-Id` the client holds.
public struct SessionState: Sendable, Equatable {
    /// One upstream MCP server that this session has initialized.
    public struct Upstream: Sendable, Equatable {
        /// The backend target name (as in the route's MCP backend).
        public var target: String
        /// Where the upstream lives: `host:port/path`.
        public var endpoint: String
        /// The upstream's own `Mcp-Session-Id`, or `nil` for stateless servers.
        public var sessionID: String?
        /// The protocol version negotiated with this upstream.
        public var protocolVersion: String

        public init(target: String, endpoint: String, sessionID: String?, protocolVersion: String) {
            self.target = target
            self.endpoint = endpoint
            self.sessionID = sessionID
            self.protocolVersion = protocolVersion
        }
    }

    /// The upstreams this session fans out to, in order.
    public var upstreams: [Upstream]
    /// The protocol version negotiated with the client.
    public var protocolVersion: String
    /// When the session stops being valid, in unix seconds (valid while `now < expiresAt`).
    public var expiresAt: Int64
    /// SHA-256 of the API key that created the session (see ``SessionSealer/credentialHash(_:)``),
    /// or `nil` when authentication is off.
    public var credentialHash: [UInt8]?

    public init(upstreams: [Upstream], protocolVersion: String, expiresAt: Int64, credentialHash: [UInt8]?) {
        self.upstreams = upstreams
        self.protocolVersion = protocolVersion
        self.expiresAt = expiresAt
        self.credentialHash = credentialHash
    }
}

/// Why a session token was refused. The proxy answers every case with HTTP 404, which per the MCP
/// spec tells the client to start a new session; the cases exist for logs and metrics.
public enum SessionTokenError: Error, Sendable, Equatable {
    /// Not a token at all: wrong prefix, bad characters, bad base64, too short or too long.
    case malformed
    /// Sealed under our key but altered (authentication failed).
    case tampered
    /// Authentic but past its `expiresAt`.
    case expired
    /// Authentic, but presented with a different API key than the one that created it, or
    /// without one (or with one when it was created without authentication).
    case wrongCredential
    /// Sealed under a different key (another gateway, or a key that has since been rotated).
    case foreignKey
}

/// Seals ``SessionState`` into session-id tokens and opens them again. Replicas that share the key
/// interoperate: a token sealed by one opens on any other.
public struct SessionSealer: Sendable {
    /// Token prefix; names the format version.
    public static let prefix = "agw1."
    /// Tokens longer than this (in characters) are refused as `.malformed` before any decoding.
    /// Three upstreams with typical ids seal to about 0.5 KiB; this leaves room for dozens of
    /// upstreams or long (JWT-like) upstream session ids. States whose token would exceed it can
    /// be sealed but not opened.
    public static let maxTokenLength = 32 * 1024

    static let keyIDCount = 4
    static let nonceCount = 12
    static let tagCount = 16
    private static let prefixBytes = Array(prefix.utf8)

    /// `SymmetricKey` is an immutable value (its storage is never mutated after creation) but is
    /// not declared `Sendable` by swift-crypto.
    private struct KeyBox: @unchecked Sendable { let key: SymmetricKey }

    private let box: KeyBox
    private let keyID: [UInt8]
    private let associatedData: [UInt8]

    /// A sealer for `key`, which must be 256 bits (``loadKey(file:)`` and ``randomKey()`` always
    /// are); any other size is a programming error and traps.
    public init(key: SymmetricKey) {
        precondition(key.bitCount == 256, "SessionSealer needs a 256-bit key, got \(key.bitCount) bits")
        box = KeyBox(key: key)
        let digest = key.withUnsafeBytes { Array(SHA256.hash(data: $0)) }
        keyID = Array(digest.prefix(Self.keyIDCount))
        associatedData = Self.prefixBytes + keyID
    }

    /// SHA-256 of an API key, for ``SessionState/credentialHash``.
    public static func credentialHash(_ key: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: key))
    }

    /// Seals `state` into a token: `agw1.` followed by unpadded base64url, so only visible ASCII.
    /// Every call uses a fresh random nonce, so sealing the same state twice gives different tokens.
    public func seal(_ state: SessionState) -> String {
        let plaintext = SessionStateCodec.encode(state)
        let sealed: AES.GCM.SealedBox
        do {
            sealed = try AES.GCM.seal(plaintext, using: box.key, nonce: AES.GCM.Nonce(), authenticating: associatedData)
        } catch {
            // Only possible with an invalid key size, which init rules out.
            preconditionFailure("AES-GCM seal failed: \(error)")
        }
        var raw = keyID
        raw.reserveCapacity(keyID.count + Self.nonceCount + plaintext.count + Self.tagCount)
        raw.append(contentsOf: sealed.nonce)
        raw.append(contentsOf: sealed.ciphertext)
        raw.append(contentsOf: sealed.tag)
        return Self.prefix + Base64.urlEncode(raw)
    }

    /// Opens a token and checks it, in this order: shape (`.malformed`), key id (`.foreignKey`),
    /// authenticity (`.tampered`), expiry (`.expired`: refused once `now >= expiresAt`), and the
    /// credential (`.wrongCredential`).
    ///
    /// - Parameters:
    ///   - credential: the raw API key presented with this request (hashed here and compared in
    ///     constant time with the hash sealed in the token), or `nil` when the request carries none.
    ///     A token created with a key must be presented with the same key; a token created
    ///     without one must be presented without one.
    ///   - now: the current time in unix seconds.
    public func open(_ token: String, credential: [UInt8]?, now: Int64) throws(SessionTokenError) -> SessionState {
        let utf8 = token.utf8
        guard utf8.count <= Self.maxTokenLength,
              utf8.count > Self.prefixBytes.count,
              utf8.starts(with: Self.prefixBytes),
              let raw = Base64.decode(utf8.dropFirst(Self.prefixBytes.count), urlSafe: true),
              raw.count >= Self.keyIDCount + Self.nonceCount + Self.tagCount + SessionStateCodec.minimumCount
        else { throw SessionTokenError.malformed }

        guard constantTimeEqual(Array(raw.prefix(Self.keyIDCount)), keyID) else {
            throw SessionTokenError.foreignKey
        }

        let plaintext: Data
        do {
            let sealed = try AES.GCM.SealedBox(combined: raw.dropFirst(Self.keyIDCount))
            plaintext = try AES.GCM.open(sealed, using: box.key, authenticating: associatedData)
        } catch {
            throw SessionTokenError.tampered
        }

        // Authentic plaintext that does not decode can only come from a sealer of another
        // format sharing our key.
        guard let state = SessionStateCodec.decode([UInt8](plaintext)) else { throw SessionTokenError.malformed }
        guard now < state.expiresAt else { throw SessionTokenError.expired }

        switch (state.credentialHash, credential) {
        case (nil, nil):
            break
        case let (sealedHash?, presented?):
            guard constantTimeEqual(sealedHash, Self.credentialHash(presented)) else {
                throw SessionTokenError.wrongCredential
            }
        default:
            throw SessionTokenError.wrongCredential
        }
        return state
    }
}

/// The compact binary form of ``SessionState`` (layout at the top of this file).
enum SessionStateCodec {
    /// expiresAt + flags + empty protocol version + zero upstreams.
    static let minimumCount = 8 + 1 + 1 + 1

    private static let credentialFlag: UInt8 = 0x01
    private static let sessionIDFlag: UInt8 = 0x01
    private static let sameVersionFlag: UInt8 = 0x02

    static func encode(_ state: SessionState) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + state.upstreams.count * 96)
        let expires = UInt64(bitPattern: state.expiresAt)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: expires >> UInt64(shift))) }
        if let hash = state.credentialHash {
            out.append(credentialFlag)
            appendBytes(hash, to: &out)
        } else {
            out.append(0)
        }
        appendString(state.protocolVersion, to: &out)
        appendVarint(UInt64(state.upstreams.count), to: &out)
        for upstream in state.upstreams {
            let same = upstream.protocolVersion == state.protocolVersion
            var flags: UInt8 = 0
            if upstream.sessionID != nil { flags |= sessionIDFlag }
            if same { flags |= sameVersionFlag }
            out.append(flags)
            appendString(upstream.target, to: &out)
            appendString(upstream.endpoint, to: &out)
            if let id = upstream.sessionID { appendString(id, to: &out) }
            if !same { appendString(upstream.protocolVersion, to: &out) }
        }
        return out
    }

    static func decode(_ bytes: [UInt8]) -> SessionState? {
        var reader = Reader(bytes: bytes)
        guard let expiresBytes = reader.take(8) else { return nil }
        var expires: UInt64 = 0
        for b in expiresBytes { expires = expires << 8 | UInt64(b) }
        guard let flags = reader.byte(), flags & ~credentialFlag == 0 else { return nil }
        var hash: [UInt8]?
        if flags & credentialFlag != 0 {
            guard let h = reader.lengthPrefixed() else { return nil }
            hash = h
        }
        guard let version = reader.string(), let count = reader.varint(), count <= UInt64(bytes.count) else { return nil }
        var upstreams: [SessionState.Upstream] = []
        upstreams.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let uflags = reader.byte(), uflags & ~(sessionIDFlag | sameVersionFlag) == 0,
                  let target = reader.string(), let endpoint = reader.string() else { return nil }
            var sessionID: String?
            if uflags & sessionIDFlag != 0 {
                guard let id = reader.string() else { return nil }
                sessionID = id
            }
            var upstreamVersion = version
            if uflags & sameVersionFlag == 0 {
                // A separately stored version equal to the session's would be a second encoding.
                guard let v = reader.string(), v != version else { return nil }
                upstreamVersion = v
            }
            upstreams.append(.init(target: target, endpoint: endpoint, sessionID: sessionID, protocolVersion: upstreamVersion))
        }
        guard reader.atEnd else { return nil }
        return SessionState(upstreams: upstreams, protocolVersion: version,
                            expiresAt: Int64(bitPattern: expires), credentialHash: hash)
    }

    private static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    private static func appendBytes(_ bytes: [UInt8], to out: inout [UInt8]) {
        appendVarint(UInt64(bytes.count), to: &out)
        out.append(contentsOf: bytes)
    }

    private static func appendString(_ s: String, to out: inout [UInt8]) {
        appendBytes(Array(s.utf8), to: &out)
    }

    /// A bounds-checked cursor; every accessor returns `nil` instead of reading past the end.
    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        var atEnd: Bool { offset == bytes.count }

        mutating func byte() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func take(_ n: Int) -> ArraySlice<UInt8>? {
            guard n >= 0, n <= bytes.count - offset else { return nil }
            defer { offset += n }
            return bytes[offset..<offset + n]
        }

        /// Minimal (canonical) LEB128 of at most 9 bytes (63 bits).
        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            for i in 0..<9 {
                guard let b = byte() else { return nil }
                value |= UInt64(b & 0x7F) << UInt64(7 * i)
                if b & 0x80 == 0 {
                    if i > 0 && b == 0 { return nil }  // non-minimal encoding
                    return value
                }
            }
            return nil
        }

        mutating func lengthPrefixed() -> [UInt8]? {
            guard let n = varint(), n <= UInt64(bytes.count - offset), let slice = take(Int(n)) else { return nil }
            return Array(slice)
        }

        /// A length-prefixed string that must be valid UTF-8.
        mutating func string() -> String? {
            guard let raw = lengthPrefixed() else { return nil }
            let s = String(decoding: raw, as: UTF8.self)
            guard s.utf8.elementsEqual(raw) else { return nil }  // invalid UTF-8 was repaired
            return s
        }
    }
}
