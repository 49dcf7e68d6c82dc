"""Turning errors into what a person or a client can act on."""
from __future__ import annotations

import re

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse


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
