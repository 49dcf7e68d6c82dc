"""Checks every rendered page must pass (after alphagov/notifications-admin)."""
from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.h1: list[str] = []
        self.forms: list[dict] = []
        self.title = ""
        self._in = None
        self._form_inputs: list[dict] | None = None

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

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "h1":
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
