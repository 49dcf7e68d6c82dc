"""GOV.UK pages for child protection: the PPU caseload, a case with its clocks and decisions, the
decision forms (every risk factor considered), police protection and the designated officer's
review, and LSCB attendance. Each page calls the same library code as the API."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from beacon.access.policy import Action, decide
from beacon.cases.child_protection import cases, lscb, protection
from beacon.cases.child_protection import present as case_views
from beacon.cases.child_protection.agreement import agreement
from beacon.cases.child_protection.case_schemas import (
    STEP_LABELS,
    CaseIn,
    CaseStep,
    ClosureIn,
    DecisionIn,
    JointDecisionIn,
    StepIn,
)
from beacon.cases.child_protection.lscb_schemas import LscbMeetingIn
from beacon.cases.child_protection.protection_schemas import (
    DesignatedReviewIn,
    ProtectionIn,
)
from beacon.errors import Conflict, Invalid, NotFound
from beacon.org import repository as org_repo
from beacon.people import repository as people_repo
from beacon.web.deps import CheckedForm, CurrentUser, Db, Now
from beacon.web.forms import (
    Field,
    FormError,
    collect,
    form_errors,
    parse_date,
    parse_datetime,
)
from beacon.web.render import render
from beacon.web.routes.domestic_abuse_pages import form_lists

router = APIRouter(include_in_schema=False)
DECISION_KINDS = {"joint": "Joint-investigation decision", "decision": "Record a decision", "closure": "Close the case"}


def _fields(table: dict[str, tuple[str, str]]):
    """API error paths → form fields, with ``table`` mapping a path to (field, label); risk
    factors map to ``factor-<id>``, ``discount-<id>`` and ``reason-<id>``."""
    def field(path: str) -> Field:
        parts = path.split(".")
        if parts[0] == "factors" and len(parts) >= 2:
            kind = {"discounted": "discount", "reason": "reason"}.get(parts[2] if len(parts) > 2 else "", "factor")
            return Field(f"{kind}-{parts[1]}", "Risk factor")
        name, label = table.get(path, (parts[-1], parts[-1].replace("_", " ").capitalize()))
        return Field(name, label)
    return field


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) <= 9 else None


def _today(at: datetime) -> date:
    return cases.today_of(at)


# --- caseload ----------------------------------------------------------------------------

@router.get("/child-protection")
def index():
    return RedirectResponse("/child-protection/cases", status_code=303)


@router.get("/child-protection/cases")
def caseload_page(*, request: Request, division_id: int = 0, sort: str = "due", user: CurrentUser,
                  session: Db, at: Now):
    sort = sort if sort in cases.SORTS else "due"
    division = division_id if 0 < division_id < 2**31 else None
    if division is None and user.division_id is not None:
        division = user.division_id
    today = _today(at)
    rows = cases.caseload(session, user, today, division, sort=sort)
    children = people_repo.persons_by_id(session, {r.case.child_id for r in rows})
    items = [case_views.summary(user, r.case, children.get(r.case.child_id), today, r.steps) for r in rows]
    divisions = org_repo.divisions(session)
    return render(request, "child_protection/caseload.html", title="Child protection caseload", items=items,
                  today=today, sort=sort, division_id=division, divisions=divisions,
                  division_names={d.id: d.name for d in divisions}, force_wide=user.division_id is None,
                  can_open=bool(decide(user, Action.CREATE, cases.RECORD, user.division_id)))


# --- opening a case ----------------------------------------------------------------------

NEW_FIELDS = {"referral_id": ("referral_id", "Referral number"), "child_id": ("referral_id", "Child"),
              "child": ("surname", "The child"), "child.forename": ("forename", "The child's first name"),
              "child.surname": ("surname", "The child's last name"), "child.date_of_birth": ("dob", "Date of birth"),
              "concern": ("concern", "The concern"), "division_id": ("division_id", "Division")}


def _new_page(request, session, status_code=200, **extra):
    return render(request, "child_protection/new_case.html", status_code=status_code,
                  title="Open a child protection case", divisions=org_repo.divisions(session), **extra)


@router.get("/child-protection/cases/new")
def new_case_page(*, request: Request, referral_id: int = 0, user: CurrentUser,
                  session: Db):
    values = {"referral_id": str(referral_id)} if 0 < referral_id < 2**31 else {}
    return _new_page(request, session, values=values)


@router.post("/child-protection/cases/new")
def new_case(*, request: Request, form: CheckedForm, user: CurrentUser,
             session: Db, at: Now):
    dob: dict = {}
    errors = collect(lambda: dob.update(v=parse_date(form, "dob", "the child's date of birth", required=False)))
    referral = form.get("referral_id", "").strip()
    body: dict[str, Any] = {"concern": form.get("concern", "").strip() or None,
                            "division_id": _int(form.get("division_id"))}
    if referral:
        if _int(referral) is None:
            errors["referral_id"] = "Referral number must be a whole number"
        body["referral_id"] = _int(referral)
    else:
        body["child"] = {"forename": form.get("forename", ""), "surname": form.get("surname", ""),
                         "date_of_birth": dob.get("v")}
    try:
        data = CaseIn.model_validate(body)
        if errors:
            raise FormError(errors)
        case = cases.open_case(session, user, data, at)
    except FormError:
        pass
    except (ValidationError, Invalid) as exc:
        errors = {**form_errors(exc, _fields(NEW_FIELDS)), **errors}
    except Conflict as exc:
        errors = {"referral_id" if referral else "surname": str(exc)[:1].upper() + str(exc)[1:]}
    else:
        return RedirectResponse(f"/child-protection/cases/{case.id}?done=opened", status_code=303)
    session.rollback()
    return _new_page(request, session, status_code=422, errors=errors, values=form)


# --- a case ------------------------------------------------------------------------------

def _case_page(request, session, user, case_id, at, status_code=200, **extra):
    case = cases.get_case(session, user, case_id)
    out = case_views.detail(session, user, case, _today(at))
    is_open = case.status == cases.OPEN
    return render(request, "child_protection/case.html", status_code=status_code,
                  title=f"Child protection case {case.id}", case=out, agreement=agreement(),
                  step_labels=STEP_LABELS, steps=list(CaseStep),
                  division_name=getattr(org_repo.fetch_division(session, case.division_id), "name", ""),
                  can_update=is_open and bool(decide(user, Action.UPDATE, cases.RECORD, case.division_id)),
                  can_decide=is_open and bool(decide(user, Action.REVIEW, cases.RECORD, case.division_id)), **extra)


@router.get("/child-protection/cases/{case_id:int}")
def case_page(*, request: Request, case_id: int, done: str = "", user: CurrentUser,
              session: Db, at: Now):
    return _case_page(request, session, user, case_id, at, done=done[:20])


@router.post("/child-protection/cases/{case_id:int}/steps")
def step_form(*, request: Request, case_id: int, form: CheckedForm, user: CurrentUser,
              session: Db, at: Now):
    held: dict = {}
    errors = collect(lambda: held.update(v=parse_date(form, "on", "the date")))
    step = form.get("step", "")
    if step not in {s.value for s in CaseStep}:
        errors["step"] = "Choose what happened"
    if not errors:
        try:
            data = StepIn.model_validate({"version": _int(form.get("version")) or 0, "on": held["v"]})
            cases.record_step(session, user, case_id, CaseStep(step), data, at)
        except (ValidationError, Invalid) as exc:
            errors = form_errors(exc, {"on": Field("on", "Date")})
        else:
            return RedirectResponse(f"/child-protection/cases/{case_id}?done=step", status_code=303)
    session.rollback()
    return _case_page(request, session, user, case_id, at, status_code=422, errors=errors, values=form)


def _factors(form: dict) -> dict[str, dict]:
    out = {}
    for factor_id in agreement().factor_ids:
        answer = form.get(f"factor-{factor_id}", "")
        if answer in ("present", "absent"):
            out[factor_id] = {"present": answer == "present", "discounted": form.get(f"discount-{factor_id}") == "yes",
                              "reason": form.get(f"reason-{factor_id}", "")}
    return out


DECISION_FIELDS = {"decision": ("decision", "Decision"), "reason": ("reason", "Reason for closing"),
                   "criteria_met": ("criteria_met", "Criteria met"),
                   "joint_investigation": ("joint_investigation", "Joint or single-agency"),
                   "investigated_by": ("investigated_by", "Who investigates"),
                   "departure_reason": ("departure_reason", "Reason for departing from the agreement"),
                   "notes": ("notes", "Notes"), "version": ("decision", "Version")}


def _decision_page(request, session, user, case_id, kind, at, status_code=200, **extra):
    if kind not in DECISION_KINDS:
        raise NotFound("no such decision form")
    case = cases.get_case(session, user, case_id)
    return render(request, "child_protection/decision.html", status_code=status_code,
                  title=f"{DECISION_KINDS[kind]}: case {case.id}", kind=kind, kind_title=DECISION_KINDS[kind],
                  case=case_views.detail(session, user, case, _today(at)), agreement=agreement(), **extra)


@router.get("/child-protection/cases/{case_id:int}/decisions/{kind}")
def decision_page(*, request: Request, case_id: int, kind: str, user: CurrentUser,
                  session: Db, at: Now):
    return _decision_page(request, session, user, case_id, kind, at)


@router.post("/child-protection/cases/{case_id:int}/decisions/{kind}")
def decision_form(*, request: Request, case_id: int, kind: str, form: CheckedForm,
                  lists: dict = Depends(form_lists), user: CurrentUser, session: Db,
                  at: Now):
    if kind not in DECISION_KINDS:
        raise NotFound("no such decision form")
    factors, version = _factors(form), _int(form.get("version")) or 0
    errors: dict[str, str] = {}
    try:
        if kind == "joint":
            joint = {"yes": True, "no": False}.get(form.get("joint_investigation", ""))
            if joint is None:
                errors["joint_investigation"] = "Say whether the investigation is joint or single-agency"
            if form.get("investigated_by") not in ("specialist", "uniform"):
                errors["investigated_by"] = "Say who investigates"
            if errors:
                raise FormError(errors)
            data = JointDecisionIn.model_validate({
                "version": version, "criteria_met": lists.get("criteria_met", []), "joint_investigation": joint,
                "investigated_by": form["investigated_by"], "factors": factors,
                "departure_reason": form.get("departure_reason", ""), "notes": form.get("notes", "")})
            cases.record_joint_decision(session, user, case_id, data, at)
        elif kind == "decision":
            cases.add_decision(session, user, case_id,
                               DecisionIn.model_validate({"decision": form.get("decision", ""), "factors": factors}), at)
        else:
            cases.close_case(session, user, case_id, ClosureIn.model_validate(
                {"version": version, "reason": form.get("reason", ""), "factors": factors}), at)
    except FormError:
        pass
    except (ValidationError, Invalid) as exc:
        errors = form_errors(exc, _fields(DECISION_FIELDS))
    else:
        return RedirectResponse(f"/child-protection/cases/{case_id}?done={kind}", status_code=303)
    session.rollback()
    ordered = {k: errors[k] for k in sorted(errors, key=lambda k: _field_order(k))}
    return _decision_page(request, session, user, case_id, kind, at, status_code=422, errors=ordered, values=form,
                          criteria_values=lists.get("criteria_met", []))


def _field_order(field: str) -> tuple[int, int]:
    head = ["decision", "reason", "criteria_met", "joint_investigation", "investigated_by", "departure_reason", "notes"]
    if field in head:
        return (0, head.index(field))
    factor = field.split("-", 1)[-1]
    ids = agreement().factor_ids
    return (1, ids.index(factor) if factor in ids else len(ids))


# --- police protection -------------------------------------------------------------------

@router.get("/child-protection/police-protection")
def protections_page(*, request: Request, user: CurrentUser, session: Db,
                     at: Now):
    awaiting = protection.list_protections(session, user, awaiting_review=True)
    reviewed = protection.list_protections(session, user, awaiting_review=False, limit=50)
    return render(request, "child_protection/protections.html", title="Police protection", at=at,
                  awaiting=[protection.present(session, user, p) for p in awaiting],
                  reviewed=[protection.present(session, user, p) for p in reviewed],
                  can_record=bool(decide(user, Action.CREATE, protection.RECORD, user.division_id)))


PROTECTION_FIELDS = {"child": ("surname", "The child"), "child.forename": ("forename", "The child's first name"),
                     "child.surname": ("surname", "The child's last name"),
                     "child.date_of_birth": ("dob", "Date of birth"), "case_id": ("case_id", "Case number"),
                     "child_id": ("case_id", "Child"), "taken_at": ("taken_at", "When"),
                     "notes": ("notes", "Circumstances"), "division_id": ("division_id", "Division")}


def _protection_new(request, session, status_code=200, **extra):
    return render(request, "child_protection/new_protection.html", status_code=status_code,
                  title="Record a child taken into police protection", divisions=org_repo.divisions(session), **extra)


@router.get("/child-protection/police-protection/new")
def new_protection_page(*, request: Request, user: CurrentUser, session: Db):
    return _protection_new(request, session)


@router.post("/child-protection/police-protection/new")
def new_protection(*, request: Request, form: CheckedForm, user: CurrentUser,
                   session: Db, at: Now):
    parsed: dict = {}
    errors = collect(lambda: parsed.update(dob=parse_date(form, "dob", "the child's date of birth", required=False)),
                     lambda: parsed.update(taken=parse_datetime(form, "taken_at", "taking the child into protection")))
    case_no = form.get("case_id", "").strip()
    body: dict[str, Any] = {"notes": form.get("notes", ""), "taken_at": parsed.get("taken"),
                            "division_id": _int(form.get("division_id"))}
    if case_no:
        if _int(case_no) is None:
            errors["case_id"] = "Case number must be a whole number"
        body["case_id"] = _int(case_no)
    else:
        body["child"] = {"forename": form.get("forename", ""), "surname": form.get("surname", ""),
                         "date_of_birth": parsed.get("dob")}
    try:
        data = ProtectionIn.model_validate(body)
        if errors:
            raise FormError(errors)
        created = protection.record(session, user, data, at)
    except FormError:
        pass
    except (ValidationError, Invalid) as exc:
        errors = {**form_errors(exc, _fields(PROTECTION_FIELDS)), **errors}
    else:
        return RedirectResponse(f"/child-protection/police-protection/{created.id}?done=recorded", status_code=303)
    session.rollback()
    return _protection_new(request, session, status_code=422, errors=errors, values=form)


def _protection_page(request, session, user, protection_id, status_code=200, **extra):
    p = protection.get_protection(session, user, protection_id)
    out = protection.present(session, user, p)
    can_review = out.awaiting_review and bool(decide(user, Action.REVIEW, protection.RECORD, out.division_id))
    can_see_case = out.case_id is not None and bool(decide(user, Action.READ, cases.RECORD, out.division_id))
    return render(request, "child_protection/protection.html", status_code=status_code,
                  title=f"Police protection {p.id}", protection=out, can_review=can_review,
                  can_see_case=can_see_case, **extra)


@router.get("/child-protection/police-protection/{protection_id:int}")
def protection_page(*, request: Request, protection_id: int, done: str = "", user: CurrentUser,
                    session: Db):
    return _protection_page(request, session, user, protection_id, done=done[:20])


@router.post("/child-protection/police-protection/{protection_id:int}/review")
def protection_review(*, request: Request, protection_id: int, form: CheckedForm,
                      user: CurrentUser, session: Db, at: Now):
    try:
        protection.review(session, user, protection_id, DesignatedReviewIn.model_validate({"notes": form.get("notes", "")}),
                          at)
    except ValidationError as exc:
        errors = form_errors(exc)
    else:
        return RedirectResponse(f"/child-protection/police-protection/{protection_id}?done=reviewed", status_code=303)
    session.rollback()
    return _protection_page(request, session, user, protection_id, status_code=422, errors=errors, values=form)


# --- LSCB attendance ---------------------------------------------------------------------

def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _lscb_page(request, session, user, at, from_on, to_on, status_code=200, **extra):
    if from_on and to_on and from_on > to_on:
        from_on, to_on = to_on, from_on
    start, end = lscb.period(at, from_on, to_on)
    rows = lscb.attendance(session, user, start, end)
    meetings = lscb.meetings(session, user, start, end)
    names = {r.lscb.id: r.lscb.name for r in rows}
    divisions = lscb.lscb_divisions(session)
    creatable = [r.lscb for r in rows if decide(user, Action.CREATE, lscb.RECORD, user.division_id)
                 and user.division_id in divisions.get(r.lscb.id, frozenset())]
    return render(request, "child_protection/lscb.html", status_code=status_code, title="LSCB attendance",
                  rows=rows, meetings=meetings, names=names, from_on=start, to_on=end, creatable=creatable,
                  total=sum(r.meetings for r in rows), without=sum(r.without_police for r in rows), **extra)


@router.get("/child-protection/lscb")
def lscb_page(*, request: Request, from_on: str = "", to_on: str = "", done: str = "",
              user: CurrentUser, session: Db, at: Now):
    return _lscb_page(request, session, user, at, _day(from_on[:10]), _day(to_on[:10]), done=done[:20])


@router.post("/child-protection/lscb/meetings")
def lscb_meeting(*, request: Request, form: CheckedForm, user: CurrentUser,
                 session: Db, at: Now):
    held: dict = {}
    errors = collect(lambda: held.update(v=parse_date(form, "held_on", "the date of the meeting")))
    attended = {"yes": True, "no": False}.get(form.get("police_attended", ""))
    if attended is None:
        errors["police_attended"] = "Say whether the police attended"
    if _int(form.get("lscb_id")) is None:
        errors["lscb_id"] = "Choose the LSCB"
    fields = {"lscb_id": ("lscb_id", "LSCB"), "held_on": ("held_on", "Date of the meeting"),
              "attendee": ("attendee", "Who attended for the police")}
    if not errors:
        try:
            lscb.record_meeting(session, user, LscbMeetingIn.model_validate(
                {"lscb_id": _int(form.get("lscb_id")), "held_on": held["v"], "police_attended": attended,
                 "attendee": form.get("attendee", "")}), at)
        except (ValidationError, Invalid) as exc:
            errors = form_errors(exc, _fields(fields))
        except Conflict as exc:
            errors = {"held_on": str(exc)[:1].upper() + str(exc)[1:]}
        else:
            return RedirectResponse("/child-protection/lscb?done=meeting", status_code=303)
    session.rollback()
    return _lscb_page(request, session, user, at, None, None, status_code=422, errors=errors, values=form)
