"""Child protection time limits (Working Together to Safeguard Children), as pure functions.

Each limit is read from the cited rule in :mod:`beacon.rules` in force on the date the clock
starts, so a later edition changes the answer without changing this code:

* ``cp.referral_acknowledgement``: referral acknowledged and decided within 1 working day;
* ``cp.initial_conference``: initial conference within 15 working days of the strategy discussion;
* ``cp.first_review``: first review conference within 3 months of the initial conference;
* ``cp.subsequent_reviews``: later reviews at most 6 months apart;
* ``cp.core_group``: first core group within 10 working days of the initial conference;
* ``cp.initial_assessment``: 7 working days (2006 edition), 10 (2010), 45 (2013 single assessment).

Conventions:

* Working days are counted by :func:`beacon.rules.clocks.add_working_days`: the starting day
  never counts, weekends and England and Wales bank holidays are skipped, and the result is
  the last day on which the step is on time.
* Months are calendar months (:func:`add_months`): the same day of the month ``n`` months
  later, or that month's last day if it is shorter. So 31 January + 1 month is 28 February
  (29 in a leap year), 29 February 2008 + 12 months is 28 February 2009, and 30 November +
  3 months is 28 or 29 February. Month additions do not chain exactly: 31 January + 1 + 1
  month is 28 March, while 31 January + 2 months is 31 March; each review is therefore
  counted from the actual date of the one before.
* Dates are ``date`` objects (local dates in England and Wales); ``datetime`` is refused
  where a date is asked for. A date before the first version of a rule raises
  :class:`beacon.rules.RuleNotInForce`.
"""
from __future__ import annotations

from datetime import date, datetime

from beacon import rules
from beacon.rules.clocks import (
    LONDON,
    add_months,
    add_working_days,
    working_day_deadline,
)

__all__ = [
    "add_months",
    "core_group_due",
    "first_review_due",
    "initial_assessment_due",
    "initial_conference_due",
    "next_review_due",
    "referral_acknowledgement_due",
]


def _date(value: object, name: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a date (not a datetime), got {type(value).__name__}")
    return value


def _value(rule_id: str, on: date) -> int:
    value = rules.get(rule_id, on).value
    if isinstance(value, bool) or not isinstance(value, int):  # pragma: no cover - catalogue guarantees it
        raise TypeError(f"rule {rule_id} has no whole-number value")
    return value


def referral_acknowledgement_due(sent_at: datetime) -> datetime:
    """When children's social care must have acknowledged and decided a referral (UTC).

    ``cp.referral_acknowledgement`` (1 working day): the end of the first working day after
    the day the referral was sent, in England and Wales time; a referral sent on Friday
    afternoon is due by the end of Monday, or Tuesday if Monday is a bank holiday.
    ``sent_at`` must be timezone-aware.
    """
    if not isinstance(sent_at, datetime):
        raise TypeError(f"sent_at must be a datetime, got {type(sent_at).__name__}")
    if sent_at.tzinfo is None or sent_at.utcoffset() is None:
        raise ValueError(f"sent_at must be timezone-aware, got naive datetime {sent_at.isoformat()}")
    on = sent_at.astimezone(LONDON).date()
    return working_day_deadline(sent_at, _value("cp.referral_acknowledgement", on))


def initial_conference_due(strategy_discussion_on: date) -> date:
    """Last day for the initial child protection conference (``cp.initial_conference``, 15 working days
    after the strategy discussion that started section 47 enquiries)."""
    d = _date(strategy_discussion_on, "strategy_discussion_on")
    return add_working_days(d, _value("cp.initial_conference", d))


def first_review_due(conference_on: date) -> date:
    """Last day for the first review conference (``cp.first_review``, 3 calendar months after the
    initial conference)."""
    d = _date(conference_on, "conference_on")
    return add_months(d, _value("cp.first_review", d))


def next_review_due(last_review_on: date) -> date:
    """Last day for the next review conference (``cp.subsequent_reviews``, at most 6 calendar
    months after the last review)."""
    d = _date(last_review_on, "last_review_on")
    return add_months(d, _value("cp.subsequent_reviews", d))


def core_group_due(conference_on: date) -> date:
    """Last day for the first core group meeting (``cp.core_group``, 10 working days after the
    initial conference)."""
    d = _date(conference_on, "conference_on")
    return add_working_days(d, _value("cp.core_group", d))


def initial_assessment_due(referral_on: date, edition_date: date | None = None) -> date:
    """Last day for the initial assessment (``cp.initial_assessment``).

    The number of working days comes from the version of the rule in force on
    ``edition_date`` (by default the referral date): 7 under the 2006 edition, 10 under the
    2010 edition, 45 (single assessment) from the 2013 edition. Passing ``edition_date``
    lets a force measure old cases against the guidance of the time, or test a new edition.
    """
    d = _date(referral_on, "referral_on")
    edition = d if edition_date is None else _date(edition_date, "edition_date")
    return add_working_days(d, _value("cp.initial_assessment", edition))
