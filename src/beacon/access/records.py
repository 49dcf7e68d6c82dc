"""What each kind of record is, for access: its table, the division and vetting it is held at,
and the people it names. Each domain declares its record types at the foot of its models
module (one row each, the datasette pattern), so the access layer can resolve a record number it has never
heard of, and a person is readable wherever a record naming them is.

``MATRIX`` in ``beacon.access.policy`` says who may do what to a record type; this registry
says where a record of that type sits. Organisation records (divisions, forces, partner
bodies) are declared with ``sensitive=False``: any signed-in user may name one, and whether
they may *act* there is the create or update check's business.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from beacon.org.models import Division, Force, PartnerBody
from beacon.org.roles import Vetting
from beacon.people.models import Person

DivisionOf = Callable[[Session, Any], "int | None"]
"""The division a record is held at (None: held force-wide, seen only by force-wide roles)."""

Guard = Callable[[Session, Any, Any], "str | None"]
"""A domain rule beyond the matrix, given (session, user, record): the reason to refuse, or None."""


@dataclass(frozen=True)
class PersonLink:
    """A column of a record type's table that names a person, and the record's division column,
    so "may this user read person P" is one EXISTS query per link."""
    person: InstrumentedAttribute
    division: InstrumentedAttribute | None
    vetting: InstrumentedAttribute | None = None
    join: Callable[[Any], Any] | None = None   # select -> select, when the division is on another table
    where: Callable[[Any], Any] | None = None  # user -> an extra clause (a partner sees its own agency's only)
    record: InstrumentedAttribute | None = None   # the column holding the record's id, when not the table's id


@dataclass(frozen=True)
class RecordType:
    name: str
    noun: str
    model: type
    division: DivisionOf | None = None
    vetting: Callable[[Any], Vetting] | None = None
    guard: Guard | None = None
    people: tuple[PersonLink, ...] = ()
    sensitive: bool = True
    matrix: str | None = None        # the access-matrix record type checked, when not ``name``
    places: tuple[InstrumentedAttribute, ...] = ()   # columns naming a Location (an incident's place)

    @property
    def checked_as(self) -> str:
        return self.matrix or self.name


REGISTRY: dict[str, RecordType] = {}


def declare(record_type: RecordType) -> RecordType:
    """Register a record type (once: a second declaration of the same name is a mistake)."""
    existing = REGISTRY.get(record_type.name)
    if existing is not None and existing.model is not record_type.model:
        raise ValueError(f"record type {record_type.name!r} is declared twice")
    REGISTRY[record_type.name] = record_type
    return record_type


def column(name: str) -> DivisionOf:
    """The division is a column of the record itself."""
    return lambda _session, record: getattr(record, name)


def record_type(name: str) -> RecordType:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"no record type {name!r}: declare it beside its model") from None


def people_named(session: Session, name: str, record_id: int | None) -> list[int]:
    """The ids of the people a record names (a risk form's victim and perpetrator), by its declared
    links: how one domain learns who another's record is about without importing it."""
    if record_id is None:
        return []
    out: list[int] = []
    for link in record_type(name).people:
        key = link.record if link.record is not None else record_type(name).model.id
        out += [p for p in session.scalars(select(link.person).where(key == record_id)) if p is not None]
    return list(dict.fromkeys(out))


def places_named(session: Session, name: str, record_id: int | None) -> list[int]:
    """The ids of the Locations a record names (an incident's place), by its declared columns."""
    rt = record_type(name)
    if record_id is None or not rt.places:
        return []
    row = session.execute(select(*rt.places).where(rt.model.id == record_id)).first()
    return [p for p in (row or ()) if p is not None]


def person_links() -> list[tuple[str, PersonLink]]:
    """Every (record type, link) naming a person. Complete once ``beacon.models`` is imported (the
    app, the CLI and the migrations do); a domain not yet imported fails closed (its links are not
    counted, so a person seen only there is refused, never wrongly shown)."""
    return [(rt.name, link) for rt in REGISTRY.values() for link in rt.people]


# Organisation records and the shared Person; each domain declares its own at the foot of its models.
declare(RecordType("person", "person", Person))
declare(RecordType("division", "division", Division, sensitive=False))
declare(RecordType("force", "force", Force, sensitive=False))
declare(RecordType("partner", "partner agency", PartnerBody, sensitive=False))
