"""One unit of work: the business writes, their access-log entries and their history commit
together or not at all; what the work read or was refused is logged whether or not it committed.

The order matters (ADR 0013): flush the work; append its work-chain entries in the same
transaction; commit; anchor the chain's new head outside the database; then append the reads,
refusals and rolled-back attempts to the event chain, before the caller (a request, the CLI)
hands anything back.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

from beacon.access import log
from beacon.access.audit import take
from beacon.access.store import store_for
from beacon.faults import crash_point


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    session = factory()
    store = store_for(session.get_bind())
    committed, head, pending = False, None, []
    try:
        yield session
        session.flush()
        pending = take(session)
        head = log.append_work(session, [e for e in pending if e.records_work], store)
        crash_point("commit.before")
        session.commit()
        committed = True
        crash_point("commit.after")
    except BaseException:
        session.rollback()
        raise
    finally:
        try:
            pending += take(session)
            if committed:
                log.anchor_head(store, head)
                crash_point("anchor.after")
                events = [e for e in pending if not e.records_work]
            else:
                events = [e.rolled_back() if e.records_work else e for e in pending]
            log.append_events(store, events)
        finally:
            session.close()
