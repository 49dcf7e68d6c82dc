"""Criteria bound to measures: how an audit's figures propose a criterion's result.

A criterion that records can evidence names its measures in the criteria library: an audit
(``mp.compliance``, ``da.compliance``, ``cp.compliance``), one of that audit's rules, and the
statistic read from it — the force-wide rate, or the lowest division's rate (for criteria about
every division working to one standard). Its result follows from the thresholds:

    rate >= met_at                 Met
    partly_at <= rate < met_at     Partly met
    rate < partly_at               Not met
    fewer than ``minimum`` records the rule applied to (force-wide, or in the division read)
                                   Not evidenced: too few records to judge by

A criterion with several measures takes the worst of their results: Not met if any is; otherwise
Not evidenced if any is; so a criterion is met only when every figure it rests on says so.

HMIC's 2007 grading process publishes no numbers for "met". The defaults are settings
(``grading.bound.met_at`` 0.85, ``grading.bound.partly_at`` 0.70, ``grading.bound.minimum_records``
20; the reasons are in ``beacon.config``). A binding may set stricter thresholds of its own, only
with a stated reason (the criterion's words, usually "every"). Pure functions; no database.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from beacon.assurance.results import AuditResult
from beacon.inspection.types import Result

RATE, LOWEST_DIVISION = "rate", "lowest_division"
STATISTICS = (RATE, LOWEST_DIVISION)

# The audits a criterion can be bound to: the framework each is evidence for, and its rules.
MEASURED_AUDITS: dict[str, tuple[str, tuple[str, ...]]] = {
    "mp.compliance": ("missing_persons", ("mp.risk_grades", "mp.supervisory_review", "mp.pnc_circulation",
                                          "mp.return_interview")),
    "da.compliance": ("domestic_violence", ("da.audit.review_on_time", "da.audit.marac_referral",
                                            "da.audit.marac_available", "da.audit.children_referred",
                                            "da.audit.log_closure")),
    "cp.compliance": ("child_abuse", ("cp.audit.referral_acknowledged", "cp.audit.factors_considered",
                                      "cp.audit.discount_reasons", "cp.audit.joint_decisions_consistent",
                                      "cp.audit.initial_conference", "cp.audit.reviews_on_time",
                                      "cp.audit.log_closure")),
}
_NO_AUDIT = AuditResult(rates={})
# Worst first: the order in which a criterion's measures are combined.
_WORST = (Result.NOT_MET, Result.PARTLY_MET, Result.MET)


@dataclass(frozen=True)
class Measure:
    audit: str          # a key of MEASURED_AUDITS
    rule_id: str
    statistic: str = RATE


@dataclass(frozen=True)
class BoundThresholds:
    met_at: float
    partly_at: float
    minimum: int

    @classmethod
    def from_settings(cls, settings: Mapping[str, object]) -> BoundThresholds:
        found = cls(float(settings["grading.bound.met_at"]),  # type: ignore[arg-type]
                    float(settings["grading.bound.partly_at"]),  # type: ignore[arg-type]
                    int(settings["grading.bound.minimum_records"]))  # type: ignore[call-overload]
        if found.partly_at > found.met_at:
            raise ValueError(f"grading.bound.partly_at ({found.partly_at}) is above grading.bound.met_at "
                             f"({found.met_at}): partly met must start below met")
        return found


@dataclass(frozen=True)
class Binding:
    """A criterion's measures, and thresholds of its own (None: the force's settings) with the reason."""
    criterion_id: str
    measures: tuple[Measure, ...]
    met_at: float | None = None
    partly_at: float | None = None
    reason: str = ""

    def thresholds(self, defaults: BoundThresholds) -> BoundThresholds:
        met = self.met_at if self.met_at is not None else defaults.met_at
        partly = self.partly_at if self.partly_at is not None else defaults.partly_at
        return BoundThresholds(met, min(partly, met), defaults.minimum)

    @property
    def audits(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.audit for m in self.measures))


@dataclass(frozen=True)
class Figure:
    """One measure's figure: what was counted, where (the division, for the lowest-division
    statistic), its result, and how many more records meeting the rule would reach Met."""
    audit: str
    rule_id: str
    statistic: str
    met: int
    applicable: int
    division: str | None
    result: Result
    to_met: int | None        # None: already met, or too few records to say

    @property
    def rate(self) -> float | None:
        return self.met / self.applicable if self.applicable else None

    def to_json(self) -> dict:
        return {"audit": self.audit, "rule_id": self.rule_id, "statistic": self.statistic, "met": self.met,
                "applicable": self.applicable, "rate": self.rate, "division": self.division,
                "result": self.result.value, "to_met": self.to_met}

    @classmethod
    def from_json(cls, data: Mapping) -> Figure:
        return cls(data["audit"], data["rule_id"], data["statistic"], int(data["met"]), int(data["applicable"]),
                   data.get("division"), Result(data["result"]), data.get("to_met"))


@dataclass(frozen=True)
class Proposal:
    """The result the records propose for a bound criterion, and why."""
    criterion_id: str
    result: Result
    figures: tuple[Figure, ...]
    thresholds: BoundThresholds
    reason: str               # the binding's own reason for its thresholds ("" when the defaults apply)

    def to_json(self) -> dict:
        return {"criterion_id": self.criterion_id, "result": self.result.value,
                "figures": [f.to_json() for f in self.figures],
                "thresholds": {"met_at": self.thresholds.met_at, "partly_at": self.thresholds.partly_at,
                               "minimum": self.thresholds.minimum}, "reason": self.reason}

    @classmethod
    def from_json(cls, data: Mapping) -> Proposal:
        t = data["thresholds"]
        return cls(data["criterion_id"], Result(data["result"]), tuple(Figure.from_json(f) for f in data["figures"]),
                   BoundThresholds(float(t["met_at"]), float(t["partly_at"]), int(t["minimum"])), data.get("reason", ""))

    def explain(self, division_names: Mapping[str, str] | None = None) -> str:
        names = division_names or {}
        parts = []
        for f in self.figures:
            where = f" in {names.get(f.division or '', f.division)} (the lowest division)" if f.division else ""
            share = f"{f.met:,} of {f.applicable:,} ({f.rate:.0%})" if f.rate is not None else "no records"
            parts.append(f"{f.rule_id}{where}: {share} → {f.result.value.replace('_', ' ')}")
        return (f"{'; '.join(parts)}. Met from {self.thresholds.met_at:.0%}, partly met from "
                f"{self.thresholds.partly_at:.0%}, at least {self.thresholds.minimum} records.")


def result_of(met: int, applicable: int, thresholds: BoundThresholds) -> Result:
    """The result one figure gives (the table in the module docstring)."""
    if applicable < thresholds.minimum:
        return Result.NOT_EVIDENCED
    rate = met / applicable
    if rate >= thresholds.met_at - 1e-12:
        return Result.MET
    if rate >= thresholds.partly_at - 1e-12:
        return Result.PARTLY_MET
    return Result.NOT_MET


def more_to_meet(met: int, applicable: int, met_at: float) -> int:
    """How many of the records that do not meet the rule would have to, for the rate to reach ``met_at``."""
    return max(0, math.ceil(met_at * applicable - 1e-9) - met)


def _figure(measure: Measure, audit: AuditResult, thresholds: BoundThresholds) -> Figure:
    division = None
    if measure.statistic == LOWEST_DIVISION:
        counted = [(d, b) for d, rules in audit.by_division.items() if (b := rules.get(measure.rule_id))
                   and b.applicable >= thresholds.minimum]
        if counted:
            division, brief = min(counted, key=lambda db: (db[1].met / db[1].applicable, db[0]))
            met, applicable = brief.met, brief.applicable
        else:
            met, applicable = 0, 0
    else:
        rate = audit.rate(measure.rule_id)
        met, applicable = (rate.met, rate.applicable) if rate else (0, 0)
    result = result_of(met, applicable, thresholds)
    to_met = more_to_meet(met, applicable, thresholds.met_at) if result in (Result.PARTLY_MET, Result.NOT_MET) else None
    return Figure(measure.audit, measure.rule_id, measure.statistic, met, applicable, division, result, to_met)


def propose(binding: Binding, audits: Mapping[str, AuditResult], defaults: BoundThresholds) -> Proposal:
    """The proposed result of a bound criterion from its audits' figures; an audit missing from
    ``audits`` counts no records (Not evidenced)."""
    thresholds = binding.thresholds(defaults)
    figures = tuple(_figure(m, audits.get(m.audit, _NO_AUDIT), thresholds) for m in binding.measures)
    judged = [f.result for f in figures if f.result is not Result.NOT_EVIDENCED]
    if Result.NOT_MET in judged:
        result = Result.NOT_MET
    elif len(judged) < len(figures):
        result = Result.NOT_EVIDENCED
    else:
        result = min(judged, key=_WORST.index)
    return Proposal(binding.criterion_id, result, figures, thresholds, binding.reason)
