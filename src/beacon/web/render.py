"""Render a page with what every page needs: the user, the CSRF token, the navigation."""
from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from beacon.org.roles import Role
from beacon.web.deps import TEMPLATES, csrf_token

NAV = [
    ("/missing-persons", "Missing persons", {Role.OFFICER, Role.SUPERVISOR, Role.PPU, Role.ANALYST,
                                             Role.CHIEF_OFFICER, Role.INSPECTOR}),
    ("/missing-persons/new", "Report missing person", {Role.OFFICER, Role.SUPERVISOR, Role.PPU}),
    ("/supervisor", "Supervisor's list", {Role.SUPERVISOR, Role.PPU}),
    ("/missing-persons/repeats", "Repeats", {Role.SUPERVISOR, Role.PPU, Role.ANALYST, Role.CHIEF_OFFICER,
                                            Role.INSPECTOR}),
    ("/inspections", "Inspections", {Role.INSPECTOR, Role.CHIEF_OFFICER, Role.ANALYST}),
    ("/national", "National picture", {Role.INSPECTOR, Role.CHIEF_OFFICER, Role.ANALYST}),
    ("/practice", "Developing practice", {Role.INSPECTOR, Role.CHIEF_OFFICER, Role.ANALYST}),
    ("/domestic-abuse/new", "Domestic abuse form", {Role.OFFICER, Role.SUPERVISOR, Role.PPU}),
    ("/domestic-abuse/queue", "DVO queue", {Role.PPU, Role.SUPERVISOR, Role.ANALYST, Role.CHIEF_OFFICER,
                                            Role.INSPECTOR}),
    ("/marac", "MARAC", {Role.PPU, Role.SUPERVISOR, Role.ANALYST, Role.CHIEF_OFFICER}),
    ("/referrals", "Child referrals", {Role.SUPERVISOR, Role.PPU, Role.ANALYST, Role.CHIEF_OFFICER}),
    ("/referrals/inbox", "Referrals inbox", {Role.PARTNER}),
    ("/referrals/new", "Refer a child", {Role.OFFICER, Role.SUPERVISOR, Role.PPU}),
    ("/incidents", "Incidents", {Role.OFFICER, Role.SUPERVISOR, Role.PPU, Role.ANALYST, Role.CHIEF_OFFICER,
                                 Role.INSPECTOR}),
    ("/ppu/work-items", "PPU work queue", {Role.PPU}),
    ("/incidents/closure-audit", "Closure audit", {Role.SUPERVISOR}),
]


def navigation(request: Request) -> list[dict]:
    user = getattr(request.state, "user", None)
    if user is None or user.role is Role.ADMIN:
        return []
    path = request.url.path
    items = []
    for href, text, roles in NAV:
        if roles is None or user.role in roles:
            items.append({"href": href, "text": text, "active": path == href})
    return items


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    context.setdefault("errors", {})
    context.setdefault("values", {})
    html = TEMPLATES.get_template(template).render(
        request=request, user=getattr(request.state, "user", None), csrf_token=csrf_token(request),
        navigation=navigation(request), **context)
    return HTMLResponse(html, status_code=status_code)
