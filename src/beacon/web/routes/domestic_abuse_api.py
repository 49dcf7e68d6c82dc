"""The domestic abuse and MARAC JSON API (/api/v1). Each endpoint is a thin call into the library."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query

from beacon.cases.domestic_abuse import instrument as instruments
from beacon.cases.domestic_abuse import present, service
from beacon.cases.domestic_abuse.schemas import (
    ActionIn,
    ActionOut,
    BacklogOut,
    BenchmarkOut,
    InstrumentOut,
    MaracDivisionOut,
    MaracReferralOut,
    MeetingIn,
    MeetingOut,
    QuestionOut,
    QueueOut,
    ReferIn,
    ReviewIn,
    RiskFormIn,
    RiskFormOut,
)
from beacon.people.schemas import Moment
from beacon.schemas import WholeNumber
from beacon.web.deps import ApiUser, Db, ForceSettings, Now
from beacon.web.routes.responses import ERRORS
from beacon.workflows import risk_forms as risk_form_flow

router = APIRouter(prefix="/api/v1", tags=["domestic abuse"])
RecordId = Annotated[WholeNumber(1, 2**31 - 1), Path(description="The record's number")]


@router.get("/domestic-abuse/instrument", response_model=InstrumentOut, responses=ERRORS)
def instrument(*, user: ApiUser, settings: ForceSettings):
    """The force's risk identification instrument (DASH 2009 by default): its questions, in order,
    and the bands that turn the score into a level."""
    inst = instruments.current_instrument(settings)
    return InstrumentOut(id=inst.id, title=inst.title, version=inst.version, max_score=inst.max_score,
                         bands=[b.model_dump() for b in inst.bands],
                         questions=[QuestionOut(id=q.id, number=i, text=q.text, help=q.help,
                                                supplementary=q.supplementary)
                                    for i, q in enumerate(inst.questions, start=1)])


@router.post("/domestic-abuse/forms", response_model=RiskFormOut, status_code=201, responses=ERRORS)
def create_form(*, data: RiskFormIn, user: ApiUser, session: Db,
                at: Now, settings: ForceSettings):
    """The first officer's risk form. Scored at once; ``judged_level`` may raise the level (with
    ``judgement_reason``), never lower it (422 naming ``judged_level``). Children in the household
    are referred to children's social care in the same transaction."""
    form = risk_form_flow.submit_risk_form(session, user, settings, data, at)
    return risk_form_flow.form_detail(session, user, settings, form, at)


@router.get("/domestic-abuse/forms/{form_id}", response_model=RiskFormOut, responses=ERRORS)
def read_form(*, form_id: RecordId, user: ApiUser, session: Db,
              at: Now, settings: ForceSettings):
    return risk_form_flow.form_detail(session, user, settings, service.get_form(session, user, form_id), at)


@router.post("/domestic-abuse/forms/{form_id}/review", response_model=RiskFormOut, responses=ERRORS)
def review_form(*, form_id: RecordId, data: ReviewIn, user: ApiUser,
                session: Db, at: Now, settings: ForceSettings):
    """The DVO's review. Send the ``version`` you read; a 409 means someone saved first."""
    form = service.review_form(session, user, form_id, data, at)
    return risk_form_flow.form_detail(session, user, settings, form, at)


@router.get("/domestic-abuse/queue", response_model=QueueOut, responses=ERRORS)
def dvo_queue(*, division_id: Annotated[WholeNumber(1, 2**31 - 1) | None, Query()] = None,
              user: ApiUser, session: Db, at: Now):
    """Unreviewed forms (not superseded by a reassessment), oldest first, with each one's age in days."""
    rows = service.queue(session, user, at, division_id)
    return QueueOut(as_of=at, division_id=division_id, items=present.summaries(session, user, rows, at))


@router.get("/domestic-abuse/backlog", response_model=BacklogOut, responses=ERRORS)
def dvo_backlog(*, as_of: Moment | None = None, user: ApiUser, session: Db,
                at: Now):
    """Unreviewed forms per division at ``as_of`` (default now) and the oldest one's age."""
    when = min(as_of or at, at)
    rows = service.backlog(session, when, user)
    return BacklogOut(as_of=when, total=sum(r.unreviewed for r in rows), divisions=present.backlog_rows(rows))


@router.post("/domestic-abuse/forms/{form_id}/marac-referral", response_model=MaracReferralOut, status_code=201,
             responses=ERRORS)
def refer(*, form_id: RecordId, data: ReferIn, user: ApiUser, session: Db,
          at: Now, settings: ForceSettings):
    """Refer to MARAC on the published criteria the case meets (recorded with the referral). With no
    criterion, 422 naming ``judgement_reason`` unless a professional-judgement reason is given."""
    referral = service.refer(session, user, settings, form_id, data, at)
    return present.referral_out(session, user, settings, referral)


@router.get("/marac/referrals/{referral_id}", response_model=MaracReferralOut, responses=ERRORS)
def read_referral(*, referral_id: RecordId, user: ApiUser, session: Db,
                  settings: ForceSettings):
    """A MARAC referral with its criteria and the DASH answers carried from the form."""
    return present.referral_out(session, user, settings, service.get_referral(session, user, referral_id))


@router.get("/marac/divisions/{division_id}", response_model=MaracDivisionOut, responses=ERRORS)
def division_marac(*, division_id: RecordId, user: ApiUser, session: Db,
                   at: Now, settings: ForceSettings):
    """The division's MARAC (``no_marac_in_division`` when it has none), referrals, meetings, actions."""
    return division_out(session, user, settings, service.division_marac(session, user, division_id), at)


def division_out(session, user, settings, d: service.DivisionMarac, at: datetime) -> MaracDivisionOut:
    today = present.local_today(at)
    return MaracDivisionOut(
        division_id=d.division.id, division_name=d.division.name, marac_id=d.marac.id if d.marac else None,
        marac_name=d.marac.name if d.marac else None, no_marac_in_division=d.marac is None,
        referrals=[present.referral_out(session, user, settings, r) for r in d.referrals],
        meetings=[present.meeting_out(session, m, d.actions, today) for m in d.meetings])


@router.post("/marac/divisions/{division_id}/meetings", response_model=MeetingOut, status_code=201,
             responses=ERRORS)
def add_meeting(*, division_id: RecordId, data: MeetingIn, user: ApiUser,
                session: Db, at: Now):
    """A MARAC meeting: when, the agencies present, and the referrals discussed."""
    meeting = service.add_meeting(session, user, division_id, data)
    return present.meeting_out(session, meeting, [], present.local_today(at))


@router.post("/marac/meetings/{meeting_id}/actions", response_model=ActionOut, status_code=201, responses=ERRORS)
def add_action(*, meeting_id: RecordId, data: ActionIn, user: ApiUser,
               session: Db, at: Now):
    """An action agreed at a meeting for one referral, with the agency that owns it and when it is due."""
    return present.action_out(service.add_action(session, user, meeting_id, data), present.local_today(at))


@router.post("/marac/actions/{action_id}/done", response_model=ActionOut, responses=ERRORS)
def complete_action(*, action_id: RecordId, user: ApiUser, session: Db,
                    at: Now):
    return present.action_out(service.complete_action(session, user, action_id, at), present.local_today(at))


@router.get("/marac/benchmark", response_model=BenchmarkOut, responses=ERRORS)
def benchmark(*, year: Annotated[WholeNumber(2000, 2100), Query()], user: ApiUser,
              session: Db, settings: ForceSettings):
    """MARAC referrals in the calendar year per 10,000 adult women, against the benchmark of about 40."""
    return service.benchmark(session, year, settings, user)
