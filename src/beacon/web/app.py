"""create_app(): one FastAPI app serving GOV.UK pages and the JSON API over the same library."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from sqlalchemy.orm.exc import StaleDataError
from starlette.middleware.sessions import SessionMiddleware

import beacon.models  # noqa: F401 - every record type declared before the first request
from beacon import config
from beacon.db import make_engine, session_factory, utcnow
from beacon.errors import BeaconError, Conflict
from beacon.web import api_docs, pages
from beacon.web.errors import field_errors, render_error
from beacon.web.middleware import (
    BodyLimitMiddleware,
    NulInAddressMiddleware,
    SecureCookiesMiddleware,
    SecurityHeadersMiddleware,
    UnexpectedErrorMiddleware,
)
from beacon.web.routes import (
    auth,
    child_protection_api,
    child_protection_pages,
    child_referrals,
    domestic_abuse_api,
    domestic_abuse_pages,
    incidents_api,
    incidents_pages,
    inspection_api,
    inspection_pages,
    live_grades,
    missing_persons_api,
    missing_persons_pages,
    people,
    supervisor,
    tokens_api,
)

ROOT = Path(__file__).resolve().parents[3]
GOVUK_DIST = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
STATIC = Path(__file__).parent / "static"


def create_app(engine: Engine | None = None, clock: Callable[[], datetime] = utcnow,
               secret_key: str | None = None) -> FastAPI:
    engine = engine or make_engine()
    app = FastAPI(title="Beacon", version="0.1.0",
                  description="Protecting vulnerable people: records, rules, assurance and inspection.",
                  docs_url=None, openapi_url="/api/openapi.json", redoc_url=None)  # docs: api_docs
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.clock = clock
    app.add_middleware(SessionMiddleware, secret_key=secret_key or config.secret_key(),
                       session_cookie="beacon_session", same_site="strict", https_only=False,
                       max_age=None)
    app.add_middleware(SecureCookiesMiddleware)      # outside the session middleware: sees its cookie
    app.add_middleware(UnexpectedErrorMiddleware)    # inside the security headers: its 500 page has them
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=config.MAX_BODY_BYTES)
    app.add_middleware(NulInAddressMiddleware)
    if GOVUK_DIST.exists():
        app.mount("/assets", StaticFiles(directory=GOVUK_DIST / "assets"), name="assets")
        app.mount("/govuk", StaticFiles(directory=GOVUK_DIST), name="govuk")
    if api_docs.SWAGGER_DIST.exists():   # before /static, which would otherwise take its paths
        app.mount("/static/swagger", api_docs.SwaggerAssets(), name="swagger")
    app.add_route("/static/report.css", _report_stylesheet, include_in_schema=False)   # before /static
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (auth, missing_persons_pages, supervisor, people, pages, api_docs):
        app.include_router(module.router)
    app.include_router(tokens_api.router)
    app.include_router(missing_persons_api.router)
    app.include_router(people.api)
    app.include_router(inspection_api.router)
    app.include_router(inspection_pages.router)
    app.include_router(live_grades.pages)
    app.include_router(live_grades.api)
    app.include_router(domestic_abuse_pages.router)
    app.include_router(domestic_abuse_api.router)
    app.include_router(child_referrals.pages)
    app.include_router(child_referrals.api)
    app.include_router(incidents_pages.router)
    app.include_router(incidents_api.router)
    app.include_router(child_protection_pages.router)
    app.include_router(child_protection_api.router)
    _install_error_handlers(app)
    return app


async def _report_stylesheet(request: Request):
    """The inspection report's stylesheet, kept with the report (``beacon.reports``)."""
    from fastapi.responses import FileResponse

    from beacon.reports.render import STYLESHEET
    return FileResponse(STYLESHEET, media_type="text/css")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BeaconError)
    async def _beacon_error(request: Request, exc: BeaconError):
        if _wants_json(request):
            body = {"detail": str(exc)}
            if getattr(exc, "errors", None):
                body["errors"] = exc.errors
            if isinstance(exc, Conflict) and exc.current_version is not None:
                body["current_version"] = exc.current_version
            return JSONResponse(body, status_code=exc.status)
        return render_error(request, exc.status, str(exc))

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, exc: StaleDataError):
        return await _beacon_error(request, Conflict("the record was changed by someone else while you were "
                                                     "saving; reload it and save again"))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = field_errors(exc.errors())
        return JSONResponse({"detail": "; ".join(f"{k}: {v}" for k, v in errors.items()), "errors": errors},
                            status_code=422)
