"""Compliance rates and reproducible file samples: pure functions over rule checks."""
from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from beacon.assurance.results import Brief, RuleRate, Spread
from beacon.rules.check import Check


@dataclass
class Rate:
    rule_id: str
    title: str
    applicable: int = 0
    met: int = 0
    failing: list[int] = field(default_factory=list)   # record ids, for the drill-down

    @property
    def rate(self) -> float | None:
        return self.met / self.applicable if self.applicable else None

    def frozen(self) -> RuleRate:
        return RuleRate(self.rule_id, self.title, self.applicable, self.met, tuple(self.failing))


def frozen(found: Mapping[str, Rate]) -> dict[str, RuleRate]:
    return {k: v.frozen() for k, v in found.items()}


def rates(checks_by_record: Mapping[int, Sequence[Check]]) -> dict[str, Rate]:
    """For each rule, how many records it applied to, how many met it, and which did not."""
    out: dict[str, Rate] = {}
    for record_id in sorted(checks_by_record):
        for check in checks_by_record[record_id]:
            rate = out.setdefault(check.rule_id, Rate(check.rule_id, check.title))
            if check.applies:
                rate.applicable += 1
                if check.met:
                    rate.met += 1
                else:
                    rate.failing.append(record_id)
    return out


def draw_sample(record_ids: Sequence[int], n: int, seed: int) -> list[int]:
    """``n`` record ids drawn without replacement with ``random.Random(seed)`` from the ids in
    ascending order, returned in ascending order: the same ids, seed and n give the same sample
    on any machine and database."""
    population = sorted(set(record_ids))
    return sorted(random.Random(seed).sample(population, min(n, len(population))))


def by_division(checks: Mapping[int, Sequence[Check]],
                division_of: Mapping[int, int | None]) -> dict[str, dict[str, Brief]]:
    """Per division (keyed by the division id as text, records without a division left out):
    each rule's applicable, met and rate."""
    grouped: dict[int, dict[int, Sequence[Check]]] = {}
    for record_id, record_checks in checks.items():
        division = division_of.get(record_id)
        if division is not None:
            grouped.setdefault(division, {})[record_id] = record_checks
    return {str(d): {k: brief(v) for k, v in rates(c).items()} for d, c in sorted(grouped.items())}


def brief(rate: Rate) -> Brief:
    return Brief(rate.applicable, rate.met)


def spread(divisions: Mapping[str, Mapping[str, Brief]]) -> dict[str, Spread]:
    """For each rule, how far the divisions' rates differ: the highest and lowest rate (and which
    division), and the spread between them, over divisions where the rule applied at least once.
    ``None`` rates (nothing applicable) are left out; a rule with no division is left out."""
    out: dict[str, Spread] = {}
    rule_ids = sorted({rule for rules in divisions.values() for rule in rules})
    for rule_id in rule_ids:
        found = [(r[rule_id].rate, d) for d, r in divisions.items() if rule_id in r and r[rule_id].rate is not None]
        if not found:
            continue
        high = max(found, key=lambda x: (x[0], x[1]))
        low = min(found, key=lambda x: (x[0], x[1]))
        out[rule_id] = Spread(high[0], high[1], low[0], low[1], high[0] - low[0], len(found))
    return out
