"""The start page."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from beacon.access.policy import Principal
from beacon.org.roles import Role
from beacon.web.deps import optional_user

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, user: Principal | None = Depends(optional_user)):
    if user is None:
        return RedirectResponse("/login", status_code=303)
    if user.role in (Role.SUPERVISOR, Role.PPU):
        return RedirectResponse("/supervisor", status_code=303)
    if user.role is Role.INSPECTOR:
        return RedirectResponse("/inspections", status_code=303)
    if user.role is Role.PARTNER:
        return RedirectResponse("/referrals/inbox", status_code=303)
    return RedirectResponse("/missing-persons", status_code=303)
