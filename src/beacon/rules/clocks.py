"""Clocks for published time limits: working days, "beginning with", and pausable deadlines.

All functions are pure. Conventions:

* A *working day* is Monday to Friday, excluding the bank holidays of England and Wales
  (substitute days included) as known to the ``holidays`` package. England and Wales share
  the same bank holidays (checked in the tests), so the England calendar is used.
* Counting working days *after* a date never counts the date itself.
* Elapsed-time clocks work in UTC, so a clock that crosses a daylight-saving change runs
  for exactly the stated duration; their results are returned in UTC.
* Datetimes must be timezone-aware; a naive one raises ``ValueError`` naming the argument.
"""
from __future__ import annotations

import bisect
import calendar
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")  # England and Wales local time, in which the force's days run

__all__ = [
    "LONDON",
    "bank_holidays",
    "is_working_day",
    "add_working_days",
    "working_days_between",
    "last_day_beginning_with",
    "deadline",
    "working_day_deadline",
    "is_overdue",
]

_ONE_DAY = timedelta(days=1)


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """The bank holidays of England and Wales in ``year`` (substitute days included; cached)."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


@cache
def _weekday_holidays(year: int) -> tuple[date, ...]:
    """Bank holidays in ``year`` that fall Monday to Friday, sorted."""
    return tuple(sorted(d for d in bank_holidays(year) if d.weekday() < 5))


def is_working_day(d: date) -> bool:
    """True if ``d`` is Monday to Friday and not a bank holiday in England and Wales.

    A ``datetime`` is refused (its date depends on the time zone): pass a local date.
    """
    _require_date(d, "d")
    return d.weekday() < 5 and d not in bank_holidays(d.year)


def add_working_days(start: date, n: int) -> date:
    """The date ``n`` working days after ``start``.

    ``start`` itself is never counted, whether or not it is a working day: from Friday
    1 March 2024, 1 working day is Monday 4 March; from Saturday 2 March it is also Monday.
    ``n = 0`` returns ``start`` unchanged (even on a weekend), so that
    ``working_days_between(start, add_working_days(start, n)) == n`` for every ``n >= 0``.
    Negative ``n`` raises ``ValueError``.
    """
    _require_date(start, "start")
    if n < 0:
        raise ValueError(f"n must be 0 or more, got {n}")
    return _add_working_days(start, n)


@lru_cache(maxsize=65536)
def _add_working_days(start: date, n: int) -> date:
    # Cached: an audit over a year asks the same few hundred (date, n) pairs thousands of times.
    d = start
    while n:
        d += _ONE_DAY
        if is_working_day(d):
            n -= 1
    return d


def working_days_between(start: date, end: date) -> int:
    """The number of working days after ``start`` up to and including ``end``.

    This counts the half-open interval (start, end], the inverse of :func:`add_working_days`.
    ``start == end`` gives 0; if ``end`` is before ``start`` the result is negative
    (``-working_days_between(end, start)``).
    """
    _require_date(start, "start")
    _require_date(end, "end")
    if end < start:
        return -working_days_between(end, start)
    weekdays = _weekdays_up_to(end) - _weekdays_up_to(start)
    holidays_in_range = 0
    for year in range(start.year, end.year + 1):
        hols = _weekday_holidays(year)
        holidays_in_range += bisect.bisect_right(hols, end) - bisect.bisect_right(hols, start)
    return weekdays - holidays_in_range


def _weekdays_up_to(d: date) -> int:
    """Mondays to Fridays from 1 January of year 1 (a Monday) up to and including ``d``."""
    weeks, extra = divmod(d.toordinal(), 7)
    return weeks * 5 + min(extra, 5)


def last_day_beginning_with(d: date, n_days: int) -> date:
    """The last day of a period of ``n_days`` days *beginning with* ``d``.

    Statutes such as the Sexual Offences Act 2003 s.83 say "within the period of 3 days
    beginning with" a date: that date is day one, so the last day is ``d + n_days - 1``
    (3 days beginning with 30 April end on 2 May). Calendar days, not working days.
    ``n_days`` must be at least 1.
    """
    _require_date(d, "d")
    if n_days < 1:
        raise ValueError(f"n_days must be at least 1, got {n_days}")
    return d + timedelta(days=n_days - 1)


def deadline(
    start: datetime,
    duration: timedelta,
    pauses: Iterable[tuple[datetime, datetime | None]] = (),
) -> datetime | None:
    """When an elapsed-time clock of ``duration`` started at ``start`` runs out, in UTC.

    Each pause ``(from, to)`` stops the clock (custody, hospital, abroad), so the deadline
    moves later by the part of the pause that falls while the clock is running. Method:
    pauses are clipped to begin no earlier than ``start``, sorted and merged where they
    overlap or touch; then, walking forward, each pause that begins before the deadline
    reached so far pushes the deadline back by its length.

    Edge cases:

    * Pauses may be given in any order and may overlap or nest; time is counted once.
    * A pause wholly before ``start`` does not count; one straddling ``start`` counts
      from ``start``.
    * A pause beginning at or after the deadline does not count (the clock had run out).
    * A pause with ``to=None`` is still going on: if it begins before the deadline the
      clock is stopped and the result is ``None`` (no deadline yet; see :func:`is_overdue`).
    * ``duration`` must not be negative; a pause ending before it begins raises ValueError.
    * All datetimes must be timezone-aware; arithmetic is done in UTC so daylight-saving
      changes do not add or lose an hour.
    """
    _require_aware(start, "start")
    if duration < timedelta(0):
        raise ValueError(f"duration must not be negative, got {duration}")
    begin = start.astimezone(UTC)
    due = begin + duration
    for pause_from, pause_to in _merge_pauses(pauses, begin):
        if pause_from >= due:
            break
        if pause_to is None:
            return None
        due += pause_to - pause_from
    return due


def _merge_pauses(
    pauses: Iterable[tuple[datetime, datetime | None]], begin: datetime
) -> list[tuple[datetime, datetime | None]]:
    """Pauses in UTC, clipped to start no earlier than ``begin``, sorted and merged."""
    clipped: list[tuple[datetime, datetime | None]] = []
    for i, (pause_from, pause_to) in enumerate(pauses):
        _require_aware(pause_from, f"pauses[{i}][0]")
        if pause_to is not None:
            _require_aware(pause_to, f"pauses[{i}][1]")
            if pause_to < pause_from:
                raise ValueError(f"pauses[{i}] ends ({pause_to}) before it begins ({pause_from})")
            pause_to = pause_to.astimezone(UTC)
            if pause_to <= begin:
                continue  # wholly before the clock started
        clipped.append((max(pause_from.astimezone(UTC), begin), pause_to))
    clipped.sort(key=lambda p: p[0])
    merged: list[tuple[datetime, datetime | None]] = []
    for pause_from, pause_to in clipped:
        if merged and (merged[-1][1] is None or pause_from <= merged[-1][1]):
            last_from, last_to = merged[-1]
            if last_to is None or pause_to is None:
                merged[-1] = (last_from, None)
            else:
                merged[-1] = (last_from, max(last_to, pause_to))
        else:
            merged.append((pause_from, pause_to))
    return merged


def working_day_deadline(start: datetime, n: int, tz: str = "Europe/London") -> datetime:
    """The end of the ``n``th working day after the event at ``start``, returned in UTC.

    For "within N working day(s)" of an event: take the event's local date in ``tz``,
    find the date ``n`` working days after it (:func:`add_working_days`; the event's own
    day never counts), and return 23:59:59.999999 local time on that date, converted to
    UTC. So a referral received at 17:00 on Friday 1 March 2024 is due by the end of
    Monday 4 March for n=1. Local midnight falls on the right side of a daylight-saving
    change because the local date is taken before counting. ``n = 0`` gives the end of
    the event's own local day. ``start`` must be timezone-aware.
    """
    _require_aware(start, "start")
    zone = ZoneInfo(tz)
    due_date = add_working_days(start.astimezone(zone).date(), n)
    return datetime.combine(due_date, time.max, tzinfo=zone).astimezone(UTC)


def is_overdue(due: datetime | None, now: datetime) -> bool:
    """True if ``now`` is strictly after ``due``.

    ``due`` of ``None`` (a clock that is paused with no end, or has no deadline) is never
    overdue. Both datetimes must be timezone-aware.
    """
    _require_aware(now, "now")
    if due is None:
        return False
    _require_aware(due, "due")
    return now > due


def _require_aware(value: object, name: str) -> None:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive datetime {value.isoformat()}")


def _require_date(value: object, name: str) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a date (not a datetime), got {type(value).__name__}")


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months (``n`` may be negative), clamped to the month's last day.

    31 January 2007 + 1 month = 28 February 2007; 31 January 2008 + 1 month = 29 February
    2008; 29 February 2008 + 12 months = 28 February 2009; 31 March + 1 month = 30 April.
    """
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"d must be a date (not a datetime), got {type(d).__name__}")
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, got {type(n).__name__}")
    months = d.year * 12 + (d.month - 1) + n
    year, month = divmod(months, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise OverflowError(f"{d.isoformat()} + {n} months is outside the supported years")
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))
