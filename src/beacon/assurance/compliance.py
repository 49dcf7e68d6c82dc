"""Compliance rates and reproducible file samples: pure functions over rule checks."""
from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from beacon.cases.missing_persons.rules import Check


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

    def as_dict(self) -> dict:
        return {"rule_id": self.rule_id, "title": self.title, "applicable": self.applicable, "met": self.met,
                "rate": self.rate, "failing": self.failing}


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
