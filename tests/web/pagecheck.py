"""Checks every rendered page must pass (after alphagov/notifications-admin)."""
from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from html.parser import HTMLParser

from beacon.web.middleware import CONTENT_SECURITY_POLICY

SCRIPT_HASHES = set(re.findall(r"'(sha256-[A-Za-z0-9+/=]+)'", CONTENT_SECURITY_POLICY))


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.h1: list[str] = []
        self.forms: list[dict] = []
        self.title = ""
        self._in = None
        self._form_inputs: list[dict] | None = None
        self.inline_scripts: list[str] = []
        self.blocked: list[str] = []     # inline style, event handlers, javascript: links

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids[a["id"]] += 1
        if tag == "h1" or (tag == "title" and not self.title):  # later <title>s are inside SVGs
            self._in = tag
            if tag == "h1":
                self.h1.append("")
        if tag == "form":
            self.forms.append({"action": a.get("action"), "method": (a.get("method") or "get").lower(), "inputs": []})
        if tag == "input" and self.forms:
            self.forms[-1]["inputs"].append(a)
        if tag == "script" and not a.get("src"):
            self._in = tag
            self.inline_scripts.append("")
        if tag == "style":
            self.blocked.append("<style> element")
        for name, value in a.items():
            if name == "style":
                self.blocked.append(f'<{tag} style="{value}">')
            elif name.startswith("on"):
                self.blocked.append(f"<{tag} {name}=…> (an inline event handler)")
            elif name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.blocked.append(f"<{tag} {name}=javascript:…>")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.inline_scripts[-1] += data
        elif self._in == "h1":
            self.h1[-1] += data
        elif self._in == "title":
            self.title += data


def check_page(html: str) -> _Collect:
    page = _Collect()
    page.feed(html)
    assert len(page.h1) == 1, f"expected one h1, found {page.h1}"
    duplicates = [i for i, n in page.ids.items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    assert page.title.strip().endswith("– Beacon"), page.title
    for form in page.forms:
        assert form["action"], "form without an action"
        if form["method"] == "post":
            assert any(i.get("name") == "csrf_token" for i in form["inputs"]), f"POST form {form['action']} lacks CSRF"
    assert "{{" not in html and "{%" not in html, "unrendered template syntax"
    return page


def csp_problems(html: str) -> list[str]:
    """What Beacon's Content-Security-Policy would block in a page: an inline script whose hash it
    does not list, inline style, inline event handlers, javascript: links."""
    page = _Collect()
    page.feed(html)

    def digest(script: str) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()

    scripts = [f"<script>{s[:60]}…</script>" for s in page.inline_scripts if digest(s) not in SCRIPT_HASHES]
    return scripts + page.blocked


class ServedPagesPassTheCSP:
    """Test-only ASGI middleware around the app the tests use: every HTML response a test is served
    (a page, a fragment, an error page) is checked against the policy before it is sent, and the
    test fails naming what the browser would have refused."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        html, body = False, []

        async def checked_send(message):
            nonlocal html
            if message["type"] == "http.response.start":
                html = any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in message["headers"])
            elif message["type"] == "http.response.body" and html:
                body.append(message.get("body", b""))
                if not message.get("more_body"):
                    problems = csp_problems(b"".join(body).decode("utf-8", "replace"))
                    assert not problems, f"{scope['path']}: the Content-Security-Policy would refuse {problems}"
            await send(message)

        await self.app(scope, receive, checked_send)
