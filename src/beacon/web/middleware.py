"""Pure ASGI middleware: refuse oversized bodies before they are read; refuse NUL in the address;
security headers."""
from __future__ import annotations

import json
from urllib.parse import parse_qsl


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


class SecurityHeadersMiddleware:
    HEADERS = [
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

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + extra
            return await send(message)

        await self.app(scope, receive, send_with_headers)
