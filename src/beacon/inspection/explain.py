"""Why an inspection's grades are what they are, and what would change them, read-only: it works
on a published inspection as on a draft, and writes nothing but the access-log entry.

Each graded framework's grade is the one kept (the moderator's, if moderated) beside what the
engine gives on the results as they stand; each bound criterion shows its proposal and whether the
inspector accepted or overrode it; and the routes up and down are computed from the inspection's
own computed evidence (the audits it recorded), so the records named are the period's records.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from beacon.access.audit import note
from beacon.access.policy import Action, Principal
from beacon.inspection import grading, proposals
from beacon.inspection import repository as inspection_repo
from beacon.inspection import what_would_change as wwc
from beacon.inspection.binding import BoundThresholds
from beacon.inspection.models import CriterionAssessment, FrameworkGrade, Inspection, Verification
from beacon.inspection.service import expired, fetch, library
from beacon.inspection.types import Framework, Grade, Result, grade_value
from beacon.org.models import Division


@dataclass(frozen=True)
class BoundResult:
    criterion_id: str
    proposed: proposals.Proposed
    assessed: Result | None
    override_reason: str

    @property
    def overridden(self) -> bool:
        return self.assessed is not None and self.assessed is not self.proposed.proposal.result


@dataclass(frozen=True)
class Explained:
    framework: Framework
    kept: FrameworkGrade | None              # the grade the inspection holds, if graded
    engine: grading.GradeDecision            # the engine on the results as they stand
    bound: list[BoundResult]
    routes: dict[str, wwc.Route | None]

    @property
    def grade(self) -> Grade | None:
        return self.kept.grade if self.kept is not None else self.engine.grade


def division_names(session: Session) -> dict[str, str]:
    return {str(d.id): d.name for d in session.scalars(select(Division))}


def explain(session: Session, user: Principal, inspection_id: int, settings: Mapping[str, object]) -> list[Explained]:
    inspection = fetch(session, user, inspection_id, Action.READ)
    lib = library(inspection.library_id)
    out = [explain_framework(session, inspection, f, settings) for fid in inspection.framework_ids
           if (f := lib.framework(fid)).graded]
    note(session, user, "read", "inspection", inspection_id, detail="explain")
    return out


def explain_framework(session: Session, inspection: Inspection, framework: Framework,
                      settings: Mapping[str, object]) -> Explained:
    """One framework of an inspection the caller has already fetched (so may read): the grade
    kept, the engine on the results as they stand, the bound criteria and what would change it."""
    thresholds = grading.Thresholds.from_settings(settings)
    defaults = BoundThresholds.from_settings(settings)
    assessments: dict[str, CriterionAssessment] = {a.criterion_id: a for a in
                                                   inspection_repo.assessments_of(session, inspection.id)}
    results = {cid: a.result for cid, a in assessments.items()}
    kept = next((g for g in inspection_repo.grades_of(session, inspection.id) if g.framework_id == framework.id),
                None)
    evidence = inspection_repo.evidence_of(session, inspection.id, framework.id)
    verified = [e for e in evidence if e.verification is Verification.VERIFIED and not expired(e, inspection, settings)]
    beacon, innovation = any(e.shows_beacon for e in verified), any(e.shows_innovation for e in verified)
    engine = grading.grade(framework, results, beacon=beacon, innovation_evaluated=innovation, thresholds=thresholds)
    audits, _ = proposals.latest_audits(evidence, framework.id)
    proposed = proposals.for_inspection(framework, evidence, settings)
    bound = [BoundResult(cid, p, results.get(cid), assessments[cid].override_reason if cid in assessments else "")
             for cid, p in proposed.items()]
    routes = wwc.routes(framework, results, beacon=beacon, innovation_evaluated=innovation, thresholds=thresholds,
                        records=wwc.shortfalls_of(framework, audits, defaults))
    return Explained(framework, kept, engine, bound, routes)


def to_json(explained: list[Explained]) -> list[dict]:
    return [{"framework_id": e.framework.id, "grade": grade_value(e.grade),
             "kept": ({"engine_grade": grade_value(e.kept.engine_grade),
                       "moderated_grade": e.kept.moderated_grade.value if e.kept.moderated_grade else None,
                       "explanation": json.loads(e.kept.explanation)} if e.kept else None),
             "engine": e.engine.to_json(),
             "bound": [{"criterion_id": b.criterion_id, **b.proposed.to_json(),
                        "assessed": b.assessed.value if b.assessed else None, "overridden": b.overridden,
                        "override_reason": b.override_reason} for b in e.bound],
             "what_would_change": {d: r.to_json() if r else None for d, r in e.routes.items()}}
            for e in explained]
