"""Working days, "beginning with" periods and pausable deadlines, tested at their edges."""
from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beacon.rules.clocks import (
    add_working_days,
    bank_holidays,
    deadline,
    is_overdue,
    is_working_day,
    last_day_beginning_with,
    working_day_deadline,
    working_days_between,
)

LONDON = ZoneInfo("Europe/London")
H = timedelta(hours=1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- bank holidays and working days ---------------------------------------------------

def test_wales_has_the_same_bank_holidays_as_england():
    for year in range(1980, 2031):
        england = set(holidays.country_holidays("GB", subdiv="ENG", years=year))
        wales = set(holidays.country_holidays("GB", subdiv="WLS", years=year))
        assert england == wales, year


def test_bank_holidays_are_cached_per_year():
    assert bank_holidays(2022) is bank_holidays(2022)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # Christmas on a weekend: substitute days on the Monday and Tuesday
        (date(2010, 12, 24), True), (date(2010, 12, 27), False), (date(2010, 12, 28), False),
        (date(2010, 12, 29), True),
        (date(2021, 12, 27), False), (date(2021, 12, 28), False), (date(2021, 12, 29), True),
        # 2022: Christmas on Sunday, Boxing Day on Monday, substitute Christmas on Tuesday
        (date(2022, 12, 26), False), (date(2022, 12, 27), False), (date(2022, 12, 28), True),
        (date(2022, 1, 3), False),  # New Year's Day (Saturday) substitute
        # Easter
        (date(2024, 3, 28), True), (date(2024, 3, 29), False), (date(2024, 4, 1), False),
        (date(2024, 4, 2), True),
        # 2022 extra bank holidays: Spring bank holiday moved to Thursday 2 June, Jubilee Friday 3 June
        (date(2022, 5, 30), True), (date(2022, 6, 2), False), (date(2022, 6, 3), False),
        (date(2022, 9, 19), False),  # state funeral of Queen Elizabeth II
        (date(2023, 5, 8), False),   # coronation of King Charles III
        (date(2023, 5, 1), False),
        (date(2020, 5, 4), True), (date(2020, 5, 8), False),  # early May bank holiday moved to VE Day
        (date(2007, 8, 27), False), (date(2007, 8, 28), True),
        (date(2024, 3, 2), False), (date(2024, 3, 3), False),  # weekend
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


def test_is_working_day_refuses_a_datetime():
    with pytest.raises(TypeError, match="not a datetime"):
        is_working_day(datetime(2024, 3, 1, 12))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2024, 3, 1), 1, date(2024, 3, 4)),      # Friday -> Monday
        (date(2024, 3, 2), 1, date(2024, 3, 4)),      # Saturday -> Monday (start never counts)
        (date(2024, 3, 3), 1, date(2024, 3, 4)),      # Sunday -> Monday
        (date(2024, 3, 4), 5, date(2024, 3, 11)),
        (date(2010, 12, 24), 1, date(2010, 12, 29)),
        (date(2021, 12, 24), 1, date(2021, 12, 29)),
        (date(2022, 12, 23), 1, date(2022, 12, 28)),
        (date(2024, 3, 28), 1, date(2024, 4, 2)),     # over Good Friday and Easter Monday
        (date(2022, 6, 1), 1, date(2022, 6, 6)),      # over the Platinum Jubilee
        (date(2022, 9, 16), 1, date(2022, 9, 20)),    # over the state funeral
        (date(2023, 5, 5), 1, date(2023, 5, 9)),      # over the coronation
        (date(2022, 12, 20), 7, date(2023, 1, 3)),    # across a year end: 21,22,23,28,29,30 Dec, 3 Jan
        (date(2007, 10, 1), 15, date(2007, 10, 22)),  # 15 working days from a Monday
    ],
)
def test_add_working_days(start, n, expected):
    assert add_working_days(start, n) == expected
    assert working_days_between(start, expected) == n


def test_add_zero_working_days_returns_start_even_on_a_weekend():
    assert add_working_days(date(2024, 3, 2), 0) == date(2024, 3, 2)
    assert add_working_days(date(2024, 3, 4), 0) == date(2024, 3, 4)


def test_add_negative_working_days_is_refused():
    with pytest.raises(ValueError, match="n must be 0 or more"):
        add_working_days(date(2024, 3, 4), -1)


def test_working_days_between_edges():
    assert working_days_between(date(2024, 3, 4), date(2024, 3, 4)) == 0
    assert working_days_between(date(2024, 3, 1), date(2024, 3, 3)) == 0  # Friday to Sunday
    assert working_days_between(date(2024, 3, 1), date(2024, 3, 4)) == 1
    assert working_days_between(date(2024, 3, 4), date(2024, 3, 1)) == -1
    # 29, 30, 31 Dec 2010; 3 Jan 2011 is the New Year substitute; 4 Jan
    assert working_days_between(date(2010, 12, 24), date(2011, 1, 4)) == 4
    # 2022: 260 weekdays less 10 weekday bank holidays (incl. the Jubilee and the state funeral)
    assert working_days_between(date(2022, 1, 1), date(2023, 1, 1)) == 250


dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))


@given(start=dates, n=st.integers(min_value=1, max_value=400))
def test_add_working_days_lands_on_a_working_day(start, n):
    assert is_working_day(add_working_days(start, n))


@given(start=dates, n=st.integers(min_value=0, max_value=400))
def test_working_days_between_inverts_add_working_days(start, n):
    assert working_days_between(start, add_working_days(start, n)) == n


@given(a=dates, b=dates, c=dates)
def test_working_days_between_is_additive_and_antisymmetric(a, b, c):
    assert working_days_between(a, b) + working_days_between(b, c) == working_days_between(a, c)
    assert working_days_between(a, b) == -working_days_between(b, a)


@settings(max_examples=50)
@given(start=dates, days=st.integers(min_value=0, max_value=800))
def test_working_days_between_matches_counting_day_by_day(start, days):
    end = start + timedelta(days=days)
    counted = sum(is_working_day(start + timedelta(days=i)) for i in range(1, days + 1))
    assert working_days_between(start, end) == counted


# --- "beginning with" --------------------------------------------------------------------

@pytest.mark.parametrize(
    ("d", "n", "expected"),
    [
        (date(2024, 4, 30), 1, date(2024, 4, 30)),  # one day beginning with D is D itself
        (date(2024, 4, 30), 3, date(2024, 5, 2)),
        (date(2024, 2, 28), 3, date(2024, 3, 1)),   # leap year
        (date(2023, 2, 28), 3, date(2023, 3, 2)),
        (date(2023, 12, 30), 3, date(2024, 1, 1)),
        (date(2023, 12, 31), 1, date(2023, 12, 31)),
        (date(2024, 3, 2), 3, date(2024, 3, 4)),    # calendar days: weekends count
    ],
)
def test_last_day_beginning_with(d, n, expected):
    assert last_day_beginning_with(d, n) == expected


def test_beginning_with_needs_at_least_one_day():
    with pytest.raises(ValueError, match="at least 1"):
        last_day_beginning_with(date(2024, 1, 1), 0)


# --- elapsed-time deadlines with pauses ------------------------------------------------------

START = utc(2024, 1, 1)
TWO_DAYS = timedelta(hours=48)
DUE = utc(2024, 1, 3)


def test_deadline_without_pauses():
    assert deadline(START, TWO_DAYS) == DUE
    assert deadline(START, timedelta(0)) == START


@pytest.mark.parametrize(
    ("pauses", "extra_hours"),
    [
        ([(utc(2024, 1, 1, 12), utc(2024, 1, 1, 18))], 6),
        ([(utc(2024, 1, 1, 12), utc(2024, 1, 1, 18)), (utc(2024, 1, 1, 15), utc(2024, 1, 1, 20))], 8),  # overlap
        ([(utc(2024, 1, 1, 10), utc(2024, 1, 1, 20)), (utc(2024, 1, 1, 12), utc(2024, 1, 1, 14))], 10),  # nested
        ([(utc(2024, 1, 1, 12), utc(2024, 1, 1, 14)), (utc(2024, 1, 1, 10), utc(2024, 1, 1, 20))], 10),  # unsorted
        ([(utc(2024, 1, 1, 10), utc(2024, 1, 1, 12)), (utc(2024, 1, 1, 12), utc(2024, 1, 1, 14))], 4),  # touching
        ([(utc(2024, 1, 1, 12), utc(2024, 1, 1, 12))], 0),  # zero length
        ([(utc(2023, 12, 31, 10), utc(2023, 12, 31, 20))], 0),  # wholly before the start
        ([(utc(2023, 12, 31, 20), utc(2024, 1, 1, 2))], 2),  # straddles the start
        ([(utc(2024, 1, 4), utc(2024, 1, 5))], 0),  # after the deadline
        ([(DUE, utc(2024, 1, 3, 5))], 0),  # begins exactly at the deadline: the clock had run out
        ([(utc(2024, 1, 2, 23), utc(2024, 1, 3, 5))], 6),  # begins before, ends after the deadline
        # the first pause moves the deadline to 4 Jan, so a pause on 3 Jan now counts
        ([(utc(2024, 1, 3, 12), utc(2024, 1, 3, 14)), (utc(2024, 1, 1), utc(2024, 1, 2))], 26),
        ([(utc(2024, 1, 4), None)], 0),  # still paused, but it began after the deadline
    ],
)
def test_deadline_with_pauses(pauses, extra_hours):
    assert deadline(START, TWO_DAYS, pauses) == DUE + extra_hours * H


@pytest.mark.parametrize(
    "pauses",
    [
        [(utc(2024, 1, 2), None)],
        [(utc(2023, 12, 1), None)],  # paused since before the clock started
        [(utc(2024, 1, 1, 9), utc(2024, 1, 1, 11)), (utc(2024, 1, 1, 10), None)],
        [(utc(2024, 1, 1), utc(2024, 1, 2, 1)), (utc(2024, 1, 3, 12), None)],  # open pause after an extension
    ],
)
def test_open_ended_pause_before_the_deadline_stops_the_clock(pauses):
    assert deadline(START, TWO_DAYS, pauses) is None


def test_deadline_accepts_a_generator_and_mixed_time_zones():
    pauses = ((datetime(2024, 6, 1, 13, tzinfo=LONDON), utc(2024, 6, 1, 14)) for _ in range(2))
    start = datetime(2024, 6, 1, 9, tzinfo=LONDON)  # 08:00 UTC
    result = deadline(start, timedelta(hours=10), pauses)  # pause is 12:00-14:00 UTC
    assert result == utc(2024, 6, 1, 20) and result.tzinfo is UTC


def test_deadline_runs_elapsed_time_across_the_spring_clock_change():
    start = datetime(2021, 3, 28, 0, 30, tzinfo=LONDON)  # GMT; clocks go forward at 01:00
    result = deadline(start, 2 * H)
    assert result == utc(2021, 3, 28, 2, 30)
    assert result.astimezone(LONDON).hour == 3  # 03:30 BST


def test_deadline_runs_elapsed_time_across_the_autumn_clock_change():
    start = datetime(2021, 10, 31, 0, 30, tzinfo=LONDON)  # BST, 23:30 UTC the day before
    pause = (datetime(2021, 10, 31, 0, 45, tzinfo=LONDON), datetime(2021, 10, 31, 1, 15, fold=1, tzinfo=LONDON))
    # the pause runs from 23:45 UTC to 01:15 UTC: 90 minutes, not 30
    assert deadline(start, 2 * H, [pause]) == utc(2021, 10, 31, 3)


@given(
    offsets=st.lists(
        st.tuples(st.integers(-50, 200), st.integers(0, 50)), max_size=6
    ),
    hours=st.integers(0, 100),
)
def test_deadline_ignores_pause_order_and_never_comes_early(offsets, hours):
    pauses = [(START + a * H, START + (a + b) * H) for a, b in offsets]
    result = deadline(START, hours * H, pauses)
    assert result >= START + hours * H
    assert result <= START + hours * H + sum((b for _, b in offsets), 0) * H
    shuffled = pauses[:]
    random.Random(0).shuffle(shuffled)
    assert deadline(START, hours * H, shuffled) == result


def test_naive_datetimes_are_refused_by_name():
    naive = datetime(2024, 1, 1)
    with pytest.raises(ValueError, match="start must be timezone-aware"):
        deadline(naive, TWO_DAYS)
    with pytest.raises(ValueError, match=r"pauses\[1\]\[0\] must be timezone-aware"):
        deadline(START, TWO_DAYS, [(utc(2024, 1, 1, 1), utc(2024, 1, 1, 2)), (naive, utc(2024, 1, 1, 2))])
    with pytest.raises(ValueError, match=r"pauses\[0\]\[1\] must be timezone-aware"):
        deadline(START, TWO_DAYS, [(utc(2024, 1, 1, 1), naive)])
    with pytest.raises(ValueError, match="start must be timezone-aware"):
        working_day_deadline(naive, 1)
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        is_overdue(DUE, naive)
    with pytest.raises(ValueError, match="due must be timezone-aware"):
        is_overdue(naive, DUE)


def test_deadline_refuses_bad_input():
    with pytest.raises(ValueError, match="negative"):
        deadline(START, -H)
    with pytest.raises(ValueError, match=r"pauses\[0\] ends"):
        deadline(START, TWO_DAYS, [(utc(2024, 1, 2), utc(2024, 1, 1))])


# --- working-day deadlines -----------------------------------------------------------------

END_OF_DAY = (23, 59, 59, 999999)


def test_working_day_deadline_is_end_of_next_working_day_in_utc():
    due = working_day_deadline(datetime(2024, 3, 1, 17, tzinfo=LONDON), 1)  # Friday, GMT
    assert due == utc(2024, 3, 4, *END_OF_DAY) and due.tzinfo is UTC


def test_working_day_deadline_across_the_spring_clock_change():
    due = working_day_deadline(datetime(2021, 3, 26, 10, tzinfo=LONDON), 1)  # Friday GMT; BST from Sunday
    assert due == utc(2021, 3, 29, 22, 59, 59, 999999)
    assert due.astimezone(LONDON).replace(tzinfo=None) == datetime(2021, 3, 29, *END_OF_DAY)


def test_working_day_deadline_across_the_autumn_clock_change():
    due = working_day_deadline(datetime(2021, 10, 29, 10, tzinfo=LONDON), 1)  # Friday BST; GMT from Sunday
    assert due == utc(2021, 11, 1, *END_OF_DAY)


def test_working_day_deadline_uses_the_local_date_of_the_event():
    # 23:30 UTC on Wednesday 30 June is 00:30 BST on Thursday 1 July: the event's day is Thursday
    due = working_day_deadline(utc(2021, 6, 30, 23, 30), 1)
    assert due == utc(2021, 7, 2, 22, 59, 59, 999999)


def test_working_day_deadline_over_bank_holidays():
    due = working_day_deadline(datetime(2022, 12, 23, 16, tzinfo=LONDON), 1)
    assert due == utc(2022, 12, 28, *END_OF_DAY)
    due = working_day_deadline(datetime(2006, 4, 13, 9, tzinfo=LONDON), 5)  # over Easter 2006 (BST)
    assert due.astimezone(LONDON).date() == date(2006, 4, 24)


def test_working_day_deadline_zero_is_end_of_the_event_day():
    due = working_day_deadline(datetime(2024, 3, 2, 10, tzinfo=LONDON), 0)
    assert due == utc(2024, 3, 2, *END_OF_DAY)


def test_working_day_deadline_in_another_time_zone():
    due = working_day_deadline(utc(2024, 3, 1, 12), 1, tz="UTC")
    assert due == utc(2024, 3, 4, *END_OF_DAY)


# --- overdue ---------------------------------------------------------------------------------

def test_is_overdue():
    assert not is_overdue(DUE, DUE)
    assert is_overdue(DUE, DUE + timedelta(microseconds=1))
    assert not is_overdue(DUE, DUE - H)
    assert not is_overdue(None, utc(2099, 1, 1))  # a stopped clock is never overdue
    assert is_overdue(datetime(2024, 1, 3, tzinfo=LONDON), utc(2024, 1, 3, 0, 0, 1))
