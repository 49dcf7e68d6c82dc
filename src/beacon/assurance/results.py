"""What an audit hands on: typed results with one way to and from JSON.

An audit's result is stored as computed evidence (JSON in ``evidence.computed_result``) and read
again by the inspection's summaries, the report, the evidence page, the CLI and the grading of
bound criteria. Each reader used to learn the dict's shape by string keys; now the producer
returns an ``AuditResult`` or a ``FileSample``, stores ``to_json()``, and every reader goes
through ``from_json()`` to attributes. The JSON is the shape the API has always returned.

``AuditRule`` rows (one table per area, in each audit module) say which record kind a rule
counts and which page shows one, so a new rule is one row plus its catalogue entry: its title
comes from the cited rule registry.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from beacon.rules import registry

Json = dict[str, Any]


@dataclass(frozen=True)
class AuditRule:
    """One audit rule of an area: its id in the registry, the record kind it counts (as the
    evidence page names a failing record) and the page that shows one (``{}`` the id; "" none)."""
    id: str
    record_noun: str
    record_page: str

    @property
    def title(self) -> str:
        return registry.versions(self.id)[-1].title


def titles(rules: tuple[AuditRule, ...]) -> dict[str, str]:
    return {r.id: r.title for r in rules}


@dataclass(frozen=True)
class RuleRate:
    """How many records a rule applied to, how many met it, and the ids of those that did not."""
    rule_id: str
    title: str
    applicable: int = 0
    met: int = 0
    failing: tuple[int, ...] = ()

    @property
    def rate(self) -> float | None:
        return self.met / self.applicable if self.applicable else None

    def to_json(self) -> Json:
        return {"rule_id": self.rule_id, "title": self.title, "applicable": self.applicable, "met": self.met,
                "rate": self.rate, "failing": list(self.failing)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RuleRate:
        return cls(data["rule_id"], data["title"], int(data.get("applicable", 0)), int(data.get("met", 0)),
                   tuple(data.get("failing", ())))


@dataclass(frozen=True)
class Brief:
    """A rule's count in one division."""
    applicable: int = 0
    met: int = 0

    @property
    def rate(self) -> float | None:
        return self.met / self.applicable if self.applicable else None

    def to_json(self) -> Json:
        return {"applicable": self.applicable, "met": self.met, "rate": self.rate}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Brief:
        return cls(int(data.get("applicable", 0)), int(data.get("met", 0)))


@dataclass(frozen=True)
class Spread:
    """How far the divisions' rates for one rule differ."""
    highest: float
    highest_division: str
    lowest: float
    lowest_division: str
    spread: float
    divisions: int

    def to_json(self) -> Json:
        return {"highest": self.highest, "highest_division": self.highest_division, "lowest": self.lowest,
                "lowest_division": self.lowest_division, "spread": self.spread, "divisions": self.divisions}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Spread:
        return cls(data["highest"], str(data["highest_division"]), data["lowest"], str(data["lowest_division"]),
                   data["spread"], int(data["divisions"]))


@dataclass(frozen=True)
class Listed:
    """Records found in a state (never acknowledged, never sent): how many, which, and per division."""
    total: int
    ids: tuple[int, ...]
    by_division: dict[str, int]

    def to_json(self) -> Json:
        return {"total": self.total, "ids": list(self.ids), "by_division": dict(self.by_division)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Listed:
        return cls(int(data["total"]), tuple(data.get("ids", ())), {str(k): int(v) for k, v in
                                                                    data.get("by_division", {}).items()})


@dataclass(frozen=True)
class BacklogRow:
    unreviewed: int = 0
    oldest_completed_at: str | None = None     # ISO time
    ids: tuple[int, ...] = ()

    def to_json(self) -> Json:
        return {"unreviewed": self.unreviewed, "oldest_completed_at": self.oldest_completed_at, "ids": list(self.ids)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BacklogRow:
        return cls(int(data.get("unreviewed", 0)), data.get("oldest_completed_at"), tuple(data.get("ids", ())))


@dataclass(frozen=True)
class Backlog:
    """Risk forms awaiting the DVO's review as at a moment, per division (every division listed)."""
    rule_id: str
    as_of: str                                  # ISO time
    total: int
    by_division: dict[str, BacklogRow]

    def to_json(self) -> Json:
        return {"rule_id": self.rule_id, "as_of": self.as_of, "total": self.total,
                "by_division": {d: row.to_json() for d, row in self.by_division.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Backlog:
        return cls(data["rule_id"], data["as_of"], int(data["total"]),
                   {str(d): BacklogRow.from_json(r) for d, r in data.get("by_division", {}).items()})


@dataclass(frozen=True)
class ReferralsMade:
    """Referrals to children's social care made from an area's records, and those never answered."""
    made: int
    never_acknowledged: int
    ids: tuple[int, ...]

    def to_json(self) -> Json:
        return {"made": self.made, "never_acknowledged": self.never_acknowledged, "ids": list(self.ids)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReferralsMade:
        return cls(int(data["made"]), int(data["never_acknowledged"]), tuple(data.get("ids", ())))


_PARTS = {"backlog": Backlog, "child_referrals": ReferralsMade, "never_acknowledged": Listed, "never_sent": Listed}


@dataclass(frozen=True)
class AuditResult:
    """An area's compliance for a period: each rule's rate force-wide and by division, the spread
    between divisions, the area's counts (``facts``: reports, forms, logs examined, the working
    days allowed...), and the parts only some areas have."""
    rates: dict[str, RuleRate]
    by_division: dict[str, dict[str, Brief]] = field(default_factory=dict)
    spread: dict[str, Spread] | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    backlog: Backlog | None = None
    child_referrals: ReferralsMade | None = None
    never_acknowledged: Listed | None = None
    never_sent: Listed | None = None
    marac_divisions: dict[str, bool] | None = None

    def rate(self, rule_id: str) -> RuleRate | None:
        return self.rates.get(rule_id)

    def division_rate(self, division: str, rule_id: str) -> Brief:
        return self.by_division.get(division, {}).get(rule_id, Brief())

    @property
    def record_ids(self) -> set[int]:
        """Every record behind a figure (the failing ones of each rule)."""
        return {i for r in self.rates.values() for i in r.failing}

    def to_json(self) -> Json:
        out: Json = {**self.facts, "rates": {k: v.to_json() for k, v in self.rates.items()},
                     "by_division": {d: {k: b.to_json() for k, b in rs.items()} for d, rs in self.by_division.items()}}
        if self.spread is not None:
            out["spread"] = {k: s.to_json() for k, s in self.spread.items()}
        for name in _PARTS:
            part = getattr(self, name)
            if part is not None:
                out[name] = part.to_json()
        if self.marac_divisions is not None:
            out["marac_divisions"] = dict(self.marac_divisions)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AuditResult:
        known = {"rates", "by_division", "spread", "marac_divisions", *_PARTS}
        return cls(
            rates={k: RuleRate.from_json(v) for k, v in data.get("rates", {}).items()},
            by_division={str(d): {k: Brief.from_json(b) for k, b in rs.items()}
                         for d, rs in data.get("by_division", {}).items()},
            spread=({k: Spread.from_json(s) for k, s in data["spread"].items()} if "spread" in data else None),
            facts={k: v for k, v in data.items() if k not in known},
            marac_divisions=({str(k): bool(v) for k, v in data["marac_divisions"].items()}
                             if "marac_divisions" in data else None),
            **{name: part.from_json(data[name]) for name, part in _PARTS.items() if name in data})

    def summary(self, division_codes: Mapping[str, str]) -> str:
        """The evidence item's one-line summary: each rule's figure, then the area's own findings."""
        text = "; ".join(f"{r.title}: {r.met} of {r.applicable}" for r in self.rates.values())
        if self.backlog is not None:
            from datetime import datetime

            from beacon.rules.clocks import LONDON
            per = ", ".join(f"{division_codes.get(d, d)} {row.unreviewed}" for d, row in self.backlog.by_division.items())
            as_of = datetime.fromisoformat(self.backlog.as_of).astimezone(LONDON)
            text += (f"; risk forms awaiting DVO review as at {as_of:%d %B %Y}: {self.backlog.total}"
                     + (f" ({per})" if per else ""))
        if self.never_acknowledged is not None and self.never_sent is not None:
            joint = (self.spread or {}).get("cp.audit.joint_decisions_consistent")
            if joint:
                text += (f"; joint decisions consistent ranged from {joint.lowest:.0%} "
                         f"({division_codes.get(joint.lowest_division, '')}) to {joint.highest:.0%} "
                         f"({division_codes.get(joint.highest_division, '')})")
            text += (f"; referrals never acknowledged: {self.never_acknowledged.total}; never sent: "
                     f"{self.never_sent.total}")
        return text


@dataclass(frozen=True)
class SampleCase:
    """One sampled record: its reference, division, and each rule's verdict (None: not applicable)."""
    record_id: int
    reference: str
    division_id: int | None
    checks: dict[str, bool | None]
    details: dict[str, str] | None = None

    def to_json(self) -> Json:
        out = {"record_id": self.record_id, "reference": self.reference, "division_id": self.division_id,
               "checks": dict(self.checks)}
        if self.details is not None:
            out["details"] = dict(self.details)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SampleCase:
        return cls(int(data["record_id"]), str(data.get("reference", "")), data.get("division_id"),
                   dict(data.get("checks", {})), dict(data["details"]) if "details" in data else None)


@dataclass(frozen=True)
class FileSample:
    """A reproducible case-file sample: ``n`` records drawn with ``seed`` from ``population``, each
    checked, and the rules' rates over the sample."""
    population: int
    n: int
    seed: int
    cases: tuple[SampleCase, ...]
    rates: dict[str, RuleRate]
    facts: dict[str, Any] = field(default_factory=dict)    # the agreement a CP sample used

    @property
    def record_ids(self) -> set[int]:
        return {c.record_id for c in self.cases} | {i for r in self.rates.values() for i in r.failing}

    def to_json(self) -> Json:
        return {"population": self.population, "n": self.n, "seed": self.seed, **self.facts,
                "cases": [c.to_json() for c in self.cases], "rates": {k: v.to_json() for k, v in self.rates.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FileSample:
        known = {"population", "n", "seed", "cases", "rates"}
        return cls(int(data["population"]), int(data["n"]), int(data["seed"]),
                   tuple(SampleCase.from_json(c) for c in data.get("cases", ())),
                   {k: RuleRate.from_json(v) for k, v in data.get("rates", {}).items()},
                   {k: v for k, v in data.items() if k not in known})

    def summary(self, division_codes: Mapping[str, str] | None = None) -> str:
        return "; ".join(f"{r.title}: {r.met} of {r.applicable}" for r in self.rates.values())


def result_from_json(data: Mapping[str, Any]) -> AuditResult | FileSample:
    """A stored result, as the type that made it (a file sample has its seed)."""
    return FileSample.from_json(data) if "seed" in data and isinstance(data.get("cases"), list) else \
        AuditResult.from_json(data)
