"""Missing-person work: every call checks access, writes through the repository, keeps the
review clock, and queues the access-log entry. Web, API and CLI all call these functions."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session

from beacon.access.audit import check_version, load_for, note, require
from beacon.access.policy import Action, Principal, scope
from beacon.access.references import resolve
from beacon.cases.missing_persons import repository as repo
from beacon.cases.missing_persons import rules
from beacon.cases.missing_persons.models import (
    EnquiryAction,
    MissingReport,
    Review,
    RiskAssessment,
    RiskGrade,
    Status,
)
from beacon.cases.missing_persons.schemas import (
    ActionIn,
    ClosureIn,
    PncIn,
    RegradeIn,
    ReportIn,
    ReportUpdate,
    ReviewIn,
)
from beacon.errors import Conflict, Forbidden, Invalid, NotFound
from beacon.people import repository as people_repo
from beacon.people.models import Person
from beacon.people.schemas import not_after
from beacon.rules import check

RECORD = "missing_report"


def _load(session: Session, user: Principal, report_id: int, action: Action) -> MissingReport:
    return load_for(session, user, RECORD, report_id, action)


def _check_version(report, version: int) -> None:
    check_version(report, version, f"report {report.reference}")


def _reschedule(report: MissingReport, settings: Mapping[str, object]) -> None:
    if report.status is Status.CLOSED:
        report.next_review_due_at = None
    else:
        report.next_review_due_at = rules.next_review_due(report.reported_at, report.last_reviewed_at,
                                                          report.risk_grade, settings)


def create_report(session: Session, user: Principal, settings: Mapping[str, object], data: ReportIn,
                  now: datetime) -> MissingReport:
    _future_check(now, data, "last_seen_at", "reported_at")
    named = resolve(session, user, data)
    division_id = data.division_id or user.division_id
    if division_id is None:
        raise Invalid({"division_id": "choose the division the report belongs to"})
    require(session, user, Action.CREATE, RECORD, "", division_id)
    home = (people_repo.find_or_add_location(session, data.home.address, data.home.postcode, data.home.kind, division_id)
            if data.home else None)
    if data.person_id is not None:
        person = named["person_id"]
        if person.date_of_birth and person.date_of_birth > data.last_seen_at.date():
            raise Invalid({"last_seen_at": "is before the person's date of birth"})
    else:
        p = data.person
        person = people_repo.add_person(session, p.forename, p.surname, p.date_of_birth, p.gender, home)
    seen = people_repo.find_or_add_location(session, data.last_seen_place.address, data.last_seen_place.postcode,
                                     data.last_seen_place.kind, division_id)
    reported_at = data.reported_at or now
    age = person.age_on(data.last_seen_at.date())
    report = MissingReport(
        person=person, division_id=division_id, reported_at=reported_at, last_seen_at=data.last_seen_at,
        last_seen_location=seen, home_location=home or person.home_location, from_care=data.from_care,
        circumstances=data.circumstances, reported_by_name=data.reported_by_name,
        reported_by_relationship=data.reported_by_relationship, risk_grade=data.risk_grade,
        status=Status.OPEN, is_child=age is not None and age < 18, created_by_id=user.id)
    report.assessments.append(RiskAssessment(grade=data.risk_grade, rationale=data.rationale, assessed_at=now,
                                             assessed_by_id=user.id, assessed_by_name=user.display_name))
    _reschedule(report, settings)
    session.add(report)
    session.flush()
    note(session, user, "create", RECORD, report.id, detail=f"grade={data.risk_grade.value}")
    return report


def get_report(session: Session, user: Principal, report_id: int) -> MissingReport:
    report = _load(session, user, report_id, Action.READ)
    note(session, user, "read", RECORD, report_id)
    return report


def update_report(session: Session, user: Principal, report_id: int, data: ReportUpdate) -> MissingReport:
    report = _load(session, user, report_id, Action.UPDATE)
    _check_version(report, data.version)
    changed = data.model_dump(exclude_unset=True, exclude={"version"}, exclude_none=True)
    for field, value in changed.items():
        setattr(report, field, value)
    session.flush()
    note(session, user, "update", RECORD, report_id, detail=",".join(sorted(changed)))
    return report


def regrade(session: Session, user: Principal, settings: Mapping[str, object], report_id: int,
            data: RegradeIn, now: datetime) -> MissingReport:
    report = _load(session, user, report_id, Action.REVIEW)
    _check_version(report, data.version)
    _require_open(report)
    if data.grade is RiskGrade.ABSENT_FROM_CARE and not report.from_care:
        raise Invalid({"grade": "only a person missing from care can be an unauthorised absence from care"})
    report.assessments.append(RiskAssessment(grade=data.grade, rationale=data.rationale, assessed_at=now,
                                             assessed_by_id=user.id, assessed_by_name=user.display_name))
    report.risk_grade = data.grade
    _reschedule(report, settings)
    session.flush()
    note(session, user, "review", RECORD, report_id, detail=f"grade={data.grade.value}")
    return report


def add_review(session: Session, user: Principal, settings: Mapping[str, object], report_id: int,
               data: ReviewIn, now: datetime) -> MissingReport:
    report = _load(session, user, report_id, Action.REVIEW)
    _check_version(report, data.version)
    _require_open(report)
    report.reviews.append(Review(reviewed_at=now, reviewer_id=user.id, reviewer_name=user.display_name,
                                 notes=data.notes))
    report.last_reviewed_at = now
    _reschedule(report, settings)
    session.flush()
    note(session, user, "review", RECORD, report_id)
    return report


def add_action(session: Session, user: Principal, report_id: int, data: ActionIn, now: datetime) -> MissingReport:
    report = _load(session, user, report_id, Action.UPDATE)
    report.actions.append(EnquiryAction(at=now, by_id=user.id, by_name=user.display_name, text=data.text))
    session.flush()
    note(session, user, "update", RECORD, report_id, detail="action")
    return report


def record_pnc(session: Session, user: Principal, report_id: int, data: PncIn, now: datetime) -> MissingReport:
    _future_check(now, data, "circulated_at")
    report = _load(session, user, report_id, Action.UPDATE)
    _check_version(report, data.version)
    if data.circulated_at < report.reported_at:
        raise Invalid({"circulated_at": "cannot be before the report was made"})
    report.pnc_circulated_at = data.circulated_at
    session.flush()
    note(session, user, "update", RECORD, report_id, detail="pnc")
    return report


def close_report(session: Session, user: Principal, settings: Mapping[str, object], report_id: int,
                 data: ClosureIn, now: datetime) -> MissingReport:
    _future_check(now, data, "closed_at", "prevention_interview_at", "return_interview_offered_at")
    report = _load(session, user, report_id, Action.UPDATE)
    _check_version(report, data.version)
    _require_open(report)
    if data.closed_at < report.last_seen_at:
        raise Invalid({"closed_at": "cannot be before the person was last seen"})
    found = data.found_place
    report.found_location = people_repo.find_or_add_location(session, found.address, found.postcode, found.kind,
                                                      report.division_id)
    report.status, report.closed_at, report.outcome = Status.CLOSED, data.closed_at, data.outcome
    report.found_by = data.found_by
    report.prevention_interview_at = data.prevention_interview_at
    report.prevention_interview_notes = data.prevention_interview_notes
    report.return_interview_offered_at = data.return_interview_offered_at
    _reschedule(report, settings)
    session.flush()
    note(session, user, "close", RECORD, report_id, detail=data.outcome.value)
    return report


def _future_check(now: datetime, data, *fields: str) -> None:
    if errors := not_after(now, data, *fields):
        raise Invalid(errors)


def _require_open(report: MissingReport) -> None:
    if report.status is Status.CLOSED:
        raise Conflict(f"report {report.reference} is closed", report.version)


def search(session: Session, user: Principal, **filters) -> tuple[list[MissingReport], bool]:
    s = scope(user, RECORD)
    if not s.allowed:
        require(session, user, Action.READ, RECORD)
    rows, more = repo.search_reports(session, s, **filters)
    note(session, user, "search", RECORD, "", detail="ids=" + ",".join(str(r.id) for r in rows))
    return rows, more


def supervisor_queue(session: Session, user: Principal, now: datetime, horizon: timedelta = timedelta(hours=2)):
    """(new high-risk unreviewed, overdue, due within ``horizon``) for the user's scope."""
    s = scope(user, RECORD)
    if not s.allowed:
        require(session, user, Action.REVIEW, RECORD)
    rows = repo.open_for_queue(session, s, now, horizon)
    new_high = [r for r in rows if r.risk_grade is RiskGrade.HIGH and r.last_reviewed_at is None]
    overdue = [r for r in rows if r.next_review_due_at and r.next_review_due_at < now]
    due_soon = [r for r in rows if r.next_review_due_at and now <= r.next_review_due_at <= now + horizon
                and r not in new_high]
    note(session, user, "list", RECORD, "", detail="queue ids=" + ",".join(str(r.id) for r in rows))
    return new_high, overdue, due_soon


def person_episodes(session: Session, user: Principal, person_id: int) -> tuple[Person, list[MissingReport]]:
    person = people_repo.fetch_person(session, person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    s = scope(user, "person")
    if not s.allowed:
        require(session, user, Action.READ, "person", person_id)
    rows, _ = repo.search_reports(session, scope(user, RECORD), person_id=person_id, limit=500)
    if s.division_ids is not None and not rows:
        note(session, user, "read", "person", person_id, "denied", "no records in the user's division")
        raise Forbidden("this person has no records in your division")
    note(session, user, "read", "person", person_id, detail="episodes=" + ",".join(str(r.id) for r in rows))
    return person, rows


class Audited(Protocol):
    """What ``compliance_for`` reads of a report: a ``MissingReport``, or the audit's plain-row facts."""
    @property
    def reported_at(self) -> datetime: ...

    @property
    def closed_at(self) -> datetime | None: ...

    @property
    def is_child(self) -> bool: ...

    @property
    def risk_grade(self) -> RiskGrade: ...

    @property
    def pnc_circulated_at(self) -> datetime | None: ...

    @property
    def return_interview_offered_at(self) -> datetime | None: ...

    @property
    def assessments(self) -> Sequence: ...


    @property
    def reviews(self) -> Sequence: ...


def compliance_for(report: Audited, settings: Mapping[str, object], now: datetime) -> list[check.Check]:
    grades = [rules.GradeChange(a.assessed_at, a.grade, a.rationale) for a in report.assessments]
    if not grades:
        grades = [rules.GradeChange(report.reported_at, report.risk_grade, "")]
    return rules.compliance(reported_at=report.reported_at, closed_at=report.closed_at, now=now,
                            is_child=report.is_child, grades=grades,
                            reviews=[r.reviewed_at for r in report.reviews],
                            pnc_circulated_at=report.pnc_circulated_at,
                            return_interview_offered_at=report.return_interview_offered_at, settings=settings)


def repeat_analysis(session: Session, user: Principal, settings: Mapping[str, object], now: datetime):
    s = scope(user, RECORD)
    if not s.allowed:
        require(session, user, Action.READ, RECORD)
    since = now - timedelta(days=int(settings["mp.repeat_window_days"]))
    result = rules.repeats(repo.episodes(session, s, since), since, int(settings["mp.repeat_location_threshold"]))
    places = people_repo.locations_by_id(session, [loc for loc, _ in result.locations])
    note(session, user, "list", RECORD, "", detail="repeat analysis")
    return result, places


def reschedule_open(session: Session, settings: Mapping[str, object]) -> int:
    """Recompute every open report's next review after the force changes its review intervals."""
    reports = repo.open_reports(session)
    for report in reports:
        _reschedule(report, settings)
    return len(reports)
