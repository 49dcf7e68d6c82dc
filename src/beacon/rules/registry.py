"""A registry of cited, dated rules.

Each rule records where it comes from (``source`` and ``section``) and when it applies
(``effective_from`` to ``effective_to``, both inclusive; ``effective_to=None`` means still in
force). A rule may have several versions over time under one ``id``; versions of one id may
not overlap, so :func:`get` finds at most one version for a given date.

A force may change some thresholds: ``setting`` then names the force setting (declared in
``beacon.config.SETTINGS``) that holds the value; ``value`` is the published default. A name
ending in ``.*`` stands for a family of settings (for example ``mp.review_interval_hours.*``
for ``mp.review_interval_hours.high``, ``.medium`` and so on).

The module-level functions act on one default :class:`Registry`, filled by
``beacon.rules.catalogue`` when ``beacon.rules`` is imported. Tests that need an empty
registry make their own ``Registry()``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

__all__ = [
    "Rule",
    "Registry",
    "RuleConflict",
    "RuleNotInForce",
    "UnknownRule",
    "register",
    "get",
    "versions",
    "all_rules",
    "in_force",
    "markdown_table",
]


@dataclass(frozen=True)
class Rule:
    id: str              # e.g. "mp.pnc_circulation"
    title: str
    summary: str         # the rule in one or two sentences
    source: str          # the document the rule comes from
    section: str         # section/paragraph/statute reference, "" if none
    effective_from: date
    effective_to: date | None = None   # None = still in force; otherwise inclusive end date
    setting: str | None = None         # force setting holding the threshold, if a force may change it
    value: object = None               # the published default value, if any

    def __post_init__(self) -> None:
        if not self.id or self.id != self.id.strip():
            raise ValueError(f"rule id must be a non-empty string without spaces at the ends: {self.id!r}")
        for name in ("effective_from", "effective_to"):
            d = getattr(self, name)
            if d is None and name == "effective_to":
                continue
            if isinstance(d, datetime) or not isinstance(d, date):
                raise TypeError(f"{self.id}: {name} must be a date (not a datetime), got {d!r}")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(
                f"{self.id}: effective_to {self.effective_to} is before effective_from {self.effective_from}"
            )

    def applies_on(self, on: date) -> bool:
        """True if this version is in force on ``on`` (both ends inclusive)."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    @property
    def period(self) -> str:
        """The effective dates as text, e.g. ``2006-04-01 to 2010-02-28`` or ``2013-04-15 onwards``."""
        if self.effective_to is None:
            return f"{self.effective_from.isoformat()} onwards"
        return f"{self.effective_from.isoformat()} to {self.effective_to.isoformat()}"


class RuleConflict(ValueError):
    """A rule clashes with a registered version of the same id (same start date, or overlapping dates)."""


class RuleNotInForce(LookupError):
    """The rule id is known, but no version of it is in force on the date asked about."""


class UnknownRule(KeyError):
    """No rule with this id is registered."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else "unknown rule"


def _check_date(on: object) -> date:
    if isinstance(on, datetime) or not isinstance(on, date):
        raise TypeError(
            f"rules are looked up by date, not {type(on).__name__}: pass the local date "
            f"(e.g. dt.astimezone(ZoneInfo('Europe/London')).date())"
        )
    return on


class Registry:
    """Rules by id, each id holding its versions sorted by ``effective_from``."""

    def __init__(self) -> None:
        self._rules: dict[str, list[Rule]] = {}

    def register(self, rule: Rule) -> Rule:
        """Add ``rule``; return it.

        Registering a rule equal to one already registered does nothing (so registration is
        idempotent). Raises :class:`RuleConflict` if another version of the id has the same
        ``effective_from`` or dates that overlap this one's.
        """
        if not isinstance(rule, Rule):
            raise TypeError(f"expected a Rule, got {type(rule).__name__}")
        existing = self._rules.setdefault(rule.id, [])
        for other in existing:
            if other == rule:
                return other
            if other.effective_from == rule.effective_from:
                raise RuleConflict(
                    f"{rule.id}: a different version already starts on {rule.effective_from}"
                )
            if _overlap(other, rule):
                raise RuleConflict(
                    f"{rule.id}: version {rule.period} overlaps registered version {other.period}"
                )
        existing.append(rule)
        existing.sort(key=lambda r: r.effective_from)
        return rule

    def versions(self, rule_id: str) -> list[Rule]:
        """Every version of ``rule_id``, oldest first. Raises :class:`UnknownRule`."""
        try:
            return list(self._rules[rule_id])
        except KeyError:
            raise UnknownRule(f"no rule with id {rule_id!r} is registered") from None

    def get(self, rule_id: str, on: date) -> Rule:
        """The version of ``rule_id`` in force on ``on``.

        Raises :class:`UnknownRule` for an unknown id and :class:`RuleNotInForce` when no
        version covers the date. ``on`` must be a ``date``; a ``datetime`` is refused because
        its date depends on the time zone.
        """
        _check_date(on)
        found = self.versions(rule_id)
        for rule in found:
            if rule.applies_on(on):
                return rule
        periods = "; ".join(r.period for r in found)
        raise RuleNotInForce(f"rule {rule_id!r} is not in force on {on.isoformat()} (versions: {periods})")

    def all_rules(self) -> list[Rule]:
        """Every version of every rule, sorted by id then ``effective_from``."""
        return [rule for rule_id in sorted(self._rules) for rule in self._rules[rule_id]]

    def in_force(self, on: date) -> list[Rule]:
        """The version of each rule in force on ``on``, sorted by id."""
        _check_date(on)
        return [rule for rule in self.all_rules() if rule.applies_on(on)]

    def markdown_table(self) -> str:
        """A Markdown document listing every version of every rule (the text of docs/rules.md)."""
        lines = [
            "# Published rules",
            "",
            "Generated from `beacon.rules` by `python -m beacon.rules > docs/rules.md`; do not edit by hand.",
            "Dates are inclusive. *Setting* names the force setting that may change the rule's threshold",
            "(`.*` marks a family of settings); *Value* is the published default.",
            "",
            "| id | title | source | section | effective | setting | value |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in self.all_rules():
            cells = [
                f"`{r.id}`",
                r.title,
                r.source,
                r.section,
                r.period,
                f"`{r.setting}`" if r.setting else "",
                "" if r.value is None else repr(r.value),
            ]
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        lines += ["", "## Summaries", ""]
        for r in self.all_rules():
            lines.append(f"- **`{r.id}`** ({r.period}): {_cell(r.summary)}")
        return "\n".join(lines) + "\n"


def _overlap(a: Rule, b: Rule) -> bool:
    a_end = a.effective_to or date.max
    b_end = b.effective_to or date.max
    return a.effective_from <= b_end and b.effective_from <= a_end


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


_default = Registry()


def register(rule: Rule) -> Rule:
    """Register ``rule`` in the default registry (see :meth:`Registry.register`)."""
    return _default.register(rule)


def get(rule_id: str, on: date) -> Rule:
    """The version of ``rule_id`` in force on ``on`` (see :meth:`Registry.get`)."""
    return _default.get(rule_id, on)


def versions(rule_id: str) -> list[Rule]:
    """Every version of ``rule_id``, oldest first."""
    return _default.versions(rule_id)


def all_rules() -> list[Rule]:
    """Every registered rule version, sorted by id then date."""
    return _default.all_rules()


def in_force(on: date) -> list[Rule]:
    """The rules in force on ``on``, one version per id."""
    return _default.in_force(on)


def markdown_table() -> str:
    """The reference document for every registered rule (docs/rules.md)."""
    return _default.markdown_table()
