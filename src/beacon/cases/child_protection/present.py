"""Child protection cases → the shapes the API returns and the pages show. Inspectors read
pseudonymised: the child's name and date of birth are withheld, as elsewhere."""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from beacon.access.policy import Principal
from beacon.cases.child_protection import cases, decisions, schedule
from beacon.cases.child_protection.agreement import agreement
from beacon.cases.child_protection.case_schemas import (
    AgreementItem,
    AgreementOut,
    CaseOut,
    CaseSummary,
    DecisionOut,
    FactorOut,
    StepOut,
)
from beacon.cases.child_protection.models import ChildCase, ChildDecision
from beacon.people import redact as redaction
from beacon.people.models import Person


def child_name(user: Principal, child: Person | None, child_id: int) -> str:
    if user.pseudonymised or child is None:
        return redaction.pseudonym(child_id)
    return child.full_name


def step_out(step: schedule.Step) -> StepOut:
    return StepOut(key=step.key, label=step.label, rule_id=step.rule_id, starts_after=step.starts_after,
                   due_on=step.due_on, held_on=step.held_on, status=step.status,
                   status_label=schedule.STATUS_LABELS[step.status])


def summary(user: Principal, case: ChildCase, child: Person | None, today: date,
            steps: list[schedule.Step] | None = None) -> CaseSummary:
    steps = cases.steps_of(case, today) if steps is None else steps
    nxt = schedule.next_step(steps)
    return CaseSummary(id=case.id, version=case.version, child_id=case.child_id,
                       child_name=child_name(user, child, case.child_id), division_id=case.division_id,
                       opened_at=case.opened_at, status=case.status, next_step=step_out(nxt) if nxt else None,
                       joint_decision_departs=bool(cases.departures_of(case)))


def decision_out(decision: ChildDecision, redact: Callable[[str | None], str | None] = redaction.unchanged) -> DecisionOut:
    agreement_ = agreement()
    try:
        recorded = json.loads(decision.factors or "{}")
    except ValueError:
        recorded = {}
    factors = []
    for factor_id, value in (recorded.items() if isinstance(recorded, dict) else []):
        value = value if isinstance(value, dict) else {}
        try:
            text = agreement_.factor_text(factor_id)
        except StopIteration:
            text = factor_id
        factors.append(FactorOut(id=factor_id, text=text, present=bool(value.get("present")),
                                 discounted=bool(value.get("discounted")), reason=redact(str(value.get("reason") or ""))))
    return DecisionOut(id=decision.id, decision=redact(decision.decision), decided_by=decision.decided_by,
                       decided_at=decision.decided_at, factors=factors)


def detail(session: Session, user: Principal, case: ChildCase, today: date) -> CaseOut:
    child = session.get(Person, case.child_id)
    steps = cases.steps_of(case, today)
    recorded = cases.decisions_of(session, case.id)
    departures = cases.departures_of(case)
    redact = redaction.for_reader(user.pseudonymised, [child], places=redaction.linked_places([child]))
    reason = ""
    if departures:
        reason = next((r for d in reversed(recorded) if (r := decisions.departure_reason_of(d.decision))), "")
    return CaseOut(
        **summary(user, case, child, today, steps).model_dump(),
        child_date_of_birth=None if user.pseudonymised or child is None else child.date_of_birth,
        referral_id=case.referral_id, concern=redact(case.concern), strategy_discussion_on=case.strategy_discussion_on,
        joint_investigation=case.joint_investigation, joint_criteria_met=cases.criteria_met_of(case),
        investigated_by=case.investigated_by, departures=departures, departure_reason=redact(reason),
        s47_started_on=case.s47_started_on, initial_conference_on=case.initial_conference_on,
        core_group_on=case.core_group_on, first_review_on=case.first_review_on, last_review_on=case.last_review_on,
        reviews=list(cases.dates_of(case).held_reviews),
        steps=[step_out(s) for s in steps], decisions=[decision_out(d, redact) for d in recorded],
        police_protection_ids=cases.protections_of(session, case.id))


def agreement_out() -> AgreementOut:
    a = agreement()
    return AgreementOut(id=a.id, title=a.title, agreed_with=a.agreed_with, source=a.source,
                        joint_investigation_criteria=[AgreementItem(id=i.id, text=i.text)
                                                      for i in a.joint_investigation_criteria],
                        risk_factors=[AgreementItem(id=i.id, text=i.text) for i in a.risk_factors])


__all__ = ["agreement_out", "child_name", "decision_out", "detail", "step_out", "summary"]
