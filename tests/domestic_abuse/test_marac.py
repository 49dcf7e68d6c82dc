"""MARAC: referral on the published criteria (recorded), the DASH answers carried over, the
escalation threshold as a setting, repeats flagged, divisions without a MARAC, meetings and
actions, and the volume benchmark."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from beacon.access.unit_of_work import transaction
from beacon.cases.domestic_abuse import service
from beacon.cases.domestic_abuse.models import RiskForm
from beacon.settings_repo import load, save
from tests.domestic_abuse.helpers import add_incident, add_person, create_form
from tests.web.helpers import login, token


def refer(client, form, username="ppu.a", expect=201, **body):
    r = client.post(f"/api/v1/domestic-abuse/forms/{form['id']}/marac-referral", headers=token(client, username),
                    json={"version": form["version"], **body})
    assert r.status_code == expect, r.text
    return r.json()


def test_visible_high_risk_referral_carries_the_dash_answers(client, partners):
    form = create_form(client, yes=14)
    referral = refer(client, form)
    assert [c["id"] for c in referral["criteria"]] == ["visible_high_risk"]
    assert referral["marac_id"] == partners.marac["A"] and referral["no_marac_in_division"] is False
    assert referral["is_repeat"] is False
    assert referral["dash"] == form["answers"]  # carried, not re-typed
    assert client.get(f"/api/v1/domestic-abuse/forms/{form['id']}",
                      headers=token(client, "ppu.a")).json()["marac_referral_id"] == referral["id"]
    refer(client, form, expect=409)  # once only


def test_no_criterion_is_refused_unless_judgement_gives_a_reason(client, partners):
    form = create_form(client, yes=6)
    r = client.post(f"/api/v1/domestic-abuse/forms/{form['id']}/marac-referral", headers=token(client, "ppu.a"),
                    json={"version": form["version"]})
    assert r.status_code == 422 and "judgement_reason" in r.json()["errors"]
    referral = refer(client, form, judgement_reason="Victim disclosed a plan to leave; abuser has threatened to kill.")
    assert [c["id"] for c in referral["criteria"]] == ["professional_judgement"]
    after = client.get(f"/api/v1/domestic-abuse/forms/{form['id']}", headers=token(client, "ppu.a")).json()
    assert (after["computed_level"], after["judged_level"], after["final_level"]) == ("standard", "high", "high")


def test_only_the_ppu_refers(client, partners):
    form = create_form(client, yes=15)
    for username in ("officer.a", "supervisor.a", "analyst"):
        refer(client, form, username=username, expect=403)


def test_division_without_a_marac_is_visible(client, partners):
    form = create_form(client, username="officer.b", yes=16)
    referral = refer(client, form, username="ppu.b")
    assert referral["marac_id"] is None and referral["no_marac_in_division"] is True
    body = client.get(f"/api/v1/marac/divisions/{form['division_id']}", headers=token(client, "ppu.b")).json()
    assert body["no_marac_in_division"] is True and [r["id"] for r in body["referrals"]] == [referral["id"]]
    login(client, "ppu.b")
    page = client.get(f"/marac/divisions/{form['division_id']}")
    assert page.status_code == 200 and "No MARAC in this division" in page.text
    login(client, "analyst")
    index = client.get("/marac").text
    assert "Testport MARAC" in index and "No MARAC in this division" in index


@pytest.mark.parametrize("threshold,callouts,escalates", [(3, 3, True), (3, 2, False), (5, 3, False), (5, 5, True)])
def test_escalation_threshold_is_a_setting(client, partners, sessions, world, clock, threshold, callouts, escalates):
    with transaction(sessions) as s:
        save(s, "da.marac_escalation_callouts", str(threshold), "test")
    victim = add_person(sessions, "Esme", "Callout")
    for i in range(callouts):  # earlier call-outs in the last 12 months
        add_incident(sessions, world.divisions["A"], clock.now - timedelta(days=30 * (i + 1)), victim, f"LOG-{i}")
    add_incident(sessions, world.divisions["A"], clock.now - timedelta(days=400), victim, "LOG-OLD")  # too old
    today = add_incident(sessions, world.divisions["A"], clock.now - timedelta(hours=2), victim, "LOG-NOW")
    form = create_form(client, yes=4, victim=None, victim_id=victim, incident_id=today)
    ids = [c["id"] for c in form["marac_criteria"]]
    assert ("potential_escalation" in ids) is escalates
    if escalates:
        detail = next(c["detail"] for c in form["marac_criteria"] if c["id"] == "potential_escalation")
        assert f"{callouts} police call-outs" in detail and f"threshold {threshold}" in detail
        assert [c["id"] for c in refer(client, form)["criteria"]] == ["potential_escalation"]
    else:
        refer(client, form, expect=422)


def test_earlier_forms_count_as_callouts(client, partners, clock, sessions):
    first = create_form(client, yes=2)
    for days in (60, 30):
        clock.now += timedelta(days=days)
        form = create_form(client, yes=2, victim=None, victim_id=first["victim_id"])
    assert [c["id"] for c in form["marac_criteria"]] == []  # two earlier call-outs: below 3
    clock.now += timedelta(days=10)
    form = create_form(client, yes=2, victim=None, victim_id=first["victim_id"])
    assert [c["id"] for c in form["marac_criteria"]] == ["potential_escalation"]


@pytest.mark.parametrize("months_later,repeat", [(6, True), (11, True), (13, False)])
def test_repeat_within_12_months_is_flagged(client, partners, clock, sessions, months_later, repeat):
    first = create_form(client, yes=15)
    refer(client, first)
    with sessions() as s:
        perpetrator_id = s.get(RiskForm, first["id"]).perpetrator_id
    clock.now += timedelta(days=round(30.4 * months_later))
    again = create_form(client, yes=3, victim=None, victim_id=first["victim_id"], perpetrator=None,
                        perpetrator_id=perpetrator_id)
    assert ("repeat" in [c["id"] for c in again["marac_criteria"]]) is repeat
    login(client, "ppu.a")
    queue = client.get("/domestic-abuse/queue").text  # flagged on the DVO queue before anyone refers it
    assert ("govuk-tag--purple\">Repeat" in queue) is repeat
    if repeat:
        referral = refer(client, again)
        assert referral["is_repeat"] is True and "repeat" in [c["id"] for c in referral["criteria"]]


def test_a_different_perpetrator_is_not_a_repeat(client, partners, clock):
    first = create_form(client, yes=15)
    refer(client, first)
    clock.now += timedelta(days=90)
    other = create_form(client, yes=3, victim=None, victim_id=first["victim_id"],
                        perpetrator={"forename": "Other", "surname": "Person"})
    assert "repeat" not in [c["id"] for c in other["marac_criteria"]]


def test_meetings_agencies_and_actions(client, partners, world):
    forms = [create_form(client, yes=14 + i, victim={"forename": f"M{i}", "surname": "Meeting"}) for i in range(2)]
    referrals = [refer(client, f) for f in forms]
    ppu = token(client, "ppu.a")
    division = world.divisions["A"]
    r = client.post(f"/api/v1/marac/divisions/{division}/meetings", headers=ppu, json={
        "held_on": "2026-11-26", "agencies_present": ["Police", "Children's social care", "IDVA service", "Health"],
        "referral_ids": [r["id"] for r in referrals]})
    assert r.status_code == 201, r.text
    meeting = r.json()
    assert meeting["referral_ids"] == [r["id"] for r in referrals]
    assert meeting["agencies_present"] == ["Police", "Children's social care", "IDVA service", "Health"]
    action = client.post(f"/api/v1/marac/meetings/{meeting['id']}/actions", headers=ppu, json={
        "referral_id": referrals[0]["id"], "text": "Fit a panic alarm at the victim's home.",
        "owner_agency": "Housing", "due_on": "2026-11-20"})
    assert action.status_code == 201, action.text
    assert action.json()["overdue"] is True and action.json()["owner_agency"] == "Housing"
    done = client.post(f"/api/v1/marac/actions/{action.json()['id']}/done", headers=ppu)
    assert done.status_code == 200 and done.json()["done_at"] and done.json()["overdue"] is False
    assert client.post(f"/api/v1/marac/actions/{action.json()['id']}/done", headers=ppu).status_code == 409

    body = client.get(f"/api/v1/marac/divisions/{division}", headers=token(client, "supervisor.a")).json()
    assert body["marac_name"] == "Testport MARAC"
    assert [a["text"] for a in body["meetings"][0]["actions"]] == ["Fit a panic alarm at the victim's home."]
    assert {r["meeting_id"] for r in body["referrals"]} == {meeting["id"]}

    # an action for a referral not discussed at the meeting, and a supervisor adding one, are refused
    lone = refer(client, create_form(client, yes=20, victim={"forename": "Lone", "surname": "Case"}))
    bad = client.post(f"/api/v1/marac/meetings/{meeting['id']}/actions", headers=ppu, json={
        "referral_id": lone["id"], "text": "Something.", "owner_agency": "Police"})
    assert bad.status_code == 422 and "referral_id" in bad.json()["errors"]
    assert client.post(f"/api/v1/marac/meetings/{meeting['id']}/actions", headers=token(client, "supervisor.a"), json={
        "referral_id": referrals[1]["id"], "text": "Something.", "owner_agency": "Police"}).status_code == 403
    # a meeting in a division without a MARAC is refused
    assert client.post(f"/api/v1/marac/divisions/{world.divisions['B']}/meetings", headers=token(client, "ppu.b"),
                       json={"held_on": "2026-11-26", "agencies_present": ["Police"]}).status_code == 422


def test_benchmark_against_40_per_10000_adult_women(client, partners, clock, sessions, world):
    for i in range(5):
        refer(client, create_form(client, yes=14, victim={"forename": f"B{i}", "surname": "Bench"}))
    clock.now = datetime(2025, 6, 1, 12, tzinfo=timezone.utc)  # one in the year before
    refer(client, create_form(client, yes=14, victim={"forename": "Old", "surname": "Bench"}))
    body = client.get("/api/v1/marac/benchmark", params={"year": 2026}, headers=token(client, "analyst")).json()
    assert body["benchmark_per_10k"] == 40.0 and body["adult_women_share"] == 0.41
    a = next(r for r in body["divisions"] if r["division_id"] == world.divisions["A"])
    assert (a["population"], a["adult_women"], a["referrals"]) == (50_000, 20_500, 5)
    assert a["rate_per_10k"] == round(5 * 10_000 / 20_500, 1) and a["expected"] == 82.0 and a["below_benchmark"]
    assert (body["force"]["referrals"], body["force"]["adult_women"]) == (5, 41_000)
    b = next(r for r in body["divisions"] if r["division_id"] == world.divisions["B"])
    assert b["has_marac"] is False and b["referrals"] == 0
    with sessions() as s:
        assert service.benchmark(s, 2025, load(s)).force.referrals == 1


def test_criteria_library_call_matches_the_rules(client, partners, sessions):
    form = create_form(client, yes=14)
    with sessions() as s:
        crit = service.criteria_for(s, load(s), s.get(RiskForm, form["id"]))
    assert crit.met == ["visible_high_risk"] and crit.callouts_12m == 0 and crit.threshold == 3
