// The Overview tab: gateways, routes with their policies, backends and targets, reloads and
// warnings, from /api/overview. Fields may be missing: everything is read leniently.
import { $, asArray, badge, el, replace, show, table, when } from "./dom.js";

let lastJSON = "";

function name(obj) {
  if (!obj) return "—";
  return obj.namespace ? `${obj.namespace}/${obj.name}` : show(obj.name);
}

// Gateway API conditions whose "true" is the bad news; shown only when true.
const NEGATIVE = new Set(["Conflicted", "OverlappingTLSConfig"]);

function conditions(list) {
  const items = asArray(list).filter((c) => !(NEGATIVE.has(c.type) && !(c.status === true || c.status === "True")));
  if (items.length === 0) return "—";
  return el("span", { class: "badges" }, items.map((c) => {
    const ok = (c.status === true || c.status === "True") !== NEGATIVE.has(c.type);
    const b = badge(`${c.type}${ok ? "" : ": " + show(c.reason)}`, ok ? "ok" : "bad");
    if (c.message) b.setAttribute("title", String(c.message));
    return b;
  }));
}

function empty(text) {
  return el("p", { class: "empty" }, text);
}

function gateways(list) {
  if (list.length === 0) return empty("No gateways.");
  return list.map((g) => el("article", { class: "card", testid: "gateway", "data-name": name(g) },
    el("header", { class: "card-head" },
      el("h3", null, el("span", { class: "kind" }, "Gateway"), " ", name(g)),
      conditions(g.conditions)),
    asArray(g.listeners).length === 0 ? empty("No listeners.") :
      table(["Listener", "Address", "Port", "Bound port", "Protocol", "Attached routes", "Conditions"],
        asArray(g.listeners).map((l) => [
          show(l.name), show(l.address), show(l.port),
          l.boundPort && l.boundPort !== l.port ? show(l.boundPort) : show(l.boundPort ?? l.port),
          show(l.protocol), show(l.attachedRoutes), conditions(l.conditions),
        ]), { class: "grid" })));
}

function matchText(m) {
  const parts = [];
  if (m.path) parts.push(`${show(m.path.type)} ${show(m.path.value)}`);
  if (m.method) parts.push(`method ${m.method}`);
  for (const h of asArray(m.headers)) parts.push(`header ${show(h.name)} ${h.type && h.type !== "Exact" ? h.type + " " : "= "}${show(h.value)}`);
  for (const q of asArray(m.queryParams)) parts.push(`query ${show(q.name)} = ${show(q.value)}`);
  return parts.length ? parts.join(", ") : "any request";
}

function filterText(f) {
  const parts = [show(f.type)];
  for (const k of ["set", "add"]) for (const h of asArray(f[k])) parts.push(`${k} ${show(h.name)}: ${show(h.value)}`);
  for (const h of asArray(f.remove)) parts.push(`remove ${h}`);
  if (f.hostname) parts.push(`host ${f.hostname}`);
  if (f.path && f.path.type) parts.push(`${f.path.type} ${show(f.path.value)}`);
  if (f.scheme) parts.push(`scheme ${f.scheme}`);
  if (f.port) parts.push(`port ${f.port}`);
  if (f.statusCode) parts.push(String(f.statusCode));
  return parts.join(" · ");
}

function ruleExtras(rule) {
  const out = asArray(rule.filters).map((f) => el("div", { class: "muted small" }, "filter ", filterText(f)));
  if (rule.requestTimeout) out.push(el("div", { class: "muted small" }, `request timeout ${rule.requestTimeout}`));
  if (rule.backendRequestTimeout) out.push(el("div", { class: "muted small" }, `backend timeout ${rule.backendRequestTimeout}`));
  return out;
}

function policyCell(p) {
  if (!p) return el("span", { class: "muted" }, "no policy");
  const lines = [];
  const auth = p.auth;
  if (auth && auth.enabled) {
    const keys = typeof auth.keyCount === "number" ? `${auth.keyCount} key${auth.keyCount === 1 ? "" : "s"}` : "keys";
    lines.push(el("div", null, badge("auth on", "ok", "auth-badge"), ` ${keys}`, auth.header ? ` · ${auth.header}` : ""));
  } else {
    lines.push(el("div", null, badge("auth off", "warn", "auth-badge")));
  }
  for (const r of asArray(p.rateLimits)) {
    const burst = r.burst !== undefined && r.burst !== null ? `, burst ${r.burst}` : "";
    const scope = r.tool ? `tool ${r.tool}` : `per ${show(r.per)}`;
    lines.push(el("div", null, el("span", { class: "label" }, "rate limit "), `${show(r.requests)} / ${show(r.window)}${burst} (${scope})`));
  }
  const tools = p.tools;
  if (tools && (asArray(tools.allow).length || asArray(tools.deny).length)) {
    if (asArray(tools.allow).length) lines.push(el("div", null, el("span", { class: "label" }, "allow "), asArray(tools.allow).join(", ")));
    if (asArray(tools.deny).length) lines.push(el("div", null, el("span", { class: "label" }, "deny "), asArray(tools.deny).join(", ")));
  }
  if (p.timeouts && typeof p.timeouts === "object") {
    const t = Object.entries(p.timeouts).filter(([, v]) => v !== null && v !== undefined);
    if (t.length) lines.push(el("div", null, el("span", { class: "label" }, "timeouts "), t.map(([k, v]) => `${k} ${v}`).join(", ")));
  }
  if (asArray(p.sources).length) lines.push(el("div", { class: "muted small" }, "from ", asArray(p.sources).join(", ")));
  return el("div", { class: "policy" }, lines);
}

function endpointText(e) {
  const port = e.boundPort && e.boundPort !== e.listenerPort ? `:${show(e.listenerPort)} (bound ${e.boundPort})` : `:${show(e.listenerPort)}`;
  return `${e.tls ? "https" : "http"} ${e.hostname || "*"}${port}${show(e.path)}`;
}

function routes(list) {
  if (list.length === 0) return empty("No routes.");
  return list.map((r) => el("article", { class: "card", testid: "route", "data-name": name(r) },
    el("header", { class: "card-head" },
      el("h3", null, el("span", { class: "kind" }, "HTTPRoute"), " ", name(r)),
      el("span", { class: "muted" }, "parents: ", asArray(r.parents).join(", ") || "—")),
    asArray(r.endpoints).length ? el("p", { class: "endpoints" }, el("span", { class: "label" }, "endpoints "),
      asArray(r.endpoints).map((e) => el("code", { class: "endpoint" }, endpointText(e)))) : null,
    table(["Rule", "Hostnames", "Matches", "Backends (weight)", "Policy"],
      asArray(r.rules).map((rule) => [
        show(rule.rule),
        asArray(rule.hostnames).join(", ") || "any",
        el("div", null, asArray(rule.matches).length ? asArray(rule.matches).map((m) => el("div", null, matchText(m))) : "any request", ruleExtras(rule)),
        el("div", null, asArray(rule.backends).map((b) => el("div", null,
          el("span", { class: "muted" }, b.kind ? `${b.kind} ` : ""), show(b.name),
          b.weight !== undefined && b.weight !== null ? ` (${b.weight})` : "",
          b.target ? el("span", { class: "muted small" }, ` → ${b.target}`) : null,
          b.multiplexed ? el("span", { class: "muted small" }, ` → ${asArray(b.targets).length} targets, multiplexed`) : null))),
        policyCell(rule.policy),
      ]), { class: "grid" })));
}

function health(h) {
  const kind = h === "healthy" ? "ok" : h === "failing" ? "bad" : "muted";
  return badge(show(h || "unknown"), kind, "health");
}

/** host:port, where host may already carry the port (it is the Host header then). */
function address(t) {
  const host = show(t.host);
  return /:\d+$/.test(host) && !/^[^\[]*:[^\]]*:/.test(host) ? host : `${host}:${show(t.port)}`;
}

function backends(list) {
  if (list.length === 0) return empty("No backends.");
  return list.map((b) => el("article", { class: "card", testid: "backend", "data-name": name(b) },
    el("header", { class: "card-head" },
      el("h3", null, el("span", { class: "kind" }, "Backend"), " ", name(b)),
      b.multiplexed ? badge("multiplexed", "info") : null),
    table(["Target", "Address", "Protocol", "Era", "Health", "Requests", "Last success", "Last error"],
      asArray(b.targets).map((t) => [
        show(t.name),
        el("div", null, el("code", null, `${t.tls ? "https://" : ""}${address(t)}${t.path || ""}`),
          t.connect && t.connect !== address(t) ? el("div", { class: "muted small" }, `connects to ${t.connect}`) : null),
        show(t.protocol),
        t.era ? show(t.era) : el("span", { class: "muted" }, "not yet seen"),
        health(t.health),
        show(t.requests),
        when(t.lastSuccessTime),
        t.lastError ? el("div", { class: "error-text" }, el("div", null, String(t.lastError)), el("div", { class: "muted small" }, when(t.lastErrorTime))) : "—",
      ]), { class: "grid" })));
}

function reloads(data) {
  const list = asArray(data.reloads).slice().reverse(); // newest first
  const out = [];
  if (data.lastError) {
    out.push(el("div", { class: "alert alert-bad", testid: "last-error" },
      el("strong", null, "Last reload failed: "), el("pre", { class: "inline-pre" }, String(data.lastError))));
  }
  if (list.length === 0) {
    out.push(empty("No reloads yet."));
    return out;
  }
  const lastFailed = list.find((r) => !r.ok);
  out.push(el("table", { class: "grid" },
    el("thead", null, el("tr", null, ["Time", "Generation", "Result", "Error"].map((c) => el("th", { scope: "col" }, c)))),
    el("tbody", null, list.map((r) => el("tr", { class: r === lastFailed && data.lastError ? "row-bad" : null },
      el("td", null, when(r.time)), el("td", null, show(r.generation)),
      el("td", null, r.ok ? badge("ok", "ok") : badge("failed", "bad")),
      el("td", null, r.error ? el("pre", { class: "inline-pre" }, String(r.error)) : "—"))))));
  return out;
}

function warnings(list) {
  if (list.length === 0) return empty("No warnings.");
  return el("ul", { class: "warnings" }, list.map((w) => el("li", null, el("code", null, String(w)))));
}

/** Renders the overview; returns false when nothing changed since the last call. */
export function renderOverview(data) {
  const json = JSON.stringify(data);
  if (json === lastJSON) return false;
  lastJSON = json;
  const gw = asArray(data.gateways), rt = asArray(data.routes), be = asArray(data.backends);
  replace($("ov-summary"),
    el("div", { class: "stat" }, el("span", { class: "stat-label" }, "generation"), el("span", { class: "stat-value", testid: "generation" }, show(data.generation))),
    el("div", { class: "stat" }, el("span", { class: "stat-label" }, "ready"), data.ready ? badge("ready", "ok", "ready") : badge("not ready", "bad", "ready")),
    el("div", { class: "stat" }, el("span", { class: "stat-label" }, "gateways"), el("span", { class: "stat-value" }, gw.length)),
    el("div", { class: "stat" }, el("span", { class: "stat-label" }, "routes"), el("span", { class: "stat-value" }, rt.length)),
    el("div", { class: "stat" }, el("span", { class: "stat-label" }, "backends"), el("span", { class: "stat-value" }, be.length)),
    el("div", { class: "stat" }, el("span", { class: "stat-label" }, "playground"), data.playground ? badge("on", "ok") : badge("off", "muted")));
  replace($("ov-gateways"), gateways(gw));
  replace($("ov-routes"), routes(rt));
  replace($("ov-backends"), backends(be));
  replace($("ov-reloads"), reloads(data));
  replace($("ov-warnings"), warnings(asArray(data.warnings)));
  $("ov-warnings-count").textContent = asArray(data.warnings).length ? `(${asArray(data.warnings).length})` : "";
  return true;
}
