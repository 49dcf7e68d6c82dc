"""The JSON API for child protection cases, police protection and LSCB meetings: thin calls into
:mod:`beacon.cases.child_protection` (``cases``, ``protection``, ``lscb``)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BeforeValidator
from sqlalchemy.orm import Session

from beacon.access.policy import Principal
from beacon.cases.child_protection import cases, lscb, protection
from beacon.cases.child_protection import present as case_views
from beacon.cases.child_protection.case_schemas import (
    AgreementOut,
    CaseIn,
    CaseList,
    CaseOut,
    CaseStep,
    ClosureIn,
    DecisionIn,
    DecisionOut,
    JointDecisionIn,
    StepIn,
)
from beacon.cases.child_protection.lscb_schemas import (
    AttendanceOut,
    AttendanceRow,
    LscbMeetingIn,
    LscbMeetingList,
    LscbMeetingOut,
)
from beacon.cases.child_protection.protection_schemas import (
    DesignatedReviewIn,
    ProtectionIn,
    ProtectionList,
    ProtectionOut,
)
from beacon.org.models import PartnerBody
from beacon.people import repository as people_repo
from beacon.schemas import WholeNumber, iso_day
from beacon.web.deps import ApiUser, Db, Now
from beacon.web.routes.responses import ERRORS

router = APIRouter(prefix="/api/v1", tags=["child protection"])
RecordId = Annotated[WholeNumber(1, 2**31 - 1), Path(description="The record's number")]
OptionalId = Annotated[WholeNumber(1, 2**31 - 1) | None, Query()]
Day = Annotated[date | None, BeforeValidator(iso_day), Query(ge=date(1900, 1, 1), le=date(9999, 1, 1))]


def _case(session: Session, user: Principal, case, at: datetime) -> CaseOut:
    return case_views.detail(session, user, case, cases.today_of(at))


# --- child protection cases --------------------------------------------------------------

@router.get("/child-cases", response_model=CaseList, responses=ERRORS)
def caseload(*, division_id: OptionalId = None, status: Literal["open", "closed"] = "open",
             sort: Literal["due", "-due", "opened", "-opened"] = "due", limit: Annotated[WholeNumber(1, 500), Query()] = 200,
             user: ApiUser, session: Db, at: Now):
    """The caseload: cases in the caller's scope (or one division) with the next step due or
    overdue, sorted by its last day (``due``), or by when the case was opened."""
    today = cases.today_of(at)
    rows = cases.caseload(session, user, today, division_id, status, sort, limit)
    children = people_repo.persons_by_id(session, {r.case.child_id for r in rows})
    return CaseList(as_of=at, today=today, items=[case_views.summary(user, r.case, children.get(r.case.child_id),
                                                                     today, r.steps) for r in rows])


@router.get("/child-cases/agreement", response_model=AgreementOut, responses=ERRORS)
def joint_agreement(*, user: ApiUser):
    """The joint-investigation criteria and the risk factors every decision records, as agreed
    with children's social care."""
    return case_views.agreement_out()


@router.post("/child-cases", response_model=CaseOut, status_code=201, responses=ERRORS)
def open_case(*, data: CaseIn, user: ApiUser, session: Db, at: Now):
    """Open a case for a child: from a referral, or for a concern."""
    return _case(session, user, cases.open_case(session, user, data, at), at)


@router.get("/child-cases/{case_id}", response_model=CaseOut, responses=ERRORS)
def read_case(*, case_id: RecordId, user: ApiUser, session: Db,
              at: Now):
    """A case with each step's due date and whether it was met, late or is overdue, and every
    decision with the risk factors considered."""
    return _case(session, user, cases.get_case(session, user, case_id), at)


@router.post("/child-cases/{case_id}/steps/{step}", response_model=CaseOut, responses=ERRORS)
def record_step(*, case_id: RecordId, step: CaseStep, data: StepIn, user: ApiUser,
                session: Db, at: Now):
    """Record the date of the strategy discussion, the start of section 47 enquiries, the initial
    conference, the first core group, or a review conference."""
    return _case(session, user, cases.record_step(session, user, case_id, step, data, at), at)


@router.post("/child-cases/{case_id}/joint-decision", response_model=CaseOut, responses=ERRORS)
def joint_decision(*, case_id: RecordId, data: JointDecisionIn, user: ApiUser,
                   session: Db, at: Now):
    """Record the joint-investigation decision against the agreed criteria, with every risk
    factor. A decision that differs from what the agreement gives needs ``departure_reason``."""
    return _case(session, user, cases.record_joint_decision(session, user, case_id, data, at), at)


@router.post("/child-cases/{case_id}/decisions", response_model=DecisionOut, status_code=201, responses=ERRORS)
def add_decision(*, case_id: RecordId, data: DecisionIn, user: ApiUser, session: Db,
                 at: Now):
    """Record a decision about the child, with every risk factor considered."""
    return case_views.decision_out(cases.add_decision(session, user, case_id, data, at))


@router.post("/child-cases/{case_id}/closure", response_model=CaseOut, responses=ERRORS)
def close_case(*, case_id: RecordId, data: ClosureIn, user: ApiUser, session: Db,
               at: Now):
    """Close the case, with the reason and every risk factor considered."""
    return _case(session, user, cases.close_case(session, user, case_id, data, at), at)


# --- police protection -------------------------------------------------------------------

@router.get("/police-protection", response_model=ProtectionList, responses=ERRORS)
def list_protections(*, awaiting_review: bool | None = None, limit: Annotated[WholeNumber(1, 500), Query()] = 200,
                     user: ApiUser, session: Db, at: Now):
    """Police protections in the caller's scope; ``awaiting_review=true`` lists those the
    designated officer has not reviewed, longest waiting first."""
    rows = protection.list_protections(session, user, awaiting_review, limit)
    return ProtectionList(as_of=at, items=[protection.present(session, user, p) for p in rows])


@router.post("/police-protection", response_model=ProtectionOut, status_code=201, responses=ERRORS)
def record_protection(*, data: ProtectionIn, user: ApiUser, session: Db,
                      at: Now):
    """Record a child taken into police protection (Children Act 1989 s46)."""
    return protection.present(session, user, protection.record(session, user, data, at))


@router.get("/police-protection/{protection_id}", response_model=ProtectionOut, responses=ERRORS)
def read_protection(*, protection_id: RecordId, user: ApiUser, session: Db):
    return protection.present(session, user, protection.get_protection(session, user, protection_id))


@router.post("/police-protection/{protection_id}/designated-review", response_model=ProtectionOut, responses=ERRORS)
def designated_review(*, protection_id: RecordId, data: DesignatedReviewIn, user: ApiUser,
                      session: Db, at: Now):
    """The designated officer's review: an officer of inspector rank or above (the user's staff
    record), not the officer who took the child. Once only: a second review is a 409."""
    return protection.present(session, user, protection.review(session, user, protection_id, data, at))


# --- LSCB meetings -----------------------------------------------------------------------

def _meeting(session: Session, meeting) -> LscbMeetingOut:
    body = session.get(PartnerBody, meeting.lscb_id)
    return LscbMeetingOut(id=meeting.id, lscb_id=meeting.lscb_id, lscb_name=body.name, held_on=meeting.held_on,
                          police_attended=meeting.police_attended, attendee=meeting.attendee)


@router.get("/lscb-meetings", response_model=LscbMeetingList, responses=ERRORS)
def list_meetings(*, lscb_id: OptionalId = None, from_on: Day = None, to_on: Day = None,
                  user: ApiUser, session: Db, at: Now):
    """LSCB meetings from ``from_on`` to ``to_on`` (default: the 12 months to today), newest first."""
    start, end = lscb.period(at, from_on, to_on)
    rows = lscb.meetings(session, user, start, end, lscb_id)
    return LscbMeetingList(from_on=start, to_on=end, items=[_meeting(session, m) for m in rows])


@router.post("/lscb-meetings", response_model=LscbMeetingOut, status_code=201, responses=ERRORS)
def record_meeting(*, data: LscbMeetingIn, user: ApiUser, session: Db,
                   at: Now):
    """Record an LSCB meeting and whether the police were represented, and by whom."""
    return _meeting(session, lscb.record_meeting(session, user, data, at))


@router.get("/lscb-meetings/attendance", response_model=AttendanceOut, responses=ERRORS)
def attendance(*, from_on: Day = None, to_on: Day = None, user: ApiUser, session: Db,
               at: Now):
    """Per LSCB: meetings held over the period (default: the 12 months to today) and how many
    had no police representation."""
    start, end = lscb.period(at, from_on, to_on)
    rows = lscb.attendance(session, user, start, end)
    return AttendanceOut(as_of=at, from_on=start, to_on=end,
                         rows=[AttendanceRow(lscb_id=r.lscb.id, lscb_name=r.lscb.name, meetings=r.meetings,
                                             without_police=r.without_police,
                                             dates_without_police=r.dates_without_police) for r in rows],
                         meetings=sum(r.meetings for r in rows), without_police=sum(r.without_police for r in rows))
