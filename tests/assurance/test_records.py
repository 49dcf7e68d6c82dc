"""The audits over records in the database: rates force-wide and per division with the failing
records, the backlog as at a date (the DVO backlog service's own measure), the spread between
divisions, and reproducible samples; no records gives empty rates, not errors."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from beacon import config
from beacon.assurance import child_protection as cp
from beacon.assurance import domestic_abuse as da
from beacon.cases.domestic_abuse import service as da_service
from tests.assurance import helpers as h

UTC = timezone.utc
SETTINGS = config.defaults()
SINCE, UNTIL = datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
MON = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)          # Monday 5 October 2026: reviews due by the end of 12 October
ON_TIME, LATE = datetime(2026, 10, 12, 20, 0, tzinfo=UTC), datetime(2026, 10, 14, 9, 0, tzinfo=UTC)


@pytest.fixture
def da_records(world, sessions, partners):
    A, B = world.divisions["A"], world.divisions["B"]
    ids = {
        "a_high": h.form(sessions, A, MON, level="high", reviewed_at=ON_TIME),
        "b_high": h.form(sessions, B, MON, level="high"),
        "a_children": h.form(sessions, A, MON, children=2, reviewed_at=LATE),
        "a_children_unreferred": h.form(sessions, A, MON, children=1, reviewed_at=ON_TIME),
        "b_judged": h.form(sessions, B, MON, judged="high", reviewed_at=ON_TIME),
        "replaced": h.form(sessions, A, MON),
        "before": h.form(sessions, A, datetime(2026, 3, 2, tzinfo=UTC)),      # before the period, still waiting
    }
    ids["reassessment"] = h.form(sessions, A, MON + timedelta(days=1), supersedes_id=ids["replaced"], reviewed_at=ON_TIME)
    h.marac_referral(sessions, ids["a_high"], MON)
    h.child_referral(sessions, A, partners.csc["A"], MON, sent_at=MON, risk_form_id=ids["a_children"])
    ids["log_da"] = h.log(sessions, A, "L1", MON, "domestic", "Argument.")
    ids["log_missed"] = h.log(sessions, B, "L2", MON, "public_order", "Shouting at her husband in the street.")
    ids["log_other"] = h.log(sessions, B, "L3", MON, "public_order", "Noise complaint.")
    return ids


def test_domestic_abuse_rates_force_wide_and_by_division(world, sessions, da_records):
    ids, A, B = da_records, str(world.divisions["A"]), str(world.divisions["B"])
    with sessions() as s:
        result = da.compliance(s, SINCE, UNTIL, SETTINGS, NOW).to_json()
    assert result["forms"] == 7
    r = result["rates"]
    assert (r[da.REVIEW]["met"], r[da.REVIEW]["applicable"]) == (4, 6)           # "replaced" not counted
    assert set(r[da.REVIEW]["failing"]) == {ids["b_high"], ids["a_children"]}
    assert (r[da.MARAC]["met"], r[da.MARAC]["applicable"], r[da.MARAC]["failing"]) == (1, 3, sorted([ids["b_high"], ids["b_judged"]]))
    assert r[da.MARAC_AVAILABLE]["failing"] == sorted([ids["b_high"], ids["b_judged"]])  # B has no MARAC
    assert r[da.CHILDREN]["failing"] == [ids["a_children_unreferred"]]
    assert (r[da.LOG_CLOSURE]["met"], r[da.LOG_CLOSURE]["applicable"], r[da.LOG_CLOSURE]["failing"]) == (1, 2, [ids["log_missed"]])
    assert result["marac_divisions"] == {A: True, B: False}
    assert result["by_division"][B][da.MARAC] == {"applicable": 2, "met": 0, "rate": 0.0}
    assert result["by_division"][A][da.REVIEW] == {"applicable": 4, "met": 3, "rate": 0.75}
    assert result["spread"][da.MARAC]["lowest_division"] == B
    # the children's referral was sent and never acknowledged: the follow-up the report found missing
    assert (result["child_referrals"]["made"], result["child_referrals"]["never_acknowledged"]) == (1, 1)


def test_marac_audit_counts_escalation_and_repeat_as_the_referral_does(world, sessions, partners):
    """A standard-risk form is still a MARAC case when the call-outs reach the force's threshold
    (default 3 in 12 months) or when it is a repeat within 12 months of the last referral."""
    A = world.divisions["A"]
    escalating = h.victim_callouts(sessions, A, [MON - timedelta(days=d) for d in (20, 90, 200)], "ESC")
    quiet = h.victim_callouts(sessions, A, [MON - timedelta(days=d) for d in (20, 400)], "QUIET")
    ids = {"escalation": h.form(sessions, A, MON, victim_id=escalating),
           "below_threshold": h.form(sessions, A, MON, victim_id=quiet)}
    earlier = h.form(sessions, A, datetime(2026, 1, 10, tzinfo=UTC), level="high")
    h.marac_referral(sessions, earlier, datetime(2026, 1, 12, tzinfo=UTC))
    with sessions() as s:
        from beacon.cases.domestic_abuse.models import RiskForm
        repeat_victim = s.get(RiskForm, earlier).victim_id
    ids["repeat"] = h.form(sessions, A, MON, victim_id=repeat_victim)
    with sessions() as s:
        result = da.compliance(s, SINCE, UNTIL, SETTINGS, NOW).to_json()
        facts = {f.id: f for f in da._facts(s, SINCE, UNTIL, SETTINGS)}
        # the audit finds each form's criteria exactly as the referral screen does
        for fid in ids.values():
            form = s.get(RiskForm, fid)
            assert list(facts[fid].marac_criteria) == da_service.criteria_for(s, SETTINGS, form).met, fid
    assert facts[ids["escalation"]].marac_criteria == ("potential_escalation",)
    assert facts[ids["repeat"]].marac_criteria == ("repeat",)
    assert facts[ids["below_threshold"]].marac_criteria == ()
    marac = result["rates"][da.MARAC]
    assert set(marac["failing"]) == {ids["escalation"], ids["repeat"]} and ids["below_threshold"] not in marac["failing"]
    with sessions() as s:
        sample = da.file_sample(s, SINCE, UNTIL, 10, 7, SETTINGS, NOW).to_json()
    details = {c["record_id"]: c["details"][da.MARAC] for c in sample["cases"]}
    assert details[ids["escalation"]] == "potential escalation: not referred"


def test_backlog_as_at_a_date_is_the_dvo_backlog_with_its_forms(world, sessions, da_records):
    ids = da_records
    as_of = datetime(2026, 10, 13, 12, 0, tzinfo=UTC)
    with sessions() as s:
        backlog = da.backlog(s, as_of).to_json()
        service = {str(b.division_id): b.unreviewed for b in da_service.backlog(s, as_of)}
    assert {d: row["unreviewed"] for d, row in backlog["by_division"].items()} == service
    A, B = str(world.divisions["A"]), str(world.divisions["B"])
    assert sorted(backlog["by_division"][A]["ids"]) == sorted([ids["a_children"], ids["before"]])
    assert backlog["by_division"][B]["ids"] == [ids["b_high"]]
    assert backlog["total"] == 3 and backlog["by_division"][A]["oldest_completed_at"].startswith("2026-03-02")


def test_domestic_abuse_sample_is_reproducible(sessions, da_records):
    with sessions() as s:
        one = da.file_sample(s, SINCE, UNTIL, 3, 11, SETTINGS, NOW).to_json()
        two = da.file_sample(s, SINCE, UNTIL, 3, 11, SETTINGS, NOW).to_json()
        every = da.file_sample(s, SINCE, UNTIL, 100, 11, SETTINGS, NOW).to_json()
    assert one == two and one["population"] == 7 and one["n"] == 3
    assert len(every["cases"]) == 7 and every["rates"][da.REVIEW]["met"] == 4


@pytest.fixture
def cp_records(world, sessions, partners):
    A, B = world.divisions["A"], world.divisions["B"]
    sent = datetime(2026, 10, 2, 14, 0, tzinfo=UTC)                     # Friday: due by the end of Monday 5 October
    ids = {
        "ack": h.child_referral(sessions, A, partners.csc["A"], sent, sent_at=sent,
                                acknowledged_at=datetime(2026, 10, 5, 21, 0, tzinfo=UTC)),
        "late": h.child_referral(sessions, B, partners.csc["B"], sent, sent_at=sent,
                                 acknowledged_at=datetime(2026, 10, 6, 9, 0, tzinfo=UTC)),
        "never": h.child_referral(sessions, B, partners.csc["B"], sent, sent_at=sent),
        "unsent": h.child_referral(sessions, A, partners.csc["A"], sent),
    }
    ok, missing = h.factors(), h.factors(missing=("disability",))
    unreasoned = h.factors(discounted={"age-under-two": ""})
    ids["a1"] = h.child_case(sessions, A, sent, joint=True, criteria=("sexual-abuse",), decisions=(ok,),
                             strategy=date(2026, 10, 5), s47=date(2026, 10, 5), conference=date(2026, 10, 20),
                             referral_id=ids["ack"])
    ids["a2"] = h.child_case(sessions, A, sent, joint=False, decisions=(ok,))
    ids["b1"] = h.child_case(sessions, B, sent, joint=False, criteria=("serious-neglect",), decisions=(missing,))
    ids["b2"] = h.child_case(sessions, B, sent, joint=True, criteria=("offence-against-child",), decisions=(unreasoned,),
                             strategy=date(2026, 10, 5), s47=date(2026, 10, 5))
    ids["log"] = h.log(sessions, A, "C1", sent, "concern", "The children were left alone all night.")
    return ids


def test_child_protection_rates_spread_and_never_acknowledged(world, sessions, cp_records):
    ids, A, B = cp_records, str(world.divisions["A"]), str(world.divisions["B"])
    with sessions() as s:
        result = cp.compliance(s, SINCE, UNTIL, SETTINGS, NOW).to_json()
    assert (result["referrals"], result["decisions"], result["cases"]) == (4, 4, 4)
    r = result["rates"]
    assert (r[cp.ACKNOWLEDGED]["met"], r[cp.ACKNOWLEDGED]["applicable"]) == (1, 4)
    assert result["never_acknowledged"]["ids"] == [ids["never"]] and result["never_sent"]["ids"] == [ids["unsent"]]
    assert result["never_acknowledged"]["by_division"] == {B: 1}
    assert (r[cp.CONSIDERED]["met"], r[cp.CONSIDERED]["applicable"]) == (3, 4)
    assert (r[cp.REASONS]["met"], r[cp.REASONS]["applicable"]) == (0, 1)
    assert r[cp.JOINT]["failing"] == [ids["b1"]]
    assert result["by_division"][A][cp.JOINT]["rate"] == 1.0 and result["by_division"][B][cp.JOINT]["rate"] == 0.5
    spread = result["spread"][cp.JOINT]
    assert (spread["highest_division"], spread["lowest_division"], spread["spread"]) == (A, B, 0.5)
    assert (r[cp.CONFERENCE]["met"], r[cp.CONFERENCE]["failing"]) == (1, [ids["b2"]])   # b2: open, no conference, overdue
    assert r[cp.LOG_CLOSURE]["failing"] == [ids["log"]]


def test_every_review_conference_is_audited_against_its_own_clock(world, sessions, partners):
    A = world.divisions["A"]
    opened = datetime(2026, 4, 2, 10, 0, tzinfo=UTC)
    conference = date(2026, 4, 20)                       # first review due 20 July, the next 6 months after each
    ids = {"kept": h.child_case(sessions, A, opened, conference=conference, reviews=(date(2026, 7, 10),)),
           "late_first": h.child_case(sessions, A, opened, conference=conference, reviews=(date(2026, 7, 30),)),
           "none_held": h.child_case(sessions, A, opened, conference=conference),            # overdue since 20 July
           "closed": h.child_case(sessions, A, opened, conference=conference, status="closed"),
           "no_conference": h.child_case(sessions, A, opened)}
    with sessions() as s:
        result = cp.compliance(s, SINCE, UNTIL, SETTINGS, NOW).to_json()
    reviews = result["rates"][cp.REVIEWS]
    assert (reviews["met"], reviews["applicable"]) == (1, 3)
    assert reviews["failing"] == sorted([ids["late_first"], ids["none_held"]])
    with sessions() as s:
        sample = cp.file_sample(s, SINCE, UNTIL, 10, 3, SETTINGS, NOW).to_json()
    details = {c["record_id"]: c["details"][cp.REVIEWS] for c in sample["cases"]}
    assert details[ids["late_first"]] == "first review conference late (due 2026-07-20)"
    assert details[ids["none_held"]] == "first review conference overdue (due 2026-07-20)"


def test_child_protection_sample_checks_each_case_and_is_reproducible(sessions, cp_records):
    with sessions() as s:
        one = cp.file_sample(s, SINCE, UNTIL, 2, 5, SETTINGS, NOW).to_json()
        assert one == cp.file_sample(s, SINCE, UNTIL, 2, 5, SETTINGS, NOW).to_json()
        every = cp.file_sample(s, SINCE, UNTIL, 10, 5, SETTINGS, NOW).to_json()
    assert one["population"] == 4 and len(one["cases"]) == 2
    by_id = {c["record_id"]: c["checks"] for c in every["cases"]}
    assert by_id[cp_records["a1"]] == {cp.JOINT: True, cp.CONFERENCE: True, cp.CONSIDERED: True, cp.REASONS: None,
                                       cp.ACKNOWLEDGED: True, cp.REVIEWS: None}   # first review not yet due
    assert by_id[cp_records["b1"]][cp.CONSIDERED] is False and by_id[cp_records["b2"]][cp.REASONS] is False


def test_no_records_gives_empty_rates_not_errors(world, sessions):
    with sessions() as s:
        dv = da.compliance(s, SINCE, UNTIL, SETTINGS, NOW).to_json()
        ca = cp.compliance(s, SINCE, UNTIL, SETTINGS, NOW).to_json()
        samples = (da.file_sample(s, SINCE, UNTIL, 5, 1, SETTINGS, NOW).to_json(), cp.file_sample(s, SINCE, UNTIL, 5, 1, SETTINGS, NOW).to_json())
    assert all(r["rate"] is None and r["applicable"] == 0 for r in dv["rates"].values())
    assert all(r["rate"] is None for r in ca["rates"].values()) and set(ca["rates"]) == set(cp.TITLES)
    assert dv["backlog"]["total"] == 0 and dv["spread"] == {} and ca["never_acknowledged"]["total"] == 0
    assert all(s["cases"] == [] and s["population"] == 0 for s in samples)
