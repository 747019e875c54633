import ArgumentParser
import AgentGWModel

/// `create apikey-secret NAME`: the Secret a TrafficPolicy's apiKeyAuth reads.
struct CreateAPIKeySecret: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey-secret",
        abstract: "Create a Secret of API keys.",
        discussion: """
        Each key has an ID (the Secret key) and a value (the credential
        clients send as 'Authorization: Bearer <value>'). --generate N makes
        N keys of 32 random bytes (URL-safe base64) from the system CSPRNG;
        they are printed once, in the Secret.
        Examples:
          kubectl agentgw create apikey-secret mcp-api-key \\
            --key key1=key-value-foo --key key2=key-value-bar
          kubectl agentgw create apikey-secret mcp-api-key --generate 2 \\
            | kubectl apply -f -
        """
    )

    @Argument(help: "Name of the Secret.") var name: String
    @Option(name: .customLong("key"), help: ArgumentHelp("ID=VALUE; repeatable.", valueName: "id=value")) var keys: [String] = []
    @Option(help: "Generate N random keys (key1..keyN).") var generate: Int?
    @OptionGroup var namespace: NamespaceOptions
    @OptionGroup var output: CreateOutputOptions

    func validate() throws {
        if keys.isEmpty && generate == nil { throw ValidationError("give --key ID=VALUE (repeatable) or --generate N") }
        if !keys.isEmpty && generate != nil { throw ValidationError("give --key or --generate, not both") }
        if let n = generate, !(1...100).contains(n) { throw ValidationError("--generate must be between 1 and 100") }
    }

    func run() throws {
        let pairs = try Self.keyPairs(keys: keys, generate: generate)
        let secret = try AgentGWCLI.generate { () throws(GeneratorError) in
            try Generators.apiKeySecret(name: name, namespace: namespace.namespace, keys: pairs)
        }
        output.print([secret])
    }

    static func keyPairs(keys: [String], generate: Int?) throws -> [(id: String, value: String)] {
        if let n = generate {
            return (1...n).map { (id: "key\($0)", value: Generators.generateAPIKey()) }
        }
        return try keys.map { k in
            let kv = k.split(separator: "=", maxSplits: 1).map(String.init)
            // The value is a secret: never echo it in the error.
            guard kv.count == 2 else { throw CLIError("--key: expected ID=VALUE (got an argument without '=')") }
            return (id: kv[0], value: kv[1])
        }
    }
}
