"""The case clocks (Working Together 2006, chapter 5) over weekends, bank holidays and month ends,
and each step's status: waiting, due, overdue, met, late, not held."""
from __future__ import annotations

from datetime import date

from beacon.cases.child_protection import schedule
from beacon.cases.child_protection.schedule import CaseDates


def _steps(today=date(2024, 4, 1), **dates):
    fields = dict(strategy_discussion_on=None, initial_conference_on=None, core_group_on=None, first_review_on=None,
                  last_review_on=None)
    fields.update(dates)
    return {s.key: s for s in schedule.steps(CaseDates(**fields), today)}


def test_initial_conference_skips_weekends_and_easter():
    # Thursday 21 March 2024 + 15 working days, skipping Good Friday and Easter Monday
    steps = _steps(strategy_discussion_on=date(2024, 3, 21), today=date(2024, 4, 15))
    assert steps["initial_conference"].due_on == date(2024, 4, 15)
    assert steps["initial_conference"].status == "due"
    assert steps["core_group"].status == "waiting" and steps["core_group"].due_on is None
    assert "next_review" not in steps


def test_overdue_the_day_after_the_last_day():
    steps = _steps(strategy_discussion_on=date(2024, 3, 21), today=date(2024, 4, 16))
    assert steps["initial_conference"].status == "overdue"
    assert schedule.next_step(list(steps.values())).key == "initial_conference"


def test_met_late_and_the_later_clocks():
    steps = _steps(strategy_discussion_on=date(2024, 3, 21), initial_conference_on=date(2024, 5, 3),
                   core_group_on=date(2024, 5, 20), today=date(2024, 6, 1))
    assert steps["initial_conference"].status == "late"          # due 15 April
    # 10 working days from Friday 3 May 2024, skipping the early May bank holiday (6 May)
    assert steps["core_group"].due_on == date(2024, 5, 20) and steps["core_group"].status == "met"
    assert steps["first_review"].due_on == date(2024, 8, 3) and steps["first_review"].status == "due"


def test_reviews_every_six_months_from_the_last():
    steps = _steps(strategy_discussion_on=date(2023, 11, 1), initial_conference_on=date(2023, 11, 30),
                   core_group_on=date(2023, 12, 5), first_review_on=date(2024, 2, 29), last_review_on=date(2024, 8, 31),
                   today=date(2025, 3, 1))
    assert steps["first_review"].due_on == date(2024, 2, 29) and steps["first_review"].status == "met"
    assert steps["next_review"].due_on == date(2025, 2, 28) and steps["next_review"].status == "overdue"


def test_closed_case_steps_not_held():
    steps = schedule.steps(CaseDates(date(2024, 3, 21), None, None, None, None, closed=True), date(2024, 6, 1))
    assert steps[0].status == "not_held" and schedule.next_step(steps) is None


def test_every_review_is_judged_against_the_one_before():
    reviews = (date(2024, 2, 20), date(2024, 9, 2), date(2025, 2, 28))
    steps = _steps(strategy_discussion_on=date(2023, 11, 1), initial_conference_on=date(2023, 11, 30),
                   core_group_on=date(2023, 12, 5), first_review_on=reviews[0], last_review_on=reviews[-1],
                   today=date(2025, 3, 1), reviews=reviews)
    assert [k for k in steps if "review" in k] == ["first_review", "review_2", "review_3", "next_review"]
    assert steps["review_2"].due_on == date(2024, 8, 20) and steps["review_2"].status == "late"
    assert steps["review_3"].due_on == date(2025, 3, 2) and steps["review_3"].status == "met"
    assert steps["review_2"].rule_id == steps["review_3"].rule_id == "cp.subsequent_reviews"
    assert steps["next_review"].due_on == date(2025, 8, 28)
    # without the list, the first and latest reviews stand for it (records from before migration 0007)
    legacy = _steps(strategy_discussion_on=date(2023, 11, 1), initial_conference_on=date(2023, 11, 30),
                    first_review_on=reviews[0], last_review_on=reviews[-1], today=date(2025, 3, 1))
    assert [k for k in legacy if "review" in k] == ["first_review", "review_2", "next_review"]
