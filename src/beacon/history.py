"""Who-changed-what history for case records, written in the same transaction as the change.

A ``before_flush`` hook collects the changed columns of every tracked object; an ``after_flush``
hook (when new rows have ids) inserts the history rows on the same connection. The acting
user is ``session.info["user"]`` (a Principal), set by the service layer.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from enum import Enum

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from beacon.access.models import RecordHistory
from beacon.db import utcnow

TRACKED: set[type] = set()


def track(cls: type) -> type:
    TRACKED.add(cls)
    return cls


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _changes(obj, insert: bool) -> dict:
    state = inspect(obj)
    out = {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        if insert:
            value = getattr(obj, attr.key)
            if value is not None:
                out[attr.key] = [None, _plain(value)]
        elif hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            out[attr.key] = [_plain(old), _plain(new)]
    return out


@event.listens_for(Session, "before_flush")
def _collect(session: Session, _ctx, _instances) -> None:
    pending = session.info.setdefault("_history", [])
    for obj in session.new:
        if type(obj) in TRACKED:
            pending.append(("insert", obj, None))
    for obj in session.dirty:
        if type(obj) in TRACKED and session.is_modified(obj, include_collections=False):
            pending.append(("update", obj, _changes(obj, insert=False)))
    for obj in session.deleted:
        if type(obj) in TRACKED:
            pending.append(("delete", obj, {}))


@event.listens_for(Session, "after_flush")
def _write(session: Session, _ctx) -> None:
    pending = session.info.pop("_history", [])
    if not pending:
        return
    user = session.info.get("user")
    now = utcnow()
    rows = []
    for operation, obj, changes in pending:
        if operation == "insert":
            changes = _changes(obj, insert=True)
        changes.pop("version", None)
        key = inspect(obj).mapper.primary_key_from_instance(obj)
        rows.append(dict(table_name=obj.__tablename__, record_id="/".join(str(k) for k in key), operation=operation,
                         changed_at=now, changed_by_id=user.id if user else None,
                         changed_by=user.username if user else "system",
                         changes=json.dumps(changes, default=str, sort_keys=True)))
    session.connection().execute(RecordHistory.__table__.insert(), rows)
