"""Append to and verify the hash-chained access log.

Entries are appended in their own short transaction that first takes the log's write lock
(``BEGIN IMMEDIATE`` on SQLite, an advisory transaction lock on PostgreSQL), so concurrent
requests cannot fork the chain; ``seq`` being the primary key makes a fork fail loudly anyway.
"""
from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from beacon.access.models import AccessLogEntry
from beacon.access.policy import Principal
from beacon.db import utcnow

GENESIS = "0" * 64
_LOCK_KEY = 7_240_001
_process_lock = threading.Lock()


def entry_hash(seq: int, at: datetime, user_id: int | None, username: str, role: str, action: str,
               record_type: str, record_id: str, outcome: str, detail: str, prev_hash: str) -> str:
    payload = json.dumps([seq, at.isoformat(timespec="microseconds"), user_id, username, role, action,
                          record_type, record_id, outcome, detail, prev_hash], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def append(engine: Engine, user: Principal | None, action: str, record_type: str,
           record_id: object = "", outcome: str = "ok", detail: str = "") -> int:
    """Append one entry and return its sequence number."""
    return append_many(engine, [(user, action, record_type, record_id, outcome, detail)])


def append_many(engine: Engine, entries: list[tuple]) -> int:
    """Append entries ``(user, action, record_type, record_id, outcome, detail)`` in order, in one
    transaction under the log's lock; return the last sequence number (0 if none)."""
    if not entries:
        return 0
    at = utcnow()
    with _process_lock, engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
        last = conn.execute(select(AccessLogEntry.seq, AccessLogEntry.hash)
                            .order_by(AccessLogEntry.seq.desc()).limit(1)).first()
        seq, prev = (last[0], last[1]) if last else (0, GENESIS)
        rows = []
        for user, action, record_type, record_id, outcome, detail in entries:
            seq += 1
            fields = dict(seq=seq, at=at, user_id=user.id if user else None,
                          username=user.username if user else "anonymous",
                          role=user.role.value if user else "", action=action, record_type=record_type,
                          record_id=str(record_id) if record_id is not None else "", outcome=outcome,
                          detail=detail[:4000], prev_hash=prev)
            prev = entry_hash(**fields)
            rows.append({**fields, "hash": prev})
        conn.execute(AccessLogEntry.__table__.insert(), rows)
        conn.commit()
    return seq


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problem: str = ""


def verify(session: Session, batch: int = 5000) -> VerifyResult:
    """Recompute the chain from the first entry; report the first entry that does not fit."""
    prev, expected_seq, count = GENESIS, 1, 0
    last_seq = 0
    while True:
        rows = session.scalars(select(AccessLogEntry).where(AccessLogEntry.seq > last_seq)
                               .order_by(AccessLogEntry.seq).limit(batch)).all()
        if not rows:
            return VerifyResult(True, count)
        for e in rows:
            if e.seq != expected_seq:
                return VerifyResult(False, count, expected_seq, f"entry {expected_seq} is missing")
            if e.prev_hash != prev:
                return VerifyResult(False, count, e.seq, f"entry {e.seq} does not follow entry {e.seq - 1}")
            recomputed = entry_hash(e.seq, e.at, e.user_id, e.username, e.role, e.action, e.record_type,
                                    e.record_id, e.outcome, e.detail, e.prev_hash)
            if recomputed != e.hash:
                return VerifyResult(False, count, e.seq, f"entry {e.seq} was altered after it was written")
            prev, expected_seq, count = e.hash, e.seq + 1, count + 1
            last_seq = e.seq
