"""Named data-access functions for domestic abuse risk forms and MARAC. Only this module (and
the services that call it) touches the session."""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from beacon.access.policy import ListScope
from beacon.cases.domestic_abuse.models import (
    MaracAction,
    MaracMeeting,
    MaracReferral,
    RiskForm,
)
from beacon.cases.incidents.models import Incident, IncidentPerson
from beacon.people.models import Person


def fetch_form(session: Session, form_id: int) -> RiskForm | None:
    return session.get(RiskForm, form_id)


def fetch_person(session: Session, person_id: int) -> Person | None:
    return session.get(Person, person_id)


def fetch_incident(session: Session, incident_id: int) -> Incident | None:
    return session.get(Incident, incident_id)


def latest_form_for_victim(session: Session, victim_id: int) -> RiskForm | None:
    return session.scalars(select(RiskForm).where(RiskForm.victim_id == victim_id)
                           .order_by(RiskForm.completed_at.desc(), RiskForm.id.desc()).limit(1)).first()


def superseded_by(session: Session, form_id: int) -> int | None:
    return session.scalars(select(RiskForm.id).where(RiskForm.supersedes_id == form_id)
                           .order_by(RiskForm.id).limit(1)).first()


def _current(as_of: datetime | None = None):
    """Forms no later form has superseded (a reassessment replaces the form before it), as it
    stood at ``as_of`` (None: now)."""
    later = aliased(RiskForm)
    replaced = exists().where(later.supersedes_id == RiskForm.id)
    if as_of is not None:
        replaced = exists().where(later.supersedes_id == RiskForm.id, later.completed_at <= as_of)
    return ~replaced


def _scoped(stmt: Select, scope: ListScope) -> Select:
    if not scope.allowed:
        return stmt.where(False)
    if scope.division_ids is not None:
        stmt = stmt.where(RiskForm.division_id.in_(scope.division_ids))
    return stmt


def unreviewed(session: Session, scope: ListScope, division_id: int | None = None, limit: int = 500) -> list[RiskForm]:
    """The DVO queue: current forms not yet reviewed, oldest first."""
    stmt = _scoped(select(RiskForm), scope).where(RiskForm.reviewed_at.is_(None), _current())
    if division_id is not None:
        stmt = stmt.where(RiskForm.division_id == division_id)
    return list(session.scalars(stmt.order_by(RiskForm.completed_at, RiskForm.id).limit(limit)))


def backlog_forms(session: Session, scope: ListScope, as_of: datetime) -> list[tuple[int, int, datetime]]:
    """(form id, division id, completed at) of every form in the DVO's backlog at ``as_of``:
    completed by then, not reviewed by then and not replaced by a reassessment by then (the
    definition ``assurance.domestic_abuse.in_backlog`` states as a pure function). The one query
    behind the DVO's backlog page and the backlog audit."""
    stmt = _scoped(select(RiskForm.id, RiskForm.division_id, RiskForm.completed_at), scope).where(
        RiskForm.completed_at <= as_of, or_(RiskForm.reviewed_at.is_(None), RiskForm.reviewed_at > as_of),
        _current(as_of)
    ).order_by(RiskForm.id)
    return [(fid, div, completed) for fid, div, completed in session.execute(stmt)]


@dataclass(frozen=True)
class MaracHistory:
    """The victims' call-outs, risk forms and MARAC referrals, read once for any number of victims:
    what a form's MARAC criteria are judged on (``service.case_criteria``), for one form's referral
    screen as for a year's audit."""
    incidents: dict[int, list[tuple[int, datetime]]]              # victim -> (incident, received at)
    forms: dict[int, list[tuple[int, int | None, datetime]]]     # victim -> (form, incident, completed at)
    referrals: dict[tuple[int, int | None], list[datetime]]      # (victim, perpetrator) -> times, sorted

    def last_referral_at(self, victim_id: int, perpetrator_id: int | None, at: datetime) -> datetime | None:
        """The last referral for the same victim and perpetrator on or before ``at`` (an unknown
        perpetrator matches referrals where the perpetrator was unknown too)."""
        times = self.referrals.get((victim_id, perpetrator_id), [])
        before = bisect_right(times, at)
        return times[before - 1] if before else None


def marac_history(session: Session, victims) -> MaracHistory:
    """``victims``: person ids, or a select of them."""
    incidents: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    for person, incident, at in session.execute(
            select(IncidentPerson.person_id, Incident.id, Incident.received_at)
            .join(Incident, Incident.id == IncidentPerson.incident_id)
            .where(IncidentPerson.role == "victim", IncidentPerson.person_id.in_(victims))):
        incidents[person].append((incident, at))
    forms: dict[int, list[tuple[int, int | None, datetime]]] = defaultdict(list)
    for victim, fid, incident, completed in session.execute(
            select(RiskForm.victim_id, RiskForm.id, RiskForm.incident_id, RiskForm.completed_at)
            .where(RiskForm.victim_id.in_(victims))):
        forms[victim].append((fid, incident, completed))
    referrals: dict[tuple[int, int | None], list[datetime]] = defaultdict(list)
    for victim, perpetrator, at in session.execute(
            select(MaracReferral.victim_id, MaracReferral.perpetrator_id, MaracReferral.referred_at)
            .where(MaracReferral.victim_id.in_(victims))):
        referrals[(victim, perpetrator)].append(at)
    for times in referrals.values():
        times.sort()
    return MaracHistory(dict(incidents), dict(forms), dict(referrals))


def referral_for_form(session: Session, form_id: int) -> MaracReferral | None:
    return session.scalars(select(MaracReferral).where(MaracReferral.risk_form_id == form_id).limit(1)).first()


def referral_ids_for_forms(session: Session, form_ids: list[int]) -> dict[int, int]:
    if not form_ids:
        return {}
    stmt = select(MaracReferral.risk_form_id, MaracReferral.id).where(MaracReferral.risk_form_id.in_(form_ids))
    return {f: r for f, r in session.execute(stmt)}


def fetch_referral(session: Session, referral_id: int) -> MaracReferral | None:
    return session.get(MaracReferral, referral_id)


def referrals_for_division(session: Session, division_id: int, limit: int = 200) -> list[MaracReferral]:
    return list(session.scalars(select(MaracReferral).where(MaracReferral.division_id == division_id)
                                .order_by(MaracReferral.referred_at.desc(), MaracReferral.id.desc()).limit(limit)))


def meetings_for_marac(session: Session, marac_id: int, limit: int = 100) -> list[MaracMeeting]:
    return list(session.scalars(select(MaracMeeting).where(MaracMeeting.marac_id == marac_id)
                                .order_by(MaracMeeting.held_on.desc(), MaracMeeting.id.desc()).limit(limit)))


def fetch_meeting(session: Session, meeting_id: int) -> MaracMeeting | None:
    return session.get(MaracMeeting, meeting_id)


def referrals_in_meeting(session: Session, meeting_id: int) -> list[MaracReferral]:
    return list(session.scalars(select(MaracReferral).where(MaracReferral.meeting_id == meeting_id)
                                .order_by(MaracReferral.id)))


def actions_for_meetings(session: Session, meeting_ids: list[int]) -> list[MaracAction]:
    if not meeting_ids:
        return []
    return list(session.scalars(select(MaracAction).where(MaracAction.meeting_id.in_(meeting_ids))
                                .order_by(MaracAction.id)))


def fetch_action(session: Session, action_id: int) -> MaracAction | None:
    return session.get(MaracAction, action_id)


def referral_counts(session: Session, since: datetime, until: datetime) -> dict[int, int]:
    """Division id → MARAC referrals made in [since, until)."""
    stmt = (select(MaracReferral.division_id, func.count())
            .where(and_(MaracReferral.referred_at >= since, MaracReferral.referred_at < until))
            .group_by(MaracReferral.division_id))
    return {d: n for d, n in session.execute(stmt)}
