"""Missing-person pages: search, report, the case page and its forms."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from beacon.cases.missing_persons import present, schemas, service
from beacon.cases.missing_persons.models import RiskGrade, Status
from beacon.errors import Invalid
from beacon.org.models import Division
from beacon.web.deps import CheckedForm, CurrentUser, Db, ForceSettings, Now
from beacon.web.forms import (
    FormError,
    collect,
    form_errors,
    parse_date,
    parse_datetime,
)
from beacon.web.render import render

router = APIRouter(include_in_schema=False)

NEW_FIELDS = {"person.forename": "forename", "person.surname": "surname", "person.date_of_birth": "dob",
              "person.gender": "gender", "home.address": "home_address", "home.postcode": "home_postcode",
              "last_seen_place.address": "last_seen_address", "last_seen_place.postcode": "last_seen_postcode",
              "last_seen_at": "last_seen", "reported_at": "last_seen", "risk_grade": "risk_grade",
              "rationale": "rationale", "circumstances": "circumstances", "reported_by_name": "reported_by_name",
              "reported_by_relationship": "reported_by_relationship", "from_care": "from_care",
              "division_id": "division_id", "person": "surname"}


@router.get("/missing-persons")
def search_page(*, request: Request, q: str = "", status: str = "", grade: str = "", page: int = 1,
                user: CurrentUser, session: Db,
                at: Now):
    page = max(1, min(page, 1000))
    filters = dict(q=q[:100], status=Status(status) if status in Status._value2member_map_ else None,
                   grade=RiskGrade(grade) if grade in RiskGrade._value2member_map_ else None)
    rows, more = service.search(session, user, **filters, limit=25, offset=(page - 1) * 25)
    return render(request, "mp/search.html", title="Missing persons", q=q, status=status, grade=grade,
                  page=page, more=more, results=[present.summary(user, r, at) for r in rows],
                  grades=list(RiskGrade))


@router.get("/missing-persons/new")
def new_page(*, request: Request, user: CurrentUser, session: Db):
    return render(request, "mp/new.html", title="Report a missing person", grades=list(RiskGrade),
                  divisions=session.query(Division).order_by(Division.code).all())


def _report_in(form: dict[str, str]) -> tuple[dict, dict[str, str]]:
    """The API body the form describes, and the errors in fields only the form has (dates)."""
    dob, last_seen = {"v": None}, {"v": None}
    errors = collect(lambda: dob.update(v=parse_date(form, "dob", "date of birth", required=False)),
                     lambda: last_seen.update(v=parse_datetime(form, "last_seen", "when they were last seen")))
    home = None
    if form.get("home_address", "").strip():
        home = {"address": form["home_address"], "postcode": form.get("home_postcode", ""),
                "kind": "care_home" if form.get("from_care") else "residential"}
    return {
        "person": {"forename": form.get("forename", ""), "surname": form.get("surname", ""),
                   "date_of_birth": dob["v"], "gender": form.get("gender") or "unknown"},
        "home": home,
        "last_seen_place": {"address": form.get("last_seen_address", ""),
                            "postcode": form.get("last_seen_postcode", "")},
        "last_seen_at": last_seen["v"], "circumstances": form.get("circumstances", ""),
        "reported_by_name": form.get("reported_by_name", ""),
        "reported_by_relationship": form.get("reported_by_relationship", ""),
        "risk_grade": form.get("risk_grade") or None, "rationale": form.get("rationale", ""),
        "from_care": bool(form.get("from_care")),
        "division_id": int(form["division_id"]) if form.get("division_id", "").isdigit() else None,
    }, errors


@router.post("/missing-persons/new")
def create(*, request: Request, form: CheckedForm, user: CurrentUser,
           session: Db, at: Now, settings: ForceSettings):
    body, date_errors = _report_in(form)
    try:
        data = schemas.ReportIn.model_validate(body)
        if date_errors:
            raise FormError(date_errors)
        report = service.create_report(session, user, settings, data, at)
    except FormError as exc:
        errors = exc.errors
    except (ValidationError, Invalid) as exc:
        # every field's problem at once; a date the form could not read explains itself better
        errors = {**form_errors(exc, NEW_FIELDS), **date_errors}
    else:
        return RedirectResponse(f"/missing-persons/{report.id}?created=1", status_code=303)
    session.rollback()
    return render(request, "mp/new.html", status_code=422, title="Report a missing person", errors=errors,
                  values=form, grades=list(RiskGrade), divisions=session.query(Division).order_by(Division.code).all())


@router.get("/missing-persons/{report_id:int}")
def case_page(*, request: Request, report_id: int, created: int = 0, done: str = "",
              user: CurrentUser, session: Db, at: Now,
              settings: ForceSettings):
    return _case(request, session, user, report_id, at, settings, created=bool(created), done=done[:20])


def _case(request, session, user, report_id, at, settings, status_code=200, **extra):
    report = service.get_report(session, user, report_id)
    checks = service.compliance_for(report, settings, at)
    return render(request, "mp/case.html", status_code=status_code, title=f"Missing person {report.reference}",
                  report=present.detail(user, report, at, settings), checks=checks, grades=list(RiskGrade),
                  can_review=user.role.value in ("supervisor", "ppu"), **extra)


FORMS = {
    "review": (schemas.ReviewIn, lambda f: {"notes": f.get("notes", "")}, "add_review"),
    "grades": (schemas.RegradeIn, lambda f: {"grade": f.get("grade") or None, "rationale": f.get("rationale", "")},
               "regrade"),
    "actions": (schemas.ActionIn, lambda f: {"text": f.get("text", "")}, "add_action"),
    "pnc": (schemas.PncIn, lambda f: {"circulated_at": parse_datetime(f, "circulated", "PNC circulation")},
            "record_pnc"),
    "closure": (schemas.ClosureIn, lambda f: {
        "closed_at": parse_datetime(f, "closed", "when they were found"), "outcome": f.get("outcome") or None,
        "found_place": {"address": f.get("found_address", ""), "postcode": f.get("found_postcode", "")},
        "found_by": f.get("found_by", ""),
        "prevention_interview_at": parse_datetime(f, "prevention", "the safe and well interview", required=False),
        "prevention_interview_notes": f.get("prevention_notes", ""),
        "return_interview_offered_at": parse_datetime(f, "return_offer", "the return interview offer",
                                                      required=False)}, "close_report"),
}
FORM_FIELDS = {"closed_at": "closed", "found_place.address": "found_address", "found_place.postcode": "found_postcode",
               "prevention_interview_at": "prevention", "return_interview_offered_at": "return_offer",
               "circulated_at": "circulated"}


@router.post("/missing-persons/{report_id:int}/{form_name}")
def case_form(*, request: Request, report_id: int, form_name: str, form: CheckedForm,
              user: CurrentUser, session: Db, at: Now,
              settings: ForceSettings):
    if form_name not in FORMS:
        return render(request, "error.html", status_code=404, title="Page not found", message="No such form")
    schema, build, call = FORMS[form_name]
    try:
        payload = build(form)
        if schema is not schemas.ActionIn:
            payload["version"] = int(form.get("version", "0") or 0)
        data = schema.model_validate(payload)
        fn = getattr(service, call)
        if call in ("add_review", "regrade", "close_report"):
            fn(session, user, settings, report_id, data, at)
        else:
            fn(session, user, report_id, data, at)
    except FormError as exc:
        errors = exc.errors
    except (ValidationError, Invalid) as exc:
        errors = form_errors(exc, FORM_FIELDS)
    else:
        return RedirectResponse(f"/missing-persons/{report_id}?done={form_name}", status_code=303)
    session.rollback()
    return _case(request, session, user, report_id, at, settings, status_code=422, errors=errors,
                 values=form, open_form=form_name)
