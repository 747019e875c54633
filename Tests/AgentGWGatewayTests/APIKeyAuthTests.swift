import Testing
@testable import AgentGWGateway

/// API key matching: exact bytes only, against any of the configured keys.
@Suite struct APIKeyAuthTests {
    let keys: [[UInt8]] = [Array("key-value-foo".utf8), Array("key-value-bar".utf8)]

    @Test func onlyAnExactKeyIsAccepted() {
        #expect(APIKeyAuth.accepts(Array("key-value-foo".utf8), keys: keys))
        #expect(APIKeyAuth.accepts(Array("key-value-bar".utf8), keys: keys))
        for near in ["key-value-fo", "key-value-fooo", "key-value-fop", "Key-value-foo", "", "key-value-foo\0"] {
            #expect(!APIKeyAuth.accepts(Array(near.utf8), keys: keys), "\(near)")
        }
        #expect(!APIKeyAuth.accepts(nil, keys: keys))
        #expect(!APIKeyAuth.accepts(Array("anything".utf8), keys: []))
    }

    @Test func lengthDifferencesNeverMatchEvenWithZeroBytes() {
        // The shorter side is padded with zeros inside the comparison; the length still counts.
        #expect(!APIKeyAuth.constantTimeEquals([0, 0], [0, 0, 0]))
        #expect(!APIKeyAuth.constantTimeEquals([], [0]))
        #expect(APIKeyAuth.constantTimeEquals([1, 2, 3], [1, 2, 3]))
    }

    @Test func theKeyComesFromBearerOrThePolicysHeader() {
        let headers: [(name: String, value: String)] = [("Authorization", "Bearer abc"), ("X-Key", "xyz")]
        #expect(APIKeyAuth.presentedKey(headers: headers, header: nil) == Array("abc".utf8))
        #expect(APIKeyAuth.presentedKey(headers: headers, header: "x-key") == Array("xyz".utf8))
        #expect(APIKeyAuth.presentedKey(headers: [("Authorization", "Basic abc")], header: nil) == nil)
    }
}
