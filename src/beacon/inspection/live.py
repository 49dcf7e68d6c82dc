"""Live provisional grades: each framework graded every month without an inspection being opened.

For the month ending on ``period_end`` the rolling period is the ``grading.live_months`` months
before it. A bound criterion takes the result its records propose over that period (the same
audits and ``binding.propose`` an inspection uses); every other criterion carries forward the
result of the force's latest published inspection whose assessment period had begun by then,
with the date it was assessed, because an inspector's judgement is about the force over that
period and nothing newer has replaced it. A criterion neither bound nor ever assessed counts as
Not evidenced. The beacon and innovation evidence comes from the same inspection. The grade is
the grading engine's, always provisional: no inspector or moderator has looked at it.

Pure functions; the database side is ``live_grades.py``.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from beacon.inspection import grading
from beacon.inspection.binding import Proposal
from beacon.inspection.types import Framework, Grade, Result, grade_rank
from beacon.inspection.what_would_change import Shortfall
from beacon.rules.clocks import add_months

RECORDS, INSPECTION, NONE = "records", "inspection", "none"


def month_of(d: date) -> date:
    return d.replace(day=1)


def window(month: date, months: int) -> tuple[date, date]:
    """[start, end) of the rolling period graded for ``month`` (the period ends with the month)."""
    if months < 1:
        raise ValueError(f"grading.live_months must be at least 1, got {months}")
    end = add_months(month_of(month), 1)
    return add_months(end, -months), end


def months_between(first: date, last: date) -> list[date]:
    out, m = [], month_of(first)
    while m <= month_of(last):
        out.append(m)
        m = add_months(m, 1)
    return out


@dataclass(frozen=True)
class Carried:
    """An inspector's result carried forward: from which inspection, assessed when."""
    result: Result
    inspection_id: int
    assessed_on: date


@dataclass(frozen=True)
class LiveCriterion:
    criterion_id: str
    result: Result
    source: str                          # RECORDS, INSPECTION or NONE
    proposal: Proposal | None = None     # RECORDS: the figures
    carried: Carried | None = None       # INSPECTION: where the result came from
    shortfalls: tuple[Shortfall, ...] = ()   # RECORDS: each place's distance from Met

    def to_json(self) -> dict:
        out: dict = {"result": self.result.value, "source": self.source}
        if self.proposal is not None:
            out["proposal"] = self.proposal.to_json()
            out["shortfalls"] = [s.to_json() for s in self.shortfalls]
        if self.carried is not None:
            out["inspection_id"] = self.carried.inspection_id
            out["assessed_on"] = self.carried.assessed_on.isoformat()
        return out

    @classmethod
    def from_json(cls, criterion_id: str, data: Mapping) -> LiveCriterion:
        carried = (Carried(Result(data["result"]), int(data["inspection_id"]), date.fromisoformat(data["assessed_on"]))
                   if "inspection_id" in data else None)
        proposal = Proposal.from_json(data["proposal"]) if "proposal" in data else None
        return cls(criterion_id, Result(data["result"]), data["source"], proposal, carried,
                   tuple(Shortfall.from_json(s) for s in data.get("shortfalls", ())))


@dataclass(frozen=True)
class LiveFramework:
    framework_id: str
    month: date
    period_start: date
    period_end: date                     # exclusive
    decision: grading.GradeDecision
    criteria: dict[str, LiveCriterion]

    @property
    def grade(self) -> Grade | None:
        return self.decision.grade

    @property
    def results(self) -> dict[str, Result]:
        return {cid: c.result for cid, c in self.criteria.items()}

    def criteria_json(self) -> dict:
        return {cid: c.to_json() for cid, c in self.criteria.items()}


def grade_month(framework: Framework, month: date, months: int, proposals: Mapping[str, Proposal],
                carried: Mapping[str, Carried], *, beacon: bool, innovation_evaluated: bool,
                thresholds: grading.Thresholds,
                shortfalls: Mapping[str, tuple[Shortfall, ...]] | None = None) -> LiveFramework:
    """One framework's live grade for ``month`` from its proposals (bound criteria) and the carried
    inspector results (the rest)."""
    start, end = window(month, months)
    criteria: dict[str, LiveCriterion] = {}
    for c in framework.criteria:
        if c.binding is not None and c.id in proposals:
            criteria[c.id] = LiveCriterion(c.id, proposals[c.id].result, RECORDS, proposal=proposals[c.id],
                                           shortfalls=(shortfalls or {}).get(c.id, ()))
        elif c.id in carried:
            criteria[c.id] = LiveCriterion(c.id, carried[c.id].result, INSPECTION, carried=carried[c.id])
        else:
            criteria[c.id] = LiveCriterion(c.id, Result.NOT_EVIDENCED, NONE)
    decision = grading.grade(framework, {cid: lc.result for cid, lc in criteria.items()}, beacon=beacon,
                             innovation_evaluated=innovation_evaluated, thresholds=thresholds)
    return LiveFramework(framework.id, month_of(month), start, end, decision, criteria)


@dataclass(frozen=True)
class Moved:
    """What changed a live grade from one month to the next."""
    criterion_id: str
    before: Result
    after: Result
    source: str


def moved(before: Mapping[str, Result], after: Mapping[str, LiveCriterion]) -> list[Moved]:
    return [Moved(cid, before.get(cid, Result.NOT_EVIDENCED), lc.result, lc.source)
            for cid, lc in after.items() if before.get(cid, Result.NOT_EVIDENCED) is not lc.result]


def fell(history: Sequence[Grade | None]) -> bool:
    """A fall in the latest month (to Not evidenced too): the signal the risk-based monitoring will read."""
    return len(history) >= 2 and grade_rank(history[-1]) < grade_rank(history[-2])
