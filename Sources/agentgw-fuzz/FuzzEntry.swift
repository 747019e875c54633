import Foundation

#if FUZZING
// libFuzzer build (Fuzz/run.sh): the target comes from AGENTGW_FUZZ_TARGET. SwiftPM links an
// executable's entry point as `<module>_main`, so that function hands control to libFuzzer's
// driver (LLVMFuzzerRunDriver) instead of relying on libFuzzer's own main.
nonisolated(unsafe) let fuzzTarget = ProcessInfo.processInfo.environment["AGENTGW_FUZZ_TARGET"] ?? "yaml"

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("agentgw_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { data, size in
        guard let data else { return 0 }
        FuzzTargets.run(fuzzTarget, Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
}
#else
/// Without libFuzzer: replays inputs through a target, for the regression corpus in CI.
///   agentgw-fuzz TARGET FILE|DIR...
@main struct FuzzReplay {
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        guard let target = args.first, FuzzTargets.names.contains(target) else {
            FileHandle.standardError.write(Data("usage: agentgw-fuzz \(FuzzTargets.names.joined(separator: "|")) FILE|DIR...\n".utf8))
            exit(2)
        }
        var count = 0
        for path in args.dropFirst() {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                FileHandle.standardError.write(Data("agentgw-fuzz: \(path): no such file or directory\n".utf8))
                exit(2)
            }
            let files = isDir.boolValue ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { "\(path)/\($0)" } : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                FuzzTargets.run(target, [UInt8](data))
                count += 1
            }
        }
        print("\(target): \(count) inputs replayed")
    }
}
#endif
