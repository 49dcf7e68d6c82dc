"""Child protection cases: opened from a referral or a concern, worked through the strategy
discussion, the joint-investigation decision, section 47 enquiries, the initial conference, the
core group and review conferences, and closed. Every read and write is in the access log.

The time limits (Working Together to Safeguard Children, 2006, chapter 5) are computed by
:mod:`beacon.cases.child_protection.schedule`; the joint-investigation criteria and risk factors
come from the agreement (:mod:`beacon.cases.child_protection.agreement`), so every division
applies the same ones (HMIC, Gwent 2007, Child Abuse: "Divisional CAIUs do not work to a
consistent standard in identifying those cases that should trigger a joint investigation").
Each change to a case checks the ``version`` the user read: a stale one is a 409.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from beacon import rules
from beacon.access.audit import check_version, load_for, note, require
from beacon.access.policy import Action, Principal, scope
from beacon.access.references import resolve
from beacon.cases.child_protection import decisions as rules_of
from beacon.cases.child_protection import schedule
from beacon.cases.child_protection.agreement import Agreement, agreement
from beacon.cases.child_protection.case_schemas import (
    CaseIn,
    CaseStep,
    ClosureIn,
    DecisionIn,
    JointDecisionIn,
    StepIn,
)
from beacon.cases.child_protection.children import child_of, division_for_new
from beacon.cases.child_protection.models import (
    ChildCase,
    ChildCaseReview,
    ChildDecision,
    PoliceProtection,
)
from beacon.errors import Conflict, Invalid
from beacon.people.models import Person
from beacon.rules.clocks import LONDON

RECORD = "child_case"
OPEN, CLOSED = "open", "closed"


def today_of(now: datetime) -> date:
    """The date in England and Wales at ``now``: the day the clocks are read on."""
    return now.astimezone(LONDON).date()


def dates_of(case: ChildCase) -> schedule.CaseDates:
    return schedule.CaseDates(case.strategy_discussion_on, case.initial_conference_on, case.core_group_on,
                              case.first_review_on, case.last_review_on, closed=case.status == CLOSED,
                              reviews=tuple(r.held_on for r in case.reviews))


def steps_of(case: ChildCase, today: date) -> list[schedule.Step]:
    return schedule.steps(dates_of(case), today)


# --- opening -----------------------------------------------------------------------------

def open_case_for(session: Session, user: Principal, child: Person, division_id: int, concern: str, now: datetime,
                  referral_id: int | None = None, detail: str = "") -> ChildCase:
    """A new open case (no access check: callers check it). Used when a case is opened and when
    a child is taken into police protection without one."""
    session.flush()
    case = ChildCase(child_id=child.id, division_id=division_id, referral_id=referral_id, opened_at=now,
                     concern=concern, joint_criteria_met="[]", investigated_by="", status=OPEN)
    session.add(case)
    session.flush()
    note(session, user, "create", RECORD, case.id, detail=detail or f"child={child.id}")
    return case


def open_case_of_child(session: Session, child_id: int, division_id: int) -> ChildCase | None:
    return session.scalars(select(ChildCase).where(ChildCase.child_id == child_id, ChildCase.division_id == division_id,
                                                   ChildCase.status == OPEN).order_by(ChildCase.id)).first()


def open_case(session: Session, user: Principal, data: CaseIn, now: datetime) -> ChildCase:
    """Open a case for a child, from a referral or a concern. A child has one open case per division."""
    named = resolve(session, user, data)
    referral = named.get("referral_id")
    if referral is not None:
        if data.division_id is not None and data.division_id != referral.division_id:
            raise Invalid({"division_id": "a case opened from a referral belongs to the referral's division"})
        division_id = referral.division_id
    else:
        division_id = division_for_new(session, user, data.division_id, "case")
    require(session, user, Action.CREATE, RECORD, "", division_id)
    if referral is not None:
        child = session.get(Person, referral.child_id)
    else:
        child = child_of(session, named.get("child_id"), data.child, at=now)
        session.flush()
    if child.id is not None and (existing := open_case_of_child(session, child.id, division_id)) is not None:
        raise Conflict(f"this child already has an open case in the division (case {existing.id}); "
                       "record the new concern there", existing.version)
    concern = data.concern or referral.concern
    return open_case_for(session, user, child, division_id, concern, now, referral.id if referral else None,
                         detail=f"child={child.id}" + (f" referral={referral.id}" if referral else ""))


# --- reading -----------------------------------------------------------------------------

def _load(session: Session, user: Principal, case_id: int, action: Action) -> ChildCase:
    return load_for(session, user, RECORD, case_id, action)


def get_case(session: Session, user: Principal, case_id: int) -> ChildCase:
    case = _load(session, user, case_id, Action.READ)
    note(session, user, "read", RECORD, case_id)
    return case


def decisions_of(session: Session, case_id: int) -> list[ChildDecision]:
    return list(session.scalars(select(ChildDecision).where(ChildDecision.case_id == case_id)
                                .order_by(ChildDecision.decided_at, ChildDecision.id)))


def protections_of(session: Session, case_id: int) -> list[int]:
    return list(session.scalars(select(PoliceProtection.id).where(PoliceProtection.case_id == case_id)
                                .order_by(PoliceProtection.id)))


@dataclass(frozen=True)
class CaseloadRow:
    case: ChildCase
    steps: list[schedule.Step]
    next_step: schedule.Step | None


SORTS = ("due", "-due", "opened", "-opened")


def caseload(session: Session, user: Principal, today: date, division_id: int | None = None,
             status: str = OPEN, sort: str = "due", limit: int = 500) -> list[CaseloadRow]:
    """The cases of a division (or every division in the user's scope) with what is next due,
    sorted by that step's last day (``due``: soonest first, cases with nothing due last), or by
    when the case was opened; ``-`` reverses."""
    s = scope(user, RECORD)
    if not s.allowed or (division_id is not None and s.division_ids is not None and division_id not in s.division_ids):
        require(session, user, Action.READ, RECORD, "", division_id if division_id is not None else user.division_id)
    stmt = select(ChildCase).where(ChildCase.status == status)
    if s.division_ids is not None:
        stmt = stmt.where(ChildCase.division_id.in_(s.division_ids))
    if division_id is not None:
        stmt = stmt.where(ChildCase.division_id == division_id)
    cases = list(session.scalars(stmt.order_by(ChildCase.opened_at, ChildCase.id).limit(5000)))
    rows = []
    for case in cases:
        all_steps = steps_of(case, today)
        rows.append(CaseloadRow(case, all_steps, schedule.next_step(all_steps)))
    key = sort.lstrip("-")
    if key == "opened":
        rows.sort(key=lambda r: (r.case.opened_at, r.case.id), reverse=sort.startswith("-"))
    else:
        dated = sorted((r for r in rows if r.next_step), key=lambda r: (r.next_step.due_on, r.case.id),
                       reverse=sort.startswith("-"))
        rows = dated + [r for r in rows if r.next_step is None]
    rows = rows[:limit]
    note(session, user, "list", RECORD, "", detail=f"caseload division={division_id or 'all'} status={status} "
                                                   "ids=" + ",".join(str(r.case.id) for r in rows))
    return rows


# --- changing ----------------------------------------------------------------------------

def _check_version(case, version: int) -> None:
    check_version(case, version, f"case {case.id}")


def _check_open(case: ChildCase) -> None:
    if case.status != OPEN:
        raise Conflict(f"case {case.id} is closed", case.version)


def _date_errors(on: date, today: date, field: str = "on") -> dict[str, str]:
    if on > today:
        return {field: "cannot be in the future"}
    try:
        rules.get("cp.initial_conference", on)
    except rules.RuleNotInForce:
        return {field: "must be on or after 1 April 2006, when Working Together (2006) took effect"}
    return {}


def record_step(session: Session, user: Principal, case_id: int, step: CaseStep, data: StepIn,
                now: datetime) -> ChildCase:
    """Record the date of a step. Each step follows the one its clock starts from: section 47
    enquiries and the initial conference follow the strategy discussion; the core group and
    reviews follow the initial conference; each review follows the last."""
    case = _load(session, user, case_id, Action.UPDATE)
    _check_version(case, data.version)
    _check_open(case)
    on = data.on
    if errors := _date_errors(on, today_of(now)):
        raise Invalid(errors)
    step = CaseStep(step)
    if step is CaseStep.STRATEGY_DISCUSSION:
        later = [d for d in (case.s47_started_on, case.initial_conference_on) if d is not None]
        if later and on > min(later):
            raise Invalid({"on": f"must be on or before section 47 enquiries and the initial conference "
                                 f"({min(later):%d %B %Y})"})
        case.strategy_discussion_on = on
    else:
        needs = {CaseStep.SECTION_47: ("strategy discussion", case.strategy_discussion_on),
                 CaseStep.INITIAL_CONFERENCE: ("strategy discussion", case.strategy_discussion_on),
                 CaseStep.CORE_GROUP: ("initial conference", case.initial_conference_on),
                 CaseStep.REVIEW: ("initial conference", case.initial_conference_on)}[step]
        if needs[1] is None:
            raise Conflict(f"record the {needs[0]} of case {case.id} first", case.version)
        after = needs[1]
        if step is CaseStep.REVIEW and case.last_review_on is not None:
            after = case.last_review_on
            if on <= after:
                raise Invalid({"on": f"must be after the last review ({after:%d %B %Y})"})
        if on < after:
            raise Invalid({"on": f"must be on or after the {needs[0]} ({after:%d %B %Y})"})
        if step is CaseStep.SECTION_47:
            case.s47_started_on = on
        elif step is CaseStep.INITIAL_CONFERENCE:
            later = [d for d in (case.core_group_on, case.first_review_on) if d is not None]
            if later and on > min(later):
                raise Invalid({"on": f"must be on or before the core group and reviews ({min(later):%d %B %Y})"})
            case.initial_conference_on = on
        elif step is CaseStep.CORE_GROUP:
            case.core_group_on = on
        else:
            if case.first_review_on is None:
                case.first_review_on = on
            case.last_review_on = on
            case.reviews.append(ChildCaseReview(held_on=on, recorded_at=now,
                                                recorded_by=(user.display_name or user.username)[:80]))
    session.flush()
    note(session, user, "update", RECORD, case_id, detail=f"{step.value}={on.isoformat()}")
    return case


def _factor_errors(agreement_: Agreement, factors) -> dict[str, str]:
    return rules_of.factor_errors(agreement_, {k: v.model_dump() for k, v in factors.items()})


def _decision(session: Session, user: Principal, case: ChildCase, text: str, agreement_: Agreement, factors,
              now: datetime) -> ChildDecision:
    decision = ChildDecision(case_id=case.id, decision=text,
                             factors=rules_of.factors_json(agreement_, {k: v.model_dump() for k, v in factors.items()}),
                             decided_by=(user.display_name or user.username)[:80], decided_at=now)
    session.add(decision)
    session.flush()
    return decision


def add_decision(session: Session, user: Principal, case_id: int, data: DecisionIn, now: datetime) -> ChildDecision:
    """Record a decision about the child, with every risk factor considered."""
    case = _load(session, user, case_id, Action.REVIEW)
    _check_open(case)
    agreement_ = agreement()
    if errors := _factor_errors(agreement_, data.factors):
        raise Invalid(errors)
    decision = _decision(session, user, case, data.decision, agreement_, data.factors, now)
    note(session, user, "review", RECORD, case_id, detail=f"decision={decision.id}")
    return decision


def record_joint_decision(session: Session, user: Principal, case_id: int, data: JointDecisionIn,
                          now: datetime) -> ChildCase:
    """The joint-investigation decision: the criteria met, joint or single-agency, and who
    investigates, with every risk factor considered. A decision that differs from what the
    agreement gives is recorded (it is the decision-maker's call) but needs a reason and is flagged."""
    case = _load(session, user, case_id, Action.REVIEW)
    _check_version(case, data.version)
    _check_open(case)
    if case.strategy_discussion_on is None:
        raise Conflict(f"record the strategy discussion of case {case.id} first: the joint-investigation "
                       "decision is made there", case.version)
    agreement_ = agreement()
    met = list(dict.fromkeys(data.criteria_met))
    errors = rules_of.criteria_errors(agreement_, met)
    if not errors:
        gaps = rules_of.departures(agreement_, met, data.joint_investigation, data.investigated_by)
        if gaps and len(data.departure_reason) < 10:
            errors["departure_reason"] = ("the decision differs from the agreement (" + "; ".join(gaps) +
                                          "): give the reason, in at least 10 characters")
    errors.update(_factor_errors(agreement_, data.factors))
    if errors:
        raise Invalid(errors)
    case.joint_criteria_met = json.dumps(met)
    case.joint_investigation = data.joint_investigation
    case.investigated_by = data.investigated_by
    text = rules_of.joint_decision_text(agreement_, met, data.joint_investigation, data.investigated_by,
                                        data.departure_reason, data.notes)
    decision = _decision(session, user, case, text, agreement_, data.factors, now)
    session.flush()
    note(session, user, "review", RECORD, case_id,
         detail=f"joint={data.joint_investigation} by={data.investigated_by} criteria={','.join(met)} "
                f"decision={decision.id}" + (" departs" if rules_of.DEPARTURE_MARK in text else ""))
    return case


def close_case(session: Session, user: Principal, case_id: int, data: ClosureIn, now: datetime) -> ChildCase:
    """Close the case: a decision about the child, so every risk factor is recorded with it."""
    case = _load(session, user, case_id, Action.REVIEW)
    _check_version(case, data.version)
    _check_open(case)
    agreement_ = agreement()
    if errors := _factor_errors(agreement_, data.factors):
        raise Invalid(errors)
    case.status = CLOSED
    decision = _decision(session, user, case, f"Case closed. {data.reason}", agreement_, data.factors, now)
    session.flush()
    note(session, user, "close", RECORD, case_id, detail=f"decision={decision.id}")
    return case


def criteria_met_of(case: ChildCase) -> list[str]:
    try:
        value = json.loads(case.joint_criteria_met or "[]")
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def departures_of(case: ChildCase) -> list[str]:
    if case.joint_investigation is None:
        return []
    try:
        return rules_of.departures(agreement(), criteria_met_of(case), case.joint_investigation, case.investigated_by)
    except ValueError:  # criteria no longer in the agreement
        return ["the criteria recorded are not all in the current agreement"]


__all__ = ["CLOSED", "OPEN", "RECORD", "SORTS", "CaseloadRow", "add_decision", "caseload", "close_case",
           "criteria_met_of", "decisions_of", "departures_of", "get_case", "open_case", "open_case_for",
           "open_case_of_child", "protections_of", "record_joint_decision", "record_step", "steps_of", "today_of"]
