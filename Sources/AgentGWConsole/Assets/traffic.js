// The Traffic tab: rates and latency percentiles from /api/traffic's cumulative counters. The
// page polls every 2 s, turns counter differences into per-second rates, and keeps the last 60
// points of each series for sparklines drawn as inline SVG.
import { getJSON } from "./api.js";
import { $, asArray, el, ms, replace, svg } from "./dom.js";

const POINTS = 60;
const series = new Map(); // key -> array of numbers (oldest first)
let previous = null; // the last sample
let latest = null;

function push(key, value) {
  let s = series.get(key);
  if (!s) series.set(key, (s = []));
  s.push(Number.isFinite(value) ? value : 0);
  if (s.length > POINTS) s.shift();
  return s;
}

/** Per-second rate of a cumulative counter; a counter that went down (restart) counts as 0. */
function rate(now, before, seconds) {
  if (typeof now !== "number" || typeof before !== "number" || !(seconds > 0)) return 0;
  return now >= before ? (now - before) / seconds : 0;
}

function index(list, key) {
  const map = new Map();
  for (const item of asArray(list)) map.set(key(item), item);
  return map;
}

const routeKey = (r) => String(r.route);
const toolKey = (t) => `${t.route}\u0000${t.tool}`;

function record(sample) {
  const seconds = previous && typeof sample.time === "number" && typeof previous.time === "number"
    ? sample.time - previous.time : 0;
  const totals = sample.totals || {}, before = (previous && previous.totals) || {};
  const sessions = sample.sessions || {};
  push("open", sample.openStreams || 0);
  push("sessions", (sessions.started || 0) - (sessions.ended || 0));
  if (previous && seconds > 0) {
    push("rps", rate(totals.requests, before.requests, seconds));
    for (const k of ["authFailures", "rateLimited", "toolDenied", "upstreamErrors"]) push(k, rate(totals[k], before[k], seconds));
  }
  const oldRoutes = index(previous && previous.routes, routeKey);
  for (const r of asArray(sample.routes)) {
    const k = "route:" + routeKey(r), old = oldRoutes.get(routeKey(r));
    if (previous && seconds > 0) push(k + ":rps", old ? rate(r.requests, old.requests, seconds) : 0);
    push(k + ":p50", (r.latency || {}).p50);
    push(k + ":p99", (r.latency || {}).p99);
  }
  const oldTools = index(previous && previous.tools, toolKey);
  for (const t of asArray(sample.tools)) {
    const k = "tool:" + toolKey(t), old = oldTools.get(toolKey(t));
    if (previous && seconds > 0) push(k + ":rps", old ? rate(t.requests, old.requests, seconds) : 0);
    push(k + ":p50", (t.latency || {}).p50);
    push(k + ":p99", (t.latency || {}).p99);
  }
  previous = sample;
  latest = sample;
}

/** A sparkline of the series with its last value as text. */
function spark(key, format, label, withValue = true) {
  const values = series.get(key) || [];
  const w = 120, h = 28, pad = 2;
  const max = Math.max(...values, 0);
  const scale = max > 0 ? (h - 2 * pad) / max : 0;
  const step = (w - 2 * pad) / (POINTS - 1);
  const x0 = w - pad - (values.length - 1) * step;
  const points = values.map((v, i) => `${(x0 + i * step).toFixed(1)},${(h - pad - v * scale).toFixed(1)}`).join(" ");
  const last = values.length ? values[values.length - 1] : null;
  const text = last === null ? "—" : format(last);
  const chart = svg("svg", { class: "spark", viewBox: `0 0 ${w} ${h}`, width: w, height: h, role: "img", "aria-label": `${label}: ${text}` },
    svg("title", null, `${label}: ${text} (max ${format(max)})`),
    svg("line", { class: "spark-base", x1: pad, y1: h - pad, x2: w - pad, y2: h - pad }),
    values.length > 1 ? svg("polyline", { class: "spark-line", points }) : null,
    values.length > 0 ? svg("circle", { class: "spark-dot", cx: (w - pad).toFixed(1), cy: (h - pad - last * scale).toFixed(1), r: 2 }) : null);
  return el("span", { class: "spark-cell" }, chart, withValue ? el("span", { class: "spark-value" }, text) : null);
}

const perSecond = (v) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)}/s`;
const count = (v) => String(Math.round(v));

/** A number with a sparkline: of its rate (rate true) or of the number itself. */
function card(title, value, key, format, testid, rate = true) {
  return el("div", { class: "stat stat-card", testid },
    el("span", { class: "stat-label" }, title),
    el("span", { class: "stat-value" }, value),
    key ? spark(key, format, title, rate) : null);
}

export function renderTraffic() {
  const target = $("tr-summary");
  if (!target) return;
  if (!latest) {
    replace(target, el("p", { class: "empty" }, "Waiting for the first sample…"));
    return;
  }
  const t = latest.totals || {}, s = latest.sessions || {};
  replace(target,
    card("requests", count(t.requests || 0), "rps", perSecond, "total-requests"),
    card("open streams", count(latest.openStreams || 0), "open", count, "open-streams", false),
    card("sessions active", count((s.started || 0) - (s.ended || 0)), "sessions", count, "sessions-active", false),
    card("sessions started", count(s.started || 0), null, null, "sessions-started"),
    card("auth failures", count(t.authFailures || 0), "authFailures", perSecond, "auth-failures"),
    card("rate limited", count(t.rateLimited || 0), "rateLimited", perSecond, "rate-limited"),
    card("tools denied", count(t.toolDenied || 0), "toolDenied", perSecond, "tool-denied"),
    card("upstream errors", count(t.upstreamErrors || 0), "upstreamErrors", perSecond, "upstream-errors"));

  const routes = asArray(latest.routes);
  replace($("tr-routes"), routes.length === 0 ? el("p", { class: "empty" }, "No route traffic yet.") :
    el("table", { class: "grid", testid: "traffic-routes" },
      el("thead", null, el("tr", null, ["Route", "Requests/s", "p50", "p99", "Requests", "Errors", "Auth failures", "Rate limited"].map((c) => el("th", { scope: "col" }, c)))),
      el("tbody", null, routes.map((r) => {
        const k = "route:" + routeKey(r);
        return el("tr", null,
          el("td", null, String(r.route)),
          el("td", null, spark(k + ":rps", perSecond, "requests/s")),
          el("td", null, spark(k + ":p50", ms, "p50")),
          el("td", null, spark(k + ":p99", ms, "p99")),
          el("td", { class: "num" }, count(r.requests || 0)),
          el("td", { class: "num" }, count(r.errors || 0)),
          el("td", { class: "num" }, count(r.authFailures || 0)),
          el("td", { class: "num" }, count(r.rateLimited || 0)));
      }))));

  const tools = asArray(latest.tools);
  replace($("tr-tools"), tools.length === 0 ? el("p", { class: "empty" }, "No tool calls yet.") :
    el("table", { class: "grid", testid: "traffic-tools" },
      el("thead", null, el("tr", null, ["Route", "Tool", "Calls/s", "p50", "p99", "Calls", "Errors"].map((c) => el("th", { scope: "col" }, c)))),
      el("tbody", null, tools.map((tool) => {
        const k = "tool:" + toolKey(tool);
        return el("tr", null,
          el("td", null, String(tool.route)),
          el("td", null, el("code", null, String(tool.tool))),
          el("td", null, spark(k + ":rps", perSecond, "calls/s")),
          el("td", null, spark(k + ":p50", ms, "p50")),
          el("td", null, spark(k + ":p99", ms, "p99")),
          el("td", { class: "num" }, count(tool.requests || 0)),
          el("td", { class: "num" }, count(tool.errors || 0)));
      }))));
}

/** Polls /api/traffic every 2 s for as long as the page is open; renders when visible. */
export function startTraffic(isVisible, onStatus) {
  const tick = async () => {
    try {
      record(await getJSON("/api/traffic"));
      onStatus(null);
      if (isVisible()) renderTraffic();
    } catch (error) {
      onStatus(error);
    }
    setTimeout(tick, 2000);
  };
  tick();
}
