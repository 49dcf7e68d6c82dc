"""Domestic abuse rules as pure functions over plain values.

Rules cited (see :mod:`beacon.rules`): ``da.professional_judgement``,
``da.marac_visible_high_risk``, ``da.marac_escalation`` (threshold in the force setting
``da.marac_escalation_callouts``, default 3), ``da.marac_repeat`` and ``da.marac_benchmark``.

Conventions:

* Levels are ``"standard"``, ``"medium"`` and ``"high"``, lowest to highest.
* Datetimes must be timezone-aware. "Within 12 months" is judged on calendar dates in England
  and Wales (Europe/London): a later event is within 12 months of an earlier one if its local
  date is on or before the earlier local date plus 12 calendar months (see
  :func:`within_months`). So a referral on 10 May 2010 covers incidents up to and including 10
  May 2011, and one on 29 February 2008 covers incidents up to 28 February 2009.
* The MARAC rules are applied whatever the date: MARACs (South Wales, 2003) predate the DASH
  start date the catalogue gives these rules, and the 2007 Gwent data needs them.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from beacon.cases.domestic_abuse.instrument import LEVELS, RiskLevel
from beacon.rules.clocks import LONDON, add_months

__all__ = [
    "CRITERIA",
    "MARAC_BENCHMARK_PER_10K",
    "REPEAT_MONTHS",
    "BenchmarkGap",
    "benchmark_gap",
    "callouts_in_window",
    "final_level",
    "marac_criteria",
    "marac_rate_per_10k",
    "within_months",
]

REPEAT_MONTHS = 12              # da.marac_repeat (value in months); also the call-out window
MARAC_BENCHMARK_PER_10K = 40    # da.marac_benchmark


@dataclass(frozen=True)
class MaracCriterion:
    """One MARAC referral criterion: its id, what a page calls it, and the cited rule."""
    id: str
    label: str
    rule_id: str


MARAC_CRITERIA = (   # one row per criterion, in the order a referral lists them
    MaracCriterion("visible_high_risk", "Visible high risk", "da.marac_visible_high_risk"),
    MaracCriterion("professional_judgement", "Professional judgement", "da.professional_judgement"),
    MaracCriterion("potential_escalation", "Potential escalation", "da.marac_escalation"),
    MaracCriterion("repeat", "Repeat referral", "da.marac_repeat"),
)
CRITERIA = tuple(c.id for c in MARAC_CRITERIA)
CRITERION_LABELS = {c.id: c.label for c in MARAC_CRITERIA}


def _rank(value: object, name: str) -> int:
    if value not in LEVELS:
        raise ValueError(f"{name} must be one of {', '.join(LEVELS)}, got {value!r}")
    return LEVELS.index(value)  # type: ignore[arg-type]


def _aware(value: object, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive datetime {value.isoformat()}")
    return value


def _local_date(value: datetime) -> date:
    return value.astimezone(LONDON).date()


def final_level(computed: RiskLevel, judged: RiskLevel | None, reason: str | None = None) -> RiskLevel:
    """The risk level after the specialist's professional judgement (``da.professional_judgement``).

    Judgement may raise the level above ``computed`` (the level the instrument's score gives)
    but never lower it. ``judged`` of ``None``, or equal to ``computed``, leaves the level as
    computed and needs no reason. A raise needs a reason that is not blank, else ``ValueError``
    naming ``reason``; a ``judged`` level below ``computed`` raises ``ValueError`` naming
    ``judged``.
    """
    computed_rank = _rank(computed, "computed")
    if judged is None:
        return computed
    judged_rank = _rank(judged, "judged")
    if judged_rank < computed_rank:
        raise ValueError(
            f"judged level {judged!r} is below the computed level {computed!r}: professional judgement "
            "may raise the level, never lower it (da.professional_judgement)"
        )
    if judged_rank > computed_rank and not (reason or "").strip():
        raise ValueError(f"reason is required to raise the level from {computed!r} to {judged!r}")
    return judged


def within_months(earlier: datetime, later: datetime, months: int = REPEAT_MONTHS) -> bool:
    """True if ``later`` is no earlier than ``earlier`` and within ``months`` calendar months of it.

    Compared on Europe/London dates: ``later``'s date must be on or before ``earlier``'s date
    plus ``months`` (month ends clamp: 31 August + 6 months is 28 or 29 February). The time of
    day does not matter at the far end, so "12 months to the day" is inside and the day after
    is outside.
    """
    _aware(earlier, "earlier")
    _aware(later, "later")
    if later < earlier:
        return False
    return _local_date(later) <= add_months(_local_date(earlier), months)


def callout_times(form_id: int, form_incident_id: int | None, victim_incidents: Iterable[tuple[int, datetime]],
                  victim_forms: Iterable[tuple[int, int | None, datetime]]) -> list[datetime]:
    """The victim's police call-outs other than the form's own incident (for ``da.marac_escalation``).

    ``victim_incidents`` are (incident id, received at) for every incident naming the person as
    the victim; ``victim_forms`` are (form id, incident id, completed at) for their risk forms.
    Each incident is a call-out, and so is each other risk form not linked to one of those
    incidents (a form records a call-out even when its log did not name the victim).
    """
    incidents = list(victim_incidents)
    known = {i for i, _ in incidents}
    times = [t for i, t in incidents if i != form_incident_id]
    for other_id, other_incident, completed_at in victim_forms:
        if other_id == form_id or (other_incident is not None and (other_incident in known
                                                                     or other_incident == form_incident_id)):
            continue
        times.append(completed_at)
    return times


def callouts_in_window(incident_times: Iterable[datetime], at: datetime) -> int:
    """Police call-outs in the 12 months before ``at`` (for ``da.marac_escalation``).

    Counts each time strictly before ``at`` that ``at`` falls within 12 calendar months of
    (:func:`within_months`): a call-out exactly 12 months to the day before counts, one a day
    earlier does not. The incident at ``at`` itself is not counted, so pass the history with
    or without it. Times after ``at`` are ignored.
    """
    _aware(at, "at")
    count = 0
    for i, t in enumerate(incident_times):
        _aware(t, f"incident_times[{i}]")
        if t < at and within_months(t, at, REPEAT_MONTHS):
            count += 1
    return count


def marac_criteria(
    *,
    level: RiskLevel,
    judged_raised: bool,
    callouts_12m: int,
    escalation_threshold: int,
    last_referral_at: datetime | None,
    incident_at: datetime,
) -> list[str]:
    """The MARAC referral criteria a case meets, in the order of :data:`CRITERIA`.

    Arguments: ``level`` is the final level (after :func:`final_level`); ``judged_raised`` is
    true when professional judgement raised it above the level the score gave; ``callouts_12m``
    is the number of police call-outs to the victim in the 12 months before the incident
    (:func:`callouts_in_window`); ``escalation_threshold`` is the force setting
    ``da.marac_escalation_callouts``; ``last_referral_at`` is the last MARAC referral for the
    same victim and perpetrator (``None`` if there has been none); the caller matches the pair.

    * ``visible_high_risk`` (``da.marac_visible_high_risk``): the score itself gives high (14 or
      more "yes" on DASH), i.e. ``level == "high"`` and not raised by judgement.
    * ``professional_judgement`` (``da.professional_judgement``): judgement raised the level to
      high. A raise to medium is not a MARAC criterion.
    * ``potential_escalation`` (``da.marac_escalation``): ``callouts_12m >= escalation_threshold``.
    * ``repeat`` (``da.marac_repeat``): the incident is after the last referral and within 12
      calendar months of it (:func:`within_months`; 12 months to the day is inside).
    """
    rank = _rank(level, "level")
    if not isinstance(judged_raised, bool):
        raise TypeError(f"judged_raised must be a bool, got {judged_raised!r}")
    if judged_raised and rank == 0:
        raise ValueError("judged_raised is true but level is 'standard', the lowest level")
    for name, value, least in (("callouts_12m", callouts_12m, 0), ("escalation_threshold", escalation_threshold, 1)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, got {value!r}")
        if value < least:
            raise ValueError(f"{name} must be at least {least}, got {value}")
    _aware(incident_at, "incident_at")
    met: list[str] = []
    if level == "high":
        met.append("professional_judgement" if judged_raised else "visible_high_risk")
    if callouts_12m >= escalation_threshold:
        met.append("potential_escalation")
    if last_referral_at is not None:
        _aware(last_referral_at, "last_referral_at")
        if incident_at > last_referral_at and within_months(last_referral_at, incident_at, REPEAT_MONTHS):
            met.append("repeat")
    return sorted(met, key=CRITERIA.index)


def _counts(referrals: object, adult_women: object) -> tuple[int, int]:
    for name, value in (("referrals", referrals), ("adult_women", adult_women)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, got {value!r}")
    if referrals < 0:  # type: ignore[operator]
        raise ValueError(f"referrals must not be negative, got {referrals}")
    if adult_women <= 0:  # type: ignore[operator]
        raise ValueError(f"adult_women must be greater than zero, got {adult_women}")
    return referrals, adult_women  # type: ignore[return-value]


def marac_rate_per_10k(referrals: int, adult_women: int) -> float:
    """MARAC cases per 10,000 adult women (``da.marac_benchmark``).

    ``referrals`` should cover one year, to compare with the yearly benchmark.
    """
    referrals, adult_women = _counts(referrals, adult_women)
    return referrals * 10_000 / adult_women


@dataclass(frozen=True)
class BenchmarkGap:
    """How an area's yearly MARAC volume compares with the benchmark.

    ``difference_per_10k`` is rate minus benchmark; ``expected`` is the number of cases the
    benchmark implies for the population; ``shortfall`` is ``expected - referrals`` (negative
    when the area refers more than the benchmark).
    """

    rate_per_10k: float
    benchmark_per_10k: float
    difference_per_10k: float
    expected: float
    shortfall: float

    @property
    def below_benchmark(self) -> bool:
        return self.shortfall > 0


def benchmark_gap(referrals: int, adult_women: int, benchmark: float = MARAC_BENCHMARK_PER_10K) -> BenchmarkGap:
    """Compare one year's MARAC cases with the SafeLives benchmark (``da.marac_benchmark``:
    about 40 a year per 10,000 adult women)."""
    referrals, adult_women = _counts(referrals, adult_women)
    if isinstance(benchmark, bool) or not isinstance(benchmark, (int, float)) or benchmark <= 0:
        raise ValueError(f"benchmark must be a number greater than zero, got {benchmark!r}")
    rate = marac_rate_per_10k(referrals, adult_women)
    expected = benchmark * adult_women / 10_000
    return BenchmarkGap(rate, float(benchmark), rate - benchmark, expected, expected - referrals)
