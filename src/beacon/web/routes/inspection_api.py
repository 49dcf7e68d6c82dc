"""The inspection JSON API (/api/v1/inspections, /api/v1/practice, /api/v1/national)."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session

from beacon.access.policy import Principal
from beacon.errors import NotFound
from beacon.inspection import reporting, service
from beacon.inspection.models import Method, Status, Verification
from beacon.inspection.schemas import (AdvanceIn, AssessmentIn, ComputedEvidenceIn, CorrectionIn, EvidenceIn,
                                       InspectionIn, ModerationIn, PracticeIn)
from beacon.inspection.types import Finding, Grade, Result
from beacon.web.deps import api_user, db, force_settings, now
from beacon.web.routes.api import ERRORS

router = APIRouter(prefix="/api/v1", tags=["inspection"])
RecordId = Annotated[int, Path(ge=1, le=2**31 - 1)]
CriterionId = Annotated[str, Path(min_length=1, max_length=80, pattern=r"^[a-z0-9_.\-]+$")]


class InspectionOut(BaseModel):
    id: int
    force_id: int
    title: str
    library_id: str
    library_version: str
    framework_ids: list[str]
    period_start: str
    period_end: str
    status: Status
    edition: int
    supersedes_id: int | None
    correction_reason: str
    version: int


class EvidenceOut(BaseModel):
    id: int
    framework_id: str
    method: Method
    title: str
    summary: str
    source: str
    gathered_on: str
    recorded_by: str
    verification: Verification
    finding: Finding | None
    shows_beacon: bool
    shows_innovation: bool
    criterion_ids: list[str]
    computed_kind: str | None
    computed_params: dict[str, Any]
    computed_result: dict[str, Any]


class AssessmentOut(BaseModel):
    criterion_id: str
    framework_id: str
    result: Result
    justification: str
    evidence_ids: list[int]
    assessed_by: str
    version: int


class GradeOut(BaseModel):
    framework_id: str
    grade: Grade
    engine_grade: Grade
    provisional: bool
    moderated_grade: Grade | None
    moderation_rationale: str
    explanation: dict[str, Any]
    version: int


class PracticeOut(BaseModel):
    id: int
    force_id: int
    framework_id: str
    title: str
    problem: str
    solution: str
    outcomes: str
    force_contact: str
    evaluated: bool
    in_report: bool


def _inspection(i) -> InspectionOut:
    return InspectionOut(id=i.id, force_id=i.force_id, title=i.title, library_id=i.library_id,
                         library_version=i.library_version, framework_ids=i.framework_ids,
                         period_start=i.period_start.isoformat(), period_end=i.period_end.isoformat(),
                         status=i.status, edition=i.edition, supersedes_id=i.supersedes_id,
                         correction_reason=i.correction_reason, version=i.version)


def _evidence(e) -> EvidenceOut:
    return EvidenceOut(id=e.id, framework_id=e.framework_id, method=e.method, title=e.title, summary=e.summary,
                       source=e.source, gathered_on=e.gathered_on.isoformat(), recorded_by=e.recorded_by,
                       verification=e.verification, finding=e.finding, shows_beacon=e.shows_beacon,
                       shows_innovation=e.shows_innovation, criterion_ids=e.criterion_ids,
                       computed_kind=e.computed_kind, computed_params=json.loads(e.computed_params),
                       computed_result=json.loads(e.computed_result))


def _assessment(a) -> AssessmentOut:
    return AssessmentOut(criterion_id=a.criterion_id, framework_id=a.framework_id, result=a.result,
                         justification=a.justification, evidence_ids=json.loads(a.evidence_ids),
                         assessed_by=a.assessed_by, version=a.version)


def _grade(g) -> GradeOut:
    return GradeOut(framework_id=g.framework_id, grade=g.grade, engine_grade=g.engine_grade,
                    provisional=g.provisional, moderated_grade=g.moderated_grade,
                    moderation_rationale=g.moderation_rationale, explanation=json.loads(g.explanation),
                    version=g.version)


def _practice(p) -> PracticeOut:
    return PracticeOut(**{f: getattr(p, f) for f in PracticeOut.model_fields})


@router.post("/inspections", response_model=InspectionOut, status_code=201, responses=ERRORS)
def create(data: InspectionIn, user: Principal = Depends(api_user), session: Session = Depends(db, scope="function"),
           at: datetime = Depends(now)):
    return _inspection(service.create(session, user, data, at))


@router.get("/inspections/{inspection_id}", response_model=InspectionOut, responses=ERRORS)
def read(inspection_id: RecordId, user: Principal = Depends(api_user), session: Session = Depends(db, scope="function")):
    return _inspection(service.fetch(session, user, inspection_id))


@router.post("/inspections/{inspection_id}/status", response_model=InspectionOut, responses=ERRORS)
def advance(inspection_id: RecordId, data: AdvanceIn, user: Principal = Depends(api_user),
            session: Session = Depends(db, scope="function"), at: datetime = Depends(now)):
    """Move the inspection to its next stage: planned → fieldwork → grading → moderation → published."""
    return _inspection(service.advance(session, user, inspection_id, data, at))


@router.post("/inspections/{inspection_id}/corrections", response_model=InspectionOut, status_code=201,
             responses=ERRORS)
def correct(inspection_id: RecordId, data: CorrectionIn, user: Principal = Depends(api_user),
            session: Session = Depends(db, scope="function"), at: datetime = Depends(now)):
    """Correct a published inspection: a new edition with the reason, back at grading."""
    return _inspection(service.correct(session, user, inspection_id, data, at))


@router.get("/inspections/{inspection_id}/evidence", response_model=list[EvidenceOut], responses=ERRORS)
def list_evidence(inspection_id: RecordId, user: Principal = Depends(api_user), session: Session = Depends(db, scope="function")):
    service.fetch(session, user, inspection_id)
    return [_evidence(e) for e in service.evidence_of(session, inspection_id)]


@router.get("/inspections/{inspection_id}/evidence/{evidence_id}", response_model=EvidenceOut, responses=ERRORS)
def get_evidence(inspection_id: RecordId, evidence_id: RecordId, user: Principal = Depends(api_user),
                 session: Session = Depends(db, scope="function")):
    """One evidence item; for computed evidence, the result with the record ids behind every figure."""
    service.fetch(session, user, inspection_id)
    found = next((e for e in service.evidence_of(session, inspection_id) if e.id == evidence_id), None)
    if found is None:
        raise NotFound(f"no evidence {evidence_id} in inspection {inspection_id}")
    return _evidence(found)


@router.post("/inspections/{inspection_id}/evidence", response_model=EvidenceOut, status_code=201, responses=ERRORS)
def add_evidence(inspection_id: RecordId, data: EvidenceIn, user: Principal = Depends(api_user),
                 session: Session = Depends(db, scope="function")):
    return _evidence(service.add_evidence(session, user, inspection_id, data))


@router.post("/inspections/{inspection_id}/computed-evidence", response_model=EvidenceOut, status_code=201,
             responses=ERRORS)
def computed_evidence(inspection_id: RecordId, data: ComputedEvidenceIn, user: Principal = Depends(api_user),
                      session: Session = Depends(db, scope="function"), at: datetime = Depends(now),
                      settings: dict = Depends(force_settings)):
    """Compute evidence from Beacon's missing-person records over the inspection period."""
    return _evidence(service.compute_evidence(session, user, inspection_id, data, settings, at))


class IdentityOut(BaseModel):
    record_id: int
    reference: str
    name: str
    date_of_birth: str | None


@router.get("/inspections/{inspection_id}/evidence/{evidence_id}/cases/{record_id}/identity",
            response_model=IdentityOut, responses=ERRORS)
def reveal_identity(inspection_id: RecordId, evidence_id: RecordId, record_id: RecordId,
                    user: Principal = Depends(api_user), session: Session = Depends(db, scope="function")):
    """The name behind one sampled case, for an inspector checking the file: logged."""
    return IdentityOut(**service.reveal_sampled_identity(session, user, inspection_id, evidence_id, record_id))


@router.get("/inspections/{inspection_id}/assessments", response_model=list[AssessmentOut], responses=ERRORS)
def list_assessments(inspection_id: RecordId, user: Principal = Depends(api_user), session: Session = Depends(db, scope="function")):
    service.fetch(session, user, inspection_id)
    return [_assessment(a) for a in service.assessments_of(session, inspection_id)]


@router.put("/inspections/{inspection_id}/assessments/{criterion_id}", response_model=AssessmentOut,
            responses=ERRORS)
def assess(inspection_id: RecordId, criterion_id: CriterionId, data: AssessmentIn,
           user: Principal = Depends(api_user), session: Session = Depends(db, scope="function"), at: datetime = Depends(now)):
    return _assessment(service.assess(session, user, inspection_id, criterion_id, data, at))


@router.post("/inspections/{inspection_id}/grades", response_model=list[GradeOut], responses=ERRORS)
def grade(inspection_id: RecordId, user: Principal = Depends(api_user), session: Session = Depends(db, scope="function"),
          at: datetime = Depends(now), settings: dict = Depends(force_settings)):
    """Run the grading engine on every graded framework of the inspection."""
    return [_grade(g) for g in service.grade(session, user, inspection_id, settings, at)]


@router.get("/inspections/{inspection_id}/grades", response_model=list[GradeOut], responses=ERRORS)
def list_grades(inspection_id: RecordId, user: Principal = Depends(api_user), session: Session = Depends(db, scope="function")):
    service.fetch(session, user, inspection_id)
    return [_grade(g) for g in service.grades_of(session, inspection_id)]


@router.post("/inspections/{inspection_id}/grades/{framework_id}/moderation", response_model=GradeOut,
             responses=ERRORS)
def moderate(inspection_id: RecordId, framework_id: CriterionId, data: ModerationIn,
             user: Principal = Depends(api_user), session: Session = Depends(db, scope="function"), at: datetime = Depends(now)):
    """Set the moderated grade, with the rationale (required)."""
    return _grade(service.moderate(session, user, inspection_id, framework_id, data, at))


@router.get("/practice", response_model=list[PracticeOut], responses=ERRORS)
def search_practice(q: Annotated[str, Query(max_length=200)] = "",
                    framework_id: Annotated[str | None, Query(max_length=80)] = None,
                    evaluated: bool | None = None, user: Principal = Depends(api_user),
                    session: Session = Depends(db, scope="function")):
    return [_practice(p) for p in service.search_practice(session, user, q, framework_id, evaluated)]


@router.post("/practice", response_model=PracticeOut, status_code=201, responses=ERRORS)
def add_practice(data: PracticeIn, user: Principal = Depends(api_user), session: Session = Depends(db, scope="function")):
    return _practice(service.add_practice(session, user, data))


class NationalOut(BaseModel):
    library_id: str
    distribution: dict[str, dict[Grade, int]]
    flags: list[dict[str, Any]]


@router.get("/national", response_model=NationalOut, responses=ERRORS)
def national(library_id: Annotated[str, Query(max_length=40, pattern=r"^[a-z0-9\-]+$")] = "hmic-2007",
             user: Principal = Depends(api_user), session: Session = Depends(db, scope="function"),
             settings: dict = Depends(force_settings)):
    """The national summary of judgements and the moderation flags against most similar forces."""
    picture = reporting.national_picture(session, user, library_id, settings)
    return NationalOut(library_id=library_id, distribution=picture.distribution,
                       flags=[f.__dict__ for f in picture.flags])
