"""Request dependencies: the unit of work, the signed-in user, settings, CSRF, templates."""
from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from beacon import settings_repo
from beacon.access import sessions, tokens
from beacon.access.login import principal as principal_of
from beacon.access.policy import Principal
from beacon.access.store import AccessStore, store_for
from beacon.access.unit_of_work import transaction
from beacon.errors import BeaconError, Forbidden
from beacon.org.models import User


class NotSignedIn(BeaconError):
    status = 401


def db(request: Request) -> Iterator[Session]:
    """The request's unit of work. Always declared ``Depends(db, scope="function")``, so it commits
    (and appends the access log) before the response is sent: a client that gets a 2xx can read
    its own write at once. Every use must say the same scope, or FastAPI makes two sessions."""
    with transaction(request.app.state.sessions) as session:
        yield session


def now(request: Request) -> datetime:
    return request.app.state.clock()


def access_store(request: Request) -> AccessStore:
    return store_for(request.app.state.engine)


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def _user_from_request(request: Request, session: Session, at: datetime) -> User | None:
    store = access_store(request)
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        found = tokens.holder(store, auth[7:].strip(), at)
        if found is None:
            return None
        user = session.get(User, found[0])
        request.state.via_token, request.state.token_id = True, found[1]
        return user if user and user.active else None
    settings = settings_repo.load(session)
    live = sessions.live_session(store, request.session.get("sid"), at, int(settings["auth.idle_minutes"]))
    if live is None:
        return None
    user = session.get(User, live.user_id)
    return user if user is not None and user.active else None


def current_user(request: Request, session: Session = Depends(db, scope="function"), at: datetime = Depends(now)) -> Principal:
    user = _user_from_request(request, session, at)
    if user is None:
        raise NotSignedIn("sign in to continue")
    principal = principal_of(user)
    session.info["user"] = principal
    request.state.user = principal
    return principal


def api_user(request: Request, user: Principal = Depends(current_user)) -> Principal:
    """API callers use a bearer token; a browser using its session cookie must send the
    page's CSRF token in X-CSRF-Token for anything that writes."""
    if not getattr(request.state, "via_token", False) and request.method not in ("GET", "HEAD", "OPTIONS"):
        _check_csrf(request, request.headers.get("x-csrf-token"))
    return user


def optional_user(request: Request, session: Session = Depends(db, scope="function"), at: datetime = Depends(now)) -> Principal | None:
    user = _user_from_request(request, session, at)
    return principal_of(user) if user else None


def force_settings(session: Session = Depends(db, scope="function")) -> dict[str, object]:
    return settings_repo.load(session)


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def _check_csrf(request: Request, sent: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not sent or not secrets.compare_digest(expected, sent):
        raise Forbidden("the form has expired or did not come from Beacon: go back, reload the page and try again")


async def checked_form(request: Request) -> dict[str, str]:
    """The posted form's fields, after checking its CSRF token against the session's."""
    form = await request.form()
    data = {k: v for k, v in form.items() if isinstance(v, str)}
    _check_csrf(request, data.pop("csrf_token", None))
    return data




# Declared once, as types (the dispatch ``DbSession`` pattern): a route says ``session: Db`` and
# every use shares one unit of work per request.
Db = Annotated[Session, Depends(db, scope="function")]
Now = Annotated[datetime, Depends(now)]
CurrentUser = Annotated[Principal, Depends(current_user)]
ApiUser = Annotated[Principal, Depends(api_user)]
OptionalUser = Annotated[Principal | None, Depends(optional_user)]
ForceSettings = Annotated[dict, Depends(force_settings)]
CheckedForm = Annotated[dict, Depends(checked_form)]
