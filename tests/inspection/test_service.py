"""An inspection end to end through the API: evidence, computed evidence, assessments, grades,
moderation, publication, the lock, and corrections."""
from __future__ import annotations

from datetime import datetime

import pytest

from beacon import config
from beacon.access.unit_of_work import transaction
from beacon.assurance import missing_persons as mp_audit
from beacon.inspection import service
from tests.conftest import NOW
from tests.factories import report_payload
from tests.logs import entries
from tests.web.helpers import token

MP = "missing_persons"


@pytest.fixture
def inspector(client):
    return token(client, "inspector")


@pytest.fixture
def inspection(client, world, inspector):
    r = client.post("/api/v1/inspections", headers=inspector, json={
        "force_id": world.force_id, "title": "Protecting vulnerable people 2026", "framework_ids": [MP],
        "period_start": "2026-04-01", "period_end": "2026-12-01"})
    assert r.status_code == 201, r.text
    return r.json()


def criteria(level=None, significant=None):
    fw = service.library("hmic-2007").framework(MP)
    return [c for c in fw.criteria if (level is None or c.level.value == level)
            and (significant is None or c.significant == significant)]


def assess_all(client, headers, inspection_id, result_for):
    for c in criteria():
        r = client.put(f"/api/v1/inspections/{inspection_id}/assessments/{c.id}", headers=headers,
                       json={"result": result_for(c), "justification": "Seen in the file sample and interviews."})
        assert r.status_code == 200, r.text


def test_grade_follows_assessments_and_explains_itself(client, inspector, inspection):
    iid = inspection["id"]
    assess_all(client, inspector, iid, lambda c: "met" if c.level.value == "fair" else "not_met")
    grades = client.post(f"/api/v1/inspections/{iid}/grades", headers=inspector).json()
    assert [(g["framework_id"], g["grade"]) for g in grades] == [(MP, "fair")]
    assert grades[0]["explanation"]["reasons"]

    dominant = next(c for c in criteria("fair", True) if c.dominant)
    client.put(f"/api/v1/inspections/{iid}/assessments/{dominant.id}", headers=inspector,
               json={"result": "not_met", "justification": "No review to defined criteria in any sampled case."})
    grades = client.post(f"/api/v1/inspections/{iid}/grades", headers=inspector).json()
    assert grades[0]["grade"] == "poor" and dominant.id in grades[0]["explanation"]["deciding"]


def test_computed_evidence_from_records_is_reproducible(client, inspector, inspection, sessions):
    officer = token(client, "officer.a")
    for _ in range(3):
        assert client.post("/api/v1/missing-persons", json=report_payload(), headers=officer).status_code == 201
    iid = inspection["id"]
    body = {"kind": "mp.file_sample", "n": 2}
    one = client.post(f"/api/v1/inspections/{iid}/computed-evidence", headers=inspector, json=body).json()
    # behaviour changed with ADR 0011: Beacon draws and records the seed, one live sample of a kind
    again = client.post(f"/api/v1/inspections/{iid}/computed-evidence", headers=inspector, json=body)
    assert again.status_code == 409
    params = one["computed_params"]
    with transaction(sessions) as s:
        redrawn = mp_audit.file_sample(s, datetime.fromisoformat(params["since"]),
                                       datetime.fromisoformat(params["until"]), params["n"], params["seed"],
                                       config.defaults(), NOW).to_json()
    assert [c["record_id"] for c in redrawn["cases"]] == [c["record_id"] for c in one["computed_result"]["cases"]]
    assert one["computed_result"]["population"] == 3 and one["computed_result"]["n"] == 2
    rates = client.post(f"/api/v1/inspections/{iid}/computed-evidence", headers=inspector,
                        json={"kind": "mp.compliance"}).json()["computed_result"]
    assert rates["reports"] == 3
    review = rates["rates"]["mp.supervisory_review"]
    assert review["applicable"] == 3 and len(review["failing"]) == 3 - review["met"]


def test_moderation_needs_a_rationale_and_publication_locks(client, inspector, inspection):
    iid = inspection["id"]
    assess_all(client, inspector, iid, lambda c: "met" if c.level.value == "fair" else "not_met")
    grade = client.post(f"/api/v1/inspections/{iid}/grades", headers=inspector).json()[0]
    short = client.post(f"/api/v1/inspections/{iid}/grades/{MP}/moderation", headers=inspector,
                        json={"version": grade["version"], "grade": "good", "rationale": "because"})
    assert short.status_code == 422 and "rationale" in short.json()["errors"]
    moderated = client.post(f"/api/v1/inspections/{iid}/grades/{MP}/moderation", headers=inspector,
                            json={"version": grade["version"], "grade": "good",
                                  "rationale": "Moderation panel: practice since the fieldwork meets most Good criteria."})
    assert moderated.status_code == 200 and moderated.json()["grade"] == "good"

    version = inspection["version"]
    for status in ("fieldwork", "grading", "moderation", "published"):
        r = client.post(f"/api/v1/inspections/{iid}/status", headers=inspector,
                        json={"version": version, "status": status})
        assert r.status_code == 200, r.text
        version = r.json()["version"]
    locked = client.put(f"/api/v1/inspections/{iid}/assessments/{criteria()[0].id}", headers=inspector,
                        json={"result": "not_met", "justification": "A late change after publication."})
    assert locked.status_code == 409
    correction = client.post(f"/api/v1/inspections/{iid}/corrections", headers=inspector,
                             json={"reason": "A figure in the report was transcribed wrongly from the data."})
    assert correction.status_code == 201
    new = correction.json()
    assert new["edition"] == 2 and new["supersedes_id"] == iid and new["status"] == "grading"
    copied = client.get(f"/api/v1/inspections/{new['id']}/assessments", headers=inspector).json()
    assert len(copied) == len(criteria())


def test_bad_input_names_the_field(client, world, inspector):
    r = client.post("/api/v1/inspections", headers=inspector, json={
        "force_id": world.force_id, "title": "x", "framework_ids": ["nonsense"],
        "period_start": "2026-04-01", "period_end": "2026-01-01"})
    assert r.status_code == 422 and "period_end" in r.json()["errors"]
    r = client.post("/api/v1/inspections", headers=inspector, json={
        "force_id": world.force_id, "title": "x", "framework_ids": ["nonsense"],
        "period_start": "2026-04-01", "period_end": "2026-05-01"})
    assert r.status_code == 422 and "framework_ids" in r.json()["errors"]


def test_only_inspectors_write_inspections(client, world, inspection):
    for username, status in (("chief", 200), ("analyst", 200), ("officer.a", 403), ("admin", 403)):
        assert client.get(f"/api/v1/inspections/{inspection['id']}", headers=token(client, username)).status_code == status
    r = client.post(f"/api/v1/inspections/{inspection['id']}/grades", headers=token(client, "chief"))
    assert r.status_code == 403


def test_names_only_for_sampled_cases_and_logged(client, inspector, inspection, sessions):

    
    officer = token(client, "officer.a")
    ids = [client.post("/api/v1/missing-persons", json=report_payload(), headers=officer).json()["id"] for _ in range(3)]
    iid = inspection["id"]
    sample = client.post(f"/api/v1/inspections/{iid}/computed-evidence", headers=inspector,
                         json={"kind": "mp.file_sample", "n": 1}).json()
    sampled = sample["computed_result"]["cases"][0]["record_id"]
    other = next(i for i in ids if i != sampled)
    base = f"/api/v1/inspections/{iid}/evidence/{sample['id']}/cases"
    shown = client.get(f"{base}/{sampled}/identity", headers=inspector)
    assert shown.status_code == 200 and shown.json()["name"] == "Testy Exampleton"
    assert client.get(f"{base}/{other}/identity", headers=inspector).status_code == 422
    assert client.get(f"{base}/{sampled}/identity", headers=token(client, "chief")).status_code == 403
    with sessions() as s:
        reveals = entries(sessions, action="reveal")
    assert {(e.record_id, e.outcome) for e in reveals} == {(str(sampled), "ok"), (str(other), "denied")}
