#if canImport(Glibc)
import Glibc
#endif

/// An error a command reports as one line, `error: <message>`, with its own exit code.
struct CLIError: Error {
    var message: String
    var exitCode: Int32

    init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    /// Usage and I/O problems: exit 2, as validate documents.
    static func usage(_ message: String) -> CLIError { CLIError(message, exitCode: 2) }
}

/// Unbuffered writes to stdout and stderr, so the two never interleave out of order.
enum Output {
    static func stdout(_ text: String) {
        write(1, text.hasSuffix("\n") ? text : text + "\n")
    }

    static func stdoutRaw(_ text: String) {
        write(1, text)
    }

    static func stderr(_ text: String) {
        write(2, text.hasSuffix("\n") ? text : text + "\n")
    }

    static func error(_ message: String) {
        stderr("error: \(message)")
    }

    static var stdoutIsTerminal: Bool { isatty(1) == 1 }

    private static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue } else { return } } // EPIPE: the reader left
            bytes = bytes.dropFirst(n)
        }
    }
}
