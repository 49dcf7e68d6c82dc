"""Append to and verify the access log: two hash chains, each entry signed, anchored outside
the database (ADR 0013).

- The **work** chain (``access_log``, in the business database) records committed work: its
  entries are appended inside the work's own transaction, just before the commit, so nothing is
  committed without its entry and no entry survives work that rolled back.
- The **event** chain (``access_event``, in the access store) records reads, refusals, sign-ins
  and attempts that rolled back, in its own short transaction before the response is sent.

An appender first locks its chain's head row (``access_chain_head``: a row lock on PostgreSQL,
the write lock on SQLite), so concurrent appenders cannot fork a chain; ``seq`` being the primary
key makes a fork fail loudly anyway. Each entry's ``hash`` covers the entry and the previous
hash; its ``mac`` is an HMAC of that hash under the log key, which the database does not hold.
After the commit the chain's head is written to the anchor file (``beacon.access.anchor``).
"""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from beacon.access import anchor
from beacon.access.models import AccessEvent, AccessLogEntry, ChainHead
from beacon.access.policy import Principal
from beacon.access.store import EVENTS, GENESIS, WORK, AccessStore, store_for
from beacon.db import utcnow

WRITES = frozenset({"create", "update", "review", "close"})
TABLES = {WORK: AccessLogEntry, EVENTS: AccessEvent}


@dataclass(frozen=True)
class Entry:
    user: Principal | None
    action: str
    record_type: str
    record_id: object = ""
    outcome: str = "ok"
    detail: str = ""

    @property
    def records_work(self) -> bool:
        """A successful write: it belongs in the work chain, committed with the work."""
        return self.outcome == "ok" and self.action in WRITES

    def rolled_back(self) -> Entry:
        return Entry(self.user, self.action, self.record_type, self.record_id, "rolled_back", self.detail)


def entry_hash(seq: int, at: datetime, user_id: int | None, username: str, role: str, action: str,
               record_type: str, record_id: str, outcome: str, detail: str, prev_hash: str) -> str:
    payload = json.dumps([seq, at.isoformat(timespec="microseconds"), user_id, username, role, action,
                          record_type, record_id, outcome, detail, prev_hash], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def entry_mac(key: bytes, hash_: str) -> str:
    return hmac.new(key, f"entry|{hash_}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Head:
    chain: str
    seq: int
    hash: str
    at: datetime


def _lock_head(conn: Connection, chain: str) -> tuple[int, str]:
    if conn.dialect.name == "sqlite":
        # an UPDATE takes SQLite's write lock before the head is read, so no other writer slips in
        conn.execute(update(ChainHead).where(ChainHead.chain == chain).values(seq=ChainHead.seq))
        row = conn.execute(select(ChainHead.seq, ChainHead.hash).where(ChainHead.chain == chain)).first()
    else:
        row = conn.execute(select(ChainHead.seq, ChainHead.hash).where(ChainHead.chain == chain)
                           .with_for_update()).first()
    if row is None:
        raise RuntimeError(f"the access log's {chain} chain has no head row: run the migrations")
    return row[0], row[1]


def _append(conn: Connection, chain: str, entries: Sequence[Entry], key: bytes, at: datetime) -> Head:
    seq, prev = _lock_head(conn, chain)
    rows = []
    for e in entries:
        seq += 1
        fields = dict(seq=seq, at=at, user_id=e.user.id if e.user else None,
                      username=e.user.username if e.user else "anonymous",
                      role=e.user.role.value if e.user else "", action=e.action[:40], record_type=e.record_type[:40],
                      record_id=str(e.record_id)[:40] if e.record_id is not None else "", outcome=e.outcome[:20],
                      detail=e.detail[:4000], prev_hash=prev)
        prev = entry_hash(**fields)
        rows.append({**fields, "hash": prev, "mac": entry_mac(key, prev)})
    conn.execute(TABLES[chain].__table__.insert(), rows)
    conn.execute(update(ChainHead).where(ChainHead.chain == chain).values(seq=seq, hash=prev))
    return Head(chain, seq, prev, at)


def append_work(session: Session, entries: Sequence[Entry], store: AccessStore) -> Head | None:
    """Append work entries inside ``session``'s transaction (call just before its commit)."""
    if not entries:
        return None
    return _append(session.connection(), WORK, entries, store.key, utcnow())


def append_events(store: AccessStore, entries: Sequence[Entry]) -> Head | None:
    """Append event entries in their own transaction in the store, then anchor them."""
    if not entries:
        return None
    with store.engine.begin() as conn:
        head = _append(conn, EVENTS, entries, store.key, utcnow())
    anchor_head(store, head)
    return head


def anchor_head(store: AccessStore, head: Head | None) -> None:
    if head is not None:
        anchor.write(store.anchor, store.key, head.chain, head.seq, head.hash, head.at)


def append(engine: Engine, user: Principal | None, action: str, record_type: str,
           record_id: object = "", outcome: str = "ok", detail: str = "") -> int:
    """Append one work-chain entry in its own transaction (an operator's action with no other work
    to commit, and the tests); return its sequence number."""
    return append_many(engine, [Entry(user, action, record_type, record_id, outcome, detail)])


def append_many(engine: Engine, entries: Iterable[Entry | tuple]) -> int:
    entries = [e if isinstance(e, Entry) else Entry(*e) for e in entries]
    if not entries:
        return 0
    store = store_for(engine)
    with engine.begin() as conn:
        head = _append(conn, WORK, entries, store.key, utcnow())
    anchor_head(store, head)
    return head.seq


# --- reading -----------------------------------------------------------------------------

def all_entries(session: Session, record_type: str | None = None, record_id: object = None,
                username: str | None = None, limit: int | None = None) -> list[AccessLogEntry | AccessEvent]:
    """Entries of both chains, oldest first (work before events at the same instant), optionally
    for one record or one user: "who touched this record" reads both."""
    out: list[AccessLogEntry | AccessEvent] = []
    store = store_for(session.get_bind())
    for model, reader in ((AccessLogEntry, session), (AccessEvent, None)):
        stmt = select(model)
        if record_type is not None:
            stmt = stmt.where(model.record_type == record_type)
        if record_id is not None:
            stmt = stmt.where(model.record_id == str(record_id))
        if username is not None:
            stmt = stmt.where(model.username == username)
        stmt = stmt.order_by(model.seq.desc() if limit else model.seq)
        if limit:
            stmt = stmt.limit(limit)
        if reader is None:
            with store.sessions() as events:
                out += events.scalars(stmt).all()
        else:
            out += reader.scalars(stmt).all()
    out.sort(key=lambda e: (e.at, isinstance(e, AccessEvent), e.seq))
    return out[-limit:] if limit else out


# --- verifying ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ChainResult:
    chain: str
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problem: str = ""
    anchored_seq: int = 0


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problem: str = ""
    chains: tuple[ChainResult, ...] = ()


def _walk(session: Session, chain: str, key: bytes, batch: int) -> tuple[ChainResult, dict[int, str]]:
    model = TABLES[chain]
    prev, expected, count, last_seq = GENESIS, 1, 0, 0
    hashes: dict[int, str] = {}

    def bad(seq: int, problem: str) -> tuple[ChainResult, dict[int, str]]:
        return ChainResult(chain, False, count, seq, problem), hashes

    while True:
        rows = session.scalars(select(model).where(model.seq > last_seq).order_by(model.seq).limit(batch)).all()
        if not rows:
            return ChainResult(chain, True, count), hashes
        for e in rows:
            if e.seq != expected:
                return bad(expected, f"entry {expected} is missing")
            if e.prev_hash != prev:
                return bad(e.seq, f"entry {e.seq} does not follow entry {e.seq - 1}")
            recomputed = entry_hash(e.seq, e.at, e.user_id, e.username, e.role, e.action, e.record_type,
                                    e.record_id, e.outcome, e.detail, e.prev_hash)
            if recomputed != e.hash:
                return bad(e.seq, f"entry {e.seq} was altered after it was written")
            if not hmac.compare_digest(e.mac or "", entry_mac(key, e.hash)):
                return bad(e.seq, f"entry {e.seq} is not signed with the log key: it was rewritten or forged")
            hashes[e.seq] = e.hash
            prev, expected, count, last_seq = e.hash, e.seq + 1, count + 1, e.seq


def _against_anchor(result: ChainResult, hashes: dict[int, str], points: list[anchor.Checkpoint]) -> ChainResult:
    """Hold a walked chain against its checkpoints. Entries after the last checkpoint (committed
    just before a crash, say) verify by their signatures alone; the checkpoints catch a chain cut
    short or rebuilt."""
    mine = [p for p in points if p.chain == result.chain]
    if not mine:
        if result.entries:
            return ChainResult(result.chain, False, result.entries, 1, "no signed checkpoint anchors this chain")
        return result
    latest = max(mine, key=lambda p: p.seq)
    if not result.ok:
        return ChainResult(result.chain, False, result.entries, result.first_bad_seq, result.problem, latest.seq)
    last = max(hashes) if hashes else 0
    if latest.seq > last:
        return ChainResult(result.chain, False, result.entries, last + 1,
                           f"entries {last + 1} to {latest.seq} were removed (checkpoint of {latest.at})", latest.seq)
    for point in sorted(mine, key=lambda p: p.seq):
        if point.seq and hashes.get(point.seq) != point.hash:
            return ChainResult(result.chain, False, result.entries, point.seq,
                               f"entry {point.seq} is not the entry that was checkpointed on {point.at}: "
                               "the chain was rebuilt", latest.seq)
    return ChainResult(result.chain, True, result.entries, anchored_seq=latest.seq)


def verify(session: Session, batch: int = 5000) -> VerifyResult:
    """Walk both chains from their first entry (sequence, links, hashes, signatures), then hold
    them against the signed checkpoints outside the database."""
    store = store_for(session.get_bind())
    points, anchor_problems = anchor.read(store.anchor, store.key)
    results = []
    work, work_hashes = _walk(session, WORK, store.key, batch)
    results.append(_against_anchor(work, work_hashes, points))
    with store.sessions() as events_session:
        events, event_hashes = _walk(events_session, EVENTS, store.key, batch)
    results.append(_against_anchor(events, event_hashes, points))
    total = sum(r.entries for r in results)
    if anchor_problems:
        return VerifyResult(False, total, None, anchor_problems[0], tuple(results))
    broken = next((r for r in results if not r.ok), None)
    if broken:
        return VerifyResult(False, total, broken.first_bad_seq, f"{broken.chain} chain: {broken.problem}", tuple(results))
    return VerifyResult(True, total, chains=tuple(results))
