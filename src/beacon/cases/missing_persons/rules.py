"""Missing-person rules as pure functions over plain values.

Sources (see ``beacon.rules`` for the cited entries): ACPO/NCPE Guidance on the Management,
Recording and Investigation of Missing Persons (2005) for risk grades and PNC circulation;
force policy for supervisory review intervals (settings ``mp.review_interval_hours.*``);
statutory guidance on children who run away or go missing for the 72-hour return interview.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from beacon.cases.missing_persons.models import RiskGrade
from beacon.rules.check import Check


def review_interval(grade: RiskGrade, settings: Mapping[str, object]) -> timedelta:
    return timedelta(hours=int(settings[f"mp.review_interval_hours.{grade.value}"]))


def next_review_due(reported_at: datetime, last_reviewed_at: datetime | None, grade: RiskGrade,
                    settings: Mapping[str, object]) -> datetime:
    """The next supervisory review is due one interval (for the current grade) after the last
    review, or after the report if there has been none. Re-grading restarts from the last review,
    so raising a grade can make a review due at once."""
    return (last_reviewed_at or reported_at) + review_interval(grade, settings)


def pnc_due(reported_at: datetime, settings: Mapping[str, object]) -> datetime:
    return reported_at + timedelta(hours=int(settings["mp.pnc_circulation_hours"]))


def return_interview_due(returned_at: datetime, settings: Mapping[str, object]) -> datetime:
    return returned_at + timedelta(hours=int(settings["mp.return_interview_hours"]))


@dataclass(frozen=True)
class GradeChange:
    at: datetime
    grade: RiskGrade
    rationale: str


def review_gaps(reported_at: datetime, end: datetime, grades: Sequence[GradeChange],
                reviews: Sequence[datetime], settings: Mapping[str, object]) -> list[tuple[datetime, datetime]]:
    """Each stretch from ``reported_at`` to ``end`` (closure, or now) in which no review came in
    time. The interval is the one for the grade in force at the start of the stretch."""
    late = []
    marks = sorted(r for r in reviews if reported_at <= r <= end)
    start = reported_at
    for mark in [*marks, end]:
        grade = _grade_at(grades, start)
        due = start + review_interval(grade, settings)
        if mark > due:
            late.append((due, mark))
        start = mark
    return late


def _grade_at(grades: Sequence[GradeChange], when: datetime) -> RiskGrade:
    current = grades[0].grade
    for change in grades:
        if change.at <= when:
            current = change.grade
    return current


def compliance(*, reported_at: datetime, closed_at: datetime | None, now: datetime, is_child: bool,
               grades: Sequence[GradeChange], reviews: Sequence[datetime],
               pnc_circulated_at: datetime | None, return_interview_offered_at: datetime | None,
               settings: Mapping[str, object]) -> list[Check]:
    """Check one report against the rules an audit tests. ``grades`` is in time order, first
    entry the initial grade."""
    end = closed_at or now
    checks = []
    gaps = review_gaps(reported_at, end, grades, reviews, settings)
    checks.append(Check("mp.supervisory_review", "Supervisory reviews on time", True, not gaps,
                        f"{len(gaps)} late review(s)" if gaps else "every review on time"))
    missing = [g for g in grades if not g.rationale.strip()]
    checks.append(Check("mp.risk_grades", "Risk grade rationale recorded", True, not missing,
                        f"{len(missing)} grade(s) without rationale" if missing else "rationale recorded"))
    due = pnc_due(reported_at, settings)
    pnc_applies = closed_at is None or closed_at > due or pnc_circulated_at is not None
    pnc_met = pnc_circulated_at is not None and pnc_circulated_at <= due
    if pnc_applies and pnc_circulated_at is None and closed_at is None and now <= due:
        pnc_applies = False  # not yet due
    checks.append(Check("mp.pnc_circulation", "On PNC within the time allowed", pnc_applies, pnc_met,
                        "circulated on time" if pnc_met else
                        "not due yet" if not pnc_applies and closed_at is None else
                        "found before it was due" if not pnc_applies else
                        "not circulated" if pnc_circulated_at is None else "circulated late"))
    ri_applies = is_child and closed_at is not None
    ri_met = (ri_applies and return_interview_offered_at is not None
              and return_interview_offered_at <= return_interview_due(closed_at, settings))
    checks.append(Check("mp.return_interview", "Child offered a return interview in time", ri_applies, ri_met,
                        "offered in time" if ri_met else "not offered in time" if ri_applies else
                        "not a child" if not is_child else "not yet returned"))
    return checks


@dataclass(frozen=True)
class Episode:
    report_id: int
    person_id: int
    location_id: int
    reported_at: datetime


@dataclass(frozen=True)
class Repeats:
    persons: list[tuple[int, int]]          # (person_id, episodes) with 2 or more, most first
    locations: list[tuple[int, int]]        # (location_id, episodes) at or over the threshold


def repeats(episodes: Iterable[Episode], since: datetime, threshold: int) -> Repeats:
    """Repeat missing persons (two or more episodes since ``since``) and repeat locations
    (``threshold`` or more episodes from one place since ``since``), most frequent first,
    ties by id."""
    people: Counter[int] = Counter()
    places: defaultdict[int, int] = defaultdict(int)
    for e in episodes:
        if e.reported_at >= since:
            people[e.person_id] += 1
            places[e.location_id] += 1
    order = lambda item: (-item[1], item[0])  # noqa: E731
    return Repeats(sorted(((p, n) for p, n in people.items() if n >= 2), key=order),
                   sorted(((loc, n) for loc, n in places.items() if n >= threshold), key=order))
