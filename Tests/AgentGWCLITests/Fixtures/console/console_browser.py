#!/usr/bin/env python3
"""Drives serve's web console in headless Chromium (Selenium) and prints what it saw as one JSON
object on stdout, for ConsoleTests.swift to assert on. It checks nothing itself: it observes.

  console_browser.py --url http://127.0.0.1:PORT/ui/ --mode playground --key KEY
  console_browser.py --url http://127.0.0.1:PORT/ui/ --mode readonly

Environment: CHROMIUM (default /usr/bin/chromium), CHROMEDRIVER (default /usr/bin/chromedriver),
CONSOLE_SCREENSHOTS=DIR to save overview.png, playground.png (after a call with progress) and
traffic.png (after all the calls) there.
Every wait is bounded; a step that fails is recorded under "errors" and the run goes on.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
import urllib.parse

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, UnexpectedAlertPresentException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

WAIT = 20  # seconds, per step

# Installed before any page script runs (CDP scripts are not subject to the page's CSP): records
# CSP violations, alert() calls and uncaught errors where the test can read them.
RECORDER = """
window.__agentgw = { csp: [], alerts: [], errors: [] };
document.addEventListener('securitypolicyviolation', (e) => {
  window.__agentgw.csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
});
window.addEventListener('error', (e) => { window.__agentgw.errors.push(String(e.message)); });
window.addEventListener('unhandledrejection', (e) => { window.__agentgw.errors.push('unhandled rejection: ' + String(e.reason)); });
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = (m) => { window.__agentgw.alerts.push(name + ':' + String(m)); };
}
"""


class Run:
    def __init__(self, args):
        self.args = args
        self.out = {"mode": args.mode, "errors": [], "screenshots": []}
        self.shots = os.environ.get("CONSOLE_SCREENSHOTS") or None
        self.profile = tempfile.mkdtemp(prefix="agentgw-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--window-size=1400,1000", "--no-first-run", "--no-default-browser-check",
                    "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-default-apps", "--password-store=basic",
                    "--force-device-scale-factor=1", f"--user-data-dir={self.profile}"]:
            options.add_argument(arg)
        if args.dark:
            options.add_argument("--force-dark-mode")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        self.driver = webdriver.Chrome(options=options, service=service)
        self.driver.set_page_load_timeout(WAIT)
        self.driver.set_script_timeout(WAIT)
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
        self.origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(args.url))

    # -- helpers --------------------------------------------------------------------------------

    def step(self, name, fn):
        try:
            return fn()
        except Exception as e:  # record and go on: the Swift test reports every failed step
            detail = f"{type(e).__name__}: {getattr(e, 'msg', None) or e}".strip()
            self.out["errors"].append(f"{name}: {detail.splitlines()[0] if detail else type(e).__name__}")
            if os.environ.get("CONSOLE_DEBUG"):
                traceback.print_exc(file=sys.stderr)
            return None

    def wait(self, condition, what, timeout=WAIT):
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(lambda d: condition(d))
        except TimeoutException:
            raise TimeoutException(f"timed out after {timeout}s waiting for {what}") from None

    def by_id(self, id_):
        return self.driver.find_element(By.ID, id_)

    def text(self, id_):
        return self.by_id(id_).text

    def press(self, element):
        # Centre it first: the sticky header would take a click at the top edge.
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def click(self, id_):
        self.press(self.by_id(id_))

    def typed(self, id_, value):
        field = self.by_id(id_)
        field.clear()
        field.send_keys(value)

    def shot(self, name):
        if not self.shots:
            return
        os.makedirs(self.shots, exist_ok=True)
        path = os.path.join(self.shots, name)
        d = self.driver
        d.execute_script("window.scrollTo(0, 0)")
        # The whole page, so nothing below the fold is cut off (bounded for very long pages).
        height = d.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                          {"width": 1400, "height": max(700, min(int(height), 2400)), "deviceScaleFactor": 1, "mobile": False})
        try:
            time.sleep(0.3)
            d.save_screenshot(path)
        finally:
            d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        self.out["screenshots"].append(path)

    def result_text(self):
        return self.text("pg-result")

    def wait_result(self, what, predicate=None):
        """Waits until the result pane left the 'Calling…' state; returns its text."""
        def ready(d):
            box = d.find_element(By.ID, "pg-result")
            if box.find_elements(By.CSS_SELECTOR, '[data-testid="calling"]'):
                return False
            t = box.text
            return t if (predicate is None or predicate(t)) else False
        return self.wait(ready, what)

    def buttons_enabled(self):
        self.wait(lambda d: d.find_element(By.ID, "pg-connect").is_enabled(), "the playground to be idle")

    # -- overview -------------------------------------------------------------------------------

    def overview(self):
        d = self.driver
        d.get(self.args.url)
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="gateway"]'), "the gateways")
        self.wait(lambda d: "live" == d.find_element(By.ID, "live-status").text.strip(), "the live status")
        names = lambda kind: [e.get_attribute("data-name") for e in d.find_elements(By.CSS_SELECTOR, f'[data-testid="{kind}"]')]
        self.out["overview"] = {
            "gateways": names("gateway"), "routes": names("route"), "backends": names("backend"),
            "text": self.text("panel-overview"),
            "authBadges": [e.text for e in d.find_elements(By.CSS_SELECTOR, '[data-testid="auth-badge"]')],
            "health": [e.text for e in d.find_elements(By.CSS_SELECTOR, '[data-testid="health"]')],
            "ready": self.text("ov-summary"),
            "title": d.title,
        }

    def traffic(self):
        d = self.driver
        self.click("tab-traffic")
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="total-requests"]'), "the traffic summary")
        # Two samples make a rate: wait for a sparkline with at least two points.
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#tr-summary svg.spark polyline"), "a sparkline", timeout=10)
        self.out["traffic"] = {
            "text": self.text("tr-summary"),
            "routesText": self.text("tr-routes"),
            "sparklines": len(d.find_elements(By.CSS_SELECTOR, "svg.spark")),
        }

    # -- playground -----------------------------------------------------------------------------

    def open_playground(self):
        self.click("tab-playground")
        self.wait(lambda d: not d.find_element(By.ID, "panel-playground").get_attribute("hidden"), "the playground panel")
        self.wait(lambda d: d.find_element(By.ID, "pg-endpoint").get_attribute("value"), "a route endpoint")
        self.out["playground"] = {
            "endpoints": [o.text for o in Select(self.by_id("pg-endpoint")).options],
            "path": self.by_id("pg-path").get_attribute("value"),
            "keyFieldType": self.by_id("pg-key").get_attribute("type"),
            "keyHint": self.text("pg-key-hint"),
        }

    def connect(self, key, era):
        self.typed("pg-key", key)
        Select(self.by_id("pg-era")).select_by_value(era)
        self.buttons_enabled()
        self.click("pg-connect")
        self.buttons_enabled()
        return {"result": self.result_text(), "status": self.text("pg-conn-status"), "elapsed": self.text("pg-elapsed")}

    def wrong_key(self):
        r = self.connect("wrong-key-" + str(os.getpid()), "2025-11-25")
        body = self.driver.find_elements(By.CSS_SELECTOR, '#pg-result [data-testid="http-body"]')
        status = self.driver.find_elements(By.CSS_SELECTOR, '#pg-result [data-testid="http-status"]')
        r["httpStatus"] = status[0].text if status else None
        r["httpBody"] = body[0].text if body else None
        self.out["playground"]["wrongKey"] = r

    def list_tools(self):
        self.click("pg-list")
        self.buttons_enabled()
        d = self.driver
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#pg-tools button.tool"), "the tool list")
        tools = d.find_elements(By.CSS_SELECTOR, "#pg-tools button.tool")
        return [t.get_attribute("data-tool") for t in tools]

    def untrusted_markup(self):
        d = self.driver
        button = d.find_element(By.CSS_SELECTOR, '#pg-tools button[data-tool="untrusted"]')
        desc = button.find_element(By.CSS_SELECTOR, ".tool-desc").text
        self.press(button)
        return {
            "description": desc,
            "callBoxDescription": self.text("pg-tool-desc"),
            # Elements the markup would have created had it been parsed as HTML:
            "bold": len(d.find_elements(By.CSS_SELECTOR, "body b")),
            "scripts": len(d.find_elements(By.CSS_SELECTOR, "body script")),
            "images": len(d.find_elements(By.CSS_SELECTOR, "#pg-tools img, #pg-tool-desc img")),
        }

    def select_tool(self, name):
        self.press(self.driver.find_element(By.CSS_SELECTOR, f'#pg-tools button[data-tool="{name}"]'))
        self.wait(lambda d: d.find_element(By.ID, "pg-tool-name").text == name, f"the form of {name}")

    def call(self, what, predicate=None):
        self.buttons_enabled()
        self.click("pg-call")
        text = self.wait_result(what, predicate)
        self.buttons_enabled()
        return {"result": self.result_text() if text else None, "elapsed": self.text("pg-elapsed")}

    def call_add(self, a, b):
        self.select_tool("add")
        self.typed("arg-a", str(a))
        self.typed("arg-b", str(b))
        r = self.call("the result of add")
        texts = self.driver.find_elements(By.CSS_SELECTOR, '#pg-result [data-testid="content-text"]')
        r["content"] = [t.text for t in texts]
        return r

    def call_count(self):
        d = self.driver
        self.select_tool("count")
        self.typed("arg-n", "4")
        self.buttons_enabled()
        self.click("pg-call")
        # Progress must show up while the call is still streaming, before its result.
        seen_while_calling = 0
        deadline = time.time() + WAIT
        while time.time() < deadline:
            calling = d.find_elements(By.CSS_SELECTOR, '#pg-result [data-testid="calling"]')
            items = d.find_elements(By.CSS_SELECTOR, '#pg-progress [data-testid="progress-item"]')
            if calling and items:
                seen_while_calling = max(seen_while_calling, len(items))
            if not calling:
                break
            time.sleep(0.05)
        self.buttons_enabled()
        return {
            "progressWhileCalling": seen_while_calling,
            "progress": [e.text for e in d.find_elements(By.CSS_SELECTOR, '#pg-progress [data-testid="progress-item"]')],
            "logs": [e.text for e in d.find_elements(By.CSS_SELECTOR, '#pg-progress [data-testid="log-item"]')],
            "result": self.result_text(),
            "elapsed": self.text("pg-elapsed"),
        }

    def call_configure(self):
        d = self.driver
        self.select_tool("configure")
        fields = {
            "mode": d.find_element(By.ID, "arg-mode").tag_name,
            "tags": d.find_element(By.ID, "arg-tags").tag_name,
            "limits": d.find_element(By.ID, "arg-limits").tag_name,
            "verbose": d.find_element(By.ID, "arg-verbose").get_attribute("type"),
            "extra": d.find_element(By.ID, "arg-extra").tag_name,
        }
        Select(self.by_id("arg-mode")).select_by_visible_text("careful")
        for i, tag in enumerate(["red", "green", "blue"]):
            self.click("arg-tags-add")
            self.typed(f"arg-tags.{i}", tag)
        self.click("arg-tags-remove-1")  # removes "green"
        self.typed("arg-limits.retries", "3")
        self.click("arg-limits.strict")
        self.click("arg-verbose")
        self.typed("arg-extra", '{"x": 1}')
        # The raw JSON view shows the same arguments, and going back keeps them.
        self.click("pg-raw-toggle")
        raw = json.loads(self.by_id("pg-raw").get_attribute("value"))
        self.click("pg-raw-toggle")
        r = self.call("the result of configure")
        texts = d.find_elements(By.CSS_SELECTOR, '#pg-result [data-testid="content-text"]')
        r["fields"] = fields
        r["raw"] = raw
        r["echo"] = json.loads(texts[0].text) if texts else None
        return r

    def call_picture(self):
        self.select_tool("picture")
        r = self.call("the picture")
        imgs = self.driver.find_elements(By.CSS_SELECTOR, '#pg-result img[data-testid="content-image"]')
        r["images"] = [{"src": i.get_attribute("src")[:30],
                        "width": self.driver.execute_script("return arguments[0].naturalWidth", i)} for i in imgs]
        return r

    def call_fail(self):
        self.select_tool("fail")
        r = self.call("the tool error")
        r["toolError"] = bool(self.driver.find_elements(By.CSS_SELECTOR, '#pg-result [data-testid="tool-error"]'))
        return r

    def playground(self):
        pg = self.out.setdefault("playground", {})
        self.step("open playground", self.open_playground)
        pg = self.out["playground"]
        self.step("wrong key", self.wrong_key)
        pg["legacy"] = legacy = {}
        legacy["connect"] = self.step("connect (legacy)", lambda: self.connect(self.args.key, "2025-11-25"))
        legacy["tools"] = self.step("list tools (legacy)", self.list_tools)
        pg["untrusted"] = self.step("untrusted description", self.untrusted_markup)
        legacy["add"] = self.step("call add (legacy)", lambda: self.call_add(2, 3))
        legacy["count"] = self.step("call count (legacy)", self.call_count)
        self.shot("playground.png")
        legacy["configure"] = self.step("call configure", self.call_configure)
        legacy["picture"] = self.step("call picture", self.call_picture)
        legacy["fail"] = self.step("call fail", self.call_fail)
        pg["modern"] = modern = {}
        modern["connect"] = self.step("connect (modern)", lambda: self.connect(self.args.key, "2026-07-28"))
        modern["tools"] = self.step("list tools (modern)", self.list_tools)
        modern["add"] = self.step("call add (modern)", lambda: self.call_add(20, 22))
        modern["count"] = self.step("call count (modern)", self.call_count)
        pg["log"] = self.step("exchanges", lambda: self.text("pg-log"))
        self.step("traffic after the calls", self.traffic_after)

    def traffic_after(self):
        """The Traffic tab once the calls above were counted."""
        d = self.driver
        self.click("tab-traffic")
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="traffic-tools"]'), "the per-tool table", timeout=10)
        value = lambda testid: d.find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"] .stat-value').text
        self.out["trafficAfter"] = {
            "routesText": self.text("tr-routes"),
            "toolsText": self.text("tr-tools"),
            "requests": value("total-requests"),
            "authFailures": value("auth-failures"),
        }
        if self.shots:
            time.sleep(4.5)  # a few more samples to draw
            self.shot("traffic.png")
            # The overview once traffic went through: eras detected, targets healthy.
            self.click("tab-overview")
            time.sleep(3)
            self.shot("overview.png")

    def readonly(self):
        d = self.driver
        tab = self.by_id("tab-playground")
        hint = self.by_id("pg-disabled")
        self.out["readonly"] = {
            "tabDisabled": not tab.is_enabled(),
            "tabTitle": tab.get_attribute("title"),
            "hintVisible": hint.is_displayed(),
            "hint": hint.text,
        }
        # Clicking the disabled tab, or opening #playground, must not show the playground.
        d.execute_script("arguments[0].click()", tab)
        d.get(self.args.url + "#playground")
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="gateway"]'), "the gateways again")
        time.sleep(0.5)
        self.out["readonly"]["playgroundShown"] = d.find_element(By.ID, "panel-playground").is_displayed()

    # -- what the page loaded -------------------------------------------------------------------

    def page_facts(self):
        d = self.driver
        entries = d.execute_script("""
          const nav = performance.getEntriesByType('navigation').map((e) => ({ name: e.name, type: 'navigation', transferSize: e.transferSize, decodedBodySize: e.decodedBodySize }));
          const res = performance.getEntriesByType('resource').map((e) => ({ name: e.name, type: e.initiatorType, transferSize: e.transferSize, decodedBodySize: e.decodedBodySize }));
          return nav.concat(res);
        """)
        self.out["requests"] = entries
        self.out["foreignRequests"] = sorted({e["name"] for e in entries
                                               if not e["name"].startswith(self.origin + "/")
                                               and not e["name"].startswith("data:")})
        assets = sorted({e["name"] for e in entries if urllib.parse.urlsplit(e["name"]).path.startswith("/ui")})
        self.out["assets"] = assets
        self.out["pageWeightPerformance"] = sum(int(e.get("decodedBodySize") or 0) for e in entries
                                                 if urllib.parse.urlsplit(e["name"]).path.startswith("/ui"))
        # The same, counted by fetching each asset again (bytes of the uncompressed bodies).
        sizes = d.execute_async_script("""
          const done = arguments[arguments.length - 1];
          Promise.all(arguments[0].map((u) => fetch(u, { cache: 'no-store' }).then((r) => r.arrayBuffer()).then((b) => [u, b.byteLength])))
            .then((pairs) => done(Object.fromEntries(pairs)), (e) => done({ error: String(e) }));
        """, assets)
        self.out["assetSizes"] = sizes
        self.out["pageWeightFetched"] = sum(v for v in sizes.values() if isinstance(v, int))
        # The API key is kept in the page only: nothing stored, nothing in the URL.
        self.out["storage"] = d.execute_script(
            "return { local: localStorage.length, session: sessionStorage.length, cookie: document.cookie, url: location.href }")
        recorded = d.execute_script("return window.__agentgw || null") or {}
        self.out["cspViolations"] = recorded.get("csp", [])
        self.out["alerts"] = recorded.get("alerts", [])
        self.out["pageErrors"] = recorded.get("errors", [])
        try:
            logs = d.get_log("browser")
        except WebDriverException as e:
            logs = [{"level": "INFO", "message": f"browser log unavailable: {e.msg}"}]
        self.out["console"] = [{"level": l.get("level"), "message": l.get("message")} for l in logs]
        self.out["consoleErrors"] = [l for l in self.out["console"] if l["level"] in ("SEVERE", "ERROR")]

    def main(self):
        try:
            self.step("overview", self.overview)
            if self.args.mode == "playground":
                self.step("traffic", self.traffic)
                self.click("tab-overview")
                self.playground()
            else:
                self.step("readonly", self.readonly)
            self.step("page facts", self.page_facts)
        except UnexpectedAlertPresentException as e:
            self.out["errors"].append(f"an alert opened: {e.alert_text}")
        finally:
            self.driver.quit()
            shutil.rmtree(self.profile, ignore_errors=True)
        return self.out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--mode", choices=["playground", "readonly"], default="playground")
    p.add_argument("--key", default="")
    p.add_argument("--dark", action="store_true", help="render with the dark colour scheme")
    args = p.parse_args()
    out = Run(args).main()
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
