"""Records → the shapes the API returns and the pages show, pseudonymised for inspectors."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from beacon.access.policy import Principal
from beacon.cases.missing_persons import rules
from beacon.cases.missing_persons.models import MissingReport
from beacon.cases.missing_persons.schemas import (
    ActionOut,
    GradeOut,
    ReportOut,
    ReportSummary,
    ReviewOut,
)
from beacon.people import redact as redaction


def person_name(user: Principal, person) -> str:
    return redaction.pseudonym(person.id) if user.pseudonymised else person.full_name


def summary(user: Principal, report: MissingReport, at: datetime) -> ReportSummary:
    return ReportSummary(
        id=report.id, reference=report.reference, version=report.version, person_id=report.person_id,
        name=person_name(user, report.person), age=report.person.age_on(report.last_seen_at.date()),
        is_child=report.is_child, division_id=report.division_id, risk_grade=report.risk_grade,
        status=report.status.value, reported_at=report.reported_at, last_seen_at=report.last_seen_at,
        last_seen_place="(withheld)" if user.pseudonymised else report.last_seen_location.label,
        next_review_due_at=report.next_review_due_at,
        review_overdue=bool(report.next_review_due_at and report.next_review_due_at < at))


def detail(user: Principal, report: MissingReport, at: datetime, settings: Mapping[str, object]) -> ReportOut:
    hide = user.pseudonymised
    places = redaction.linked_places([report.person], report.home_location, report.last_seen_location,
                                     report.found_location) if hide else ()
    redact = redaction.for_reader(hide, [report.person], [report.reported_by_name], places)
    return ReportOut(
        **summary(user, report, at).model_dump(),
        circumstances=redact(report.circumstances), reported_by_name="(withheld)" if hide else report.reported_by_name,
        reported_by_relationship=report.reported_by_relationship, from_care=report.from_care,
        pnc_circulated_at=report.pnc_circulated_at, pnc_due_at=rules.pnc_due(report.reported_at, settings),
        closed_at=report.closed_at, outcome=report.outcome,
        found_place=("(withheld)" if hide else report.found_location.label) if report.found_location else None,
        found_by=redact(report.found_by), prevention_interview_at=report.prevention_interview_at,
        return_interview_offered_at=report.return_interview_offered_at,
        return_interview_due_at=(rules.return_interview_due(report.closed_at, settings)
                                 if report.is_child and report.closed_at else None),
        grades=[GradeOut(grade=a.grade, rationale=redact(a.rationale), assessed_at=a.assessed_at,
                         assessed_by=a.assessed_by_name) for a in report.assessments],
        reviews=[ReviewOut(reviewed_at=r.reviewed_at, reviewer=r.reviewer_name, notes=redact(r.notes))
                 for r in report.reviews],
        actions=[ActionOut(at=a.at, by=a.by_name, text=redact(a.text)) for a in report.actions])
