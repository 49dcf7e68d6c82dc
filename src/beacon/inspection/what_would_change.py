"""What would change a framework's grade: the nearest criteria whose result would move it up or
down, and for a bound criterion how many records would have to meet (or stop meeting) its rule.

For each direction the answer is the smallest set of criterion changes found that moves the grade
one step: first every single change is tried against the grading engine itself (so the answer is
exact, never a reading of the rules' words); when no single change moves it, criteria are added
nearest first (a bound criterion by the fewest records needed, then significant Fair, Fair, Good,
Excellent) until the grade moves. Every route is checked by applying it, so what is printed is what
the engine would do. Pure functions; no database.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from beacon.assurance.results import AuditResult
from beacon.inspection import grading
from beacon.inspection.binding import LOWEST_DIVISION, Binding, BoundThresholds, more_to_meet
from beacon.inspection.types import Criterion, Framework, Grade, Level, Result, grade_label, grade_rank, grade_value

UP, DOWN = "up", "down"




@dataclass(frozen=True)
class Shortfall:
    """For one measure of a bound criterion: in one division (None: force-wide), how many more
    records meeting the rule would reach Met (``more``), or how many fewer would lose it (``fewer``)."""
    rule_id: str
    division: str | None
    met: int
    applicable: int
    more: int
    fewer: int

    def to_json(self) -> dict:
        return {"rule_id": self.rule_id, "division": self.division, "met": self.met, "applicable": self.applicable,
                "more": self.more, "fewer": self.fewer}

    @classmethod
    def from_json(cls, data: Mapping) -> Shortfall:
        return cls(data["rule_id"], data.get("division"), int(data["met"]), int(data["applicable"]),
                   int(data["more"]), int(data["fewer"]))


@dataclass(frozen=True)
class Change:
    criterion_id: str
    before: Result
    after: Result
    records: tuple[Shortfall, ...] = ()     # bound criteria: what the records would have to do

    @property
    def records_needed(self) -> int:
        return sum(s.more if self.after is Result.MET else s.fewer for s in self.records)

    def to_json(self) -> dict:
        return {"criterion_id": self.criterion_id, "before": self.before.value, "after": self.after.value,
                "records": [s.to_json() for s in self.records], "records_needed": self.records_needed}


@dataclass(frozen=True)
class Route:
    direction: str
    grade_before: Grade | None
    grade_after: Grade | None
    changes: tuple[Change, ...]
    alternatives: tuple[str, ...] = ()      # other criteria that alone would move it as far

    def to_json(self) -> dict:
        return {"direction": self.direction,
                "grade_before": grade_value(self.grade_before),
                "grade_after": grade_value(self.grade_after), "changes": [c.to_json() for c in self.changes],
                "alternatives": list(self.alternatives)}

    def sentence(self, division_names: Mapping[str, str] | None = None) -> str:
        names = division_names or {}
        parts = []
        for c in self.changes:
            if c.records:
                verb = "more" if c.after is Result.MET else "fewer"
                counts = [(s.more if c.after is Result.MET else s.fewer, s) for s in c.records]
                where = ", ".join(f"{n:,} {verb} meeting {s.rule_id}"
                                  + (f" in {names.get(s.division, s.division)}" if s.division else "")
                                  for n, s in counts if n)
                parts.append(f"{where} would make {c.criterion_id} {c.after.value.replace('_', ' ')}")
            else:
                parts.append(f"{c.criterion_id} {c.after.value.replace('_', ' ')} "
                             f"(now {c.before.value.replace('_', ' ')})")
        return f"{'; '.join(parts)}: the grade would be {grade_label(self.grade_after)}."


def shortfalls_of(framework: Framework, audits: Mapping[str, AuditResult],
                  defaults: BoundThresholds) -> dict[str, tuple[Shortfall, ...]]:
    return {c.id: shortfalls(c.binding, audits, defaults) for c in framework.criteria if c.binding is not None}


def shortfalls(binding: Binding, audits: Mapping[str, AuditResult], defaults: BoundThresholds) -> tuple[Shortfall, ...]:
    """Each measure's distance from Met: force-wide, or for the lowest-division statistic every
    division with enough records (each must reach Met for the criterion to be met)."""
    t = binding.thresholds(defaults)
    out = []
    for m in binding.measures:
        audit = audits.get(m.audit)
        if audit is None:
            continue
        places: list[tuple[str | None, object]] = (
            [(d, rules.get(m.rule_id)) for d, rules in sorted(audit.by_division.items())]
            if m.statistic == LOWEST_DIVISION else [(None, audit.rate(m.rule_id))])
        for division, brief in places:
            met, applicable = (getattr(brief, "met", 0), getattr(brief, "applicable", 0)) if brief else (0, 0)
            if applicable < t.minimum:
                continue
            fewer = max(0, met - (math.ceil(t.met_at * applicable - 1e-9) - 1))
            out.append(Shortfall(m.rule_id, division, met, applicable, more_to_meet(met, applicable, t.met_at), fewer))
    return tuple(out)


def _grade(framework: Framework, results: Mapping[str, Result], beacon: bool, innovation: bool,
           thresholds: grading.Thresholds) -> Grade | None:
    return grading.grade(framework, results, beacon=beacon, innovation_evaluated=innovation,
                         thresholds=thresholds).grade


def _needed(found: tuple[Shortfall, ...], direction: str) -> tuple[Shortfall, ...]:
    """Up, every place short of Met must reach it; down, the one nearest to falling is enough."""
    if direction == UP:
        return tuple(s for s in found if s.more)
    return (min(found, key=lambda s: (s.fewer, s.division or "")),) if found else ()


def _nearness(c: Criterion, records: tuple[Shortfall, ...], direction: str) -> tuple:
    level = (0 if c.significant else 1) if c.level is Level.FAIR else (2 if c.level is Level.GOOD else 3)
    needed = sum(s.more for s in _needed(records, direction)) if direction == UP else \
        sum(s.fewer for s in _needed(records, direction))
    return (needed if records else math.inf, level, c.id) if direction == UP else (level, needed if records else math.inf, c.id)


def routes(framework: Framework, results: Mapping[str, Result], *, beacon: bool, innovation_evaluated: bool,
           thresholds: grading.Thresholds = grading.Thresholds(),
           records: Mapping[str, tuple[Shortfall, ...]] | None = None) -> dict[str, Route | None]:
    """The nearest route up and down from the grade the results give (None: no route, e.g. already
    Excellent, or Excellent needs beacon and innovation evidence no criterion gives)."""
    records = records or {}
    current = {c.id: results.get(c.id, Result.NOT_EVIDENCED) for c in framework.criteria}
    now = _grade(framework, current, beacon, innovation_evaluated, thresholds)
    out: dict[str, Route | None] = {}
    for direction in (UP, DOWN):
        target_ok = ((lambda g: grade_rank(g) > grade_rank(now)) if direction == UP
                     else (lambda g: grade_rank(g) < grade_rank(now)))
        after = Result.MET if direction == UP else Result.NOT_MET
        movable = [c for c in framework.criteria
                   if current[c.id] is not Result.NOT_APPLICABLE
                   and (current[c.id] is not Result.MET if direction == UP else current[c.id] is Result.MET)]
        movable.sort(key=lambda c: _nearness(c, records.get(c.id, ()), direction))
        chosen: list[Criterion] = []
        found = None
        singles = [c for c in movable
                   if target_ok(_grade(framework, {**current, c.id: after}, beacon, innovation_evaluated, thresholds))]
        if singles:
            chosen = [singles[0]]
        else:
            trial = dict(current)
            for c in movable:
                trial[c.id] = after
                chosen.append(c)
                if target_ok(_grade(framework, trial, beacon, innovation_evaluated, thresholds)):
                    break
            else:
                chosen = []
        if chosen:
            applied = {**current, **{c.id: after for c in chosen}}
            grade_after = _grade(framework, applied, beacon, innovation_evaluated, thresholds)
            found = Route(direction, now, grade_after,
                          tuple(Change(c.id, current[c.id], after, _needed(records.get(c.id, ()), direction))
                                for c in chosen), tuple(c.id for c in singles[1:]))
        out[direction] = found
    return out
