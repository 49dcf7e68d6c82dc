"""What opening any child-protection record needs: the division it will belong to, and the child
(a person already known, or one named for the first time)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from beacon.access.policy import Principal
from beacon.errors import Invalid
from beacon.org import repository as org_repo
from beacon.people import repository as people_repo
from beacon.people.models import Location, Person


def division_for_new(session: Session, user: Principal, requested: int | None, what: str) -> int:
    """The division asked for, else the user's own; it must exist."""
    division_id = requested or user.division_id
    if division_id is None:
        raise Invalid({"division_id": f"choose the division the {what} belongs to"})
    if org_repo.fetch_division(session, division_id) is None:
        raise Invalid({"division_id": f"no division {division_id}"})
    return division_id


def child_of(session: Session, known: Person | None, named, home: Location | None = None,
             at: datetime | None = None, field: str = "child_id") -> Person:
    """The known person (already resolved through ``beacon.access.references``, so the user may
    read them), or a new person from ``named`` (forename, surname, date of birth, gender). A known
    person born 18 or more years before ``at`` is not a child: Invalid naming ``field``."""
    if known is not None:
        age = known.age_on(at.date()) if at is not None else None
        if age is not None and age >= 18:
            raise Invalid({field: f"this person was {age} at the time: a child protection record is for someone "
                                  "under 18"})
        return known
    return people_repo.add_person(session, named.forename, named.surname, named.date_of_birth, named.gender, home)
