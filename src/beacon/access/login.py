"""Signing in: one path for every way in (the sign-in page, the API's token endpoint, the CLI).

Every credential check goes through ``sign_in``, so all of them share:

- **one failure count and lock-out** (``account_lock``): ``auth.lockout_attempts`` wrong
  passwords in a row lock the account for ``auth.lockout_minutes``. It is written in the access
  store's own transaction, so a request that fails afterwards (the token endpoint's 401) cannot
  roll it back;
- **one rate limit per address** (``login_attempt``): ``auth.address_failures`` failures from
  one address within ``auth.address_window_minutes`` refuse further attempts from it with a 429;
- **one message**: an unknown user, a locked account and a wrong password look the same from
  outside, and take the same time, because the password is always checked with argon2 (against
  a dummy hash when there is no such user);
- **one log**: every attempt is an access-log event with its outcome;
- **bounded work**: argon2 uses 64 MiB per check, so at most ``HASH_SLOTS`` run at once; more
  wait briefly, then get a 503 rather than take the server's memory.
"""
from __future__ import annotations

import functools
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from beacon.access.audit import note
from beacon.access.models import AccountLock, LoginAttempt
from beacon.access.passwords import (
    hash_password,
    is_locked,
    lockout_after_failure,
    verify_password,
)
from beacon.access.policy import Principal
from beacon.access.store import AccessStore
from beacon.errors import BeaconError
from beacon.org.models import User

FAILED = "The username or password is not right, or the account is locked"
HASH_SLOTS = 2
HASH_WAIT_SECONDS = 10
_hash_slots = threading.BoundedSemaphore(HASH_SLOTS)


class SignInFailed(BeaconError):
    status = 401


class TooManyAttempts(BeaconError):
    status = 429


class Busy(BeaconError):
    status = 503


@dataclass(frozen=True)
class AuthSettings:
    lockout_attempts: int
    lockout_minutes: int
    session_hours: int
    idle_minutes: int
    token_hours: int
    max_tokens: int
    address_failures: int
    address_window_minutes: int

    @classmethod
    def from_settings(cls, settings: Mapping[str, object]) -> AuthSettings:
        return cls(*(int(settings[f"auth.{name}"]) for name in (  # type: ignore[call-overload]
            "lockout_attempts", "lockout_minutes", "session_hours", "idle_minutes", "token_hours",
            "max_tokens_per_user", "address_failures", "address_window_minutes")))


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def _check_password(stored_hash: str | None, password: str) -> bool:
    if not _hash_slots.acquire(timeout=HASH_WAIT_SECONDS):
        raise Busy("Beacon is busy signing other people in: try again in a moment")
    try:
        ok = verify_password(stored_hash or _dummy_hash(), password)
    finally:
        _hash_slots.release()
    return ok and stored_hash is not None


def clean_username(username: str) -> str | None:
    """The username as stored (trimmed, lower case), or None for one no account can have."""
    name = username.strip().lower()
    if not name or len(name) > 80 or any(ch < " " or ch == "\x7f" for ch in name):
        return None
    return name


def sign_in(session: Session, store: AccessStore, username: str, password: str, *, via: str, address: str,
            now: datetime, settings: Mapping[str, object]) -> User:
    """The user, or SignInFailed with one message whatever the reason (no account probing);
    TooManyAttempts when the address has failed too often."""
    rules = AuthSettings.from_settings(settings)
    name = clean_username(username)
    shown = (name or repr(username)[:40])[:80]
    address = (address or "")[:64]
    with store.sessions.begin() as s:
        since = now - timedelta(minutes=rules.address_window_minutes)
        failures = s.scalar(select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.address == address, LoginAttempt.at >= since, LoginAttempt.outcome != "ok")) or 0
        if address and failures >= rules.address_failures:
            s.add(LoginAttempt(at=now, username=shown, user_id=None, address=address, via=via, outcome="limited"))
            note(session, None, "login", "user", shown, "denied", f"rate limited: {address} via {via}")
            raise TooManyAttempts(f"Too many attempts to sign in from this address: wait "
                                  f"{rules.address_window_minutes} minutes and try again")
    user = session.scalars(select(User).where(User.username == name)).first() if name else None
    usable = user is not None and user.active
    correct = _check_password(user.password_hash if usable else None, password)
    with store.sessions.begin() as s:
        lock = s.get(AccountLock, user.id) if usable else None
        if not usable:
            outcome, detail = "unknown", "unknown or inactive"
        elif lock is not None and is_locked(lock.locked_until, now):
            outcome, detail = "locked", "locked"
        elif not correct:
            locked = _count_failure(s, user.id, now, rules)
            outcome, detail = "wrong", "locked after failures" if locked else "wrong password"
        else:
            if lock is not None:
                s.delete(lock)
            outcome, detail = "ok", user.username
        s.add(LoginAttempt(at=now, username=shown, user_id=user.id if user else None, address=address, via=via,
                           outcome=outcome))
    note(session, None, "login", "user", user.id if user else shown, "ok" if outcome == "ok" else "denied",
         f"{detail} via {via}")
    if outcome != "ok":
        raise SignInFailed(FAILED)
    return user


def _count_failure(s: Session, user_id: int, now: datetime, rules: AuthSettings) -> bool:
    """One more failure in the account's run, counted in the database (parallel guesses cannot lose
    a count); True if it locks the account."""
    bumped = s.execute(update(AccountLock).where(AccountLock.user_id == user_id)
                       .values(failures=AccountLock.failures + 1)).rowcount
    if not bumped:
        s.add(AccountLock(user_id=user_id, failures=1))
        s.flush()
    lock = s.get(AccountLock, user_id, populate_existing=True)
    failures, until = lockout_after_failure(lock.failures - 1, now, rules.lockout_attempts, rules.lockout_minutes)
    lock.failures, lock.locked_until = failures, until or lock.locked_until
    return until is not None


def unlock(store: AccessStore, user_id: int) -> bool:
    """An administrator's unlock: the failure run and any lock end now. True if there was one."""
    with store.sessions.begin() as s:
        lock = s.get(AccountLock, user_id)
        if lock is None:
            return False
        s.delete(lock)
    return True


def lock_state(store: AccessStore, user_id: int, now: datetime) -> tuple[int, datetime | None]:
    """(failures in a row, locked until or None)."""
    with store.sessions() as s:
        lock = s.get(AccountLock, user_id)
    if lock is None:
        return 0, None
    return lock.failures, lock.locked_until if is_locked(lock.locked_until, now) else None


def principal(user: User) -> Principal:
    return Principal(id=user.id, username=user.username, role=user.role, vetting=user.vetting,
                     division_id=user.division_id, display_name=user.display_name, partner_id=user.partner_id)


def acting_as(session: Session, username: str) -> Principal | None:
    """The principal for ``username``, set as the session's acting user (for history), or None if
    there is no such user. For Beacon's own work (the demo builder, scheduled jobs), never for a
    person at a keyboard: the CLI signs its user in (``beacon.cli``)."""
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        return None
    session.info["user"] = acting = principal(user)
    return acting
