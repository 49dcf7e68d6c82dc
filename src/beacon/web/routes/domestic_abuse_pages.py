"""Domestic abuse pages: the first officer's DASH form, the form page (review, MARAC referral),
the DVO queue with the backlog per division, MARAC by division, and the benchmark."""
from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from beacon.access.policy import Action, Principal, decide
from beacon.access.references import resolve_one
from beacon.cases.domestic_abuse import instrument, present, service
from beacon.cases.domestic_abuse import repository as repo
from beacon.cases.domestic_abuse.schemas import (
    ActionIn,
    MeetingIn,
    ReferIn,
    ReviewIn,
    RiskFormIn,
)
from beacon.errors import Invalid
from beacon.org import repository as org_repo
from beacon.org.models import Division
from beacon.web.deps import CheckedForm, CurrentUser, Db, ForceSettings, Now
from beacon.web.forms import (
    Field,
    FormError,
    api_errors,
    collect,
    form_errors,
    parse_date,
)
from beacon.web.render import render
from beacon.web.routes.domestic_abuse_api import division_out
from beacon.workflows import risk_forms as risk_form_flow

router = APIRouter(include_in_schema=False)

CHILD_SLOTS = 3
AGENCIES = ("Police", "Children's social care", "Adult social care", "Health", "Probation", "Housing",
            "Independent domestic violence advisers (IDVA)", "Education", "Mental health services",
            "Substance misuse services")
FIELD_ORDER = ("victim_forename", "victim_surname", "victim_dob", "victim_gender", "home_address", "home_postcode",
               "children_in_household", *[f"child{i}_{p}" for i in range(1, CHILD_SLOTS + 1)
                                          for p in ("forename", "surname", "dob")],
               "perpetrator_forename", "perpetrator_surname", "incident_id", "division_id")
PATHS = {"victim.forename": "victim_forename", "victim.surname": "victim_surname", "victim": "victim_surname",
         "victim.date_of_birth": "victim_dob", "victim.gender": "victim_gender", "victim_id": "victim_surname",
         "perpetrator.forename": "perpetrator_forename", "perpetrator.surname": "perpetrator_surname",
         "perpetrator": "perpetrator_surname", "perpetrator_id": "perpetrator_surname",
         "home.address": "home_address", "home.postcode": "home_postcode", "home": "home_address"}
LABELS = {"victim_forename": "Victim's first name", "victim_surname": "Victim's last name",
          "victim_dob": "Victim's date of birth", "perpetrator_forename": "First name of the person causing harm",
          "perpetrator_surname": "Last name of the person causing harm", "home_address": "Address",
          "home_postcode": "Postcode", "children_in_household": "Number of children",
          "incident_id": "Incident number", "division_id": "Division", "judged_level": "Professional judgement",
          "judgement_reason": "Reason for raising the level"}


async def form_lists(request: Request) -> dict[str, list[str]]:
    """Every value of each posted field (a checkbox group posts one value per box, and
    ``checked_form`` keeps only the last). Starlette parses the body once and caches it."""
    form = await request.form()
    return {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form.keys()}


def _divisions(session: Session) -> list[Division]:
    return org_repo.divisions(session)


def _new_context(session: Session, user: Principal, settings, victim_id: int | None, incident_id: int | None) -> dict:
    """The new form, prefilled for a known victim (a reassessment) only if the user may read that
    person: naming a person in the address is a read like any other (access.references)."""
    inst = instrument.current_instrument(settings)
    victim = resolve_one(session, user, "person", victim_id, "victim_id") if victim_id else None
    previous = repo.latest_form_for_victim(session, victim.id) if victim else None
    return {"instrument": inst, "questions": list(enumerate(inst.questions, start=1)), "victim": victim,
            "previous": previous, "incident_id": incident_id, "divisions": _divisions(session),
            "child_slots": range(1, CHILD_SLOTS + 1)}


@router.get("/domestic-abuse/new")
def new_form(*, request: Request, victim_id: int = 0, incident_id: int = 0, user: CurrentUser,
             session: Db, settings: ForceSettings):
    victim_id = victim_id if 0 < victim_id < 2**31 else None
    incident_id = incident_id if 0 < incident_id < 2**31 else None
    values = {"incident_id": str(incident_id)} if incident_id else {}
    return render(request, "da/new.html", title="Domestic abuse risk form", values=values,
                  **_new_context(session, user, settings, victim_id, incident_id))


def _number(form: dict, name: str, label: str, required: bool = False) -> int | None:
    raw = form.get(name, "").strip()
    if not raw:
        if required:
            raise FormError({name: f"Enter the {label}"})
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise FormError({name: f"{label.capitalize()} must be a whole number, like 2"})
    return int(raw)


def _person(form: dict, prefix: str) -> dict | None:
    fields = [form.get(f"{prefix}_{p}", "").strip() for p in ("forename", "surname")]
    dob = [form.get(f"{prefix}_dob-{p}", "").strip() for p in ("day", "month", "year")]
    if not any(fields) and not any(dob):
        return None
    return {"forename": fields[0], "surname": fields[1], "gender": form.get(f"{prefix}_gender") or "unknown"}


def _form_body(form: dict, inst) -> tuple[dict, dict[str, str]]:
    """The API body the page's form describes, and the errors only the form can find (dates,
    numbers, unanswered questions), so every problem is shown at once."""
    parsed: dict = {}
    errors = collect(
        lambda: parsed.update(victim_dob=parse_date(form, "victim_dob", "the victim's date of birth", required=False)),
        lambda: parsed.update(children_in_household=_number(form, "children_in_household",
                                                            "number of children in the household", required=True)),
        lambda: parsed.update(incident_id=_number(form, "incident_id", "incident number")),
        *[(lambda i=i: parsed.update({f"child{i}_dob": parse_date(form, f"child{i}_dob", f"child {i}'s date of birth",
                                                                  required=False)}))
          for i in range(1, CHILD_SLOTS + 1)])
    answers = {}
    for number, q in enumerate(inst.questions, start=1):
        raw = form.get(f"q_{q.id}")
        answers[q.id] = True if raw == "yes" else False if raw == "no" else None
        if answers[q.id] is None:
            errors[f"q_{q.id}"] = f"Question {number}: answer yes or no"
    body: dict = {"answers": answers, "children_in_household": parsed.get("children_in_household") or 0,
                  "incident_id": parsed.get("incident_id"),
                  "judged_level": form.get("judged_level") or None,
                  "judgement_reason": form.get("judgement_reason", "")}
    if form.get("victim_id", "").isdigit():
        body["victim_id"] = int(form["victim_id"])
    else:
        victim = _person(form, "victim") or {"forename": "", "surname": ""}
        victim["date_of_birth"] = parsed.get("victim_dob")
        body["victim"] = victim
    perpetrator = _person(form, "perpetrator")
    if perpetrator:
        body["perpetrator"] = perpetrator
    if form.get("home_address", "").strip() or form.get("home_postcode", "").strip():
        body["home"] = {"address": form.get("home_address", ""), "postcode": form.get("home_postcode", "")}
    children = []
    for i in range(1, CHILD_SLOTS + 1):
        child = _person(form, f"child{i}")
        if child:
            child["date_of_birth"] = parsed.get(f"child{i}_dob")
            children.append((i, {"person": child}))
    body["children"] = [c for _, c in children]
    body["_child_slots"] = [i for i, _ in children]
    if form.get("division_id", "").isdigit():
        body["division_id"] = int(form["division_id"])
    return body, errors


def _field(path: str, child_slots: list[int]) -> str:
    if path.startswith("answers."):
        return "q_" + path.split(".", 1)[1]
    if m := re.match(r"^children\.(\d+)\.person\.(forename|surname|date_of_birth)$", path):
        i = int(m.group(1))
        slot = child_slots[i] if i < len(child_slots) else 1
        return f"child{slot}_" + {"date_of_birth": "dob"}.get(m.group(2), m.group(2))
    if m := re.match(r"^children\.(\d+)", path):
        i = int(m.group(1))
        return f"child{child_slots[i] if i < len(child_slots) else 1}_surname"
    if path == "children":
        return "children_in_household"
    return PATHS.get(path, path)


def _label(field: str) -> str:
    if field in LABELS:
        return LABELS[field]
    if m := re.match(r"^child(\d)_(forename|surname|dob)$", field):
        return f"Child {m.group(1)}'s " + {"forename": "first name", "surname": "last name",
                                           "dob": "date of birth"}[m.group(2)]
    return field.replace("_", " ").capitalize()


def _form_fields(child_slots: list[int]):
    def field(path: str) -> Field:
        name = _field(path, child_slots)
        label = _label(name)
        enter = f"Enter {label.lower()}" if label.startswith("Child") else f"Enter the {label[:1].lower()}{label[1:]}"
        return Field(name, label, enter=enter)
    return field


def _ordered(errors: dict[str, str], inst) -> dict[str, str]:
    order = [*FIELD_ORDER[:7], *[f for f in FIELD_ORDER[7:]], *[f"q_{q.id}" for q in inst.questions],
             "judged_level", "judgement_reason"]
    rank = {name: i for i, name in enumerate(order)}
    return dict(sorted(errors.items(), key=lambda kv: rank.get(kv[0], len(order))))


@router.post("/domestic-abuse/new")
def create_form(*, request: Request, form: CheckedForm, user: CurrentUser,
                session: Db, at: Now, settings: ForceSettings):
    inst = instrument.current_instrument(settings)
    body, errors = _form_body(form, inst)
    slots = body.pop("_child_slots")
    try:
        data = RiskFormIn.model_validate(body)
    except ValidationError as exc:
        problems = {k: v for k, v in api_errors(exc).items() if not k.startswith("answers")}
        errors = {**form_errors(problems, _form_fields(slots)), **errors}
    else:
        if not errors:
            try:
                saved = risk_form_flow.submit_risk_form(session, user, settings, data, at)
            except Invalid as exc:
                errors = form_errors(exc, _form_fields(slots))
            else:
                return RedirectResponse(f"/domestic-abuse/forms/{saved.id}?created=1", status_code=303)
    session.rollback()
    victim_id = int(form["victim_id"]) if form.get("victim_id", "").isdigit() else None
    return render(request, "da/new.html", status_code=422, title="Domestic abuse risk form",
                  errors=_ordered(errors, inst), values=form,
                  **_new_context(session, user, settings, victim_id, body.get("incident_id")))


# --- the form page -----------------------------------------------------------------------

def _form_page(request, session, user, settings, form_id, at, status_code=200, **extra):
    form = service.get_form(session, user, form_id)
    out = risk_form_flow.form_detail(session, user, settings, form, at)
    can_read_marac = bool(decide(user, Action.READ, service.MARAC_RECORD, form.division_id))
    referral = repo.referral_for_form(session, form.id) if can_read_marac else None
    marac = org_repo.partner_for_division(session, form.division_id, org_repo.MARAC)
    division = org_repo.fetch_division(session, form.division_id)
    return render(request, "da/form.html", status_code=status_code, title=f"Domestic abuse risk form {form.id}",
                  form=out, division=division, marac=marac,
                  referral=present.referral_out(session, user, settings, referral) if referral else None,
                  can_review=bool(decide(user, Action.REVIEW, service.RECORD, form.division_id)),
                  can_refer=bool(decide(user, Action.CREATE, service.MARAC_RECORD, form.division_id)),
                  can_read_referrals=bool(decide(user, Action.READ, "child_referral", form.division_id)),
                  can_read_marac=can_read_marac,
                  **extra)


@router.get("/domestic-abuse/forms/{form_id:int}")
def form_page(*, request: Request, form_id: int, created: int = 0, done: str = "",
              user: CurrentUser, session: Db, at: Now,
              settings: ForceSettings):
    return _form_page(request, session, user, settings, form_id, at, created=bool(created), done=done[:20])


@router.post("/domestic-abuse/forms/{form_id:int}/{action}")
def form_action(*, request: Request, form_id: int, action: str, form: CheckedForm,
                user: CurrentUser, session: Db, at: Now,
                settings: ForceSettings):
    if action not in ("review", "marac"):
        return render(request, "error.html", status_code=404, title="Page not found", message="No such form")
    version = int(form["version"]) if form.get("version", "").isdigit() else 0
    try:
        if action == "review":
            data = ReviewIn.model_validate({"version": version, "notes": form.get("notes", ""),
                                            "judged_level": form.get("judged_level") or None,
                                            "judgement_reason": form.get("judgement_reason", "")})
            service.review_form(session, user, form_id, data, at)
        else:
            data = ReferIn.model_validate({"version": version,
                                           "judgement_reason": form.get("marac_reason", "")})
            service.refer(session, user, settings, form_id, data, at)
    except (ValidationError, Invalid) as exc:
        errors = form_errors(exc, _form_fields([]))
    else:
        return RedirectResponse(f"/domestic-abuse/forms/{form_id}?done={action}", status_code=303)
    if action == "marac":
        errors = {("marac_reason" if k == "judgement_reason" else k): v for k, v in errors.items()}
    if action == "review" and "notes" in errors:
        errors["notes"] = errors["notes"].replace("Notes:", "Review notes:")
    session.rollback()
    return _form_page(request, session, user, settings, form_id, at, status_code=422, errors=errors, values=form,
                      open_form=action)


# --- the DVO queue and backlog -----------------------------------------------------------

@router.get("/domestic-abuse/queue")
def queue_page(*, request: Request, division_id: int = 0, user: CurrentUser,
               session: Db, at: Now, settings: ForceSettings):
    division_id = division_id if 0 < division_id < 2**31 else None
    rows = service.queue(session, user, at, division_id, limit=200)
    items = []
    for form, summary in zip(rows, present.summaries(session, user, rows, at)):
        met = service.criteria_for(session, settings, form).met
        items.append({"form": summary, "criteria": [service.CRITERION_LABELS[m] for m in met],
                      "repeat": "repeat" in met})
    backlog = service.backlog(session, at, user)
    names = {d.id: d.name for d in _divisions(session)}
    return render(request, "da/queue.html", title="DVO review queue", at=at, items=items, backlog=backlog,
                  total=sum(b.unreviewed for b in backlog), division_id=division_id, division_names=names,
                  force_wide=user.division_id is None)


# --- MARAC -------------------------------------------------------------------------------

@router.get("/marac")
def marac_index(*, request: Request, user: CurrentUser, session: Db):
    rows = service.marac_divisions(session, user)
    return render(request, "da/marac_index.html", title="MARAC", rows=rows)


def _marac_page(request, session, user, settings, division_id, at, status_code=200, **extra):
    d = service.division_marac(session, user, division_id)
    out = division_out(session, user, settings, d, at)
    unscheduled = [r for r in out.referrals if r.meeting_id is None and r.marac_id is not None]
    return render(request, "da/marac.html", status_code=status_code, title=f"MARAC: {d.division.name}", marac=out,
                  unscheduled=unscheduled, agencies=AGENCIES,
                  can_edit=bool(decide(user, Action.CREATE, service.MARAC_RECORD, division_id)),
                  referrals_by_id={r.id: r for r in out.referrals}, **extra)


@router.get("/marac/divisions/{division_id:int}")
def marac_page(*, request: Request, division_id: int, done: str = "", user: CurrentUser,
               session: Db, at: Now, settings: ForceSettings):
    return _marac_page(request, session, user, settings, division_id, at, done=done[:20])


@router.get("/marac/referrals/{referral_id:int}")
def marac_referral_page(*, request: Request, referral_id: int, user: CurrentUser,
                        session: Db, settings: ForceSettings):
    referral = service.get_referral(session, user, referral_id)
    return render(request, "da/marac_referral.html", title=f"MARAC referral {referral.id}",
                  referral=present.referral_out(session, user, settings, referral))


@router.post("/marac/divisions/{division_id:int}/meetings")
def add_meeting(*, request: Request, division_id: int, form: CheckedForm,
                lists: dict = Depends(form_lists), user: CurrentUser,
                session: Db, at: Now, settings: ForceSettings):
    agencies = lists.get("agencies", []) + [a.strip() for a in form.get("other_agencies", "").split(",") if a.strip()]
    referral_ids = [int(r) for r in lists.get("referral_ids", []) if r.isdigit() and len(r) < 10]
    held: dict = {}
    errors = collect(lambda: held.update(v=parse_date(form, "held_on", "the date of the meeting")))
    if not errors:
        try:
            service.add_meeting(session, user, division_id, MeetingIn.model_validate(
                {"held_on": held["v"], "agencies_present": agencies, "referral_ids": referral_ids}))
        except (ValidationError, Invalid) as exc:
            errors = form_errors(exc, _meeting_field)
        else:
            return RedirectResponse(f"/marac/divisions/{division_id}?done=meeting", status_code=303)
    session.rollback()
    return _marac_page(request, session, user, settings, division_id, at, status_code=422, errors=errors,
                       values=form, open_form="meeting")


def _meeting_field(path: str) -> Field:
    if path.startswith("agencies_present"):
        return Field("agencies", "Agencies",
                     says=(("at least", "Choose the agencies present, or name them under other agencies"),))
    if path.startswith("held_on"):
        return Field("held_on", "Date of the meeting")
    return Field("referral_ids" if path.startswith("referral_ids") else path, bare=True)


@router.post("/marac/meetings/{meeting_id:int}/actions")
def add_action(*, request: Request, meeting_id: int, form: CheckedForm,
               user: CurrentUser, session: Db, at: Now,
               settings: ForceSettings):
    meeting = repo.fetch_meeting(session, meeting_id)
    division_id = _meeting_division(session, meeting, user)
    prefix = f"m{meeting_id}_"
    due: dict = {}
    errors = collect(lambda: due.update(v=parse_date(form, prefix + "due_on", "the due date", required=False)))
    rid = form.get(prefix + "referral_id", "")
    if not errors:
        try:
            data = ActionIn.model_validate({"referral_id": int(rid) if rid.isdigit() else None,
                                            "text": form.get(prefix + "text", ""),
                                            "owner_agency": form.get(prefix + "owner_agency", ""),
                                            "due_on": due.get("v")})
            service.add_action(session, user, meeting_id, data)
        except (ValidationError, Invalid) as exc:
            errors = form_errors(exc, _action_field, prefix)
        else:
            return RedirectResponse(f"/marac/divisions/{division_id}?done=action", status_code=303)
    session.rollback()
    return _marac_page(request, session, user, settings, division_id, at, status_code=422, errors=errors,
                       values=form, open_form=f"action-{meeting_id}")


def _meeting_division(session: Session, meeting, user: Principal) -> int:
    from beacon.errors import NotFound

    if meeting is None:
        raise NotFound("no such MARAC meeting")
    referrals = repo.referrals_in_meeting(session, meeting.id)
    if referrals:
        return referrals[0].division_id
    for d in org_repo.divisions(session):
        body = org_repo.partner_for_division(session, d.id, org_repo.MARAC)
        if body is not None and body.id == meeting.marac_id:
            return d.id
    return user.division_id or 0


ACTION_LABELS = {"referral_id": "Referral", "text": "Action", "owner_agency": "Owner", "due_on": "Due date"}


def _action_field(path: str) -> Field:
    name = path.split(".")[0]
    says = (("integer", "Choose the referral the action is for"),) if name == "referral_id" else ()
    return Field(name, ACTION_LABELS.get(name, name), says=says)


@router.post("/marac/actions/{action_id:int}/done")
def action_done(*, request: Request, action_id: int, form: CheckedForm,
                user: CurrentUser, session: Db, at: Now):
    action = service.complete_action(session, user, action_id, at)
    referral = repo.fetch_referral(session, action.referral_id)
    return RedirectResponse(f"/marac/divisions/{referral.division_id}?done=action_done", status_code=303)


@router.get("/marac/benchmark")
def benchmark_page(*, request: Request, year: int = 0, user: CurrentUser,
                   session: Db, at: Now,
                   settings: ForceSettings):
    this_year = present.local_today(at).year
    year = year if 2000 <= year <= this_year else this_year
    out = service.benchmark(session, year, settings, user)
    return render(request, "da/benchmark.html", title="MARAC volume against the benchmark", bench=out,
                  years=list(range(this_year, this_year - 6, -1)), year=year, partial=year == this_year)

