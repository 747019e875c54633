// The admin listener's JSON APIs and the playground forwarder (same origin as the page).

/** The per-process CSRF token the server put in the page's meta tag. */
export function csrfToken() {
  const meta = document.querySelector('meta[name="agentgw-csrf"]');
  const token = meta ? meta.getAttribute("content") || "" : "";
  // The placeholder means the page was not served by serve (e.g. opened from disk).
  return token.includes("{{") ? "" : token;
}

/** GET a JSON document, bounded in time. Throws with the status and a short reason. */
export async function getJSON(path, timeoutMs = 5000) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(path, {
      headers: { Accept: "application/json" },
      cache: "no-store",
      credentials: "same-origin",
      signal: controller.signal,
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return await response.json();
  } catch (error) {
    if (error.name === "AbortError") throw new Error(`${path}: no answer within ${timeoutMs / 1000}s`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends one MCP message through /api/playground/forward to a route's listener, exactly like a
 * client would (the data plane applies the route's policies). Returns the fetch Response; the
 * caller streams its body.
 *   target: { listenerPort, path, hostname }
 *   headers: the MCP headers to pass through (Content-Type, Accept, MCP-Protocol-Version, ...)
 */
export function forward(target, { method = "POST", headers = {}, body, signal, keepalive = false }) {
  const h = new Headers();
  h.set("X-AgentGW-CSRF", csrfToken());
  h.set("X-AgentGW-Listener", String(target.listenerPort));
  h.set("X-AgentGW-Path", target.path || "/");
  if (target.hostname) h.set("X-AgentGW-Host", target.hostname);
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && value !== null && value !== "") h.set(name, value);
  }
  return fetch("/api/playground/forward", {
    method,
    headers: h,
    body: body === undefined ? undefined : body,
    cache: "no-store",
    credentials: "same-origin",
    redirect: "error",
    keepalive, // lets a DELETE sent while the page goes away still reach the server
    signal,
  });
}
