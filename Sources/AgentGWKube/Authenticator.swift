import Foundation

/// The credentials for one request: an `Authorization` header and/or a client certificate.
struct RequestCredentials: Sendable {
    var authorization: String?
    var clientCertificate: [UInt8]?
    var clientKey: [UInt8]?
}

/// Hands out credentials and refreshes the ones that rotate: a tokenFile is re-read every
/// `tokenFileRefresh` and after a 401; an exec plugin's result is cached until it expires and
/// re-run after a 401 (client-go transport/token_source.go, plugin/pkg/client/auth/exec).
actor Authenticator {
    let config: ClientConfig
    private var fileToken: (value: String, readAt: ContinuousClock.Instant)?
    private var execResult: ExecCredential?
    private var execTask: Task<ExecCredential, any Error>?
    private let staticCert: [UInt8]?
    private let staticKey: [UInt8]?
    private let caData: [UInt8]?
    /// How many times the plugin ran (tests check caching with it).
    private(set) var execRuns = 0

    init(config: ClientConfig) throws(KubeError) {
        self.config = config
        do {
            staticCert = try config.credentials.clientCertificate?.bytes()
            staticKey = try config.credentials.clientKey?.bytes()
            caData = try config.certificateAuthority?.bytes()
        } catch {
            throw .config(error.message)
        }
    }

    /// Whether a 401 may be fixed by asking again (something rotates).
    nonisolated var canRefresh: Bool {
        config.usesTLS && (config.credentials.tokenFile != nil || config.credentials.exec != nil)
    }

    func credentials() async throws(KubeError) -> RequestCredentials {
        // clientcmd attaches credentials only to TLS transports.
        guard config.usesTLS else { return RequestCredentials() }
        let c = config.credentials
        var out = RequestCredentials(clientCertificate: staticCert, clientKey: staticKey)
        if let token = c.token {
            out.authorization = "Bearer \(token)"
        } else if let file = c.tokenFile {
            out.authorization = "Bearer \(try readTokenFile(file))"
        } else if c.exec != nil {
            let cred = try await execCredential()
            if let t = cred.token { out.authorization = "Bearer \(t)" }
            if let cert = cred.clientCertificateData, let key = cred.clientKeyData {
                out.clientCertificate = cert
                out.clientKey = key
            }
        } else if let t = c.authProviderToken {
            out.authorization = "Bearer \(t)"
        } else if let u = c.username, let p = c.password {
            out.authorization = "Basic " + Data("\(u):\(p)".utf8).base64EncodedString()
        }
        return out
    }

    /// After a 401: forget cached tokens so the next call reads/executes again.
    func invalidate() {
        fileToken = nil
        execResult = nil
    }

    private func readTokenFile(_ path: String) throws(KubeError) -> String {
        let now = ContinuousClock.now
        if let cached = fileToken, now - cached.readAt < config.tokenFileRefresh { return cached.value }
        guard let data = FileManager.default.contents(atPath: path) else {
            // Keep serving the last good token if a rotation is half-written (client-go does too).
            if let cached = fileToken { return cached.value }
            throw .credentials("failed to read token file \"\(path)\"")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw .credentials("read empty token from file \"\(path)\"") }
        fileToken = (token, now)
        return token
    }

    private func execCredential() async throws(KubeError) -> ExecCredential {
        if let cached = execResult {
            if let exp = cached.expiration, exp <= Date() {
                execResult = nil
            } else {
                return cached
            }
        }
        // One run at a time: concurrent requests wait for the same plugin run.
        let task: Task<ExecCredential, any Error>
        if let running = execTask {
            task = running
        } else {
            guard let exec = config.credentials.exec else { throw .credentials("no exec plugin configured") }
            let runner = ExecPluginRunner(config: exec, environment: config.environment, server: config.server,
                                          certificateAuthorityData: caData, insecureSkipTLSVerify: config.insecureSkipTLSVerify,
                                          tlsServerName: config.tlsServerName)
            execRuns += 1
            // The plugin blocks while it runs: keep it off Swift's cooperative threads.
            task = Task {
                try await withCheckedThrowingContinuation { (cont: CheckedContinuation<ExecCredential, any Error>) in
                    DispatchQueue.global().async {
                        do { cont.resume(returning: try runner.run()) } catch { cont.resume(throwing: error) }
                    }
                }
            }
            execTask = task
        }
        do {
            let result = try await task.value
            execTask = nil
            execResult = result
            return result
        } catch let e as KubeError {
            execTask = nil
            throw e
        } catch {
            execTask = nil
            throw .credentials("\(error)")
        }
    }
}
