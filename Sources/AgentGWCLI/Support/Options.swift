import ArgumentParser
import AgentGWModel

/// `-n/--namespace`, as kubectl spells it.
struct NamespaceOptions: ParsableArguments {
    @Option(name: [.short, .customLong("namespace")], help: "The namespace: set in created objects (omitted when not given); for validate and serve, the namespace of objects that name none (default: default).")
    var namespace: String?
}

/// How created objects are printed.
enum ObjectFormat: String, ExpressibleByArgument, CaseIterable {
    case yaml, json, name
}

/// `-o yaml|json|name` and `--dry-run`, as kubectl create takes them.
struct CreateOutputOptions: ParsableArguments {
    @Option(name: [.short, .customLong("output")], help: "Output format: yaml, json or name.")
    var output: ObjectFormat = .yaml

    @Option(name: .customLong("dry-run"), help: ArgumentHelp("none or client: create prints objects without contacting a cluster either way.", valueName: "strategy"))
    var dryRun: String = "client"

    func validate() throws {
        guard ["none", "client"].contains(dryRun) else {
            if dryRun == "server" {
                throw ValidationError("--dry-run=server needs a cluster; pipe the output to 'kubectl apply --dry-run=server -f -'")
            }
            throw ValidationError("--dry-run must be none or client, not \"\(dryRun)\"")
        }
    }

    /// Prints objects in the chosen format; several objects become YAML documents or a JSON List.
    func print(_ objects: [Node]) {
        switch output {
        case .yaml:
            Output.stdoutRaw(YAMLWriter.write(objects))
        case .json:
            let node: Node = objects.count == 1 ? objects[0] : ["apiVersion": "v1", "kind": "List", "items": .array(objects), "metadata": [:]]
            Output.stdout(JSONWriter.write(node))
        case .name:
            for o in objects { Output.stdout(ResourceNames.qualified(o)) }
        }
    }
}

/// kubectl's `<resource>.<group>/<name>` names.
enum ResourceNames {
    static func qualified(_ object: Node) -> String {
        let kind = object["kind"]?.string ?? ""
        let apiVersion = object["apiVersion"]?.string ?? ""
        let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
        let name = object["metadata"]?["name"]?.string ?? ""
        return group.isEmpty ? "\(kind.lowercased())/\(name)" : "\(kind.lowercased()).\(group)/\(name)"
    }
}

/// Turns a generator's refusal into a one-line error.
func generate<T>(_ body: () throws(GeneratorError) -> T) throws -> T {
    do { return try body() } catch { throw CLIError.usage(error.message) }
}
