import NIOSSL

/// The certificates of one HTTPS port: each listener's `tls.certificateRefs`, parsed once at
/// compile time. The handshake picks one by SNI, the way the Gateway API matches listener
/// hostnames: an exact name, then the most specific wildcard, then a listener without one.
public struct ListenerTLS: Sendable {
    public struct Certificate: Sendable {
        /// The listener's hostname (nil: any name).
        public var hostname: String?
        public var chain: [NIOSSLCertificate]
        public var key: NIOSSLPrivateKey
        /// `namespace/name` of the Secret, for /config and logs (never its data).
        public var secret: String
    }

    public var certificates: [Certificate]

    public init(certificates: [Certificate]) {
        self.certificates = certificates
    }

    /// The certificate for a client's SNI name (nil when it sent none).
    public func certificate(for sni: String?) -> Certificate? {
        let name = sni?.lowercased()
        if let name, let exact = certificates.first(where: { $0.hostname?.lowercased() == name }) { return exact }
        if let name {
            let wildcards = certificates.filter { c in
                guard let h = c.hostname?.lowercased(), h.hasPrefix("*.") else { return false }
                return name.hasSuffix(h.dropFirst()) && name.count > h.count - 1
            }
            if let best = wildcards.max(by: { ($0.hostname?.count ?? 0) < ($1.hostname?.count ?? 0) }) { return best }
        }
        return certificates.first { $0.hostname == nil } ?? certificates.first
    }

    /// Parses a kubernetes.io/tls Secret's `tls.crt` and `tls.key`; the error never quotes them.
    public static func parse(chainPEM: [UInt8], keyPEM: [UInt8]) -> Result<(chain: [NIOSSLCertificate], key: NIOSSLPrivateKey), TLSMaterialError> {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMBytes(chainPEM) } catch { return .failure(.init(field: "tls.crt", problem: "is not a PEM certificate chain")) }
        if chain.isEmpty { return .failure(.init(field: "tls.crt", problem: "holds no certificate")) }
        let key: NIOSSLPrivateKey
        do { key = try NIOSSLPrivateKey(bytes: keyPEM, format: .pem) } catch { return .failure(.init(field: "tls.key", problem: "is not a PEM private key")) }
        return .success((chain, key))
    }
}

public struct TLSMaterialError: Error, Sendable {
    public var field: String
    public var problem: String
}
