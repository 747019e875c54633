/// Structural defaulting, as the API server applies it before validating a custom resource.
///
/// A property's `default` fills an absent field (or a `null` one, when the property is not
/// `nullable`) of an object that is present; defaults apply recursively, inside defaulted values
/// and inside array items and map values too. Junctors (`oneOf`…) never default.
enum SchemaDefaulter {
    static func apply(_ node: inout Node, _ schema: OpenAPISchema) {
        guard schema.hasDefaults else { return }
        switch node.value {
        case .object(var entries):
            node.value = .null  // drop the second reference so `entries` mutates in place
            for d in schema.propertyDefaults {
                if let i = entries.firstIndex(where: { $0.key == d.key }) {
                    if entries[i].value.isNull && !d.nullable { entries[i].value = d.value }
                } else {
                    entries.append(Node.Entry(key: d.key, value: d.value))
                }
            }
            let additional: OpenAPISchema?
            if case .schema(let a) = schema.additionalProperties, a.hasDefaults { additional = a } else { additional = nil }
            for i in entries.indices {
                if let property = schema.properties[entries[i].key] {
                    if property.hasDefaults { apply(&entries[i].value, property) }
                } else if let additional {
                    apply(&entries[i].value, additional)
                }
            }
            node.value = .object(entries)
        case .array(var items):
            guard let itemSchema = schema.items, itemSchema.hasDefaults else { return }
            node.value = .null
            for i in items.indices { apply(&items[i], itemSchema) }
            node.value = .array(items)
        default:
            return
        }
    }
}
