"""Records for the assurance tests, written straight to the database: risk forms, MARAC and
child referrals, child cases with decisions, and command-and-control logs."""
from __future__ import annotations

import json
from datetime import date, datetime

from beacon.access.unit_of_work import transaction
from beacon.cases.child_protection.agreement import agreement
from beacon.cases.child_protection.models import (
    ChildCase,
    ChildCaseReview,
    ChildDecision,
    ChildReferral,
)
from beacon.cases.domestic_abuse.models import MaracReferral, RiskForm
from beacon.cases.incidents.models import Incident, IncidentPerson
from beacon.people.models import Person, normalise

FACTORS = agreement().factor_ids


def person(s, forename: str = "Vera", surname: str = "Testcase") -> int:
    p = Person(forename=forename, surname=surname, forename_norm=normalise(forename), surname_norm=normalise(surname),
               date_of_birth=date(1990, 4, 2))
    s.add(p)
    s.flush()
    return p.id


def form(sessions, division_id: int, completed_at: datetime, *, level: str = "standard", judged: str | None = None,
         reviewed_at: datetime | None = None, children: int = 0, supersedes_id: int | None = None,
         victim: str = "Vera", victim_id: int | None = None) -> int:
    with transaction(sessions) as s:
        f = RiskForm(victim_id=victim_id or person(s, victim), division_id=division_id, instrument_id="dash-2009", answers="{}",
                     score=14 if level == "high" and judged is None else 3, computed_level=level if judged is None else "standard",
                     judged_level=judged, judgement_reason="raised" if judged else "", final_level=judged or level,
                     completed_by="officer", completed_at=completed_at, reviewed_at=reviewed_at,
                     reviewed_by="dvo" if reviewed_at else "", children_in_household=children,
                     supersedes_id=supersedes_id)
        s.add(f)
        s.flush()
        return f.id


def marac_referral(sessions, form_id: int, at: datetime) -> int:
    with transaction(sessions) as s:
        f = s.get(RiskForm, form_id)
        r = MaracReferral(risk_form_id=form_id, victim_id=f.victim_id, division_id=f.division_id, criteria='["visible_high_risk"]',
                          referred_at=at, referred_by="dvo")
        s.add(r)
        s.flush()
        return r.id


def child_referral(sessions, division_id: int, partner_id: int, created_at: datetime, *, sent_at: datetime | None = None,
                   acknowledged_at: datetime | None = None, risk_form_id: int | None = None, child: str = "Kit") -> int:
    with transaction(sessions) as s:
        r = ChildReferral(child_id=person(s, child, "Child"), division_id=division_id, partner_id=partner_id,
                          risk_form_id=risk_form_id, concern="Children present at a domestic incident.",
                          created_at=created_at, created_by="officer", delivery="delivered" if sent_at else "failed",
                          sent_at=sent_at, acknowledged_at=acknowledged_at)
        s.add(r)
        s.flush()
        return r.id


def factors(*, missing: tuple[str, ...] = (), discounted: dict[str, str] | None = None) -> str:
    """Every agreed factor considered except ``missing``; ``discounted`` maps factor -> reason."""
    out = {}
    for f in FACTORS:
        if f in missing:
            continue
        reason = (discounted or {}).get(f)
        out[f] = {"considered": True, "discounted": reason is not None, "reason": reason or ""}
    return json.dumps(out)


def child_case(sessions, division_id: int, opened_at: datetime, *, joint: bool | None = None,
               criteria: tuple[str, ...] = (), strategy: date | None = None, s47: date | None = None,
               conference: date | None = None, status: str = "open", referral_id: int | None = None,
               decisions: tuple[str, ...] = (), child: str = "Kit", reviews: tuple[date, ...] = ()) -> int:
    with transaction(sessions) as s:
        c = ChildCase(child_id=person(s, child, "Child"), division_id=division_id, referral_id=referral_id,
                      opened_at=opened_at, concern="Concern", joint_investigation=joint,
                      joint_criteria_met=json.dumps(list(criteria)), strategy_discussion_on=strategy,
                      s47_started_on=s47, initial_conference_on=conference, status=status)
        s.add(c)
        s.flush()
        for f in decisions:
            s.add(ChildDecision(case_id=c.id, decision="Decision", factors=f, decided_by="di", decided_at=opened_at))
        for on in reviews:
            s.add(ChildCaseReview(case_id=c.id, held_on=on, recorded_at=opened_at, recorded_by="ds"))
        s.flush()
        return c.id


def log(sessions, division_id: int, ref: str, closed_at: datetime, closing_code: str, narrative: str = "") -> int:
    with transaction(sessions) as s:
        i = Incident(log_ref=ref, received_at=closed_at, closed_at=closed_at, closing_code=closing_code,
                     narrative=narrative, division_id=division_id)
        s.add(i)
        s.flush()
        return i.id


def victim_callouts(sessions, division_id: int, times: list[datetime], ref: str) -> int:
    """A new victim and a domestic log naming them as the victim at each of ``times``."""
    with transaction(sessions) as s:
        victim = person(s, "Esme", "Callout")
        for n, at in enumerate(times):
            incident = Incident(log_ref=f"{ref}-{n}", received_at=at, division_id=division_id, closing_code="domestic")
            incident.people.append(IncidentPerson(person_id=victim, role="victim"))
            s.add(incident)
        return victim
