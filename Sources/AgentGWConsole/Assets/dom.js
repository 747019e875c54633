// DOM helpers. Everything the server sends is untrusted, so text only ever goes in through
// textContent (never innerHTML) and attributes through setAttribute.

const SVG_NS = "http://www.w3.org/2000/svg";

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
  return node;
}

function setAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.setAttribute("class", Array.isArray(value) ? value.filter(Boolean).join(" ") : value);
    else if (key === "testid") node.setAttribute("data-testid", value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "value" && "value" in node) node.value = value;
    else if (key === "checked" || key === "disabled" || key === "selected") node[key] = Boolean(value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  return node;
}

/** el("div", {class: "x"}, "text", child, [more]) */
export function el(tag, attrs, ...children) {
  return append(setAttrs(document.createElement(tag), attrs), children);
}

/** An SVG element (createElementNS, so it renders; attributes only, no markup). */
export function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) node.setAttribute(key, String(value));
  }
  return append(node, children);
}

/** Replaces a node's children. */
export function replace(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

export function $(id) {
  return document.getElementById(id);
}

/** A small coloured label: kind is ok, warn, bad or muted. */
export function badge(text, kind, testid) {
  return el("span", { class: ["badge", kind && `badge-${kind}`], testid }, text);
}

/** A table from column titles and rows of cells (strings or nodes). */
export function table(columns, rows, attrs) {
  return el("table", attrs,
    el("thead", null, el("tr", null, columns.map((c) => el("th", { scope: "col" }, c)))),
    el("tbody", null, rows.map((cells) => el("tr", null, cells.map((c) => el("td", null, c))))));
}

/** A value as text; null and undefined become an em dash. */
export function show(value) {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Seconds as milliseconds, with a sensible precision. */
export function ms(seconds) {
  if (typeof seconds !== "number" || !isFinite(seconds)) return "—";
  const v = seconds * 1000;
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)} ms`;
}

/** An ISO date as local time; unknown text is shown as it came. */
export function when(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}

export function asArray(value) {
  return Array.isArray(value) ? value : [];
}
