// The Playground tab: an MCP client in the page that talks to a route's listener through
// /api/playground/forward, so each message passes the route and its policies like any client's.
// Both eras: 2025-11-25 (initialize, Mcp-Session-Id, notifications/initialized, DELETE) and
// 2026-07-28 (no handshake: server/discover, a _meta envelope and Mcp-Method/Mcp-Name headers on
// every request). The API key lives in the password field only: never stored, logged or put in
// a URL.
import { forward } from "./api.js";
import { $, asArray, badge, el, replace } from "./dom.js";
import { buildForm } from "./schema-form.js";
import { readMessages } from "./sse.js";

const CLIENT_INFO = { name: "agentgw-console", version: "1.0" };
const LEGACY = "2025-11-25";
const MODERN = "2026-07-28";
const CALL_TIMEOUT_MS = 120000;
const LIST_TIMEOUT_MS = 30000;

const state = {
  endpoints: [], // { key, label, route, listenerPort, hostname, path, authHeader, authEnabled }
  endpointsJSON: "",
  conn: null, // { era, protocolVersion, sessionId, serverInfo, target, endpointKey }
  tools: [],
  tool: null,
  form: null,
  nextId: 1,
  callAbort: null,
  progressToken: null,
};

// --- wire ------------------------------------------------------------------------------------

function endpoint() {
  const key = $("pg-endpoint").value;
  return state.endpoints.find((e) => e.key === key) || null;
}

function target() {
  const e = endpoint();
  if (!e) return null;
  const path = $("pg-path").value.trim() || e.path || "/mcp";
  return { listenerPort: e.listenerPort, hostname: e.hostname, path: path.startsWith("/") ? path : "/" + path };
}

/** The key as the route's policy wants it: "Authorization: Bearer" or a custom header name. */
function authHeaders() {
  const key = $("pg-key").value;
  if (!key) return {};
  const e = endpoint();
  const spec = (e && e.authHeader) || "Authorization: Bearer";
  const colon = spec.indexOf(":");
  const name = (colon < 0 ? spec : spec.slice(0, colon)).trim() || "Authorization";
  const prefix = colon < 0 ? "" : spec.slice(colon + 1).trim();
  return { [name]: prefix ? `${prefix} ${key}` : key };
}

/** Header values that are not plain visible ASCII go as =?base64?…?= (2026-07-28 rule). */
function headerValue(value) {
  const s = String(value);
  if (/^[\x21-\x7E](?:[\x20-\x7E]*[\x21-\x7E])?$/.test(s) && !(s.startsWith("=?base64?") && s.endsWith("?="))) return s;
  let binary = "";
  for (const byte of new TextEncoder().encode(s)) binary += String.fromCharCode(byte);
  return `=?base64?${btoa(binary)}?=`;
}

function modernMeta(extra) {
  return {
    "io.modelcontextprotocol/protocolVersion": MODERN,
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": CLIENT_INFO,
    ...extra,
  };
}

/**
 * One JSON-RPC message through the forwarder. Streams the answer: onMessage gets every message
 * that is not the reply (progress, logs, server requests) as it arrives.
 */
async function exchange(conn, method, params, { notification = false, name, onMessage, timeoutMs = LIST_TIMEOUT_MS, signal } = {}) {
  const id = notification ? undefined : state.nextId++;
  const message = { jsonrpc: "2.0" };
  if (id !== undefined) message.id = id;
  message.method = method;
  if (params !== undefined) message.params = params;
  const headers = {
    "Content-Type": "application/json",
    Accept: "application/json, text/event-stream",
    ...conn.auth,
  };
  if (conn.era === MODERN) {
    headers["MCP-Protocol-Version"] = MODERN;
    headers["Mcp-Method"] = method;
    if (name !== undefined) headers["Mcp-Name"] = headerValue(name);
  } else {
    if (conn.protocolVersion) headers["MCP-Protocol-Version"] = conn.protocolVersion;
    if (conn.sessionId) headers["Mcp-Session-Id"] = conn.sessionId;
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException("timeout", "TimeoutError")), timeoutMs);
  const abort = () => controller.abort(new DOMException("cancelled", "AbortError"));
  if (signal) signal.addEventListener("abort", abort);
  const started = performance.now();
  const outcome = { method, id, status: 0, ok: false, reply: null, raw: "", notes: [], elapsed: 0, error: null, headers: {} };
  try {
    const response = await forward(conn.target, { headers, body: JSON.stringify(message), signal: controller.signal });
    outcome.status = response.status;
    outcome.ok = response.ok;
    for (const h of ["Content-Type", "Mcp-Session-Id", "MCP-Protocol-Version", "WWW-Authenticate"]) {
      const v = response.headers.get(h);
      if (v !== null) outcome.headers[h] = v;
    }
    outcome.raw = await readMessages(response, (m) => {
      if (id !== undefined && m && m.id === id && ("result" in m || "error" in m)) outcome.reply = m;
      else if (m && !("raw" in m) && ("result" in m || "error" in m) && !outcome.reply && !response.ok) outcome.reply = m;
      else if (onMessage) onMessage(m);
    });
  } catch (error) {
    const reason = controller.signal.reason;
    outcome.error = reason && reason.name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s`
      : reason && reason.name === "AbortError" ? "cancelled" : String(error && error.message ? error.message : error);
  } finally {
    clearTimeout(timer);
    if (signal) signal.removeEventListener("abort", abort);
    outcome.elapsed = performance.now() - started;
  }
  logExchange(outcome);
  return outcome;
}

/** A legacy server may ask us something mid-stream (ping, sampling...): answer it. */
function answerServerRequest(conn, m) {
  if (conn.era !== LEGACY || !m || m.id === undefined || typeof m.method !== "string") return;
  const reply = m.method === "ping" ? { jsonrpc: "2.0", id: m.id, result: {} }
    : { jsonrpc: "2.0", id: m.id, error: { code: -32601, message: "the console does not support " + m.method } };
  const headers = { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...conn.auth };
  if (conn.protocolVersion) headers["MCP-Protocol-Version"] = conn.protocolVersion;
  if (conn.sessionId) headers["Mcp-Session-Id"] = conn.sessionId;
  forward(conn.target, { headers, body: JSON.stringify(reply) }).then((r) => r.body && r.body.cancel()).catch(() => {});
}

// --- output ----------------------------------------------------------------------------------

function logExchange(o) {
  const log = $("pg-log");
  const status = o.error ? o.error : `HTTP ${o.status}`;
  const entry = el("li", { class: o.error || !o.ok ? "log-bad" : null },
    el("code", null, o.method), ` · ${status} · ${Math.round(o.elapsed)} ms`,
    o.headers["Content-Type"] ? el("span", { class: "muted" }, ` · ${o.headers["Content-Type"].split(";")[0]}`) : null);
  log.prepend(entry);
  while (log.children.length > 50) log.lastChild.remove();
}

function setConnStatus(text, kind) {
  replace($("pg-conn-status"), badge(text, kind, "conn-badge"));
}

function pretty(value) {
  return el("pre", { class: "json" }, JSON.stringify(value, null, 2));
}

function elapsedLine(o) {
  const parts = [`${Math.round(o.elapsed)} ms`];
  if (o.status) parts.push(`HTTP ${o.status}`);
  if (o.headers["Content-Type"]) parts.push(o.headers["Content-Type"].split(";")[0]);
  return parts.join(" · ");
}

/** Shows a failed exchange: transport error, HTTP error or JSON-RPC error. True if it failed. */
function showFailure(o, what) {
  const box = $("pg-result");
  if (o.error) {
    replace(box, el("div", { class: "alert alert-bad", testid: "request-error" }, `${what} failed: ${o.error}`));
    return true;
  }
  if (!o.ok) {
    let detail = null;
    try {
      const body = JSON.parse(o.raw);
      if (body && typeof body.error === "string") detail = body.error; // the forwarder's own errors
      else if (body && body.error && typeof body.error.message === "string") detail = `JSON-RPC ${body.error.code}: ${body.error.message}`;
    } catch { /* not JSON: the raw body below says it all */ }
    replace(box,
      el("div", { class: "alert alert-bad", testid: "http-error" },
        el("strong", { testid: "http-status" }, `HTTP ${o.status}`), ` ${what} failed`, detail ? `: ${detail}` : ""),
      o.headers["WWW-Authenticate"] ? el("p", { class: "muted" }, "WWW-Authenticate: ", el("code", null, o.headers["WWW-Authenticate"])) : null,
      el("pre", { class: "json", testid: "http-body" }, o.raw || "(empty body)"));
    return true;
  }
  if (o.reply && o.reply.error) {
    const e = o.reply.error;
    replace(box,
      el("div", { class: "alert alert-bad", testid: "jsonrpc-error" },
        el("strong", null, `JSON-RPC error ${e.code}`), `: ${e.message === undefined ? "" : String(e.message)}`),
      e.data !== undefined ? pretty(e.data) : null);
    return true;
  }
  if (!o.reply) {
    replace(box, el("div", { class: "alert alert-bad", testid: "no-reply" }, `${what}: the response had no JSON-RPC reply`),
      el("pre", { class: "json" }, o.raw || "(empty body)"));
    return true;
  }
  return false;
}

function contentBlock(block) {
  if (!block || typeof block !== "object") return pretty(block);
  switch (block.type) {
    case "text":
      return el("pre", { class: "content-text", testid: "content-text" }, String(block.text ?? ""));
    case "image": {
      const mime = String(block.mimeType || "");
      const data = String(block.data || "");
      if (/^image\/[A-Za-z0-9.+-]+$/.test(mime) && /^[A-Za-z0-9+/=\s]*$/.test(data)) {
        // data: URLs are what the CSP allows for images (img-src 'self' data:).
        return el("figure", { class: "content-image" }, el("img", { src: `data:${mime};base64,${data.replace(/\s/g, "")}`, alt: `image (${mime})`, testid: "content-image" }),
          el("figcaption", { class: "muted small" }, `${mime}, ${Math.floor(data.length * 3 / 4)} bytes`));
      }
      return el("p", { class: "alert alert-warn" }, `image with an unusable type or data (${mime})`);
    }
    case "audio":
      return el("p", { class: "muted" }, `audio (${String(block.mimeType || "?")}, ${Math.floor(String(block.data || "").length * 3 / 4)} bytes): not played here`);
    case "resource_link":
      return el("p", null, badge("resource link", "info"), " ", el("code", null, String(block.uri ?? "")), block.name ? ` ${block.name}` : "",
        block.description ? el("div", { class: "muted" }, String(block.description)) : null);
    case "resource": {
      const r = block.resource || {};
      return el("div", { class: "content-resource" }, el("p", null, badge("resource", "info"), " ", el("code", null, String(r.uri ?? "")), r.mimeType ? ` (${r.mimeType})` : ""),
        typeof r.text === "string" ? el("pre", { class: "content-text" }, r.text) : r.blob ? el("p", { class: "muted" }, `binary, ${Math.floor(String(r.blob).length * 3 / 4)} bytes`) : null);
    }
    default:
      return pretty(block);
  }
}

function showCallResult(o) {
  const result = o.reply.result || {};
  const blocks = asArray(result.content);
  replace($("pg-result"),
    result.isError ? el("div", { class: "alert alert-bad", testid: "tool-error" }, "The tool reported an error (isError)") : el("div", { class: "alert alert-ok", testid: "tool-ok" }, "Result"),
    blocks.length ? el("div", { class: "content", testid: "content" }, blocks.map(contentBlock)) : el("p", { class: "muted" }, "No content blocks."),
    result.structuredContent !== undefined ? el("div", { testid: "structured" }, el("h4", null, "Structured content"), pretty(result.structuredContent)) : null,
    el("details", { class: "raw" }, el("summary", null, "Raw response"), pretty(o.reply)));
}

function progressLine(params) {
  const p = params || {};
  const total = typeof p.total === "number" ? p.total : null;
  const text = `${p.progress}${total !== null ? " / " + total : ""}${p.message ? " · " + p.message : ""}`;
  const bar = total ? el("progress", { max: total, value: Math.min(Number(p.progress) || 0, total) }) : null;
  return el("li", { class: "progress-item", testid: "progress-item" }, bar, el("span", null, text));
}

function streamLine(conn, m) {
  const list = $("pg-progress");
  if (!m || typeof m !== "object") return;
  if (m.method === "notifications/progress") {
    if (m.params && m.params.progressToken !== state.progressToken) return;
    list.appendChild(progressLine(m.params));
  } else if (m.method === "notifications/message") {
    const p = m.params || {};
    const data = typeof p.data === "string" ? p.data : JSON.stringify(p.data);
    list.appendChild(el("li", { class: "log-item", testid: "log-item" }, badge(String(p.level || "log"), "muted"), p.logger ? ` ${p.logger}:` : "", ` ${data}`));
  } else if (m.method && m.id !== undefined) {
    list.appendChild(el("li", { class: "muted" }, `server request ${m.method}`));
    answerServerRequest(conn, m);
  } else if (m.method) {
    list.appendChild(el("li", { class: "muted" }, `notification ${m.method}`));
  } else if ("raw" in m) {
    list.appendChild(el("li", { class: "muted" }, `unparsed event: ${String(m.raw).slice(0, 200)}`));
  }
  $("pg-progress-box").hidden = list.children.length === 0;
}

// --- actions ---------------------------------------------------------------------------------

function busy(on) {
  for (const id of ["pg-connect", "pg-list", "pg-call", "pg-disconnect"]) $(id).disabled = on;
  if (!on) {
    $("pg-disconnect").disabled = !state.conn;
    $("pg-call").disabled = !state.tool;
  }
}

/** Ends the session (legacy DELETE) and forgets the connection; quiet: errors are ignored. */
async function dropConnection(leaving = false) {
  const conn = state.conn;
  state.conn = null;
  state.tools = [];
  if (conn && conn.era === LEGACY && conn.sessionId) {
    const headers = { ...conn.auth, "Mcp-Session-Id": conn.sessionId };
    if (conn.protocolVersion) headers["MCP-Protocol-Version"] = conn.protocolVersion;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 5000);
    const started = performance.now();
    try {
      const r = await forward(conn.target, { method: "DELETE", headers, signal: leaving ? undefined : controller.signal, keepalive: leaving });
      logExchange({ method: "DELETE session", status: r.status, ok: r.ok, elapsed: performance.now() - started, headers: {}, error: null });
      if (r.body) await r.body.cancel();
    } catch { /* the session will expire on its own */ } finally {
      clearTimeout(timer);
    }
  }
}

function stale() {
  if (state.conn) {
    dropConnection();
    setConnStatus("not connected", "muted");
  }
}

async function connect() {
  const t = target();
  if (!t) {
    replace($("pg-result"), el("div", { class: "alert alert-warn" }, "No route endpoint to connect to."));
    return false;
  }
  await dropConnection();
  const era = $("pg-era").value === MODERN ? MODERN : LEGACY;
  // The key as typed now: the session is bound to it (a new key means a new connection).
  const conn = { era, target: t, auth: authHeaders(), protocolVersion: null, sessionId: null, serverInfo: null };
  setConnStatus("connecting…", "muted");
  replace($("pg-tools"));
  if (era === LEGACY) {
    const o = await exchange(conn, "initialize", { protocolVersion: LEGACY, capabilities: {}, clientInfo: CLIENT_INFO });
    $("pg-elapsed").textContent = elapsedLine(o);
    if (showFailure(o, "initialize")) {
      setConnStatus(o.status ? `failed (HTTP ${o.status})` : "failed", "bad");
      return false;
    }
    const result = o.reply.result || {};
    conn.protocolVersion = typeof result.protocolVersion === "string" ? result.protocolVersion : LEGACY;
    conn.sessionId = o.headers["Mcp-Session-Id"] || null;
    conn.serverInfo = result.serverInfo || null;
    const n = await exchange(conn, "notifications/initialized", undefined, { notification: true });
    if (n.error || !n.ok) {
      showFailure(n, "notifications/initialized");
      setConnStatus("failed", "bad");
      return false;
    }
  } else {
    const o = await exchange(conn, "server/discover", { _meta: modernMeta() });
    $("pg-elapsed").textContent = elapsedLine(o);
    if (showFailure(o, "server/discover")) {
      setConnStatus(o.status ? `failed (HTTP ${o.status})` : "failed", "bad");
      return false;
    }
    const result = o.reply.result || {};
    conn.protocolVersion = MODERN;
    conn.serverInfo = (result._meta && result._meta["io.modelcontextprotocol/serverInfo"]) || null;
  }
  state.conn = conn;
  const info = conn.serverInfo ? `${conn.serverInfo.name || "server"} ${conn.serverInfo.version || ""}`.trim() : "server";
  setConnStatus(`connected · ${info} · ${conn.protocolVersion}${conn.sessionId ? " · session" : ""}`, "ok");
  replace($("pg-result"), el("div", { class: "alert alert-ok", testid: "connected" }, `Connected to ${info} (protocol ${conn.protocolVersion}${conn.sessionId ? ", with a session" : ", no session"}).`));
  return true;
}

async function listTools() {
  if (!state.conn && !(await connect())) return;
  const conn = state.conn;
  const tools = [];
  let cursor;
  let last;
  for (let page = 0; page < 50; page++) {
    const params = conn.era === MODERN ? { _meta: modernMeta(), ...(cursor ? { cursor } : {}) } : cursor ? { cursor } : undefined;
    last = await exchange(conn, "tools/list", params, { onMessage: (m) => streamLine(conn, m) });
    $("pg-elapsed").textContent = elapsedLine(last);
    if (showFailure(last, "tools/list")) {
      if (conn.era === LEGACY && last.status === 404 && conn.sessionId) {
        state.conn = null;
        setConnStatus("session expired: connect again", "warn");
      }
      return;
    }
    tools.push(...asArray(last.reply.result && last.reply.result.tools));
    cursor = last.reply.result && last.reply.result.nextCursor;
    if (!cursor) break;
  }
  state.tools = tools;
  renderTools();
  replace($("pg-result"), el("div", { class: "alert alert-ok", testid: "tools-listed" }, `${tools.length} tool${tools.length === 1 ? "" : "s"}.`));
}

function renderTools() {
  const list = $("pg-tools");
  replace(list, state.tools.length === 0 ? el("li", { class: "empty" }, "No tools.") : state.tools.map((tool) => {
    const name = String(tool.name ?? "");
    const ann = tool.annotations && typeof tool.annotations === "object" ? tool.annotations : {};
    const hints = [ann.readOnlyHint ? "read-only" : null, ann.destructiveHint ? "destructive" : null].filter(Boolean);
    const button = el("button", { type: "button", class: ["tool", state.tool && state.tool.name === name ? "tool-selected" : null], "data-tool": name, "data-testid": "tool-" + name },
      el("span", { class: "tool-name" }, name, tool.title && tool.title !== name ? el("span", { class: "muted" }, ` ${tool.title}`) : null,
        hints.map((h) => badge(h, "muted"))),
      tool.description ? el("span", { class: "tool-desc" }, String(tool.description)) : null);
    button.addEventListener("click", () => selectTool(tool));
    return el("li", null, button);
  }));
}

function selectTool(tool) {
  state.tool = tool;
  for (const b of $("pg-tools").querySelectorAll("button.tool")) b.classList.toggle("tool-selected", b.getAttribute("data-tool") === tool.name);
  $("pg-call-box").hidden = false;
  $("pg-tool-name").textContent = String(tool.name);
  $("pg-tool-desc").textContent = tool.description ? String(tool.description) : "";
  $("pg-raw-toggle").checked = false;
  $("pg-raw").hidden = true;
  state.form = buildForm(tool.inputSchema);
  replace($("pg-form"), state.form.node);
  $("pg-form").hidden = false;
  $("pg-form-error").textContent = "";
  $("pg-call").disabled = false;
}

function toggleRaw() {
  const raw = $("pg-raw");
  const error = $("pg-form-error");
  error.textContent = "";
  if ($("pg-raw-toggle").checked) {
    let values = {};
    try { values = state.form ? state.form.values() : {}; } catch { /* start from what is valid */ }
    raw.value = JSON.stringify(values, null, 2);
    raw.hidden = false;
    $("pg-form").hidden = true;
  } else {
    let values;
    try {
      values = JSON.parse(raw.value || "{}");
    } catch (e) {
      error.textContent = `Raw JSON is not valid: ${e.message}`;
      $("pg-raw-toggle").checked = true;
      return;
    }
    state.form = buildForm(state.tool && state.tool.inputSchema, values);
    replace($("pg-form"), state.form.node);
    raw.hidden = true;
    $("pg-form").hidden = false;
  }
}

async function callTool() {
  const tool = state.tool;
  if (!tool) return;
  const error = $("pg-form-error");
  error.textContent = "";
  let args;
  try {
    if ($("pg-raw-toggle").checked) {
      args = JSON.parse($("pg-raw").value || "{}");
      if (!args || typeof args !== "object" || Array.isArray(args)) throw new Error("arguments must be a JSON object");
    } else {
      args = state.form.values();
    }
  } catch (e) {
    error.textContent = e.message;
    return;
  }
  if (!state.conn && !(await connect())) return;
  const conn = state.conn;
  const token = `console-${Date.now().toString(36)}-${state.nextId}`;
  state.progressToken = token;
  const meta = conn.era === MODERN ? modernMeta({ progressToken: token }) : { progressToken: token };
  replace($("pg-progress"));
  $("pg-progress-box").hidden = true;
  replace($("pg-result"), el("p", { class: "muted", testid: "calling" }, `Calling ${tool.name}…`));
  $("pg-elapsed").textContent = "";
  const controller = new AbortController();
  state.callAbort = controller;
  $("pg-cancel").hidden = false;
  let o;
  try {
    o = await exchange(conn, "tools/call", { name: tool.name, arguments: args, _meta: meta },
      { name: tool.name, timeoutMs: CALL_TIMEOUT_MS, signal: controller.signal, onMessage: (m) => streamLine(conn, m) });
  } finally {
    state.callAbort = null;
    $("pg-cancel").hidden = true;
  }
  $("pg-elapsed").textContent = elapsedLine(o);
  if (o.error === "cancelled" && conn.era === LEGACY && o.id !== undefined) {
    // Legacy cancellation is a notification; in 2026-07-28 closing the stream is the cancel.
    exchange(conn, "notifications/cancelled", { requestId: o.id, reason: "cancelled in the console" }, { notification: true });
  }
  if (showFailure(o, `tools/call ${tool.name}`)) {
    if (conn.era === LEGACY && o.status === 404 && conn.sessionId) {
      state.conn = null;
      setConnStatus("session expired: connect again", "warn");
    }
    return;
  }
  showCallResult(o);
}

function run(action) {
  return async () => {
    busy(true);
    try {
      await action();
    } catch (e) {
      replace($("pg-result"), el("div", { class: "alert alert-bad" }, `Unexpected error: ${e && e.message ? e.message : e}`));
    } finally {
      busy(false);
    }
  };
}

// --- setup -----------------------------------------------------------------------------------

/** Route endpoints from the overview; keeps the selection when the list is unchanged. */
export function updateEndpoints(overview) {
  const endpoints = [];
  for (const route of asArray(overview && overview.routes)) {
    const routeName = route.namespace ? `${route.namespace}/${route.name}` : String(route.name);
    const auth = asArray(route.rules).map((r) => r.policy && r.policy.auth).find((a) => a && a.enabled);
    for (const e of asArray(route.endpoints)) {
      if (typeof e.listenerPort !== "number") continue;
      const path = typeof e.path === "string" && e.path ? e.path : "/mcp";
      const key = `${routeName}|${e.listenerPort}|${e.hostname || ""}|${path}`;
      endpoints.push({
        key, route: routeName, listenerPort: e.listenerPort, hostname: e.hostname || null, path,
        authEnabled: Boolean(auth), authHeader: auth && auth.header ? String(auth.header) : null,
        label: `${routeName} · ${e.tls ? "https" : "http"}://${e.hostname || "*"}:${e.listenerPort}${path}`,
      });
    }
  }
  const json = JSON.stringify(endpoints);
  if (json === state.endpointsJSON) return;
  state.endpointsJSON = json;
  const select = $("pg-endpoint");
  const previous = select.value;
  state.endpoints = endpoints;
  replace(select, endpoints.length === 0 ? el("option", { value: "" }, "no route endpoints") :
    endpoints.map((e) => el("option", { value: e.key }, e.label)));
  if (endpoints.some((e) => e.key === previous)) select.value = previous;
  else endpointChanged();
}

function endpointChanged() {
  const e = endpoint();
  $("pg-path").value = e ? e.path : "";
  $("pg-key-hint").textContent = !e ? "" : e.authEnabled
    ? `This route requires a key, sent as ${e.authHeader || "Authorization: Bearer"} <key>.`
    : "This route has no API key policy; a key, if given, is sent as Authorization: Bearer <key>.";
  stale();
}

export function initPlayground() {
  $("pg-endpoint").addEventListener("change", endpointChanged);
  $("pg-era").addEventListener("change", stale);
  $("pg-path").addEventListener("change", stale);
  $("pg-key").addEventListener("change", stale);
  $("pg-connect").addEventListener("click", run(connect));
  $("pg-disconnect").addEventListener("click", run(async () => {
    await dropConnection();
    setConnStatus("not connected", "muted");
    replace($("pg-tools"));
  }));
  $("pg-list").addEventListener("click", run(listTools));
  $("pg-call").addEventListener("click", run(callTool));
  $("pg-cancel").addEventListener("click", () => state.callAbort && state.callAbort.abort());
  $("pg-raw-toggle").addEventListener("change", toggleRaw);
  $("pg-clear-log").addEventListener("click", () => replace($("pg-log")));
  setConnStatus("not connected", "muted");
  busy(false);
  // Leaving the page ends a legacy session, as SDK clients do on close.
  window.addEventListener("pagehide", () => { dropConnection(true); });
}
