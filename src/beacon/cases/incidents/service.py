"""Incidents from command and control: every call checks access, writes through the repository
and queues the access-log entry. The live feed (``receive``), the bulk import
(``beacon.cases.incidents.importer``) and the closure audit's confirmation all write logs
through ``upsert`` and ``apply_closures``, so the closure rule is one piece of code:

    When a log is (or becomes) closed as ``domestic`` or ``child_protection``, in the same
    transaction: the public protection unit's work item for the log's division (one per log,
    however often the log is re-sent), and a warning marker on the log's address naming the
    log (unless that same warning is already there).

HMIC, Gwent Police inspection (October 2007), Child Abuse and Domestic Violence: "every command
and control log that is closed as a child protection [DV] incident automatically transfers to a
PPU… ensuring that addresses are flagged on command and control, enabling an appropriate
response to future incidents".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from beacon.access.audit import load_for, note, require
from beacon.access.policy import Action, Principal, decide, scope
from beacon.cases.incidents import repository as repo
from beacon.cases.incidents.models import AddressWarning, Incident, WorkItem
from beacon.cases.incidents.schemas import (
    PPU_LABELS,
    CloseIn,
    LogRecord,
    WorkItemUpdateIn,
    future_errors,
    ppu_kind,
)
from beacon.errors import Conflict, Invalid, NotFound
from beacon.people import repository as people_repo
from beacon.people.models import Location, Person, normalise
from beacon.people.redact import pseudonym

RECORD = "incident"
WORK = "ppu_work"


def warning_reason(log_ref: str, kind: str) -> str:
    return f"Log {log_ref} was closed as a {PPU_LABELS[kind]}"


@dataclass(frozen=True)
class Closure:
    incident_id: int
    log_ref: str
    location_id: int | None
    division_id: int | None
    kind: str


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    work_items: list[tuple[int, int]] = field(default_factory=list)   # (work item id, incident id)
    warnings: int = 0
    outcomes: dict[str, tuple[int, str]] = field(default_factory=dict)  # log_ref -> (incident id, outcome)


def division_for(resolver: repo.Resolver, record: LogRecord) -> tuple[int | None, str]:
    """The log's division: the code it gives, else the division of its (already known) address.
    Returns (division id, "") or (None, why not)."""
    if record.division:
        did = resolver.divisions.get(record.division)
        return (did, "") if did else (None, f"there is no division with code {record.division}")
    hit = resolver.location_at(record.place_key)
    if hit and hit[1]:
        return hit[1], ""
    return None, "the address is not yet known to Beacon with a division: give the division code"


def upsert(session: Session, user: Principal, records: list[LogRecord], now: datetime, *, source: str,
           resolver: repo.Resolver) -> UpsertResult:
    """Write a batch of validated logs (log references unique within the batch), idempotently on
    the log reference: a log not seen before is created, one re-sent unchanged (same content
    hash) is left alone, one that changed is updated. Then the closure rule. Raises Invalid for a
    log whose division cannot be found and Forbidden (logged) for one the user may not write."""
    result = UpsertResult()
    allowed: set[tuple[Action, int | None]] = set()
    existing = repo.incidents_by_ref(session, [r.log_ref for r in records])
    plan: list[tuple[LogRecord, int, dict | None, str]] = []
    new_addresses: dict[tuple[str, str], int] = {}   # an address first seen earlier in this batch
    for record in records:
        key = record.place_key
        if not record.division and key in new_addresses:
            division_id, problem = new_addresses[key], ""
        else:
            division_id, problem = division_for(resolver, record)
        if division_id is None:
            raise Invalid({"division": problem})
        if resolver.location_at(key) is None:
            new_addresses.setdefault(key, division_id)
        old = existing.get(record.log_ref)
        if old is None:
            _require(session, user, allowed, Action.CREATE, record.log_ref, division_id)
        else:
            _require(session, user, allowed, Action.UPDATE, old["id"], old["division_id"])
            _require(session, user, allowed, Action.UPDATE, old["id"], division_id)
        digest = record.content_hash()
        if old is not None and old["content_hash"] == digest:
            result.unchanged += 1
            result.outcomes[record.log_ref] = (old["id"], "unchanged")
            continue
        plan.append((record, division_id, old, digest))
    if not plan:
        return result

    location_ids = _locations(session, user, now, resolver, plan)
    people = _people(session, user, now, resolver, plan)

    new_rows, new_plan, updates, update_history = [], [], [], []
    for (record, division_id, old, digest), location_id in zip(plan, location_ids):
        values = dict(received_at=record.received_at, closed_at=record.closed_at,
                      opening_code=record.opening_code, closing_code=record.closing_code,
                      narrative=record.narrative, location_id=location_id, division_id=division_id,
                      source=source, content_hash=digest)
        if old is None:
            new_rows.append(dict(log_ref=record.log_ref, **values))
            new_plan.append(record)
        else:
            updates.append(dict(b_id=old["id"], **values))
            changes = {k: (old[k], v) for k, v in values.items() if old[k] != v}
            update_history.append((old["id"], changes))
    new_ids = repo.insert_incidents(session, new_rows)
    repo.history(session, user, now, "incident", "insert", list(zip(new_ids, new_rows)))
    repo.update_incidents(session, updates)
    repo.history(session, user, now, "incident", "update", update_history)

    ids_by_ref = {r.log_ref: i for r, i in zip(new_plan, new_ids)}
    ids_by_ref.update({old["log_ref"]: old["id"] for _, _, old, _ in plan if old is not None})
    links = []
    for n, (record, *_rest) in enumerate(plan):
        iid = ids_by_ref[record.log_ref]
        links.extend(dict(incident_id=iid, person_id=pid, role=role) for pid, role in people[n])
    repo.replace_links(session, [old["id"] for _, _, old, _ in plan if old is not None], links)

    closures = []
    for (record, division_id, old, _), location_id in zip(plan, location_ids):
        iid = ids_by_ref[record.log_ref]
        result.outcomes[record.log_ref] = (iid, "created" if old is None else "updated")
        if old is None:
            result.created += 1
        else:
            result.updated += 1
        if record.ppu_kind:
            closures.append(Closure(iid, record.log_ref, location_id, division_id, record.ppu_kind))
    result.work_items, result.warnings = apply_closures(session, user, closures, now)
    return result


def _require(session: Session, user: Principal, allowed: set, action: Action, record_id: object,
             division_id: int | None) -> None:
    """``require``, asked once per action and division in a batch (a refusal raises, so only
    permissions granted are remembered)."""
    if (action, division_id) not in allowed:
        require(session, user, action, RECORD, record_id, division_id)
        allowed.add((action, division_id))


def _locations(session, user, now, resolver: repo.Resolver, plan) -> list[int]:
    """The location id of each planned log, creating the addresses not yet recorded."""
    keys, new = [], {}
    for record, division_id, _old, _digest in plan:
        key = record.place_key
        keys.append(key)
        if resolver.location_at(key) is None and key not in new:
            new[key] = dict(address=record.address, postcode=record.postcode, division_id=division_id)
    rows = list(new.values())
    ids = repo.insert_locations(session, rows)
    for row, lid in zip(rows, ids):
        resolver.remember_location(row["address"], row["postcode"], lid, row["division_id"])
    repo.history(session, user, now, "location", "insert", list(zip(ids, rows)))
    return [resolver.location_at(key)[0] for key in keys]


def _people(session, user, now, resolver: repo.Resolver, plan) -> list[list[tuple[int, str]]]:
    """[(person id, role)] for each planned log. A person with a date of birth is matched on
    normalised forename and surname and date of birth; one without is never matched to anyone
    else (a name alone is not enough to say two records are one person), except that a log
    re-sent with the same undated person keeps the person it already had."""
    resolver.load_surnames({normalise(p.surname) for record, *_ in plan for p in record.people if p.date_of_birth})
    olds = [old["id"] for _, _, old, _ in plan if old is not None]
    undated = {(iid, fn, sn): pid for iid, pid, _role, fn, sn, dob in repo.links_for(session, olds) if dob is None}
    new: dict[tuple, dict] = {}
    wanted: list[list[tuple[object, str]]] = []
    for n, (record, _division, old, _digest) in enumerate(plan):
        mine = []
        for m, p in enumerate(record.people):
            fn, sn = normalise(p.forename), normalise(p.surname)
            if p.date_of_birth:
                key = (fn, sn, p.date_of_birth)
                pid = resolver.person(key)
            else:
                pid = undated.get((old["id"], fn, sn)) if old is not None else None
                key = ("undated", n, m)
            if pid is None:
                new.setdefault(key, dict(forename=p.forename, surname=p.surname, forename_norm=fn, surname_norm=sn,
                                         date_of_birth=p.date_of_birth))
                mine.append((key, p.role))
            else:
                mine.append((pid, p.role))
        wanted.append(mine)
    rows = list(new.values())
    ids = repo.insert_people(session, rows)
    created = dict(zip(new.keys(), ids))
    for key, pid in created.items():
        if key[0] != "undated":
            resolver.remember_person(key, pid)
    repo.history(session, user, now, "person", "insert", list(zip(ids, rows)))
    return [[(created[k] if isinstance(k, tuple) else k, role) for k, role in mine] for mine in wanted]


def apply_closures(session: Session, user: Principal, closures: list[Closure], now: datetime) -> tuple[list[tuple[int, int]], int]:
    """The closure rule for logs closed as domestic or child protection: each log's work item
    (unless it has one) and a warning at its address (unless the same warning is there).
    Returns ([(work item id, incident id)] created, warnings created)."""
    if not closures:
        return [], 0
    have = repo.work_items_for(session, [c.incident_id for c in closures])
    rows = {c.incident_id: dict(incident_id=c.incident_id, kind=c.kind, division_id=c.division_id, created_at=now)
            for c in closures if c.incident_id not in have}
    created = repo.insert_work_items(session, list(rows.values()))
    repo.history(session, user, now, "ppu_work_item", "insert", [(wid, rows[iid]) for wid, iid in created])
    seen = repo.warnings_at(session, [c.location_id for c in closures if c.location_id])
    warnings = []
    for c in closures:
        if c.location_id is None:
            continue
        key = (c.location_id, c.kind, warning_reason(c.log_ref, c.kind))
        if key not in seen:
            seen.add(key)
            warnings.append(dict(location_id=c.location_id, kind=c.kind, reason=key[2], incident_id=c.incident_id,
                                 created_at=now))
    ids = repo.insert_warnings(session, warnings)
    repo.history(session, user, now, "address_warning", "insert", list(zip(ids, warnings)))
    return created, len(warnings)


# --- the live feed and reading ---------------------------------------------------------------------

def receive(session: Session, user: Principal, record: LogRecord, now: datetime) -> tuple[Incident, str]:
    """One log from the live command-and-control feed: created, updated or unchanged (idempotent on
    the log reference), with the closure rule applied in the same transaction."""
    if errors := future_errors(record, now):
        raise Invalid(errors)
    session.info.setdefault("user", user)
    try:
        result = upsert(session, user, [record], now, source="api", resolver=repo.Resolver(session))
    except IntegrityError:
        # the same new log sent twice at the same moment: the other copy won; this one is refused
        # whole (the transaction rolls back) and a retry finds the log recorded.
        raise Conflict(f"log {record.log_ref} was being recorded by another request at the same moment; "
                       f"send it again") from None
    incident_id, outcome = result.outcomes[record.log_ref]
    action = {"created": "create", "updated": "update", "unchanged": "read"}[outcome]
    note(session, user, action, RECORD, incident_id, detail=f"live feed, {outcome}: {record.log_ref}")
    for wid, _iid in result.work_items:
        note(session, user, "create", WORK, wid, detail=f"automatic: log {record.log_ref} closed as {record.ppu_kind}")
    return repo.fetch_incident(session, incident_id), outcome


def may_close(user: Principal, incident: Incident) -> bool:
    return bool(decide(user, Action.UPDATE, RECORD, incident.division_id))


def close(session: Session, user: Principal, incident_id: int, data: CloseIn, now: datetime) -> tuple[Incident, list[int]]:
    """Close an open log from Beacon. A domestic or child-protection closing applies the closure
    rule in the same transaction (work item, address warning). A log already closed, or changed
    since the closer saw it, is a conflict: closing twice never creates a second work item."""
    incident = _load(session, user, incident_id, Action.UPDATE)
    if incident.closed_at is not None:
        raise Conflict(f"log {incident.log_ref} was already closed as {incident.closing_code} "
                       f"at {incident.closed_at:%d %b %Y %H:%M} UTC")
    if data.version != incident.version:
        raise Conflict(f"log {incident.log_ref} has changed since you opened it; reload it and close it again")
    if now < incident.received_at:
        raise Invalid({"closed_at": "cannot be before the log was received"})
    kind = ppu_kind(data.closing_code)
    incident.closing_code = kind or data.closing_code
    incident.closed_at = now
    if data.note:
        incident.narrative = (incident.narrative + "\n" if incident.narrative else "") + f"Closed by {user.username}: {data.note}"
    incident.content_hash = ""   # the feed's next copy of this log is taken as a change, not a repeat
    session.flush()
    created: list[int] = []
    if kind:
        pairs, _ = apply_closures(session, user, [Closure(incident.id, incident.log_ref, incident.location_id,
                                                          incident.division_id, kind)], now)
        created = [wid for wid, _ in pairs]
    note(session, user, "update", RECORD, incident.id, detail=f"closed as {incident.closing_code}")
    for wid in created:
        note(session, user, "create", WORK, wid, detail=f"automatic: log {incident.log_ref} closed as {kind}")
    return incident, created


def _load(session: Session, user: Principal, incident_id: int, action: Action) -> Incident:
    return load_for(session, user, RECORD, incident_id, action)


def get_incident(session: Session, user: Principal, incident_id: int) -> Incident:
    incident = _load(session, user, incident_id, Action.READ)
    note(session, user, "read", RECORD, incident_id)
    return incident


def find_incident(session: Session, user: Principal, log_ref: str) -> Incident | None:
    """The log with this reference, if the user may read it (a refusal is logged and raised)."""
    incident = repo.fetch_by_ref(session, log_ref.strip())
    if incident is None:
        note(session, user, "search", RECORD, "", detail=f"log_ref={log_ref[:40]}: none")
        return None
    require(session, user, Action.READ, RECORD, incident.id, incident.division_id)
    note(session, user, "search", RECORD, "", detail=f"log_ref={log_ref[:40]}: ids={incident.id}")
    return incident


def latest(session: Session, user: Principal, limit: int = 25) -> list[Incident]:
    s = scope(user, RECORD)
    if not s.allowed:
        require(session, user, Action.READ, RECORD)
    rows = repo.latest_incidents(session, s, limit=limit)
    note(session, user, "list", RECORD, "", detail="latest ids=" + ",".join(str(i.id) for i in rows))
    return rows


@dataclass
class IncidentDetail:
    incident: Incident
    location: Location | None
    people: list[tuple[Person, str]]
    warnings: list[AddressWarning]
    work_item: WorkItem | None
    sent_to_ppu: bool = False     # a work item exists, whether or not the reader may see it


def detail(session: Session, user: Principal, incident: Incident) -> IncidentDetail:
    """What the incident page and the API show: the log, its people, every warning at its address
    (so whoever handles a later incident there sees them), and its public protection work item
    for those who may read work items (logged); others learn only that one was made."""
    item = repo.work_item_for(session, incident.id)
    shown = item if item is not None and decide(user, Action.READ, WORK, item.division_id) else None
    if shown is not None:
        note(session, user, "read", WORK, shown.id, detail=f"with log {incident.id}")
    return IncidentDetail(incident, repo.location(session, incident.location_id), repo.people_on(session, incident.id),
                          warnings_for(session, incident.location_id), shown, item is not None)


def warnings_for(session: Session, location: Location | int | None) -> list[AddressWarning]:
    """Every warning marker at an address, newest first."""
    location_id = location.id if isinstance(location, Location) else location
    return repo.warnings_for(session, location_id) if location_id else []


# --- the public protection unit's queue --------------------------------------------------------------

def work_queue(session: Session, user: Principal, *, log_ref: str = "", limit: int = 100, offset: int = 0):
    """The specialist's queue: items not yet done in the user's division, oldest first; and the total."""
    s = scope(user, WORK)
    if not s.allowed:
        require(session, user, Action.READ, WORK)
    rows, total = repo.work_queue(session, s, log_ref=log_ref.strip(), limit=limit, offset=offset)
    places = people_repo.locations_by_id(session, [i.location_id for _, i in rows])
    note(session, user, "list", WORK, "", detail="queue ids=" + ",".join(str(w.id) for w, _ in rows))
    return rows, total, places


def update_work_item(session: Session, user: Principal, item_id: int, data: WorkItemUpdateIn) -> WorkItem:
    item = repo.fetch_work_item(session, item_id)
    if item is None:
        note(session, user, "update", WORK, item_id, "not_found")
        raise NotFound(f"no work item {item_id}")
    require(session, user, Action.UPDATE, WORK, item_id, item.division_id)
    if item.version != data.version:
        raise Conflict(f"work item {item_id} was changed by someone else (you had version {data.version}, it is now "
                       f"version {item.version}); reload it and try again", item.version)
    session.info.setdefault("user", user)
    item.status = data.status
    item.taken_by = "" if data.status == "open" else (item.taken_by or user.username)
    session.flush()
    note(session, user, "update", WORK, item_id, detail=f"status={data.status}")
    return item


def age_text(seconds: int) -> str:
    minutes = max(0, seconds) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def person_label(person: Person, pseudonymised: bool) -> str:
    return pseudonym(person.id) if pseudonymised else person.full_name


def dob_shown(person: Person, pseudonymised: bool) -> date | None:
    return None if pseudonymised else person.date_of_birth
