"""What opening any child-protection record needs: the division it will belong to, and the child
(a person already known, or one named for the first time)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from beacon.access.policy import Principal
from beacon.cases.domestic_abuse import repository as da_repo
from beacon.cases.missing_persons import repository as mp_repo
from beacon.errors import Invalid
from beacon.people.models import Location, Person


def division_for_new(session: Session, user: Principal, requested: int | None, what: str) -> int:
    """The division asked for, else the user's own; it must exist."""
    division_id = requested or user.division_id
    if division_id is None:
        raise Invalid({"division_id": f"choose the division the {what} belongs to"})
    if da_repo.fetch_division(session, division_id) is None:
        raise Invalid({"division_id": f"no division {division_id}"})
    return division_id


def child_of(session: Session, child_id: int | None, named, home: Location | None = None) -> Person:
    """The known person ``child_id``, or a new person from ``named`` (forename, surname, date of
    birth, gender)."""
    if child_id is not None:
        child = da_repo.fetch_person(session, child_id)
        if child is None:
            raise Invalid({"child_id": f"no person {child_id}"})
        return child
    return mp_repo.add_person(session, named.forename, named.surname, named.date_of_birth, named.gender, home)
