"""Missing-person rules at their boundaries."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from beacon import config
from beacon.cases.missing_persons import rules
from beacon.cases.missing_persons.models import RiskGrade

S = config.defaults()
T0 = datetime(2007, 3, 25, 0, 30, tzinfo=timezone.utc)  # the night the clocks went forward
H = timedelta(hours=1)


def grades(*changes):
    return [rules.GradeChange(T0 + offset, grade, why) for offset, grade, why in changes]


@pytest.mark.parametrize("grade,hours", [(RiskGrade.HIGH, 2), (RiskGrade.MEDIUM, 8), (RiskGrade.LOW, 24),
                                         (RiskGrade.ABSENT_FROM_CARE, 24)])
def test_review_due_after_the_interval_for_the_grade(grade, hours):
    assert rules.next_review_due(T0, None, grade, S) == T0 + hours * H
    assert rules.next_review_due(T0, T0 + 5 * H, grade, S) == T0 + (5 + hours) * H


def test_intervals_are_settings():
    custom = {**S, "mp.review_interval_hours.high": 1}
    assert rules.next_review_due(T0, None, RiskGrade.HIGH, custom) == T0 + H


def test_a_review_exactly_on_time_is_on_time_and_a_second_late_is_late():
    g = grades((timedelta(0), RiskGrade.HIGH, "child"))
    assert rules.review_gaps(T0, T0 + 2 * H, g, [T0 + 2 * H], S) == []
    late = rules.review_gaps(T0, T0 + 3 * H, g, [T0 + 2 * H + timedelta(seconds=1)], S)
    assert late[0] == (T0 + 2 * H, T0 + 2 * H + timedelta(seconds=1))


def test_closure_before_the_first_review_was_due_needs_no_review():
    g = grades((timedelta(0), RiskGrade.LOW, "adult"))
    assert rules.review_gaps(T0, T0 + 23 * H, g, [], S) == []
    assert len(rules.review_gaps(T0, T0 + 25 * H, g, [], S)) == 1


def test_the_interval_follows_the_grade_in_force_at_the_start_of_each_stretch():
    g = grades((timedelta(0), RiskGrade.LOW, "adult"), (3 * H, RiskGrade.HIGH, "threat made"))
    # reviewed at 4h (within low's 24h); from then the grade is high, so the next is due at 6h
    assert rules.review_gaps(T0, T0 + 5 * H, g, [T0 + 4 * H], S) == []
    assert rules.review_gaps(T0, T0 + 7 * H, g, [T0 + 4 * H], S) == [(T0 + 6 * H, T0 + 7 * H)]


def check(name, checks):
    return next(c for c in checks if c.rule_id == name)


def base(**kw):
    args = dict(reported_at=T0, closed_at=T0 + 30 * H, now=T0 + 100 * H, is_child=True,
                grades=grades((timedelta(0), RiskGrade.MEDIUM, "known to services")),
                reviews=[T0 + 8 * H, T0 + 16 * H, T0 + 24 * H], pnc_circulated_at=T0 + 47 * H,
                return_interview_offered_at=T0 + 101 * H, settings=S)
    args.update(kw)
    return rules.compliance(**args)


def test_pnc_within_48_hours_boundary():
    assert check("mp.pnc_circulation", base(pnc_circulated_at=T0 + 48 * H)).met
    assert not check("mp.pnc_circulation", base(pnc_circulated_at=T0 + 48 * H + timedelta(seconds=1))).met
    found_quickly = base(closed_at=T0 + 10 * H, pnc_circulated_at=None, reviews=[T0 + 8 * H])
    assert not check("mp.pnc_circulation", found_quickly).applies
    still_open_not_due = base(closed_at=None, now=T0 + 10 * H, pnc_circulated_at=None, reviews=[T0 + 8 * H])
    assert not check("mp.pnc_circulation", still_open_not_due).applies


def test_return_interview_within_72_hours_for_children_only():
    assert check("mp.return_interview", base(return_interview_offered_at=T0 + 102 * H)).met
    assert not check("mp.return_interview", base(return_interview_offered_at=T0 + 102 * H + timedelta(minutes=1))).met
    assert not check("mp.return_interview", base(return_interview_offered_at=None)).met
    assert not check("mp.return_interview", base(is_child=False)).applies


def test_missing_rationale_is_found():
    g = grades((timedelta(0), RiskGrade.MEDIUM, "reason"), (2 * H, RiskGrade.HIGH, "  "))
    assert not check("mp.risk_grades", base(grades=g)).met


def test_repeats_count_people_and_places_in_the_window():
    e = lambda rid, pid, loc, days: rules.Episode(rid, pid, loc, T0 - timedelta(days=days))  # noqa: E731
    episodes = [e(1, 10, 100, 1), e(2, 10, 100, 2), e(3, 11, 100, 3), e(4, 12, 200, 4), e(5, 10, 100, 400)]
    result = rules.repeats(episodes, since=T0 - timedelta(days=365), threshold=3)
    assert result.persons == [(10, 2)]
    assert result.locations == [(100, 3)]
    assert rules.repeats(episodes, since=T0 - timedelta(days=365), threshold=4).locations == []
