"""Named queries for inspections: their evidence, assessments and grades, and each force's latest
published edition."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from beacon.inspection.models import (
    CriterionAssessment,
    Evidence,
    FrameworkGrade,
    Inspection,
    Status,
)


def evidence_of(session: Session, inspection_id: int, framework_id: str | None = None) -> list[Evidence]:
    stmt = select(Evidence).where(Evidence.inspection_id == inspection_id).order_by(Evidence.id)
    if framework_id:
        stmt = stmt.where(Evidence.framework_id == framework_id)
    return list(session.scalars(stmt))


def assessments_of(session: Session, inspection_id: int) -> list[CriterionAssessment]:
    return list(session.scalars(select(CriterionAssessment).where(CriterionAssessment.inspection_id == inspection_id)
                                .order_by(CriterionAssessment.criterion_id)))


def grades_of(session: Session, inspection_id: int) -> list[FrameworkGrade]:
    return list(session.scalars(select(FrameworkGrade).where(FrameworkGrade.inspection_id == inspection_id)))


def counted_grades(session: Session, library_id: str) -> dict[tuple[int, str], tuple[Inspection, FrameworkGrade]]:
    """For each force and framework, the grade of the latest published inspection in the programme
    that graded that framework (an inspection of two frameworks does not hide a force's other
    grades), leaving out an edition a published correction superseded, and any grade that does not
    stand (not evidenced). A draft never counts."""
    published = list(session.scalars(select(Inspection).where(Inspection.library_id == library_id,
                                                              Inspection.status == Status.PUBLISHED)))
    superseded = {i.supersedes_id for i in published if i.supersedes_id is not None}
    live = {i.id: i for i in published if i.id not in superseded}
    out: dict[tuple[int, str], tuple[Inspection, FrameworkGrade]] = {}
    if not live:
        return out
    order = lambda i: (i.period_end, i.published_at or i.created_at, i.id)  # noqa: E731
    for row in session.scalars(select(FrameworkGrade).where(FrameworkGrade.inspection_id.in_(list(live)))):
        inspection = live[row.inspection_id]
        if row.grade is None:
            continue
        key = (inspection.force_id, row.framework_id)
        if key not in out or order(inspection) > order(out[key][0]):
            out[key] = (inspection, row)
    return out


def latest_published(session: Session, library_id: str) -> dict[int, Inspection]:
    """Each force's latest published edition for the library (a correction supersedes)."""
    rows = session.scalars(select(Inspection).where(Inspection.library_id == library_id,
                                                    Inspection.status == Status.PUBLISHED)
                           .order_by(Inspection.force_id, Inspection.edition, Inspection.id)).all()
    latest: dict[int, Inspection] = {}
    for row in rows:
        latest[row.force_id] = row
    return latest
