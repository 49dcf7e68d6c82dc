"""The audit rules as pure functions, at their boundaries."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from beacon import config, rules
from beacon.assurance import child_protection as cp
from beacon.assurance import domestic_abuse as da
from beacon.assurance.closure import closure_check
from beacon.assurance.compliance import spread
from beacon.assurance.results import Brief
from beacon.cases.child_protection.agreement import agreement
from tests.assurance.helpers import FACTORS, factors

UTC, LONDON = timezone.utc, ZoneInfo("Europe/London")
SETTINGS = config.defaults()
# Completed Monday 5 March 2007 (GMT): 5 working days later is Monday 12 March; due by its end.
COMPLETED = datetime(2007, 3, 5, 12, 0, tzinfo=UTC)
DUE = datetime(2007, 3, 12, 23, 59, 59, 999999, tzinfo=UTC)
LATER = datetime(2026, 1, 1, tzinfo=UTC)


def test_every_audit_rule_is_registered_with_a_source():
    for rule_id in (da.REVIEW, da.BACKLOG, da.MARAC, da.MARAC_AVAILABLE, da.CHILDREN, da.LOG_CLOSURE,
                    cp.ACKNOWLEDGED, cp.CONSIDERED, cp.REASONS, cp.JOINT, cp.CONFERENCE, cp.REVIEWS, cp.LOG_CLOSURE):
        rule = rules.get(rule_id, date(2007, 3, 31))
        assert rule.source and rule.summary, rule_id
    assert rules.get(da.REVIEW, date(2007, 3, 31)).setting == "da.review_working_days"
    assert config.SETTINGS_BY_NAME["da.review_working_days"].default == 5


def test_review_exactly_at_the_limit_is_on_time_and_a_day_over_is_late():
    assert da.review_due(COMPLETED, SETTINGS) == DUE
    assert da.review_check(COMPLETED, DUE, None, LATER, SETTINGS).met
    late = da.review_check(COMPLETED, datetime(2007, 3, 13, 23, 0, tzinfo=UTC), None, LATER, SETTINGS)
    assert late.applies and not late.met and late.detail == "reviewed late"


def test_review_period_is_the_force_setting_and_counts_working_days():
    one_day = {**SETTINGS, "da.review_working_days": 1}
    friday = datetime(2007, 4, 5, 15, 0, tzinfo=UTC)           # Thursday before Easter: Good Friday, Easter Monday
    assert da.review_due(friday, one_day).astimezone(LONDON).date() == date(2007, 4, 10)


def test_unreviewed_form_counts_once_due_and_not_if_replaced_in_time():
    before = da.review_check(COMPLETED, None, None, datetime(2007, 3, 12, 12, tzinfo=UTC), SETTINGS)
    assert not before.applies and before.detail == "not due yet"
    overdue = da.review_check(COMPLETED, None, None, datetime(2007, 3, 13, tzinfo=UTC), SETTINGS)
    assert overdue.applies and not overdue.met and overdue.detail == "not reviewed"
    replaced = da.review_check(COMPLETED, None, datetime(2007, 3, 8, tzinfo=UTC), LATER, SETTINGS)
    assert not replaced.applies


def test_backlog_as_at_a_moment():
    as_of = datetime(2007, 3, 31, 22, 59, tzinfo=UTC)
    assert da.in_backlog(COMPLETED, None, None, as_of)
    assert da.in_backlog(COMPLETED, datetime(2007, 4, 2, tzinfo=UTC), None, as_of)      # reviewed later: still waiting then
    assert not da.in_backlog(COMPLETED, datetime(2007, 3, 30, tzinfo=UTC), None, as_of)
    assert not da.in_backlog(COMPLETED, None, datetime(2007, 3, 20, tzinfo=UTC), as_of)  # replaced by a reassessment
    assert not da.in_backlog(datetime(2007, 4, 1, tzinfo=UTC), None, None, as_of)


def test_marac_referral_and_availability_on_every_criterion():
    assert not da.marac_check([], False).applies and not da.marac_available_check([], False).applies
    assert da.marac_check(["visible_high_risk"], True).met
    missed = da.marac_check(["professional_judgement"], False)
    assert missed.applies and not missed.met and missed.detail == "professional judgement: not referred"
    both = da.marac_check(["potential_escalation", "repeat"], False)
    assert both.applies and "potential escalation" in both.detail and "repeat" in both.detail
    assert not da.marac_available_check(["repeat"], False).met and da.marac_available_check(["repeat"], True).met
    assert not da.children_check(0, False).applies and not da.children_check(2, False).met


def test_log_closure_applies_to_logs_closed_as_the_kind_or_suggested():
    assert closure_check("domestic", "domestic", None).met
    suggested = closure_check("domestic", "other", "domestic")
    assert suggested.applies and not suggested.met
    assert not closure_check("domestic", "other", "child_protection").applies
    assert not closure_check("child_protection", "other", None).applies


# Friday 25 May 2007, 16:00 BST; Monday 28 May is the spring bank holiday: due by the end of Tuesday 29 May.
SENT = datetime(2007, 5, 25, 15, 0, tzinfo=UTC)
ACK_DUE = datetime(2007, 5, 29, 23, 59, 59, tzinfo=LONDON)


def test_acknowledgement_at_the_working_day_boundary_over_a_weekend_and_bank_holiday():
    assert cp.acknowledgement_check(SENT, SENT, ACK_DUE, LATER).met
    late = cp.acknowledgement_check(SENT, SENT, datetime(2007, 5, 30, 8, 0, tzinfo=LONDON), LATER)
    assert late.applies and not late.met and late.detail == "acknowledged late"


def test_never_acknowledged_and_never_sent_fail_once_due():
    waiting = cp.acknowledgement_check(SENT, SENT, None, datetime(2007, 5, 29, 12, tzinfo=UTC))
    assert not waiting.applies
    never = cp.acknowledgement_check(SENT, SENT, None, datetime(2007, 5, 30, tzinfo=UTC))
    assert never.applies and not never.met and never.detail == "never acknowledged"
    unsent = cp.acknowledgement_check(SENT, None, None, LATER)
    assert unsent.applies and not unsent.met and unsent.detail == "never sent"


def test_every_factor_considered_and_discounts_reasoned():
    considered, reasons = cp.factor_checks(factors(), FACTORS)
    assert considered.met and not reasons.applies
    considered, _ = cp.factor_checks(factors(missing=("disability",)), FACTORS)
    assert not considered.met and considered.detail == "not considered: disability"
    _, reasons = cp.factor_checks(factors(discounted={"age-under-two": "   "}), FACTORS)
    assert reasons.applies and not reasons.met and "age-under-two" in reasons.detail
    _, reasons = cp.factor_checks(factors(discounted={"age-under-two": "The child is nine."}), FACTORS)
    assert reasons.met
    assert not cp.factor_checks("not json", FACTORS)[0].met


def test_joint_decision_consistent_with_the_agreed_criteria():
    agreed = agreement()
    assert cp.joint_check(True, '["sexual-abuse"]', agreed).met
    assert cp.joint_check(False, "[]", agreed).met
    assert not cp.joint_check(False, '["sexual-abuse"]', agreed).met
    assert not cp.joint_check(True, "[]", agreed).met
    unknown = cp.joint_check(True, '["made-up"]', agreed)
    assert unknown.applies and not unknown.met and "made-up" in unknown.detail
    assert not cp.joint_check(None, "[]", agreed).applies


def test_initial_conference_within_15_working_days_of_the_strategy_discussion():
    strategy = date(2007, 3, 1)                                       # due Thursday 22 March 2007
    assert cp.conference_check(strategy, strategy, date(2007, 3, 22), True, date(2007, 6, 1)).met
    assert not cp.conference_check(strategy, strategy, date(2007, 3, 23), True, date(2007, 6, 1)).met
    missing = cp.conference_check(strategy, strategy, None, True, date(2007, 3, 23))
    assert missing.applies and not missing.met
    assert not cp.conference_check(strategy, strategy, None, True, date(2007, 3, 22)).applies
    assert not cp.conference_check(strategy, strategy, None, False, date(2007, 6, 1)).applies
    assert not cp.conference_check(None, None, None, True, date(2007, 6, 1)).applies


def test_spread_between_divisions():
    divisions = {"1": {cp.JOINT: Brief(4, 4)}, "2": {cp.JOINT: Brief(4, 1)}, "3": {cp.JOINT: Brief(0, 0)}}
    out = spread(divisions)[cp.JOINT].to_json()
    assert (out["lowest_division"], out["highest_division"], out["divisions"]) == ("2", "1", 2)
    assert out["spread"] == pytest.approx(0.75)
    assert spread({}) == {}


def test_reviews_each_against_the_one_before():
    conference, today = date(2024, 1, 10), date(2025, 3, 1)   # first due 10 April 2024, then 6 months after each
    on_time = cp.reviews_check(conference, (date(2024, 4, 8), date(2024, 10, 1), date(2025, 2, 20)), True, today)
    assert on_time.applies and on_time.met and on_time.detail == "3 review(s) on time"
    second_late = cp.reviews_check(conference, (date(2024, 4, 8), date(2024, 10, 20)), False, today)
    assert second_late.applies and not second_late.met and second_late.detail.startswith("review conference 2 late")
    overdue = cp.reviews_check(conference, (date(2024, 4, 8),), True, today)   # next due 8 October 2024
    assert not overdue.met and "next review conference overdue" in overdue.detail
    closed = cp.reviews_check(conference, (date(2024, 4, 8),), False, today)
    assert closed.applies and closed.met           # a closed case is judged on the reviews it held
    assert not cp.reviews_check(None, (), True, today).applies
    assert not cp.reviews_check(date(2025, 2, 1), (), True, today).applies                    # first not due yet


def test_every_missing_person_check_is_a_row_of_the_audit_table():
    """A check the missing-person compliance makes is one row of assurance.missing_persons.RULES
    (the record it counts and its page), registered with a source, as the other areas' are."""
    from beacon.assurance import missing_persons as mp
    from beacon.cases.missing_persons.models import RiskGrade
    from beacon.cases.missing_persons.rules import GradeChange, compliance

    checks = compliance(reported_at=COMPLETED, closed_at=None, now=LATER, is_child=True,
                        grades=[GradeChange(COMPLETED, RiskGrade.HIGH, "")], reviews=[], pnc_circulated_at=None,
                        return_interview_offered_at=None, settings=SETTINGS)
    assert {c.rule_id for c in checks} == {r.id for r in mp.RULES}
    for r in mp.RULES:
        assert rules.get(r.id, date(2007, 3, 31)).source and r.record_page.format(1) == "/missing-persons/1"


def test_the_marac_criteria_are_one_table_of_registered_rules():
    from beacon.cases.domestic_abuse import rules as da_rules
    from beacon.cases.domestic_abuse import service as da_service

    assert da_rules.CRITERIA == tuple(c.id for c in da_rules.MARAC_CRITERIA)
    assert da_service.CRITERION_LABELS is da_rules.CRITERION_LABELS
    from beacon.rules import registry

    for c in da_rules.MARAC_CRITERIA:
        assert registry.versions(c.rule_id)[-1].source, c.id
