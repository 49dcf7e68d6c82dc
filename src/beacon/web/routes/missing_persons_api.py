"""The missing-persons JSON API (/api/v1/missing-persons and the supervisor's queue). Each endpoint
is a thin call into the library."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from beacon.cases.missing_persons import present, service
from beacon.cases.missing_persons.models import RiskGrade, Status
from beacon.cases.missing_persons.schemas import (
    ActionIn,
    ClosureIn,
    PncIn,
    Queue,
    QueueItem,
    RegradeIn,
    ReportIn,
    ReportOut,
    ReportUpdate,
    ReviewIn,
    SearchPage,
)
from beacon.people.schemas import Moment
from beacon.schemas import WholeNumber
from beacon.web.deps import ApiUser, Db, ForceSettings, Now
from beacon.web.routes.responses import ERRORS, RecordId

router = APIRouter(prefix="/api/v1", tags=["api"])


@router.get("/missing-persons", response_model=SearchPage, responses=ERRORS)
def search(*, q: Annotated[str, Query(max_length=100)] = "", status: Status | None = None,
           grade: RiskGrade | None = None, division_id: Annotated[WholeNumber(1, 2**31 - 1) | None, Query()] = None,
           reported_from: Moment | None = None, reported_to: Moment | None = None,
           limit: Annotated[WholeNumber(1, 200), Query()] = 50, offset: Annotated[WholeNumber(0, 100_000), Query()] = 0,
           user: ApiUser, session: Db, at: Now):
    """Reports the caller may see, newest first. ``q``: a reference (MP06/000123), a surname
    prefix, or forename and surname prefixes."""
    rows, more = service.search(session, user, q=q, status=status, grade=grade, division_id=division_id,
                                reported_from=reported_from, reported_to=reported_to, limit=limit, offset=offset)
    return SearchPage(results=[present.summary(user, r, at) for r in rows], offset=offset, limit=limit,
                      has_more=more)


@router.post("/missing-persons", response_model=ReportOut, status_code=201, responses=ERRORS)
def create(*, data: ReportIn, user: ApiUser, session: Db,
           at: Now, settings: ForceSettings):
    report = service.create_report(session, user, settings, data, at)
    return present.detail(user, report, at, settings)


@router.get("/missing-persons/{report_id}", response_model=ReportOut, responses=ERRORS)
def read(*, report_id: RecordId, user: ApiUser, session: Db,
         at: Now, settings: ForceSettings):
    return present.detail(user, service.get_report(session, user, report_id), at, settings)


@router.patch("/missing-persons/{report_id}", response_model=ReportOut, responses=ERRORS)
def update(*, report_id: RecordId, data: ReportUpdate, user: ApiUser,
           session: Db, at: Now, settings: ForceSettings):
    """Change the narrative fields. Send the ``version`` you read; a 409 means someone saved first."""
    return present.detail(user, service.update_report(session, user, report_id, data), at, settings)


@router.post("/missing-persons/{report_id}/grades", response_model=ReportOut, responses=ERRORS)
def regrade(*, report_id: RecordId, data: RegradeIn, user: ApiUser, session: Db,
            at: Now, settings: ForceSettings):
    return present.detail(user, service.regrade(session, user, settings, report_id, data, at), at, settings)


@router.post("/missing-persons/{report_id}/reviews", response_model=ReportOut, responses=ERRORS)
def review(*, report_id: RecordId, data: ReviewIn, user: ApiUser, session: Db,
           at: Now, settings: ForceSettings):
    return present.detail(user, service.add_review(session, user, settings, report_id, data, at), at, settings)


@router.post("/missing-persons/{report_id}/actions", response_model=ReportOut, responses=ERRORS)
def action(*, report_id: RecordId, data: ActionIn, user: ApiUser, session: Db,
           at: Now, settings: ForceSettings):
    return present.detail(user, service.add_action(session, user, report_id, data, at), at, settings)


@router.post("/missing-persons/{report_id}/pnc", response_model=ReportOut, responses=ERRORS)
def pnc(*, report_id: RecordId, data: PncIn, user: ApiUser, session: Db,
        at: Now, settings: ForceSettings):
    return present.detail(user, service.record_pnc(session, user, report_id, data, at), at, settings)


@router.post("/missing-persons/{report_id}/closure", response_model=ReportOut, responses=ERRORS)
def close(*, report_id: RecordId, data: ClosureIn, user: ApiUser, session: Db,
          at: Now, settings: ForceSettings):
    return present.detail(user, service.close_report(session, user, settings, report_id, data, at), at, settings)


@router.get("/supervisor/queue", response_model=Queue, responses=ERRORS)
def queue(*, user: ApiUser, session: Db, at: Now):
    """New high-risk reports not yet reviewed, overdue reviews, and reviews due within two hours."""
    new_high, overdue, due_soon = service.supervisor_queue(session, user, at)
    item = lambda r, why: QueueItem(report=present.summary(user, r, at), reasons=why)  # noqa: E731
    return Queue(generated_at=at,
                 new_high_risk=[item(r, ["new high-risk report, not yet reviewed"]) for r in new_high],
                 overdue=[item(r, ["supervisory review overdue"]) for r in overdue],
                 due_soon=[item(r, ["supervisory review due soon"]) for r in due_soon])


class RepeatPerson(BaseModel):
    person_id: int
    episodes: int


class RepeatLocation(BaseModel):
    location_id: int
    place: str
    kind: str
    episodes: int


class RepeatsOut(BaseModel):
    window_days: int
    threshold: int
    persons: list[RepeatPerson]
    locations: list[RepeatLocation]


@router.get("/missing-persons-analysis/repeats", response_model=RepeatsOut, responses=ERRORS)
def repeats(*, user: ApiUser, session: Db, at: Now,
            settings: ForceSettings,
            as_of: Moment | None = None):
    """Repeat missing persons and repeat locations in the window before ``as_of`` (default now)."""
    result, places = service.repeat_analysis(session, user, settings, as_of or at)
    return RepeatsOut(window_days=int(settings["mp.repeat_window_days"]),
                      threshold=int(settings["mp.repeat_location_threshold"]),
                      persons=[RepeatPerson(person_id=p, episodes=n) for p, n in result.persons[:200]],
                      locations=[RepeatLocation(location_id=loc, episodes=n, kind=places[loc].kind,
                                                place="(withheld)" if user.pseudonymised else places[loc].label)
                                 for loc, n in result.locations[:200]])
