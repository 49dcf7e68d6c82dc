"""Audits of child protection records against the cited audit rules (``cp.audit.*`` in
:mod:`beacon.rules.catalogue`): compliance rates force-wide and per division with the records
behind every figure, how far the divisions differ, and reproducible case-file samples.

The checks are pure functions over plain values; the session functions read only the columns
they need.

* ``cp.audit.referral_acknowledged`` (referrals made in the period): acknowledged by
  ``cp.referral_acknowledgement_due`` (the end of the first working day after the day it was
  sent, England and Wales time). Never sent, or sent and never acknowledged, fails once due;
  one not yet due is not counted. Both kinds are also listed on their own.
* ``cp.audit.factors_considered`` (decisions made in the period): every risk factor of the
  agreement (``agreements/<id>.yaml``) is recorded as considered.
* ``cp.audit.discount_reasons``: every factor discounted has a reason that is not blank (applies
  to decisions that discount at least one factor).
* ``cp.audit.joint_decisions_consistent`` (cases opened in the period with a recorded decision):
  the joint-investigation decision is the one the agreed criteria give
  (``agreement.decision_consistent``); criteria not in the agreement fail. Compared across
  divisions (``spread``).
* ``cp.audit.initial_conference``: where a strategy discussion is recorded, a conference held is
  on time if on or before ``initial_conference_due`` (15 working days); an open case with section
  47 enquiries started and no conference fails once that day has passed.
* ``cp.audit.reviews_on_time``: where an initial conference was held, every review conference
  held was on time against its own clock (the first within 3 months of the conference, each later
  one within 6 months of the one before: ``schedule.steps``), and an open case's next review is
  not overdue. Applies once a review was held or one is overdue.
* ``cp.audit.log_closure``: see :mod:`beacon.assurance.closure`.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from beacon.assurance import closure
from beacon.assurance.compliance import Rate, by_division, draw_sample, rates, spread
from beacon.assurance.results import (
    AuditResult,
    AuditRule,
    FileSample,
    Listed,
    RuleRate,
    SampleCase,
    titles,
)
from beacon.cases.child_protection import agreement as agreements
from beacon.cases.child_protection import schedule
from beacon.cases.child_protection.clocks import (
    initial_conference_due,
    referral_acknowledgement_due,
)
from beacon.cases.child_protection.models import (
    ChildCase,
    ChildCaseReview,
    ChildDecision,
    ChildReferral,
)
from beacon.rules import RuleNotInForce
from beacon.rules.check import Check
from beacon.rules.clocks import LONDON

ACKNOWLEDGED = "cp.audit.referral_acknowledged"
CONSIDERED = "cp.audit.factors_considered"
REASONS = "cp.audit.discount_reasons"
JOINT = "cp.audit.joint_decisions_consistent"
CONFERENCE = "cp.audit.initial_conference"
REVIEWS = "cp.audit.reviews_on_time"
LOG_CLOSURE = closure.RULE_IDS["child_protection"]
_CASE = "/child-protection/cases/{}"
RULES = (   # one row per audit rule: the record it counts and the page that shows one; titles from the registry
    AuditRule(ACKNOWLEDGED, "referral", "/referrals/{}"),
    AuditRule(CONSIDERED, "decision", ""),
    AuditRule(REASONS, "decision", ""),
    AuditRule(JOINT, "child case", _CASE),
    AuditRule(CONFERENCE, "child case", _CASE),
    AuditRule(REVIEWS, "child case", _CASE),
    AuditRule(LOG_CLOSURE, "log", "/incidents/{}"),
)
TITLES = titles(RULES)


# --- the pure checks --------------------------------------------------------------------------

def acknowledgement_check(created_at: datetime, sent_at: datetime | None, acknowledged_at: datetime | None,
                          now: datetime) -> Check:
    """A referral never sent is due from when it was made (it should have been sent then)."""
    try:
        due = referral_acknowledgement_due(sent_at or created_at)
    except RuleNotInForce:
        return Check(ACKNOWLEDGED, TITLES[ACKNOWLEDGED], False, False, "before the rule was in force")
    if acknowledged_at is not None:
        met = sent_at is not None and acknowledged_at <= due
        return Check(ACKNOWLEDGED, TITLES[ACKNOWLEDGED], True, met,
                     "acknowledged in time" if met else "acknowledged late")
    if now <= due:
        return Check(ACKNOWLEDGED, TITLES[ACKNOWLEDGED], False, False, "not due yet")
    return Check(ACKNOWLEDGED, TITLES[ACKNOWLEDGED], True, False,
                 "never sent" if sent_at is None else "never acknowledged")


def _factors(raw: str | Mapping | None) -> dict:
    if isinstance(raw, Mapping):
        return dict(raw)
    try:
        value = json.loads(raw or "{}")
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def factor_checks(factors: str | Mapping | None, factor_ids: Sequence[str]) -> list[Check]:
    """``factors``: the decision's JSON ``{factor_id: {"considered", "discounted", "reason"}}``."""
    recorded = _factors(factors)
    missing = [f for f in factor_ids if not (isinstance(recorded.get(f), Mapping) and recorded[f].get("considered"))]
    considered = Check(CONSIDERED, TITLES[CONSIDERED], True, not missing,
                       f"not considered: {', '.join(missing)}" if missing else "every factor considered")
    discounted = [f for f, v in recorded.items() if isinstance(v, Mapping) and v.get("discounted")]
    unreasoned = [f for f in discounted if not str(recorded[f].get("reason") or "").strip()]
    reasons = Check(REASONS, TITLES[REASONS], bool(discounted), bool(discounted) and not unreasoned,
                    "nothing discounted" if not discounted else
                    f"discounted without a reason: {', '.join(unreasoned)}" if unreasoned else
                    "every discounted factor has a reason")
    return [considered, reasons]


def joint_check(joint_investigation: bool | None, criteria_met: str | Sequence[str] | None,
                agreement: agreements.Agreement) -> Check:
    if joint_investigation is None:
        return Check(JOINT, TITLES[JOINT], False, False, "no decision recorded")
    met_ids = criteria_met if isinstance(criteria_met, (list, tuple)) else _criteria(criteria_met)
    try:
        consistent = agreements.decision_consistent(agreement, met_ids, joint_investigation)
    except agreements.AgreementError:
        unknown = agreements.unknown_criteria(agreement, met_ids)
        return Check(JOINT, TITLES[JOINT], True, False, f"criteria not in the agreement: {', '.join(unknown)}")
    required = "joint investigation required" if met_ids else "no criterion met"
    decided = "investigated jointly" if joint_investigation else "not investigated jointly"
    return Check(JOINT, TITLES[JOINT], True, consistent, f"{required}; {decided}")


def _criteria(raw: str | None) -> list[str]:
    try:
        value = json.loads(raw or "[]")
    except (TypeError, ValueError):
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def conference_check(strategy_discussion_on: date | None, s47_started_on: date | None,
                     initial_conference_on: date | None, case_open: bool, today: date) -> Check:
    if strategy_discussion_on is None:
        return Check(CONFERENCE, TITLES[CONFERENCE], False, False, "no strategy discussion")
    try:
        due = initial_conference_due(strategy_discussion_on)
    except RuleNotInForce:
        return Check(CONFERENCE, TITLES[CONFERENCE], False, False, "before the rule was in force")
    if initial_conference_on is not None:
        met = initial_conference_on <= due
        return Check(CONFERENCE, TITLES[CONFERENCE], True, met,
                     f"held {'on time' if met else 'late'} (due {due.isoformat()})")
    if s47_started_on is not None and case_open and today > due:
        return Check(CONFERENCE, TITLES[CONFERENCE], True, False, f"no conference held (due {due.isoformat()})")
    return Check(CONFERENCE, TITLES[CONFERENCE], False, False, "no conference needed yet")


def reviews_check(initial_conference_on: date | None, reviews: Sequence[date], case_open: bool,
                  today: date) -> Check:
    """Every review held on time against its own clock, and none overdue now on an open case."""
    if initial_conference_on is None:
        return Check(REVIEWS, TITLES[REVIEWS], False, False, "no initial conference")
    dates = schedule.CaseDates(None, initial_conference_on, None, None, None, closed=not case_open,
                               reviews=tuple(reviews))
    try:
        steps = [s for s in schedule.steps(dates, today) if "review" in s.key]
    except RuleNotInForce:
        return Check(REVIEWS, TITLES[REVIEWS], False, False, "before the rule was in force")
    judged = [s for s in steps if s.status in (schedule.MET, schedule.LATE, schedule.OVERDUE)]
    if not judged:
        return Check(REVIEWS, TITLES[REVIEWS], False, False, "no review due yet")
    failing = [s for s in judged if s.status != schedule.MET]
    detail = "; ".join(f"{s.label.lower()} {schedule.STATUS_LABELS[s.status].lower()} (due {s.due_on.isoformat()})"
                       for s in failing) or f"{len(reviews)} review(s) on time"
    return Check(REVIEWS, TITLES[REVIEWS], True, not failing, detail)


@dataclass(frozen=True)
class CaseFacts:
    id: int
    division_id: int
    referral_id: int | None
    joint_investigation: bool | None
    criteria_met: str
    strategy_discussion_on: date | None
    s47_started_on: date | None
    initial_conference_on: date | None
    status: str
    reviews: tuple[date, ...] = ()


def case_checks(c: CaseFacts, agreement: agreements.Agreement, today: date) -> list[Check]:
    return [joint_check(c.joint_investigation, c.criteria_met, agreement),
            conference_check(c.strategy_discussion_on, c.s47_started_on, c.initial_conference_on,
                             c.status == "open", today),
            reviews_check(c.initial_conference_on, c.reviews, c.status == "open", today)]


# --- reading the records ----------------------------------------------------------------------

def _referrals(session: Session, since: datetime | None, until: datetime | None, ids: Sequence[int] | None = None):
    """Referrals made in [since, until), or (``ids`` given) those referrals whenever made."""
    stmt = select(ChildReferral.id, ChildReferral.division_id, ChildReferral.created_at, ChildReferral.sent_at,
                  ChildReferral.acknowledged_at).order_by(ChildReferral.id)
    if ids is not None:
        stmt = stmt.where(ChildReferral.id.in_(list(ids) or [0]))
    else:
        stmt = stmt.where(ChildReferral.created_at >= since, ChildReferral.created_at < until)
    return session.execute(stmt).all()


def _decisions(session: Session, since: datetime, until: datetime, case_ids: Sequence[int] | None = None):
    stmt = (select(ChildDecision.id, ChildCase.division_id, ChildDecision.factors, ChildDecision.case_id)
            .join(ChildCase, ChildCase.id == ChildDecision.case_id).order_by(ChildDecision.id))
    if case_ids is None:
        stmt = stmt.where(ChildDecision.decided_at >= since, ChildDecision.decided_at < until)
    else:
        stmt = stmt.where(ChildDecision.case_id.in_(list(case_ids) or [0]))
    return session.execute(stmt).all()


def _cases(session: Session, since: datetime, until: datetime, ids: Sequence[int] | None = None) -> list[CaseFacts]:
    stmt = (select(ChildCase.id, ChildCase.division_id, ChildCase.referral_id, ChildCase.joint_investigation,
                   ChildCase.joint_criteria_met, ChildCase.strategy_discussion_on, ChildCase.s47_started_on,
                   ChildCase.initial_conference_on, ChildCase.status)
            .where(ChildCase.opened_at >= since, ChildCase.opened_at < until).order_by(ChildCase.id))
    if ids is not None:
        stmt = stmt.where(ChildCase.id.in_(list(ids) or [0]))
    rows = session.execute(stmt).all()
    held: dict[int, list[date]] = {}
    chosen = select(ChildCase.id).where(ChildCase.opened_at >= since, ChildCase.opened_at < until)
    if ids is not None:
        chosen = chosen.where(ChildCase.id.in_(list(ids) or [0]))
    for case_id, on in session.execute(select(ChildCaseReview.case_id, ChildCaseReview.held_on)
                                       .where(ChildCaseReview.case_id.in_(chosen)).order_by(ChildCaseReview.held_on)):
        held.setdefault(case_id, []).append(on)
    return [CaseFacts(*row, reviews=tuple(held.get(row[0], ()))) for row in rows]


def _every_rule(found: Mapping[str, Rate], keep: Sequence[str] = tuple(TITLES)) -> dict[str, RuleRate]:
    return {rule_id: found.get(rule_id, Rate(rule_id, TITLES[rule_id])).frozen() for rule_id in keep}


def compliance(session: Session, since: datetime, until: datetime, settings: Mapping[str, object], now: datetime,
               agreement_id: str = agreements.DEFAULT) -> AuditResult:
    """Force-wide and per-division compliance over [since, until): referrals made, decisions made,
    cases opened and logs closed in the period."""
    agreement = agreements.agreement(agreement_id)
    today = now.astimezone(LONDON).date()
    referrals = _referrals(session, since, until)
    ref_checks = {rid: [acknowledgement_check(created, sent, ack, now)] for rid, _, created, sent, ack in referrals}
    ref_divisions = {rid: division for rid, division, *_ in referrals}
    decisions = _decisions(session, since, until)
    dec_checks = {did: factor_checks(factors, agreement.factor_ids) for did, _, factors, _case in decisions}
    dec_divisions = {did: division for did, division, *_ in decisions}
    cases = _cases(session, since, until)
    case_checks_ = {c.id: case_checks(c, agreement, today) for c in cases}
    case_divisions = {c.id: c.division_id for c in cases}
    logs, log_divisions, examined = closure.log_checks(session, since, until, "child_protection")

    found: dict[str, Rate] = {}
    divisions: dict[str, dict] = {}
    for checks, division_of in ((ref_checks, ref_divisions), (dec_checks, dec_divisions),
                                (case_checks_, case_divisions), (logs, log_divisions)):
        found.update(rates(checks))
        for d, r in by_division(checks, division_of).items():
            divisions.setdefault(d, {}).update(r)

    def listed(rows) -> Listed:
        per: dict[str, int] = {}
        for _rid, division in rows:
            per[str(division)] = per.get(str(division), 0) + 1
        return Listed(len(rows), tuple(rid for rid, _ in rows), dict(sorted(per.items())))

    never_sent = [(rid, ref_divisions[rid]) for rid, c in ref_checks.items() if c[0].applies and c[0].detail == "never sent"]
    never_ack = [(rid, ref_divisions[rid]) for rid, c in ref_checks.items()
                 if c[0].applies and c[0].detail == "never acknowledged"]
    return AuditResult(
        rates=_every_rule(found), by_division=divisions, spread=spread(divisions),
        facts={"referrals": len(referrals), "decisions": len(decisions), "cases": len(cases),
               "logs_examined": examined, "agreement": agreement.id},
        never_acknowledged=listed(never_ack), never_sent=listed(never_sent))


def file_sample(session: Session, since: datetime, until: datetime, n: int, seed: int,
                settings: Mapping[str, object], now: datetime, agreement_id: str = agreements.DEFAULT) -> FileSample:
    """Draw ``n`` child cases opened in [since, until) with ``seed`` and check each: its joint
    decision and conference, every decision's risk factors, and its referral's acknowledgement."""
    agreement = agreements.agreement(agreement_id)
    today = now.astimezone(LONDON).date()
    ids = session.scalars(select(ChildCase.id).where(ChildCase.opened_at >= since, ChildCase.opened_at < until)).all()
    sample = draw_sample(ids, n, seed)
    cases = _cases(session, since, until, sample)
    decisions: dict[int, list] = {}
    for _did, _division, factors, case_id in _decisions(session, since, until, sample):
        decisions.setdefault(case_id, []).append(factors)
    referral_ids = [c.referral_id for c in cases if c.referral_id is not None]
    referrals = {rid: (created, sent, ack) for rid, _d, created, sent, ack in
                 _referrals(session, None, None, referral_ids)} if referral_ids else {}
    checks: dict[int, list[Check]] = {}
    for c in cases:
        mine = case_checks(c, agreement, today)
        per_decision = [factor_checks(f, agreement.factor_ids) for f in decisions.get(c.id, [])]
        for rule_id, position in ((CONSIDERED, 0), (REASONS, 1)):
            applied = [d[position] for d in per_decision if d[position].applies]
            failing = [d for d in applied if not d.met]
            mine.append(Check(rule_id, TITLES[rule_id], bool(applied), bool(applied) and not failing,
                              f"{len(applied) - len(failing)} of {len(applied)} decision(s)" if applied else
                              "no decision recorded"))
        if c.referral_id in referrals:
            mine.append(acknowledgement_check(*referrals[c.referral_id], now))
        else:
            mine.append(Check(ACKNOWLEDGED, TITLES[ACKNOWLEDGED], False, False, "no referral"))
        checks[c.id] = mine
    out_cases = tuple(SampleCase(c.id, f"child case {c.id}", c.division_id,
                                 {k.rule_id: (k.met if k.applies else None) for k in checks[c.id]},
                                 {k.rule_id: k.detail for k in checks[c.id]}) for c in cases)
    keep = (ACKNOWLEDGED, CONSIDERED, REASONS, JOINT, CONFERENCE, REVIEWS)
    return FileSample(len(ids), len(sample), seed, out_cases, _every_rule(rates(checks), keep),
                      {"agreement": agreement.id})
