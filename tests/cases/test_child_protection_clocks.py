"""Child protection clocks (Working Together) at weekends, bank holidays, month ends and editions."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beacon import rules
from beacon.cases.child_protection import clocks
from beacon.rules.clocks import add_months

UTC = timezone.utc
BST = timezone(timedelta(hours=1))
END = (23, 59, 59, 999999)


def end_of(d: date, offset_hours: int) -> datetime:
    """The end of local day ``d`` (offset from UTC in hours) in UTC."""
    return datetime(d.year, d.month, d.day, *END, tzinfo=timezone(timedelta(hours=offset_hours))).astimezone(UTC)


# --- month arithmetic -----------------------------------------------------------------------

@pytest.mark.parametrize(("start", "n", "expected"), [
    (date(2007, 1, 31), 1, date(2007, 2, 28)),   # 31 January + 1 month: last day of February
    (date(2008, 1, 31), 1, date(2008, 2, 29)),   # ... 29th in a leap year
    (date(2008, 2, 29), 12, date(2009, 2, 28)),  # leap day + a year
    (date(2008, 2, 29), 48, date(2012, 2, 29)),
    (date(2007, 3, 31), 1, date(2007, 4, 30)),
    (date(2007, 11, 30), 3, date(2008, 2, 29)),
    (date(2007, 12, 15), 1, date(2008, 1, 15)),  # year rollover
    (date(2007, 1, 15), -1, date(2006, 12, 15)),
    (date(2007, 3, 31), -1, date(2007, 2, 28)),
    (date(2007, 5, 10), 0, date(2007, 5, 10)),
])
def test_add_months_clamps_to_the_last_day_of_a_shorter_month(start, n, expected):
    assert add_months(start, n) == expected


def test_add_months_does_not_chain_exactly_at_month_ends():
    assert add_months(add_months(date(2007, 1, 31), 1), 1) == date(2007, 3, 28)
    assert add_months(date(2007, 1, 31), 2) == date(2007, 3, 31)


def test_add_months_refuses_datetimes_and_non_integers():
    with pytest.raises(TypeError):
        add_months(datetime(2007, 1, 31, tzinfo=UTC), 1)
    with pytest.raises(TypeError):
        add_months(date(2007, 1, 31), 1.0)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), st.integers(-120, 120))
def test_add_months_moves_whole_months_and_never_past_the_day(d, n):
    result = add_months(d, n)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == n
    assert result.day <= d.day
    if d.day <= 28:
        assert result.day == d.day
    else:  # clamped only when the target month is too short
        assert result.day == d.day or (result + timedelta(days=1)).day == 1


# --- referral acknowledgement: 1 working day ------------------------------------------------

def test_acknowledgement_is_due_by_the_end_of_the_next_working_day():
    sent = datetime(2007, 3, 6, 10, 0, tzinfo=UTC)  # Tuesday
    assert clocks.referral_acknowledgement_due(sent) == end_of(date(2007, 3, 7), 0)


@pytest.mark.parametrize("sent", [
    datetime(2007, 3, 2, 17, 0, tzinfo=UTC),   # Friday afternoon
    datetime(2007, 3, 3, 11, 0, tzinfo=UTC),   # Saturday
    datetime(2007, 3, 4, 23, 0, tzinfo=UTC),   # Sunday night
])
def test_acknowledgement_skips_the_weekend(sent):
    assert clocks.referral_acknowledgement_due(sent) == end_of(date(2007, 3, 5), 0)


def test_acknowledgement_over_easter():
    # Thursday 5 April 2007; Good Friday 6 April and Easter Monday 9 April are bank holidays.
    sent = datetime(2007, 4, 5, 15, 0, tzinfo=BST)
    assert clocks.referral_acknowledgement_due(sent) == end_of(date(2007, 4, 10), 1)


def test_acknowledgement_over_christmas_boxing_day_and_new_year():
    # 2010: Christmas and Boxing Day fall at the weekend, so Monday 27 and Tuesday 28 December
    # are the substitute bank holidays; a referral on Christmas Eve is due by Wednesday 29.
    assert clocks.referral_acknowledgement_due(datetime(2010, 12, 24, 16, 0, tzinfo=UTC)) == end_of(date(2010, 12, 29), 0)
    # New Year's Day 2011 is a Saturday; Monday 3 January is the substitute.
    assert clocks.referral_acknowledgement_due(datetime(2010, 12, 31, 9, 0, tzinfo=UTC)) == end_of(date(2011, 1, 4), 0)
    # 2007: Christmas Tuesday, Boxing Day Wednesday, New Year Tuesday.
    assert clocks.referral_acknowledgement_due(datetime(2007, 12, 24, 9, 0, tzinfo=UTC)) == end_of(date(2007, 12, 27), 0)
    assert clocks.referral_acknowledgement_due(datetime(2007, 12, 31, 9, 0, tzinfo=UTC)) == end_of(date(2008, 1, 2), 0)


def test_acknowledgement_counts_from_the_local_date_not_the_utc_date():
    # 23:30 UTC on Thursday 28 June 2007 is 00:30 on Friday 29 June in England: due Monday.
    sent = datetime(2007, 6, 28, 23, 30, tzinfo=UTC)
    assert clocks.referral_acknowledgement_due(sent) == end_of(date(2007, 7, 2), 1)


def test_acknowledgement_needs_an_aware_datetime_in_force():
    with pytest.raises(ValueError, match="sent_at"):
        clocks.referral_acknowledgement_due(datetime(2007, 3, 6, 10, 0))
    with pytest.raises(TypeError):
        clocks.referral_acknowledgement_due(date(2007, 3, 6))
    with pytest.raises(rules.RuleNotInForce):
        clocks.referral_acknowledgement_due(datetime(2006, 3, 31, 10, 0, tzinfo=UTC))


# --- conference, core group, reviews --------------------------------------------------------

def test_initial_conference_within_15_working_days_over_christmas_and_new_year():
    # Strategy discussion Monday 17 December 2007: 25, 26 December and 1 January are bank holidays.
    assert clocks.initial_conference_due(date(2007, 12, 17)) == date(2008, 1, 10)


def test_initial_conference_over_easter():
    # Monday 2 April 2007 + 15 working days, skipping Good Friday and Easter Monday.
    assert clocks.initial_conference_due(date(2007, 4, 2)) == date(2007, 4, 25)


def test_initial_conference_from_a_weekend_discussion_starts_counting_on_monday():
    assert clocks.initial_conference_due(date(2007, 3, 3)) == date(2007, 3, 23)  # Saturday
    assert clocks.initial_conference_due(date(2007, 3, 2)) == date(2007, 3, 23)  # Friday


def test_core_group_within_10_working_days_over_christmas():
    assert clocks.core_group_due(date(2007, 12, 21)) == date(2008, 1, 9)
    assert clocks.core_group_due(date(2007, 3, 5)) == date(2007, 3, 19)


@pytest.mark.parametrize(("conference", "due"), [
    (date(2007, 3, 5), date(2007, 6, 5)),
    (date(2007, 11, 30), date(2008, 2, 29)),   # leap year
    (date(2008, 11, 30), date(2009, 2, 28)),
    (date(2007, 1, 31), date(2007, 4, 30)),
])
def test_first_review_within_3_months(conference, due):
    assert clocks.first_review_due(conference) == due


@pytest.mark.parametrize(("last", "due"), [
    (date(2007, 6, 5), date(2007, 12, 5)),
    (date(2007, 8, 31), date(2008, 2, 29)),
    (date(2008, 8, 31), date(2009, 2, 28)),
    (date(2008, 2, 29), date(2008, 8, 29)),
    (date(2007, 3, 31), date(2007, 9, 30)),
])
def test_later_reviews_at_most_6_months_apart(last, due):
    assert clocks.next_review_due(last) == due


def test_date_clocks_refuse_datetimes():
    moment = datetime(2007, 3, 5, 9, 0, tzinfo=UTC)
    for fn in (clocks.initial_conference_due, clocks.core_group_due, clocks.first_review_due,
               clocks.next_review_due, clocks.initial_assessment_due):
        with pytest.raises(TypeError):
            fn(moment)


# --- initial assessment: the edition decides ------------------------------------------------

def test_initial_assessment_2006_edition_is_7_working_days():
    # Thursday 5 April 2007, over Easter: 10, 11, 12, 13, 16, 17, 18 April.
    assert clocks.initial_assessment_due(date(2007, 4, 5)) == date(2007, 4, 18)
    assert clocks.initial_assessment_due(date(2007, 4, 5), date(2007, 4, 5)) == date(2007, 4, 18)


def test_initial_assessment_2010_edition_is_10_working_days():
    assert clocks.initial_assessment_due(date(2007, 4, 5), date(2010, 3, 1)) == date(2007, 4, 23)
    assert clocks.initial_assessment_due(date(2010, 3, 1)) == date(2010, 3, 15)


@pytest.mark.parametrize(("edition", "days"), [
    (date(2006, 4, 1), 7), (date(2010, 2, 28), 7),
    (date(2010, 3, 1), 10), (date(2013, 4, 14), 10),
    (date(2013, 4, 15), 45),
])
def test_initial_assessment_uses_the_rule_version_in_force_on_the_edition_date(edition, days):
    assert rules.get("cp.initial_assessment", edition).value == days
    referral = date(2007, 3, 5)
    assert clocks.initial_assessment_due(referral, edition) == rules.add_working_days(referral, days)


def test_initial_assessment_before_the_2006_edition_is_not_in_force():
    with pytest.raises(rules.RuleNotInForce):
        clocks.initial_assessment_due(date(2006, 3, 31))


def test_clock_values_come_from_the_cited_rules():
    on = date(2007, 6, 1)
    assert [rules.get(r, on).value for r in ("cp.referral_acknowledgement", "cp.initial_conference",
                                                "cp.first_review", "cp.subsequent_reviews", "cp.core_group")] \
        == [1, 15, 3, 6, 10]
