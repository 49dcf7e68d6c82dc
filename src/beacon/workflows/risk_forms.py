"""A domestic abuse risk form and what it causes in child protection.

The report's finding: the referral of children in a household where domestic abuse happened was a
paper form faxed to social services, which "can and does fail without there being any follow
up". Here the first officer's form and the referrals it causes are one unit of work:
``submit_risk_form`` records the form (``cases.domestic_abuse``) and refers its children
(``cases.child_protection``) before either commits; ``unreferred_forms`` is the supervisor's list
of forms whose children could not be referred.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from beacon.access.policy import Principal, scope
from beacon.cases.child_protection import referrals
from beacon.cases.child_protection.models import ChildReferral
from beacon.cases.child_protection.schemas import ReferralOut
from beacon.cases.domestic_abuse import present as da_present
from beacon.cases.domestic_abuse import service as risk_forms
from beacon.cases.domestic_abuse.models import RiskForm
from beacon.cases.domestic_abuse.schemas import (
    ChildReferralBrief,
    RiskFormIn,
    RiskFormOut,
)
from beacon.org.models import PartnerBody
from beacon.people.models import Person
from beacon.people.redact import pseudonym


class UnreferredForm(BaseModel):
    risk_form_id: int
    division_id: int
    victim_name: str
    children_in_household: int
    completed_at: datetime
    reason: str


class SupervisorListsOut(BaseModel):
    """The referral supervisor's lists (child protection's) with the forms whose children were not
    referred (domestic abuse's)."""
    as_of: datetime
    overdue: list[ReferralOut]
    failed: list[ReferralOut]
    queued: list[ReferralOut]
    awaiting: list[ReferralOut]
    unreferred_forms: list[UnreferredForm]


def submit_risk_form(session: Session, user: Principal, settings: Mapping[str, object], data: RiskFormIn,
                     now: datetime) -> RiskForm:
    """Record the first officer's risk form and refer the children in the household to children's
    social care, in the caller's one transaction."""
    made = risk_forms.create_form(session, user, settings, data, now)
    form = made.form
    referrals.refer_household(session, user, referrals.Household(
        risk_form_id=form.id, division_id=form.division_id, level=form.final_level, incident_id=form.incident_id,
        children_in_household=form.children_in_household), made.victim, made.children, made.home, now)
    return form


def form_detail(session: Session, user: Principal, settings: Mapping[str, object], form: RiskForm,
                as_of: datetime) -> RiskFormOut:
    """The form as its reader may see it, with the referrals it caused (names only for readers who
    see names)."""
    out = da_present.detail(session, user, settings, form, as_of)
    if user.pseudonymised:
        return out
    kids = referrals.for_form(session, form.id)
    partners = {p.id: p.name for p in (session.get(PartnerBody, r.partner_id) for r in kids)}
    briefs = [ChildReferralBrief(id=r.id, child_name=session.get(Person, r.child_id).full_name,
                                 partner_name=partners[r.partner_id], delivery=r.delivery, sent_at=r.sent_at,
                                 due_at=r.due_at, acknowledged_at=r.acknowledged_at) for r in kids]
    return out.model_copy(update={"child_referrals": briefs})


def unreferred_forms(session: Session, user: Principal, limit: int = 500) -> list[RiskForm]:
    """Risk forms with children in the household and no referral: nothing was sent for them (the
    division has no children's social care partner, or the household lives in another council)."""
    s = scope(user, referrals.RECORD)
    forms = select(RiskForm).where(RiskForm.children_in_household > 0,
                                   ~exists().where(ChildReferral.risk_form_id == RiskForm.id))
    if s.division_ids is not None:
        forms = forms.where(RiskForm.division_id.in_(s.division_ids))
    return list(session.scalars(forms.order_by(RiskForm.completed_at).limit(limit)))


def unreferred_out(session: Session, form: RiskForm, pseudonymised: bool = False) -> UnreferredForm:
    victim = session.get(Person, form.victim_id)
    return UnreferredForm(risk_form_id=form.id, division_id=form.division_id,
                          victim_name=pseudonym(form.victim_id) if pseudonymised else victim.full_name,
                          children_in_household=form.children_in_household, completed_at=form.completed_at,
                          reason="no children's social care partner could take the referral (none is recorded for "
                                 "the division, or the household lives in another council)")
