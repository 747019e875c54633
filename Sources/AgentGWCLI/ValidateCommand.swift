import ArgumentParser
import AgentGWModel

/// `validate -f ...`: offline checks with `file:line:col` findings.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check manifests offline: schemas, CEL rules and cross-references.",
        discussion: """
        Checks Gateway API objects against the embedded v1.6.1 CRDs (their
        CEL rules hand-coded), Backend and TrafficPolicy against our CRDs
        (the ones 'install crds' prints), and the references between
        objects. A reference to an object missing from the input is a
        warning (it may exist in the cluster); one the input contradicts is
        an error. Findings print as
          FILE:LINE:COL: error|warning: message (rule-id)
        Exit codes: 0 valid, 1 invalid (or warnings with --strict),
        2 usage or I/O error.
        Examples:
          kubectl agentgw validate -f mcp-gateway.yaml -f mcp-api-key.yaml
          kubectl agentgw create mcp demo --service demo:8000 | kubectl agentgw validate -f -
          kubectl agentgw validate -R -f manifests/ -o json
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(name: [.short, .customLong("filename")], help: ArgumentHelp("A file, folder or - for stdin; repeatable.", valueName: "path"))
    var files: [String] = []
    @Flag(name: [.customShort("R"), .customLong("recursive")], help: "Recurse into folders.") var recursive = false
    @Flag(help: "Treat warnings as errors.") var strict = false
    @Option(name: [.short, .customLong("output")], help: "text or json.") var output: Format = .text
    @Option(name: .customLong("gateway-class"), help: "GatewayClass names served (repeatable).") var gatewayClasses: [String] = [AgentGateway.defaultGatewayClass]
    @OptionGroup var namespace: NamespaceOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one -f FILE|DIR|-") }
    }

    func run() throws {
        let inputs: LoadedInputs
        do {
            inputs = try ManifestLoader.load(files, recursive: recursive)
        } catch {
            throw CLIError.usage(error.description)
        }
        let checker = ReferenceChecker(servedClasses: Set(gatewayClasses), defaultNamespace: namespace.namespace ?? "default")
        let report = ManifestValidator(references: checker).validate(inputs)
        let valid = report.isValid(strict: strict)
        switch output {
        case .text:
            for d in report.diagnostics { Output.stdout(d.description) }
            let summary = "\(report.fileCount) file(s), \(report.objects.count) object(s): \(report.errorCount) error(s), \(report.warningCount) warning(s)"
            Output.stderr(valid ? "valid: \(summary)" : "invalid: \(summary)")
        case .json:
            Output.stdout(JSONWriter.write(Self.json(report, valid: valid)))
        }
        if !valid { throw ExitCode(1) }
    }

    static func json(_ report: ValidationReport, valid: Bool) -> Node {
        let findings: [Node] = report.diagnostics.map { d in
            var n: Node = ["severity": .string(d.severity.rawValue), "rule": .string(d.rule), "message": .string(d.message)]
            if let m = d.mark {
                n.set("file", .string(m.file))
                n.set("line", .int(m.line))
                n.set("column", .int(m.column))
            }
            return n
        }
        return [
            "valid": Node(.bool(valid)),
            "files": .int(report.fileCount),
            "objects": .int(report.objects.count),
            "errors": .int(report.errorCount),
            "warnings": .int(report.warningCount),
            "findings": .array(findings),
        ]
    }
}
