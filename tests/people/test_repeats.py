"""Repeat victims and repeat locations: the pure counting at its boundaries."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from beacon.cases.domestic_abuse.repeats import (
    Seen,
    count_repeats,
    is_repeat,
    most_in_window,
)

T0 = datetime(2006, 4, 3, 9, 0, tzinfo=timezone.utc)
YEAR = timedelta(days=365)


def test_a_further_incident_exactly_at_the_window_is_a_repeat_and_one_second_later_is_not():
    assert is_repeat([T0, T0 + YEAR], YEAR)
    assert not is_repeat([T0, T0 + YEAR + timedelta(seconds=1)], YEAR)
    assert not is_repeat([T0], YEAR)
    assert not is_repeat([], YEAR)


def test_order_does_not_matter_and_any_close_pair_counts():
    times = [T0 + timedelta(days=900), T0, T0 + timedelta(days=500), T0 + timedelta(days=501)]
    assert is_repeat(times, YEAR)
    assert is_repeat(times, timedelta(days=1))
    assert not is_repeat(times, timedelta(hours=23))


def test_most_in_window_counts_the_busiest_window():
    times = [T0 + timedelta(days=d) for d in (0, 100, 200, 400, 401, 402, 403)]
    assert most_in_window(times, YEAR) == 6          # days 100 to 403: 303 days apart
    assert most_in_window(times, timedelta(days=3)) == 4
    assert most_in_window([], YEAR) == 0


def test_count_repeats_by_division_and_threshold():
    def seen(i, day, division, location, victims, code="domestic"):
        return Seen(i, T0 + timedelta(days=day), code, division, location, victims)

    incidents = [
        seen(1, 0, 1, 10, (100,)), seen(2, 30, 1, 10, (100,)),            # person 100 repeats; location 10 twice
        seen(3, 60, 1, 10, (), code="child_protection"),                 # location 10: third incident
        seen(4, 0, 2, 20, (200,)), seen(5, 400, 2, 21, (200,)),           # person 200: more than a year apart
        seen(6, 5, 2, None, (300,)),
    ]
    counts = count_repeats(incidents, window_days=365, location_threshold=3)
    assert counts.incidents == 6
    assert counts.victims == 3
    assert counts.repeat_victims == {100: 2}
    assert counts.repeat_locations == {10: 3}
    assert counts.by_division[1] == {"victims": 1, "repeat_victims": 1, "repeat_locations": 1}
    assert counts.by_division[2] == {"victims": 2, "repeat_victims": 0, "repeat_locations": 0}
    assert counts.repeat_victim_share == 1 / 3
    assert count_repeats(incidents, 365, 4).repeat_locations == {}
    assert count_repeats([], 365, 3).repeat_victim_share is None
