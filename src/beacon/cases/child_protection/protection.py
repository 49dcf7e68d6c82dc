"""Police protection (Children Act 1989 s46) and the designated officer's review.

Any officer may take a child into police protection and records it here. HMIC (Gwent 2007,
Child Abuse, strengths): "The 'designated officer' is the officer – of at least inspector rank –
who takes an independent oversight of the circumstances under which a child is taken into police
protection." So the review is refused unless the user's staff record holds the rank of inspector
or above, and is not the officer who took the child; until reviewed, the protection is on the
list awaiting designated-officer review.

Every protection belongs to a child protection case, whose division scopes it: when none is
given, the child's open case in the division is used or one is opened, since the local authority
must make enquiries about a child in police protection (Children Act 1989 s47(1)(b)).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from beacon.access.audit import load_for, note, require
from beacon.access.policy import Action, Principal, scope
from beacon.access.references import resolve
from beacon.cases.child_protection import cases
from beacon.cases.child_protection.children import child_of, division_for_new
from beacon.cases.child_protection.models import ChildCase, PoliceProtection
from beacon.cases.child_protection.protection_schemas import (
    DesignatedReviewIn,
    ProtectionIn,
    ProtectionOut,
)
from beacon.errors import Conflict, Forbidden, Invalid
from beacon.org.models import Staff, User
from beacon.org.roles import Rank
from beacon.people import redact as redaction
from beacon.people.models import Person
from beacon.people.schemas import not_after

RECORD = "police_protection"
DESIGNATED_RANKS = frozenset({Rank.INSP, Rank.DI, Rank.CI, Rank.DCI, Rank.SUPT, Rank.CH_SUPT, Rank.ACC, Rank.DCC,
                              Rank.CC})


def division_of(session: Session, protection: PoliceProtection) -> int | None:
    if protection.case_id is None:
        return None
    return session.scalar(select(ChildCase.division_id).where(ChildCase.id == protection.case_id))


def record(session: Session, user: Principal, data: ProtectionIn, now: datetime) -> PoliceProtection:
    """Record a child taken into police protection, in the case given or the child's open case
    in the division (opened if there is none)."""
    named = resolve(session, user, data)
    case = named.get("case_id")
    if case is not None:
        if data.child_id is not None and data.child_id != case.child_id:
            raise Invalid({"child_id": f"case {case.id} is about another child"})
        if data.child is not None:
            raise Invalid({"child": f"case {case.id} names the child already: leave child out"})
        if data.division_id is not None and data.division_id != case.division_id:
            raise Invalid({"division_id": "a protection belongs to its case's division"})
        division_id = case.division_id
    else:
        division_id = division_for_new(session, user, data.division_id, "protection")
    require(session, user, Action.CREATE, RECORD, "", division_id)
    if errors := not_after(now, data, "taken_at"):
        raise Invalid(errors)
    if case is None:
        child = child_of(session, named.get("child_id"), data.child, at=data.taken_at)
        if data.child_id is not None:
            case = cases.open_case_of_child(session, child.id, division_id)
        if case is None:
            case = cases.open_case_for(session, user, child, division_id,
                                       f"Taken into police protection: {data.notes}", now,
                                       detail=f"child={child.id} opened for police protection")
    protection = PoliceProtection(child_id=case.child_id, case_id=case.id, taken_at=data.taken_at,
                                  taken_by=(user.display_name or user.username)[:80], notes=data.notes)
    session.add(protection)
    session.flush()
    note(session, user, "create", RECORD, protection.id, detail=f"case={case.id}")
    return protection


def _load(session: Session, user: Principal, protection_id: int, action: Action) -> PoliceProtection:
    return load_for(session, user, RECORD, protection_id, action)


def get_protection(session: Session, user: Principal, protection_id: int) -> PoliceProtection:
    protection = _load(session, user, protection_id, Action.READ)
    note(session, user, "read", RECORD, protection_id)
    return protection


def list_protections(session: Session, user: Principal, awaiting_review: bool | None = None,
                     limit: int = 200) -> list[PoliceProtection]:
    """Protections in the user's scope, longest waiting first when ``awaiting_review``, else newest first."""
    s = scope(user, RECORD)
    if not s.allowed:
        require(session, user, Action.READ, RECORD, "", user.division_id)
    stmt = select(PoliceProtection)
    if s.division_ids is not None:
        stmt = stmt.join(ChildCase, ChildCase.id == PoliceProtection.case_id).where(
            ChildCase.division_id.in_(s.division_ids))
    if awaiting_review is True:
        stmt = stmt.where(PoliceProtection.designated_review_at.is_(None)).order_by(PoliceProtection.taken_at,
                                                                                    PoliceProtection.id)
    else:
        if awaiting_review is False:
            stmt = stmt.where(PoliceProtection.designated_review_at.is_not(None))
        stmt = stmt.order_by(PoliceProtection.taken_at.desc(), PoliceProtection.id.desc())
    rows = list(session.scalars(stmt.limit(limit)))
    note(session, user, "list", RECORD, "", detail=f"awaiting={awaiting_review} ids=" + ",".join(str(p.id) for p in rows))
    return rows


def designated_rank_problem(staff: Staff | None) -> str | None:
    """Why the holder of ``staff`` cannot be a designated officer, or None if they can."""
    if staff is None:
        return ("the designated officer must be of at least inspector rank, and your account is not linked to a "
                "staff record with a rank")
    if not staff.is_officer or staff.rank not in DESIGNATED_RANKS:
        return f"the designated officer must be of at least inspector rank; your rank is {staff.rank.value}"
    return None


def review(session: Session, user: Principal, protection_id: int, data: DesignatedReviewIn,
           now: datetime) -> PoliceProtection:
    """The designated officer's review: once, by an officer of inspector rank or above who did
    not take the child into police protection."""
    protection = _load(session, user, protection_id, Action.REVIEW)
    staff_id = session.scalar(select(User.staff_id).where(User.id == user.id))
    staff = session.get(Staff, staff_id) if staff_id is not None else None
    problem = designated_rank_problem(staff)
    if problem is None and protection.taken_by in {user.display_name, user.username}:
        problem = ("the designated officer takes an independent oversight, so cannot be the officer who took the "
                   "child into police protection")
    if problem:
        note(session, user, "review", RECORD, protection_id, "denied", problem)
        raise Forbidden(problem)
    notes = f"{protection.notes}\n\nDesignated officer review by {staff.display_name}: {data.notes}"
    done = session.execute(update(PoliceProtection)
                           .where(PoliceProtection.id == protection.id, PoliceProtection.designated_review_at.is_(None))
                           .values(designated_officer_id=staff.id, designated_review_at=now, notes=notes)
                           .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise Conflict(f"police protection {protection_id} has been reviewed by a designated officer already")
    session.refresh(protection)
    note(session, user, "review", RECORD, protection_id, detail=f"designated officer staff={staff.id}")
    return protection


def present(session: Session, user: Principal, protection: PoliceProtection) -> ProtectionOut:
    child = session.get(Person, protection.child_id)
    officer = session.get(Staff, protection.designated_officer_id) if protection.designated_officer_id else None
    redact = redaction.for_reader(user.pseudonymised, [child], places=redaction.linked_places([child]))
    return ProtectionOut(
        id=protection.id, child_id=protection.child_id,
        child_name=redaction.pseudonym(protection.child_id) if user.pseudonymised or child is None else child.full_name,
        case_id=protection.case_id, division_id=division_of(session, protection), taken_at=protection.taken_at,
        taken_by=protection.taken_by, notes=redact(protection.notes), awaiting_review=protection.designated_review_at is None,
        designated_officer=officer.display_name if officer else None,
        designated_review_at=protection.designated_review_at)


__all__ = ["DESIGNATED_RANKS", "RECORD", "designated_rank_problem", "division_of", "get_protection",
           "list_protections", "present", "record", "review"]
