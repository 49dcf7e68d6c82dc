"""The append-only access log (two hash chains), credentials (tokens, sessions, sign-in attempts and
locks), and force setting overrides."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from beacon.db import Base, UTCDateTime


class _Entry:
    """The columns of one access-log entry. ``seq`` is gap-free within its chain; ``hash`` covers the
    entry and the previous entry's hash, so an edit or deletion breaks the chain; ``mac`` is an HMAC
    of the hash under a key the database does not hold, so a rewritten or forged entry cannot be
    made to verify (ADR 0013). Database triggers refuse UPDATE and DELETE."""
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(40), default="")
    outcome: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64), default="")


class AccessLogEntry(_Entry, Base):
    """The work chain: an entry for each piece of committed work (a create, update, review or close),
    written in the same transaction as the work, so nothing is committed without its entry."""
    __tablename__ = "access_log"


class AccessEvent(_Entry, Base):
    """The event chain: reads, refusals, sign-ins and attempts that rolled back. Appended in its own
    short transaction before the response is sent, in the access store (on SQLite a file of its own,
    so a read never waits for a bulk import's write lock: ADR 0013)."""
    __tablename__ = "access_event"


class ChainHead(Base):
    """The last entry of each chain, locked by an append to serialise appenders (a row lock on
    PostgreSQL, the write lock on SQLite). Verification never trusts it: it walks the entries."""
    __tablename__ = "access_chain_head"
    chain: Mapped[str] = mapped_column(String(20), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))


class ApiToken(Base):
    """A bearer token, stored as its SHA-256 (the token is shown once, when issued)."""
    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str] = mapped_column(String(80), default="")
    label: Mapped[str] = mapped_column(String(80), default="")


class UserSession(Base):
    """A signed-in browser. The cookie carries a random id whose SHA-256 is kept here, so signing
    out, an idle timeout or an administrator ends the session on the server."""
    __tablename__ = "user_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_reason: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(64), default="")


class LoginAttempt(Base):
    """Every credential check, by any way in (the sign-in page, the token endpoint, the CLI): the
    one failure count behind the lock-out and the per-address rate limit."""
    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_user", "user_id", "at"), Index("ix_login_attempt_address", "address", "at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    username: Mapped[str] = mapped_column(String(80))
    user_id: Mapped[int | None] = mapped_column(Integer)
    address: Mapped[str] = mapped_column(String(64), default="")
    via: Mapped[str] = mapped_column(String(20))        # page, token, cli
    outcome: Mapped[str] = mapped_column(String(20))    # ok, wrong, unknown, locked, limited


class AccountLock(Base):
    """An account's run of failed sign-ins and the time a lock ends; cleared by a success or by an
    administrator's unlock."""
    __tablename__ = "account_lock"
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ForceSetting(Base):
    __tablename__ = "force_setting"
    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(80))


class RecordHistory(Base):
    """Who changed what, written by ``beacon.history`` in the same transaction as the change."""
    __tablename__ = "record_history"
    __table_args__ = (Index("ix_record_history_record", "table_name", "record_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[str] = mapped_column(String(80))
    operation: Mapped[str] = mapped_column(String(10))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_by_id: Mapped[int | None] = mapped_column(Integer)
    changed_by: Mapped[str] = mapped_column(String(80), default="")
    changes: Mapped[str] = mapped_column(Text)
