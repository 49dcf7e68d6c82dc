"""Audits of missing-person records against the cited rules: compliance rates with the
records behind every figure, and reproducible case-file samples."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from beacon.assurance.compliance import brief, draw_sample, frozen, rates
from beacon.assurance.results import AuditResult, AuditRule, FileSample, SampleCase
from beacon.cases.missing_persons.models import MissingReport, Review, RiskAssessment, RiskGrade
from beacon.cases.missing_persons.service import compliance_for

_REPORT = "/missing-persons/{}"
RULES = (   # one row per audit rule: the record it counts and the page that shows one (checks: cases/missing_persons/rules.py)
    AuditRule("mp.supervisory_review", "report", _REPORT),
    AuditRule("mp.risk_grades", "report", _REPORT),
    AuditRule("mp.pnc_circulation", "report", _REPORT),
    AuditRule("mp.return_interview", "report", _REPORT),
)


def _reports(session: Session, since: datetime, until: datetime, ids: list[int] | None = None):
    stmt = (select(MissingReport).where(MissingReport.reported_at >= since, MissingReport.reported_at < until)
            .options(selectinload(MissingReport.assessments), selectinload(MissingReport.reviews))
            .order_by(MissingReport.id))
    if ids is not None:
        stmt = stmt.where(MissingReport.id.in_(ids))
    return session.scalars(stmt).unique().all()


@dataclass(frozen=True)
class _Grade:
    assessed_at: datetime
    grade: RiskGrade
    rationale: str


@dataclass(frozen=True)
class _Review:
    reviewed_at: datetime


@dataclass(frozen=True)
class ReportFacts:
    """What the audit rules read of a report (``compliance_for``), loaded as plain rows: building
    ORM objects for a year's reports and their children was 85% of the audit's time."""
    id: int
    division_id: int
    reported_at: datetime
    closed_at: datetime | None
    is_child: bool
    risk_grade: RiskGrade
    pnc_circulated_at: datetime | None
    return_interview_offered_at: datetime | None
    assessments: tuple[_Grade, ...]
    reviews: tuple[_Review, ...]


def report_facts(session: Session, since: datetime, until: datetime) -> list[ReportFacts]:
    """The audit's view of every report made in [since, until), in id order."""
    r = MissingReport
    chosen = select(r.id).where(r.reported_at >= since, r.reported_at < until)
    grades: dict[int, list[_Grade]] = {}
    for report_id, at, grade, why in session.execute(
            select(RiskAssessment.report_id, RiskAssessment.assessed_at, RiskAssessment.grade, RiskAssessment.rationale)
            .where(RiskAssessment.report_id.in_(chosen)).order_by(RiskAssessment.assessed_at, RiskAssessment.id)):
        grades.setdefault(report_id, []).append(_Grade(at, grade, why))
    reviews: dict[int, list[_Review]] = {}
    for report_id, at in session.execute(select(Review.report_id, Review.reviewed_at)
                                         .where(Review.report_id.in_(chosen)).order_by(Review.reviewed_at, Review.id)):
        reviews.setdefault(report_id, []).append(_Review(at))
    rows = session.execute(select(r.id, r.division_id, r.reported_at, r.closed_at, r.is_child, r.risk_grade,
                                  r.pnc_circulated_at, r.return_interview_offered_at)
                           .where(r.reported_at >= since, r.reported_at < until).order_by(r.id))
    return [ReportFacts(row.id, row.division_id, row.reported_at, row.closed_at, row.is_child, row.risk_grade,
                        row.pnc_circulated_at, row.return_interview_offered_at, tuple(grades.get(row.id, ())),
                        tuple(reviews.get(row.id, ()))) for row in rows]


def compliance(session: Session, since: datetime, until: datetime, settings: Mapping[str, object],
               now: datetime) -> AuditResult:
    """Force-wide and per-division compliance rates for reports made in [since, until)."""
    reports = report_facts(session, since, until)
    checks = {r.id: compliance_for(r, settings, now) for r in reports}
    by_division: dict[int, dict[int, list]] = {}
    for r in reports:
        by_division.setdefault(r.division_id, {})[r.id] = checks[r.id]
    return AuditResult(rates=frozen(rates(checks)),
                       by_division={str(d): {k: brief(v) for k, v in rates(c).items()}
                                    for d, c in sorted(by_division.items())},
                       facts={"reports": len(reports)})


def file_sample(session: Session, since: datetime, until: datetime, n: int, seed: int,
                settings: Mapping[str, object], now: datetime) -> FileSample:
    """Draw ``n`` reports with ``seed`` and check each against the rules."""
    ids = session.scalars(select(MissingReport.id).where(MissingReport.reported_at >= since,
                                                         MissingReport.reported_at < until)).all()
    sample = draw_sample(ids, n, seed)
    reports = _reports(session, since, until, sample)
    checks = {r.id: compliance_for(r, settings, now) for r in reports}
    cases = tuple(SampleCase(r.id, r.reference, r.division_id, {c.rule_id: (c.met if c.applies else None)
                                                                for c in checks[r.id]}) for r in reports)
    return FileSample(len(ids), len(sample), seed, cases, frozen(rates(checks)))
