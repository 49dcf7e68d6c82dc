"""Reading the access log in tests: both chains (work and events), as ``beacon.access.log.all_entries``."""
from __future__ import annotations

from beacon.access.log import all_entries


def entries(sessions, **match) -> list:
    """Every entry whose attributes equal ``match`` (a value may be a set: any of them)."""
    with sessions() as s:
        rows = all_entries(s)

    def fits(e) -> bool:
        return all((getattr(e, k) in v) if isinstance(v, (set, frozenset)) else getattr(e, k) == v
                   for k, v in match.items())

    return [e for e in rows if fits(e)]


def mark(sessions) -> tuple[int, int]:
    """Where the two chains (work, events) end now: ``since`` reads the entries written after."""
    return since(sessions, (-1, -1), columns=False)[1]


def since(sessions, at: tuple[int, int], columns: bool = True) -> tuple[list, tuple[int, int]]:
    """The entries of both chains written after ``at`` (from ``mark``, or the last ``since``), work
    before events, as rows with the entry's columns; and the new mark."""
    from sqlalchemy import func, select

    from beacon.access.models import AccessEvent, AccessLogEntry
    from beacon.access.store import store_for

    def read(session, model, after):
        if not columns:
            return [], session.scalar(select(func.coalesce(func.max(model.seq), 0)))
        rows = session.execute(select(model.seq, model.username, model.action, model.record_type, model.record_id,
                                      model.outcome, model.detail).where(model.seq > after).order_by(model.seq)).all()
        return rows, rows[-1].seq if rows else after

    with sessions() as s:
        work, work_at = read(s, AccessLogEntry, at[0])
        store = store_for(s.get_bind())
        if store.separate:
            with store.sessions() as events_session:
                events, events_at = read(events_session, AccessEvent, at[1])
        else:
            events, events_at = read(s, AccessEvent, at[1])
    return work + events, (work_at, events_at)
