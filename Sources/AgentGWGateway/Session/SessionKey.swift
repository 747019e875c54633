// Session-sealing keys: loading from a file (raw / base64 / hex), generating, and the small
// byte-level helpers (base64url, hex, constant-time compare) that SessionToken.swift uses.
//
// Every replica behind a load balancer must load the same key file (typically a mounted
// Kubernetes Secret) so that any replica can open a session id issued by any other.

import Crypto
import Foundation

/// Why a session key file could not be loaded. `description` is a complete, user-facing message.
public struct SessionKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file that was read.
    public var path: String
    /// What was wrong with it.
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        "session key file \(path): \(reason) (expected exactly 32 raw bytes, or the base64 or hex encoding of 32 bytes; generate one with `head -c 32 /dev/urandom | base64`)"
    }
}

extension SessionSealer {
    /// The key size in bytes (AES-256).
    public static let keyByteCount = 32

    /// Files larger than this are rejected without being parsed (a key file is tiny).
    static let maxKeyFileBytes = 4096

    /// Loads a 256-bit session key from `file`.
    ///
    /// Accepted contents:
    /// - exactly 32 raw bytes (binary; a 32-byte file made only of printable text is instead
    ///   treated as text, since it is almost surely a mis-encoded key such as 16 bytes in hex);
    /// - text, surrounding whitespace ignored: 64 hex digits, or base64 (standard or URL
    ///   alphabet, padding optional) that decodes to 32 bytes.
    ///
    /// - Throws: ``SessionKeyError`` naming the file and the problem (unreadable, empty, too large,
    ///   not hex/base64, or the wrong number of bytes).
    public static func loadKey(file: String) throws -> SymmetricKey {
        let data: Data
        do {
            let url = URL(fileURLWithPath: file)
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            data = try handle.read(upToCount: maxKeyFileBytes + 1) ?? Data()
        } catch {
            throw SessionKeyError(path: file, reason: "cannot read: \(error.localizedDescription)")
        }
        let bytes = [UInt8](data)
        switch parseKeyMaterial(bytes) {
        case .success(let key): return SymmetricKey(data: key)
        case .failure(let reason): throw SessionKeyError(path: file, reason: reason.text)
        }
    }

    /// A fresh random 256-bit key from the system CSPRNG (for a single replica, or for tests).
    public static func randomKey() -> SymmetricKey {
        SymmetricKey(size: .bits256)
    }

    struct KeyParseFailure: Error, Equatable { var text: String }

    /// Parses key-file contents into exactly 32 key bytes (see ``loadKey(file:)`` for the rules).
    static func parseKeyMaterial(_ bytes: [UInt8]) -> Result<[UInt8], KeyParseFailure> {
        if bytes.isEmpty { return .failure(.init(text: "file is empty")) }
        if bytes.count > maxKeyFileBytes {
            return .failure(.init(text: "file is larger than \(maxKeyFileBytes) bytes"))
        }
        let isText = bytes.allSatisfy { ($0 >= 0x20 && $0 <= 0x7E) || isWhitespace($0) }
        if bytes.count == keyByteCount && !isText { return .success(bytes) }
        if !isText {
            return .failure(.init(text: "file holds \(bytes.count) bytes of binary data, not 32"))
        }
        let text = trimWhitespace(bytes)
        if text.isEmpty { return .failure(.init(text: "file holds only whitespace")) }
        let allHex = text.allSatisfy(isHexDigit)
        if allHex && text.count == 2 * keyByteCount, let key = Hex.decode(text) { return .success(key) }
        let base64 = Base64.decode(text, urlSafe: nil)
        if let key = base64, key.count == keyByteCount { return .success(key) }
        if allHex && text.count % 2 == 0 {
            return .failure(.init(text: "hex text decodes to \(text.count / 2) bytes, not 32"))
        }
        if let key = base64 {
            return .failure(.init(text: "base64 text decodes to \(key.count) bytes, not 32"))
        }
        return .failure(.init(text: "text is neither 64 hex digits nor valid base64"))
    }

    private static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    private static func isHexDigit(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
    }
    private static func trimWhitespace(_ bytes: [UInt8]) -> [UInt8] {
        guard let first = bytes.firstIndex(where: { !isWhitespace($0) }),
              let last = bytes.lastIndex(where: { !isWhitespace($0) }) else { return [] }
        return Array(bytes[first...last])
    }
}

/// Constant-time equality for secrets: the time taken depends only on the lengths.
func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var diff: UInt8 = 0
    for i in 0..<a.count { diff |= a[i] ^ b[i] }
    return diff == 0
}

/// Lowercase/uppercase hex decoding (strict: even length, hex digits only).
enum Hex {
    static func decode(_ text: [UInt8]) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 2)
        var i = 0
        while i < text.count {
            guard let hi = nibble(text[i]), let lo = nibble(text[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}

/// Base64 (RFC 4648 §4) and base64url (§5), implemented here so that decoding is *strict*:
/// unused trailing bits must be zero, so every byte string has exactly one accepted encoding and
/// no character of a token can change without changing the decoded bytes.
enum Base64 {
    private static let urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// base64url without padding; output is in `[A-Za-z0-9_-]`.
    static func urlEncode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(urlAlphabet[Int(n >> 18 & 63)])
            out.append(urlAlphabet[Int(n >> 12 & 63)])
            out.append(urlAlphabet[Int(n >> 6 & 63)])
            out.append(urlAlphabet[Int(n & 63)])
            i += 3
        }
        switch bytes.count - i {
        case 1:
            let n = UInt32(bytes[i]) << 16
            out.append(urlAlphabet[Int(n >> 18 & 63)])
            out.append(urlAlphabet[Int(n >> 12 & 63)])
        case 2:
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out.append(urlAlphabet[Int(n >> 18 & 63)])
            out.append(urlAlphabet[Int(n >> 12 & 63)])
            out.append(urlAlphabet[Int(n >> 6 & 63)])
        default:
            break
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Strict decoding. `urlSafe`: `true` accepts only `-_` and no padding (tokens); `false` only
    /// `+/`; `nil` accepts either alphabet (not mixed) with optional `=` padding (key files).
    static func decode<C: Collection>(_ text: C, urlSafe: Bool?) -> [UInt8]? where C.Element == UInt8 {
        var chars = Array(text)
        if urlSafe != true {
            var pad = 0
            while let last = chars.last, last == UInt8(ascii: "=") { chars.removeLast(); pad += 1 }
            if pad > 0 && (pad > 2 || (chars.count + pad) % 4 != 0) { return nil }
        }
        if chars.count % 4 == 1 { return nil }
        var sawURL = false, sawStd = false
        var out: [UInt8] = []
        out.reserveCapacity(chars.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for c in chars {
            let v: UInt8
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = c - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = c - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0") + 52
            case UInt8(ascii: "-"): v = 62; sawURL = true
            case UInt8(ascii: "_"): v = 63; sawURL = true
            case UInt8(ascii: "+"): v = 62; sawStd = true
            case UInt8(ascii: "/"): v = 63; sawStd = true
            default: return nil
            }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                acc &= (1 << UInt32(bits)) - 1
            }
        }
        if acc != 0 { return nil }  // non-canonical: leftover bits must be zero
        switch urlSafe {
        case true?: if sawStd { return nil }
        case false?: if sawURL { return nil }
        case nil: if sawStd && sawURL { return nil }
        }
        return out
    }
}
