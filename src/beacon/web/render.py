"""Render a page with what every page needs: the user, the CSRF token, the navigation."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
)

from beacon.inspection.types import grade_label
from beacon.org.roles import Role
from beacon.rules.clocks import LONDON
from beacon.web.deps import csrf_token


def _london(value: datetime | None, fmt: str = "%d %b %Y %H:%M") -> str:
    return value.astimezone(LONDON).strftime(fmt) if value else ""


TEMPLATES = Environment(
    loader=ChoiceLoader([
        FileSystemLoader(Path(__file__).parent / "templates"),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ]),
    undefined=ChainableUndefined, autoescape=True, trim_blocks=True, lstrip_blocks=True)
TEMPLATES.filters["london"] = _london
TEMPLATES.filters["grade_label"] = grade_label    # a grade, or None: "Not evidenced"


ALL_FORCE = {Role.OFFICER, Role.SUPERVISOR, Role.PPU, Role.ANALYST, Role.CHIEF_OFFICER, Role.INSPECTOR}
RECORDERS = {Role.OFFICER, Role.SUPERVISOR, Role.PPU}
OVERSIGHT = {Role.SUPERVISOR, Role.PPU, Role.ANALYST, Role.CHIEF_OFFICER, Role.INSPECTOR}
READERS = {Role.ANALYST, Role.CHIEF_OFFICER, Role.INSPECTOR}


@dataclass(frozen=True)
class NavSection:
    """One part of the service: a link in the service navigation (to the first of its pages the
    user may open), and its pages as a second row of links while the user is in it."""
    title: str
    prefixes: tuple[str, ...]
    pages: tuple[tuple[str, str, frozenset[Role]], ...]

    def visible(self, role: Role) -> list[tuple[str, str]]:
        return [(href, text) for href, text, roles in self.pages if role in roles]

    def holds(self, path: str) -> bool:
        return any(path == p or path.startswith(p + "/") for p in self.prefixes)


def _pages(*pages: tuple[str, str, set[Role]]) -> tuple[tuple[str, str, frozenset[Role]], ...]:
    return tuple((href, text, frozenset(roles)) for href, text, roles in pages)


SECTIONS = (
    NavSection("Missing persons", ("/missing-persons", "/supervisor"), _pages(
        ("/missing-persons", "Search", ALL_FORCE),
        ("/missing-persons/new", "Report a missing person", RECORDERS),
        ("/supervisor", "Supervisor's list", {Role.SUPERVISOR, Role.PPU}),
        ("/missing-persons/repeats", "Repeats", OVERSIGHT),
    )),
    NavSection("Domestic abuse", ("/domestic-abuse", "/marac"), _pages(
        ("/domestic-abuse/new", "Risk form", RECORDERS),
        ("/domestic-abuse/queue", "DVO queue", OVERSIGHT),
        ("/marac", "MARAC", {Role.PPU, Role.SUPERVISOR, Role.ANALYST, Role.CHIEF_OFFICER}),
        ("/marac/benchmark", "MARAC benchmark", {Role.PPU, Role.SUPERVISOR, Role.ANALYST, Role.CHIEF_OFFICER}),
        ("/domestic-abuse/repeats", "Repeat victims", OVERSIGHT),
    )),
    NavSection("Child protection", ("/child-protection", "/referrals"), _pages(
        ("/referrals/inbox", "Referrals inbox", {Role.PARTNER}),
        ("/child-protection/cases", "Cases", OVERSIGHT),
        ("/referrals", "Referrals", {Role.SUPERVISOR, Role.PPU, Role.ANALYST, Role.CHIEF_OFFICER}),
        ("/referrals/new", "Refer a child", RECORDERS),
        ("/child-protection/police-protection", "Police protection", ALL_FORCE),
        ("/child-protection/lscb", "LSCB attendance", OVERSIGHT),
    )),
    NavSection("Incidents", ("/incidents", "/ppu"), _pages(
        ("/incidents", "Logs", ALL_FORCE),
        ("/ppu/work-items", "PPU work queue", {Role.PPU}),
        ("/incidents/closure-audit", "Closure audit", {Role.SUPERVISOR}),
    )),
    NavSection("Inspection", ("/inspections", "/live-grades", "/national", "/practice"), _pages(
        ("/inspections", "Inspections", READERS),
        ("/live-grades", "Live grades", READERS),
        ("/national", "National picture", READERS),
        ("/practice", "Developing practice", READERS),
    )),
)


def _section_of(path: str) -> NavSection | None:
    return next((s for s in SECTIONS if s.holds(path)), None)


def navigation(request: Request) -> list[dict]:
    """The service navigation: one link per part of the service the user may use."""
    user = getattr(request.state, "user", None)
    if user is None or user.role is Role.ADMIN:
        return []
    current = _section_of(request.url.path)
    items = []
    for section in SECTIONS:
        pages = section.visible(user.role)
        if pages:
            items.append({"href": pages[0][0], "text": section.title, "active": section is current})
    return items


def subnavigation(request: Request) -> dict | None:
    """The pages of the part of the service the user is in, when there is more than one."""
    user = getattr(request.state, "user", None)
    section = _section_of(request.url.path) if user is not None else None
    if section is None:
        return None
    pages = section.visible(user.role)
    if len(pages) < 2:
        return None
    path = request.url.path
    best = max((href for href, _ in pages if path == href or path.startswith(href + "/")), key=len, default=None)
    return {"label": f"{section.title} pages",
            "items": [{"href": href, "text": text, "current": href == best} for href, text in pages]}


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    context.setdefault("errors", {})
    context.setdefault("values", {})
    html = TEMPLATES.get_template(template).render(
        request=request, user=getattr(request.state, "user", None), csrf_token=csrf_token(request),
        navigation=navigation(request), subnavigation=subnavigation(request), **context)
    return HTMLResponse(html, status_code=status_code)
