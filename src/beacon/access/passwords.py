"""Argon2id password hashing and the lock-out rule."""
from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id, library defaults (RFC 9106 low-memory profile)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def lockout_after_failure(failed_logins: int, now: datetime, attempts: int,
                          minutes: int) -> tuple[int, datetime | None]:
    """The new failure count and, once it reaches ``attempts``, the time the lock ends."""
    failed = failed_logins + 1
    if failed >= attempts:
        return 0, now + timedelta(minutes=minutes)
    return failed, None


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and locked_until > now
