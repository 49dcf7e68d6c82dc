"""Audits of domestic abuse records against the cited audit rules (``da.audit.*`` in
:mod:`beacon.rules.catalogue`): compliance rates force-wide and per division with the records
behind every figure, the DVO's backlog as at a date, and reproducible case-file samples.

The checks are pure functions over plain values (``review_check``, ``in_backlog``,
``marac_check``, ``marac_available_check``, ``children_check``, ``form_checks``); the session
functions read only the columns they need (a year of a force's forms is about 10,000 rows).

* ``da.audit.review_on_time``: the DVO reviews a form by the end of the ``da.review_working_days``
  th working day after the (England and Wales) day it was completed. A form not yet reviewed
  is not counted until it is due; one replaced by a reassessment before it was due and never
  reviewed is not counted.
* ``da.audit.review_backlog``: forms completed and not reviewed as at a moment (a form reviewed,
  or replaced by a reassessment, later still counts), the same measure as
  ``beacon.cases.domestic_abuse.service.backlog``, with the form ids.
* ``da.audit.marac_referral``: a form whose case met any published MARAC referral criterion when
  the incident happened (visible high risk, professional judgement, potential escalation on
  the force's call-out threshold, or a repeat within 12 months of the last referral; the same
  ``rules.marac_criteria`` the referral uses) has a MARAC referral.
* ``da.audit.marac_available``: the division of such a form has a MARAC.
* ``da.audit.children_referred``: a form recording children in the household has a referral to
  children's social care.
* ``da.audit.log_closure``: see :mod:`beacon.assurance.closure`.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from beacon.access.policy import FORCE_WIDE
from beacon.assurance import closure
from beacon.assurance.compliance import Rate, by_division, draw_sample, rates, spread
from beacon.assurance.results import (
    AuditResult,
    AuditRule,
    Backlog,
    BacklogRow,
    FileSample,
    ReferralsMade,
    RuleRate,
    SampleCase,
    titles,
)
from beacon.cases.child_protection.models import ChildReferral
from beacon.cases.domestic_abuse import repository as da_repo
from beacon.cases.domestic_abuse import service as da_service
from beacon.cases.domestic_abuse.models import MaracReferral, RiskForm
from beacon.cases.domestic_abuse.service import CRITERION_LABELS
from beacon.cases.incidents.models import Incident
from beacon.org import repository as org_repo
from beacon.org.models import Division
from beacon.rules.check import Check
from beacon.rules.clocks import working_day_deadline

REVIEW = "da.audit.review_on_time"
BACKLOG = "da.audit.review_backlog"
MARAC = "da.audit.marac_referral"
MARAC_AVAILABLE = "da.audit.marac_available"
CHILDREN = "da.audit.children_referred"
LOG_CLOSURE = closure.RULE_IDS["domestic"]
_FORM = "/domestic-abuse/forms/{}"
RULES = (   # one row per audit rule: the record it counts and the page that shows one; titles from the registry
    AuditRule(REVIEW, "risk form", _FORM),
    AuditRule(MARAC, "risk form", _FORM),
    AuditRule(MARAC_AVAILABLE, "risk form", _FORM),
    AuditRule(CHILDREN, "risk form", _FORM),
    AuditRule(LOG_CLOSURE, "log", "/incidents/{}"),
)
TITLES = titles(RULES)


# --- the pure checks --------------------------------------------------------------------------

def review_due(completed_at: datetime, settings: Mapping[str, object]) -> datetime:
    """The end (UTC) of the ``da.review_working_days``th working day after the form's local day."""
    return working_day_deadline(completed_at, int(settings["da.review_working_days"]))


def review_check(completed_at: datetime, reviewed_at: datetime | None, superseded_at: datetime | None,
                 now: datetime, settings: Mapping[str, object]) -> Check:
    due = review_due(completed_at, settings)
    if reviewed_at is not None:
        met = reviewed_at <= due
        return Check(REVIEW, TITLES[REVIEW], True, met, "reviewed on time" if met else "reviewed late")
    if superseded_at is not None and superseded_at <= due:
        return Check(REVIEW, TITLES[REVIEW], False, False, "replaced by a reassessment before the review was due")
    if now <= due:
        return Check(REVIEW, TITLES[REVIEW], False, False, "not due yet")
    return Check(REVIEW, TITLES[REVIEW], True, False, "not reviewed")


def in_backlog(completed_at: datetime, reviewed_at: datetime | None, superseded_at: datetime | None,
               as_of: datetime) -> bool:
    """Completed by ``as_of``, not reviewed by then, and not replaced by a reassessment by then."""
    return (completed_at <= as_of and (reviewed_at is None or reviewed_at > as_of)
            and (superseded_at is None or superseded_at > as_of))


def _criteria_text(criteria: Sequence[str]) -> str:
    return "; ".join(CRITERION_LABELS[c].lower() for c in criteria)


def marac_check(criteria: Sequence[str], referred: bool) -> Check:
    """``criteria``: the MARAC criteria the case met (``rules.marac_criteria``), in their order."""
    if not criteria:
        return Check(MARAC, TITLES[MARAC], False, False, "no MARAC criterion met")
    return Check(MARAC, TITLES[MARAC], True, referred,
                 f"{_criteria_text(criteria)}: " + ("referred" if referred else "not referred"))


def marac_available_check(criteria: Sequence[str], division_has_marac: bool) -> Check:
    if not criteria:
        return Check(MARAC_AVAILABLE, TITLES[MARAC_AVAILABLE], False, False, "no MARAC criterion met")
    return Check(MARAC_AVAILABLE, TITLES[MARAC_AVAILABLE], True, division_has_marac,
                 "the division has a MARAC" if division_has_marac else "the division has no MARAC")


def children_check(children_in_household: int, child_referred: bool) -> Check:
    if not children_in_household:
        return Check(CHILDREN, TITLES[CHILDREN], False, False, "no children recorded")
    return Check(CHILDREN, TITLES[CHILDREN], True, child_referred,
                 "referred to children's social care" if child_referred else "no referral to children's social care")


@dataclass(frozen=True)
class FormFacts:
    """What the checks need to know about one risk form, as plain values."""
    id: int
    division_id: int
    completed_at: datetime
    reviewed_at: datetime | None
    superseded_at: datetime | None     # when a reassessment replaced it, if one did
    final_level: str
    marac_criteria: tuple[str, ...]    # the MARAC criteria the case met at the incident
    children_in_household: int
    marac_referred: bool
    division_has_marac: bool
    child_referred: bool


def form_checks(f: FormFacts, settings: Mapping[str, object], now: datetime) -> list[Check]:
    return [review_check(f.completed_at, f.reviewed_at, f.superseded_at, now, settings),
            marac_check(f.marac_criteria, f.marac_referred),
            marac_available_check(f.marac_criteria, f.division_has_marac),
            children_check(f.children_in_household, f.child_referred)]


# --- reading the records ----------------------------------------------------------------------

def _superseded(session: Session) -> dict[int, datetime]:
    """Form id -> when the first reassessment replacing it was completed."""
    stmt = (select(RiskForm.supersedes_id, func.min(RiskForm.completed_at))
            .where(RiskForm.supersedes_id.is_not(None)).group_by(RiskForm.supersedes_id))
    return {fid: at for fid, at in session.execute(stmt)}


def marac_divisions(session: Session) -> dict[int, bool]:
    """Division id -> whether it has a MARAC (a MARAC partner body for one of its authorities)."""
    return {d: org_repo.partner_for_division(session, d, "marac") is not None
            for d in session.scalars(select(Division.id).order_by(Division.id))}


def _facts(session: Session, since: datetime, until: datetime, settings: Mapping[str, object],
           ids: list[int] | None = None) -> list[FormFacts]:
    stmt = (select(RiskForm.id, RiskForm.division_id, RiskForm.completed_at, RiskForm.reviewed_at,
                   RiskForm.final_level, RiskForm.computed_level, RiskForm.judged_level,
                   RiskForm.children_in_household, RiskForm.victim_id, RiskForm.perpetrator_id,
                   RiskForm.incident_id, Incident.received_at)
            .outerjoin(Incident, Incident.id == RiskForm.incident_id)
            .where(RiskForm.completed_at >= since, RiskForm.completed_at < until).order_by(RiskForm.id))
    if ids is not None:
        if not ids:
            return []
        stmt = stmt.where(RiskForm.id.in_(ids))
    rows = session.execute(stmt).all()
    if not rows:
        return []
    superseded = _superseded(session)
    referred = set(session.scalars(select(MaracReferral.risk_form_id).distinct()))
    children = set(session.scalars(select(ChildReferral.risk_form_id).where(ChildReferral.risk_form_id.is_not(None))
                                   .distinct()))
    has_marac = marac_divisions(session)
    victims = select(RiskForm.victim_id).where(RiskForm.completed_at >= since, RiskForm.completed_at < until)
    if ids is not None:
        victims = victims.where(RiskForm.id.in_(ids))
    history = da_repo.marac_history(session, victims)
    threshold = int(settings["da.marac_escalation_callouts"])
    return [FormFacts(r.id, r.division_id, r.completed_at, r.reviewed_at, superseded.get(r.id), r.final_level,
                      tuple(da_service.history_criteria(r, r.received_at or r.completed_at, history, threshold).met),
                      r.children_in_household or 0,
                      r.id in referred, has_marac.get(r.division_id, False), r.id in children)
            for r in rows]


def backlog(session: Session, as_of: datetime) -> Backlog:
    """``da.audit.review_backlog``: forms completed and not reviewed as at ``as_of``, per division
    (every division listed, 0 where none), with the form ids and the oldest completion time."""
    rows: dict[str, list[tuple[int, datetime]]] = {str(d): [] for d in
                                                   session.scalars(select(Division.id).order_by(Division.id))}
    for fid, division, completed in da_repo.backlog_forms(session, FORCE_WIDE, as_of):
        rows.setdefault(str(division), []).append((fid, completed))
    by_division = {d: BacklogRow(len(found), min(c for _, c in found).isoformat() if found else None,
                                 tuple(f for f, _ in found)) for d, found in rows.items()}
    return Backlog(BACKLOG, as_of.isoformat(), sum(r.unreviewed for r in by_division.values()), by_division)


def compliance(session: Session, since: datetime, until: datetime, settings: Mapping[str, object], now: datetime,
               as_of: datetime | None = None) -> AuditResult:
    """Force-wide and per-division compliance for forms completed in [since, until), logs closed in
    that period, and the backlog as at ``as_of`` (default ``until``)."""
    facts = _facts(session, since, until, settings)
    checks = {f.id: form_checks(f, settings, now) for f in facts}
    division_of: dict[int, int | None] = {f.id: f.division_id for f in facts}
    logs, log_divisions, examined = closure.log_checks(session, since, until, "domestic")
    all_rates = _every_rule({**rates(checks), **rates(logs)})
    divisions = by_division(checks, division_of)
    for d, r in by_division(logs, log_divisions).items():
        divisions.setdefault(d, {}).update(r)
    has_marac = marac_divisions(session)
    return AuditResult(
        rates=all_rates, by_division=divisions, spread=spread(divisions),
        facts={"forms": len(facts), "logs_examined": examined,
               "review_working_days": int(settings["da.review_working_days"])},
        backlog=backlog(session, as_of or until), child_referrals=_child_referrals(session, since, until, now),
        marac_divisions={str(d): v for d, v in has_marac.items()})


def _child_referrals(session: Session, since: datetime, until: datetime, now: datetime) -> ReferralsMade:
    """The referrals to children's social care made from the period's risk forms, and which of
    them children's social care never acknowledged (or were never sent) once due: the follow-up
    the report found missing ("can and does fail without there being any follow up")."""
    from beacon.assurance.child_protection import acknowledgement_check

    stmt = (select(ChildReferral.id, ChildReferral.created_at, ChildReferral.sent_at, ChildReferral.acknowledged_at)
            .join(RiskForm, RiskForm.id == ChildReferral.risk_form_id)
            .where(RiskForm.completed_at >= since, RiskForm.completed_at < until).order_by(ChildReferral.id))
    made, unanswered = 0, []
    for rid, created, sent, acknowledged in session.execute(stmt):
        made += 1
        check = acknowledgement_check(created, sent, acknowledged, now)
        if check.applies and check.detail in ("never acknowledged", "never sent"):
            unanswered.append(rid)
    return ReferralsMade(made, len(unanswered), tuple(unanswered))


def _every_rule(found: Mapping[str, Rate]) -> dict[str, RuleRate]:
    """Every rule's rate, in a fixed order, with an empty rate (``rate`` None) where nothing applied."""
    return {rule_id: found.get(rule_id, Rate(rule_id, title)).frozen() for rule_id, title in TITLES.items()}


def file_sample(session: Session, since: datetime, until: datetime, n: int, seed: int,
                settings: Mapping[str, object], now: datetime) -> FileSample:
    """Draw ``n`` risk forms completed in [since, until) with ``seed`` and check each."""
    ids = session.scalars(select(RiskForm.id).where(RiskForm.completed_at >= since,
                                                    RiskForm.completed_at < until)).all()
    sample = draw_sample(ids, n, seed)
    facts = _facts(session, since, until, settings, sample)
    checks = {f.id: form_checks(f, settings, now) for f in facts}
    cases = tuple(SampleCase(f.id, f"risk form {f.id}", f.division_id,
                             {c.rule_id: (c.met if c.applies else None) for c in checks[f.id]},
                             {c.rule_id: c.detail for c in checks[f.id]}) for f in facts)
    return FileSample(len(ids), len(sample), seed, cases,
                      {k: v for k, v in _every_rule(rates(checks)).items() if k != LOG_CLOSURE})
