"""A person across domains (page and API), and the repeat analyses (missing persons; domestic abuse
and child-protection victims and addresses)."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session

from beacon.access.policy import Principal
from beacon.cases import profile as profiles
from beacon.cases.domestic_abuse import repeats as da_repeats
from beacon.cases.missing_persons import present, service
from beacon.rules.clocks import LONDON
from beacon.web.deps import ApiUser, CurrentUser, Db, ForceSettings, Now
from beacon.web.render import render
from beacon.web.routes.responses import ERRORS, RecordId

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["people"])


class PartOut(BaseModel):
    key: str
    title: str
    record_type: str
    visible: bool
    reason: str
    rows: list[dict[str, Any]]


class ProfileOut(BaseModel):
    id: int
    name: str
    date_of_birth: date | None
    repeat: dict[str, Any]
    parts: list[PartOut]


def _profile(session: Session, user: Principal, person_id: int, settings: dict, at: datetime):
    found = profiles.profile(session, user, person_id, settings, at)
    dob = None if user.pseudonymised else found.person.date_of_birth
    return found, dob


@router.get("/people/{person_id:int}")
def person_page(*, request: Request, person_id: int, user: CurrentUser,
                session: Db, at: Now,
                settings: ForceSettings):
    found, dob = _profile(session, user, person_id, settings, at)
    return render(request, "person.html", title=present.person_name(user, found.person), profile=found,
                  date_of_birth=dob, divisions=profiles.division_names(session))


@api.get("/people/{person_id}", response_model=ProfileOut, responses=ERRORS)
def person_api(*, person_id: RecordId, user: ApiUser, session: Db,
               at: Now, settings: ForceSettings):
    """Everything about one person that the caller may see, domain by domain; a domain the caller
    may not see is listed with ``visible: false`` and the reason."""
    found, dob = _profile(session, user, person_id, settings, at)
    return ProfileOut(id=found.person.id, name=present.person_name(user, found.person), date_of_birth=dob,
                      repeat=found.repeat, parts=[PartOut(**vars(p)) for p in found.parts])


@router.get("/missing-persons/repeats", name="repeats")
def repeats_page(*, request: Request, user: CurrentUser, session: Db,
                 at: Now, settings: ForceSettings):
    result, places = service.repeat_analysis(session, user, settings, at)
    return render(request, "repeats.html", title="Repeat missing persons and locations", result=result,
                  places=places, settings=settings)


def _period(date_from: date | None, date_to: date | None, at: datetime) -> tuple[datetime, datetime, date, date]:
    """[since, until) in UTC from inclusive London dates; by default the 12 months to today."""
    last = date_to or at.astimezone(LONDON).date()
    first = date_from or (last - timedelta(days=364))
    since = datetime.combine(first, time(0), tzinfo=LONDON).astimezone(UTC)
    until = datetime.combine(last + timedelta(days=1), time(0), tzinfo=LONDON).astimezone(UTC)
    return since, until, first, last


@router.get("/domestic-abuse/repeats")
def da_repeats_page(*, request: Request, date_from: Annotated[date | None, Query(alias="from")] = None,
                    date_to: Annotated[date | None, Query(alias="to")] = None,
                    user: CurrentUser, session: Db,
                    at: Now, settings: ForceSettings):
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    since, until, first, last = _period(date_from, date_to, at)
    counts, places = da_repeats.analysis(session, user, settings, since, until)
    top = sorted(counts.repeat_locations.items(), key=lambda kv: (-kv[1], kv[0]))[:50]
    return render(request, "da/repeats.html", title="Repeat victims and locations", counts=counts, first=first,
                  last=last, top=[(places[loc], n) for loc, n in top], divisions=profiles.division_names(session),
                  by_division=sorted(counts.by_division.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)),
                  pseudonymised=user.pseudonymised)
