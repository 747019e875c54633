import Foundation
import Testing
@testable import AgentGWMCP

/// `python3 -m http.server` on a free loopback port, serving a temporary folder; killed by PID.
final class StaticPages: @unchecked Sendable {
    let process = Process()
    let root: URL
    private(set) var port = 0

    init(files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("agentgw-pages-\(UUID().uuidString)")
        for (path, text) in files {
            let file = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", root.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // First line: "Serving HTTP on 127.0.0.1 port 43567 (http://127.0.0.1:43567/) ..."
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let words = String(decoding: line, as: UTF8.self).split(separator: " ")
        guard let i = words.firstIndex(of: "port"), i + 1 < words.count, let port = Int(words[i + 1]) else {
            stop()
            throw PagesError(description: "python3 -m http.server did not start: \(String(decoding: line, as: UTF8.self))")
        }
        self.port = port
    }

    var base: String { "http://127.0.0.1:\(port)" }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: root)
    }

    struct PagesError: Error, CustomStringConvertible { var description: String }
}

@Suite("SampleServer fetch tool", .serialized, .timeLimit(.minutes(2)))
struct SampleServerFetchTests {
    @Test func fetchesTextFollowsRedirectsAndTruncates() async throws {
        let long = String(repeating: "0123456789", count: 1000)
        let pages = try StaticPages(files: ["hello.txt": "peer page\n\n# Hello from loopback\n", "dir/index.html": "<p>index</p>", "long.txt": long])
        defer { pages.stop() }
        try await withSampleServer { server, http in
            for era in [EraPreference.legacy, .modern] {
                let conn = try await MCPConnector.connect(url: server.url, era: era, transport: nil, http: http, auth: [], observer: nil)
                func fetch(_ args: JSONValue) async throws -> JSONValue {
                    try await conn.request("tools/call", params: ["name": "fetch", "arguments": args])
                }
                let hello = try await fetch(["url": .string(pages.base + "/hello.txt")])
                #expect(hello["isError"] == false)
                #expect(hello["content"]?[0]?["text"] == .string("Contents of \(pages.base)/hello.txt:\npeer page\n\n# Hello from loopback\n"))

                // /dir redirects to /dir/ (301), which serves index.html.
                let redirected = try await fetch(["url": .string(pages.base + "/dir")])
                #expect(redirected["content"]?[0]?["text"]?.string?.hasSuffix("<p>index</p>") == true, "\(redirected)")

                let short = try await fetch(["url": .string(pages.base + "/long.txt"), "max_length": 25])
                let text = try #require(short["content"]?[0]?["text"]?.string)
                #expect(text.hasPrefix("Contents of \(pages.base)/long.txt:\n0123456789012345678901234\n\n[Content truncated at 25 characters"), "\(text)")
                let whole = try await fetch(["url": .string(pages.base + "/long.txt")])
                #expect(whole["content"]?[0]?["text"]?.string?.contains("[Content truncated at 5000 characters") == true)

                let missing = try await fetch(["url": .string(pages.base + "/nope.txt")])
                #expect(missing["isError"] == true)
                #expect(missing["content"]?[0]?["text"]?.string?.contains("status code 404") == true)
                await conn.close()
            }
        }
    }

    @Test func failuresAreToolErrors() async throws {
        try await withSampleServer { server, http in
            let conn = try await MCPConnector.connect(url: server.url, era: .modern, transport: nil, http: http, auth: [], observer: nil)
            let cases: [(JSONValue, String)] = [
                (["url": "ftp://example.com/x"], "Invalid URL"),
                (["url": "not a url"], "Invalid URL"),
                (["url": "http://127.0.0.1:1/"], "connection refused"),
                (["url": .string(server.url), "max_length": 0], "max_length"),
                ([:], "missing required argument \"url\""),
                // The sample server's own endpoint answers a bare GET with 400 (no session).
                (["url": .string(server.url)], "status code 400"),
            ]
            for (args, needle) in cases {
                let r = try await conn.request("tools/call", params: ["name": "fetch", "arguments": args])
                #expect(r["isError"] == true, "\(args)")
                #expect(r["content"]?[0]?["text"]?.string?.contains(needle) == true, "\(args): \(r)")
            }
        }
    }
}
