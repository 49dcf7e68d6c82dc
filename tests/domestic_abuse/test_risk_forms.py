"""The first officer's risk form: scored at once with the force's instrument, judgement raises
only (with the reason), reassessment supersedes, the DVO queue, review and backlog."""
from __future__ import annotations

from datetime import timedelta

import pytest

from beacon.access.unit_of_work import transaction
from beacon.cases.domestic_abuse import service
from beacon.settings_repo import save
from tests.domestic_abuse.helpers import SCORED, answers, create_form, form_payload
from tests.web.helpers import token


@pytest.mark.parametrize("yes,level,criteria", [(14, "high", ["visible_high_risk"]), (24, "high", ["visible_high_risk"]),
                                                (13, "medium", []), (10, "medium", []), (9, "standard", []),
                                                (0, "standard", [])])
def test_dash_is_scored_and_banded_at_once(client, yes, level, criteria):
    form = create_form(client, yes=yes)
    assert (form["score"], form["max_score"]) == (yes, 24)
    assert form["computed_level"] == form["final_level"] == level
    assert form["judged_level"] is None
    assert [c["id"] for c in form["marac_criteria"]] == criteria
    assert form["instrument_id"] == "dash-2009"
    assert len(form["answers"]) == 27 and sum(1 for a in form["answers"] if a["answer"] and not a["supplementary"]) == yes


def test_supplementary_children_questions_are_recorded_not_scored(client):
    form = create_form(client, yes=5, answers=answers(5, children=True))
    assert form["score"] == 5
    assert all(a["answer"] for a in form["answers"] if a["supplementary"])


def test_the_instrument_is_a_setting(client, sessions):
    with transaction(sessions) as s:
        save(s, "da.instrument", "gwent-dv1-2007", "test")
    instrument = client.get("/api/v1/domestic-abuse/instrument", headers=token(client, "officer.a")).json()
    assert instrument["id"] == "gwent-dv1-2007"
    dash_answers = client.post("/api/v1/domestic-abuse/forms", json=form_payload(14), headers=token(client, "officer.a"))
    assert dash_answers.status_code == 422  # DASH question ids are not questions of the DV1 form


def test_every_question_must_be_answered_and_nothing_computed_can_be_sent(client):
    headers = token(client, "officer.a")
    body = form_payload(14)
    body["answers"] = {**body["answers"], SCORED[3]: None}
    del body["answers"][SCORED[5]]
    r = client.post("/api/v1/domestic-abuse/forms", json=body, headers=headers)
    assert r.status_code == 422
    assert {f"answers.{SCORED[3]}", f"answers.{SCORED[5]}"} <= set(r.json()["errors"])
    r = client.post("/api/v1/domestic-abuse/forms", json={**form_payload(14), "answers": {**answers(14), "made_up": True}},
                    headers=headers)
    assert r.status_code == 422 and "answers.made_up" in r.json()["errors"]
    for field in ("score", "final_level", "computed_level"):
        r = client.post("/api/v1/domestic-abuse/forms", json={**form_payload(2), field: 24}, headers=headers)
        assert r.status_code == 422 and field in r.json()["errors"], field


def test_judgement_raises_never_lowers_over_http(client):
    headers = token(client, "officer.a")
    lowered = client.post("/api/v1/domestic-abuse/forms", json=form_payload(14, judged_level="medium",
                                                                          judgement_reason="Victim seemed calm."),
                          headers=headers)
    assert lowered.status_code == 422
    assert "judged_level" in lowered.json()["errors"]
    assert "never lower" in lowered.json()["errors"]["judged_level"]

    no_reason = client.post("/api/v1/domestic-abuse/forms", json=form_payload(5, judged_level="high"), headers=headers)
    assert no_reason.status_code == 422 and "judgement_reason" in no_reason.json()["errors"]

    raised = create_form(client, yes=5, judged_level="high",
                         judgement_reason="Perpetrator released from prison today and has made threats.")
    assert (raised["computed_level"], raised["judged_level"], raised["final_level"]) == ("standard", "high", "high")
    assert raised["judgement_reason"].startswith("Perpetrator released")
    assert [c["id"] for c in raised["marac_criteria"]] == ["professional_judgement"]

    # the DVO's review cannot lower it either, not even to the score's level
    review = client.post(f"/api/v1/domestic-abuse/forms/{raised['id']}/review", headers=token(client, "ppu.a"),
                         json={"version": raised["version"], "notes": "Checked with the victim.",
                               "judged_level": "medium", "judgement_reason": "Calmer now."})
    assert review.status_code == 422 and "judged_level" in review.json()["errors"]


def test_dvo_raises_at_review_with_a_reason(client):
    form = create_form(client, yes=11)
    ppu = token(client, "ppu.a")
    r = client.post(f"/api/v1/domestic-abuse/forms/{form['id']}/review", headers=ppu,
                    json={"version": form["version"], "notes": "Spoke to the victim.", "judged_level": "high"})
    assert r.status_code == 422 and "judgement_reason" in r.json()["errors"]
    r = client.post(f"/api/v1/domestic-abuse/forms/{form['id']}/review", headers=ppu,
                    json={"version": form["version"], "notes": "Spoke to the victim.", "judged_level": "high",
                          "judgement_reason": "Escalating stalking since the form was completed."})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["computed_level"], body["final_level"]) == ("medium", "high")
    assert body["reviewed_by"] == "Test ppu.a" and body["review_notes"] == "Spoke to the victim."


def test_review_needs_the_current_version_and_the_ppu_role(client):
    form = create_form(client, yes=3)
    r = client.post(f"/api/v1/domestic-abuse/forms/{form['id']}/review", headers=token(client, "officer.a"),
                    json={"version": form["version"], "notes": "Reviewed."})
    assert r.status_code == 403
    r = client.post(f"/api/v1/domestic-abuse/forms/{form['id']}/review", headers=token(client, "ppu.a"),
                    json={"version": form["version"] + 1, "notes": "Reviewed."})
    assert r.status_code == 409 and r.json()["current_version"] == form["version"]
    ok = client.post(f"/api/v1/domestic-abuse/forms/{form['id']}/review", headers=token(client, "ppu.a"),
                     json={"version": form["version"], "notes": "Reviewed."})
    assert ok.status_code == 200
    again = client.post(f"/api/v1/domestic-abuse/forms/{form['id']}/review", headers=token(client, "ppu.a"),
                        json={"version": ok.json()["version"], "notes": "Reviewed twice."})
    assert again.status_code == 409


def test_reassessment_supersedes_the_last_form(client, clock):
    first = create_form(client, yes=6)
    clock.now += timedelta(days=2)
    second = create_form(client, yes=12, victim=None, victim_id=first["victim_id"])
    assert second["supersedes_id"] == first["id"]
    assert client.get(f"/api/v1/domestic-abuse/forms/{first['id']}",
                      headers=token(client, "officer.a")).json()["superseded_by_id"] == second["id"]
    queue = client.get("/api/v1/domestic-abuse/queue", headers=token(client, "ppu.a")).json()
    assert [i["id"] for i in queue["items"]] == [second["id"]]


def test_queue_is_oldest_first_with_ages(client, clock):
    start = clock.now
    ids = []
    for days_ago in (10, 3, 0):
        clock.now = start - timedelta(days=days_ago)
        ids.append(create_form(client, yes=4, victim={"forename": f"V{days_ago}", "surname": "Queue"})["id"])
    clock.now = start
    queue = client.get("/api/v1/domestic-abuse/queue", headers=token(client, "ppu.a")).json()
    assert [i["id"] for i in queue["items"]] == ids
    assert [i["age_days"] for i in queue["items"]] == [10, 3, 0]
    assert client.get("/api/v1/domestic-abuse/queue", headers=token(client, "supervisor.b")).json()["items"] == []


def test_backlog_per_division(client, clock, sessions, world):
    start = clock.now
    for code, days_ago in (("A", 40), ("A", 5), ("A", 1), ("B", 12)):
        clock.now = start - timedelta(days=days_ago)
        officer = "officer.a" if code == "A" else "officer.b"
        create_form(client, username=officer, yes=2, victim={"forename": f"V{code}{days_ago}", "surname": "Backlog"})
    clock.now = start - timedelta(days=2)
    reviewed = create_form(client, yes=2, victim={"forename": "Done", "surname": "Backlog"})
    clock.now = start
    client.post(f"/api/v1/domestic-abuse/forms/{reviewed['id']}/review", headers=token(client, "ppu.a"),
                json={"version": reviewed["version"], "notes": "Reviewed."})

    body = client.get("/api/v1/domestic-abuse/backlog", headers=token(client, "analyst")).json()
    rows = {r["division_code"]: (r["unreviewed"], r["oldest_age_days"]) for r in body["divisions"]}
    assert rows == {"A": (3, 40), "B": (1, 12)} and body["total"] == 4

    # as it stood 20 days ago: only the 40-day-old form in A; and a form reviewed since still
    # counts in the backlog as it stood before its review
    past = (start - timedelta(days=20)).isoformat()
    body = client.get("/api/v1/domestic-abuse/backlog", params={"as_of": past}, headers=token(client, "analyst")).json()
    assert {r["division_code"]: r["unreviewed"] for r in body["divisions"]} == {"A": 1, "B": 0}
    just_before = (start - timedelta(seconds=1)).isoformat()
    body = client.get("/api/v1/domestic-abuse/backlog", params={"as_of": just_before},
                      headers=token(client, "analyst")).json()
    assert {r["division_code"]: r["unreviewed"] for r in body["divisions"]} == {"A": 4, "B": 1}

    # a division-scoped user sees their own division's row only
    mine = client.get("/api/v1/domestic-abuse/backlog", headers=token(client, "ppu.a")).json()
    assert [r["division_code"] for r in mine["divisions"]] == ["A"]

    # and the library call behind it, force-wide
    with sessions() as s:
        rows = {b.division_code: b.unreviewed for b in service.backlog(s, start)}
    assert rows == {"A": 3, "B": 1}


def refusals(sessions) -> list[tuple]:
    from tests.logs import entries
    return [(e.username, e.action, e.record_type, e.record_id, e.detail) for e in entries(sessions, outcome="refused")]


def test_a_refused_lowering_is_in_the_access_log_with_who_which_form_and_why(client, sessions):
    """A supervisor wants to know who tried to lower a risk level below what the instrument
    gives: the refusal is logged, not only returned as a 422 (and survives the rolled-back request)."""
    lowered = client.post("/api/v1/domestic-abuse/forms", json=form_payload(14, judged_level="medium",
                                                                          judgement_reason="Victim seemed calm."),
                          headers=token(client, "officer.a"))
    assert lowered.status_code == 422
    [(username, action, record_type, record_id, detail)] = refusals(sessions)
    assert (username, action, record_type, record_id) == ("officer.a", "create", "da_form", "")
    assert "lowering the risk level refused" in detail and "score 14" in detail and "never lower" in detail

    raised = create_form(client, yes=5, judged_level="high",
                         judgement_reason="Perpetrator released from prison today and has made threats.")
    review = client.post(f"/api/v1/domestic-abuse/forms/{raised['id']}/review", headers=token(client, "ppu.a"),
                         json={"version": raised["version"], "notes": "Checked with the victim.",
                               "judged_level": "medium", "judgement_reason": "Calmer now."})
    assert review.status_code == 422
    username, action, record_type, record_id, detail = refusals(sessions)[-1]
    assert (username, action, record_type, record_id) == ("ppu.a", "review", "da_form", str(raised["id"]))
    assert "already raised the level to high" in detail


def test_a_raise_without_a_reason_is_invalid_not_a_refusal_to_report(client, sessions):
    r = client.post("/api/v1/domestic-abuse/forms", json=form_payload(5, judged_level="high"),
                    headers=token(client, "officer.a"))
    assert r.status_code == 422 and refusals(sessions) == []
