"""Named data-access functions for incidents. Only this module (and the service, importer and
closure audit that call it) touches the session.

The live feed and the bulk import write through the same functions: Core bulk statements
(``INSERT … RETURNING``, executemany ``UPDATE``) rather than the ORM unit of work, so a million
logs load in minutes. Core statements bypass ``beacon.history``'s flush hooks, so every bulk
write here also writes its ``record_history`` rows itself (``history``), in the same
transaction and in the same shape the hooks write.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session, selectinload

from beacon.access.models import RecordHistory
from beacon.access.policy import ListScope, Principal
from beacon.cases.incidents.models import (
    PPU_CLOSINGS,
    AddressWarning,
    ClosureFlag,
    Incident,
    IncidentPerson,
    WorkItem,
)
from beacon.cases.incidents.schemas import address_key, canonical_postcode
from beacon.db import among, chunks
from beacon.history import _plain
from beacon.org.models import Division
from beacon.people.models import Location, Person

PRELOAD_AFTER = 50    # address lookups one at a time before reading every location once

INCIDENT = Incident.__table__
PERSON = Person.__table__
LOCATION = Location.__table__
LINK = IncidentPerson.__table__
WORK = WorkItem.__table__
WARNING = AddressWarning.__table__
HISTORY = RecordHistory.__table__


# --- history for Core writes ----------------------------------------------------------------------

_SCALARS = {str, int, float, bool}


def history(session: Session, user: Principal | None, now: datetime, table_name: str, operation: str,
            rows: list[tuple[int, dict]]) -> None:
    """``record_history`` rows for Core inserts/updates: ``rows`` is [(record id, changes)], where
    an insert's changes are its non-null columns and an update's are {column: [old, new]}."""
    if not rows:
        return
    who_id, who = (user.id, user.username) if user else (None, "system")
    out = []
    for record_id, changes in rows:
        if operation == "insert":
            changes = {k: [None, v if type(v) in _SCALARS else _plain(v)]
                       for k, v in changes.items() if v is not None and k != "version"}
            changes["id"] = [None, record_id]
        else:
            changes = {k: [_plain(old), _plain(new)] for k, (old, new) in changes.items() if k != "version"}
        out.append(dict(table_name=table_name, record_id=str(record_id), operation=operation, changed_at=now,
                        changed_by_id=who_id, changed_by=who,
                        changes=json.dumps(changes, default=str, sort_keys=True)))
    bulk_insert(session, HISTORY, out)


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _copy(session: Session, table, rows: list[dict]) -> None:
    """PostgreSQL ``COPY … FROM STDIN`` on the session's own connection (so in its transaction):
    the fastest way in, with none of a many-row ``VALUES`` list's parsing and planning."""
    columns = list(rows[0])
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({", ".join(columns)}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def bulk_insert(session: Session, table, rows: list[dict]) -> None:
    """Insert rows that need no ids back (each row with the same keys)."""
    if not rows:
        return
    if _is_postgresql(session):
        _copy(session, table, rows)
    else:
        session.execute(insert(table), rows)


def _insert_returning_ids(session: Session, table, rows: list[dict], key: tuple[str, ...]) -> list[int]:
    """Insert ``rows`` and return their ids in the rows' order. PostgreSQL: ids drawn from the
    table's sequence (safe alongside other writers), then ``COPY``. SQLite: a batched
    ``INSERT … RETURNING`` ("insertmanyvalues"), the ids matched back through the ``key`` columns
    rather than ``sort_by_parameter_order`` (which SQLite honours only one row at a time); rows
    with the same key are interchangeable."""
    if not rows:
        return []
    if _is_postgresql(session):
        ids = list(session.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table.name, "n": len(rows)}).scalars())
        for row, new_id in zip(rows, ids):
            row["id"] = new_id
        _copy(session, table, rows)
        return ids
    result = session.execute(insert(table).returning(table.c.id, *(table.c[k] for k in key)), rows)
    by_key: dict[tuple, list[int]] = {}
    for row in result:
        by_key.setdefault(tuple(row[1:]), []).append(row[0])
    return [by_key[tuple(r[k] for k in key)].pop() for r in rows]


# --- divisions, locations and people --------------------------------------------------------------

@dataclass
class Resolver:
    """Finds (and remembers) divisions by code, locations by address and people by name and date of
    birth for one import or one live-feed call. Locations have no index on address, so after a
    few single lookups it reads every location once and answers from memory."""
    session: Session
    divisions: dict[str, int] = field(default_factory=dict)
    division_codes: dict[int, str] = field(default_factory=dict)
    _locations: dict[tuple[str, str], tuple[int, int | None]] = field(default_factory=dict)
    _all_locations: bool = False
    _lookups: int = 0
    _people: dict[tuple[str, str, date], int] = field(default_factory=dict)
    _surnames: set[str] = field(default_factory=set)

    def __post_init__(self):
        for did, code in self.session.execute(select(Division.id, Division.code)):
            self.divisions[code.upper()] = did
            self.division_codes[did] = code

    # locations
    def preload_locations(self) -> None:
        if self._all_locations:
            return
        stmt = select(LOCATION.c.id, LOCATION.c.address, LOCATION.c.postcode, LOCATION.c.division_id) \
            .order_by(LOCATION.c.id.desc())   # lowest id wins for duplicate addresses
        found = {address_key(a, p): (i, d) for i, a, p, d in self.session.execute(stmt)}
        found.update(self._locations)
        self._locations, self._all_locations = found, True

    def location(self, address: str, postcode: str) -> tuple[int, int | None] | None:
        """(location id, its division) for an address already recorded, else None."""
        return self.location_at(address_key(address, postcode))

    def location_at(self, key: tuple[str, str]) -> tuple[int, int | None] | None:
        """``location`` for an ``address_key``."""
        if key in self._locations or self._all_locations:
            return self._locations.get(key)
        self._lookups += 1
        if self._lookups > PRELOAD_AFTER:
            self.preload_locations()
            return self._locations.get(key)
        try:
            spellings = sorted({key[1], canonical_postcode(key[1])})   # "NP201AA", "NP20 1AA"
        except ValueError:
            spellings = [key[1]]
        rows = self.session.execute(
            select(LOCATION.c.id, LOCATION.c.address, LOCATION.c.postcode, LOCATION.c.division_id)
            .where(LOCATION.c.postcode.in_(spellings), func.lower(LOCATION.c.address) == key[0])
            .order_by(LOCATION.c.id)).all()
        hit = next(((i, d) for i, a, p, d in rows if address_key(a, p) == key), None)
        if hit:
            self._locations[key] = hit
        return hit

    def remember_location(self, address: str, postcode: str, location_id: int, division_id: int | None) -> None:
        self._locations[address_key(address, postcode)] = (location_id, division_id)

    # people
    def load_surnames(self, surnames: set[str]) -> None:
        todo = sorted(surnames - self._surnames)
        for part in chunks(todo, 500):
            stmt = (select(PERSON.c.id, PERSON.c.forename_norm, PERSON.c.surname_norm, PERSON.c.date_of_birth)
                    .where(among(self.session, PERSON.c.surname_norm, part), PERSON.c.date_of_birth.is_not(None))
                    .order_by(PERSON.c.id.desc()))
            for pid, fn, sn, dob in self.session.execute(stmt):
                self._people[(fn, sn, dob)] = pid
        self._surnames.update(todo)

    def person(self, key: tuple[str, str, date]) -> int | None:
        """The person with (normalised forename, normalised surname, date of birth), if recorded."""
        return self._people.get(key)

    def remember_person(self, key: tuple[str, str, date], person_id: int) -> None:
        self._people[key] = person_id


def insert_locations(session: Session, rows: list[dict]) -> list[int]:
    for row in rows:
        row.setdefault("kind", "residential")
        row.setdefault("warning", "")
    return _insert_returning_ids(session, LOCATION, rows, ("address", "postcode"))


def insert_people(session: Session, rows: list[dict]) -> list[int]:
    for row in rows:
        row.setdefault("gender", "unknown")
        row.setdefault("version", 1)
    return _insert_returning_ids(session, PERSON, rows, ("forename", "surname", "date_of_birth"))


# --- incidents ------------------------------------------------------------------------------------

INCIDENT_COLUMNS = ("log_ref", "received_at", "closed_at", "opening_code", "closing_code", "narrative",
                    "location_id", "division_id", "source", "content_hash")


def incidents_by_ref(session: Session, refs: Sequence[str]) -> dict[str, dict]:
    """The stored columns of each log already recorded, keyed by log reference."""
    out: dict[str, dict] = {}
    cols = [INCIDENT.c.id, INCIDENT.c.version, *(INCIDENT.c[c] for c in INCIDENT_COLUMNS)]
    for part in chunks(list(refs)):
        for row in session.execute(select(*cols).where(among(session, INCIDENT.c.log_ref, part))):
            out[row.log_ref] = dict(row._mapping)
    return out


def divisions_by_ref(session: Session, refs: Sequence[str]) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for part in chunks(list(refs)):
        out.update(session.execute(select(INCIDENT.c.log_ref, INCIDENT.c.division_id)
                                   .where(among(session, INCIDENT.c.log_ref, part))).all())
    return out


def insert_incidents(session: Session, rows: list[dict]) -> list[int]:
    for row in rows:
        row["version"] = 1
    return _insert_returning_ids(session, INCIDENT, rows, ("log_ref",))


def update_incidents(session: Session, rows: list[dict]) -> None:
    """``rows``: {"b_id": id, column: value…} with the same columns in each."""
    if not rows:
        return
    cols = [c for c in rows[0] if c != "b_id"]
    stmt = (update(INCIDENT).where(INCIDENT.c.id == bindparam("b_id"))
            .values({c: bindparam(f"v_{c}") for c in cols} | {"version": INCIDENT.c.version + 1}))
    session.execute(stmt, [{"b_id": r["b_id"], **{f"v_{c}": r[c] for c in cols}} for r in rows])


def links_for(session: Session, incident_ids: Sequence[int]) -> list[tuple[int, int, str, str, str, date | None]]:
    """(incident id, person id, role, forename_norm, surname_norm, date of birth) for each link."""
    out = []
    for part in chunks(list(incident_ids)):
        out.extend(session.execute(
            select(LINK.c.incident_id, LINK.c.person_id, LINK.c.role, PERSON.c.forename_norm,
                   PERSON.c.surname_norm, PERSON.c.date_of_birth)
            .join(PERSON, PERSON.c.id == LINK.c.person_id).where(among(session, LINK.c.incident_id, part))).tuples())
    return out


def replace_links(session: Session, incident_ids: Sequence[int], rows: list[dict]) -> None:
    for part in chunks(list(incident_ids)):
        session.execute(delete(LINK).where(among(session, LINK.c.incident_id, part)))
    bulk_insert(session, LINK, rows)


def fetch_incident(session: Session, incident_id: int) -> Incident | None:
    stmt = select(Incident).where(Incident.id == incident_id).options(selectinload(Incident.people)) \
        .execution_options(populate_existing=True)
    return session.scalars(stmt).first()


def fetch_by_ref(session: Session, log_ref: str) -> Incident | None:
    return session.scalars(select(Incident).where(Incident.log_ref == log_ref)
                           .execution_options(populate_existing=True)).first()


def people_on(session: Session, incident_id: int) -> list[tuple[Person, str]]:
    stmt = (select(Person, IncidentPerson.role).join(IncidentPerson, IncidentPerson.person_id == Person.id)
            .where(IncidentPerson.incident_id == incident_id).order_by(IncidentPerson.role, Person.surname_norm))
    return [(p, role) for p, role in session.execute(stmt)]


def location(session: Session, location_id: int | None) -> Location | None:
    return session.get(Location, location_id) if location_id else None


def _scoped(stmt: Select, column, scope: ListScope) -> Select:
    if not scope.allowed:
        return stmt.where(False)
    if scope.division_ids is not None:
        stmt = stmt.where(column.in_(scope.division_ids))
    return stmt


def latest_incidents(session: Session, scope: ListScope, *, log_ref: str = "", limit: int = 25) -> list[Incident]:
    stmt = _scoped(select(Incident), Incident.division_id, scope)
    if log_ref:
        stmt = stmt.where(Incident.log_ref == log_ref)
    return list(session.scalars(stmt.order_by(Incident.received_at.desc(), Incident.id.desc()).limit(limit)))


# --- the public protection unit's work and address warnings ---------------------------------------

def work_items_for(session: Session, incident_ids: Sequence[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for part in chunks(list(incident_ids)):
        out.update(session.execute(select(WORK.c.incident_id, WORK.c.id).where(among(session, WORK.c.incident_id, part))).all())
    return out


def insert_work_items(session: Session, rows: list[dict]) -> list[tuple[int, int]]:
    """Insert, skipping any incident that already has its item (a concurrent closure): returns
    (work item id, incident id) for the rows actually inserted."""
    if not rows:
        return []
    for row in rows:
        row.setdefault("status", "open")
        row.setdefault("taken_by", "")
        row["version"] = 1
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    stmt = dialect_insert(WORK).on_conflict_do_nothing(index_elements=["incident_id"]) \
        .returning(WORK.c.id, WORK.c.incident_id)
    return [tuple(r) for r in session.execute(stmt, rows)]


def warnings_at(session: Session, location_ids: Sequence[int]) -> set[tuple[int, str, str]]:
    """(location id, kind, reason) of every warning at these locations."""
    out: set[tuple[int, str, str]] = set()
    for part in chunks(sorted(set(location_ids))):
        out.update(tuple(r) for r in session.execute(select(WARNING.c.location_id, WARNING.c.kind, WARNING.c.reason)
                                                     .where(among(session, WARNING.c.location_id, part))))
    return out


def insert_warnings(session: Session, rows: list[dict]) -> list[int]:
    return _insert_returning_ids(session, WARNING, rows, ("location_id", "kind", "reason"))


def warnings_for(session: Session, location_id: int) -> list[AddressWarning]:
    return list(session.scalars(select(AddressWarning).where(AddressWarning.location_id == location_id)
                                .order_by(AddressWarning.created_at.desc(), AddressWarning.id.desc())))


def work_item_for(session: Session, incident_id: int) -> WorkItem | None:
    return session.scalars(select(WorkItem).where(WorkItem.incident_id == incident_id)).first()


def fetch_work_item(session: Session, item_id: int) -> WorkItem | None:
    return session.get(WorkItem, item_id, populate_existing=True)


def work_queue(session: Session, scope: ListScope, *, log_ref: str = "", limit: int = 100,
               offset: int = 0) -> tuple[list[tuple[WorkItem, Incident]], int]:
    """Items not yet done, oldest first (answered from ix_ppu_work_item_queue), and how many in all."""
    base = _scoped(select(WorkItem.id), WorkItem.division_id, scope).where(WorkItem.status != "done")
    if log_ref:
        base = base.join(Incident, Incident.id == WorkItem.incident_id).where(Incident.log_ref == log_ref)
    total = session.scalar(select(func.count()).select_from(base.subquery()))
    stmt = (_scoped(select(WorkItem, Incident), WorkItem.division_id, scope)
            .join(Incident, Incident.id == WorkItem.incident_id).where(WorkItem.status != "done"))
    if log_ref:
        stmt = stmt.where(Incident.log_ref == log_ref)
    stmt = stmt.order_by(WorkItem.created_at, WorkItem.id).limit(limit).offset(offset)
    return [(w, i) for w, i in session.execute(stmt)], total


# --- the closure audit ------------------------------------------------------------------------------

def closed_not_ppu(session: Session, scope: ListScope, since: datetime, until: datetime,
                   after_id: int = 0, limit: int = 5000) -> list[tuple]:
    """(id, log_ref, closed_at, narrative, location_id, division_id) of logs closed in [since, until)
    with a closing code that is not a public protection one, by id, one page after ``after_id``."""
    stmt = _scoped(select(INCIDENT.c.id, INCIDENT.c.log_ref, INCIDENT.c.closed_at, INCIDENT.c.narrative,
                          INCIDENT.c.location_id, INCIDENT.c.division_id), INCIDENT.c.division_id, scope)
    stmt = stmt.where(INCIDENT.c.closed_at >= since, INCIDENT.c.closed_at < until,
                      INCIDENT.c.closing_code.not_in(PPU_CLOSINGS), INCIDENT.c.id > after_id)
    return list(session.execute(stmt.order_by(INCIDENT.c.id).limit(limit)).tuples())


def people_of(session: Session, incident_ids: Sequence[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for part in chunks(list(incident_ids)):
        for iid, pid in session.execute(select(LINK.c.incident_id, LINK.c.person_id).where(among(session, LINK.c.incident_id, part))):
            out.setdefault(iid, []).append(pid)
    return out


def ppu_closures_of(session: Session, person_ids: Sequence[int]) -> list[tuple[int, int, str, str, datetime]]:
    """(person id, incident id, log ref, closing code, closed at) of every log closed as domestic or
    child protection that one of these people was on."""
    out = []
    for part in chunks(sorted(set(person_ids))):
        out.extend(session.execute(
            select(LINK.c.person_id, INCIDENT.c.id, INCIDENT.c.log_ref, INCIDENT.c.closing_code, INCIDENT.c.closed_at)
            .join(INCIDENT, INCIDENT.c.id == LINK.c.incident_id)
            .where(among(session, LINK.c.person_id, part), INCIDENT.c.closing_code.in_(PPU_CLOSINGS),
                   INCIDENT.c.closed_at.is_not(None))).tuples())
    return out


def warnings_in_effect(session: Session, location_ids: Sequence[int]) -> list[tuple[int, int | None, str, str, datetime]]:
    """(location id, incident id, kind, reason, in effect from) for warnings at these locations: from
    the closure of the log that raised the warning, or from when it was recorded."""
    out = []
    for part in chunks(sorted(set(location_ids))):
        stmt = (select(WARNING.c.location_id, WARNING.c.incident_id, WARNING.c.kind, WARNING.c.reason,
                       func.coalesce(INCIDENT.c.closed_at, WARNING.c.created_at))
                .outerjoin(INCIDENT, INCIDENT.c.id == WARNING.c.incident_id)
                .where(among(session, WARNING.c.location_id, part)))
        out.extend(session.execute(stmt).tuples())
    return out


def flags_for(session: Session, incident_ids: Sequence[int]) -> dict[int, ClosureFlag]:
    out: dict[int, ClosureFlag] = {}
    for part in chunks(list(incident_ids)):
        out.update({f.incident_id: f for f in session.scalars(select(ClosureFlag).where(among(session, ClosureFlag.incident_id, part)))})
    return out


def list_flags(session: Session, scope: ListScope, status: str, limit: int, offset: int) -> tuple[list[tuple[ClosureFlag, Incident]], int]:
    base = _scoped(select(ClosureFlag, Incident).join(Incident, Incident.id == ClosureFlag.incident_id),
                   Incident.division_id, scope)
    if status != "all":
        base = base.where(ClosureFlag.status == status)
    total = session.scalar(select(func.count()).select_from(base.with_only_columns(ClosureFlag.id).subquery()))
    rows = session.execute(base.order_by(ClosureFlag.flagged_at, ClosureFlag.id).limit(limit).offset(offset))
    return [(f, i) for f, i in rows], total


def fetch_flag(session: Session, flag_id: int) -> ClosureFlag | None:
    return session.get(ClosureFlag, flag_id, populate_existing=True)
