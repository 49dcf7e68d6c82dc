"""What is due on a child protection case, and whether each step was on time, as pure functions.

The due dates come from :mod:`beacon.cases.child_protection.clocks` (Working Together to
Safeguard Children, 2006, chapter 5):

* initial child protection conference: 15 working days after the strategy discussion;
* first core group: 10 working days after the initial conference;
* first review conference: 3 months after the initial conference;
* each later review conference: at most 6 months after the review before it, so every review
  held is on time or late against its own clock, and the next is due 6 months after the last.

A step is ``waiting`` until its clock starts, ``due`` until its last day, ``overdue`` after
it; once held it is ``met`` (held on or before the last day) or ``late``. A step not held
when the case closed is ``not_held`` (a case may close after section 47 enquiries without a
conference). Nothing here reads the database or the time: ``today`` is passed in.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from beacon.cases.child_protection import clocks

WAITING, DUE, OVERDUE, MET, LATE, NOT_HELD = "waiting", "due", "overdue", "met", "late", "not_held"
STATUS_LABELS = {WAITING: "Clock not started", DUE: "Due", OVERDUE: "Overdue", MET: "On time", LATE: "Late",
                 NOT_HELD: "Not held (case closed)"}


@dataclass(frozen=True)
class CaseDates:
    """The dates of a case that the clocks read (a ``ChildCase`` has them all)."""
    strategy_discussion_on: date | None
    initial_conference_on: date | None
    core_group_on: date | None
    first_review_on: date | None
    last_review_on: date | None
    closed: bool = False
    reviews: tuple[date, ...] = ()   # every review held, in order (default: the first and latest)

    @property
    def held_reviews(self) -> tuple[date, ...]:
        if self.reviews:
            return tuple(sorted(self.reviews))
        return tuple(dict.fromkeys(d for d in (self.first_review_on, self.last_review_on) if d is not None))


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    rule_id: str
    starts_after: str
    due_on: date | None
    held_on: date | None
    status: str

    @property
    def open(self) -> bool:
        """Still to be done, and counted on the caseload."""
        return self.status in (DUE, OVERDUE)


def status_of(due_on: date | None, held_on: date | None, today: date, closed: bool) -> str:
    if held_on is not None:
        return LATE if due_on is not None and held_on > due_on else MET
    if due_on is None:
        return WAITING
    if closed:
        return NOT_HELD
    return OVERDUE if today > due_on else DUE


def steps(case: CaseDates, today: date) -> list[Step]:
    """Every timed step of the case, in the order they happen."""
    conf = case.initial_conference_on
    conference_due = clocks.initial_conference_due(case.strategy_discussion_on) if case.strategy_discussion_on else None
    core_due = clocks.core_group_due(conf) if conf else None
    first_due = clocks.first_review_due(conf) if conf else None
    out = [
        Step("initial_conference", "Initial child protection conference", "cp.initial_conference",
             "the strategy discussion", conference_due, conf,
             status_of(conference_due, conf, today, case.closed)),
        Step("core_group", "First core group meeting", "cp.core_group", "the initial conference", core_due,
             case.core_group_on, status_of(core_due, case.core_group_on, today, case.closed)),
    ]
    reviews = case.held_reviews
    first_held = reviews[0] if reviews else None
    out.append(Step("first_review", "First review conference", "cp.first_review", "the initial conference",
                    first_due, first_held, status_of(first_due, first_held, today, case.closed)))
    for n, (before, held) in enumerate(zip(reviews, reviews[1:]), start=2):
        due = clocks.next_review_due(before)
        out.append(Step(f"review_{n}", f"Review conference {n}", "cp.subsequent_reviews", "the review before",
                        due, held, status_of(due, held, today, case.closed)))
    if reviews:
        next_due = clocks.next_review_due(reviews[-1])
        out.append(Step("next_review", "Next review conference", "cp.subsequent_reviews", "the last review",
                        next_due, None, status_of(next_due, None, today, case.closed)))
    return out


def next_step(all_steps: list[Step]) -> Step | None:
    """The open step with the earliest last day (an overdue one before any still due)."""
    open_ = [s for s in all_steps if s.open]
    return min(open_, key=lambda s: s.due_on) if open_ else None


__all__ = ["DUE", "LATE", "MET", "NOT_HELD", "OVERDUE", "STATUS_LABELS", "WAITING", "CaseDates", "Step",
           "next_step", "status_of", "steps"]
