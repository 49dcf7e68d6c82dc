"""Child protection cases over the API: opened from a referral or a concern, the clocks on each
step, the caseload sorted by what is due, and the access rules (403 for the wrong role or
division, 404, field-named 422s, 409 on a stale version, nothing written on error, every read logged)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from beacon.cases.child_protection.models import ChildCase, ChildDecision
from tests.child_protection.helpers import CHILD, FACTORS, factors, open_case, step
from tests.logs import entries
from tests.web.helpers import token


def _count(sessions, model) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_open_from_a_referral_takes_the_child_and_concern(client, area):
    headers = token(client, "ppu.a")
    referral = client.post("/api/v1/child-referrals", headers=headers,
                           json={"child": CHILD, "concern": "Child left alone overnight, aged six."}).json()
    case = open_case(client, referral_id=referral["id"], child=None, concern=None)
    assert case["child_id"] == referral["child_id"] and case["referral_id"] == referral["id"]
    assert case["concern"] == "Child left alone overnight, aged six." and case["status"] == "open"
    assert case["next_step"] is None and case["steps"][0]["status"] == "waiting"
    # a child has one open case per division
    r = client.post("/api/v1/child-cases", headers=headers, json={"child_id": referral["child_id"],
                                                                  "concern": "A second concern about Kit."})
    assert r.status_code == 409 and f"case {case['id']}" in r.json()["detail"]


def test_clocks_on_the_case(client, area):
    case = open_case(client)
    case = step(client, case, "strategy-discussion", "2026-10-01")
    assert case["steps"][0]["due_on"] == "2026-10-22"               # 15 working days
    case = step(client, case, "initial-conference", "2026-10-23")
    steps = {s["key"]: s for s in case["steps"]}
    assert steps["initial_conference"]["status"] == "late"
    assert steps["core_group"]["due_on"] == "2026-11-06" and steps["core_group"]["status"] == "overdue"
    assert steps["first_review"]["due_on"] == "2027-01-23" and steps["first_review"]["status"] == "due"
    assert case["next_step"]["key"] == "core_group"
    case = step(client, case, "core-group", "2026-11-05")
    case = step(client, case, "review", "2026-11-20")
    steps = {s["key"]: s for s in case["steps"]}
    assert steps["core_group"]["status"] == "met" and steps["first_review"]["status"] == "met"
    assert steps["next_review"]["due_on"] == "2027-05-20" and case["next_step"]["key"] == "next_review"
    assert step(client, case, "review", "2026-11-20", expect=422)["errors"] == \
        {"on": "must be after the last review (20 November 2026)"}


def test_step_rules_are_field_named_and_write_nothing(client, area, sessions):
    case = open_case(client)
    headers = token(client, "ppu.a")
    url = f"/api/v1/child-cases/{case['id']}/steps"
    r = client.post(f"{url}/initial-conference", headers=headers, json={"version": case["version"], "on": "2026-11-01"})
    assert r.status_code == 409 and "strategy discussion" in r.json()["detail"]
    r = client.post(f"{url}/strategy-discussion", headers=headers, json={"version": case["version"], "on": "2026-11-28"})
    assert r.status_code == 422 and r.json()["errors"] == {"on": "cannot be in the future"}
    r = client.post(f"{url}/strategy-discussion", headers=headers, json={"version": case["version"], "on": "2005-01-03"})
    assert r.status_code == 422 and "1 April 2006" in r.json()["errors"]["on"]
    r = client.post(f"{url}/strategy-discussion", headers=headers, json={"version": case["version"]})
    assert r.status_code == 422 and "on" in r.json()["errors"]
    r = client.post(f"{url}/meeting", headers=headers, json={"version": case["version"], "on": "2026-11-01"})
    assert r.status_code == 422 and "step" in r.json()["errors"]
    after = client.get(f"/api/v1/child-cases/{case['id']}", headers=headers).json()
    assert after["version"] == case["version"] and after["strategy_discussion_on"] is None


def test_stale_version_is_a_conflict(client, area):
    case = open_case(client)
    step(client, case, "strategy-discussion", "2026-11-02")
    r = client.post(f"/api/v1/child-cases/{case['id']}/steps/strategy-discussion", headers=token(client, "ppu.a"),
                    json={"version": case["version"], "on": "2026-11-03"})
    assert r.status_code == 409 and r.json()["current_version"] == case["version"] + 1
    after = client.get(f"/api/v1/child-cases/{case['id']}", headers=token(client, "ppu.a")).json()
    assert after["strategy_discussion_on"] == "2026-11-02"


def test_caseload_sorted_by_due_date(client, area):
    late = step(client, step(client, open_case(client), "strategy-discussion", "2026-10-01"),
                "initial-conference", "2026-10-23")                      # core group overdue since 6 Nov
    soon = step(client, open_case(client, child={"forename": "Ash", "surname": "Two"}),
                "strategy-discussion", "2026-11-20")                   # conference due 11 Dec
    fresh = open_case(client, child={"forename": "Bo", "surname": "Three"})
    other = open_case(client, username="ppu.b", child={"forename": "Cy", "surname": "Other"})
    headers = token(client, "ppu.a")
    ids = [c["id"] for c in client.get("/api/v1/child-cases", headers=headers).json()["items"]]
    assert ids == [late["id"], soon["id"], fresh["id"]]
    ids = [c["id"] for c in client.get("/api/v1/child-cases?sort=-due", headers=headers).json()["items"]]
    assert ids == [soon["id"], late["id"], fresh["id"]]
    body = client.get("/api/v1/child-cases", headers=token(client, "analyst")).json()
    assert {c["id"] for c in body["items"]} == {late["id"], soon["id"], fresh["id"], other["id"]}
    first = body["items"][0]
    assert first["next_step"]["status"] == "overdue" and first["next_step"]["due_on"] == "2026-11-06"
    r = client.get(f"/api/v1/child-cases?division_id={other['division_id']}", headers=headers)
    assert r.status_code == 403


def test_each_review_is_kept_and_timed_from_the_one_before(client, area):
    case = open_case(client)
    for name, on in (("strategy-discussion", "2025-01-06"), ("initial-conference", "2025-01-20"),
                     ("review", "2025-04-10"), ("review", "2025-11-01"), ("review", "2026-04-01")):
        case = step(client, case, name, on)
    assert case["reviews"] == ["2025-04-10", "2025-11-01", "2026-04-01"]
    assert (case["first_review_on"], case["last_review_on"]) == ("2025-04-10", "2026-04-01")
    steps = {s["key"]: s for s in case["steps"]}
    assert steps["first_review"]["status"] == "met"
    assert (steps["review_2"]["due_on"], steps["review_2"]["status"]) == ("2025-10-10", "late")
    assert (steps["review_3"]["due_on"], steps["review_3"]["status"]) == ("2026-05-01", "met")
    assert steps["next_review"]["due_on"] == "2026-10-01" and steps["next_review"]["status"] == "overdue"  # today 27 Nov


EVERYONE = ("officer.a", "officer.b", "supervisor.a", "supervisor.b", "ppu.a", "ppu.b", "analyst", "chief",
            "inspector", "admin", "partner.a")
READERS = {"supervisor.a", "ppu.a", "analyst", "chief", "inspector"}


@pytest.mark.parametrize("username", EVERYONE)
def test_who_reads_a_case(client, area, username):
    case = open_case(client)
    headers = token(client, username)
    r = client.get(f"/api/v1/child-cases/{case['id']}", headers=headers)
    assert r.status_code == (200 if username in READERS else 403), r.text
    listed = client.get("/api/v1/child-cases", headers=headers)
    ids = [c["id"] for c in listed.json()["items"]] if listed.status_code == 200 else []
    assert (case["id"] in ids) is (username in READERS)
    if username == "inspector":
        assert r.json()["child_name"] == f"Person {case['child_id']:07d}" and r.json()["child_date_of_birth"] is None


@pytest.mark.parametrize("username,status", [("officer.a", 403), ("supervisor.a", 403), ("analyst", 403),
                                             ("ppu.b", 403), ("partner.a", 403), ("ppu.a", 201)])
def test_who_opens_a_case(client, area, world, username, status):
    open_case(client, username=username, expect=status, division_id=world.divisions["A"])


def test_supervisor_decides_but_does_not_record_steps(client, area):
    case = open_case(client)
    step(client, case, "strategy-discussion", "2026-11-02", username="supervisor.a", expect=403)
    r = client.post(f"/api/v1/child-cases/{case['id']}/decisions", headers=token(client, "supervisor.a"),
                    json={"decision": "No further action by police; social care to assess.", "factors": factors()})
    assert r.status_code == 201, r.text
    assert client.post(f"/api/v1/child-cases/{case['id']}/decisions", headers=token(client, "supervisor.b"),
                       json={"decision": "No further action by police.", "factors": factors()}).status_code == 403


def test_missing_case_and_bad_input(client, area):
    headers = token(client, "ppu.a")
    assert client.get("/api/v1/child-cases/999999", headers=headers).status_code == 404
    r = client.post("/api/v1/child-cases", headers=headers, json={"child": CHILD})
    assert r.status_code == 422 and "concern" in r.json()["errors"]
    r = client.post("/api/v1/child-cases", headers=headers, json={"concern": "Something worrying was seen."})
    assert r.status_code == 422 and "child" in r.json()["errors"]
    r = client.post("/api/v1/child-cases", headers=headers, json={"referral_id": 99999})
    assert r.status_code == 422 and r.json()["errors"] == {"referral_id": "no child referral 99999"}
    r = client.post("/api/v1/child-cases", headers=headers,
                    json={"child": CHILD, "concern": "Something worrying was seen.", "status": "closed"})
    assert r.status_code == 422 and "status" in r.json()["errors"]


def test_reads_and_writes_are_logged(client, area, sessions):
    case = open_case(client)
    client.get(f"/api/v1/child-cases/{case['id']}", headers=token(client, "analyst"))
    client.get(f"/api/v1/child-cases/{case['id']}", headers=token(client, "ppu.b"))
    with sessions() as s:
        rows = [(e.username, e.action, e.outcome) for e in entries(sessions, record_type="child_case",
                                                                   record_id=str(case["id"]))]
    assert ("ppu.a", "create", "ok") in rows and ("analyst", "read", "ok") in rows and ("ppu.b", "read", "denied") in rows


def test_closing_needs_every_factor_and_stops_changes(client, area, sessions):
    case = open_case(client)
    headers = token(client, "ppu.a")
    url = f"/api/v1/child-cases/{case['id']}/closure"
    r = client.post(url, headers=headers, json={"version": case["version"], "reason": "Concerns not substantiated.",
                                                "factors": {}})
    assert r.status_code == 422 and set(r.json()["errors"]) == {f"factors.{f}" for f in FACTORS}
    assert _count(sessions, ChildDecision) == 0
    r = client.post(url, headers=headers, json={"version": case["version"], "reason": "Concerns not substantiated.",
                                                "factors": factors()})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    closed = r.json()
    step(client, closed, "strategy-discussion", "2026-11-02", expect=409)
    assert closed["decisions"][-1]["decision"].startswith("Case closed.")
    with sessions() as s:
        assert s.get(ChildCase, case["id"]).status == "closed"
