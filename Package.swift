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
    ],
    targets: [
        // libyaml from the system (Debian: libyaml-dev). We drive its event API ourselves so that
        // positions, nesting depth and alias expansion are under our control.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        // Resource model, manifest reading/writing, generators, validation. No networking.
        .target(name: "AgentGWModel", dependencies: ["CYAML"]),
        // Commands: parse flags, call libraries, print. The only module importing ArgumentParser.
        .target(name: "AgentGWCLI", dependencies: [
            "AgentGWModel",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "kubectl-agentgw", dependencies: ["AgentGWCLI"]),
        .testTarget(name: "AgentGWModelTests", dependencies: ["AgentGWModel"]),
        // Process-level tests: run the built binary (and real kubectl) and check output and exit codes.
        .testTarget(name: "AgentGWCLITests", dependencies: ["AgentGWModel"]),
    ]
)
