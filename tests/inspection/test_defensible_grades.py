"""Grades that can be defended (issue 9, item 7), each defect a new user found made impossible:
a framework with nothing evidenced got Fair and was published; evidence dated 1999 and 2031 went
into a 2006-07 inspection; one moderator raised a grade two steps; and a test inspection of one
force replaced its grades in the national picture."""
from __future__ import annotations

import pytest

from tests.inspection.test_report import (
    MP,
    advance_to,
    assess,
    published_inspection,
    second_moderator,
)
from tests.web.helpers import token

DV = "domestic_violence"
BODY = {"method": "document", "title": "Force policy", "summary": "The force's missing persons policy.",
        "source": "Force policy library", "verification": "verified", "framework_id": MP}


@pytest.fixture
def inspector(client):
    return token(client, "inspector")


def _inspection(client, headers, force_id, frameworks=(MP,), period=("2006-04-01", "2007-04-01"), title="Inspection"):
    r = client.post("/api/v1/inspections", headers=headers, json={
        "force_id": force_id, "title": title, "framework_ids": list(frameworks),
        "period_start": period[0], "period_end": period[1]})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _grades(client, headers, iid):
    return {g["framework_id"]: g for g in client.post(f"/api/v1/inspections/{iid}/grades", headers=headers).json()}


def test_a_framework_with_nothing_evidenced_is_not_graded_moderated_or_published(client, world, inspector):
    iid = _inspection(client, inspector, world.force_id)
    g = _grades(client, inspector, iid)[MP]
    assert g["grade"] is None and g["engine_grade"] is None
    assert g["explanation"]["reasons"][0].startswith("Not evidenced:")
    r = client.post(f"/api/v1/inspections/{iid}/grades/{MP}/moderation", headers=inspector,
                    json={"version": g["version"], "grade": "good", "rationale": "The panel thinks it is good enough."})
    assert r.status_code == 422 and "not evidenced" in r.json()["errors"]["grade"]
    version = client.get(f"/api/v1/inspections/{iid}", headers=inspector).json()["version"]
    for status in ("fieldwork", "grading", "moderation"):
        version = client.post(f"/api/v1/inspections/{iid}/status", headers=inspector,
                              json={"version": version, "status": status}).json()["version"]
    r = client.post(f"/api/v1/inspections/{iid}/status", headers=inspector, json={"version": version, "status": "published"})
    assert r.status_code == 422 and "not evidenced, so not graded: missing_persons" in r.json()["errors"]["status"]


def test_evidence_from_outside_the_inspection_or_the_future_is_refused(client, world, inspector):
    iid = _inspection(client, inspector, world.force_id)
    for day, why in (("1999-05-01", "outside the dates"), ("2031-01-01", "in the future"),
                     ("2005-03-31", "outside the dates"), ("2007-10-01", "outside the dates")):
        r = client.post(f"/api/v1/inspections/{iid}/evidence", headers=inspector, json={**BODY, "gathered_on": day})
        assert r.status_code == 422 and list(r.json()["errors"]) == ["gathered_on"], r.text
        assert why in r.json()["errors"]["gathered_on"]
    assert "1 April 2005 to 30 September 2007" in r.json()["errors"]["gathered_on"]
    # a policy from the year before the period, and fieldwork after it, are evidence
    for day in ("2005-04-01", "2007-09-30", "2006-10-01"):
        r = client.post(f"/api/v1/inspections/{iid}/evidence", headers=inspector, json={**BODY, "gathered_on": day})
        assert r.status_code == 201, r.text
    assert len(client.get(f"/api/v1/inspections/{iid}/evidence", headers=inspector).json()) == 3


def test_a_moderation_more_than_one_step_needs_a_second_moderator(client, world, sessions, inspector):
    second = second_moderator(sessions, client)
    iid = _inspection(client, inspector, world.force_id)
    assess(client, inspector, iid, MP, lambda c: "met" if c.level.value == "fair" else "not_met")
    g = _grades(client, inspector, iid)[MP]
    assert g["grade"] == "fair"
    r = client.post(f"/api/v1/inspections/{iid}/grades/{MP}/moderation", headers=inspector,
                    json={"version": g["version"], "grade": "excellent", "rationale": "Because I say so, and I insist."})
    assert r.status_code == 200 and r.json()["awaiting_confirmation"] and r.json()["grade"] == "fair", r.text
    version = r.json()["version"]
    advance_to(client, inspector, iid, "moderation")
    current = client.get(f"/api/v1/inspections/{iid}", headers=inspector).json()["version"]
    r = client.post(f"/api/v1/inspections/{iid}/status", headers=inspector, json={"version": current, "status": "published"})
    assert r.status_code == 422 and "awaits a second moderator: missing_persons" in r.json()["errors"]["status"]
    # the moderator who set it cannot confirm it; a short reason is refused
    r = client.post(f"/api/v1/inspections/{iid}/grades/{MP}/confirmation", headers=inspector,
                    json={"version": version, "rationale": "I confirm my own moderation here."})
    assert r.status_code == 403
    r = client.post(f"/api/v1/inspections/{iid}/grades/{MP}/confirmation", headers=second,
                    json={"version": version, "rationale": "Agreed"})
    assert r.status_code == 422 and "rationale" in r.json()["errors"]
    r = client.post(f"/api/v1/inspections/{iid}/grades/{MP}/confirmation", headers=second,
                    json={"version": version, "rationale": "Second moderator: the beacon evidence supports it."})
    assert r.status_code == 200 and r.json()["grade"] == "excellent" and r.json()["confirmed_by"] == "inspector.b"
    r = client.post(f"/api/v1/inspections/{iid}/status", headers=inspector, json={"version": current, "status": "published"})
    assert r.status_code == 200, r.text
    # one step needs no second moderator
    iid = _inspection(client, inspector, world.force_id)
    assess(client, inspector, iid, MP, lambda c: "met" if c.level.value == "fair" else "not_met")
    g = _grades(client, inspector, iid)[MP]
    r = client.post(f"/api/v1/inspections/{iid}/grades/{MP}/moderation", headers=inspector,
                    json={"version": g["version"], "grade": "good", "rationale": "Moderation panel: nearly all Good."})
    assert r.json()["grade"] == "good" and not r.json()["awaiting_confirmation"]


def test_the_national_picture_counts_each_force_once_per_framework(client, world, sessions, inspector):
    second = second_moderator(sessions, client)
    first = published_inspection(client, inspector, world.force_id, {MP: "fair", DV: "poor"}, second)
    # a later inspection (its period ends later) of one framework replaces only that framework's grade
    later = _inspection(client, inspector, world.force_id, period=("2026-01-01", "2027-01-01"), title="Re-test")
    assess(client, inspector, later, MP, lambda c: "met" if c.level.value == "fair" else "not_met")
    _grades(client, inspector, later)
    advance_to(client, inspector, later)
    # and a draft never counts
    draft = _inspection(client, inspector, world.force_id, frameworks=(MP, DV), period=("2026-06-01", "2027-06-01"))
    assess(client, inspector, draft, DV, lambda c: "met")
    _grades(client, inspector, draft)
    national = client.get("/api/v1/national", headers=inspector).json()
    for fid, grade in ((MP, "fair"), (DV, "poor")):
        counts = national["distribution"][fid]
        assert sum(counts.values()) == 1 and counts[grade] == 1, (fid, counts)
    assert national["forces"] == 1
    assert [(c["framework_id"], c["inspection_id"]) for c in national["counted"]] == [(DV, first), (MP, later)]


def test_the_framework_page_says_what_would_change_the_grade(client, world, inspector):
    from tests.web.helpers import login

    iid = _inspection(client, inspector, world.force_id)
    assess(client, inspector, iid, MP, lambda c: "met" if c.level.value == "fair" else "not_met")
    assert _grades(client, inspector, iid)[MP]["grade"] == "fair"
    login(client, "inspector")
    html = client.get(f"/inspections/{iid}/frameworks/{MP}").text
    part = html[html.index('id="what-would-change"'):]
    assert "the grade would be Good" in part and "the grade would be Poor" in part
