"""Pages pass Beacon's Content-Security-Policy in a real browser: nothing on them is refused, and
GOV.UK Frontend still starts (its template's inline script is allowed by its hash, its module
script comes from Beacon)."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PAGES = [
    ("/missing-persons", "a list"),
    ("/missing-persons/new", "a form"),
]


def wait_for(condition, page: Page, timeout_ms: int = 3000) -> None:
    """Violations are reported by an event the browser queues, so give it a moment."""
    waited = 0
    while not condition() and waited < timeout_ms:
        page.wait_for_timeout(50)
        waited += 50


def govuk_frontend_started(page: Page) -> None:
    """The template's script marked <body>, and initAll() (the module script) started every
    component on the page: each sets data-<its name>-init when it starts."""
    expect(page.locator("body")).to_have_class("govuk-template__body js-enabled govuk-frontend-supported")
    not_started = page.evaluate("""() => [...document.querySelectorAll("[data-module]")]
        .filter((el) => !el.hasAttribute(`data-${el.dataset.module}-init`)).map((el) => el.dataset.module)""")
    assert not_started == []


def test_the_policy_is_enforced_and_refuses_an_inline_script(new_context, csp_violations):
    page = new_context().new_page()
    response = page.goto("/login")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate("""() => { const probe = document.createElement("script");
                             probe.textContent = "window.probeRan = true"; document.body.append(probe); }""")
    wait_for(lambda: csp_violations, page)
    assert page.evaluate("() => window.probeRan === undefined")
    assert [v["directive"] for v in csp_violations] == ["script-src-elem"], csp_violations.describe()
    csp_violations.clear()   # the probe's refusal was the point


def test_pages_pass_the_policy_and_govuk_frontend_starts(new_context, csp_violations):
    page = new_context().new_page()
    console = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.goto("/login")
    govuk_frontend_started(page)
    page.get_by_label("Username").fill("officer.a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()
    for path, kind in PAGES:
        page.goto(path)
        govuk_frontend_started(page)
        page.evaluate("() => new Promise((done) => setTimeout(done, 100))")   # let queued reports arrive
        assert not csp_violations, f"{kind} ({path}):\n{csp_violations.describe()}"
    assert [m for m in console if "Content Security Policy" in m] == [], console


def test_the_api_docs_page_passes_the_policy_and_shows_the_api(new_context, live_server, csp_violations):
    page = new_context().new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("request", lambda request: None if request.url.startswith(live_server.url + "/")
            else failed.append(f"another origin: {request.url}"))
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Beacon", timeout=20_000)
    expect(page.locator(".opblock-tag").first).to_be_visible()
    page.locator(".opblock-summary").first.click()     # open an operation: its parameters render
    expect(page.locator(".opblock-body").first).to_be_visible()
    page.evaluate("() => new Promise((done) => setTimeout(done, 200))")
    assert not csp_violations, csp_violations.describe()
    assert failed == []
