"""The inspection JSON API (/api/v1/inspections, /api/v1/practice, /api/v1/national)."""
from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from beacon.errors import NotFound
from beacon.inspection import exports, national_picture, reveals, service
from beacon.inspection import repository as inspection_repo
from beacon.inspection.grading import GradeDecision
from beacon.inspection.schemas import (
    AdvanceIn,
    AssessmentIn,
    AssessmentOut,
    ComputedEvidenceIn,
    ConfirmationIn,
    CorrectionIn,
    CountedOut,
    DecisionOut,
    EvidenceIn,
    EvidenceOut,
    ExportOut,
    GradeOut,
    IdentityOut,
    InspectionIn,
    InspectionOut,
    ModerationIn,
    NationalOut,
    PracticeIn,
    PracticeOut,
    ProposalOut,
    RevealDecisionIn,
    RevealOut,
    RevealRequestIn,
    WithdrawalIn,
)
from beacon.schemas import WholeNumber
from beacon.web.deps import ApiUser, Db, ForceSettings, Now
from beacon.web.routes.responses import ERRORS

router = APIRouter(prefix="/api/v1", tags=["inspection"])
RecordId = Annotated[WholeNumber(1, 2**31 - 1), Path()]
CriterionId = Annotated[str, Path(min_length=1, max_length=80, pattern=r"^[a-z0-9_.\-]+$")]


def _inspection(i) -> InspectionOut:
    return InspectionOut(id=i.id, force_id=i.force_id, title=i.title, library_id=i.library_id,
                         library_version=i.library_version, framework_ids=i.framework_ids,
                         period_start=i.period_start.isoformat(), period_end=i.period_end.isoformat(),
                         status=i.status, edition=i.edition, supersedes_id=i.supersedes_id,
                         correction_reason=i.correction_reason, sample_sizes=json.loads(i.sample_sizes or "{}"),
                         starts_from_id=i.starts_from_id, version=i.version)


def _evidence(e) -> EvidenceOut:
    return EvidenceOut(id=e.id, framework_id=e.framework_id, method=e.method, title=e.title, summary=e.summary,
                       source=e.source, gathered_on=e.gathered_on.isoformat(), recorded_by=e.recorded_by,
                       verification=e.verification, finding=e.finding, shows_beacon=e.shows_beacon,
                       shows_innovation=e.shows_innovation, criterion_ids=e.criterion_ids,
                       computed_kind=e.computed_kind, computed_params=json.loads(e.computed_params),
                       computed_result=json.loads(e.computed_result), withdrawn_at=e.withdrawn_at,
                       withdrawn_by=e.withdrawn_by, withdrawal_reason=e.withdrawal_reason, carried_from_id=e.carried_from_id)


def _assessment(a) -> AssessmentOut:
    return AssessmentOut(criterion_id=a.criterion_id, framework_id=a.framework_id, result=a.result,
                         justification=a.justification, evidence_ids=json.loads(a.evidence_ids),
                         assessed_by=a.assessed_by, version=a.version, proposed_result=a.proposed_result,
                         overridden=a.overridden, override_reason=a.override_reason,
                         proposal=ProposalOut(**json.loads(a.proposal)) if a.proposal else None,
                         previous_result=a.previous_result, changed=a.changed)


def _grade(g) -> GradeOut:
    return GradeOut(framework_id=g.framework_id, grade=g.grade, engine_grade=g.engine_grade,
                    provisional=g.provisional, moderated_grade=g.moderated_grade,
                    moderation_rationale=g.moderation_rationale, moderated_by=g.moderated_by,
                    awaiting_confirmation=g.awaiting_confirmation, confirmed_by=g.confirmed_by,
                    confirmation_rationale=g.confirmation_rationale, explanation=DecisionOut(**GradeDecision.from_json(json.loads(g.explanation)).to_json()),
                    version=g.version)


def _practice(p) -> PracticeOut:
    return PracticeOut(**{f: getattr(p, f) for f in PracticeOut.model_fields})


@router.post("/inspections", response_model=InspectionOut, status_code=201, responses=ERRORS)
def create(*, data: InspectionIn, user: ApiUser, session: Db,
           at: Now, settings: ForceSettings):
    """A new inspection. Each case-file sample's size is fixed now: ``sample_sizes`` by kind, or the
    setting ``inspection.file_sample_size``, never above ``inspection.file_sample_max``."""
    return _inspection(service.create(session, user, data, at, settings))


@router.get("/inspections/{inspection_id}", response_model=InspectionOut, responses=ERRORS)
def read(*, inspection_id: RecordId, user: ApiUser, session: Db):
    return _inspection(service.fetch(session, user, inspection_id))


@router.post("/inspections/{inspection_id}/status", response_model=InspectionOut, responses=ERRORS)
def advance(*, inspection_id: RecordId, data: AdvanceIn, user: ApiUser,
            session: Db, at: Now):
    """Move the inspection to its next stage: planned → fieldwork → grading → moderation → published."""
    return _inspection(service.advance(session, user, inspection_id, data, at))


@router.post("/inspections/{inspection_id}/corrections", response_model=InspectionOut, status_code=201,
             responses=ERRORS)
def correct(*, inspection_id: RecordId, data: CorrectionIn, user: ApiUser,
            session: Db, at: Now):
    """Correct a published inspection: a new edition with the reason, back at grading."""
    return _inspection(service.correct(session, user, inspection_id, data, at))


@router.get("/inspections/{inspection_id}/evidence", response_model=list[EvidenceOut], responses=ERRORS)
def list_evidence(*, inspection_id: RecordId, user: ApiUser, session: Db):
    service.fetch(session, user, inspection_id)
    return [_evidence(e) for e in inspection_repo.evidence_of(session, inspection_id)]


@router.get("/inspections/{inspection_id}/evidence/{evidence_id}", response_model=EvidenceOut, responses=ERRORS)
def get_evidence(*, inspection_id: RecordId, evidence_id: RecordId, user: ApiUser,
                 session: Db):
    """One evidence item; for computed evidence, the result with the record ids behind every figure."""
    service.fetch(session, user, inspection_id)
    found = next((e for e in inspection_repo.evidence_of(session, inspection_id) if e.id == evidence_id), None)
    if found is None:
        raise NotFound(f"no evidence {evidence_id} in inspection {inspection_id}")
    return _evidence(found)


@router.post("/inspections/{inspection_id}/evidence", response_model=EvidenceOut, status_code=201, responses=ERRORS)
def add_evidence(*, inspection_id: RecordId, data: EvidenceIn, user: ApiUser,
                 session: Db, settings: ForceSettings, at: Now):
    """Typed evidence. ``gathered_on`` must fall within the inspection's evidence window (settings
    inspection.evidence_months_before and inspection.fieldwork_months) and not in the future."""
    return _evidence(service.add_evidence(session, user, inspection_id, data, settings, at))


@router.post("/inspections/{inspection_id}/computed-evidence", response_model=EvidenceOut, status_code=201,
             responses=ERRORS)
def computed_evidence(*, inspection_id: RecordId, data: ComputedEvidenceIn, user: ApiUser,
                      session: Db, at: Now,
                      settings: ForceSettings):
    """Compute evidence from Beacon's records over the inspection period. A case-file sample
    (``*.file_sample``) has the inspection's size (``n`` may ask for fewer) and a seed Beacon
    draws and records; a second live sample of a kind for a framework is a 409 until the first
    is withdrawn."""
    return _evidence(service.compute_evidence(session, user, inspection_id, data, settings, at))


@router.post("/inspections/{inspection_id}/evidence/{evidence_id}/withdrawal", response_model=EvidenceOut,
             responses=ERRORS)
def withdraw_sample(*, inspection_id: RecordId, evidence_id: RecordId, data: WithdrawalIn,
                    user: ApiUser, session: Db,
                    at: Now):
    """Withdraw a case-file sample, with the reason, so that another of its kind may be drawn. Names
    already shown from it still count against the sample's size."""
    return _evidence(service.withdraw_sample(session, user, inspection_id, evidence_id, data, at))


def _reveal(r) -> RevealOut:
    return RevealOut(**{f: getattr(r, f) for f in RevealOut.model_fields})


@router.get("/inspections/{inspection_id}/evidence/{evidence_id}/cases/{record_id}/identity",
            response_model=IdentityOut, responses=ERRORS)
def reveal_identity(*, inspection_id: RecordId, evidence_id: RecordId, record_id: RecordId,
                    user: ApiUser, session: Db,
                    at: Now, settings: ForceSettings):
    """The name behind one case of a live case-file sample, for an inspector checking the file:
    logged. Up to the sample's size of names per kind across the inspection; beyond it, or for a
    record not in the sample (422), ask for a second inspector's approval (``/reveals``)."""
    return IdentityOut(**reveals.reveal_sampled_identity(session, user, inspection_id, evidence_id, record_id,
                                                         settings, at))


@router.get("/inspections/{inspection_id}/reveals", response_model=list[RevealOut], responses=ERRORS)
def list_reveals(*, inspection_id: RecordId, user: ApiUser,
                 session: Db):
    """Every name shown from a sample (``in_sample``) and every request to see one, newest first."""
    return [_reveal(r) for r in reveals.reveals_of(session, user, inspection_id)]


@router.post("/inspections/{inspection_id}/reveals", response_model=RevealOut, status_code=201, responses=ERRORS)
def request_reveal(*, inspection_id: RecordId, data: RevealRequestIn, user: ApiUser,
                   session: Db, at: Now):
    """Ask to see the name behind a record beyond the inspection's sample: which record, and why
    (at least 20 characters). Another inspector approves or refuses it."""
    return _reveal(reveals.request_reveal(session, user, inspection_id, data, at))


@router.post("/inspections/{inspection_id}/reveals/{reveal_id}/decision", response_model=RevealOut,
             responses=ERRORS)
def decide_reveal(*, inspection_id: RecordId, reveal_id: RecordId, data: RevealDecisionIn,
                  user: ApiUser, session: Db,
                  at: Now):
    """Approve or refuse another inspector's request, with the reason (your own is a 403)."""
    return _reveal(reveals.decide(session, user, inspection_id, reveal_id, data, at))


@router.get("/inspections/{inspection_id}/reveals/{reveal_id}/identity", response_model=IdentityOut,
            responses=ERRORS)
def approved_identity(*, inspection_id: RecordId, reveal_id: RecordId, user: ApiUser,
                      session: Db):
    """The name behind an approved request, for the inspector who asked: logged each time."""
    return IdentityOut(**reveals.approved_identity(session, user, inspection_id, reveal_id))


@router.get("/inspections/{inspection_id}/assessments", response_model=list[AssessmentOut], responses=ERRORS)
def list_assessments(*, inspection_id: RecordId, user: ApiUser, session: Db):
    service.fetch(session, user, inspection_id)
    return [_assessment(a) for a in inspection_repo.assessments_of(session, inspection_id)]


@router.put("/inspections/{inspection_id}/assessments/{criterion_id}", response_model=AssessmentOut,
            responses=ERRORS)
def assess(*, inspection_id: RecordId, criterion_id: CriterionId, data: AssessmentIn,
           user: ApiUser, session: Db, at: Now, settings: ForceSettings):
    """Assess a criterion. For one bound to records, a result other than the proposal needs
    ``override_reason``."""
    return _assessment(service.assess(session, user, inspection_id, criterion_id, data, at, settings))


@router.get("/inspections/{inspection_id}/proposals", response_model=list[ProposalOut], responses=ERRORS)
def list_proposals(*, inspection_id: RecordId, user: ApiUser, session: Db, settings: ForceSettings):
    """What the inspection's computed evidence proposes for every bound criterion: the result, the
    figures, the thresholds and the evidence they come from."""
    return [ProposalOut(**p.to_json()) for p in service.proposals(session, user, inspection_id, settings).values()]


@router.post("/inspections/{inspection_id}/grades", response_model=list[GradeOut], responses=ERRORS)
def grade(*, inspection_id: RecordId, user: ApiUser, session: Db,
          at: Now, settings: ForceSettings):
    """Run the grading engine on every graded framework of the inspection."""
    return [_grade(g) for g in service.grade(session, user, inspection_id, settings, at)]


@router.get("/inspections/{inspection_id}/grades", response_model=list[GradeOut], responses=ERRORS)
def list_grades(*, inspection_id: RecordId, user: ApiUser, session: Db):
    service.fetch(session, user, inspection_id)
    return [_grade(g) for g in inspection_repo.grades_of(session, inspection_id)]


@router.post("/inspections/{inspection_id}/grades/{framework_id}/moderation", response_model=GradeOut,
             responses=ERRORS)
def moderate(*, inspection_id: RecordId, framework_id: CriterionId, data: ModerationIn,
             user: ApiUser, session: Db, at: Now):
    """Set the moderated grade, with the rationale (required). A grade more than one step from the
    engine's stands only once a second moderator confirms it (``.../confirmation``)."""
    return _grade(service.moderate(session, user, inspection_id, framework_id, data, at))


@router.post("/inspections/{inspection_id}/grades/{framework_id}/confirmation", response_model=GradeOut,
             responses=ERRORS)
def confirm_moderation(*, inspection_id: RecordId, framework_id: CriterionId, data: ConfirmationIn,
                       user: ApiUser, session: Db):
    """A second moderator (not the one who moderated) confirms a moderated grade more than one step
    from the engine's, with a rationale, so that it stands."""
    return _grade(service.confirm_moderation(session, user, inspection_id, framework_id, data))


@router.get("/inspections/{inspection_id}/export.json", response_model=ExportOut, responses=ERRORS)
def export_json(*, inspection_id: RecordId, user: ApiUser, session: Db):
    """Every criterion of the inspection with its result, justification, evidence and, for bound
    criteria, the records' proposal and any override: for the inspectorate's own tools."""
    return exports.to_json(inspection_id, exports.rows(session, user, inspection_id))


@router.get("/inspections/{inspection_id}/export.csv", response_class=Response, responses={
    **ERRORS, 200: {"content": {"text/csv": {}}, "description": "One row per criterion (columns as export.json); "
                    "a cell that would start a spreadsheet formula starts with an apostrophe."}})
def export_csv(*, inspection_id: RecordId, user: ApiUser, session: Db):
    """The assessment results as CSV, one row per criterion."""
    body = exports.to_csv(exports.rows(session, user, inspection_id))
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="inspection-{inspection_id}-assessments.csv"'})


@router.get("/practice", response_model=list[PracticeOut], responses=ERRORS)
def search_practice(*, q: Annotated[str, Query(max_length=200)] = "",
                    framework_id: Annotated[str | None, Query(max_length=80)] = None,
                    evaluated: bool | None = None, user: ApiUser,
                    session: Db):
    return [_practice(p) for p in service.search_practice(session, user, q, framework_id, evaluated)]


@router.post("/practice", response_model=PracticeOut, status_code=201, responses=ERRORS)
def add_practice(*, data: PracticeIn, user: ApiUser, session: Db):
    return _practice(service.add_practice(session, user, data))


@router.get("/national", response_model=NationalOut, responses=ERRORS)
def national(*, library_id: Annotated[str, Query(max_length=40, pattern=r"^[a-z0-9\-]+$")] = "hmic-2007",
             user: ApiUser, session: Db,
             settings: ForceSettings):
    """The national summary of judgements and the moderation flags against most similar forces."""
    picture = national_picture.national_picture(session, user, library_id, settings)
    return NationalOut(library_id=library_id, forces=picture.forces, distribution=picture.distribution,
                       flags=[f.__dict__ for f in picture.flags],
                       counted=[CountedOut(force_id=f, framework_id=fw, inspection_id=i)
                                for (f, fw), i in sorted(picture.counted.items())])
