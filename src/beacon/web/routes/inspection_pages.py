"""Inspector pages: the inspections list, an inspection's overview and stages, a framework's
criteria, evidence, assessments, grade and moderation, the drill-down behind computed evidence,
the names behind a case-file sample and the requests to see others (``/reveals``), the report
(HTML and PDF), the developing practice register and the national picture.

Every read and write goes through ``beacon.inspection.service`` (or ``reporting``), which check
access and log it. Forms carry the CSRF token (``checked_form``); bad input re-renders the page
with the GOV.UK error summary naming the field (422), a conflict with someone else's change is
a 409, and a role that may only read gets a 403 from the service.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from beacon import settings_repo
from beacon.access.audit import note, require
from beacon.access.policy import Action, Principal, decide, scope
from beacon.assurance import child_protection as cp_audit
from beacon.assurance import domestic_abuse as da_audit
from beacon.assurance import missing_persons as mp_audit
from beacon.assurance.results import AuditResult, FileSample, result_from_json
from beacon.cases.child_protection.models import ChildDecision
from beacon.cases.missing_persons.models import MissingReport, reference_for
from beacon.errors import Conflict, Forbidden, Invalid, NotFound
from beacon.inspection import explain, live_grades, national_picture, reveals, service
from beacon.inspection import proposals as proposals_of
from beacon.inspection import repository as inspection_repo
from beacon.inspection.grading import GradeDecision
from beacon.inspection.models import (
    Inspection,
    Method,
    RevealStatus,
    Status,
    Verification,
)
from beacon.inspection.national import ORDER
from beacon.inspection.schemas import (
    AdvanceIn,
    AssessmentIn,
    ComputedEvidenceIn,
    ConfirmationIn,
    EvidenceIn,
    InspectionIn,
    ModerationIn,
    RevealDecisionIn,
    RevealRequestIn,
    WithdrawalIn,
)
from beacon.inspection.types import Finding, Framework, Grade, Level, Result, Standard
from beacon.org import repository as org_repo
from beacon.org.models import Division, Force
from beacon.reports import charts, inspection_report, wording
from beacon.reports import render as report_render
from beacon.rules.clocks import LONDON
from beacon.web.deps import CheckedForm, CurrentUser, Db, ForceSettings, Now
from beacon.web.forms import FormError, collect, form_errors, parse_date
from beacon.web.render import render

router = APIRouter(include_in_schema=False)

DEFAULT_LIBRARY = "hmic-2007"
RESULT_LABELS = {Result.MET: "Met", Result.PARTLY_MET: "Partly met", Result.NOT_MET: "Not met",
                 Result.NOT_EVIDENCED: "Not evidenced", Result.NOT_APPLICABLE: "Not applicable"}
RESULT_COLOURS = {Result.MET: "green", Result.PARTLY_MET: "yellow", Result.NOT_MET: "red",
                  Result.NOT_EVIDENCED: "grey", Result.NOT_APPLICABLE: "grey"}
METHOD_LABELS = {Method.DOCUMENT: "Document", Method.INTERVIEW: "Interview", Method.FOCUS_GROUP: "Focus group",
                 Method.OBSERVATION: "Observation", Method.SURVEY: "Survey",
                 Method.FILE_SAMPLE: "Case-file sample", Method.DATA: "Data"}
FINDING_LABELS = {Finding.STRENGTH: "Strength", Finding.WORK_IN_PROGRESS: "Work in progress",
                  Finding.AREA_FOR_IMPROVEMENT: "Area for improvement"}
VERIFICATION_LABELS = {Verification.UNVERIFIED: "Not yet verified", Verification.VERIFIED: "Verified",
                       Verification.DISPUTED: "Disputed"}
GRADE_COLOURS = {Grade.EXCELLENT: "green", Grade.GOOD: "blue", Grade.FAIR: "yellow", Grade.POOR: "red", None: "grey"}
LEVEL_COLOURS = {Level.FAIR: "grey", Level.GOOD: "blue", Level.EXCELLENT: "purple"}
STATUS_LABELS = {Status.PLANNED: "Planned", Status.FIELDWORK: "Fieldwork", Status.GRADING: "Grading",
                 Status.MODERATION: "Moderation", Status.PUBLISHED: "Published"}


# --- helpers ----------------------------------------------------------------------------------

async def posted(*, request: Request, _checked: CheckedForm) -> FormData:
    """The posted form with every value of repeated fields (checkboxes), after the CSRF check."""
    return await request.form()


def _text(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _values(form: FormData) -> dict:
    """The form as the templates refill it: single fields as text, repeated ones as lists."""
    out: dict = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    for key in set(form.keys()):
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        if len(values) > 1 or key in ("criterion_ids", "evidence_ids", "framework_ids"):
            out[key] = values
    return out


def _version(form: FormData) -> int:
    raw = _text(form, "version")
    return int(raw) if raw.isdigit() else 0


def key_of(criterion_id: str) -> str:
    """An HTML id for a criterion (dots are awkward in CSS selectors and error-summary links)."""
    return re.sub(r"[^a-z0-9]+", "-", criterion_id.lower())


def _period_days(inspection: Inspection) -> str:
    """'1 April 2006 to 31 March 2007': the period's end date is exclusive (the day after the last day counted)."""
    return f"{wording.day_text(inspection.period_start)} to {wording.day_text(inspection.period_end - timedelta(days=1))}"


def _can(user: Principal, action: Action) -> bool:
    return decide(user, action, "inspection").allowed


def _framework_in(inspection: Inspection, framework_id: str) -> Framework:
    if framework_id not in inspection.framework_ids:
        raise NotFound(f"{framework_id} is not one of inspection {inspection.id}'s frameworks")
    return service.library(inspection.library_id).framework(framework_id)


def _errors_from(exc: Exception, fields: dict[str, str], conflict_field: str) -> tuple[dict[str, str], int]:
    if isinstance(exc, FormError):
        return exc.errors, 422
    if isinstance(exc, ValidationError | Invalid):
        return form_errors(exc, fields), 422
    if isinstance(exc, Conflict):
        return {conflict_field: str(exc)[:1].upper() + str(exc)[1:]}, 409
    raise exc


FORM_ERRORS = (FormError, ValidationError, Invalid, Conflict)


def _require_text(errors: dict[str, str], form: FormData, name: str, field: str, message: str,
                  minimum: int = 1) -> None:
    if len(_text(form, name)) < minimum:
        errors.setdefault(field, message)


def _list_inspections(session: Session, user: Principal) -> list[Inspection]:
    require(session, user, Action.READ, "inspection")
    rows = list(session.scalars(select(Inspection).order_by(Inspection.id.desc())))
    note(session, user, "list", "inspection", "", detail="ids=" + ",".join(str(i.id) for i in rows))
    return rows


def _forces(session: Session) -> dict[int, str]:
    return {f.id: f.name for f in session.scalars(select(Force).order_by(Force.name))}


def _references(session: Session, user: Principal, ids: list[int]) -> dict[int, str]:
    """Missing-person references (never names) for record ids, within the user's access."""
    if not ids:
        return {}
    s = scope(user, "missing_report")
    if not s.allowed:
        require(session, user, Action.READ, "missing_report")
    stmt = select(MissingReport.id, MissingReport.reported_at, MissingReport.division_id).where(
        MissingReport.id.in_(ids))
    if s.division_ids is not None:
        stmt = stmt.where(MissingReport.division_id.in_(s.division_ids))
    out = {rid: reference_for(rid, at) for rid, at, _div in session.execute(stmt)}
    note(session, user, "list", "missing_report", "", detail=f"drill-down of {len(out)} records")
    return out


# --- the list and a new inspection ------------------------------------------------------------

def _list(request: Request, session: Session, user: Principal, status_code: int = 200, **extra):
    rows = _list_inspections(session, user)
    forces = _forces(session)
    lib = service.library(DEFAULT_LIBRARY)
    settings = settings_repo.load(session)
    titles = {f.id: f.title for f in lib.frameworks}
    fell = [(titles.get(fid, fid), before, now) for fid, before, now in live_grades.falls(session, DEFAULT_LIBRARY)]
    return render(request, "inspection/list.html", status_code=status_code, title="Inspections",
                  inspections=rows, forces=forces, statuses=STATUS_LABELS, library=lib, live_falls=fell,
                  can_create=_can(user, Action.CREATE), sample_default=service.default_sample_size(settings),
                  sample_max=int(settings["inspection.file_sample_max"]), **extra)


@router.get("/inspections")
def list_page(*, request: Request, user: CurrentUser, session: Db):
    return _list(request, session, user)


SAMPLE_NOUNS = {"mp.file_sample": "missing-person reports", "da.file_sample": "domestic abuse risk forms",
                "cp.file_sample": "child protection cases"}
SAMPLE_SIZE_FIELDS = {f"sample_sizes.{kind}": "sample_size" for kind in service.FILE_SAMPLES}


@router.post("/inspections")
def create_inspection(*, request: Request, form: FormData = Depends(posted), user: CurrentUser,
                      session: Db, at: Now,
                      settings: ForceSettings):
    dates = {}
    date_errors = collect(lambda: dates.update(start=parse_date(form, "period_start", "the start of the period")),
                          lambda: dates.update(end=parse_date(form, "period_end", "the end of the period")))
    errors: dict[str, str] = {}   # in the order the form asks
    _require_text(errors, form, "title", "title", "Enter a title for the inspection")
    if not _text(form, "force_id").isdigit():
        errors["force_id"] = "Choose the force to inspect"
    if not form.getlist("framework_ids"):
        errors["framework_ids"] = "Choose at least one framework to inspect"
    errors.update(date_errors)
    size = _text(form, "sample_size")
    if size and not size.isdigit():
        errors["sample_size"] = "Enter the number of files in each case-file sample as a whole number"
    try:
        if errors:
            raise FormError(errors)
        data = InspectionIn.model_validate({
            "force_id": int(_text(form, "force_id")), "title": _text(form, "title"), "library_id": DEFAULT_LIBRARY,
            "framework_ids": form.getlist("framework_ids"), "period_start": dates["start"],
            "period_end": dates["end"], "sample_sizes": {k: int(size) for k in service.FILE_SAMPLES} if size else {},
            "starts_from": int(_text(form, "starts_from")) if _text(form, "starts_from").isdigit() else None})
        inspection = service.create(session, user, data, at, settings)
    except FORM_ERRORS as exc:
        errors, status = _errors_from(exc, {"period_start": "period_start", "period_end": "period_end",
                                            "starts_from": "starts_from", **SAMPLE_SIZE_FIELDS}, "title")
    else:
        return RedirectResponse(f"/inspections/{inspection.id}?done=created", status_code=303)
    session.rollback()
    return _list(request, session, user, status_code=status, errors=errors, values=_values(form))


# --- an inspection ----------------------------------------------------------------------------

def _overview(request: Request, session: Session, user: Principal, inspection_id: int, status_code: int = 200,
              **extra):
    inspection = service.fetch(session, user, inspection_id)
    lib = service.library(inspection.library_id)
    grades = {g.framework_id: g for g in inspection_repo.grades_of(session, inspection_id)}
    evidence = inspection_repo.evidence_of(session, inspection_id)
    assessed = inspection_repo.assessments_of(session, inspection_id)
    rows = []
    for fid in inspection.framework_ids:
        fw = lib.framework(fid)
        g = grades.get(fid)
        decision = GradeDecision.from_json(json.loads(g.explanation)) if g else None
        rows.append({"id": fid, "title": fw.title, "graded": fw.graded, "criteria": len(fw.criteria),
                     "assessed": sum(1 for a in assessed if a.framework_id == fid),
                     "evidence": sum(1 for e in evidence if e.framework_id == fid), "grade": g,
                     "needs_moderation": bool(g and decision and decision.needs_moderation
                                              and g.moderated_grade is None)})
    next_status = service.NEXT.get(inspection.status)
    settings = settings_repo.load(session)
    sizes = ", ".join(f"{SAMPLE_NOUNS[k]} {service.sample_size(inspection, k, settings)}" for k in service.FILE_SAMPLES)
    return render(request, "inspection/overview.html", status_code=status_code, title=inspection.title,
                  sample_sizes_text=sizes,
                  inspection=inspection, force=session.get(Force, inspection.force_id), frameworks=rows,
                  statuses=STATUS_LABELS, next_status=next_status, grade_colours=GRADE_COLOURS,
                  period=_period_days(inspection),
                  can_write=_can(user, Action.UPDATE) and inspection.status is not Status.PUBLISHED, **extra)


@router.get("/inspections/{inspection_id:int}")
def overview_page(*, request: Request, inspection_id: int, done: str = "", user: CurrentUser,
                  session: Db):
    return _overview(request, session, user, inspection_id, done=done[:20])


@router.post("/inspections/{inspection_id:int}/status")
def advance(*, request: Request, inspection_id: int, form: FormData = Depends(posted),
            user: CurrentUser, session: Db, at: Now):
    try:
        data = AdvanceIn.model_validate({"version": _version(form), "status": _text(form, "status") or None})
        service.advance(session, user, inspection_id, data, at)
    except FORM_ERRORS as exc:
        errors, status = _errors_from(exc, {"version": "status"}, "status")
    else:
        return RedirectResponse(f"/inspections/{inspection_id}?done=status", status_code=303)
    session.rollback()
    return _overview(request, session, user, inspection_id, status_code=status, errors=errors)


@router.post("/inspections/{inspection_id:int}/grades")
def run_grading(*, request: Request, inspection_id: int, form: FormData = Depends(posted),
                user: CurrentUser, session: Db, at: Now,
                settings: ForceSettings):
    back = _text(form, "framework_id")
    try:
        service.grade(session, user, inspection_id, settings, at)
    except FORM_ERRORS as exc:
        errors, status = _errors_from(exc, {}, "run-grading")
    else:
        target = f"/inspections/{inspection_id}"
        if back and re.fullmatch(r"[a-z0-9_]{1,60}", back):
            target += f"/frameworks/{back}"
        return RedirectResponse(f"{target}?done=graded", status_code=303)
    session.rollback()
    if back:
        return _framework_page(request, session, user, inspection_id, back, status_code=status, errors=errors)
    return _overview(request, session, user, inspection_id, status_code=status, errors=errors)


# --- a framework ------------------------------------------------------------------------------

def _computed_rates(evidence) -> list[dict]:
    if not evidence.computed_kind:
        return []
    result = result_from_json(json.loads(evidence.computed_result or "{}"))
    return [{"rule_id": k, "title": r.title, "met": r.met, "applicable": r.applicable,
             "rate": f"{r.rate:.0%}" if r.rate is not None else "n/a", "failing": len(r.failing)}
            for k, r in result.rates.items()]


def _routes(session: Session, inspection: Inspection, fw: Framework, settings: Mapping[str, object]) -> dict:
    """What would move the framework's grade up or down, as sentences (None: no route)."""
    names = explain.division_names(session)
    found = explain.explain_framework(session, inspection, fw, settings)
    return {d: r.sentence(names) if r else None for d, r in found.routes.items()}


def _framework_page(request: Request, session: Session, user: Principal, inspection_id: int, framework_id: str,
                    status_code: int = 200, **extra):
    inspection = service.fetch(session, user, inspection_id)
    fw = _framework_in(inspection, framework_id)
    evidence = inspection_repo.evidence_of(session, inspection_id, framework_id)
    assessments = {a.criterion_id: a for a in inspection_repo.assessments_of(session, inspection_id)}
    grade = next((g for g in inspection_repo.grades_of(session, inspection_id) if g.framework_id == framework_id), None)
    groups = []
    for std in Standard:
        criteria = [c for c in fw.criteria if c.standard is std]
        if criteria:
            groups.append({"label": std.value.replace("_", " ").capitalize(), "criteria": [
                {"c": c, "key": key_of(c.id), "assessment": assessments.get(c.id),
                 "evidence_ids": json.loads(assessments[c.id].evidence_ids) if c.id in assessments else []}
                for c in criteria]})
    settings = settings_repo.load(session)
    items = [{"e": e, "rates": _computed_rates(e) if e.computed_kind else [],
              "params": json.loads(e.computed_params or "{}"), "expired": service.expired(e, inspection, settings)}
             for e in evidence]
    writable = inspection.status is not Status.PUBLISHED
    kind = next((k for k in service.FILE_SAMPLES if service.COMPUTED_KINDS[k].framework_id == framework_id), None)
    sampling = {"kind": kind, "size": service.sample_size(inspection, kind, settings),
                "live": service.live_sample(session, inspection_id, framework_id, kind)} if kind else None
    return render(
        request, "inspection/framework.html", status_code=status_code, title=fw.title, inspection=inspection,
        framework=fw, groups=groups, evidence=items, grade=grade,
        proposals=proposals_of.for_inspection(fw, evidence, settings),
        division_names={str(d.id): d.name for d in org_repo.divisions(session)},
        decision=GradeDecision.from_json(json.loads(grade.explanation)) if grade else None, criteria_text={c.id: c.text for c in fw.criteria},
        routes=_routes(session, inspection, fw, settings) if fw.graded else {},
        results=RESULT_LABELS, result_colours=RESULT_COLOURS, methods=METHOD_LABELS, findings=FINDING_LABELS,
        verifications=VERIFICATION_LABELS, grades=list(Grade), grade_colours=GRADE_COLOURS,
        level_colours=LEVEL_COLOURS, statuses=STATUS_LABELS, expiry_months=int(settings["inspection.evidence_expiry_months"]), key_of=key_of, period=_period_days(inspection),
        can_write=_can(user, Action.UPDATE) and writable, can_review=_can(user, Action.REVIEW) and writable,
        sampling=sampling, **extra)


@router.get("/inspections/{inspection_id:int}/frameworks/{framework_id}")
def framework_page(*, request: Request, inspection_id: int, framework_id: str, done: str = "",
                   user: CurrentUser, session: Db):
    return _framework_page(request, session, user, inspection_id, framework_id[:60], done=done[:20])


EVIDENCE_FIELDS = {"gathered_on": "gathered_on", "criterion_ids": "criterion_ids", "framework_id": "title"}


@router.post("/inspections/{inspection_id:int}/frameworks/{framework_id}/evidence")
def add_evidence(*, request: Request, inspection_id: int, framework_id: str, form: FormData = Depends(posted),
                 user: CurrentUser, session: Db, at: Now, settings: ForceSettings):
    gathered = {}
    errors: dict[str, str] = {}   # in the order the form asks
    if _text(form, "method") not in Method._value2member_map_:
        errors["method"] = "Choose how the evidence was gathered"
    _require_text(errors, form, "title", "title", "Enter a title for the evidence")
    _require_text(errors, form, "summary", "summary", "Enter a summary of what the evidence shows")
    _require_text(errors, form, "source", "source", "Enter where the evidence came from")
    errors.update(collect(lambda: gathered.update(v=parse_date(form, "gathered_on", "the date it was gathered"))))
    try:
        if errors:
            raise FormError(errors)
        data = EvidenceIn.model_validate({
            "framework_id": framework_id, "method": _text(form, "method"), "title": _text(form, "title"),
            "summary": _text(form, "summary"), "source": _text(form, "source"), "gathered_on": gathered["v"],
            "verification": _text(form, "verification") or "unverified", "finding": _text(form, "finding") or None,
            "shows_beacon": bool(_text(form, "shows_beacon")),
            "shows_innovation": bool(_text(form, "shows_innovation")),
            "criterion_ids": form.getlist("criterion_ids")})
        service.add_evidence(session, user, inspection_id, data, settings, at)
    except FORM_ERRORS as exc:
        errors, status = _errors_from(exc, EVIDENCE_FIELDS, "title")
    else:
        return RedirectResponse(f"/inspections/{inspection_id}/frameworks/{framework_id}?done=evidence#evidence",
                                status_code=303)
    session.rollback()
    return _framework_page(request, session, user, inspection_id, framework_id, status_code=status, errors=errors,
                           values=_values(form), open_form="evidence")


@router.post("/inspections/{inspection_id:int}/frameworks/{framework_id}/computed-evidence")
def computed_evidence(*, request: Request, inspection_id: int, framework_id: str, form: FormData = Depends(posted),
                      user: CurrentUser, session: Db,
                      at: Now, settings: ForceSettings):
    kind = _text(form, "kind")
    body: dict = {"kind": kind, "framework_id": framework_id}
    errors: dict[str, str] = {}
    sample = kind.endswith(".file_sample")
    raw = _text(form, "n")
    if sample and raw:   # fewer files than the inspection's size; the seed is Beacon's
        if not raw.isdigit():
            errors["n"] = "Enter the number of files to sample as a whole number"
        else:
            body["n"] = int(raw)
    button = "draw-sample" if sample else "compute-compliance"
    try:
        if errors:
            raise FormError(errors)
        service.compute_evidence(session, user, inspection_id, ComputedEvidenceIn.model_validate(body), settings, at)
    except FORM_ERRORS as exc:
        errors, status = _errors_from(exc, {"kind": button, "framework_id": button}, button)
    else:
        return RedirectResponse(f"/inspections/{inspection_id}/frameworks/{framework_id}?done=computed#evidence",
                                status_code=303)
    session.rollback()
    return _framework_page(request, session, user, inspection_id, framework_id, status_code=status, errors=errors,
                           values=_values(form), open_form="computed")


@router.post("/inspections/{inspection_id:int}/frameworks/{framework_id}/assessments/{criterion_id}")
def assess(*, request: Request, inspection_id: int, framework_id: str, criterion_id: str,
           form: FormData = Depends(posted), user: CurrentUser, session: Db,
           at: Now):
    key = key_of(criterion_id)
    fields = {"result": f"{key}-result", "justification": f"{key}-justification",
              "evidence_ids": f"{key}-evidence", "version": f"{key}-result", "override_reason": f"{key}-override"}
    errors: dict[str, str] = {}
    if _text(form, "result") not in Result._value2member_map_:
        errors[fields["result"]] = "Choose a result for this criterion"
    _require_text(errors, form, "justification", fields["justification"],
                  "Explain the assessment in at least 20 characters", minimum=20)
    raw_ids = form.getlist("evidence_ids")
    if any(not str(i).isdigit() for i in raw_ids):
        errors[fields["evidence_ids"]] = "Choose evidence from the list"
    try:
        if errors:
            raise FormError(errors)
        version = _version(form)
        data = AssessmentIn.model_validate({"result": _text(form, "result"),
                                            "justification": _text(form, "justification"),
                                            "evidence_ids": [int(i) for i in raw_ids],
                                            "version": version or None,
                                            "override_reason": _text(form, "override_reason")})
        service.assess(session, user, inspection_id, criterion_id, data, at, settings_repo.load(session))
    except FORM_ERRORS as exc:
        errors, status = _errors_from(exc, fields, fields["result"])
    else:
        return RedirectResponse(f"/inspections/{inspection_id}/frameworks/{framework_id}?done=assessed#criterion-{key}",
                                status_code=303)
    session.rollback()
    return _framework_page(request, session, user, inspection_id, framework_id, status_code=status, errors=errors,
                           values=_values(form), open_form=criterion_id)


@router.post("/inspections/{inspection_id:int}/frameworks/{framework_id}/assessments/{criterion_id}/accept")
def accept_proposal(*, request: Request, inspection_id: int, framework_id: str, criterion_id: str,
                    form: FormData = Depends(posted), user: CurrentUser, session: Db, at: Now):
    key = key_of(criterion_id)
    try:
        service.accept_proposal(session, user, inspection_id, criterion_id, _version(form) or None,
                                settings_repo.load(session), at)
    except FORM_ERRORS as exc:
        errors, status = _errors_from(exc, {"result": f"{key}-result", "version": f"{key}-result"}, f"{key}-result")
    else:
        return RedirectResponse(f"/inspections/{inspection_id}/frameworks/{framework_id}?done=accepted#criterion-{key}",
                                status_code=303)
    session.rollback()
    return _framework_page(request, session, user, inspection_id, framework_id, status_code=status, errors=errors,
                           values={}, open_form=criterion_id)


@router.post("/inspections/{inspection_id:int}/frameworks/{framework_id}/moderation")
def moderate(*, request: Request, inspection_id: int, framework_id: str, form: FormData = Depends(posted),
             user: CurrentUser, session: Db, at: Now):
    errors: dict[str, str] = {}
    if _text(form, "grade") not in Grade._value2member_map_:
        errors["grade"] = "Choose the moderated grade"
    _require_text(errors, form, "rationale", "rationale",
                  "Give the rationale for the moderated grade, in at least 20 characters", minimum=20)
    try:
        if errors:
            raise FormError(errors)
        data = ModerationIn.model_validate({"version": _version(form), "grade": _text(form, "grade"),
                                            "rationale": _text(form, "rationale")})
        service.moderate(session, user, inspection_id, framework_id, data, at)
    except FORM_ERRORS as exc:
        errors, status = _errors_from(exc, {"version": "grade"}, "grade")
    except NotFound as exc:
        errors, status = {"grade": str(exc)[:1].upper() + str(exc)[1:] + ": run the grading engine first"}, 409
    else:
        return RedirectResponse(f"/inspections/{inspection_id}/frameworks/{framework_id}?done=moderated#grade-section",
                                status_code=303)
    session.rollback()
    return _framework_page(request, session, user, inspection_id, framework_id, status_code=status, errors=errors,
                           values=_values(form), open_form="moderation")


@router.post("/inspections/{inspection_id:int}/frameworks/{framework_id}/confirmation")
def confirm_moderation(*, request: Request, inspection_id: int, framework_id: str, form: FormData = Depends(posted),
                       user: CurrentUser, session: Db):
    errors: dict[str, str] = {}
    _require_text(errors, form, "confirmation_rationale", "confirmation_rationale",
                  "Give your reason for confirming the moderated grade, in at least 20 characters", minimum=20)
    try:
        if errors:
            raise FormError(errors)
        data = ConfirmationIn.model_validate({"version": _version(form),
                                              "rationale": _text(form, "confirmation_rationale")})
        service.confirm_moderation(session, user, inspection_id, framework_id, data)
    except FORM_ERRORS as exc:
        errors, status = _errors_from(exc, {"version": "confirmation_rationale",
                                            "rationale": "confirmation_rationale"}, "confirmation_rationale")
    except Forbidden as exc:
        errors, status = {"confirmation_rationale": str(exc)[:1].upper() + str(exc)[1:]}, 403
    else:
        return RedirectResponse(f"/inspections/{inspection_id}/frameworks/{framework_id}?done=confirmed#grade-section",
                                status_code=303)
    session.rollback()
    return _framework_page(request, session, user, inspection_id, framework_id, status_code=status, errors=errors,
                           values=_values(form), open_form="confirmation")


# --- the records behind computed evidence -----------------------------------------------------

RECORD_PAGES: dict[str, tuple[str, str]] = {r.id: (r.record_noun, r.record_page)
                                           for r in (*mp_audit.RULES, *da_audit.RULES, *cp_audit.RULES)}
SAMPLED_PAGES = {"mp.": RECORD_PAGES["mp.supervisory_review"], "da.": RECORD_PAGES[da_audit.REVIEW],
                 "cp.": RECORD_PAGES[cp_audit.JOINT]}


def _record_links(session: Session, kind: str, rule_id: str | None, ids: list[int],
                  mp_refs: dict[int, str]) -> list[dict]:
    """Each record behind a figure with its reference and the page that shows it (where the
    reader's access allows, pseudonymised for inspectors)."""
    noun, page = RECORD_PAGES[rule_id] if rule_id else SAMPLED_PAGES[kind[:3]]
    if kind.startswith("mp."):     # a report's reference, never a name
        return [{"id": i, "reference": mp_refs.get(i, f"record {i}"), "href": page.format(i)} for i in ids]
    if noun == "decision":
        case_of = {decision: case for decision, case in session.execute(
            select(ChildDecision.id, ChildDecision.case_id).where(ChildDecision.id.in_(ids or [0])))}
        return [{"id": i, "reference": f"decision {i}, child case {case_of.get(i, '?')}",
                 "href": f"/child-protection/cases/{case_of[i]}#decision-{i}" if i in case_of else ""} for i in ids]
    return [{"id": i, "reference": f"{noun} {i}", "href": page.format(i)} for i in ids]

@router.get("/inspections/{inspection_id:int}/evidence/{evidence_id:int}")
def evidence_page(*, request: Request, inspection_id: int, evidence_id: int, done: str = "",
                  user: CurrentUser, session: Db):
    return _evidence_page(request, session, user, inspection_id, evidence_id, done=done[:20])


def _evidence_page(request: Request, session: Session, user: Principal, inspection_id: int, evidence_id: int,
                   status_code: int = 200, **extra):
    inspection = service.fetch(session, user, inspection_id)
    evidence = next((e for e in inspection_repo.evidence_of(session, inspection_id) if e.id == evidence_id), None)
    if evidence is None:
        raise NotFound(f"no evidence {evidence_id} in inspection {inspection_id}")
    fw = service.library(inspection.library_id).framework(evidence.framework_id)
    raw = json.loads(evidence.computed_result or "{}")
    result = result_from_json(raw) if evidence.computed_kind else None
    params = json.loads(evidence.computed_params or "{}")
    sample = list(result.cases) if isinstance(result, FileSample) else []
    ids = result.record_ids if result is not None else set()
    kind = evidence.computed_kind or ""
    missing_persons = kind.startswith("mp.")
    refs = _references(session, user, sorted(ids)) if missing_persons else {}
    rates = []
    for rule_id, r in (result.rates if result is not None else {}).items():
        rates.append({"rule_id": rule_id, "title": r.title, "met": r.met, "applicable": r.applicable,
                      "rate": f"{r.rate:.0%}" if r.rate is not None else "n/a",
                      "failing": _record_links(session, kind, rule_id, list(r.failing), refs) if kind else []})
    divisions = {d.id: d.name for d in session.scalars(select(Division))}
    by_division = [{"name": divisions.get(int(d), f"Division {d}"), "rates": {k: b.to_json() for k, b in v.items()}}
                   for d, v in (result.by_division.items() if isinstance(result, AuditResult) else ())]
    sampled = {link["id"]: link for link in
               _record_links(session, kind, None, [c.record_id for c in sample], refs)} if kind else {}
    cases = [{**c.to_json(), "reference": refs.get(c.record_id, c.reference),
              "href": sampled.get(c.record_id, {}).get("href", ""),
              "division": divisions.get(c.division_id, "")} for c in sample]
    rule_titles = {k: r.title for k, r in (result.rates if result is not None else {}).items()}
    records_api = None
    if missing_persons and params.get("since") and params.get("until"):
        records_api = ("/api/v1/missing-persons?" + "reported_from=" + _utc(params["since"]) + "&reported_to="
                       + _utc(params["until"]))
    allowance = next((a for a in reveals.allowance(session, inspection, settings_repo.load(session))
                      if a["kind"] == kind), None)
    return render(request, "inspection/evidence.html", status_code=status_code,
                  title=f"Evidence {evidence.id}: {evidence.title}",
                  inspection=inspection, framework=fw, evidence=evidence, result=raw, params=params, rates=rates,
                  by_division=by_division, cases=cases, rule_titles=rule_titles, records_api=records_api,
                  source=service.COMPUTED_KINDS[kind].source if kind in service.COMPUTED_KINDS else "",
                  period={k: _day(params[k]) for k in ("since", "until") if params.get(k)},
                  methods=METHOD_LABELS, findings=FINDING_LABELS, verifications=VERIFICATION_LABELS,
                  allowance=allowance, record_type=service.COMPUTED_KINDS[kind].record if allowance else "",
                  can_write=_can(user, Action.UPDATE) and inspection.status is not Status.PUBLISHED,
                  can_reveal=_can(user, Action.UPDATE), **extra)


@router.post("/inspections/{inspection_id:int}/evidence/{evidence_id:int}/withdrawal")
def withdraw_sample(*, request: Request, inspection_id: int, evidence_id: int, form: FormData = Depends(posted),
                    user: CurrentUser, session: Db,
                    at: Now):
    errors: dict[str, str] = {}
    _require_text(errors, form, "reason", "reason", "Say why the sample is withdrawn, in at least 20 characters",
                  minimum=20)
    try:
        if errors:
            raise FormError(errors)
        service.withdraw_sample(session, user, inspection_id, evidence_id,
                                WithdrawalIn.model_validate({"reason": _text(form, "reason")}), at)
    except FORM_ERRORS as exc:
        errors, status = _errors_from(exc, {}, "reason")
    else:
        return RedirectResponse(f"/inspections/{inspection_id}/evidence/{evidence_id}?done=withdrawn",
                                status_code=303)
    session.rollback()
    return _evidence_page(request, session, user, inspection_id, evidence_id, status_code=status, errors=errors,
                          values=_values(form))


# --- the names behind a sample, and requests to see others ------------------------------------

def _identity_page(request: Request, session: Session, inspection: Inspection, shown: dict, how: str):
    born = shown.get("date_of_birth")
    shown = {**shown, "date_of_birth": wording.day_text(date.fromisoformat(born)) if born else None}
    return render(request, "inspection/identity.html", title=f"The name behind {shown['reference']}",
                  inspection=inspection, shown=shown, how=how)


def _refused_page(request: Request, inspection: Inspection, record_type: str, record_id: int, message: str,
                  status_code: int):
    return render(request, "inspection/identity.html", status_code=status_code, title="The name is not shown",
                  inspection=inspection, refusal=message[:1].upper() + message[1:], record_type=record_type,
                  record_id=record_id, errors={"request-link": message[:1].upper() + message[1:]})


@router.post("/inspections/{inspection_id:int}/evidence/{evidence_id:int}/cases/{record_id:int}/identity")
def reveal_sampled(*, request: Request, inspection_id: int, evidence_id: int, record_id: int,
                   _form: FormData = Depends(posted), user: CurrentUser,
                   session: Db, at: Now,
                   settings: ForceSettings):
    """The name behind a sampled file, shown on a page of its own (never in a URL): logged."""
    inspection = service.fetch(session, user, inspection_id)
    try:
        shown = reveals.reveal_sampled_identity(session, user, inspection_id, evidence_id, record_id, settings, at)
    except (Invalid, Forbidden) as exc:
        _evidence, kind = service.sample_of(session, inspection_id, evidence_id)
        message = exc.errors["record_id"] if isinstance(exc, Invalid) else str(exc)
        return _refused_page(request, inspection, kind.record, record_id, message, exc.status)
    return _identity_page(request, session, inspection, shown, f"from case-file sample {evidence_id}")


RECORD_NOUNS = {"missing_report": "Missing-person report", "da_form": "Domestic abuse risk form",
                "child_case": "Child protection case"}
REVEAL_STATUS = {RevealStatus.IN_SAMPLE: ("Shown from the sample", "green"),
                 RevealStatus.PENDING: ("Awaiting a decision", "yellow"),
                 RevealStatus.APPROVED: ("Approved", "blue"), RevealStatus.REFUSED: ("Refused", "red")}


def _reveal_links(session: Session, user: Principal, rows) -> dict[int, dict]:
    """Each row's record as a reference and a link to its (pseudonymised) page."""
    kinds = {k.record: name for name, k in service.COMPUTED_KINDS.items() if k.identity is not None}
    mp_ids = sorted({r.record_id for r in rows if r.record_type == "missing_report"})
    refs = _references(session, user, mp_ids) if mp_ids else {}
    out = {}
    for r in rows:
        [link] = _record_links(session, kinds[r.record_type], None, [r.record_id], refs)
        out[r.id] = link
    return out


def _reveals_page(request: Request, session: Session, user: Principal, inspection_id: int, status_code: int = 200,
                  **extra):
    rows = reveals.reveals_of(session, user, inspection_id)
    inspection = session.get(Inspection, inspection_id)
    return render(request, "inspection/reveals.html", status_code=status_code, title="Names shown and requests",
                  inspection=inspection, rows=rows, links=_reveal_links(session, user, rows),
                  allowance=reveals.allowance(session, inspection, settings_repo.load(session)),
                  nouns=RECORD_NOUNS, statuses=REVEAL_STATUS, can_ask=_can(user, Action.UPDATE),
                  can_decide=_can(user, Action.REVIEW), **extra)


@router.get("/inspections/{inspection_id:int}/reveals")
def reveals_page(*, request: Request, inspection_id: int, done: str = "", record_type: str = "", record_id: str = "",
                 user: CurrentUser, session: Db):
    values = {"record_type": record_type if record_type in RECORD_NOUNS else "",
              "record_id": record_id if record_id.isdigit() and len(record_id) < 10 else ""}
    return _reveals_page(request, session, user, inspection_id, done=done[:20], values=values)


@router.post("/inspections/{inspection_id:int}/reveals")
def request_reveal(*, request: Request, inspection_id: int, form: FormData = Depends(posted),
                   user: CurrentUser, session: Db,
                   at: Now):
    errors: dict[str, str] = {}   # in the order the form asks
    if _text(form, "record_type") not in RECORD_NOUNS:
        errors["record_type"] = "Choose the kind of record"
    if not _text(form, "record_id").isdigit():
        errors["record_id"] = "Enter the record's number, for example 1234"
    _require_text(errors, form, "reason", "reason", "Say why you need to see the name, in at least 20 characters",
                  minimum=20)
    try:
        if errors:
            raise FormError(errors)
        reveals.request_reveal(session, user, inspection_id, RevealRequestIn.model_validate({
            "record_type": _text(form, "record_type"), "record_id": int(_text(form, "record_id")),
            "reason": _text(form, "reason")}), at)
    except FORM_ERRORS as exc:
        errors, status = _errors_from(exc, {}, "reason")
    else:
        return RedirectResponse(f"/inspections/{inspection_id}/reveals?done=requested", status_code=303)
    session.rollback()
    return _reveals_page(request, session, user, inspection_id, status_code=status, errors=errors,
                         values=_values(form), open_form="request")


@router.post("/inspections/{inspection_id:int}/reveals/{reveal_id:int}/decision")
def decide_reveal(*, request: Request, inspection_id: int, reveal_id: int, form: FormData = Depends(posted),
                  user: CurrentUser, session: Db,
                  at: Now):
    fields = {"decision": f"decision-{reveal_id}", "reason": f"decision-reason-{reveal_id}",
              "version": f"decision-{reveal_id}"}
    errors: dict[str, str] = {}
    if _text(form, "decision") not in ("approved", "refused"):
        errors[fields["decision"]] = "Choose whether to approve or refuse the request"
    _require_text(errors, form, "reason", fields["reason"], "Give the reason for the decision, in at least 20 "
                  "characters", minimum=20)
    try:
        if errors:
            raise FormError(errors)
        reveals.decide(session, user, inspection_id, reveal_id, RevealDecisionIn.model_validate({
            "version": _version(form), "decision": _text(form, "decision"), "reason": _text(form, "reason")}), at)
    except FORM_ERRORS as exc:
        errors, status = _errors_from(exc, fields, fields["decision"])
    except Forbidden as exc:
        errors, status = {fields["decision"]: str(exc)[:1].upper() + str(exc)[1:]}, 403
    else:
        return RedirectResponse(f"/inspections/{inspection_id}/reveals?done=decided", status_code=303)
    session.rollback()
    return _reveals_page(request, session, user, inspection_id, status_code=status, errors=errors,
                         values=_values(form), open_form=f"decision-{reveal_id}")


@router.post("/inspections/{inspection_id:int}/reveals/{reveal_id:int}/identity")
def approved_identity(*, request: Request, inspection_id: int, reveal_id: int, _form: FormData = Depends(posted),
                      user: CurrentUser, session: Db):
    """The name an approved request reveals, for the inspector who asked: logged."""
    inspection = service.fetch(session, user, inspection_id)
    try:
        shown = reveals.approved_identity(session, user, inspection_id, reveal_id)
    except (Conflict, Forbidden) as exc:
        return render(request, "inspection/identity.html", status_code=exc.status, title="The name is not shown",
                      inspection=inspection, refusal=str(exc)[:1].upper() + str(exc)[1:])
    return _identity_page(request, session, inspection, shown, f"by request {reveal_id}, approved")


def _day(iso: str) -> str:
    """A period bound as people read it: the date in England and Wales."""
    return datetime.fromisoformat(iso).astimezone(LONDON).strftime("%-d %B %Y")


def _utc(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- the report -------------------------------------------------------------------------------

@router.get("/inspections/{inspection_id:int}/report")
def report_page(*, inspection_id: int, user: CurrentUser, session: Db,
                settings: ForceSettings):
    return HTMLResponse(report_render.render_html(inspection_report.report_context(session, user, inspection_id, settings),
                                           back_url=f"/inspections/{inspection_id}",
                                           stylesheet_url="/static/report.css"))


@router.get("/inspections/{inspection_id:int}/report.pdf")
def report_pdf(*, inspection_id: int, user: CurrentUser, session: Db,
               settings: ForceSettings):
    context = inspection_report.report_context(session, user, inspection_id, settings)
    name = re.sub(r"[^a-z0-9]+", "-", context["force"]["name"].lower()).strip("-")
    return Response(report_render.render_pdf(context), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}-inspection-{inspection_id}.pdf"'})


# --- developing practice and the national picture ---------------------------------------------

@router.get("/practice")
def practice_page(*, request: Request, q: str = "", framework_id: str = "", evaluated: str = "",
                  user: CurrentUser, session: Db):
    lib = service.library(DEFAULT_LIBRARY)
    titles = {fw.id: fw.title for fw in lib.frameworks}
    framework_id = framework_id if framework_id in titles else ""
    evaluated = evaluated if evaluated in ("yes", "no") else ""
    rows = service.search_practice(session, user, q[:200], framework_id or None,
                                   {"yes": True, "no": False}.get(evaluated))
    return render(request, "inspection/practice.html", title="Developing practice", q=q[:200],
                  framework_id=framework_id, evaluated=evaluated, results=rows, titles=titles,
                  frameworks=lib.frameworks, forces=_forces(session))


@router.get("/national")
def national_page(*, request: Request, library_id: str = DEFAULT_LIBRARY, user: CurrentUser,
                  session: Db, settings: ForceSettings):
    if not re.fullmatch(r"[a-z0-9\-]{1,40}", library_id):
        library_id = DEFAULT_LIBRARY
    lib = service.library(library_id)
    picture = national_picture.national_picture(session, user, library_id, settings)
    forces = _forces(session)
    rows = []
    for fw in lib.frameworks:
        if not fw.graded:
            continue
        counts = picture.distribution.get(fw.id, {})
        total = sum(counts.values())
        rows.append({"id": fw.id, "title": fw.title, "area": fw.area, "total": total,
                     "counts": [int(counts.get(g, 0)) for g in ORDER],
                     "chart": charts.grade_chart(counts, f"National grade distribution: {fw.title}",
                                                 f"chart-{fw.id.replace('_', '-')}") if total else None})
    titles = {fw.id: fw.title for fw in lib.frameworks}
    flags = [{"force": forces.get(f.force_id, f"Force {f.force_id}"),
              "framework": titles.get(f.framework_id, f.framework_id),
              "grade": f.grade, "median": f.peer_median, "peers": f.peers, "reason": f.reason,
              "inspection_id": picture.counted.get((f.force_id, f.framework_id))} for f in picture.flags]
    counted = [{"force": forces.get(fid, f"Force {fid}"), "inspection_id": iid}
               for fid, ids in sorted(picture.inspection_ids.items(), key=lambda kv: forces.get(kv[0], ""))
               for iid in ids]
    return render(request, "inspection/national.html", title="National picture", library=lib, picture=picture,
                  rows=rows, flags=flags, counted=counted, grades=list(ORDER), grade_colours=GRADE_COLOURS,
                  gap=int(settings["moderation.msf_gap"]))
