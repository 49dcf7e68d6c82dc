"""API tokens: exchange a username and password for a bearer token, list and revoke your own.
The exchange is ``beacon.access.login.sign_in``, the same check as the sign-in page."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from beacon.access import tokens
from beacon.access.audit import note
from beacon.access.login import sign_in
from beacon.errors import Forbidden, NotFound
from beacon.org.roles import Role
from beacon.web.deps import (
    ApiUser,
    Db,
    ForceSettings,
    Now,
    access_store,
    client_address,
)
from beacon.web.routes.responses import ERRORS, RecordId

router = APIRouter(prefix="/api/v1", tags=["tokens"])
SIGN_IN_ERRORS = {**ERRORS, 401: {"description": "The username or password is not right, or the account is locked"},
                  429: {"description": "Too many failed attempts from this address"},
                  503: {"description": "Busy checking other sign-ins: try again in a moment"}}


class TokenIn(BaseModel):
    username: Annotated[str, Field(min_length=1, max_length=80)]
    password: Annotated[str, Field(min_length=1, max_length=200)]
    label: Annotated[str, Field(max_length=80, description="What the token is for (shown in your token list)")] = ""


class TokenOut(BaseModel):
    token: str
    token_type: str = "bearer"
    id: int
    expires_at: datetime
    expires_in_hours: int


class TokenInfo(BaseModel):
    id: int
    label: str
    created_at: datetime
    expires_at: datetime
    current: bool


@router.post("/tokens", response_model=TokenOut, responses=SIGN_IN_ERRORS)
def create_token(*, request: Request, data: TokenIn, session: Db,
                 at: Now, settings: ForceSettings):
    """Exchange a username and password for a bearer token. It expires after `auth.token_hours`;
    a user holds at most `auth.max_tokens_per_user`, so issuing one more revokes the oldest."""
    store = access_store(request)
    user = sign_in(session, store, data.username, data.password, via="token", address=client_address(request),
                   now=at, settings=settings)
    hours = int(settings["auth.token_hours"])
    issued = tokens.issue(store, user.id, at, hours, int(settings["auth.max_tokens_per_user"]), data.label)
    note(session, None, "issue", "api_token", issued.id, detail=f"user={user.id}" + (
        f" revoked={','.join(map(str, issued.revoked_ids))}" if issued.revoked_ids else ""))
    return TokenOut(token=issued.token, id=issued.id, expires_at=issued.expires_at, expires_in_hours=hours)


@router.get("/tokens", response_model=list[TokenInfo], responses=ERRORS)
def list_tokens(*, request: Request, user: ApiUser, at: Now):
    """Your live tokens (never the tokens themselves: Beacon keeps only their hashes)."""
    current = getattr(request.state, "token_id", None)
    return [TokenInfo(id=t.id, label=t.label, created_at=t.created_at, expires_at=t.expires_at, current=t.id == current)
            for t in tokens.live_tokens(access_store(request), user.id, at)]


@router.delete("/tokens/current", status_code=204, responses=ERRORS)
def revoke_current(*, request: Request, user: ApiUser, session: Db,
                   at: Now):
    """Revoke the token this request was made with (a browser session signs out at /logout)."""
    token_id = getattr(request.state, "token_id", None)
    if token_id is None:
        raise NotFound("this request was not made with a token")
    tokens.revoke(access_store(request), token_id, at, "revoked by its holder", user.id)
    note(session, user, "revoke", "api_token", token_id)
    return Response(status_code=204)


@router.delete("/tokens/{token_id}", status_code=204, responses=ERRORS)
def revoke_token(*, request: Request, token_id: RecordId, user: ApiUser,
                 session: Db, at: Now):
    """Revoke one of your tokens; an administrator may revoke anyone's."""
    admin = user.role is Role.ADMIN
    if not tokens.revoke(access_store(request), token_id, at, f"revoked by {user.username}", None if admin else user.id):
        note(session, user, "revoke", "api_token", token_id, "denied", "not a live token of this user")
        raise Forbidden("no live token of yours has that number") if not admin else NotFound(f"no live token {token_id}")
    note(session, user, "revoke", "api_token", token_id)
    return Response(status_code=204)
