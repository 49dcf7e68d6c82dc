"""Named queries for the shared Person and Location: every domain finds and adds people and
places here, never in another domain's repository."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from beacon.db import among, chunks
from beacon.people.models import Location, Person, normalise


def locations_by_id(session: Session, ids: Iterable[int | None]) -> dict[int, Location]:
    wanted = sorted({i for i in ids if i})
    out: dict[int, Location] = {}
    for part in chunks(wanted):
        out.update({loc.id: loc for loc in session.scalars(select(Location).where(among(session, Location.id, part)))})
    return out


def find_or_add_location(session: Session, address: str, postcode: str, kind: str,
                         division_id: int | None) -> Location:
    found = session.scalars(select(Location).where(func.lower(Location.address) == address.lower(),
                                                   Location.postcode == postcode).limit(1)).first()
    if found:
        return found
    loc = Location(address=address, postcode=postcode, kind=kind, division_id=division_id)
    session.add(loc)
    return loc


def add_person(session: Session, forename: str, surname: str, date_of_birth, gender: str,
               home: Location | None) -> Person:
    person = Person(forename=forename, surname=surname, forename_norm=normalise(forename),
                    surname_norm=normalise(surname), date_of_birth=date_of_birth, gender=gender,
                    home_location=home)
    session.add(person)
    return person


def fetch_person(session: Session, person_id: int) -> Person | None:
    return session.get(Person, person_id)


def persons_by_id(session: Session, ids: set[int]) -> dict[int, Person]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}
