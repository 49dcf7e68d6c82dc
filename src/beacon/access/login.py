"""Signing in: password check, lock-out after repeated failures, API tokens."""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from beacon.access.audit import note
from beacon.access.models import ApiToken
from beacon.access.passwords import is_locked, lockout_after_failure, verify_password
from beacon.access.policy import Principal
from beacon.org.models import User

FAILED = "The username or password is not right, or the account is locked"


class SignInFailed(Exception):
    pass


def authenticate(session: Session, username: str, password: str, now: datetime,
                 settings: Mapping[str, object]) -> User:
    """The user, or SignInFailed with one message whatever the reason (no account-probing)."""
    user = session.scalars(select(User).where(User.username == username.strip().lower())).first()
    if user is None or not user.active:
        note(session, None, "login", "user", username[:40], "denied", "unknown or inactive")
        raise SignInFailed(FAILED)
    if is_locked(user.locked_until, now):
        note(session, None, "login", "user", user.id, "denied", "locked")
        raise SignInFailed(FAILED)
    if not verify_password(user.password_hash, password):
        user.failed_logins, user.locked_until = lockout_after_failure(
            user.failed_logins, now, int(settings["auth.lockout_attempts"]), int(settings["auth.lockout_minutes"]))
        note(session, None, "login", "user", user.id, "denied",
             "locked after failures" if user.locked_until else "wrong password")
        raise SignInFailed(FAILED)
    user.failed_logins, user.locked_until = 0, None
    note(session, None, "login", "user", user.id, "ok", user.username)
    return user


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, now: datetime, hours: int) -> str:
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=token_digest(token), created_at=now,
                         expires_at=now + timedelta(hours=hours)))
    return token


def principal(user: User) -> Principal:
    return Principal(id=user.id, username=user.username, role=user.role, vetting=user.vetting,
                     division_id=user.division_id, display_name=user.display_name, partner_id=user.partner_id)


def acting_as(session: Session, username: str) -> Principal | None:
    """The principal for ``username``, also set as the session's acting user (for history),
    or None if there is no such user. For the CLI, scripts and the demo, which act as a named user."""
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        return None
    session.info["user"] = acting = principal(user)
    return acting
