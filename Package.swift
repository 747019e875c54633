// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "kubectl-agentgw",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kubectl-agentgw", targets: ["kubectl-agentgw"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // libyaml from the system (Debian: libyaml-dev). We drive its event API ourselves so that
        // positions, nesting depth and alias expansion are under our control.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        // Resource model, manifest reading/writing, generators, validation. No networking.
        .target(name: "AgentGWModel", dependencies: ["CYAML"]),
        // The MCP wire: JSON, JSON-RPC, SSE (Wire/, no networking), and the Streamable HTTP and
        // HTTP+SSE client that probe uses (Client/, Probe/).
        .target(name: "AgentGWMCP", dependencies: [
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // The web console's HTML, CSS and JS, embedded at build time (no files beside the binary).
        .target(name: "AgentGWConsole", exclude: ["Assets"], plugins: ["EmbedConsoleAssets"]),
        .executableTarget(name: "console-asset-embedder"),
        .plugin(name: "EmbedConsoleAssets", capability: .buildTool(), dependencies: ["console-asset-embedder"]),
        // The data plane: compiled runtime config, router, NIO proxy, policies, admin, metrics.
        // Never imports Kubernetes code: it receives config snapshots.
        .target(name: "AgentGWGateway", dependencies: [
            "AgentGWModel",
            "AgentGWMCP",
            "AgentGWConsole",
            // The console playground forwards to the data plane through a real HTTP client.
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            // HTTPS listeners (certificates from kubernetes.io/tls Secrets, chosen by SNI).
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            // AES-GCM sealed session ids (replicas share sessions), CSPRNG keys.
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Kubernetes API client: kubeconfig/in-cluster config, auth (token, client certs, exec
        // plugins), REST calls, discovery, server-side apply, watch. Works on generic objects
        // (Node) only; it never looks at our resource types.
        .target(name: "AgentGWKube", dependencies: [
            "AgentGWModel",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        // Test support: a faithful in-memory Kubernetes API server (HTTP and HTTPS) for tests
        // and benchmarks. Never linked into kubectl-agentgw.
        .target(name: "AgentGWTesting", dependencies: [
            "AgentGWModel",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        // serve --kubernetes: watch, compile, swap, status, Services per Gateway, leader election.
        .target(name: "AgentGWController", dependencies: [
            "AgentGWKube",
            "AgentGWGateway",
            "AgentGWModel",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        // Fuzz targets for the parsers of untrusted input. A normal build replays a corpus (CI);
        // Fuzz/run.sh builds it with libFuzzer (-sanitize=fuzzer -DFUZZING).
        .executableTarget(name: "agentgw-fuzz", dependencies: [
            "AgentGWModel", "AgentGWMCP", "AgentGWGateway", "AgentGWKube",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The test API server as a process, for benchmarks and for trying kubectl by hand.
        .executableTarget(name: "agentgw-test-apiserver", dependencies: ["AgentGWTesting"]),
        // Commands: parse flags, call libraries, print. The only module importing ArgumentParser.
        .target(name: "AgentGWCLI", dependencies: [
            "AgentGWModel",
            "AgentGWMCP",
            "AgentGWGateway",
            "AgentGWKube",
            "AgentGWController",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "kubectl-agentgw", dependencies: ["AgentGWCLI"]),
        .testTarget(name: "AgentGWModelTests", dependencies: ["AgentGWModel"]),
        .testTarget(name: "AgentGWMCPTests", dependencies: ["AgentGWMCP"]),
        .testTarget(name: "AgentGWKubeTests", dependencies: ["AgentGWKube", "AgentGWTesting", "AgentGWModel"]),
        .testTarget(name: "AgentGWControllerTests", dependencies: ["AgentGWController", "AgentGWTesting", "AgentGWKube", "AgentGWGateway", "AgentGWModel"]),
        .testTarget(name: "AgentGWTestingTests", dependencies: ["AgentGWTesting", "AgentGWModel"]),
        .testTarget(name: "AgentGWGatewayTests", dependencies: ["AgentGWGateway", "AgentGWModel", "AgentGWMCP"]),
        // Process-level tests: run the built binary (and real kubectl and the MCP peers).
        .testTarget(name: "AgentGWCLITests", dependencies: ["AgentGWModel", "AgentGWTesting"], exclude: ["Fixtures"]),
    ]
)
