"""Turning errors into what a person or a client can act on."""
from __future__ import annotations

import logging
import re
import secrets

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

log = logging.getLogger("beacon.web")


FIELD_PREFIX = re.compile(r"^([a-z_][a-z0-9_.]*): (.+)$", re.DOTALL)


def field_errors(errors: list[dict]) -> dict[str, str]:
    """Pydantic errors → {"field.path": "message"}. A validator message written
    ``field: message`` is attributed to that field, below the model it was raised in."""
    out: dict[str, str] = {}
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        msg = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
        if err.get("type") == "value_error" and (match := FIELD_PREFIX.match(msg)):
            loc, msg = [*loc, *match.group(1).split(".")], match.group(2)
        if err.get("type") == "json_invalid":
            loc, msg = ["body"], "is not valid JSON"
        out.setdefault(".".join(loc) or "body", msg)
    return out


def render_error(request: Request, status: int, message: str):
    from beacon.web.render import render

    if status == 401:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    titles = {403: "You do not have access to this", 404: "Page not found", 409: "Someone else changed this record",
              413: "Too much was sent", 422: "There is a problem"}
    return render(request, "error.html", status_code=status, title=titles.get(status, "Something went wrong"),
                  message=message)


def as_html(content: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(content, status_code=status)


UNEXPECTED_TITLE = "Sorry, there is a problem with the service"


def unexpected_error(request: Request, exc: BaseException) -> Response:
    """A failure nothing else handled: logged here, with its traceback, under a new reference; the
    person or client is shown only that reference. The exception's message, class and traceback
    can name tables, columns, SQL and file paths, and a record's values."""
    reference = secrets.token_hex(4).upper()
    user = getattr(request.state, "user", None)
    log.error("unexpected error, reference %s: %s %s (user %s)", reference, request.method, request.url.path,
              getattr(user, "username", "not signed in"), exc_info=(type(exc), exc, exc.__traceback__))
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": f"Something went wrong in Beacon. If it happens again, report it quoting "
                                       f"reference {reference}.", "reference": reference}, status_code=500)
    message = (f"Try again later. If it happens again, tell your service desk what you were doing and quote "
               f"reference {reference}.")
    try:
        # Not render(): it reads the session and the user's navigation, which may be what failed.
        from beacon.web.render import TEMPLATES

        html = TEMPLATES.get_template("error.html").render(
            request=request, user=None, csrf_token="", navigation=[], subnavigation=None, errors={}, values={},
            title=UNEXPECTED_TITLE, message=message)
    except Exception:  # noqa: BLE001 - the page about a failure must not fail
        log.exception("the error page for reference %s could not be rendered", reference)
        html = (f"<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{UNEXPECTED_TITLE} – "
                f"Beacon</title></head><body><h1>{UNEXPECTED_TITLE}</h1><p>{message}</p></body></html>")
    return HTMLResponse(html, status_code=500)
