"""Every response carries the security headers; the Content-Security-Policy allows only what
Beacon serves itself, with no inline script but GOV.UK's template's (by its hash) and no inline
style. Over HTTPS, HSTS and Secure cookies too; over plain HTTP (the demo), neither."""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import govuk_frontend_jinja
import pytest

from beacon.web.middleware import (
    CONTENT_SECURITY_POLICY,
    GOVUK_TEMPLATE_SCRIPT,
    GOVUK_TEMPLATE_SCRIPT_HASH,
    secure_cookie,
)
from tests.factories import PASSWORD
from tests.web.helpers import csrf_of
from tests.web.pagecheck import csp_problems

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "beacon" / "web" / "templates"


def directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (d.split() for d in policy.split(";") if d.strip())}


@pytest.mark.parametrize("path", ["/login", "/missing-persons", "/api/v1/missing-persons", "/static/beacon.js",
                                  "/no-such-page"])
def test_every_response_carries_the_policy_and_the_other_headers(client, path):
    r = client.get(path, follow_redirects=False)
    assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert r.headers["x-frame-options"] == "DENY"


def test_the_policy_allows_only_beacon_itself_and_no_inline_code():
    policy = directives(CONTENT_SECURITY_POLICY)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", f"'{GOVUK_TEMPLATE_SCRIPT_HASH}'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]   # an image cannot run script
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not [v for values in policy.values() for v in values if "unsafe" in v or v in ("*", "http:", "https:")]


def test_the_allowed_hash_is_that_of_the_installed_govuk_template_script():
    """An upgrade of govuk-frontend-jinja that changes its inline script fails here, not in a browser."""
    template = (Path(govuk_frontend_jinja.__file__).parent / "templates" / "template.html").read_text()
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", template, re.DOTALL)
    assert scripts == [GOVUK_TEMPLATE_SCRIPT]
    digest = base64.b64encode(hashlib.sha256(GOVUK_TEMPLATE_SCRIPT.encode()).digest()).decode()
    assert GOVUK_TEMPLATE_SCRIPT_HASH == f"sha256-{digest}"


def test_no_template_holds_inline_style_or_script():
    """The standalone report inlines its stylesheet only when written to a file or a PDF."""
    found = {}
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        problems = csp_problems(re.sub(r"\{%.*?%\}", "", text, flags=re.DOTALL))
        if path.name == "report.html":
            problems.remove("<style> element")
        if problems:
            found[str(path.relative_to(TEMPLATES))] = problems
    assert found == {}


def test_the_check_finds_what_the_policy_refuses():
    page = ('<script>alert(1)</script><p style="color: red">x</p><style>p {}</style>'
            '<a href="javascript:go()" onclick="go()">go</a>'
            f'<script>{GOVUK_TEMPLATE_SCRIPT}</script><script type="module" src="/static/beacon.js"></script>')
    assert len(csp_problems(page)) == 5


# --- over HTTPS and over plain HTTP -----------------------------------------------------------------

@pytest.fixture
def https_client(app, world):
    """As the app sees a request a TLS-terminating proxy passed on (uvicorn --proxy-headers sets the
    ASGI scheme from X-Forwarded-Proto)."""
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="https://testserver") as c:
        yield c


def session_cookie(response) -> str:
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("beacon_session=")]
    assert len(cookies) == 1, response.headers
    return cookies[0]


def sign_in(client, username: str = "officer.a"):
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf_of(page.text),
                                       "next": "/"}, follow_redirects=False)


def test_over_https_every_response_has_hsts(https_client):
    for path in ("/login", "/api/v1/missing-persons", "/static/beacon.css"):
        assert https_client.get(path).headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_over_plain_http_there_is_no_hsts(client):
    """A browser told to use HTTPS for the demo on http://127.0.0.1 could not reach it again."""
    assert "strict-transport-security" not in client.get("/login").headers


def test_over_https_the_session_cookie_is_secure_http_only_and_same_site(https_client):
    first = session_cookie(https_client.get("/login"))
    signed_in = sign_in(https_client)
    assert signed_in.status_code == 303
    for cookie in (first, session_cookie(signed_in)):
        attributes = [a.strip().lower() for a in cookie.split(";")[1:]]
        assert "secure" in attributes and "httponly" in attributes and "samesite=strict" in attributes
    assert https_client.get("/missing-persons").status_code == 200     # the browser sends it back


def test_over_plain_http_the_session_cookie_is_not_secure_so_the_demo_works(client):
    signed_in = sign_in(client)
    attributes = [a.strip().lower() for a in session_cookie(signed_in).split(";")[1:]]
    assert "secure" not in attributes and "httponly" in attributes and "samesite=strict" in attributes
    assert client.get("/missing-persons").status_code == 200


def test_secure_is_added_once():
    assert secure_cookie(b"a=1; path=/; HttpOnly") == b"a=1; path=/; HttpOnly; Secure"
    assert secure_cookie(b"a=1; Secure; HttpOnly") == b"a=1; Secure; HttpOnly"
    assert secure_cookie(b"secure=1") == b"secure=1; Secure"      # a cookie named secure is not the flag


def test_serve_passes_the_proxy_options_to_uvicorn(monkeypatch, engine):
    import uvicorn
    from typer.testing import CliRunner

    from beacon import cli

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(options))
    monkeypatch.setattr("beacon.web.app.make_engine", lambda: engine)
    monkeypatch.setattr("gc.freeze", lambda: None)
    monkeypatch.setenv("BEACON_SECRET_KEY", "test")   # not a key file in the working directory
    result = CliRunner().invoke(cli.app, ["serve", "--forwarded-allow-ips", "10.0.0.5"])
    assert result.exit_code == 0, result.output
    assert seen["proxy_headers"] is True and seen["forwarded_allow_ips"] == "10.0.0.5"
    result = CliRunner().invoke(cli.app, ["serve", "--no-proxy-headers"])
    assert result.exit_code == 0, result.output
    assert seen["proxy_headers"] is False and seen["forwarded_allow_ips"] is None
