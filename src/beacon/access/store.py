"""The access store: where the event chain of the access log, sessions, API tokens and sign-in
attempts live, with the key that signs the log and the file its checkpoints are anchored in.

On PostgreSQL the store is the database itself. On SQLite it is a second file beside the
database (``x.db`` -> ``x.access.db``): SQLite lets one writer in at a time, so if every read's
log entry (and every session touch) were written to the main file, a bulk import holding the
write lock would stall every reader until it committed (issue 7: 13 ms -> 16.6 s). Nothing in
the store records business work, so it needs no atomic commit with the main file; the work
chain stays in the main file, inside the work's own transaction (ADR 0013).
"""
from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from beacon import config
from beacon.access.models import (
    AccessEvent,
    AccountLock,
    ApiToken,
    ChainHead,
    LoginAttempt,
    UserSession,
)
from beacon.db import make_engine, utcnow

GENESIS = "0" * 64
WORK, EVENTS = "work", "events"
STORE_TABLES = [t.__table__ for t in (AccessEvent, ChainHead, ApiToken, UserSession, LoginAttempt, AccountLock)]
APPEND_ONLY = "access_event"

SQLITE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS {APPEND_ONLY}_no_update BEFORE UPDATE ON {APPEND_ONLY} "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY} is append-only'); END",
    f"CREATE TRIGGER IF NOT EXISTS {APPEND_ONLY}_no_delete BEFORE DELETE ON {APPEND_ONLY} "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY} is append-only'); END",
]


@dataclass(eq=False)
class AccessStore:
    main: Engine                  # the business database: the work chain
    engine: Engine                # the store: the event chain, sessions, tokens, attempts
    key: bytes
    anchor: Path
    sessions: sessionmaker[Session]

    @property
    def separate(self) -> bool:
        return self.engine is not self.main


_STORES: weakref.WeakKeyDictionary[Engine, AccessStore] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def store_for(engine: Engine) -> AccessStore:
    """The access store of the database ``engine`` connects to (made, and on SQLite created, once)."""
    with _LOCK:
        store = _STORES.get(engine)
        if store is None:
            url = engine.url.render_as_string(hide_password=False)
            store_url = config.access_store_url(url)
            target = engine if store_url == url else make_engine(store_url)
            if target is not engine:
                _create(target)
            store = AccessStore(engine, target, config.log_key(), config.log_anchor(url),
                                sessionmaker(target, expire_on_commit=False))
            _anchor_empty_chains(store)
            _STORES[engine] = store
        return store


def _anchor_empty_chains(store: AccessStore) -> None:
    """A chain that has no entries yet and no checkpoint gets one for its genesis, so from its first
    entry on, an anchor file that is missing or emptied is itself evidence of tampering, while
    entries committed just before a crash (not yet checkpointed) still verify by their signatures."""
    from beacon.access import anchor

    points, _ = anchor.read(store.anchor, store.key)
    anchored = {p.chain for p in points}
    for chain, engine in ((WORK, store.main), (EVENTS, store.engine)):
        if chain in anchored:
            continue
        with engine.connect() as conn:
            seq = conn.scalar(select(ChainHead.seq).where(ChainHead.chain == chain))
        if seq == 0:
            anchor.write(store.anchor, store.key, chain, 0, GENESIS, utcnow())


def _create(engine: Engine) -> None:
    """The store's tables in their own SQLite file (the main database gets them from migration 0008).
    Under SQLite's write lock (BEGIN IMMEDIATE), so processes opening a new store at once cannot
    both create it."""
    from beacon.db import Base

    with engine.connect() as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        Base.metadata.create_all(conn, tables=STORE_TABLES)
        for statement in SQLITE_TRIGGERS:
            conn.exec_driver_sql(statement)
        have = set(conn.scalars(select(ChainHead.chain)))
        for chain in (WORK, EVENTS):
            if chain not in have:
                conn.execute(insert(ChainHead).values(chain=chain, seq=0, hash=GENESIS))
        conn.commit()


def files_of(database_url: str) -> list[Path]:
    """The files that hold one SQLite Beacon: the database and its access store, with their WAL."""
    out = []
    for url in dict.fromkeys([database_url, config.access_store_url(database_url)]):
        if url.startswith("sqlite:///"):
            base = url.removeprefix("sqlite:///")
            out += [Path(base + suffix) for suffix in ("", "-wal", "-shm")]
    return out
