"""What would change a grade: every route, applied, moves the grade the way it says; a bound
criterion's record counts, applied to its audit, make it met; and the live grade's pure parts."""
from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from beacon.assurance.results import AuditResult, Brief, RuleRate
from beacon.inspection import live
from beacon.inspection import what_would_change as wwc
from beacon.inspection.binding import LOWEST_DIVISION, Binding, BoundThresholds, Measure, propose
from beacon.inspection.grading import Thresholds, grade
from beacon.inspection.types import Grade, Result, grade_rank
from tests.inspection.test_grading import FW, T

M, P, N, E = Result.MET, Result.PARTLY_MET, Result.NOT_MET, Result.NOT_EVIDENCED
RULE = "cp.audit.joint_decisions_consistent"
BT = BoundThresholds(0.85, 0.70, 20)


def _grade(results, beacon=False, innovation=False):
    return grade(FW, results, beacon=beacon, innovation_evaluated=innovation, thresholds=T).grade


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([M, P, N, E]), min_size=len(FW.criteria), max_size=len(FW.criteria)),
       st.booleans(), st.booleans())
def test_every_route_applied_moves_the_grade_as_it_says(draw, beacon, innovation):
    results = {c.id: r for c, r in zip(FW.criteria, draw)}
    before = _grade(results, beacon, innovation)
    found = wwc.routes(FW, results, beacon=beacon, innovation_evaluated=innovation, thresholds=T)
    for direction, route in found.items():
        if route is None:
            continue
        applied = {**results, **{c.criterion_id: c.after for c in route.changes}}
        after = _grade(applied, beacon, innovation)
        assert after is route.grade_after and route.grade_before is before
        moved = grade_rank(after) - grade_rank(before)
        assert (moved > 0) if direction == wwc.UP else (moved < 0)
        for alternative in route.alternatives:      # each alternative alone moves it too
            alone = _grade({**results, alternative: route.changes[0].after}, beacon, innovation)
            assert (grade_rank(alone) > grade_rank(before)) == (direction == wwc.UP)
    if before in (Grade.POOR, None):     # nothing is below Poor, and Not evidenced is no grade
        assert found[wwc.DOWN] is None


def test_a_single_criterion_is_the_nearest_route_when_one_is_enough():
    results = {c.id: M for c in FW.criteria}
    results["s3"] = P                       # one significant Fair partly met: provisional Fair
    up = wwc.routes(FW, results, beacon=False, innovation_evaluated=False, thresholds=T)[wwc.UP]
    assert up is not None and [c.criterion_id for c in up.changes] == ["s3"] and up.grade_after is Grade.GOOD


def _audit(divisions: dict[str, tuple[int, int]]) -> AuditResult:
    met = sum(m for m, _ in divisions.values())
    applicable = sum(a for _, a in divisions.values())
    return AuditResult(rates={RULE: RuleRate(RULE, "Joint decisions", applicable, met)},
                       by_division={d: {RULE: Brief(a, m)} for d, (m, a) in divisions.items()})


def test_the_records_needed_in_each_division_make_the_criterion_met_when_applied():
    binding = Binding("ca.f.x", (Measure("cp.compliance", RULE, LOWEST_DIVISION),))
    divisions = {"1": (95, 100), "2": (70, 100), "3": (131, 195), "4": (3, 10)}
    audit = {"cp.compliance": _audit(divisions)}
    assert propose(binding, audit, BT).result is N
    short = wwc.shortfalls(binding, audit, BT)
    assert {s.division: s.more for s in short} == {"1": 0, "2": 15, "3": 35}   # 4 has too few records to count
    fixed = {d: (m + next((s.more for s in short if s.division == d), 0), a) for d, (m, a) in divisions.items()}
    assert propose(binding, {"cp.compliance": _audit(fixed)}, BT).result is M
    one_short = dict(fixed, **{"3": (fixed["3"][0] - 1, 195)})
    assert propose(binding, {"cp.compliance": _audit(one_short)}, BT).result is P


def test_the_records_that_would_lose_met_are_the_fewest_in_one_place():
    binding = Binding("ca.f.x", (Measure("cp.compliance", RULE, LOWEST_DIVISION),))
    divisions = {"1": (95, 100), "2": (90, 100)}
    short = wwc.shortfalls(binding, {"cp.compliance": _audit(divisions)}, BT)
    nearest = wwc._needed(short, wwc.DOWN)
    assert [(s.division, s.fewer) for s in nearest] == [("2", 6)]       # 84 of 100 is below 85%
    fewer = {"1": (95, 100), "2": (90 - 6, 100)}
    assert propose(binding, {"cp.compliance": _audit(fewer)}, BT).result is P


def test_the_rolling_window_ends_with_the_month():
    assert live.window(date(2007, 3, 1), 12) == (date(2006, 4, 1), date(2007, 4, 1))
    assert live.window(date(2007, 3, 17), 1) == (date(2007, 3, 1), date(2007, 4, 1))
    assert live.months_between(date(2006, 11, 5), date(2007, 2, 1)) == [
        date(2006, 11, 1), date(2006, 12, 1), date(2007, 1, 1), date(2007, 2, 1)]


def test_a_live_grade_takes_bound_results_from_records_and_the_rest_from_the_inspection():
    from beacon.inspection.types import Criterion, Framework, Level, Standard
    bound = Criterion("s0", "fw", Standard.RISK, Level.FAIR, "bound", True, False,
                      binding=Binding("s0", (Measure("cp.compliance", RULE),)))
    other = Criterion("s1", "fw", Standard.RISK, Level.FAIR, "judged", True, False)
    never = Criterion("g0", "fw", Standard.RISK, Level.GOOD, "never assessed")
    fw = Framework("fw", "Test", "programmed", "Test", criteria=(bound, other, never))
    proposal = propose(bound.binding, {"cp.compliance": _audit({"1": (90, 100)})}, BT)
    carried = {"s0": live.Carried(N, 7, date(2007, 7, 9)), "s1": live.Carried(M, 7, date(2007, 7, 9))}
    got = live.grade_month(fw, date(2007, 3, 1), 12, {"s0": proposal}, carried, beacon=False,
                           innovation_evaluated=False, thresholds=Thresholds())
    assert got.criteria["s0"].source == live.RECORDS and got.criteria["s0"].result is M   # records beat the old result
    assert got.criteria["s1"].source == live.INSPECTION and got.criteria["s1"].carried.inspection_id == 7
    assert got.criteria["g0"].source == live.NONE and got.criteria["g0"].result is E
    assert got.period_start == date(2006, 4, 1) and got.grade is Grade.FAIR
    again = live.LiveCriterion.from_json("s0", got.criteria["s0"].to_json())
    assert again.result is M and again.proposal == proposal
    assert [m.criterion_id for m in live.moved({"s0": N, "s1": M, "g0": E}, got.criteria)] == ["s0"]
    assert live.fell([Grade.GOOD, Grade.FAIR]) and not live.fell([Grade.FAIR, Grade.GOOD])
