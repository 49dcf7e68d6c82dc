"""The grading rules at every boundary of every threshold, and their properties."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from beacon.inspection.grading import GradeDecision, Thresholds, grade
from beacon.inspection.types import Criterion, Framework, Grade, Level, Result, Standard, grade_rank

M, P, N, E, A = Result.MET, Result.PARTLY_MET, Result.NOT_MET, Result.NOT_EVIDENCED, Result.NOT_APPLICABLE


def crit(cid, level, significant=False, dominant=False):
    return Criterion(cid, "fw", Standard.RISK, level, f"criterion {cid}", significant, dominant)


# 8 significant Fair (one dominant), 4 other Fair, 10 Good, 2 Excellent
SIG = [crit(f"s{i}", Level.FAIR, True, dominant=(i == 0)) for i in range(8)]
FAIR = [crit(f"f{i}", Level.FAIR) for i in range(4)]
GOOD = [crit(f"g{i}", Level.GOOD) for i in range(10)]
EXC = [crit(f"e{i}", Level.EXCELLENT) for i in range(2)]
FW = Framework("fw", "Test framework", "programmed", "Test", criteria=tuple(SIG + FAIR + GOOD + EXC))
T = Thresholds()  # most 0.6 → 6 of 10; vast majority 0.85 → 9 of 10; significant number 0.25 of 8 → 2


def results(sig=M, fair=M, good_met=0, overrides=None):
    out = {c.id: sig for c in SIG} | {c.id: fair for c in FAIR}
    out |= {c.id: (M if i < good_met else N) for i, c in enumerate(GOOD)}
    out |= {c.id: M for c in EXC}
    out |= overrides or {}
    return out


def g(res, beacon=False, innovation=False, thresholds=T):
    return grade(FW, res, beacon=beacon, innovation_evaluated=innovation, thresholds=thresholds)


def test_dominant_criterion_not_met_alone_is_poor():
    d = g(results(good_met=10, overrides={"s0": N}), beacon=True, innovation=True)
    assert d.grade is Grade.POOR and not d.provisional and d.deciding == ("s0",)


def test_poor_on_a_dominant_criterion_still_names_the_other_failures():
    d = g(results(overrides={"s0": N, "s3": N, "s5": P}))
    assert d.deciding == ("s0", "s3") and "s3" in d.reasons[1]


def test_dominant_partly_met_goes_to_moderation():
    d = g(results(good_met=10, overrides={"s0": P}))
    assert d.needs_moderation and any("Dominant" in m for m in d.moderation)


def test_poor_at_the_significant_number_and_provisional_just_below():
    two = g(results(good_met=10, overrides={"s1": N, "s2": N}))
    assert two.grade is Grade.POOR and not two.provisional
    one = g(results(good_met=10, overrides={"s1": N}))
    assert one.grade is Grade.POOR and one.provisional and one.moderation
    partly = g(results(good_met=10, overrides={"s1": P}))
    assert partly.grade is Grade.FAIR and partly.provisional



def test_a_significant_criterion_not_evidenced_leaves_no_grade():
    # the defect the issue found: no criterion assessed and no evidence gave Fair, which was published
    nothing = g({})
    assert nothing.grade is None and not nothing.evidenced and nothing.label == "Not evidenced"
    assert nothing.reasons[0].startswith("Not evidenced: 8 of 8 significant Fair criteria")
    unevidenced = g(results(good_met=10, overrides={"s1": E}))
    assert unevidenced.grade is None and unevidenced.deciding == ("s1",) and not unevidenced.moderation
    # evidence that the force is well short still makes it Poor, whatever is not evidenced
    assert g(results(good_met=10, overrides={"s1": N, "s2": N, "s3": E})).grade is Grade.POOR
    assert g(results(good_met=10, overrides={"s0": N, "s3": E})).grade is Grade.POOR       # dominant
    # an unevidenced Good or Excellent criterion only counts as not met
    assert g(results(good_met=6, overrides={"g9": E})).grade is Grade.GOOD
    # one JSON round trip keeps "no grade"
    assert GradeDecision.from_json(unevidenced.to_json()) == unevidenced


def test_significant_number_scales_with_the_framework():
    # 0.5 of 8 significant criteria = 4 not met for Poor
    t = Thresholds(significant_number=0.5)
    assert g(results(overrides={"s1": N, "s2": N, "s3": N}), thresholds=t).provisional
    assert g(results(overrides={"s1": N, "s2": N, "s3": N, "s4": N}), thresholds=t).grade is Grade.POOR


def test_fair_when_all_significant_met_but_another_fair_missed():
    d = g(results(fair=M, good_met=10, overrides={"f0": P}), beacon=True, innovation=True)
    assert d.grade is Grade.FAIR and not d.provisional and "f0" in d.deciding


def test_good_boundary_at_most():
    assert g(results(good_met=5)).grade is Grade.FAIR
    assert g(results(good_met=6)).grade is Grade.GOOD
    assert not g(results(good_met=6)).moderation  # made it: Good by the letter
    assert g(results(good_met=5)).moderation  # one short of Good: a moderator may lift it
    assert not g(results(good_met=7)).moderation
    assert not g(results(good_met=3)).moderation
    assert g(results(good_met=8)).moderation  # one short of the vast majority


def test_excellent_needs_vast_majority_beacon_and_innovation():
    assert g(results(good_met=9), beacon=True, innovation=True).grade is Grade.EXCELLENT
    assert g(results(good_met=8), beacon=True, innovation=True).grade is Grade.GOOD
    no_beacon = g(results(good_met=10), beacon=False, innovation=True)
    assert no_beacon.grade is Grade.GOOD and "beacon" in no_beacon.reasons[-1]
    assert g(results(good_met=10), beacon=True, innovation=False).grade is Grade.GOOD


def test_not_applicable_leaves_the_counts():
    res = results(good_met=6, overrides={"g9": A, "g8": A, "g7": A, "g6": A})  # 6 of 6 applicable Good
    d = g(res, beacon=True, innovation=True)
    assert d.good.applicable == 6 and d.grade is Grade.EXCELLENT


def test_missing_assessment_counts_as_not_evidenced():
    res = results(good_met=10)
    del res["s3"]
    assert g(res).grade is None


def test_every_grade_explains_itself():
    for res in (results(good_met=10), results(good_met=2), results(overrides={"s0": N})):
        d = g(res, beacon=True, innovation=True)
        assert d.reasons and all(isinstance(r, str) and r for r in d.reasons)


RESULT = st.sampled_from([M, P, N, E, A])
ALL = [c.id for c in FW.criteria]


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(ALL), RESULT), st.sampled_from(ALL), st.booleans(), st.booleans())
def test_meeting_one_more_criterion_never_lowers_the_grade(res, cid, beacon, innovation):
    before = g(res, beacon, innovation)
    after = g({**res, cid: M}, beacon, innovation)
    if after.grade is None:
        # Not evidenced is no grade, not a lower one: it follows only when the criterion met was
        # what made the force Poor, and other significant criteria have no evidence yet
        assert before.grade in (None, Grade.POOR)
    elif before.grade is not None:
        assert after.grade.rank >= before.grade.rank


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(ALL), RESULT), st.booleans(), st.booleans())
def test_failed_dominant_is_always_poor(res, beacon, innovation):
    assert g({**res, "s0": N}, beacon, innovation).grade is Grade.POOR


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(ALL), RESULT), st.booleans(), st.booleans())
def test_good_or_better_implies_every_applicable_fair_criterion_met(res, beacon, innovation):
    d = g(res, beacon, innovation)
    if grade_rank(d.grade) >= Grade.GOOD.rank:
        full = results() | res
        assert all(full.get(c.id, E) in (M, A) for c in SIG + FAIR)
        assert not d.provisional


def test_thresholds_come_from_settings():
    from beacon import config

    t = Thresholds.from_settings(config.defaults())
    assert (t.most, t.vast_majority, t.significant_number, t.significant_number_min) == (0.6, 0.85, 0.25, 2)


def test_national_distribution_and_peer_flags():
    from beacon.inspection.national import distribution, msf_flags

    triples = [(1, "mp", Grade.FAIR), (2, "mp", Grade.GOOD), (3, "mp", Grade.GOOD), (4, "mp", Grade.POOR)]
    assert distribution(triples)["mp"] == {Grade.EXCELLENT: 0, Grade.GOOD: 2, Grade.FAIR: 1, Grade.POOR: 1}
    grades = {1: {"mp": Grade.EXCELLENT}, 2: {"mp": Grade.FAIR}, 3: {"mp": Grade.FAIR}, 4: {"mp": Grade.GOOD}}
    flags = msf_flags(grades, {1: "x", 2: "x", 3: "x", 4: "y"}, gap=2)
    assert [(f.force_id, f.peers) for f in flags] == [(1, 2)]
    assert msf_flags(grades, {1: "x", 2: "x", 3: "x"}, gap=3) == []



def test_evidence_flags():
    from beacon.inspection.national import GradeRecord, evidence_flags

    flags = evidence_flags([GradeRecord(1, "mp", Grade.FAIR, False, Grade.GOOD),
                            GradeRecord(2, "mp", Grade.POOR, True, None),
                            GradeRecord(3, "mp", Grade.FAIR, True, Grade.FAIR),
                            GradeRecord(4, "mp", Grade.GOOD, False, None)])
    assert [(f.force_id, f.grade) for f in flags] == [(1, Grade.GOOD), (2, Grade.POOR)]
    assert "Moderated to Good" in flags[0].reason and "not moderated" in flags[1].reason
