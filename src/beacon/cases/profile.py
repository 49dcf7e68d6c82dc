"""One person across every domain: what each viewer may see of their missing episodes, domestic
abuse incidents and risk levels, child-protection involvement and the warnings on their addresses.

Each part is gathered under its own record type's access rule (role, division, vetting), so a
part the viewer may not see is left out with the reason, never half-shown. A person with no
record the viewer may see is a 403, as for any other record. Every view is logged with the ids
of the records shown.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from beacon.access.audit import note, require
from beacon.access.policy import Action, ListScope, Principal, scope
from beacon.cases.child_protection import referrals as child_referrals
from beacon.cases.child_protection.models import (
    ChildCase,
    ChildReferral,
    PoliceProtection,
)
from beacon.cases.domestic_abuse.models import MaracReferral, RiskForm
from beacon.cases.domestic_abuse.repeats import is_repeat
from beacon.cases.incidents.models import (
    DOMESTIC,
    AddressWarning,
    Incident,
    IncidentPerson,
)
from beacon.cases.missing_persons import repository as mp_repo
from beacon.errors import Forbidden, NotFound
from beacon.org.models import Division
from beacon.people.models import Location, Person

LIMIT = 200


@dataclass
class Part:
    """One domain's records about the person, or the reason the viewer cannot see them."""
    key: str
    title: str
    record_type: str
    visible: bool
    reason: str = ""
    rows: list[dict] = field(default_factory=list)


@dataclass
class Profile:
    person: Person
    parts: list[Part]
    repeat: dict[str, object]

    def part(self, key: str) -> Part:
        return next(p for p in self.parts if p.key == key)

    @property
    def shown(self) -> int:
        return sum(len(p.rows) for p in self.parts if p.visible)


def _in_scope(stmt, column, s: ListScope):
    return stmt if s.division_ids is None else stmt.where(column.in_(s.division_ids))


def _hidden(key: str, title: str, record_type: str, user: Principal) -> Part:
    return Part(key, title, record_type, False, f"your role ({user.role.value}) does not give access to {title.lower()}")


def _missing(session: Session, user: Principal, person_id: int) -> Part:
    s = scope(user, "missing_report")
    title = "Missing episodes"
    if not s.allowed:
        return _hidden("missing", title, "missing_report", user)
    reports, _ = mp_repo.search_reports(session, s, person_id=person_id, limit=LIMIT)
    rows = [{"id": r.id, "href": f"/missing-persons/{r.id}", "reference": r.reference,
             "reported_at": r.reported_at, "risk_grade": r.risk_grade.value, "status": r.status.value,
             "division_id": r.division_id, "is_child": r.is_child} for r in reports]
    return Part("missing", title, "missing_report", True, rows=rows)


def _risk_forms(session: Session, user: Principal, person_id: int) -> Part:
    s = scope(user, "da_form")
    title = "Domestic abuse risk forms"
    if not s.allowed:
        return _hidden("da_forms", title, "da_form", user)
    stmt = _in_scope(select(RiskForm).where(or_(RiskForm.victim_id == person_id,
                                                RiskForm.perpetrator_id == person_id)),
                     RiskForm.division_id, s).order_by(RiskForm.completed_at.desc()).limit(LIMIT)
    forms = session.scalars(stmt).all()
    referred = {fid for fid in session.scalars(select(MaracReferral.risk_form_id)
                                               .where(MaracReferral.risk_form_id.in_([f.id for f in forms])))}
    rows = [{"id": f.id, "href": f"/domestic-abuse/forms/{f.id}",
             "as": "victim" if f.victim_id == person_id else "perpetrator",
             "completed_at": f.completed_at, "score": f.score, "computed_level": f.computed_level,
             "final_level": f.final_level, "raised": f.final_level != f.computed_level,
             "reviewed": f.reviewed_at is not None, "marac": f.id in referred, "division_id": f.division_id}
            for f in forms]
    return Part("da_forms", title, "da_form", True, rows=rows)


def _incidents(session: Session, user: Principal, person_id: int) -> Part:
    s = scope(user, "incident")
    title = "Incidents"
    if not s.allowed:
        return _hidden("incidents", title, "incident", user)
    stmt = _in_scope(select(Incident, IncidentPerson.role).join(IncidentPerson,
                                                                IncidentPerson.incident_id == Incident.id)
                     .where(IncidentPerson.person_id == person_id), Incident.division_id, s)
    found = session.execute(stmt.order_by(Incident.received_at.desc()).limit(LIMIT)).all()
    rows = [{"id": i.id, "href": f"/incidents/{i.id}", "log_ref": i.log_ref, "received_at": i.received_at,
             "closing_code": i.closing_code or "open", "role": role, "division_id": i.division_id,
             "location_id": i.location_id} for i, role in found]
    return Part("incidents", title, "incident", True, rows=rows)


def _child_referrals(session: Session, user: Principal, person_id: int, now: datetime) -> Part:
    s = scope(user, "child_referral")
    title = "Referrals to children's social care"
    if not s.allowed:
        return _hidden("child_referrals", title, "child_referral", user)
    stmt = _in_scope(select(ChildReferral).where(ChildReferral.child_id == person_id), ChildReferral.division_id, s)
    rows = []
    for r in session.scalars(stmt.order_by(ChildReferral.created_at.desc()).limit(LIMIT)):
        if r.acknowledged_at is not None:
            state = "acknowledged"
        elif r.sent_at is None:
            state = "not sent"
        elif r.due_at is not None and r.due_at < now:
            state = "overdue"
        else:
            state = "awaiting acknowledgement"
        rows.append({"id": r.id, "href": f"/referrals/{r.id}", "created_at": r.created_at, "state": state,
                     "outcome": child_referrals.text_redactor(session, r, user.pseudonymised)(r.outcome),
                     "division_id": r.division_id})
    return Part("child_referrals", title, "child_referral", True, rows=rows)


def _child_cases(session: Session, user: Principal, person_id: int) -> Part:
    s = scope(user, "child_case")
    title = "Child protection cases"
    if not s.allowed:
        return _hidden("child_cases", title, "child_case", user)
    stmt = _in_scope(select(ChildCase).where(ChildCase.child_id == person_id), ChildCase.division_id, s)
    rows = [{"id": c.id, "href": f"/child-protection/cases/{c.id}", "opened_at": c.opened_at,
             "status": c.status, "joint_investigation": c.joint_investigation, "s47": c.s47_started_on is not None,
             "division_id": c.division_id}
            for c in session.scalars(stmt.order_by(ChildCase.opened_at.desc()).limit(LIMIT))]
    return Part("child_cases", title, "child_case", True, rows=rows)


def _police_protection(session: Session, user: Principal, person_id: int) -> Part:
    s = scope(user, "police_protection")
    title = "Police protection"
    if not s.allowed:
        return _hidden("police_protection", title, "police_protection", user)
    stmt = select(PoliceProtection).where(PoliceProtection.child_id == person_id)
    if s.division_ids is not None:
        # Police protection has no division of its own: it belongs to the division of its case,
        # and one without a case is seen force-wide only.
        stmt = stmt.join(ChildCase, ChildCase.id == PoliceProtection.case_id).where(
            ChildCase.division_id.in_(s.division_ids))
    rows = [{"id": p.id, "taken_at": p.taken_at, "reviewed": p.designated_review_at is not None}
            for p in session.scalars(stmt.order_by(PoliceProtection.taken_at.desc()).limit(LIMIT))]
    return Part("police_protection", title, "police_protection", True, rows=rows)


def _warnings(session: Session, user: Principal, person: Person, incidents: Part) -> Part:
    """Warnings on the person's home and on the places of the incidents the viewer can see: what an
    officer attending a later incident there would be shown. One row per address and kind of
    warning, with the latest reason and how many there are."""
    title = "Address warnings"
    if not scope(user, "incident").allowed:
        return _hidden("warnings", title, "incident", user)
    location_ids = {r["location_id"] for r in incidents.rows if r["location_id"] is not None}
    if person.home_location_id is not None:
        location_ids.add(person.home_location_id)
    if not location_ids:
        return Part("warnings", title, "incident", True)
    found = session.execute(select(AddressWarning, Location).join(Location, Location.id == AddressWarning.location_id)
                            .where(AddressWarning.location_id.in_(location_ids))
                            .order_by(AddressWarning.created_at.desc(), AddressWarning.id.desc())).all()
    grouped: dict[tuple[int, str], dict] = {}
    for w, loc in found:   # newest first: the first of each address and kind is the latest
        row = grouped.get((loc.id, w.kind))
        if row is None:
            grouped[(loc.id, w.kind)] = {"id": w.id, "kind": w.kind, "reason": w.reason, "created_at": w.created_at,
                                         "first_at": w.created_at, "count": 1,
                                         "address": "(withheld)" if user.pseudonymised else loc.label,
                                         "home": loc.id == person.home_location_id}
        else:
            row["count"] += 1
            row["first_at"] = w.created_at
    return Part("warnings", title, "incident", True, rows=list(grouped.values())[:LIMIT])


def _repeat(incidents: Part, forms: Part, settings: Mapping[str, object]) -> dict[str, object]:
    window = int(settings["da.repeat_window_days"])
    victim_times = [r["received_at"] for r in incidents.rows
                    if r["closing_code"] == DOMESTIC and r["role"] == "victim"]
    levels = [r["final_level"] for r in forms.rows if r["as"] == "victim"]
    return {"window_days": window, "domestic_incidents_as_victim": len(victim_times),
            "repeat_victim": is_repeat(victim_times, timedelta(days=window)),
            "latest_level": levels[0] if levels else None}


def profile(session: Session, user: Principal, person_id: int, settings: Mapping[str, object],
            now: datetime) -> Profile:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    if not scope(user, "person").allowed:
        require(session, user, Action.READ, "person", person_id)
    incidents = _incidents(session, user, person_id)
    forms = _risk_forms(session, user, person_id)
    parts = [_missing(session, user, person_id), incidents, forms, _child_referrals(session, user, person_id, now),
             _child_cases(session, user, person_id), _police_protection(session, user, person_id),
             _warnings(session, user, person, incidents)]
    result = Profile(person, parts, _repeat(incidents, forms, settings))
    records = [p for p in parts if p.visible and p.rows and p.key != "warnings"]
    if scope(user, "person").division_ids is not None and not records:
        note(session, user, "read", "person", person_id, "denied", "no records in the user's division")
        raise Forbidden("this person has no records you may see")
    note(session, user, "read", "person", person_id,
         detail="; ".join(f"{p.record_type}=" + ",".join(str(r["id"]) for r in p.rows) for p in records))
    return result


def division_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Division.id, Division.name)).all())
