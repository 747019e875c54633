/// API key checks for `apiKeyAuth`.
public enum APIKeyAuth {
    /// The key a request carries: `Authorization: Bearer KEY`, or the raw value of the
    /// policy's header.
    public static func presentedKey(headers: [(name: String, value: String)], header: String?) -> [UInt8]? {
        if let header {
            return headers.first { $0.name.lowercased() == header.lowercased() }.map { Array($0.value.utf8) }
        }
        guard let auth = headers.first(where: { $0.name.lowercased() == "authorization" })?.value else { return nil }
        let parts = auth.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return Array(parts[1].utf8)
    }

    /// Whether `presented` equals one of `keys`. Every key is compared in full, so the time
    /// taken doesn't tell which key (or how much of one) matched.
    public static func accepts(_ presented: [UInt8]?, keys: [[UInt8]]) -> Bool {
        guard let presented else { return false }
        var matched: UInt8 = 0
        for key in keys { matched |= constantTimeEquals(presented, key) ? 1 : 0 }
        return matched == 1
    }

    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        // Length differences fold into the difference without an early return.
        var diff = UInt64(a.count ^ b.count)
        let n = max(a.count, b.count)
        for i in 0..<n {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            diff |= UInt64(x ^ y)
        }
        return diff == 0
    }
}
