"""Sign in and sign out (the page); the API's token endpoint is in ``tokens_api``. Both call
``beacon.access.login.sign_in``: one lock-out, one failure count, one message, one log."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from beacon.access import sessions
from beacon.access.audit import note
from beacon.access.login import SignInFailed, TooManyAttempts, sign_in
from beacon.web.deps import (
    CheckedForm,
    Db,
    ForceSettings,
    Now,
    OptionalUser,
    access_store,
    client_address,
)
from beacon.web.render import render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login")
def login_page(request: Request, next: str = "/"):
    return render(request, "login.html", title="Sign in", next=_safe_next(next))


@router.post("/login")
def login(*, request: Request, form: CheckedForm, session: Db,
          at: Now, settings: ForceSettings):
    username, password = form.get("username", ""), form.get("password", "")
    errors = {}
    status = 422
    if not username.strip():
        errors["username"] = "Enter your username"
    if not password:
        errors["password"] = "Enter your password"
    if not errors:
        store = access_store(request)
        try:
            user = sign_in(session, store, username, password, via="page", address=client_address(request),
                           now=at, settings=settings)
        except SignInFailed as exc:
            errors["username"] = str(exc)
        except TooManyAttempts as exc:
            errors["username"], status = str(exc), 429
        else:
            old = request.session.get("sid")
            if old:
                sessions.end_token(store, old, at, "signed in again")
            token = sessions.open_session(store, user.id, at, int(settings["auth.session_hours"]),
                                          client_address(request))
            request.session.clear()
            request.session["sid"] = token
            return RedirectResponse(_safe_next(form.get("next")), status_code=303)
    return render(request, "login.html", status_code=status, title="Sign in", errors=errors,
                  values={"username": username}, next=_safe_next(form.get("next")))


@router.post("/logout")
def logout(*, request: Request, form: CheckedForm, session: Db,
           at: Now, user: OptionalUser):
    """Ends the session on the server, so a copy of the cookie is no use afterwards."""
    if sessions.end_token(access_store(request), request.session.get("sid"), at, "signed out") and user:
        note(session, user, "logout", "user", user.id)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
