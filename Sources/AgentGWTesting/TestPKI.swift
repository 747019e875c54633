import Foundation

/// The files `TestPKI.generate` writes.
public struct TestPKIFiles: Sendable {
    public var caCertificate: String
    public var caKey: String
    public var serverCertificate: String
    public var serverKey: String
    public var clientCertificate: String
    public var clientKey: String

    /// The paths `generate(in:)` uses in dir (whether or not the files exist yet).
    public init(in dir: String) {
        func p(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }
        self.init(caCertificate: p("ca.crt"), caKey: p("ca.key"), serverCertificate: p("server.crt"),
                  serverKey: p("server.key"), clientCertificate: p("client.crt"), clientKey: p("client.key"))
    }

    init(caCertificate: String, caKey: String, serverCertificate: String, serverKey: String, clientCertificate: String, clientKey: String) {
        self.caCertificate = caCertificate
        self.caKey = caKey
        self.serverCertificate = serverCertificate
        self.serverKey = serverKey
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
    }
}

/// Test certificates made with the real `openssl`.
public enum TestPKI {
    /// Runs `openssl` to make ca.crt/ca.key, server.crt/server.key (SAN IP:127.0.0.1,
    /// DNS:localhost), client.crt/client.key (CN=alice, O=devs) in dir; returns their paths.
    /// Keys are EC P-256 (fast to make, accepted by Go and BoringSSL).
    public static func generate(in dir: String) throws -> TestPKIFiles {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func p(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }
        let files = TestPKIFiles(in: dir)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + ec + ["-keyout", files.caKey, "-out", files.caCertificate, "-days", "3650",
                     "-subj", "/CN=agentgw-test-ca", "-addext", "basicConstraints=critical,CA:TRUE",
                     "-addext", "keyUsage=critical,keyCertSign,cRLSign"], dir: dir)
        for (name, subject, ext) in [
            ("server", "/CN=agentgw-test-apiserver",
             "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"),
            ("client", "/O=devs/CN=alice",
             "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"),
        ] {
            try openssl(["req"] + ec + ["-keyout", p("\(name).key"), "-out", p("\(name).csr"), "-subj", subject], dir: dir)
            try Data(ext.utf8).write(to: URL(fileURLWithPath: p("\(name).ext")))
            try openssl(["x509", "-req", "-in", p("\(name).csr"), "-CA", files.caCertificate, "-CAkey", files.caKey,
                         "-set_serial", String(UInt32.random(in: 1...UInt32.max)), "-days", "3650",
                         "-extfile", p("\(name).ext"), "-out", p("\(name).crt")], dir: dir)
        }
        return files
    }

    static func openssl(_ args: [String], dir: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + args
        // Output goes to a file, never a pipe: nothing can block on a full buffer.
        let log = (dir as NSString).appendingPathComponent("openssl.log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw TestAPIServerError(description: "openssl \(args.first ?? "") failed (exit \(process.terminationStatus)): \(text.split(separator: "\n").last ?? "")")
        }
    }
}
