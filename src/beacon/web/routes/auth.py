"""Sign in and sign out."""
from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from beacon.access.login import SignInFailed, authenticate
from beacon.web.deps import checked_form, db, force_settings, now
from beacon.web.render import render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login")
def login_page(request: Request, next: str = "/"):
    return render(request, "login.html", title="Sign in", next=_safe_next(next))


@router.post("/login")
def login(request: Request, form: dict = Depends(checked_form), session: Session = Depends(db, scope="function"),
          at: datetime = Depends(now), settings: dict = Depends(force_settings)):
    username, password = form.get("username", ""), form.get("password", "")
    errors = {}
    if not username.strip():
        errors["username"] = "Enter your username"
    if not password:
        errors["password"] = "Enter your password"
    if not errors:
        try:
            user = authenticate(session, username, password, at, settings)
        except SignInFailed as exc:
            errors["username"] = str(exc)
        else:
            request.session.clear()
            request.session.update(user_id=user.id, epoch=user.session_epoch,
                                   expires=at.timestamp() + 3600 * int(settings["auth.session_hours"]))
            return RedirectResponse(_safe_next(form.get("next")), status_code=303)
    return render(request, "login.html", status_code=422, title="Sign in", errors=errors,
                  values={"username": username}, next=_safe_next(form.get("next")))


@router.post("/logout")
def logout(request: Request, form: dict = Depends(checked_form)):
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
