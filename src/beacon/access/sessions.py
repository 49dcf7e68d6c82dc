"""Signed-in browsers, kept on the server (``user_session`` in the access store).

The cookie holds only a random session id (signed by the cookie middleware); its SHA-256 is
kept here. So signing out ends the session for every copy of the cookie, a session ends after
``auth.idle_minutes`` without a request and ``auth.session_hours`` after sign-in whatever
happens, and an administrator can end a user's sessions at once.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from beacon.access.models import UserSession
from beacon.access.store import AccessStore

TOUCH_EVERY = timedelta(minutes=1)   # last-seen is written at most this often per session


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Live:
    user_id: int
    session_id: int


def open_session(store: AccessStore, user_id: int, now: datetime, hours: int, address: str = "") -> str:
    token = secrets.token_urlsafe(32)
    with store.sessions.begin() as s:
        s.add(UserSession(token_hash=digest(token), user_id=user_id, created_at=now, last_seen_at=now,
                          expires_at=now + timedelta(hours=hours), address=address[:64]))
    return token


def live_session(store: AccessStore, token: str | None, now: datetime, idle_minutes: int) -> Live | None:
    """The session ``token`` names, if it has not ended, expired or gone idle; its last-seen time is
    moved on (at most once a minute)."""
    if not token or not isinstance(token, str):
        return None
    with store.sessions() as s:
        row = s.scalars(select(UserSession).where(UserSession.token_hash == digest(token))).first()
    if row is None or row.ended_at is not None:
        return None
    if row.expires_at <= now:
        end(store, row.id, now, "expired")
        return None
    if row.last_seen_at + timedelta(minutes=idle_minutes) <= now:
        end(store, row.id, now, "idle")
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        with store.sessions.begin() as s:
            s.execute(update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now))
    return Live(row.user_id, row.id)


def end(store: AccessStore, session_id: int, now: datetime, reason: str) -> None:
    with store.sessions.begin() as s:
        s.execute(update(UserSession).where(UserSession.id == session_id, UserSession.ended_at.is_(None))
                  .values(ended_at=now, ended_reason=reason))


def end_token(store: AccessStore, token: str | None, now: datetime, reason: str = "signed out") -> bool:
    if not token or not isinstance(token, str):
        return False
    with store.sessions.begin() as s:
        return bool(s.execute(update(UserSession).where(UserSession.token_hash == digest(token),
                                                        UserSession.ended_at.is_(None))
                              .values(ended_at=now, ended_reason=reason)).rowcount)


def end_all(store: AccessStore, user_id: int, now: datetime, reason: str) -> int:
    """End every live session of a user (an administrator's action, a password change)."""
    with store.sessions.begin() as s:
        return s.execute(update(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
                         .values(ended_at=now, ended_reason=reason)).rowcount
