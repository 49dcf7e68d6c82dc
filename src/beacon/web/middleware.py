"""Pure ASGI middleware: refuse oversized bodies before they are read; refuse NUL in the address;
security headers; cookies marked Secure on HTTPS; a 500 that shows only a reference."""
from __future__ import annotations

import json
from urllib.parse import parse_qsl

from starlette.requests import Request

from beacon.web.errors import unexpected_error


class BodyLimitMiddleware:
    """413 for a body over ``max_bytes``, whether or not Content-Length says so."""

    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            return await _too_large(send, self.max_bytes)
        seen = 0

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await _too_large(send, self.max_bytes)


class NulInAddressMiddleware:
    """422 (as for any other bad parameter) naming the parameter when the path or a query parameter holds NUL, which no page needs
    and PostgreSQL cannot compare against."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        field = None
        if "\x00" in scope.get("path", ""):
            field = "path"
        else:
            query = (scope.get("query_string") or b"").decode("latin-1")
            for name, value in parse_qsl(query, keep_blank_values=True):
                if "\x00" in name or "\x00" in value:
                    field = name.replace("\x00", "") or "query"
                    break
        if field is None:
            return await self.app(scope, receive, send)
        message = "must not contain the NUL character"
        body = json.dumps({"detail": f"{field}: {message}", "errors": {field: message}}).encode()
        await send({"type": "http.response.start", "status": 422,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(Exception):
    pass


async def _too_large(send, limit: int) -> None:
    body = json.dumps({"detail": f"request body is larger than {limit} bytes"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


GOVUK_TEMPLATE_SCRIPT = ("document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype "
                         "? ' govuk-frontend-supported' : '');")
"""The one inline script on Beacon's pages: govuk-frontend-jinja's ``template.html`` marks <body>
before anything paints, so components do not flash their no-JavaScript form. It is fixed text in
the pinned package and outside any block, so it is allowed by its hash (GOV.UK Frontend publishes
the same one) rather than by a nonce, which would make every page's policy differ for one script
that never does; tests/web/test_security_headers.py recomputes it from the installed template."""

GOVUK_TEMPLATE_SCRIPT_HASH = "sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw="

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    f"script-src 'self' '{GOVUK_TEMPLATE_SCRIPT_HASH}'",
    "style-src 'self'",
    "img-src 'self' data:",          # Swagger UI's stylesheet draws its icons as data: images
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
"""Everything from Beacon itself; no inline script but the template's, no inline style, no
plug-ins, no framing, forms post only to Beacon."""

HSTS = b"max-age=31536000; includeSubDomains"


class SecurityHeadersMiddleware:
    """The same headers on every response (static files may be cached), and HSTS on a response
    served over HTTPS only: told to use HTTPS for a host it reached over plain HTTP (the demo on
    a laptop), a browser could not reach it again."""

    HEADERS = [
        (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        (b"cache-control", b"no-store"),
    ]

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        static = scope["path"].startswith(("/assets/", "/govuk/", "/static/"))
        extra = self.HEADERS[:-1] if static else self.HEADERS
        if scope.get("scheme") == "https":
            extra = [*extra, (b"strict-transport-security", HSTS)]

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + extra
            return await send(message)

        await self.app(scope, receive, send_with_headers)


class SecureCookiesMiddleware:
    """On a request that came over HTTPS, every cookie set is marked Secure, so the browser never
    sends it over plain HTTP. Decided per request from the ASGI scheme (uvicorn sets it from a
    trusted proxy's X-Forwarded-Proto), so the same app serves http://127.0.0.1 for the demo and
    a force behind TLS; the session middleware's own flag would have to choose one for all."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("scheme") != "https":
            return await self.app(scope, receive, send)

        async def send_secure(message):
            if message["type"] == "http.response.start":
                message["headers"] = [(k, secure_cookie(v) if k.lower() == b"set-cookie" else v)
                                      for k, v in message.get("headers", [])]
            return await send(message)

        await self.app(scope, receive, send_secure)


def secure_cookie(set_cookie: bytes) -> bytes:
    """A Set-Cookie value with the Secure attribute, added once."""
    attributes = [a.strip().lower() for a in set_cookie.split(b";")[1:]]
    return set_cookie if b"secure" in attributes else set_cookie + b"; Secure"


class UnexpectedErrorMiddleware:
    """An exception no handler took becomes a 500 showing only a reference (``errors.unexpected_error``
    logs it). A pure middleware rather than Starlette's handler for Exception, which sits outside
    every middleware: this one is inside the security headers, so the page has them, and the
    exception is logged once, with the reference, instead of again by the server."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def send_tracked(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_tracked)
        except _BodyTooLarge:
            raise                     # BodyLimitMiddleware's signal, turned into its 413
        except Exception as exc:
            if started:               # too late for another response: the server logs it and closes
                raise
            await unexpected_error(Request(scope), exc)(scope, receive, send)
