"""The DASH instrument as data, its scoring and banding, professional judgement and MARAC criteria."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from beacon import config
from beacon import rules as registry
from beacon.cases.domestic_abuse import instrument as inst
from beacon.cases.domestic_abuse import rules
from beacon.cases.domestic_abuse.instrument import LEVELS, InstrumentError

UTC = timezone.utc
BST = timezone(timedelta(hours=1))
DASH = inst.instruments()["dash-2009"]
DV1 = inst.instruments()["gwent-dv1-2007"]
SCORED = [q.id for q in DASH.scored_questions]
THRESHOLD = config.SETTINGS_BY_NAME["da.marac_escalation_callouts"].default \
    if "da.marac_escalation_callouts" in config.SETTINGS_BY_NAME else 3


def yes_to(n: int) -> dict[str, bool]:
    """A complete DASH form with ``n`` "yes" answers."""
    return {qid: i < n for i, qid in enumerate(SCORED)}


# --- the shipped instruments ----------------------------------------------------------------

def test_both_instruments_are_shipped_by_id():
    shipped = inst.instruments()
    assert set(shipped) == {"dash-2009", "gwent-dv1-2007"}
    shipped.clear()
    assert set(inst.instruments()) == {"dash-2009", "gwent-dv1-2007"}


def test_dash_has_24_scored_questions_and_the_cited_bands():
    on = DASH.effective_from
    assert DASH.max_score == len(SCORED) == registry.get("da.dash_score", on).value == 24
    assert len(set(q.id for q in DASH.questions)) == len(DASH.questions)
    bands = [(b.level, b.min_score, DASH.max_score if b.max_score is None else b.max_score) for b in DASH.bands]
    assert tuple(bands) == registry.get("da.dash_bands", on).value
    high = next(b for b in DASH.bands if b.level == "high")
    assert high.min_score == registry.get("da.marac_visible_high_risk", on).value == 14
    assert "paraphrase" in DASH.source and "SafeLives" in DASH.source


def test_the_three_police_dash_children_questions_are_recorded_but_not_scored():
    supplementary = [q.id for q in DASH.questions if q.supplementary]
    assert supplementary == ["children_not_abusers", "abuser_hurt_children", "abuser_threatened_children"]
    s = inst.score(DASH, {**yes_to(0), **{qid: True for qid in supplementary}})
    assert s.value == 0 and s.supplementary_yes == tuple(supplementary)


def test_dv1_is_labelled_illustrative():
    assert DV1.max_score == 10
    assert "not publish" in DV1.source and "illustrat" in DV1.source.lower()


# --- scoring and bands ----------------------------------------------------------------------

@pytest.mark.parametrize(("yes", "expected"), [
    (0, "standard"), (9, "standard"), (10, "medium"), (13, "medium"), (14, "high"), (24, "high"),
])
def test_dash_level_at_every_band_boundary(yes, expected):
    s = inst.score(DASH, yes_to(yes))
    assert (s.value, s.max_score, s.unanswered_count, s.complete) == (yes, 24, 0, True)
    assert inst.level(DASH, s) == expected
    assert inst.level(DASH, yes) == expected


def test_unknown_question_is_rejected_by_name():
    with pytest.raises(ValueError, match="'bruises'"):
        inst.score(DASH, {**yes_to(3), "bruises": True})
    with pytest.raises(ValueError, match="'strangulation'|'threats_to_kill'"):
        inst.score(DV1, {"threats_to_kill": True})  # a DASH question on the DV1


def test_unanswered_questions_are_counted_listed_and_not_scored_as_yes():
    answers = yes_to(14)
    answers[SCORED[0]] = None          # explicitly unanswered
    del answers[SCORED[-1]]            # absent
    s = inst.score(DASH, answers)
    assert s.value == 13
    assert s.unanswered == (SCORED[0], SCORED[-1])
    assert s.unanswered_count == 2 and not s.complete
    assert inst.level(DASH, s) == "medium"
    empty = inst.score(DASH, {})
    assert (empty.value, empty.unanswered_count) == (0, 24)
    assert inst.level(DASH, empty) == "standard"


@pytest.mark.parametrize("bad", ["yes", 1, 0])
def test_answers_must_be_true_false_or_none(bad):
    with pytest.raises(TypeError, match=SCORED[2]):
        inst.score(DASH, {SCORED[2]: bad})


def test_level_refuses_out_of_range_scores_and_foreign_scores():
    with pytest.raises(ValueError, match="25"):
        inst.level(DASH, 25)
    with pytest.raises(ValueError):
        inst.level(DASH, -1)
    with pytest.raises(TypeError):
        inst.level(DASH, True)
    with pytest.raises(ValueError, match="gwent-dv1-2007"):
        inst.level(DASH, inst.score(DV1, {}))


def test_dv1_scores_the_same_concerns_differently_from_dash():
    # One set of concerns: injured; very frightened of further violence; separated this year;
    # abuse more frequent and worse; threats to kill and a weapon used; strangled; pregnant;
    # abuser misuses alcohol; known to the police.
    dash_answers = {qid: False for qid in SCORED} | {
        "current_injury": True, "very_frightened": True, "afraid_of": True, "separation": True,
        "more_often": True, "getting_worse": True, "threats_to_kill": True, "weapons_objects": True,
        "strangulation": True, "pregnancy": True, "substance_mental_health": True, "criminal_history": True,
    }
    dv1_answers = {q.id: False for q in DV1.questions} | {
        "injury": True, "afraid": True, "separated": True, "escalation": True, "threats_or_weapons": True,
        "strangulation": True, "pregnancy": True, "alcohol_drugs": True, "previous_incidents": True,
    }
    dash, dv1 = inst.score(DASH, dash_answers), inst.score(DV1, dv1_answers)
    assert (dash.value, dash.max_score, inst.level(DASH, dash)) == (12, 24, "medium")
    assert (dv1.value, dv1.max_score, inst.level(DV1, dv1)) == (9, 10, "high")


@pytest.mark.parametrize(("yes", "expected"), [(0, "standard"), (3, "standard"), (4, "medium"),
                                               (6, "medium"), (7, "high"), (10, "high")])
def test_dv1_bands(yes, expected):
    assert inst.level(DV1, yes) == expected


answer_values = st.sampled_from([True, False, None])


@given(st.lists(answer_values, min_size=len(DASH.questions), max_size=len(DASH.questions)),
       st.integers(0, len(DASH.questions) - 1))
def test_score_and_level_are_monotone_in_yes_answers(values, flip):
    ids = [q.id for q in DASH.questions]
    before = dict(zip(ids, values))
    after = before | {ids[flip]: True}
    s0, s1 = inst.score(DASH, before), inst.score(DASH, after)
    assert s0.value <= s1.value <= s0.value + 1
    assert LEVELS.index(inst.level(DASH, s0)) <= LEVELS.index(inst.level(DASH, s1))


# --- loader rejections ----------------------------------------------------------------------

def base() -> dict:
    return {
        "id": "test-form", "title": "Test form", "version": "1", "source": "Tests",
        "effective_from": date(2009, 3, 1),
        "questions": [{"id": "a", "text": "A?"}, {"id": "b", "text": "B?", "help": "Bee"},
                      {"id": "c", "text": "C?"}],
        "scoring": "count_yes",
        "bands": [{"level": "standard", "min_score": 0, "max_score": 1},
                  {"level": "high", "min_score": 2, "max_score": None}],
    }


def write(tmp_path, data) -> object:
    path = tmp_path / "form.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return path


def test_a_valid_instrument_loads(tmp_path):
    form = inst.load_instrument(write(tmp_path, base()))
    assert form.max_score == 3 and inst.level(form, 1) == "standard" and inst.level(form, 3) == "high"


def test_shipped_files_load_through_the_loader():
    for inst_id, form in inst.instruments().items():
        assert inst.load_instrument(inst.INSTRUMENTS_DIR / f"{inst_id}.yaml") == form


def bands(*rows):
    return [{"level": lv, "min_score": lo, "max_score": hi} for lv, lo, hi in rows]


@pytest.mark.parametrize(("change", "message"), [
    ({"bands": bands(("standard", 0, 1), ("high", 1, None))}, "overlaps"),
    ({"bands": bands(("standard", 0, 2), ("high", 1, 3))}, "overlaps"),
    ({"bands": bands(("standard", 0, 0), ("high", 2, None))}, "in no band"),
    ({"bands": bands(("standard", 1, 1), ("high", 2, None))}, "in no band"),
    ({"bands": bands(("standard", 0, 1), ("high", 2, 2))}, "in no band"),
    ({"bands": bands(("standard", 0, 1), ("high", 2, 5))}, "above the highest"),
    ({"bands": bands(("standard", 0, 1), ("high", 4, None))}, "in no band"),
    ({"bands": bands(("standard", 0, None), ("high", 2, 3))}, "only the last band"),
    ({"bands": bands(("high", 0, 1), ("standard", 2, None))}, "standard, medium, high"),
    ({"bands": bands(("standard", 0, 1), ("standard", 2, None))}, "standard, medium, high"),
    ({"bands": bands(("standard", 0, 1), ("severe", 2, None))}, "level"),
    ({"bands": bands(("standard", 2, 1), ("high", 2, None))}, "below min_score"),
    ({"bands": []}, "bands"),
    ({"questions": [{"id": "a", "text": "A?"}, {"id": "a", "text": "Again?"}]}, "duplicate question id 'a'"),
    ({"questions": [{"id": "a", "text": "A?", "supplementary": True}]}, "nothing is scored"),
    ({"questions": [{"id": "a", "text": "A?", "supplementary": "yes"}]}, "supplementary"),
    ({"questions": [{"id": "A b", "text": "A?"}]}, "id"),
    ({"questions": []}, "questions"),
    ({"notes": "extra"}, "notes"),
    ({"questions": [{"id": "a", "text": "A?", "weight": 2}]}, "weight"),
    ({"bands": [{"level": "standard", "min_score": 0, "max_score": None, "colour": "green"}]}, "colour"),
    ({"scoring": "weighted"}, "scoring"),
    ({"version": 1}, "version"),
    ({"effective_from": "soon"}, "effective_from"),
])
def test_loader_rejects_bad_instruments(tmp_path, change, message):
    data = base() | change
    path = write(tmp_path, data)
    with pytest.raises(InstrumentError, match=message) as exc:
        inst.load_instrument(path)
    assert str(path) in str(exc.value)


@pytest.mark.parametrize("key", ["id", "title", "version", "source", "effective_from", "questions", "scoring", "bands"])
def test_loader_requires_every_key(tmp_path, key):
    data = base()
    del data[key]
    with pytest.raises(InstrumentError, match=key):
        inst.load_instrument(write(tmp_path, data))


@pytest.mark.parametrize("text", ["- just\n- a list\n", "id: [unclosed\n", ""])
def test_loader_rejects_files_that_are_not_a_mapping(tmp_path, text):
    with pytest.raises(InstrumentError):
        inst.load_instrument(write(tmp_path, text))


def test_loader_reports_a_missing_file(tmp_path):
    with pytest.raises(InstrumentError, match="cannot read"):
        inst.load_instrument(tmp_path / "absent.yaml")


# --- professional judgement -----------------------------------------------------------------

def test_judgement_may_raise_with_a_reason():
    assert rules.final_level("medium", "high", "escalating stalking since separation") == "high"
    assert rules.final_level("standard", "medium", "victim's fear") == "medium"


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_raise_needs_a_reason(reason):
    with pytest.raises(ValueError, match="reason"):
        rules.final_level("medium", "high", reason)


@pytest.mark.parametrize(("computed", "judged"), [("high", "medium"), ("high", "standard"), ("medium", "standard")])
def test_judgement_never_lowers(computed, judged):
    with pytest.raises(ValueError, match="judged"):
        rules.final_level(computed, judged, "the victim says it is fine")


def test_no_judgement_or_the_same_level_keeps_the_computed_level_without_a_reason():
    assert rules.final_level("high", None) == "high"
    assert rules.final_level("medium", "medium", "") == "medium"


def test_unknown_levels_are_rejected():
    with pytest.raises(ValueError, match="computed"):
        rules.final_level("very high", None)
    with pytest.raises(ValueError, match="judged"):
        rules.final_level("medium", "critical", "x")


@given(st.sampled_from(LEVELS), st.one_of(st.none(), st.sampled_from(LEVELS)),
       st.one_of(st.none(), st.text(max_size=5)))
def test_final_level_is_never_below_computed(computed, judged, reason):
    try:
        result = rules.final_level(computed, judged, reason)
    except ValueError:
        assert judged is not None and (LEVELS.index(judged) < LEVELS.index(computed)
                                       or not (reason or "").strip())
        return
    assert LEVELS.index(result) >= LEVELS.index(computed)
    assert result == (judged or computed)


# --- MARAC criteria -------------------------------------------------------------------------

INCIDENT = datetime(2009, 6, 15, 21, 0, tzinfo=BST)


def criteria(**kw):
    args = dict(level="standard", judged_raised=False, callouts_12m=0, escalation_threshold=THRESHOLD,
                last_referral_at=None, incident_at=INCIDENT)
    return rules.marac_criteria(**(args | kw))


def test_visible_high_risk_at_14_yes_not_13():
    assert criteria(level=inst.level(DASH, inst.score(DASH, yes_to(14)))) == ["visible_high_risk"]
    assert criteria(level=inst.level(DASH, inst.score(DASH, yes_to(13)))) == []


def test_professional_judgement_criterion_when_judgement_raises_to_high():
    final = rules.final_level("medium", "high", "threats to kill the children")
    assert criteria(level=final, judged_raised=True) == ["professional_judgement"]
    assert criteria(level=rules.final_level("standard", "medium", "fear"), judged_raised=True) == []
    with pytest.raises(ValueError, match="judged_raised"):
        criteria(level="standard", judged_raised=True)


def test_potential_escalation_at_exactly_the_threshold():
    assert THRESHOLD == 3
    assert criteria(callouts_12m=3) == ["potential_escalation"]
    assert criteria(callouts_12m=2) == []
    assert criteria(callouts_12m=4, escalation_threshold=5) == []
    assert criteria(callouts_12m=5, escalation_threshold=5) == ["potential_escalation"]
    with pytest.raises(ValueError, match="escalation_threshold"):
        criteria(escalation_threshold=0)
    with pytest.raises(ValueError, match="callouts_12m"):
        criteria(callouts_12m=-1)


def test_every_criterion_together_in_a_fixed_order():
    assert criteria(level="high", callouts_12m=3, last_referral_at=INCIDENT - timedelta(days=30)) == [
        "visible_high_risk", "potential_escalation", "repeat"]


def test_callouts_in_the_12_months_before_the_incident():
    at = INCIDENT  # 21:00 BST on 15 June 2009
    times = [
        datetime(2008, 6, 15, 0, 30, tzinfo=BST),   # 12 months to the day: counts
        datetime(2008, 6, 14, 23, 30, tzinfo=BST),  # a day more: does not
        datetime(2008, 6, 14, 23, 30, tzinfo=UTC),  # 00:30 BST on 15 June 2008: counts (local date)
        datetime(2009, 6, 15, 8, 0, tzinfo=BST),    # earlier the same day: counts
        at,                                         # the incident itself: not counted
        datetime(2009, 6, 16, 8, 0, tzinfo=BST),    # afterwards: not counted
    ]
    assert rules.callouts_in_window(times, at) == 3
    assert criteria(callouts_12m=rules.callouts_in_window(times, at)) == ["potential_escalation"]
    assert rules.callouts_in_window(times[:2], at) == 1
    assert rules.callouts_in_window([], at) == 0


@pytest.mark.parametrize(("callout", "at", "counted"), [
    (date(2008, 2, 29), date(2009, 2, 28), True),    # leap day: 12 months on is 28 February
    (date(2008, 2, 29), date(2009, 3, 1), False),
    (date(2008, 2, 28), date(2009, 2, 28), True),
    (date(2008, 2, 27), date(2009, 2, 28), False),
    (date(2007, 3, 1), date(2008, 2, 29), True),     # before a leap day the window starts 1 March
    (date(2007, 2, 28), date(2008, 2, 29), False),
    (date(2008, 8, 31), date(2009, 8, 31), True),    # month end
    (date(2008, 8, 31), date(2009, 9, 1), False),
])
def test_callout_window_at_leap_years_and_month_ends(callout, at, counted):
    t = datetime(callout.year, callout.month, callout.day, 12, 0, tzinfo=UTC)
    a = datetime(at.year, at.month, at.day, 12, 0, tzinfo=UTC)
    assert rules.callouts_in_window([t], a) == int(counted)


REFERRAL = datetime(2010, 5, 10, 14, 0, tzinfo=BST)


@pytest.mark.parametrize(("incident", "repeat"), [
    (datetime(2010, 5, 10, 18, 0, tzinfo=BST), True),    # later the same day
    (datetime(2011, 5, 10, 23, 0, tzinfo=BST), True),    # 12 months to the day
    (datetime(2011, 5, 11, 0, 10, tzinfo=BST), False),   # one day after (23:10 UTC on the 10th)
    (datetime(2011, 5, 11, 9, 0, tzinfo=BST), False),
    (datetime(2010, 5, 10, 9, 0, tzinfo=BST), False),    # before the referral: not a further incident
    (REFERRAL, False),
])
def test_repeat_within_12_months_of_the_last_referral(incident, repeat):
    assert ("repeat" in criteria(last_referral_at=REFERRAL, incident_at=incident)) is repeat


@pytest.mark.parametrize(("referral", "incident", "repeat"), [
    (date(2008, 2, 29), date(2009, 2, 28), True),
    (date(2008, 2, 29), date(2009, 3, 1), False),
    (date(2007, 2, 28), date(2008, 2, 28), True),
    (date(2007, 2, 28), date(2008, 2, 29), False),
    (date(2011, 2, 28), date(2012, 2, 28), True),
    (date(2011, 2, 28), date(2012, 2, 29), False),
    (date(2008, 1, 31), date(2009, 1, 31), True),
    (date(2008, 1, 31), date(2009, 2, 1), False),
])
def test_repeat_at_leap_years_and_month_ends(referral, incident, repeat):
    r = datetime(referral.year, referral.month, referral.day, 10, 0, tzinfo=UTC)
    i = datetime(incident.year, incident.month, incident.day, 10, 0, tzinfo=UTC)
    assert ("repeat" in criteria(last_referral_at=r, incident_at=i)) is repeat


def test_no_previous_referral_is_no_repeat_and_naive_times_are_refused():
    assert criteria(last_referral_at=None) == []
    with pytest.raises(ValueError, match="incident_at"):
        criteria(incident_at=datetime(2009, 6, 15, 21, 0))
    with pytest.raises(ValueError, match="last_referral_at"):
        criteria(last_referral_at=datetime(2009, 6, 1, 21, 0))
    with pytest.raises(ValueError, match=r"incident_times\[0\]"):
        rules.callouts_in_window([datetime(2009, 6, 1)], INCIDENT)


def test_marac_constants_match_the_cited_rules():
    on = date(2010, 1, 1)
    assert registry.get("da.marac_repeat", on).value == rules.REPEAT_MONTHS == 12
    assert registry.get("da.marac_benchmark", on).value == rules.MARAC_BENCHMARK_PER_10K == 40
    escalation = registry.get("da.marac_escalation", on)
    assert (escalation.setting, escalation.value) == ("da.marac_escalation_callouts", THRESHOLD)


# --- MARAC benchmark ------------------------------------------------------------------------

def test_rate_per_10k_adult_women():
    assert rules.marac_rate_per_10k(400, 100_000) == 40.0
    assert rules.marac_rate_per_10k(0, 100_000) == 0.0
    assert rules.marac_rate_per_10k(1, 3) == pytest.approx(3333.333, rel=1e-6)


def test_benchmark_gap():
    gap = rules.benchmark_gap(300, 100_000)
    assert (gap.rate_per_10k, gap.benchmark_per_10k, gap.difference_per_10k) == (30.0, 40.0, -10.0)
    assert (gap.expected, gap.shortfall, gap.below_benchmark) == (400.0, 100.0, True)
    over = rules.benchmark_gap(450, 100_000, benchmark=40)
    assert over.shortfall == -50.0 and not over.below_benchmark
    assert rules.benchmark_gap(400, 100_000).shortfall == 0 and not rules.benchmark_gap(400, 100_000).below_benchmark


@pytest.mark.parametrize(("referrals", "women", "benchmark"), [(1, 0, 40), (-1, 10, 40), (1, 10, 0)])
def test_benchmark_inputs_are_checked(referrals, women, benchmark):
    with pytest.raises(ValueError):
        rules.benchmark_gap(referrals, women, benchmark)
