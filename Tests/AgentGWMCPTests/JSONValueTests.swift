import Testing
@testable import AgentGWMCP

@Suite("JSON value and serializer")
struct JSONValueTests {
    @Test func literalsAndAccessors() {
        let v: JSONValue = ["s": "x", "i": 3, "d": 2.5, "b": true, "n": nil, "a": [1, "two"], "o": ["k": "v"]]
        #expect(v["s"]?.string == "x")
        #expect(v["i"]?.int == 3)
        #expect(v["i"]?.double == 3.0)
        #expect(v["d"]?.double == 2.5)
        #expect(v["d"]?.int == nil)
        #expect(v["b"]?.bool == true)
        #expect(v["n"]?.isNull == true)
        #expect(v["missing"] == nil)
        #expect(v["a"]?[1]?.string == "two")
        #expect(v["a"]?[2] == nil)
        #expect(v["a"]?[-1] == nil)
        #expect(v["o"]?["k"] == "v")
        #expect(v["s"]?["k"] == nil)
        #expect(v[0] == nil)
        #expect(JSONValue.double(4.0).int == 4)
        #expect(JSONValue.double(1e300).int == nil)
        #expect(JSONValue.string("1").int == nil)
        #expect(v.object?.keys == ["s", "i", "d", "b", "n", "a", "o"])
    }

    @Test func objectMutation() {
        var o: JSONObject = ["a": 1, "b": 2, "c": 3]
        o["b"] = "two"
        #expect(o.keys == ["a", "b", "c"])
        o["d"] = 4
        #expect(o.keys == ["a", "b", "c", "d"])
        o["a"] = nil
        #expect(o.keys == ["b", "c", "d"])
        o["zzz"] = nil
        #expect(o.count == 3 && !o.isEmpty)
        #expect(o.contains("c") && !o.contains("a"))
        #expect(Array(o.map(\.key)) == ["b", "c", "d"])
        #expect(JSONObject().isEmpty)
        let dup = JSONObject([("x", 1), ("y", 2), ("x", 3)])
        #expect(dup.keys == ["x", "y"] && dup["x"] == 3)
    }

    @Test func objectEqualityIgnoresOrderButSerializationDoesNot() {
        let a: JSONValue = ["x": 1, "y": [true, nil]]
        let b: JSONValue = ["y": [true, nil], "x": 1]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.serialized() != b.serialized())
        #expect(Set([a, b]).count == 1)
        let c: JSONValue = ["x": 1, "y": [true, false]]
        #expect(a != c)
        #expect(JSONValue.int(1) != JSONValue.double(1))
        // Large objects (dictionary path).
        let pairs = (0..<30).map { ("k\($0)", JSONValue.int($0)) }
        #expect(JSONValue.object(JSONObject(pairs)) == .object(JSONObject(pairs.reversed())))
        #expect(JSONValue.object(JSONObject(pairs)) != .object(JSONObject(pairs.dropLast() + [("k29", 0)])))
    }

    @Test func compactSerialization() {
        let v: JSONValue = ["a": [1, 2.5, "x", true, false, nil], "b": [:], "c": []]
        #expect(v.serialized() == #"{"a":[1,2.5,"x",true,false,null],"b":{},"c":[]}"#)
        #expect(v.serializedBytes() == Array(v.serialized().utf8))
        #expect(v.description == v.serialized())
    }

    @Test func stringEscaping() {
        #expect(JSONValue.string("a\"b\\c/d").serialized() == #""a\"b\\c/d""#)
        #expect(JSONValue.string("\n\r\t\u{08}\u{0C}").serialized() == #""\n\r\t\b\f""#)
        #expect(JSONValue.string("\u{0}\u{1}\u{1F}\u{7F}").serialized() == "\"\\u0000\\u0001\\u001f\u{7F}\"")
        #expect(JSONValue.string("é中😀").serialized() == "\"é中😀\"")
        #expect(JSONValue.string("").serialized() == #""""#)
        // Keys are escaped too.
        #expect(JSONValue.object(["k\"\n": 1]).serialized() == #"{"k\"\n":1}"#)
    }

    @Test func numberSerialization() {
        #expect(JSONValue.int(0).serialized() == "0")
        #expect(JSONValue.int(-42).serialized() == "-42")
        #expect(JSONValue.int(Int.min).serialized() == "-9223372036854775808")
        #expect(JSONValue.double(1.5).serialized() == "1.5")
        #expect(JSONValue.double(0.1).serialized() == "0.1")
        #expect(JSONValue.double(1.0).serialized() == "1.0")
        #expect(JSONValue.double(-0.0).serialized() == "-0.0")
        #expect(JSONValue.double(1e-7).serialized() == "1e-07")
        #expect(JSONValue.double(1e300).serialized() == "1e+300")
        #expect(JSONValue.double(.nan).serialized() == "null")
        #expect(JSONValue.double(.infinity).serialized() == "null")
        #expect(JSONValue.double(-.infinity).serialized() == "null")
    }

    @Test(arguments: [0.1, 1.0 / 3.0, 123456.789, Double.leastNonzeroMagnitude, 1.7976931348623157e308, 2.5e-8, -1e21, 9007199254740993.0, 1e16])
    func doublesRoundTripExactly(d: Double) throws {
        let text = JSONValue.double(d).serialized()
        #expect(try JSONValue.parse(text) == .double(d), "\(text)")
    }

    @Test func roundTrips() throws {
        let samples: [JSONValue] = [
            nil, true, 0, -7, .int(Int.max), 3.25, "", "plain", "ünïcødé 😀 \u{0} \u{1F} \"q\" \\ /",
            [], [:], [[[]]], ["a": ["b": ["c": [1, 2, ["d": nil]]]]],
            ["order": 1, "is": 2, "kept": 3, "0": 4],
        ]
        for v in samples {
            let once = v.serialized()
            let parsed = try JSONValue.parse(once)
            #expect(parsed == v)
            #expect(parsed.serialized() == once)
            let pretty = try JSONValue.parse(v.pretty())
            #expect(pretty == v)
        }
    }

    @Test func prettyOutput() {
        let v: JSONValue = ["name": "echo", "tags": [], "schema": ["type": "object", "required": ["a", "b"]], "empty": [:]]
        let expected = """
            {
              "name": "echo",
              "tags": [],
              "schema": {
                "type": "object",
                "required": [
                  "a",
                  "b"
                ]
              },
              "empty": {}
            }
            """
        #expect(v.pretty() == expected)
        #expect(JSONValue.array([1]).pretty(indent: 4) == "[\n    1\n]")
        #expect(JSONValue.int(1).pretty() == "1")
        #expect(JSONValue.array([1, 2]).pretty(indent: 0) == "[\n1,\n2\n]")
    }

    @Test func typeNames() {
        #expect(JSONValue.null.typeName == "null")
        #expect(JSONValue.double(1).typeName == "number")
        #expect(JSONValue.int(1).isNumber && !JSONValue.string("1").isNumber)
        #expect(JSONValue.object([:]).typeName == "object")
    }
}
