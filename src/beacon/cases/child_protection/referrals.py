"""Referrals to children's social care, sent electronically and tracked to acknowledgement.

The report found the referral was "a simple paper form which has to be faxed to social
services", and that the process "can – and occasionally does – fail without there being any
follow up... a busy officer could record on ORIS that the form has been sent but... fail to
actually do so". Here:

* A referral is created automatically when a domestic abuse risk form records children in the
  household (:func:`refer_household`), and for any child-protection concern
  (:func:`refer_concern`).
* :func:`send` is the only code that sets ``sent_at``: it delivers the referral to the
  partner's Beacon inbox and stamps ``sent_at`` and the acknowledgement clock in the same
  transaction. If the partner cannot receive it, ``delivery`` is ``failed`` with the reason,
  ``sent_at`` stays empty, and the referral is on the supervisor's list until it is sent.
* The partner acknowledges against ``cp.referral_acknowledgement`` (1 working day, see
  :func:`beacon.cases.child_protection.clocks.referral_acknowledgement_due`);
  :func:`escalate_overdue` marks unacknowledged referrals past their due time as escalated,
  and they stay on the supervisor's list until acknowledged.

Partner users and their inbox: ``app_user`` has no link to a partner body, so a partner user
(role ``partner``) is scoped by ``division_id``: the children's social care user for the
authority covering division A has division A. A partner "has a Beacon inbox" when at least
one active partner user exists for the referral's division; that user sees the referral in
their inbox and on the API (``GET /api/v1/child-referrals``), which is how a partner's own
system collects and acknowledges referrals. A division covering two authorities (Torfaen and
Monmouthshire) therefore shares one inbox until users are linked to partner bodies.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from beacon.access.audit import check_version, load_for, note, require
from beacon.access.policy import Action, Principal, scope
from beacon.access.records import people_named, places_named
from beacon.access.references import resolve
from beacon.cases.child_protection.children import child_of, division_for_new
from beacon.cases.child_protection.clocks import referral_acknowledgement_due
from beacon.cases.child_protection.models import ChildReferral
from beacon.cases.child_protection.schemas import (
    STATUS_LABELS,
    AcknowledgeIn,
    OutcomeIn,
    ReferralIn,
    ReferralOut,
    ResendIn,
)
from beacon.errors import Conflict, Forbidden, Invalid, NotFound
from beacon.org import repository as org_repo
from beacon.org.models import PartnerBody, User
from beacon.org.roles import Role
from beacon.people import redact as redaction
from beacon.people import repository as people_repo
from beacon.people.models import Location, Person

RECORD = "child_referral"
QUEUED, DELIVERED, FAILED = "queued", "delivered", "failed"


# --- sending -----------------------------------------------------------------------------

def has_inbox(session: Session, partner_id: int, division_id: int) -> bool:
    """True if an active user of the partner agency can receive its referrals for the division."""
    return session.scalar(select(exists().where(User.role == Role.PARTNER, User.active.is_(True),
                                                User.partner_id == partner_id,
                                                User.division_id == division_id))) or False


def send(session: Session, referral: ChildReferral, now: datetime) -> ChildReferral:
    """Deliver ``referral`` to the partner's Beacon inbox: the only way a referral becomes sent.

    On delivery ``delivery`` is ``delivered``, ``sent_at`` is ``now`` and ``due_at`` is the
    acknowledgement deadline, all in this transaction. When the partner cannot receive it,
    ``delivery`` is ``failed`` with the reason and ``sent_at`` stays empty. Sending a
    delivered referral again changes nothing.
    """
    if referral.delivery == DELIVERED:
        return referral
    partner = session.get(PartnerBody, referral.partner_id)
    if partner is None:  # pragma: no cover - the foreign key guarantees it
        referral.delivery, referral.delivery_error = FAILED, "the partner agency no longer exists"
    elif has_inbox(session, referral.partner_id, referral.division_id):
        referral.delivery, referral.delivery_error = DELIVERED, ""
        referral.sent_at = now
        referral.due_at = referral_acknowledgement_due(now)
    else:
        referral.delivery = FAILED
        referral.delivery_error = (f"{partner.name} has no Beacon inbox for this division (no active partner "
                                   "user) and no API endpoint is configured; the referral has not been sent")
    session.flush()
    return referral


class OtherCouncil(Exception):
    """The child lives in a council the division's children's social care does not cover."""


def _partner(session: Session, division_id: int, home: Location | None) -> PartnerBody | None:
    """The children's social care of the council where the child lives, if the division covers it;
    the division's first council's when where the child lives is not known. A referral is never
    delivered to a council the child does not live in (OtherCouncil)."""
    prefer = org_repo.authority_of_ward(session, home.ward_id) if home is not None else None
    if prefer is not None and prefer not in org_repo.division_authorities(session, division_id):
        raise OtherCouncil(prefer)
    return org_repo.partner_for_division(session, division_id, org_repo.CHILDRENS_SOCIAL_CARE, prefer)


def _council_name(session: Session, authority_id: int) -> str:
    from beacon.org.models import LocalAuthority

    authority = session.get(LocalAuthority, authority_id)
    return authority.name if authority else f"council {authority_id}"


@dataclass(frozen=True)
class Household:
    """Where children in a household come to notice: a domestic abuse risk form (its id, level,
    division, log and the count of children the officer recorded), passed as plain values so
    child protection needs nothing of the domestic abuse domain (``beacon.workflows.risk_forms``)."""
    risk_form_id: int
    division_id: int
    level: str
    incident_id: int | None
    children_in_household: int


def refer_household(session: Session, user: Principal, source: Household, victim: Person,
                    children: list[Person], home: Location | None, now: datetime) -> list[ChildReferral]:
    """The referrals a risk form with children in the household creates, each sent at once:
    one per child listed, or one for the children of the victim's household when none is
    named. None when the division has no children's social care partner: the form then shows
    on the supervisor's list as "children not referred"."""
    if source.children_in_household <= 0:
        return []
    require(session, user, Action.CREATE, RECORD, "", source.division_id)
    try:
        partner = _partner(session, source.division_id, home)
    except OtherCouncil as other:
        note(session, user, "create", RECORD, "", "failed", f"risk form {source.risk_form_id}: the household lives in "
             f"{_council_name(session, other.args[0])}, which the division's children's social care does not cover")
        return []
    if partner is None:
        note(session, user, "create", RECORD, "", "failed",
             f"risk form {source.risk_form_id}: no children's social care partner")
        return []
    n = source.children_in_household
    where = f"domestic abuse risk form {source.risk_form_id}, {source.level} risk"
    if children:
        targets = [(child, f"Child living in the household of {victim.full_name}, where domestic abuse happened: "
                           f"{where}. {n} child{'ren' if n != 1 else ''} in the household.") for child in children]
    else:
        unnamed = people_repo.add_person(session, "Unnamed child", victim.surname, None, "unknown",
                                         home or victim.home_location)
        targets = [(unnamed, f"{n} child{'ren' if n != 1 else ''} living in the household of {victim.full_name}, "
                             f"where domestic abuse happened (not yet named): {where}.")]
    out = []
    for child, concern in targets:
        session.flush()
        referral = ChildReferral(child_id=child.id, division_id=source.division_id, partner_id=partner.id,
                                 risk_form_id=source.risk_form_id, incident_id=source.incident_id, concern=concern,
                                 created_at=now, created_by=user.display_name or user.username, delivery=QUEUED,
                                 delivery_error="")
        session.add(referral)
        session.flush()
        send(session, referral, now)
        note(session, user, "create", RECORD, referral.id,
             detail=f"form={source.risk_form_id} delivery={referral.delivery}")
        out.append(referral)
    return out


def refer_concern(session: Session, user: Principal, data: ReferralIn, now: datetime) -> ChildReferral:
    """A referral for any child-protection concern, created and sent at once."""
    named = resolve(session, user, data)
    division_id = division_for_new(session, user, data.division_id, "referral")
    require(session, user, Action.CREATE, RECORD, "", division_id)
    home = (people_repo.find_or_add_location(session, data.home.address, data.home.postcode, data.home.kind, division_id)
            if data.home else None)
    child = child_of(session, named.get("child_id"), data.child, home, now)
    if data.partner_id is not None:
        serving = {body.id: body for _, body in org_repo.partners_by_division(
            session, org_repo.CHILDRENS_SOCIAL_CARE, division_id)}
        if data.partner_id not in serving:
            raise Invalid({"partner_id": "choose the children's social care of a council in the referral's division"})
        partner = serving[data.partner_id]
    else:
        try:
            partner = _partner(session, division_id, home or child.home_location)
        except OtherCouncil as other:
            raise Invalid({"home" if data.home else "child_id": (
                f"the child lives in {_council_name(session, other.args[0])}, which this division's children's "
                "social care does not cover: make the referral in the child's own division, or phone that "
                "council's children's services")}) from None
    if partner is None:
        raise Invalid({"division_id": "no children's social care partner is recorded for this division; "
                                      "ask the administrator to add one, and phone the referral through meanwhile"})
    session.flush()
    referral = ChildReferral(child_id=child.id, division_id=division_id, partner_id=partner.id, risk_form_id=None,
                             incident_id=data.incident_id, concern=data.concern, created_at=now,
                             created_by=user.display_name or user.username, delivery=QUEUED, delivery_error="")
    session.add(referral)
    session.flush()
    send(session, referral, now)
    note(session, user, "create", RECORD, referral.id, detail=f"delivery={referral.delivery}")
    return referral


# --- reading -----------------------------------------------------------------------------

def _load(session: Session, user: Principal, referral_id: int, action: Action) -> ChildReferral:
    referral = load_for(session, user, RECORD, referral_id, action)
    if user.role is Role.PARTNER and referral.partner_id != user.partner_id:
        # another agency's referral (two councils can share a division)
        note(session, user, action.value, RECORD, referral_id, "denied", "sent to another agency")
        raise Forbidden("this referral was sent to another agency")
    if user.role is Role.PARTNER and referral.delivery != DELIVERED:
        # the partner never received it: for them it does not exist yet
        note(session, user, action.value, RECORD, referral_id, "not_found", "not delivered")
        raise NotFound(f"no child referral {referral_id}")
    return referral


def _check_version(referral: ChildReferral, version: int) -> None:
    check_version(referral, version, f"referral {referral.id}")


def get_referral(session: Session, user: Principal, referral_id: int) -> ChildReferral:
    referral = _load(session, user, referral_id, Action.READ)
    note(session, user, "read", RECORD, referral_id)
    return referral


def _base(user: Principal):
    s = scope(user, RECORD)
    stmt = select(ChildReferral)
    if not s.allowed:
        return None
    if s.division_ids is not None:
        stmt = stmt.where(ChildReferral.division_id.in_(s.division_ids))
    if user.role is Role.PARTNER:
        stmt = stmt.where(ChildReferral.partner_id == user.partner_id, ChildReferral.delivery == DELIVERED)
    return stmt


def inbox(session: Session, user: Principal, limit: int = 200) -> tuple[list[ChildReferral], list[ChildReferral]]:
    """The partner's inbox: (to acknowledge, soonest due first; acknowledged, newest first)."""
    stmt = _base(user)
    if stmt is None:
        require(session, user, Action.READ, RECORD)
    waiting = list(session.scalars(stmt.where(ChildReferral.acknowledged_at.is_(None))
                                   .order_by(ChildReferral.due_at, ChildReferral.id).limit(limit)))
    done = list(session.scalars(stmt.where(ChildReferral.acknowledged_at.is_not(None))
                                .order_by(ChildReferral.acknowledged_at.desc(), ChildReferral.id.desc()).limit(limit)))
    note(session, user, "list", RECORD, "", detail="inbox ids=" + ",".join(str(r.id) for r in waiting + done))
    return waiting, done


def list_referrals(session: Session, user: Principal, limit: int = 200, offset: int = 0) -> list[ChildReferral]:
    """The referrals the user may see, newest first."""
    stmt = _base(user)
    if stmt is None:
        require(session, user, Action.READ, RECORD)
    rows = list(session.scalars(stmt.order_by(ChildReferral.created_at.desc(), ChildReferral.id.desc())
                                .limit(limit).offset(offset)))
    note(session, user, "list", RECORD, "", detail="ids=" + ",".join(str(r.id) for r in rows))
    return rows


def for_form(session: Session, form_id: int) -> list[ChildReferral]:
    return list(session.scalars(select(ChildReferral).where(ChildReferral.risk_form_id == form_id)
                                .order_by(ChildReferral.id)))


# --- the partner's side ------------------------------------------------------------------

def _partner_only(session: Session, user: Principal, action: str, referral_id: int) -> None:
    if user.role is not Role.PARTNER:
        note(session, user, action, RECORD, referral_id, "denied", "only the partner agency acknowledges")
        raise Forbidden("only the partner agency (children's social care) acknowledges a referral or records "
                        "its outcome")


def acknowledge(session: Session, user: Principal, referral_id: int, data: AcknowledgeIn,
                now: datetime) -> ChildReferral:
    _partner_only(session, user, "update", referral_id)
    referral = _load(session, user, referral_id, Action.UPDATE)
    _check_version(referral, data.version)
    if referral.acknowledged_at is not None:
        raise Conflict(f"referral {referral.id} was already acknowledged by {referral.acknowledged_by}",
                       referral.version)
    referral.acknowledged_at, referral.acknowledged_by = now, user.display_name or user.username
    if data.outcome:
        referral.outcome, referral.outcome_at = data.outcome, now
    session.flush()
    note(session, user, "update", RECORD, referral_id, detail="acknowledged" + (" with outcome" if data.outcome else ""))
    return referral


def record_outcome(session: Session, user: Principal, referral_id: int, data: OutcomeIn,
                   now: datetime) -> ChildReferral:
    _partner_only(session, user, "update", referral_id)
    referral = _load(session, user, referral_id, Action.UPDATE)
    _check_version(referral, data.version)
    if referral.acknowledged_at is None:
        raise Conflict(f"acknowledge referral {referral.id} before recording its outcome", referral.version)
    referral.outcome, referral.outcome_at = data.outcome, now
    session.flush()
    note(session, user, "update", RECORD, referral_id, detail="outcome")
    return referral


# --- the supervisor's side ---------------------------------------------------------------

def resend(session: Session, user: Principal, referral_id: int, data: ResendIn, now: datetime) -> ChildReferral:
    """Try again to deliver a referral that could not be delivered (a supervisor or DVO)."""
    referral = _load(session, user, referral_id, Action.REVIEW)
    _check_version(referral, data.version)
    if referral.delivery == DELIVERED:
        raise Conflict(f"referral {referral.id} was delivered at {referral.sent_at:%Y-%m-%d %H:%M} UTC already",
                       referral.version)
    send(session, referral, now)
    note(session, user, "review", RECORD, referral_id, detail=f"resend delivery={referral.delivery}")
    return referral


def escalate_overdue(session: Session, now: datetime,
                     division_ids: frozenset[int] | None = None) -> list[ChildReferral]:
    """Mark delivered referrals still unacknowledged after their due time as escalated (to the
    supervisor's list). Idempotent: a referral is escalated once. Run by ``beacon referrals
    escalate`` or ``POST /api/v1/supervisor/child-referrals/escalations`` on a schedule.
    ``division_ids`` limits it to those divisions (None: the whole force)."""
    stmt = select(ChildReferral).where(
        ChildReferral.delivery == DELIVERED, ChildReferral.acknowledged_at.is_(None),
        ChildReferral.escalated_at.is_(None), ChildReferral.due_at < now)
    if division_ids is not None:
        stmt = stmt.where(ChildReferral.division_id.in_(division_ids))
    rows = list(session.scalars(stmt.order_by(ChildReferral.due_at, ChildReferral.id)))
    for referral in rows:
        referral.escalated_at = now
    session.flush()
    return rows


def escalate(session: Session, user: Principal, now: datetime) -> list[ChildReferral]:
    """:func:`escalate_overdue` on behalf of a user who reviews referrals (for the API)."""
    require(session, user, Action.REVIEW, RECORD, "", user.division_id)
    rows = escalate_overdue(session, now, scope(user, RECORD).division_ids)
    note(session, user, "review", RECORD, "", detail="escalated ids=" + ",".join(str(r.id) for r in rows))
    return rows


def supervisor_lists(session: Session, user: Principal, now: datetime) -> dict[str, list]:
    """What a supervisor must act on: overdue (and escalated) referrals, failed deliveries,
    referrals not yet sent, those awaiting acknowledgement, and risk forms with children in
    the household for which no referral could be made."""
    s = scope(user, RECORD)
    if not s.allowed or s.division_ids is not None:  # force-wide readers see it; in a division, reviewers
        require(session, user, Action.REVIEW, RECORD, "", user.division_id)
    stmt = _base(user)
    open_ = list(session.scalars(stmt.where(ChildReferral.acknowledged_at.is_(None))
                                 .order_by(ChildReferral.created_at, ChildReferral.id).limit(1000)))
    overdue = [r for r in open_ if r.delivery == DELIVERED and r.due_at is not None and r.due_at < now]
    failed = [r for r in open_ if r.delivery == FAILED]
    queued = [r for r in open_ if r.delivery == QUEUED]
    awaiting = [r for r in open_ if r.delivery == DELIVERED and r not in overdue]
    note(session, user, "list", RECORD, "", detail="supervisor ids=" + ",".join(str(r.id) for r in open_))
    return {"overdue": overdue, "failed": failed, "queued": queued, "awaiting": awaiting}


# --- presenting --------------------------------------------------------------------------

def status_of(referral: ChildReferral, now: datetime) -> str:
    if referral.delivery == QUEUED:
        return "queued"
    if referral.delivery == FAILED:
        return "delivery_failed"
    if referral.acknowledged_at is not None:
        return "outcome_recorded" if referral.outcome_at is not None else "acknowledged"
    if referral.due_at is not None and referral.due_at < now:
        return "overdue"
    return "awaiting_acknowledgement"


def _household(session: Session, referral: ChildReferral) -> list[Person]:
    """The people the risk form a referral came from names (its text names them)."""
    return [session.get(Person, i) for i in people_named(session, "da_form", referral.risk_form_id)]


def _incident_place(session: Session, referral: ChildReferral) -> Location | None:
    places = places_named(session, "incident", referral.incident_id)
    return session.get(Location, places[0]) if places else None


def text_redactor(session: Session, referral: ChildReferral, pseudonymised: bool, child: Person | None = None):
    """What a reader sees of a referral's free text (its concern and outcome): for a
    pseudonymised reader, the child's and the household's names and their homes, and the
    incident's place, withheld."""
    if not pseudonymised:
        return redaction.unchanged
    people = [child or session.get(Person, referral.child_id), *_household(session, referral)]
    return redaction.redactor(people, places=redaction.linked_places(people, _incident_place(session, referral)))


def present(session: Session, referral: ChildReferral, now: datetime,
            pseudonymised: bool = False) -> ReferralOut:
    child = session.get(Person, referral.child_id)
    partner = session.get(PartnerBody, referral.partner_id)
    home = child.home_location if child else None
    status = status_of(referral, now)
    redact = text_redactor(session, referral, pseudonymised, child)
    return ReferralOut(
        id=referral.id, version=referral.version, child_id=referral.child_id,
        child_name=(redaction.pseudonym(referral.child_id) if pseudonymised else child.full_name),
        child_date_of_birth=(None if pseudonymised or child.date_of_birth is None
                             else child.date_of_birth.isoformat()),
        child_address=None if pseudonymised or home is None else home.label,
        division_id=referral.division_id, partner_id=referral.partner_id, partner_name=partner.name,
        risk_form_id=referral.risk_form_id, incident_id=referral.incident_id, concern=redact(referral.concern),
        created_at=referral.created_at, created_by=referral.created_by, delivery=referral.delivery,
        delivery_error=referral.delivery_error, sent_at=referral.sent_at, due_at=referral.due_at,
        acknowledged_at=referral.acknowledged_at, acknowledged_by=referral.acknowledged_by,
        escalated_at=referral.escalated_at, outcome=redact(referral.outcome), outcome_at=referral.outcome_at,
        status=status, status_label=STATUS_LABELS[status])


__all__ = ["acknowledge", "escalate", "escalate_overdue", "for_form", "get_referral", "has_inbox", "inbox",
           "list_referrals", "present", "record_outcome", "refer_household", "Household", "refer_concern", "resend",
           "send", "status_of", "supervisor_lists", "text_redactor"]

