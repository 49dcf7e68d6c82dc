"""The API's documentation page, /api/docs: Swagger UI served by Beacon itself.

FastAPI's own page loads Swagger UI from a CDN, which a force's network does not reach, without
an integrity hash, and starts it with an inline script, which Beacon's Content-Security-Policy
refuses. Here the pinned ``swagger-ui-dist`` (npm, like GOV.UK Frontend) is served from
/static/swagger/, only the two files the page needs, and ``static/swagger-init.js`` starts it.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

SWAGGER_DIST = Path(__file__).resolve().parents[3] / "node_modules" / "swagger-ui-dist"
ASSETS = frozenset({"swagger-ui-bundle.js", "swagger-ui.css"})

router = APIRouter(include_in_schema=False)

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – API documentation</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body>
</html>
"""


@router.get("/api/docs")
def docs(request: Request) -> HTMLResponse:
    app = request.app
    return HTMLResponse(PAGE.format(title=escape(app.title), openapi_url=escape(app.openapi_url)))


class SwaggerAssets(StaticFiles):
    """Only the files the page loads: not the package's demo page (which loads the Petstore),
    its OAuth redirect page, or its metadata."""

    def __init__(self):
        super().__init__(directory=SWAGGER_DIST)

    async def get_response(self, path: str, scope):
        if path not in ASSETS:
            raise HTTPException(status_code=404)
        return await super().get_response(path, scope)
