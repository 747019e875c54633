/// The result of validating a set of inputs.
public struct ValidationReport: Sendable {
    /// Sorted findings.
    public var diagnostics: [Diagnostic]
    /// The objects, with defaults applied, in input order.
    public var objects: [Manifest]
    public var fileCount: Int

    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
    public var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }

    /// Valid when there are no errors (and, in strict mode, no warnings).
    public func isValid(strict: Bool) -> Bool {
        strict ? diagnostics.isEmpty : errorCount == 0
    }
}

/// validate's pipeline: read errors, then each object's schema and rules, then references.
/// `serve` and the controller compile only what passes here, so all three report alike.
public struct ManifestValidator: Sendable {
    public var references: ReferenceChecker

    public init(references: ReferenceChecker = ReferenceChecker()) {
        self.references = references
    }

    public func validate(_ inputs: LoadedInputs) -> ValidationReport {
        var diagnostics = inputs.readErrors.map { Diagnostic.error($0.message, rule: "input.syntax", at: $0.mark) }
        var objects: [Manifest] = []
        objects.reserveCapacity(inputs.manifests.count)
        for manifest in inputs.manifests {
            let check = ObjectValidator.validate(manifest)
            diagnostics += check.diagnostics
            var defaulted = manifest
            defaulted.node = check.object
            objects.append(defaulted)
        }
        diagnostics += references.check(objects)
        diagnostics.sort()
        return ValidationReport(diagnostics: diagnostics, objects: objects, fileCount: inputs.files.count)
    }
}
