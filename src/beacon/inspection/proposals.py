"""Proposed results: what the records say about each bound criterion over a period.

The audits a framework's bindings name are run once each over the period (``beacon.assurance``,
the same code that computes an inspection's evidence), and each bound criterion's result is
proposed from their figures (``binding.propose``). An inspection's proposals read its assessment
period; the live grades read a rolling period (``live.py``).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session

from beacon.assurance import child_protection as cp_audit
from beacon.assurance import domestic_abuse as da_audit
from beacon.assurance import missing_persons as mp_audit
from beacon.assurance.results import AuditResult
from beacon.inspection.binding import BoundThresholds, Proposal, propose
from beacon.inspection.types import Criterion, Framework
from beacon.rules.clocks import LONDON


def _mp(session, since, until, settings, now):
    return mp_audit.compliance(session, since, until, settings, now)


def _da(session, since, until, settings, now):
    # The DVO backlog is counted as at the last day of the period, as an inspection's evidence does.
    as_of = datetime.combine((until.astimezone(LONDON) - timedelta(days=1)).date(), time.max, tzinfo=LONDON)
    return da_audit.compliance(session, since, until, settings, now, as_of=as_of)


def _cp(session, since, until, settings, now):
    return cp_audit.compliance(session, since, until, settings, now)


AUDITS = {"mp.compliance": _mp, "da.compliance": _da, "cp.compliance": _cp}


def bound(criteria: Iterable[Criterion]) -> list[Criterion]:
    return [c for c in criteria if c.binding is not None]


def audits_for(session: Session, frameworks: Iterable[Framework], since: datetime, until: datetime,
               settings: Mapping[str, object], now: datetime) -> dict[str, AuditResult]:
    """Each audit the frameworks' bindings name, run once over [since, until)."""
    names = dict.fromkeys(a for f in frameworks for c in bound(f.criteria) for a in c.binding.audits)  # type: ignore[union-attr]
    return {name: AUDITS[name](session, since, until, settings, now) for name in names}


def propose_all(frameworks: Iterable[Framework], audits: Mapping[str, AuditResult],
                settings: Mapping[str, object]) -> dict[str, Proposal]:
    """Every bound criterion's proposal, by criterion id (pure: the audits are given)."""
    defaults = BoundThresholds.from_settings(settings)
    return {c.id: propose(c.binding, audits, defaults)  # type: ignore[arg-type]
            for f in frameworks for c in bound(f.criteria)}


def latest_audits(evidence: Iterable, framework_id: str) -> tuple[dict[str, AuditResult], dict[str, int]]:
    """From an inspection's evidence rows, the latest computed audit of each kind for the framework
    (withdrawn evidence ignored): the results, and the evidence id each came from."""
    audits: dict[str, AuditResult] = {}
    ids: dict[str, int] = {}
    for e in sorted(evidence, key=lambda e: e.id):
        if (e.framework_id == framework_id and e.computed_kind in AUDITS and e.computed_result
                and getattr(e, "withdrawn_at", None) is None):
            audits[e.computed_kind] = AuditResult.from_json(json.loads(e.computed_result))
            ids[e.computed_kind] = e.id
    return audits, ids


@dataclass(frozen=True)
class Proposed:
    """A bound criterion's proposal in an inspection, and the computed evidence it rests on."""
    proposal: Proposal
    evidence_ids: tuple[int, ...]     # the computed evidence each audit came from
    missing: tuple[str, ...]          # audits the binding names that the inspection has not computed

    def to_json(self) -> dict:
        return {**self.proposal.to_json(), "evidence_ids": list(self.evidence_ids), "missing": list(self.missing)}


def for_inspection(framework: Framework, evidence: Iterable, settings: Mapping[str, object]) -> dict[str, Proposed]:
    """The proposals for a framework's bound criteria from the inspection's latest computed
    evidence of each audit (pure: the evidence rows are given)."""
    audits, ids = latest_audits(evidence, framework.id)
    defaults = BoundThresholds.from_settings(settings)
    out = {}
    for c in bound(framework.criteria):
        names = c.binding.audits  # type: ignore[union-attr]
        out[c.id] = Proposed(propose(c.binding, audits, defaults),  # type: ignore[arg-type]
                             tuple(ids[a] for a in names if a in ids), tuple(a for a in names if a not in ids))
    return out
