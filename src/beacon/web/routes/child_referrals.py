"""Referrals to children's social care: the partner's API and inbox, the referral page, and the
supervisor's list of overdue, escalated and undelivered referrals."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from beacon.access.policy import Action, Principal, decide
from beacon.cases.child_protection import referrals as service
from beacon.cases.child_protection.schemas import (
    AcknowledgeIn,
    EscalationOut,
    OutcomeIn,
    ReferralIn,
    ReferralList,
    ReferralOut,
    ResendIn,
)
from beacon.errors import Invalid
from beacon.org.roles import Role
from beacon.schemas import WholeNumber
from beacon.web.deps import ApiUser, CheckedForm, CurrentUser, Db, Now
from beacon.web.forms import Field, FormError, collect, form_errors, parse_date
from beacon.web.render import render
from beacon.web.routes.responses import ERRORS
from beacon.workflows import risk_forms as risk_form_flow

api = APIRouter(prefix="/api/v1", tags=["child referrals"])
pages = APIRouter(include_in_schema=False)
RecordId = Annotated[WholeNumber(1, 2**31 - 1), Path(description="The record's number")]


def _out(session, user: Principal, referral, at: datetime) -> ReferralOut:
    return service.present(session, referral, at, user.pseudonymised)


# --- API ---------------------------------------------------------------------------------

@api.get("/child-referrals", response_model=ReferralList, responses=ERRORS)
def list_referrals(*, limit: Annotated[WholeNumber(1, 200), Query()] = 50, offset: Annotated[WholeNumber(0, 100_000), Query()] = 0,
                   user: ApiUser, session: Db, at: Now):
    """Referrals the caller may see, newest first. A partner sees only referrals delivered to it:
    this is how a partner's own system collects its referrals."""
    rows = service.list_referrals(session, user, limit, offset)
    return ReferralList(as_of=at, items=[_out(session, user, r, at) for r in rows])


@api.post("/child-referrals", response_model=ReferralOut, status_code=201, responses=ERRORS)
def create_referral(*, data: ReferralIn, user: ApiUser, session: Db,
                    at: Now):
    """Refer a child-protection concern to children's social care. It is sent at once; ``delivery``
    says whether the partner has it (``delivered``, with ``sent_at`` and ``due_at``) or not (``failed``,
    with ``delivery_error``). There is no way to mark a referral sent without sending it."""
    return _out(session, user, service.refer_concern(session, user, data, at), at)


@api.get("/child-referrals/{referral_id}", response_model=ReferralOut, responses=ERRORS)
def read_referral(*, referral_id: RecordId, user: ApiUser, session: Db,
                  at: Now):
    return _out(session, user, service.get_referral(session, user, referral_id), at)


@api.post("/child-referrals/{referral_id}/acknowledgement", response_model=ReferralOut, responses=ERRORS)
def acknowledge(*, referral_id: RecordId, data: AcknowledgeIn, user: ApiUser,
                session: Db, at: Now):
    """The partner acknowledges the referral (due within 1 working day of sending), optionally with
    its decision. Partner users only."""
    return _out(session, user, service.acknowledge(session, user, referral_id, data, at), at)


@api.post("/child-referrals/{referral_id}/outcome", response_model=ReferralOut, responses=ERRORS)
def outcome(*, referral_id: RecordId, data: OutcomeIn, user: ApiUser,
            session: Db, at: Now):
    """The partner records what it decided. Partner users only, after acknowledging."""
    return _out(session, user, service.record_outcome(session, user, referral_id, data, at), at)


@api.post("/child-referrals/{referral_id}/delivery", response_model=ReferralOut, responses=ERRORS)
def resend(*, referral_id: RecordId, data: ResendIn, user: ApiUser,
           session: Db, at: Now):
    """Try again to deliver a referral whose delivery failed (supervisors and DVOs)."""
    return _out(session, user, service.resend(session, user, referral_id, data, at), at)


@api.post("/supervisor/child-referrals/escalations", response_model=EscalationOut, responses=ERRORS)
def escalate(*, user: ApiUser, session: Db, at: Now):
    """Escalate every referral still unacknowledged after its due time to the supervisor's list
    (for a scheduler; ``beacon referrals escalate`` does the same)."""
    return EscalationOut(as_of=at, escalated=[r.id for r in service.escalate(session, user, at)])


@api.get("/supervisor/child-referrals", response_model=risk_form_flow.SupervisorListsOut, responses=ERRORS)
def supervisor(*, user: ApiUser, session: Db, at: Now):
    """Overdue and escalated referrals, failed deliveries, referrals not yet sent, those awaiting
    acknowledgement, and risk forms with children for which no referral could be made."""
    lists = service.supervisor_lists(session, user, at)
    out = lambda rows: [_out(session, user, r, at) for r in rows]  # noqa: E731
    return risk_form_flow.SupervisorListsOut(as_of=at, overdue=out(lists["overdue"]), failed=out(lists["failed"]),
                              queued=out(lists["queued"]), awaiting=out(lists["awaiting"]),
                              unreferred_forms=[risk_form_flow.unreferred_out(session, f, user.pseudonymised)
                                                for f in risk_form_flow.unreferred_forms(session, user)])


# --- pages -------------------------------------------------------------------------------

@pages.get("/referrals")
def supervisor_page(*, request: Request, user: CurrentUser, session: Db,
                    at: Now):
    if user.role is Role.PARTNER:
        return RedirectResponse("/referrals/inbox", status_code=303)
    lists = service.supervisor_lists(session, user, at)
    out = lambda rows: [_out(session, user, r, at) for r in rows]  # noqa: E731
    return render(request, "referrals/supervisor.html", title="Referrals to children's social care", at=at,
                  overdue=out(lists["overdue"]), failed=out(lists["failed"]), queued=out(lists["queued"]),
                  awaiting=out(lists["awaiting"]),
                  unreferred=[risk_form_flow.unreferred_out(session, f, user.pseudonymised)
                              for f in risk_form_flow.unreferred_forms(session, user)])


NEW_FIELDS = {"child.forename": "forename", "child.surname": "surname", "child.date_of_birth": "dob",
              "child": "surname", "home.address": "home_address", "home.postcode": "home_postcode",
              "concern": "concern", "division_id": "division_id", "incident_id": "incident_id",
              "partner_id": "partner_id"}
NEW_LABELS = {"forename": "the child's first name", "surname": "the child's last name",
              "concern": "the concern", "home_address": "the child's address", "partner_id": "children's social care"}


def _new_page(request, session, user: Principal, status_code=200, **extra):
    from beacon.org import repository as org_repo
    divisions = org_repo.divisions(session)
    names = {d.id: d.name for d in divisions}
    social_care = [(body.id, body.name if user.division_id else f"{body.name} ({names[d]})")
                   for d, body in org_repo.partners_by_division(session, org_repo.CHILDRENS_SOCIAL_CARE, user.division_id)]
    return render(request, "referrals/new.html", status_code=status_code,
                  title="Refer a child to children's social care", divisions=divisions, social_care=social_care,
                  **extra)


@pages.get("/referrals/new")
def new_page(*, request: Request, user: CurrentUser, session: Db):
    return _new_page(request, session, user)


@pages.post("/referrals/new")
def create_page(*, request: Request, form: CheckedForm, user: CurrentUser,
                session: Db, at: Now):
    dob: dict = {}
    errors = collect(lambda: dob.update(v=parse_date(form, "dob", "the child's date of birth", required=False)))
    incident = form.get("incident_id", "").strip()
    if incident and (not incident.isdigit() or len(incident) > 9):
        errors["incident_id"] = "Incident number must be a whole number"
    body = {"child": {"forename": form.get("forename", ""), "surname": form.get("surname", ""),
                      "date_of_birth": dob.get("v")},
            "concern": form.get("concern", ""),
            "incident_id": int(incident) if incident.isdigit() and len(incident) <= 9 else None,
            "division_id": int(form["division_id"]) if form.get("division_id", "").isdigit() else None,
            "partner_id": int(form["partner_id"]) if form.get("partner_id", "").isdigit() else None}
    if form.get("home_address", "").strip() or form.get("home_postcode", "").strip():
        body["home"] = {"address": form.get("home_address", ""), "postcode": form.get("home_postcode", "")}
    try:
        data = ReferralIn.model_validate(body)
        if errors:
            raise FormError(errors)
        referral = service.refer_concern(session, user, data, at)
    except FormError:
        pass
    except (ValidationError, Invalid) as exc:
        errors = {**form_errors(exc, _new_field), **errors}
    else:
        return RedirectResponse(f"/referrals/{referral.id}?done=created", status_code=303)
    session.rollback()
    return _new_page(request, session, user, status_code=422, errors=errors, values=form)


def _new_field(path: str) -> Field:
    name = NEW_FIELDS.get(path, path.split(".")[-1])
    label = NEW_LABELS.get(name, name.replace("_", " "))
    says = (("at least", "Describe the concern in at least 10 characters"),) if name == "concern" else ()
    return Field(name, label[:1].upper() + label[1:], enter=f"Enter {label}", says=says)


@pages.get("/referrals/inbox")
def inbox_page(*, request: Request, user: CurrentUser, session: Db,
               at: Now):
    waiting, done = service.inbox(session, user)
    return render(request, "referrals/inbox.html", title="Referrals to acknowledge", at=at,
                  waiting=[_out(session, user, r, at) for r in waiting],
                  done=[_out(session, user, r, at) for r in done[:50]])


def _referral_page(request, session, user, referral_id, at, status_code=200, **extra):
    referral = service.get_referral(session, user, referral_id)
    can_resend = (user.role is not Role.PARTNER
                  and bool(decide(user, Action.REVIEW, service.RECORD, referral.division_id)))
    return render(request, "referrals/referral.html", status_code=status_code,
                  title=f"Referral {referral.id} to children's social care", referral=_out(session, user, referral, at),
                  is_partner=user.role is Role.PARTNER, can_resend=can_resend, at=at, **extra)


@pages.get("/referrals/{referral_id:int}")
def referral_page(*, request: Request, referral_id: int, done: str = "", user: CurrentUser,
                  session: Db, at: Now):
    return _referral_page(request, session, user, referral_id, at, done=done[:20])


FORMS = {
    "acknowledge": (AcknowledgeIn, lambda f: {"outcome": f.get("outcome", "")}, service.acknowledge),
    "outcome": (OutcomeIn, lambda f: {"outcome": f.get("outcome", "")}, service.record_outcome),
    "send": (ResendIn, lambda f: {}, service.resend),
}


@pages.post("/referrals/{referral_id:int}/{form_name}")
def referral_form(*, request: Request, referral_id: int, form_name: str, form: CheckedForm,
                  user: CurrentUser, session: Db,
                  at: Now):
    if form_name not in FORMS:
        return render(request, "error.html", status_code=404, title="Page not found", message="No such form")
    schema, build, call = FORMS[form_name]
    try:
        payload = build(form)
        payload["version"] = int(form["version"]) if form.get("version", "").isdigit() else 0
        call(session, user, referral_id, schema.model_validate(payload), at)
    except (ValidationError, Invalid) as exc:
        errors = form_errors(exc)
    else:
        return RedirectResponse(f"/referrals/{referral_id}?done={form_name}", status_code=303)
    session.rollback()
    return _referral_page(request, session, user, referral_id, at, status_code=422, errors=errors, values=form,
                          open_form=form_name)
