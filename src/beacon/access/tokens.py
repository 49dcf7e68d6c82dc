"""API bearer tokens: stored as their SHA-256, each expiring after ``auth.token_hours``,
revocable by their holder or an administrator, at most ``auth.max_tokens_per_user`` live per
user (issuing one more revokes the oldest)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from beacon.access.models import ApiToken
from beacon.access.sessions import digest
from beacon.access.store import AccessStore


@dataclass(frozen=True)
class Issued:
    token: str
    id: int
    expires_at: datetime
    revoked_ids: tuple[int, ...]


def issue(store: AccessStore, user_id: int, now: datetime, hours: int, limit: int, label: str = "") -> Issued:
    token = secrets.token_urlsafe(32)
    with store.sessions.begin() as s:
        row = ApiToken(user_id=user_id, token_hash=digest(token), created_at=now,
                       expires_at=now + timedelta(hours=hours), label=label[:80])
        s.add(row)
        s.flush()
        live = s.scalars(select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None),
                                                ApiToken.expires_at > now).order_by(ApiToken.created_at.desc(),
                                                                                    ApiToken.id.desc())).all()
        revoked = []
        for old in live[limit:]:
            old.revoked_at, old.revoked_reason = now, "limit: a newer token was issued"
            revoked.append(old.id)
        return Issued(token, row.id, row.expires_at, tuple(revoked))


def holder(store: AccessStore, token: str, now: datetime) -> tuple[int, int] | None:
    """(user id, token id) of a live token, or None."""
    with store.sessions() as s:
        row = s.scalars(select(ApiToken).where(ApiToken.token_hash == digest(token))).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    return row.user_id, row.id


def live_tokens(store: AccessStore, user_id: int, now: datetime) -> list[ApiToken]:
    with store.sessions() as s:
        return list(s.scalars(select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None),
                                                     ApiToken.expires_at > now).order_by(ApiToken.created_at)))


def revoke(store: AccessStore, token_id: int, now: datetime, reason: str, user_id: int | None = None) -> bool:
    """Revoke a token (only the holder's own when ``user_id`` is given). True if it was live."""
    stmt = update(ApiToken).where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
    if user_id is not None:
        stmt = stmt.where(ApiToken.user_id == user_id)
    with store.sessions.begin() as s:
        return bool(s.execute(stmt.values(revoked_at=now, revoked_reason=reason[:80])).rowcount)


def revoke_all(store: AccessStore, user_id: int, now: datetime, reason: str) -> int:
    with store.sessions.begin() as s:
        return s.execute(update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
                         .values(revoked_at=now, revoked_reason=reason[:80])).rowcount
