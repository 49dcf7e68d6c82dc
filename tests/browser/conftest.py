"""Browser tests: the real app served by uvicorn on a free local port, driven by Debian's
Chromium through Playwright (sync API). Every test here is marked ``browser``."""
from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


# --- the app, served for real ---------------------------------------------------------------

class LiveServer:
    def __init__(self, app):
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))  # the kernel picks a free port; we keep the socket, so no race
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       name=f"uvicorn-{self.port}", daemon=True)

    def start(self, timeout: float = 15.0) -> None:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:  # bounded poll until the server answers
            if not self.thread.is_alive():
                raise RuntimeError("uvicorn exited before it started serving")
            if self.server.started:
                try:
                    with urllib.request.urlopen(f"{self.url}/login", timeout=2) as response:
                        if response.status == 200:
                            return
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"uvicorn did not answer on {self.url} within {timeout}s")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


@pytest.fixture
def extra_routers() -> list:
    """Routers to add to the served app, for pages create_app does not include yet. A test
    module overrides this fixture to return its routers; a router whose paths the app already
    serves is not added twice."""
    return []


@pytest.fixture
def live_server(engine, world, extra_routers) -> Iterator[LiveServer]:
    """create_app on the test database (with the ``world`` users), on the real clock, so the
    forms' "not in the future" checks see the same time the browser does."""
    from beacon.db import utcnow
    from beacon.web.app import create_app

    app = create_app(engine, clock=utcnow, secret_key="test")
    served = {getattr(route, "path", None) for route in app.routes}
    for router in extra_routers:
        if not any(getattr(route, "path", None) in served for route in router.routes):
            app.include_router(router)
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()


# --- the browser ----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


# Every page reports what its Content-Security-Policy refused; the binding is Playwright's, so the
# policy does not apply to it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => window.__beaconCspViolation({
  page: document.location.pathname, directive: event.effectiveDirective, blocked: event.blockedURI,
  sample: event.sample}));
"""


class CspViolations(list):
    """What the browser refused under the Content-Security-Policy, in every context of a test."""

    def describe(self) -> str:
        return "\n".join(f"  {v['page']}: {v['directive']} refused {v['blocked'] or 'inline'} {v['sample']!r}"
                         for v in self)


@pytest.fixture
def csp_violations() -> CspViolations:
    return CspViolations()


@pytest.fixture
def new_context(browser, live_server, csp_violations):
    """A factory for isolated browser contexts (separate cookies: one per signed-in user). Every
    page they open must pass the Content-Security-Policy: a violation fails the test."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                      locale="en-GB", timezone_id="Europe/London")
        context.set_default_timeout(10_000)
        context.expose_binding("__beaconCspViolation", lambda _source, v: csp_violations.append(v))
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    if csp_violations:
        pytest.fail(f"the Content-Security-Policy refused:\n{csp_violations.describe()}", pytrace=False)


# --- evidence: screenshots and accessibility ------------------------------------------------

def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a <script>: the page's Content-Security-Policy refuses inline script.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS)
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [json.dumps(node["target"]) for node in v["nodes"]]
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']} -> {', '.join(targets)}")
    return "\n".join(lines)


class AxeAudit:
    """Collects axe violations page by page; ``assert_clean`` fails listing all of them."""

    def __init__(self):
        self.found: dict[str, list[dict]] = {}

    def check(self, page, name: str) -> None:
        violations = axe_violations(page)
        if violations:
            self.found[f"{name} ({page.url})"] = violations

    def assert_clean(self) -> None:
        if self.found:
            report = "\n".join(f"{name}:\n{describe(v)}" for name, v in self.found.items())
            pytest.fail(f"axe found WCAG 2.1 A/AA violations:\n{report}", pytrace=False)


@pytest.fixture
def axe_audit() -> AxeAudit:
    return AxeAudit()
