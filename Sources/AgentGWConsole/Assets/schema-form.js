// A form generated from a tool's inputSchema (JSON Schema). Strings, numbers and integers,
// booleans, enums (a select), arrays (add/remove items), nested objects (fieldsets); anything
// else is a raw JSON textarea. The schema comes from an untrusted server: its names and texts
// only ever reach the page as text and attribute values.
import { el } from "./dom.js";

const MAX_DEPTH = 8;

/** Follows local $refs (#/$defs/X, #/definitions/X), merges allOf of one, unwraps Optional. */
function resolve(schema, root, seen = 0) {
  if (!schema || typeof schema !== "object" || seen > MAX_DEPTH) return schema;
  if (typeof schema.$ref === "string" && schema.$ref.startsWith("#/")) {
    let target = root;
    for (const part of schema.$ref.slice(2).split("/")) {
      const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
      target = target && typeof target === "object" ? target[key] : undefined;
    }
    if (target && typeof target === "object") {
      const { $ref, ...rest } = schema;
      return resolve({ ...target, ...rest }, root, seen + 1);
    }
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1) {
    const { allOf, ...rest } = schema;
    return resolve({ ...resolve(allOf[0], root, seen + 1), ...rest }, root, seen + 1);
  }
  // anyOf/oneOf [X, {type: null}] is how pydantic writes Optional[X]: use X.
  for (const key of ["anyOf", "oneOf"]) {
    if (Array.isArray(schema[key])) {
      const branches = schema[key].filter((b) => !(b && b.type === "null"));
      if (branches.length === 1) {
        const { [key]: _, ...rest } = schema;
        return resolve({ ...resolve(branches[0], root, seen + 1), ...rest, nullable: true }, root, seen + 1);
      }
    }
  }
  return schema;
}

function typeOf(schema) {
  if (!schema || typeof schema !== "object") return "json";
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return "enum";
  if ("const" in schema) return "const";
  let type = schema.type;
  if (Array.isArray(type)) {
    const nonNull = type.filter((t) => t !== "null");
    type = nonNull.length === 1 ? nonNull[0] : null;
  }
  if (type === "object" && schema.properties && typeof schema.properties === "object") return "object";
  if (type === "array" && schema.items && typeof schema.items === "object" && !Array.isArray(schema.items)) return "array";
  if (["string", "number", "integer", "boolean"].includes(type)) return type;
  return "json";
}

function fieldId(path) {
  return "arg-" + path.join(".");
}

function help(schema, id) {
  const parts = [];
  if (schema.description) parts.push(String(schema.description));
  if (schema.default !== undefined) parts.push(`default: ${JSON.stringify(schema.default)}`);
  for (const k of ["minimum", "maximum", "minLength", "maxLength", "pattern", "format", "minItems", "maxItems"]) {
    if (schema[k] !== undefined) parts.push(`${k} ${schema[k]}`);
  }
  return parts.length ? el("div", { class: "help", id: id + "-help" }, parts.join(" · ")) : null;
}

/** "Timeout Seconds" is how pydantic titles timeout_seconds: not worth repeating. */
function sameWords(title, name) {
  const norm = (s) => String(s).toLowerCase().replace(/[^a-z0-9]/g, "");
  return norm(title) === norm(name);
}

function labelText(name, schema, required) {
  return [el("span", { class: "field-name" }, name), schema.title && !sameWords(schema.title, name) ? el("span", { class: "muted" }, ` ${schema.title}`) : null,
    required ? el("span", { class: "required", title: "required" }, " *") : null];
}

class FormError extends Error {}

/**
 * Builds the input for one value. Returns { node, get } where get() gives the value, undefined
 * to leave it out, or throws a FormError naming the field.
 */
function field(rawSchema, root, path, name, required, initial, depth) {
  const schema = resolve(rawSchema, root) || {};
  const type = depth > MAX_DEPTH ? "json" : typeOf(schema);
  const id = fieldId(path);
  const where = path.join(".") || "arguments";
  const wrap = (input, extraClass) => el("div", { class: ["field", extraClass], "data-field": where },
    el("label", { for: id }, labelText(name, schema, required)), input, help(schema, id));

  if (type === "enum" || type === "const") {
    const values = type === "enum" ? schema.enum : [schema.const];
    const select = el("select", { id, "data-testid": id },
      required && type === "const" ? null : el("option", { value: "" }, required ? "— choose —" : "— none —"),
      values.map((v, i) => el("option", { value: String(i) }, typeof v === "string" ? v : JSON.stringify(v))));
    const start = initial !== undefined ? initial : schema.default;
    const at = values.findIndex((v) => JSON.stringify(v) === JSON.stringify(start));
    if (at >= 0) select.value = String(at);
    return {
      node: wrap(select),
      get() {
        if (select.value === "") {
          if (required) throw new FormError(`${where}: choose a value`);
          return undefined;
        }
        return values[Number(select.value)];
      },
    };
  }

  if (type === "string" || type === "number" || type === "integer") {
    const numeric = type !== "string";
    const long = !numeric && (schema.format === "textarea" || (schema.maxLength || 0) > 200);
    const input = long ? el("textarea", { id, rows: 3, "data-testid": id })
      : el("input", { id, "data-testid": id, type: numeric ? "number" : "text", step: type === "integer" ? "1" : numeric ? "any" : null,
          min: numeric ? schema.minimum : null, max: numeric ? schema.maximum : null, autocomplete: "off", spellcheck: "false" });
    if (schema.default !== undefined && schema.default !== null) input.placeholder = String(schema.default);
    if (initial !== undefined && initial !== null) input.value = typeof initial === "string" ? initial : String(initial);
    return {
      node: wrap(input),
      get() {
        const text = input.value;
        if (text === "") {
          if (required) throw new FormError(`${where}: required`);
          return undefined;
        }
        if (!numeric) return text;
        const n = Number(text.trim());
        if (text.trim() === "" || !Number.isFinite(n)) throw new FormError(`${where}: not a number`);
        if (type === "integer" && !Number.isInteger(n)) throw new FormError(`${where}: not an integer`);
        return n;
      },
    };
  }

  if (type === "boolean") {
    const box = el("input", { id, type: "checkbox", "data-testid": id });
    const start = initial !== undefined ? initial : schema.default;
    box.checked = start === true;
    // An optional boolean the user never touched is left out, so the server's default applies.
    let touched = initial !== undefined;
    box.addEventListener("change", () => { touched = true; });
    return {
      node: el("div", { class: "field field-check", "data-field": where },
        box, el("label", { for: id }, labelText(name, schema, required)), help(schema, id)),
      get() {
        return required || touched ? box.checked : undefined;
      },
    };
  }

  if (type === "array") {
    const items = [];
    const list = el("div", { class: "array-items", id: id + "-items" });
    let counter = 0;
    const addItem = (value) => {
      const index = counter++;
      const child = field(schema.items, root, [...path, String(index)], `${name}[${items.length}]`, true, value, depth + 1);
      const entry = { child, row: null };
      const remove = el("button", { type: "button", class: "btn btn-small btn-quiet", id: `${id}-remove-${index}`, "data-testid": `${id}-remove-${index}`, title: "remove this item" }, "Remove");
      entry.row = el("div", { class: "array-item" }, child.node, remove);
      remove.addEventListener("click", () => {
        items.splice(items.indexOf(entry), 1);
        entry.row.remove();
      });
      items.push(entry);
      list.appendChild(entry.row);
    };
    const start = Array.isArray(initial) ? initial : [];
    for (const v of start) addItem(v);
    const add = el("button", { type: "button", class: "btn btn-small", id: id + "-add", "data-testid": id + "-add" }, "Add item");
    add.addEventListener("click", () => addItem(undefined));
    return {
      node: el("fieldset", { class: "field field-array", id, "data-field": where },
        el("legend", null, labelText(name, schema, required), el("span", { class: "muted" }, " (list)")), help(schema, id), list, add),
      get() {
        const values = items.map((e) => e.child.get()).filter((v) => v !== undefined);
        if (values.length === 0 && !required) return undefined;
        return values;
      },
    };
  }

  if (type === "object") {
    const requiredNames = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
    const children = Object.entries(schema.properties).map(([key, sub]) => ({
      key,
      child: field(sub, root, [...path, key], key, requiredNames.has(key),
        initial && typeof initial === "object" ? initial[key] : undefined, depth + 1),
    }));
    const body = children.map((c) => c.child.node);
    const node = path.length === 0 ? el("div", { class: "fields" }, body)
      : el("fieldset", { class: "field field-object", id, "data-field": where }, el("legend", null, labelText(name, schema, required)), help(schema, id), body);
    return {
      node,
      get() {
        const out = {};
        const errors = [];
        for (const { key, child } of children) {
          try {
            const v = child.get();
            if (v !== undefined) out[key] = v;
          } catch (e) {
            if (!(e instanceof FormError)) throw e;
            errors.push(e.message);
          }
        }
        // An optional nested object the user left empty is left out entirely.
        if (path.length > 0 && !required && Object.keys(out).length === 0) return undefined;
        if (errors.length) throw new FormError(errors.join("; "));
        return out;
      },
    };
  }

  // Anything else (free-form objects, unions, tuples): raw JSON.
  const area = el("textarea", { id, rows: 3, class: "mono", "data-testid": id, spellcheck: "false", placeholder: "JSON value" });
  if (initial !== undefined) area.value = JSON.stringify(initial, null, 2);
  return {
    node: wrap(area, "field-json"),
    get() {
      const text = area.value.trim();
      if (text === "") {
        if (required) throw new FormError(`${where}: required (JSON)`);
        return undefined;
      }
      try {
        return JSON.parse(text);
      } catch (e) {
        throw new FormError(`${where}: not valid JSON (${e.message})`);
      }
    },
  };
}

/**
 * The form for a tool's arguments. Returns { node, values() } where values() gives the
 * arguments object or throws an Error listing the invalid fields.
 */
export function buildForm(inputSchema, initial) {
  const root = inputSchema && typeof inputSchema === "object" ? inputSchema : {};
  const schema = resolve(root, root) || {};
  let f;
  if (typeOf(schema) === "object") {
    f = field(schema, root, [], "arguments", true, initial, 0);
  } else if (schema.additionalProperties === false || Object.keys(schema).length === 0) {
    return {
      node: el("p", { class: "muted", testid: "no-arguments" }, "This tool takes no arguments."),
      values: () => ({}),
    };
  } else {
    // A free-form arguments object: the whole of it as raw JSON.
    f = field({ description: "The arguments object, as JSON." }, root, ["json"], "arguments", false, initial, 0);
  }
  return {
    node: f.node,
    values() {
      try {
        const v = f.get();
        if (v === undefined) return {};
        if (!v || typeof v !== "object" || Array.isArray(v)) throw new FormError("arguments must be a JSON object");
        return v;
      } catch (e) {
        if (e instanceof FormError) throw new Error(e.message);
        throw e;
      }
    },
  };
}
