// The sample server's tools: echo, add, time (here) and fetch (SampleFetch.swift). Tool
// failures, including bad arguments, are `isError: true` results, as the spec asks.

import Foundation

/// Builds `tools/call` results.
enum SampleToolResult {
    /// A text result, with `structuredContent` when the tool declares an output schema.
    static func text(_ text: String, structured: JSONValue? = nil) -> JSONValue {
        var o: JSONObject = ["content": [["type": "text", "text": .string(text)]]]
        if let structured { o["structuredContent"] = structured }
        o["isError"] = false
        return .object(o)
    }

    /// A failed call the model can read.
    static func error(_ text: String) -> JSONValue {
        ["content": [["type": "text", "text": .string(text)]], "isError": true]
    }
}

/// A tool argument that does not fit the input schema.
struct SampleArgumentError: Error {
    var message: String
}

/// Reads tool arguments against a schema's properties; unknown keys are refused
/// (`additionalProperties: false`).
struct SampleArguments {
    let tool: String
    let values: JSONObject

    init(tool: String, values: JSONObject, allowed: Set<String>) throws(SampleArgumentError) {
        self.tool = tool
        self.values = values
        if let unknown = values.keys.first(where: { !allowed.contains($0) }) {
            throw SampleArgumentError(message: "unexpected argument \"\(unknown)\"")
        }
    }

    func string(_ key: String) throws(SampleArgumentError) -> String {
        guard let value = values[key] else { throw SampleArgumentError(message: "missing required argument \"\(key)\"") }
        guard let s = value.string else { throw SampleArgumentError(message: "\"\(key)\" must be a string, not \(value.typeName)") }
        return s
    }

    func integer(_ key: String, default fallback: Int? = nil) throws(SampleArgumentError) -> Int {
        guard let value = values[key], !value.isNull else {
            if let fallback { return fallback }
            throw SampleArgumentError(message: "missing required argument \"\(key)\"")
        }
        guard let i = value.int else { throw SampleArgumentError(message: "\"\(key)\" must be an integer, not \(value.serialized())") }
        return i
    }
}

/// The tool catalog and the calls.
struct SampleTools: Sendable {
    let fetcher: SampleFetcher

    static let names: Set<String> = ["echo", "add", "time", "fetch"]

    static func objectSchema(_ properties: JSONObject, required: [String]) -> JSONValue {
        var o: JSONObject = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { o["required"] = .array(required.map { .string($0) }) }
        o["additionalProperties"] = false
        return .object(o)
    }

    static func resultSchema(_ type: String, format: String? = nil) -> JSONValue {
        var result: JSONObject = ["type": .string(type)]
        if let format { result["format"] = .string(format) }
        return ["type": "object", "properties": ["result": .object(result)], "required": ["result"]]
    }

    /// `tools/list` entries, in a fixed order.
    static let definitions: [JSONValue] = [
        [
            "name": "echo", "title": "Echo",
            "description": "Return the text unchanged.",
            "inputSchema": objectSchema(["text": ["type": "string", "description": "Text to echo back."]], required: ["text"]),
            "outputSchema": resultSchema("string"),
            "annotations": ["readOnlyHint": true, "openWorldHint": false],
        ],
        [
            "name": "add", "title": "Add",
            "description": "Add two integers.",
            "inputSchema": objectSchema(["a": ["type": "integer"], "b": ["type": "integer"]], required: ["a", "b"]),
            "outputSchema": resultSchema("integer"),
            "annotations": ["readOnlyHint": true, "openWorldHint": false],
        ],
        [
            "name": "time", "title": "Current time",
            "description": "The current UTC time in ISO 8601 format.",
            "inputSchema": objectSchema([:], required: []),
            "outputSchema": resultSchema("string", format: "date-time"),
            "annotations": ["readOnlyHint": true, "openWorldHint": false],
        ],
        [
            "name": "fetch", "title": "Fetch URL",
            "description": "Fetch a URL with HTTP GET and return its contents as text (up to max_length characters).",
            "inputSchema": objectSchema([
                "url": ["type": "string", "format": "uri", "minLength": 1, "description": "URL to fetch (http or https)."],
                "max_length": ["type": "integer", "default": .int(SampleFetcher.defaultMaxLength), "minimum": 1,
                               "maximum": .int(SampleFetcher.maxMaxLength), "description": "Maximum number of characters to return."],
            ], required: ["url"]),
            "annotations": ["readOnlyHint": true, "openWorldHint": true],
        ],
    ]

    /// Runs a known tool; argument problems become `isError` results.
    func call(_ name: String, arguments: JSONObject) async -> JSONValue {
        do throws(SampleArgumentError) {
            switch name {
            case "echo":
                let args = try SampleArguments(tool: name, values: arguments, allowed: ["text"])
                let text = try args.string("text")
                return SampleToolResult.text(text, structured: ["result": .string(text)])
            case "add":
                let args = try SampleArguments(tool: name, values: arguments, allowed: ["a", "b"])
                let (sum, overflow) = try args.integer("a").addingReportingOverflow(try args.integer("b"))
                if overflow { return SampleToolResult.error("add: the sum does not fit a 64-bit integer") }
                return SampleToolResult.text(String(sum), structured: ["result": .int(sum)])
            case "time":
                _ = try SampleArguments(tool: name, values: arguments, allowed: [])
                let now = Date.now.formatted(.iso8601)
                return SampleToolResult.text(now, structured: ["result": .string(now)])
            case "fetch":
                let args = try SampleArguments(tool: name, values: arguments, allowed: ["url", "max_length"])
                let url = try args.string("url")
                let maxLength = try args.integer("max_length", default: SampleFetcher.defaultMaxLength)
                guard (1...SampleFetcher.maxMaxLength).contains(maxLength) else {
                    throw SampleArgumentError(message: "\"max_length\" must be 1 to \(SampleFetcher.maxMaxLength)")
                }
                return await fetcher.fetch(url, maxLength: maxLength)
            default:
                return SampleToolResult.error("Unknown tool: \(name)")
            }
        } catch {
            return SampleToolResult.error("Invalid arguments for tool \(name): \(error.message)")
        }
    }
}
