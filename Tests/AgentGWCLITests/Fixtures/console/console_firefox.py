#!/usr/bin/env python3
"""Drives serve's web console in headless Firefox and prints what it saw as one JSON object on
stdout, for ConsoleTests.swift to assert on. It checks nothing itself: it observes.

  console_firefox.py --url http://127.0.0.1:PORT/ui/ --key KEY

Firefox speaks WebDriver BiDi itself (no geckodriver, which Debian doesn't package): this starts
`firefox-esr --headless --remote-debugging-port` with a fresh profile and talks BiDi over its
WebSocket (websocket-client, installed with Selenium). The page is driven through its own DOM
(clicks, field values and their input/change events), the way the Chromium run's Selenium
clicks end up. Environment: FIREFOX (default /usr/bin/firefox-esr).
Every wait is bounded; a step that fails is recorded under "errors" and the run goes on.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import websocket

WAIT = 20  # seconds, per step

# Runs before any page script (a BiDi preload script): records CSP violations, alert() calls and
# uncaught errors where the run can read them.
RECORDER = """() => {
  window.__agentgw = { csp: [], alerts: [], errors: [] };
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__agentgw.csp.push({ directive: e.violatedDirective, blocked: e.blockedURI });
  });
  window.addEventListener('error', (e) => { window.__agentgw.errors.push(String(e.message)); });
  window.addEventListener('unhandledrejection', (e) => { window.__agentgw.errors.push('unhandled rejection: ' + String(e.reason)); });
  for (const name of ['alert', 'confirm', 'prompt']) {
    window[name] = (m) => { window.__agentgw.alerts.push(name + ':' + String(m)); };
  }
}"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BiDi:
    """The few WebDriver BiDi commands the run needs."""

    def __init__(self, firefox):
        self.profile = tempfile.mkdtemp(prefix="agentgw-firefox-")
        port = free_port()
        # user.js: no first-run pages, updates or telemetry reaching for the network.
        with open(os.path.join(self.profile, "user.js"), "w") as f:
            for pref, value in [("browser.shell.checkDefaultBrowser", "false"), ("app.update.enabled", "false"),
                                ("datareporting.policy.dataSubmissionEnabled", "false"),
                                ("toolkit.telemetry.enabled", "false"), ("browser.startup.homepage_override.mstone", '"ignore"'),
                                ("network.captive-portal-service.enabled", "false")]:
                f.write(f'user_pref("{pref}", {value});\n')
        self.process = subprocess.Popen([firefox, "--headless", "--no-remote", "--profile", self.profile,
                                         f"--remote-debugging-port={port}", "about:blank"],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        deadline = time.time() + 60
        while True:
            try:
                # Firefox refuses WebSocket handshakes that carry an Origin.
                self.ws = websocket.create_connection(f"ws://127.0.0.1:{port}/session", timeout=WAIT, suppress_origin=True)
                break
            except OSError:
                if time.time() > deadline or self.process.poll() is not None:
                    self.close()
                    raise RuntimeError("Firefox's WebDriver BiDi endpoint never opened")
                time.sleep(0.2)
            except websocket.WebSocketException:
                if time.time() > deadline:
                    self.close()
                    raise
                time.sleep(0.2)
        self.next_id = 0
        self.command("session.new", {"capabilities": {}})
        self.context = self.command("browsingContext.getTree", {})["contexts"][0]["context"]
        self.command("script.addPreloadScript", {"functionDeclaration": RECORDER})
        self.version = self.command("session.status", {}).get("message", "")

    def command(self, method, params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") != self.next_id:
                continue  # events
            if message.get("type") == "error":
                raise RuntimeError(f"{method}: {message.get('error')}: {message.get('message')}")
            return message.get("result", {})

    def navigate(self, url):
        self.command("browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"})

    def js(self, body):
        """Runs a function body in the page and returns what it returns, through JSON."""
        r = self.command("script.evaluate", {"expression": f"(async () => JSON.stringify(await (async () => {{ {body} }})()))()",
                                             "target": {"context": self.context}, "awaitPromise": True})
        if r.get("type") == "exception":
            raise RuntimeError(r.get("exceptionDetails", {}).get("text", "script exception"))
        value = r.get("result", {}).get("value")
        return None if value in (None, "undefined") else json.loads(value)

    def close(self):
        try:
            self.command("session.end", {})
        except Exception:
            pass
        try:
            self.process.terminate()
            self.process.wait(10)
        except Exception:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


class Run:
    def __init__(self, args):
        self.args = args
        self.out = {"browser": "firefox", "errors": []}
        self.b = BiDi(os.environ.get("FIREFOX", "/usr/bin/firefox-esr"))
        self.out["version"] = self.b.js("return navigator.userAgent")

    def step(self, name, fn):
        try:
            return fn()
        except Exception as e:  # record and go on: the Swift test reports every failed step
            self.out["errors"].append(f"{name}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
            return None

    def wait(self, body, what, timeout=WAIT):
        """Polls a page expression until it returns something truthy; returns that."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = self.b.js(body)
            if value:
                return value
            time.sleep(0.05)
        raise TimeoutError(f"timed out after {timeout}s waiting for {what}")

    def click(self, selector):
        self.b.js(f"const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView({{block: 'center'}}); e.click(); return true")

    def set_value(self, selector, value):
        self.b.js(f"""const e = document.querySelector({json.dumps(selector)});
                      e.value = {json.dumps(value)};
                      e.dispatchEvent(new Event('input', {{bubbles: true}}));
                      e.dispatchEvent(new Event('change', {{bubbles: true}}));
                      return true""")

    def text(self, selector):
        return self.b.js(f"const e = document.querySelector({json.dumps(selector)}); return e ? e.innerText : null")

    def idle(self):
        self.wait("return !document.getElementById('pg-connect').disabled", "the playground to be idle")

    def result(self, what):
        """The result pane's text once it left the 'Calling…' state."""
        return self.wait("""const box = document.getElementById('pg-result');
                            return box.querySelector('[data-testid="calling"]') ? null : box.innerText""", what)

    def overview(self):
        self.b.navigate(self.args.url)
        self.wait("return document.querySelectorAll('[data-testid=\"gateway\"]').length", "the gateways")
        self.wait("return document.getElementById('live-status').innerText.trim() === 'live'", "the live status")
        self.out["overview"] = self.b.js("""const names = (k) => [...document.querySelectorAll(`[data-testid="${k}"]`)].map((e) => e.dataset.name);
            return { gateways: names('gateway'), routes: names('route'), backends: names('backend'),
                     authBadges: [...document.querySelectorAll('[data-testid="auth-badge"]')].map((e) => e.innerText) }""")

    def connect(self, key, era):
        self.set_value("#pg-key", key)
        self.set_value("#pg-era", era)
        self.idle()
        self.click("#pg-connect")
        self.idle()
        return {"result": self.text("#pg-result"), "status": self.text("#pg-conn-status"),
                "httpStatus": self.text('#pg-result [data-testid="http-status"]'),
                "httpBody": self.text('#pg-result [data-testid="http-body"]')}

    def playground(self):
        self.click("#tab-playground")
        self.wait("return !document.getElementById('panel-playground').hidden && document.getElementById('pg-endpoint').value",
                  "the playground and a route endpoint")
        pg = self.out["playground"] = {}
        pg["wrongKey"] = self.step("wrong key", lambda: self.connect("wrong-key-" + str(os.getpid()), "2025-11-25"))
        pg["connect"] = self.step("connect (legacy)", lambda: self.connect(self.args.key, "2025-11-25"))
        pg["tools"] = self.step("list tools", self.list_tools)
        pg["untrusted"] = self.step("untrusted description", self.untrusted)
        pg["add"] = self.step("call add", self.call_add)

    def list_tools(self):
        self.click("#pg-list")
        self.idle()
        return self.wait("""const t = [...document.querySelectorAll('#pg-tools button.tool')].map((e) => e.dataset.tool);
                            return t.length ? t : null""", "the tool list")

    def untrusted(self):
        self.click('#pg-tools button[data-tool="untrusted"]')
        return self.b.js("""const b = document.querySelector('#pg-tools button[data-tool="untrusted"]');
            return { description: b.querySelector('.tool-desc').innerText,
                     callBoxDescription: document.getElementById('pg-tool-desc').innerText,
                     bold: document.querySelectorAll('body b').length, scripts: document.querySelectorAll('body script').length }""")

    def call_add(self):
        self.click('#pg-tools button[data-tool="add"]')
        self.wait("return document.getElementById('pg-tool-name').innerText === 'add'", "the form of add")
        self.set_value("#arg-a", "2")
        self.set_value("#arg-b", "3")
        self.idle()
        self.click("#pg-call")
        self.result("the result of add")
        self.idle()
        return {"content": self.b.js("return [...document.querySelectorAll('#pg-result [data-testid=\"content-text\"]')].map((e) => e.innerText)"),
                "elapsed": self.text("#pg-elapsed")}

    def page_facts(self):
        origin = self.args.url.split("/ui/")[0]
        facts = self.b.js("""const entries = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'));
            return { requests: entries.map((e) => e.name), recorded: window.__agentgw || null,
                     storage: { local: localStorage.length, session: sessionStorage.length, cookie: document.cookie } }""")
        self.out["requests"] = facts["requests"]
        self.out["foreignRequests"] = sorted({u for u in facts["requests"] if not u.startswith(origin + "/") and not u.startswith("data:")})
        recorded = facts.get("recorded") or {}
        self.out["recorderInstalled"] = bool(facts.get("recorded"))
        self.out["cspViolations"] = recorded.get("csp", [])
        self.out["alerts"] = recorded.get("alerts", [])
        self.out["pageErrors"] = recorded.get("errors", [])
        self.out["storage"] = facts["storage"]

    def main(self):
        try:
            self.step("overview", self.overview)
            self.step("playground", self.playground)
            self.step("page facts", self.page_facts)
        finally:
            self.b.close()
        return self.out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--key", default="")
    args = p.parse_args()
    out = Run(args).main()
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
