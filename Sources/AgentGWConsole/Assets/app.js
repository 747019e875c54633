// The console's entry point: tabs, live polling of /api/overview, and the other tabs' setup.
import { getJSON } from "./api.js";
import { $ } from "./dom.js";
import { renderOverview } from "./overview.js";
import { initPlayground, updateEndpoints } from "./playground.js";
import { renderTraffic, startTraffic } from "./traffic.js";

const TABS = ["overview", "traffic", "playground"];
const OVERVIEW_INTERVAL_MS = 2500;
let current = "overview";
let playgroundEnabled = false;
const problems = { overview: null, traffic: null };

function select(tab, focus) {
  if (!TABS.includes(tab)) tab = "overview";
  if (tab === "playground" && !playgroundEnabled) tab = current === "playground" ? "overview" : current;
  current = tab;
  for (const t of TABS) {
    const button = $(`tab-${t}`);
    const on = t === tab;
    button.setAttribute("aria-selected", on ? "true" : "false");
    button.tabIndex = on ? 0 : -1;
    $(`panel-${t}`).hidden = !on;
  }
  if (focus) $(`tab-${tab}`).focus();
  if (tab === "traffic") renderTraffic();
  if (location.hash !== `#${tab}`) history.replaceState(null, "", `#${tab}`);
}

function setPlayground(enabled) {
  playgroundEnabled = enabled;
  const button = $("tab-playground");
  button.disabled = !enabled;
  button.title = enabled ? "" : "start serve with --console-playground";
  $("pg-disabled").hidden = enabled;
  // Opened with #playground before the first overview arrived: go there now.
  if (enabled && location.hash === "#playground" && current !== "playground") select("playground");
  if (!enabled && current === "playground") select("overview");
}

function showProblems() {
  const status = $("live-status");
  const problem = problems.overview || problems.traffic;
  status.textContent = problem ? `admin API: ${problem.message || problem}` : "live";
  status.className = problem ? "live live-bad" : "live live-ok";
}

async function pollOverview() {
  try {
    const data = await getJSON("/api/overview");
    problems.overview = null;
    renderOverview(data);
    setPlayground(data.playground === true);
    if (data.playground === true) updateEndpoints(data);
    $("updated").textContent = `updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    problems.overview = error;
  }
  showProblems();
  setTimeout(pollOverview, OVERVIEW_INTERVAL_MS);
}

function init() {
  for (const t of TABS) $(`tab-${t}`).addEventListener("click", () => select(t));
  // Arrow keys move between tabs (WAI-ARIA tabs pattern).
  $("tabs").addEventListener("keydown", (event) => {
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    const usable = TABS.filter((t) => !$(`tab-${t}`).disabled);
    const i = usable.indexOf(current);
    const next = usable[(i + (event.key === "ArrowRight" ? 1 : usable.length - 1)) % usable.length];
    select(next, true);
    event.preventDefault();
  });
  window.addEventListener("hashchange", () => select(location.hash.slice(1)));
  // The playground tab stays disabled (and its hint hidden) until the first overview says.
  initPlayground();
  select(location.hash.slice(1) || "overview");
  pollOverview();
  startTraffic(() => current === "traffic", (error) => {
    problems.traffic = error;
    showProblems();
  });
}

init();
