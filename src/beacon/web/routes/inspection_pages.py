"""Inspector pages: the inspections list, an inspection's overview and stages, a framework's
criteria, evidence, assessments, grade and moderation, the drill-down behind computed evidence,
the report (HTML and PDF), the developing practice register and the national picture.

Every read and write goes through ``beacon.inspection.service`` (or ``reporting``), which check
access and log it. Forms carry the CSRF token (``checked_form``); bad input re-renders the page
with the GOV.UK error summary naming the field (422), a conflict with someone else's change is
a 409, and a role that may only read gets a 403 from the service.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from beacon.access.audit import note, require
from beacon.access.policy import Action, Principal, decide, scope
from beacon.assurance import child_protection as cp_audit
from beacon.assurance import domestic_abuse as da_audit
from beacon.cases.child_protection.models import ChildDecision
from beacon.cases.missing_persons.models import MissingReport, reference_for
from beacon.errors import Conflict, Invalid, NotFound
from beacon.inspection import report, reporting, service
from beacon.inspection.models import Inspection, Method, Status, Verification
from beacon.inspection.schemas import (AdvanceIn, AssessmentIn, ComputedEvidenceIn, EvidenceIn, InspectionIn,
                                       ModerationIn)
from beacon.inspection.types import Finding, Framework, Grade, Level, Result, Standard
from beacon.org.models import Division, Force
from beacon.rules.clocks import LONDON
from beacon.web.deps import checked_form, current_user, db, force_settings, now
from beacon.web.errors import field_errors
from beacon.web.forms import FormError, collect, parse_date, to_form_errors
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
GRADE_COLOURS = {Grade.EXCELLENT: "green", Grade.GOOD: "blue", Grade.FAIR: "yellow", Grade.POOR: "red"}
LEVEL_COLOURS = {Level.FAIR: "grey", Level.GOOD: "blue", Level.EXCELLENT: "purple"}
STATUS_LABELS = {Status.PLANNED: "Planned", Status.FIELDWORK: "Fieldwork", Status.GRADING: "Grading",
                 Status.MODERATION: "Moderation", Status.PUBLISHED: "Published"}


# --- helpers ----------------------------------------------------------------------------------

async def posted(request: Request, _checked: dict = Depends(checked_form)) -> FormData:
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
    return f"{report.day_text(inspection.period_start)} to {report.day_text(inspection.period_end - timedelta(days=1))}"


def _can(user: Principal, action: Action) -> bool:
    return decide(user, action, "inspection").allowed


def _framework_in(inspection: Inspection, framework_id: str) -> Framework:
    if framework_id not in inspection.framework_ids:
        raise NotFound(f"{framework_id} is not one of inspection {inspection.id}'s frameworks")
    return service.library(inspection.library_id).framework(framework_id)


def _errors_from(exc: Exception, fields: dict[str, str], conflict_field: str) -> tuple[dict[str, str], int]:
    if isinstance(exc, FormError):
        return exc.errors, 422
    if isinstance(exc, ValidationError):
        return to_form_errors(field_errors(exc.errors()), fields), 422
    if isinstance(exc, Invalid):
        return to_form_errors(exc.errors, fields), 422
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
    return render(request, "inspection/list.html", status_code=status_code, title="Inspections",
                  inspections=rows, forces=forces, statuses=STATUS_LABELS, library=lib,
                  can_create=_can(user, Action.CREATE), **extra)


@router.get("/inspections")
def list_page(request: Request, user: Principal = Depends(current_user), session: Session = Depends(db, scope="function")):
    return _list(request, session, user)


@router.post("/inspections")
def create_inspection(request: Request, form: FormData = Depends(posted), user: Principal = Depends(current_user),
                      session: Session = Depends(db, scope="function"), at: datetime = Depends(now)):
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
    try:
        if errors:
            raise FormError(errors)
        data = InspectionIn.model_validate({
            "force_id": int(_text(form, "force_id")), "title": _text(form, "title"), "library_id": DEFAULT_LIBRARY,
            "framework_ids": form.getlist("framework_ids"), "period_start": dates["start"],
            "period_end": dates["end"]})
        inspection = service.create(session, user, data, at)
    except FORM_ERRORS as exc:
        errors, status = _errors_from(exc, {"period_start": "period_start", "period_end": "period_end"}, "title")
    else:
        return RedirectResponse(f"/inspections/{inspection.id}?done=created", status_code=303)
    session.rollback()
    return _list(request, session, user, status_code=status, errors=errors, values=_values(form))


# --- an inspection ----------------------------------------------------------------------------

def _overview(request: Request, session: Session, user: Principal, inspection_id: int, status_code: int = 200,
              **extra):
    inspection = service.fetch(session, user, inspection_id)
    lib = service.library(inspection.library_id)
    grades = {g.framework_id: g for g in service.grades_of(session, inspection_id)}
    evidence = service.evidence_of(session, inspection_id)
    assessed = service.assessments_of(session, inspection_id)
    rows = []
    for fid in inspection.framework_ids:
        fw = lib.framework(fid)
        g = grades.get(fid)
        decision = json.loads(g.explanation) if g else {}
        rows.append({"id": fid, "title": fw.title, "graded": fw.graded, "criteria": len(fw.criteria),
                     "assessed": sum(1 for a in assessed if a.framework_id == fid),
                     "evidence": sum(1 for e in evidence if e.framework_id == fid), "grade": g,
                     "needs_moderation": bool(g and (g.provisional or decision.get("moderation"))
                                              and g.moderated_grade is None)})
    next_status = service.NEXT.get(inspection.status)
    return render(request, "inspection/overview.html", status_code=status_code, title=inspection.title,
                  inspection=inspection, force=session.get(Force, inspection.force_id), frameworks=rows,
                  statuses=STATUS_LABELS, next_status=next_status, grade_colours=GRADE_COLOURS,
                  period=_period_days(inspection),
                  can_write=_can(user, Action.UPDATE) and inspection.status is not Status.PUBLISHED, **extra)


@router.get("/inspections/{inspection_id:int}")
def overview_page(request: Request, inspection_id: int, done: str = "", user: Principal = Depends(current_user),
                  session: Session = Depends(db, scope="function")):
    return _overview(request, session, user, inspection_id, done=done[:20])


@router.post("/inspections/{inspection_id:int}/status")
def advance(request: Request, inspection_id: int, form: FormData = Depends(posted),
            user: Principal = Depends(current_user), session: Session = Depends(db, scope="function"), at: datetime = Depends(now)):
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
def run_grading(request: Request, inspection_id: int, form: FormData = Depends(posted),
                user: Principal = Depends(current_user), session: Session = Depends(db, scope="function"), at: datetime = Depends(now),
                settings: dict = Depends(force_settings)):
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
    result = json.loads(evidence.computed_result or "{}")
    return [{"rule_id": k, "title": r["title"], "met": r["met"], "applicable": r["applicable"],
             "rate": f"{r['rate']:.0%}" if r.get("rate") is not None else "n/a",
             "failing": len(r.get("failing", []))} for k, r in result.get("rates", {}).items()]


def _framework_page(request: Request, session: Session, user: Principal, inspection_id: int, framework_id: str,
                    status_code: int = 200, **extra):
    inspection = service.fetch(session, user, inspection_id)
    fw = _framework_in(inspection, framework_id)
    evidence = service.evidence_of(session, inspection_id, framework_id)
    assessments = {a.criterion_id: a for a in service.assessments_of(session, inspection_id)}
    grade = next((g for g in service.grades_of(session, inspection_id) if g.framework_id == framework_id), None)
    groups = []
    for std in Standard:
        criteria = [c for c in fw.criteria if c.standard is std]
        if criteria:
            groups.append({"label": std.value.replace("_", " ").capitalize(), "criteria": [
                {"c": c, "key": key_of(c.id), "assessment": assessments.get(c.id),
                 "evidence_ids": json.loads(assessments[c.id].evidence_ids) if c.id in assessments else []}
                for c in criteria]})
    items = [{"e": e, "rates": _computed_rates(e) if e.computed_kind else [],
              "params": json.loads(e.computed_params or "{}")} for e in evidence]
    writable = inspection.status is not Status.PUBLISHED
    return render(
        request, "inspection/framework.html", status_code=status_code, title=fw.title, inspection=inspection,
        framework=fw, groups=groups, evidence=items, grade=grade,
        decision=json.loads(grade.explanation) if grade else None, criteria_text={c.id: c.text for c in fw.criteria},
        results=RESULT_LABELS, result_colours=RESULT_COLOURS, methods=METHOD_LABELS, findings=FINDING_LABELS,
        verifications=VERIFICATION_LABELS, grades=list(Grade), grade_colours=GRADE_COLOURS,
        level_colours=LEVEL_COLOURS, statuses=STATUS_LABELS, key_of=key_of, period=_period_days(inspection),
        can_write=_can(user, Action.UPDATE) and writable, can_review=_can(user, Action.REVIEW) and writable,
        **extra)


@router.get("/inspections/{inspection_id:int}/frameworks/{framework_id}")
def framework_page(request: Request, inspection_id: int, framework_id: str, done: str = "",
                   user: Principal = Depends(current_user), session: Session = Depends(db, scope="function")):
    return _framework_page(request, session, user, inspection_id, framework_id[:60], done=done[:20])


EVIDENCE_FIELDS = {"gathered_on": "gathered_on", "criterion_ids": "criterion_ids", "framework_id": "title"}


@router.post("/inspections/{inspection_id:int}/frameworks/{framework_id}/evidence")
def add_evidence(request: Request, inspection_id: int, framework_id: str, form: FormData = Depends(posted),
                 user: Principal = Depends(current_user), session: Session = Depends(db, scope="function")):
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
        service.add_evidence(session, user, inspection_id, data)
    except FORM_ERRORS as exc:
        errors, status = _errors_from(exc, EVIDENCE_FIELDS, "title")
    else:
        return RedirectResponse(f"/inspections/{inspection_id}/frameworks/{framework_id}?done=evidence#evidence",
                                status_code=303)
    session.rollback()
    return _framework_page(request, session, user, inspection_id, framework_id, status_code=status, errors=errors,
                           values=_values(form), open_form="evidence")


@router.post("/inspections/{inspection_id:int}/frameworks/{framework_id}/computed-evidence")
def computed_evidence(request: Request, inspection_id: int, framework_id: str, form: FormData = Depends(posted),
                      user: Principal = Depends(current_user), session: Session = Depends(db, scope="function"),
                      at: datetime = Depends(now), settings: dict = Depends(force_settings)):
    kind = _text(form, "kind")
    body: dict = {"kind": kind, "framework_id": framework_id}
    errors: dict[str, str] = {}
    if kind.endswith(".file_sample"):
        for name, label in (("n", "the number of files to sample"), ("seed", "the seed")):
            raw = _text(form, name)
            if not raw.isdigit():
                errors[name] = f"Enter {label} as a whole number"
            else:
                body[name] = int(raw)
    try:
        if errors:
            raise FormError(errors)
        service.compute_evidence(session, user, inspection_id, ComputedEvidenceIn.model_validate(body), settings, at)
    except FORM_ERRORS as exc:
        errors, status = _errors_from(exc, {"kind": "compute-compliance", "framework_id": "compute-compliance"},
                                      "compute-compliance")
    else:
        return RedirectResponse(f"/inspections/{inspection_id}/frameworks/{framework_id}?done=computed#evidence",
                                status_code=303)
    session.rollback()
    return _framework_page(request, session, user, inspection_id, framework_id, status_code=status, errors=errors,
                           values=_values(form), open_form="computed")


@router.post("/inspections/{inspection_id:int}/frameworks/{framework_id}/assessments/{criterion_id}")
def assess(request: Request, inspection_id: int, framework_id: str, criterion_id: str,
           form: FormData = Depends(posted), user: Principal = Depends(current_user), session: Session = Depends(db, scope="function"),
           at: datetime = Depends(now)):
    key = key_of(criterion_id)
    fields = {"result": f"{key}-result", "justification": f"{key}-justification",
              "evidence_ids": f"{key}-evidence", "version": f"{key}-result"}
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
                                            "version": version or None})
        service.assess(session, user, inspection_id, criterion_id, data, at)
    except FORM_ERRORS as exc:
        errors, status = _errors_from(exc, fields, fields["result"])
    else:
        return RedirectResponse(f"/inspections/{inspection_id}/frameworks/{framework_id}?done=assessed#criterion-{key}",
                                status_code=303)
    session.rollback()
    return _framework_page(request, session, user, inspection_id, framework_id, status_code=status, errors=errors,
                           values=_values(form), open_form=criterion_id)


@router.post("/inspections/{inspection_id:int}/frameworks/{framework_id}/moderation")
def moderate(request: Request, inspection_id: int, framework_id: str, form: FormData = Depends(posted),
             user: Principal = Depends(current_user), session: Session = Depends(db, scope="function"), at: datetime = Depends(now)):
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


# --- the records behind computed evidence -----------------------------------------------------

_FORM, _LOG, _CASE = ("risk form", "/domestic-abuse/forms/{}"), ("log", "/incidents/{}"), \
    ("child case", "/child-protection/cases/{}")
# What a failing id of each rule is, and its page (missing persons: ``_references``). Decisions
# are shown on their case's page.
RECORD_PAGES: dict[str, tuple[str, str]] = {
    da_audit.REVIEW: _FORM, da_audit.MARAC: _FORM, da_audit.MARAC_AVAILABLE: _FORM, da_audit.CHILDREN: _FORM,
    da_audit.LOG_CLOSURE: _LOG, cp_audit.LOG_CLOSURE: _LOG,
    cp_audit.ACKNOWLEDGED: ("referral", "/referrals/{}"),
    cp_audit.CONSIDERED: ("decision", ""), cp_audit.REASONS: ("decision", ""),
    cp_audit.JOINT: _CASE, cp_audit.CONFERENCE: _CASE, cp_audit.REVIEWS: _CASE,
}
SAMPLED_PAGES = {"mp.": ("report", "/missing-persons/{}"), "da.": _FORM, "cp.": _CASE}


def _record_links(session: Session, kind: str, rule_id: str | None, ids: list[int],
                  mp_refs: dict[int, str]) -> list[dict]:
    """Each record behind a figure with its reference and the page that shows it (where the
    reader's access allows, pseudonymised for inspectors)."""
    if kind.startswith("mp."):
        return [{"id": i, "reference": mp_refs.get(i, f"record {i}"), "href": f"/missing-persons/{i}"} for i in ids]
    noun, page = RECORD_PAGES[rule_id] if rule_id else SAMPLED_PAGES[kind[:3]]
    if noun == "decision":
        case_of = {decision: case for decision, case in session.execute(
            select(ChildDecision.id, ChildDecision.case_id).where(ChildDecision.id.in_(ids or [0])))}
        return [{"id": i, "reference": f"decision {i}, child case {case_of.get(i, '?')}",
                 "href": f"/child-protection/cases/{case_of[i]}#decision-{i}" if i in case_of else ""} for i in ids]
    return [{"id": i, "reference": f"{noun} {i}", "href": page.format(i)} for i in ids]

@router.get("/inspections/{inspection_id:int}/evidence/{evidence_id:int}")
def evidence_page(request: Request, inspection_id: int, evidence_id: int, user: Principal = Depends(current_user),
                  session: Session = Depends(db, scope="function")):
    inspection = service.fetch(session, user, inspection_id)
    evidence = next((e for e in service.evidence_of(session, inspection_id) if e.id == evidence_id), None)
    if evidence is None:
        raise NotFound(f"no evidence {evidence_id} in inspection {inspection_id}")
    fw = service.library(inspection.library_id).framework(evidence.framework_id)
    result = json.loads(evidence.computed_result or "{}")
    params = json.loads(evidence.computed_params or "{}")
    # a file sample's "cases" are its records; child protection compliance's "cases" is a count
    sample = result["cases"] if isinstance(result.get("cases"), list) else []
    ids = {i for r in result.get("rates", {}).values() for i in r.get("failing", [])}
    ids |= {c["record_id"] for c in sample}
    kind = evidence.computed_kind or ""
    missing_persons = kind.startswith("mp.")
    refs = _references(session, user, sorted(ids)) if missing_persons else {}
    rates = []
    for rule_id, r in result.get("rates", {}).items():
        rates.append({"rule_id": rule_id, "title": r["title"], "met": r["met"], "applicable": r["applicable"],
                      "rate": f"{r['rate']:.0%}" if r.get("rate") is not None else "n/a",
                      "failing": _record_links(session, kind, rule_id, r.get("failing", []), refs) if kind else []})
    divisions = {d.id: d.name for d in session.scalars(select(Division))}
    by_division = [{"name": divisions.get(int(d), f"Division {d}"), "rates": v}
                   for d, v in result.get("by_division", {}).items()]
    sampled = {link["id"]: link for link in
               _record_links(session, kind, None, [c["record_id"] for c in sample], refs)} if kind else {}
    cases = [{**c, "reference": refs.get(c["record_id"], c.get("reference", "")),
              "href": sampled.get(c["record_id"], {}).get("href", ""),
              "division": divisions.get(c.get("division_id"), "")} for c in sample]
    rule_titles = {k: r["title"] for k, r in result.get("rates", {}).items()}
    records_api = None
    if missing_persons and params.get("since") and params.get("until"):
        records_api = ("/api/v1/missing-persons?" + "reported_from=" + _utc(params["since"]) + "&reported_to="
                       + _utc(params["until"]))
    return render(request, "inspection/evidence.html", title=f"Evidence {evidence.id}: {evidence.title}",
                  inspection=inspection, framework=fw, evidence=evidence, result=result, params=params, rates=rates,
                  by_division=by_division, cases=cases, rule_titles=rule_titles, records_api=records_api,
                  source=service.COMPUTED_KINDS[kind].source if kind in service.COMPUTED_KINDS else "",
                  period={k: _day(params[k]) for k in ("since", "until") if params.get(k)},
                  methods=METHOD_LABELS, findings=FINDING_LABELS, verifications=VERIFICATION_LABELS)


def _day(iso: str) -> str:
    """A period bound as people read it: the date in England and Wales."""
    return datetime.fromisoformat(iso).astimezone(LONDON).strftime("%-d %B %Y")


def _utc(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- the report -------------------------------------------------------------------------------

@router.get("/inspections/{inspection_id:int}/report")
def report_page(inspection_id: int, user: Principal = Depends(current_user), session: Session = Depends(db, scope="function"),
                settings: dict = Depends(force_settings)):
    return HTMLResponse(report.render_html(report.report_context(session, user, inspection_id, settings),
                                           back_url=f"/inspections/{inspection_id}"))


@router.get("/inspections/{inspection_id:int}/report.pdf")
def report_pdf(inspection_id: int, user: Principal = Depends(current_user), session: Session = Depends(db, scope="function"),
               settings: dict = Depends(force_settings)):
    context = report.report_context(session, user, inspection_id, settings)
    name = re.sub(r"[^a-z0-9]+", "-", context["force"]["name"].lower()).strip("-")
    return Response(report.render_pdf(context), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}-inspection-{inspection_id}.pdf"'})


# --- developing practice and the national picture ---------------------------------------------

@router.get("/practice")
def practice_page(request: Request, q: str = "", framework_id: str = "", evaluated: str = "",
                  user: Principal = Depends(current_user), session: Session = Depends(db, scope="function")):
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
def national_page(request: Request, library_id: str = DEFAULT_LIBRARY, user: Principal = Depends(current_user),
                  session: Session = Depends(db, scope="function"), settings: dict = Depends(force_settings)):
    if not re.fullmatch(r"[a-z0-9\-]{1,40}", library_id):
        library_id = DEFAULT_LIBRARY
    lib = service.library(library_id)
    picture = reporting.national_picture(session, user, library_id, settings)
    forces = _forces(session)
    rows = []
    for fw in lib.frameworks:
        if not fw.graded:
            continue
        counts = picture.distribution.get(fw.id, {})
        total = sum(counts.values())
        rows.append({"id": fw.id, "title": fw.title, "area": fw.area, "total": total,
                     "counts": [int(counts.get(g, 0)) for g in report.ORDER],
                     "chart": report.grade_chart(counts, f"National grade distribution: {fw.title}",
                                                 f"chart-{fw.id.replace('_', '-')}") if total else None})
    titles = {fw.id: fw.title for fw in lib.frameworks}
    flags = [{"force": forces.get(f.force_id, f"Force {f.force_id}"),
              "framework": titles.get(f.framework_id, f.framework_id),
              "grade": f.grade, "median": f.peer_median, "peers": f.peers, "reason": f.reason,
              "inspection_id": picture.inspection_ids.get(f.force_id)} for f in picture.flags]
    counted = [{"force": forces.get(fid, f"Force {fid}"), "inspection_id": iid}
               for fid, iid in sorted(picture.inspection_ids.items(), key=lambda kv: forces.get(kv[0], ""))]
    return render(request, "inspection/national.html", title="National picture", library=lib, picture=picture,
                  rows=rows, flags=flags, counted=counted, grades=list(report.ORDER), grade_colours=GRADE_COLOURS,
                  gap=int(settings["moderation.msf_gap"]))
