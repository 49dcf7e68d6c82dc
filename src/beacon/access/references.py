"""Referencing is access: every record number an input body names is resolved here, with the
same check (and the same access-log entry) a direct read of that record makes.

A create or update that takes ``child_id``, ``victim_id``, ``incident_id``... must never learn
more about a record than its caller could read directly, and linking a record to a person must
never become a way to read that person. So each input field that names a record is typed
``beacon.schemas.ref(kind)``; the service calls ``resolve(session, user, data)`` before it
does anything else, and gets back the records, each one checked:

- a record the caller may not read is a 403, logged as a refused read naming the field;
- a record that does not exist is a 422 naming the field (as a direct read would say 404);
- a person is readable by a force-wide role, or by anyone who may read a record naming them in
  their own division and at their vetting (the rule the person page applies).

A test walks every input model and fails on a record number that is not a ``ref``.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from beacon.access.audit import note
from beacon.access.policy import Action, Principal, decide, scope
from beacon.access.records import person_links, record_type
from beacon.errors import Forbidden, Invalid
from beacon.org.roles import Vetting
from beacon.schemas import Ref

PERSON = "person"


def references(data: BaseModel, prefix: str = "") -> Iterator[tuple[str, str, int]]:
    """(key, kind, record number) for every ``ref`` field set in ``data``, nested models and lists
    included. The key is the field's path (``children.0.person_id``); an item of a list of record
    numbers is ``referral_ids.0``, and its errors name the list (``referral_ids``)."""
    for name, info in type(data).model_fields.items():
        value = getattr(data, name)
        if value is None:
            continue
        path = f"{prefix}{name}"
        kind = _kind(info.metadata) or _kind_in(info.annotation)
        if kind is not None and kind.startswith("@"):   # the kind is another field's value
            kind = str(getattr(data, kind[1:]))
        if kind is not None:
            for i, number in enumerate(value if isinstance(value, (list, tuple)) else [value]):
                yield (f"{path}.{i}" if isinstance(value, (list, tuple)) else path), kind, number
        elif isinstance(value, BaseModel):
            yield from references(value, path + ".")
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from references(item, f"{path}.{i}.")


def _kind(metadata) -> str | None:
    return next((m.kind for m in metadata if isinstance(m, Ref)), None)


def _kind_in(annotation) -> str | None:
    """The Ref inside Optional[...] / list[...] / Annotated[...]."""
    metadata = getattr(annotation, "__metadata__", None)
    if metadata:
        found = _kind(metadata)
        if found:
            return found
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _kind_in(arg)
        if found:
            return found
    return None


def resolve(session: Session, user: Principal, data: BaseModel) -> dict[str, Any]:
    """Every record ``data`` names, by field path, each checked as a direct read would be."""
    return {key: resolve_one(session, user, kind, number, _field(key)) for key, kind, number in references(data)}


def _field(key: str) -> str:
    head, _, last = key.rpartition(".")
    return head if head and last.isdigit() else key


def resolve_one(session: Session, user: Principal, kind: str, number: int, field: str) -> Any:
    """The record ``number`` of ``kind`` named in ``field``, if the caller may read it."""
    rt = record_type(kind)
    record = session.get(rt.model, number)
    if record is None:
        raise Invalid({field: f"no {rt.noun} {number}"})
    if kind == PERSON:
        reason = person_refusal(session, user, number)
    elif not rt.sensitive:
        reason = None
    else:
        division = rt.division(session, record) if rt.division else None
        vetting = rt.vetting(record) if rt.vetting else Vetting.RV
        decision = decide(user, Action.READ, rt.checked_as, division, vetting)
        reason = None if decision else decision.reason
        if reason is None and rt.guard is not None:
            reason = rt.guard(session, user, record)
    if reason is not None:
        note(session, user, "read", rt.checked_as, number, "denied", f"named in {field}: {reason}")
        raise Forbidden(f"{field}: {reason}")
    if rt.sensitive:
        note(session, user, "link", rt.checked_as, number, detail=f"named in {field}")
    return record


def person_refusal(session: Session, user: Principal, person_id: int) -> str | None:
    """None if ``user`` may read the person, else why not."""
    own = scope(user, PERSON)
    if not own.allowed:
        return f"role {user.role.value} may not read person"
    if own.division_ids is None:
        return None
    return None if person_visible(session, user, person_id) else "no record naming this person is in your division"


def person_visible(session: Session, user: Principal, person_id: int) -> bool:
    """Does a record the user may read in their own division name the person?"""
    for record_name, link in person_links():
        s = scope(user, record_name)
        if not s.allowed:
            continue
        stmt = select(link.person).where(link.person == person_id)
        if link.join is not None:
            stmt = link.join(stmt)
        if s.division_ids is not None:
            if link.division is None:
                continue
            stmt = stmt.where(link.division.in_(s.division_ids))
        if link.vetting is not None:
            stmt = stmt.where(link.vetting.in_(s.vetting_levels))
        if link.where is not None:
            clause = link.where(user)
            if clause is not None:
                stmt = stmt.where(clause)
        if session.scalar(select(exists(stmt))):
            return True
    return False
