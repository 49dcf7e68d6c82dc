"""Criteria bound to measures: the proposal at each threshold, not evidenced under the minimum,
the lowest division, several measures, the monotonic property, and the loader's refusals."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beacon import config
from beacon.assurance.results import AuditResult, Brief, RuleRate
from beacon.inspection import criteria, service
from beacon.inspection.binding import (
    LOWEST_DIVISION,
    Binding,
    BoundThresholds,
    Measure,
    more_to_meet,
    propose,
    result_of,
)
from beacon.inspection.types import Result

T = BoundThresholds(met_at=0.85, partly_at=0.70, minimum=20)
RULE = "mp.supervisory_review"


def audit(met: int, applicable: int, divisions: dict[str, tuple[int, int]] | None = None) -> AuditResult:
    return AuditResult(rates={RULE: RuleRate(RULE, "Supervisory review", applicable, met)},
                       by_division={d: {RULE: Brief(a, m)} for d, (m, a) in (divisions or {}).items()})


def bound(*measures: Measure, **thresholds) -> Binding:
    return Binding("mp.f.x", measures or (Measure("mp.compliance", RULE),), **thresholds)


@pytest.mark.parametrize("met, applicable, expected", [
    (85, 100, Result.MET), (84, 100, Result.PARTLY_MET), (70, 100, Result.PARTLY_MET), (69, 100, Result.NOT_MET),
    (0, 100, Result.NOT_MET), (20, 20, Result.MET), (19, 19, Result.NOT_EVIDENCED), (0, 0, Result.NOT_EVIDENCED),
])
def test_each_threshold_and_the_minimum(met, applicable, expected):
    assert result_of(met, applicable, T) is expected
    assert propose(bound(), {"mp.compliance": audit(met, applicable)}, T).result is expected


def test_a_binding_with_thresholds_of_its_own_uses_them_and_says_why():
    strict = bound(met_at=0.95, partly_at=0.90, reason="The criterion says every.")
    p = propose(strict, {"mp.compliance": audit(94, 100)}, T)
    assert p.result is Result.PARTLY_MET and p.thresholds.met_at == 0.95 and p.reason == "The criterion says every."
    assert propose(strict, {"mp.compliance": audit(89, 100)}, T).result is Result.NOT_MET


def test_the_lowest_division_is_read_and_divisions_under_the_minimum_are_left_out():
    lowest = bound(Measure("mp.compliance", RULE, LOWEST_DIVISION))
    result = audit(280, 300, {"1": (99, 100), "2": (100, 100), "3": (60, 100), "4": (1, 10)})
    p = propose(lowest, {"mp.compliance": result}, T)
    assert p.result is Result.NOT_MET and p.figures[0].division == "3"
    assert p.figures[0].to_met == 25          # 85 of 100 needed in division 3
    only_small = audit(5, 10, {"1": (1, 5), "2": (4, 5)})
    assert propose(lowest, {"mp.compliance": only_small}, T).result is Result.NOT_EVIDENCED


def test_several_measures_take_the_worst_and_a_missing_audit_is_not_evidenced():
    two = bound(Measure("mp.compliance", RULE), Measure("da.compliance", "da.audit.review_on_time"))
    other = AuditResult(rates={"da.audit.review_on_time": RuleRate("da.audit.review_on_time", "", 100, 75)})
    assert propose(two, {"mp.compliance": audit(99, 100), "da.compliance": other}, T).result is Result.PARTLY_MET
    assert propose(two, {"mp.compliance": audit(99, 100)}, T).result is Result.NOT_EVIDENCED
    assert propose(two, {"mp.compliance": audit(10, 100)}, T).result is Result.NOT_MET


def test_more_to_meet_is_exactly_enough():
    for met, applicable in ((0, 100), (84, 100), (7468, 8605), (1, 3)):
        need = more_to_meet(met, applicable, 0.95)
        assert result_of(met + need, applicable, BoundThresholds(0.95, 0.9, 1)) is Result.MET
        if need:
            assert result_of(met + need - 1, applicable, BoundThresholds(0.95, 0.9, 1)) is not Result.MET


ORDER = [Result.NOT_EVIDENCED, Result.NOT_MET, Result.PARTLY_MET, Result.MET]


@given(applicable=st.integers(0, 500), met=st.integers(0, 500), more=st.integers(0, 500),
       met_at=st.floats(0.05, 1), partly_share=st.floats(0, 1), minimum=st.integers(1, 50))
def test_more_records_meeting_the_rule_never_lower_the_proposal(applicable, met, more, met_at, partly_share, minimum):
    met = min(met, applicable)
    better = min(applicable, met + more)
    t = BoundThresholds(met_at, met_at * partly_share, minimum)
    assert ORDER.index(result_of(better, applicable, t)) >= ORDER.index(result_of(met, applicable, t))


def test_the_settings_refuse_partly_above_met():
    settings = {**config.defaults(), "grading.bound.partly_at": 0.9, "grading.bound.met_at": 0.8}
    with pytest.raises(ValueError, match="partly_at"):
        BoundThresholds.from_settings(settings)


def test_the_2007_library_binds_the_criteria_records_can_evidence():
    lib = service.library("hmic-2007")
    bound_ids = {c.id for f in lib.frameworks for c in f.criteria if c.binding}
    assert bound_ids == {"mp.f.risk-assessed-at-report", "mp.f.high-risk-supervised-to-criteria",
                         "dv.f.risk-forms-processed-promptly", "ca.f.referral-safeguards",
                         "ca.f.joint-investigation-criteria", "ca.f.risk-factors-recorded",
                         "ca.f.units-operate-consistently"}
    for f in lib.frameworks:
        for c in f.criteria:
            if c.binding and (c.binding.met_at or c.binding.partly_at):
                assert c.binding.reason, c.id


# --- the loader -------------------------------------------------------------------------------

LIBRARY = """\
id: test-lib
title: Test
version: "1.0.0"
effective_from: "2006-04-01"
schema: 1
frameworks:
  - id: missing_persons
    prefix: mp
    title: Missing persons
    kind: programmed
    area: PVP
    graded: {graded}
    criteria:
      - id: mp.f.one
        level: fair
        significant: true
        standard: policy_implementation
        text: A thing.
        typical_evidence: [Policy]
        source: The report.
{binding}
      - id: mp.g.two
        level: good
        standard: training
        text: Another thing.
        typical_evidence: [Records]
        source: The report.
"""


def _problems(tmp_path: Path, binding: str, graded: str = "true") -> list[str]:
    path = tmp_path / "lib.yaml"
    path.write_text(LIBRARY.format(binding=binding, graded=graded), encoding="utf-8")
    return criteria.check(path)


def test_a_sound_binding_loads(tmp_path):
    text = "        measures:\n          - {audit: mp.compliance, rule: mp.risk_grades}"
    assert _problems(tmp_path, text) == []
    lib = criteria.load_library(tmp_path / "lib.yaml")
    assert lib.framework("missing_persons").criteria[0].binding.measures[0].rule_id == "mp.risk_grades"


@pytest.mark.parametrize("binding, graded, expected", [
    ("        measures:\n          - {audit: mp.compliance, rule: mp.nonsense}", "true",
     "measures[0].rule: 'mp.nonsense' is not a rule mp.compliance counts"),
    ("        measures:\n          - {audit: xx.compliance, rule: mp.risk_grades}", "true",
     "measures[0].audit: 'xx.compliance' is not an audit"),
    ("        measures:\n          - {audit: cp.compliance, rule: cp.audit.log_closure}", "true",
     "is evidence for the child_abuse framework, not missing_persons"),
    ("        measures:\n          - {audit: mp.compliance, rule: mp.risk_grades, statistic: median}", "true",
     "'median' is not one of rate, lowest_division"),
    ("        measures:\n          - {audit: mp.compliance, rule: mp.risk_grades}\n"
     "        thresholds: {met_at: 1.5, reason: Because.}", "true", "out of range"),
    ("        measures:\n          - {audit: mp.compliance, rule: mp.risk_grades}\n"
     "        thresholds: {met_at: 0.8, partly_at: 0.9, reason: Because.}", "true", "partly met must start below met"),
    ("        measures:\n          - {audit: mp.compliance, rule: mp.risk_grades}\n"
     "        thresholds: {met_at: 0.9}", "true", "thresholds.reason: required field is missing"),
    ("        thresholds: {met_at: 0.9, reason: Because.}", "true", "thresholds without measures"),
    ("        measures:\n          - {audit: mp.compliance, rule: mp.risk_grades}", "false", "is not graded"),
])
def test_bad_bindings_are_refused_naming_the_path(tmp_path, binding, graded, expected):
    problems = _problems(tmp_path, binding, graded)
    assert any(expected in p and "frameworks[0].criteria[0]" in p for p in problems), problems
