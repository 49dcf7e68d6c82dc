"""Reading and changing the force's settings (defaults declared in ``beacon.config``)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from beacon import config
from beacon.access.models import ForceSetting
from beacon.db import utcnow
from beacon.errors import Invalid


def load(session: Session) -> dict[str, object]:
    values = config.defaults()
    for row in session.scalars(select(ForceSetting)):
        if row.name in values:
            values[row.name] = config.coerce_setting(row.name, row.value)
    return values


def save(session: Session, name: str, raw: str, by: str) -> object:
    try:
        value = config.coerce_setting(name, raw)
    except ValueError as exc:
        raise Invalid({name: str(exc).split(": ", 1)[-1]}) from exc
    row = session.get(ForceSetting, name)
    if row is None:
        row = ForceSetting(name=name)
        session.add(row)
    row.value, row.updated_at, row.updated_by = str(value), utcnow(), by
    return value
