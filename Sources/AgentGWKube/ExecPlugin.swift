import AgentGWModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What an exec credential plugin returned (`ExecCredential.status`).
public struct ExecCredential: Sendable, Equatable {
    public var token: String?
    public var clientCertificateData: [UInt8]?
    public var clientKeyData: [UInt8]?
    public var expiration: Date?

    /// Parses a plugin's stdout; `apiVersion` must match the configured one (client-go checks it).
    public static func parse(_ bytes: [UInt8], expectedAPIVersion: String) throws(KubeError) -> ExecCredential {
        let docs: [Node]
        do { docs = try YAMLReader.read(bytes, file: "exec plugin output") } catch {
            throw .credentials("exec: decoding stdout: \(error.message)")
        }
        guard let root = docs.first, root.isObject else { throw .credentials("exec: decoding stdout: not a JSON object") }
        guard root["kind"]?.string == "ExecCredential" else {
            throw .credentials("exec: decoding stdout: kind \"\(root["kind"]?.string ?? "")\" is not ExecCredential")
        }
        let got = root["apiVersion"]?.string ?? ""
        guard got == expectedAPIVersion else {
            throw .credentials("exec plugin is configured to use API version \(expectedAPIVersion), plugin returned version \(got)")
        }
        guard let status = root["status"], status.isObject else {
            throw .credentials("exec plugin didn't return a status field")
        }
        var c = ExecCredential()
        c.token = status["token"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        let cert = status["clientCertificateData"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        let key = status["clientKeyData"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        if (cert == nil) != (key == nil) {
            throw .credentials("exec plugin didn't return client certificate data and key data together")
        }
        c.clientCertificateData = cert.map { Array($0.utf8) }
        c.clientKeyData = key.map { Array($0.utf8) }
        if c.token == nil && cert == nil {
            throw .credentials("exec plugin didn't return a token or cert/key pair")
        }
        if let ts = status["expirationTimestamp"]?.string, !ts.isEmpty {
            guard let d = RFC3339.parse(ts) else { throw .credentials("exec: invalid expirationTimestamp \"\(ts)\"") }
            c.expiration = d
        }
        return c
    }
}

/// RFC 3339 timestamps as Kubernetes writes them.
public enum RFC3339 {
    public static func parse(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: s)
    }

    public static func format(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }
}

/// Runs a client-go credential plugin (client.authentication.k8s.io v1 or v1beta1).
public struct ExecPluginRunner: Sendable {
    public var config: ExecConfig
    public var environment: [String: String]
    /// Server URL and CA for `spec.cluster` when `provideClusterInfo` is set.
    public var server: String
    public var certificateAuthorityData: [UInt8]?
    public var insecureSkipTLSVerify: Bool
    public var tlsServerName: String?

    public init(config: ExecConfig, environment: [String: String], server: String,
                certificateAuthorityData: [UInt8]? = nil, insecureSkipTLSVerify: Bool = false, tlsServerName: String? = nil) {
        self.config = config
        self.environment = environment
        self.server = server
        self.certificateAuthorityData = certificateAuthorityData
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.tlsServerName = tlsServerName
    }

    /// `KUBERNETES_EXEC_INFO`: never interactive (we have no terminal handshake), cluster info on request.
    public var execInfo: String {
        var spec: Node = ["interactive": false]
        if config.provideClusterInfo {
            var cluster: Node = ["server": .string(server)]
            if let n = tlsServerName { cluster.set("tls-server-name", .string(n)) }
            if insecureSkipTLSVerify { cluster.set("insecure-skip-tls-verify", true) }
            if let ca = certificateAuthorityData { cluster.set("certificate-authority-data", .string(Data(ca).base64EncodedString())) }
            spec.set("cluster", cluster)
        }
        let node: Node = ["apiVersion": .string(config.apiVersion), "kind": "ExecCredential", "spec": spec]
        return JSONWriter.write(node, indent: nil)
    }

    /// The executable's full path: as given when it has a `/`, else found on PATH.
    func executablePath() -> String? {
        if config.command.contains("/") {
            return FileManager.default.isExecutableFile(atPath: config.command) ? config.command : nil
        }
        var path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for e in config.env where e.name == "PATH" { path = e.value }
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(config.command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    func notFoundMessage() -> String {
        var m = "exec: executable \(config.command) not found"
        // client-go prints the generic pointer, then the installHint.
        m += "\n\nIt looks like you are trying to use a client-go credential plugin that is not installed.\n\nTo learn more about this feature, consult the documentation available at:\n      https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins"
        if let hint = config.installHint, !hint.isEmpty { m += "\n\n\(hint)" }
        return m
    }

    /// Runs the plugin once and parses what it printed. Blocking; call off the cooperative pool.
    public func run() throws(KubeError) -> ExecCredential {
        // We never hold a terminal for the plugin (client-go refuses Always without one too).
        if config.interactiveMode == "Always" { throw .credentials("exec plugin cannot support interactive mode") }
        guard let exe = executablePath() else { throw .credentials(notFoundMessage()) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: exe)
        process.arguments = config.args
        var env = environment
        for e in config.env { env[e.name] = e.value }
        env["KUBERNETES_EXEC_INFO"] = execInfo
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        // The plugin's stderr is for the user (client-go passes it through).
        process.standardError = FileHandle.standardError
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw .credentials(notFoundMessage())
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw .credentials("exec: executable \(config.command) failed with exit code \(process.terminationStatus)")
        }
        return try ExecCredential.parse([UInt8](data), expectedAPIVersion: config.apiVersion)
    }
}
