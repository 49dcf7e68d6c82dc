"""The rule registry and the catalogue of published rules."""
from __future__ import annotations

from datetime import date, datetime

import pytest

import beacon.rules as rules
from beacon.rules import (
    Registry,
    Rule,
    RuleConflict,
    RuleNotInForce,
    UnknownRule,
    catalogue,
)


def _rule(effective_from: date, effective_to: date | None = None, *, rule_id: str = "x.rule", value=1) -> Rule:
    return Rule(rule_id, "Title", "Summary.", "Source", "s.1", effective_from, effective_to, value=value)


@pytest.fixture
def registry() -> Registry:
    reg = Registry()
    reg.register(_rule(date(2006, 4, 1), date(2010, 2, 28), value=7))
    reg.register(_rule(date(2010, 3, 1), date(2013, 4, 14), value=10))
    reg.register(_rule(date(2013, 4, 15), value=45))
    return reg


# --- Rule -------------------------------------------------------------------------------

def test_rule_rejects_end_before_start():
    with pytest.raises(ValueError, match="before effective_from"):
        _rule(date(2010, 1, 2), date(2010, 1, 1))


def test_rule_rejects_datetime_dates():
    with pytest.raises(TypeError, match="effective_from"):
        _rule(datetime(2010, 1, 1))


def test_rule_one_day_version_is_allowed():
    r = _rule(date(2010, 1, 1), date(2010, 1, 1))
    assert r.applies_on(date(2010, 1, 1))
    assert not r.applies_on(date(2010, 1, 2))


# --- lookup -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("on", "value"),
    [
        (date(2006, 4, 1), 7),
        (date(2010, 2, 28), 7),
        (date(2010, 3, 1), 10),
        (date(2013, 4, 14), 10),
        (date(2013, 4, 15), 45),
        (date(2099, 1, 1), 45),
    ],
)
def test_get_finds_the_version_in_force_on_both_sides_of_each_boundary(registry, on, value):
    assert registry.get("x.rule", on).value == value


def test_get_before_first_version_raises_rule_not_in_force(registry):
    with pytest.raises(RuleNotInForce, match=r"'x\.rule' is not in force on 2006-03-31") as info:
        registry.get("x.rule", date(2006, 3, 31))
    assert isinstance(info.value, LookupError)
    assert "2006-04-01 to 2010-02-28" in str(info.value)


def test_get_after_a_retired_rule_raises():
    reg = Registry()
    reg.register(_rule(date(2006, 4, 3), date(2013, 12, 9)))
    assert reg.get("x.rule", date(2013, 12, 9))
    with pytest.raises(RuleNotInForce):
        reg.get("x.rule", date(2013, 12, 10))


def test_unknown_rule_is_a_key_error_with_a_clear_message(registry):
    with pytest.raises(UnknownRule) as info:
        registry.get("no.such", date(2020, 1, 1))
    assert isinstance(info.value, KeyError) and isinstance(info.value, LookupError)
    assert str(info.value) == "no rule with id 'no.such' is registered"
    with pytest.raises(UnknownRule):
        registry.versions("no.such")


def test_get_refuses_a_datetime(registry):
    with pytest.raises(TypeError, match="local date"):
        registry.get("x.rule", datetime(2020, 1, 1))


def test_versions_are_oldest_first_even_if_registered_out_of_order():
    reg = Registry()
    reg.register(_rule(date(2013, 4, 15), value=45))
    reg.register(_rule(date(2006, 4, 1), date(2010, 2, 28), value=7))
    assert [r.value for r in reg.versions("x.rule")] == [7, 45]
    with pytest.raises(RuleNotInForce):  # the gap between versions
        reg.get("x.rule", date(2011, 1, 1))


def test_all_rules_sorted_by_id_then_date_and_in_force(registry):
    registry.register(_rule(date(2000, 1, 1), rule_id="a.rule"))
    assert [(r.id, r.value) for r in registry.all_rules()] == [
        ("a.rule", 1), ("x.rule", 7), ("x.rule", 10), ("x.rule", 45)
    ]
    assert [(r.id, r.value) for r in registry.in_force(date(2011, 6, 1))] == [("a.rule", 1), ("x.rule", 10)]
    assert [r.id for r in registry.in_force(date(1999, 12, 31))] == []


# --- registration conflicts -------------------------------------------------------------

def test_registering_the_same_rule_twice_is_a_no_op(registry):
    registry.register(_rule(date(2013, 4, 15), value=45))
    assert len(registry.versions("x.rule")) == 3


def test_duplicate_start_date_with_different_content_is_rejected(registry):
    with pytest.raises(RuleConflict, match="already starts on 2013-04-15"):
        registry.register(_rule(date(2013, 4, 15), value=46))


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2010, 2, 28), date(2010, 2, 28)),   # touches the last day of the first version
        (date(2005, 1, 1), date(2006, 4, 1)),     # ends on the first day of the first version
        (date(2008, 1, 1), date(2009, 1, 1)),     # nested inside a version
        (date(2000, 1, 1), None),                 # open-ended, covering everything
        (date(2020, 1, 1), None),                 # inside the open-ended latest version
    ],
)
def test_overlapping_versions_are_rejected(registry, start, end):
    with pytest.raises(RuleConflict, match="overlaps"):
        registry.register(_rule(start, end, value=99))
    assert len(registry.versions("x.rule")) == 3


def test_adjacent_versions_are_accepted():
    reg = Registry()
    reg.register(_rule(date(2006, 4, 1), date(2010, 2, 28)))
    reg.register(_rule(date(2005, 1, 1), date(2006, 3, 31), value=2))
    assert len(reg.versions("x.rule")) == 2


def test_register_rejects_non_rules():
    with pytest.raises(TypeError):
        Registry().register({"id": "x"})  # type: ignore[arg-type]


# --- the catalogue ----------------------------------------------------------------------

REQUIRED_IDS = {
    "mp.risk_grades", "mp.pnc_circulation", "mp.return_interview", "mp.supervisory_review",
    "mp.repeat_location",
    "da.dash_score", "da.dash_bands", "da.professional_judgement", "da.marac_visible_high_risk",
    "da.marac_escalation", "da.marac_repeat", "da.marac_benchmark",
    "cp.referral_acknowledgement", "cp.initial_assessment", "cp.initial_conference", "cp.first_review",
    "cp.subsequent_reviews", "cp.core_group",
    "pp.mappa_categories", "pp.mappa_levels", "pp.rosh_levels", "pp.initial_notification",
    "pp.change_notification", "pp.annual_notification", "pp.notification_periods",
    "pp.home_visit_frequency",
    "crime.ncrs_24h", "victims.code_2006_decision", "victims.code_2006_monthly_update",
}


def test_catalogue_registers_every_required_rule():
    assert REQUIRED_IDS <= {r.id for r in rules.all_rules()}


def test_register_all_is_idempotent():
    before = rules.all_rules()
    catalogue.register_all()
    catalogue.register_all()
    assert rules.all_rules() == before


def test_catalogue_loads_into_a_fresh_registry():
    reg = Registry()
    catalogue.register_all(reg)
    assert reg.all_rules() == rules.all_rules()


@pytest.mark.parametrize("rule", catalogue.RULES, ids=lambda r: f"{r.id}@{r.effective_from}")
def test_every_rule_is_cited_and_hashable(rule):
    assert rule.title and rule.summary.endswith((".", ".)"))
    assert rule.source
    hash(rule)  # values are tuples, so rules can be set members and cache keys


@pytest.mark.parametrize(
    ("rule_id", "on", "value", "setting"),
    [
        ("mp.pnc_circulation", date(2007, 6, 1), 48, "mp.pnc_circulation_hours"),
        ("mp.return_interview", date(2014, 1, 1), 72, "mp.return_interview_hours"),
        ("mp.supervisory_review", date(2007, 6, 1), None, "mp.review_interval_hours.*"),
        ("mp.repeat_location", date(2007, 6, 1), None, "mp.repeat_location_threshold"),
        ("da.marac_visible_high_risk", date(2010, 1, 1), 14, None),
        ("da.marac_escalation", date(2010, 1, 1), 3, "da.marac_escalation_callouts"),
        ("da.marac_repeat", date(2010, 1, 1), 12, None),
        ("da.marac_benchmark", date(2010, 1, 1), 40, None),
        ("cp.referral_acknowledgement", date(2007, 6, 1), 1, None),
        ("cp.initial_conference", date(2007, 6, 1), 15, None),
        ("cp.first_review", date(2007, 6, 1), 3, None),
        ("cp.subsequent_reviews", date(2007, 6, 1), 6, None),
        ("cp.core_group", date(2007, 6, 1), 10, None),
        ("pp.initial_notification", date(2007, 6, 1), 3, None),
        ("pp.home_visit_frequency", date(2007, 6, 1),
         (("very_high", 1), ("high", 3), ("medium", 6), ("low", 12)), "pp.home_visit_months.*"),
        ("crime.ncrs_24h", date(2007, 6, 1), 24, None),
        ("victims.code_2006_decision", date(2007, 6, 1), (("standard", 5), ("vulnerable_or_intimidated", 1)), None),
    ],
)
def test_catalogue_values_and_settings(rule_id, on, value, setting):
    rule = rules.get(rule_id, on)
    assert (rule.value, rule.setting) == (value, setting)


@pytest.mark.parametrize(
    ("on", "value"),
    [(date(2007, 10, 1), 7), (date(2010, 2, 28), 7), (date(2010, 3, 1), 10),
     (date(2013, 4, 14), 10), (date(2013, 4, 15), 45)],
)
def test_initial_assessment_follows_working_together_editions(on, value):
    assert rules.get("cp.initial_assessment", on).value == value


def test_initial_assessment_not_in_force_before_working_together_2006():
    with pytest.raises(RuleNotInForce):
        rules.get("cp.initial_assessment", date(2006, 3, 31))


def test_return_interview_was_good_practice_in_2007_and_72_hours_from_2014():
    in_2007 = rules.get("mp.return_interview", date(2007, 6, 1))
    assert in_2007.value is None and "good practice" in in_2007.summary
    assert rules.get("mp.return_interview", date(2013, 12, 31)) == in_2007
    assert "Department for Education" in rules.get("mp.return_interview", date(2014, 1, 1)).source


def test_victims_code_2006_retired_when_2013_code_began():
    assert rules.get("victims.code_2006_monthly_update", date(2013, 12, 9))
    with pytest.raises(RuleNotInForce):
        rules.get("victims.code_2006_monthly_update", date(2013, 12, 10))


def test_in_force_in_2007_covers_the_seed_year():
    ids = {r.id for r in rules.in_force(date(2007, 6, 1))}
    assert {"mp.pnc_circulation", "mp.return_interview", "cp.initial_assessment", "pp.initial_notification",
            "victims.code_2006_decision"} <= ids
    assert "da.dash_score" not in ids  # DASH came in 2009; the 2007 report uses the DV1 form


def test_force_settings_name_registered_rules():
    config = pytest.importorskip("beacon.config")
    for setting in getattr(config, "SETTINGS", ()):
        if setting.rule is not None:
            assert rules.versions(setting.rule), setting.name
