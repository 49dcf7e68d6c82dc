"""Proposed results through the API and the pages: the records propose, the inspector accepts or
overrides with a reason, and a grade that rests on an override goes to moderation."""
from __future__ import annotations

import pytest

from beacon import settings_repo
from beacon.access.unit_of_work import transaction
from beacon.inspection import service
from tests.factories import report_payload
from tests.inspection.test_pages import post
from tests.logs import entries
from tests.web.helpers import login, token

MP = "missing_persons"
BOUND = "mp.f.risk-assessed-at-report"


@pytest.fixture
def inspector(client):
    return token(client, "inspector")


@pytest.fixture
def computed(client, world, sessions, inspector):
    with transaction(sessions) as s:
        settings_repo.save(s, "grading.bound.minimum_records", "3", "test")
    officer = token(client, "officer.a")
    for _ in range(3):
        assert client.post("/api/v1/missing-persons", json=report_payload(), headers=officer).status_code == 201
    r = client.post("/api/v1/inspections", headers=inspector, json={
        "force_id": world.force_id, "title": "Missing persons 2026", "framework_ids": [MP],
        "period_start": "2026-04-01", "period_end": "2026-12-01"})
    iid = r.json()["id"]
    r = client.post(f"/api/v1/inspections/{iid}/computed-evidence", headers=inspector, json={"kind": "mp.compliance"})
    assert r.status_code == 201, r.text
    return {"id": iid, "evidence_id": r.json()["id"]}


def _put(client, headers, iid, criterion, **body):
    return client.put(f"/api/v1/inspections/{iid}/assessments/{criterion}", headers=headers,
                      json={"justification": "Seen in the computed evidence and the files.", **body})


def test_the_records_propose_a_result_with_the_figures_and_the_evidence(client, inspector, computed):
    r = client.get(f"/api/v1/inspections/{computed['id']}/proposals", headers=inspector)
    assert r.status_code == 200, r.text
    proposals = {p["criterion_id"]: p for p in r.json()}
    assert set(proposals) == {BOUND, "mp.f.high-risk-supervised-to-criteria"}
    p = proposals[BOUND]
    assert p["result"] == "met" and p["evidence_ids"] == [computed["evidence_id"]] and p["missing"] == []
    assert p["figures"][0] | {"rate": None} == {"audit": "mp.compliance", "rule_id": "mp.risk_grades",
                                                "statistic": "rate", "met": 3, "applicable": 3, "rate": None,
                                                "division": None, "result": "met", "to_met": None}
    assert p["thresholds"] == {"met_at": 0.85, "partly_at": 0.7, "minimum": 3}


def test_an_override_needs_a_reason_and_is_recorded_beside_the_proposal(client, inspector, computed, sessions):
    iid = computed["id"]
    refused = _put(client, inspector, iid, BOUND, result="not_met")
    assert refused.status_code == 422
    assert "the records propose met" in refused.json()["errors"]["override_reason"]
    too_short = _put(client, inspector, iid, BOUND, result="not_met", override_reason="Because I say so")
    assert too_short.status_code == 422 and "at least 30 characters" in too_short.json()["errors"]["override_reason"]

    reason = "The three files read show no risk assessment was recorded when each report was made."
    r = _put(client, inspector, iid, BOUND, result="not_met", override_reason=reason)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["overridden"] and body["proposed_result"] == "met" and body["override_reason"] == reason
    assert body["proposal"]["figures"][0]["rule_id"] == "mp.risk_grades"

    accepted = _put(client, inspector, iid, BOUND, result="met", version=body["version"], override_reason="")
    assert accepted.status_code == 200 and not accepted.json()["overridden"]
    assert accepted.json()["override_reason"] == ""
    assert entries(sessions, action="update", record_id=str(iid), detail=f"assess {BOUND}=not_met")


def test_an_unbound_criterion_takes_no_override_reason(client, inspector, computed):
    r = _put(client, inspector, computed["id"], "mp.f.chief-officer-lead", result="met",
             override_reason="There is nothing to override on this criterion at all.")
    assert r.status_code == 422 and "not bound to records" in r.json()["errors"]["override_reason"]


def test_a_grade_resting_on_an_override_goes_to_moderation(client, inspector, computed):
    iid = computed["id"]
    for c in service.library("hmic-2007").framework(MP).criteria:
        result = "met" if c.level.value == "fair" else "not_met"
        extra = {}
        if c.id == BOUND:
            result, extra = "not_met", {"override_reason": "The files show no assessment at the time of the report."}
        elif c.binding:
            result = "met"
        assert _put(client, inspector, iid, c.id, result=result, **extra).status_code == 200
    grade = client.post(f"/api/v1/inspections/{iid}/grades", headers=inspector).json()[0]
    assert BOUND in grade["explanation"]["deciding"]
    assert any("set against the records' proposal" in m and BOUND in m for m in grade["explanation"]["moderation"])
    # the report prints the override beside the grade, with the proposal and the reason
    login(client, "inspector")
    report = client.get(f"/inspections/{iid}/report").text
    assert f"<code>{BOUND}</code>: the records proposed met; the inspector set not met because The files show no " \
           "assessment at the time of the report." in report
    assert "criteria bound to records took the result the records proposed" in report


def test_the_framework_page_shows_the_proposal_and_accepts_it(client, computed):
    iid = computed["id"]
    login(client, "inspector")
    page = f"/inspections/{iid}/frameworks/{MP}"
    html = client.get(page).text
    assert f'data-proposal="{BOUND}"' in html and "The records propose:" in html
    r = post(client, f"{page}/assessments/{BOUND}/accept", {}, page)
    assert r.status_code == 303 and "done=accepted" in r.headers["location"]
    html = client.get(r.headers["location"]).text
    assert "As the records propose: mp.risk_grades: 3 of 3 (100%)" in html

    # A different result on the form without the reason is refused, naming the field.
    r = post(client, f"{page}/assessments/{BOUND}", {"result": "partly_met", "justification": "x" * 25}, page)
    assert r.status_code == 422 and "to set another result, give the reason" in r.text
    assert 'href="#mp-f-risk-assessed-at-report-override"' in r.text
