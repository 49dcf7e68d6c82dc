"""Year on year (issue 9, item 6): a new inspection of the same force starts from the previous
published one's results for the criteria not bound to records and its typed evidence, marked as
carried; what the inspector changes is marked as changed; carried evidence older than a setting's
number of months is expired and no longer counts as beacon or innovation evidence."""
from __future__ import annotations

import pytest

from beacon import settings_repo
from beacon.access.unit_of_work import transaction
from beacon.inspection.service import library
from tests.inspection.test_report import MP, advance_to, assess, evidence
from tests.web.helpers import login, token


@pytest.fixture
def inspector(client):
    return token(client, "inspector")


def _previous(client, headers, force_id):
    r = client.post("/api/v1/inspections", headers=headers, json={
        "force_id": force_id, "title": "Missing persons 2023", "framework_ids": [MP],
        "period_start": "2023-04-01", "period_end": "2024-04-01"})
    iid = r.json()["id"]
    old = evidence(client, headers, iid, MP, "Beacon practice: return interviews", "strength", gathered_on="2023-06-01",
                   shows_beacon=True, criterion_ids=[library("hmic-2007").framework(MP).criteria[0].id])
    recent = evidence(client, headers, iid, MP, "Force policy reviewed", gathered_on="2024-05-01")
    assert client.post(f"/api/v1/inspections/{iid}/computed-evidence", headers=headers,
                       json={"kind": "mp.compliance"}).status_code == 201
    assess(client, headers, iid, MP, lambda c: "met" if c.level.value == "fair" else "not_met")
    client.post(f"/api/v1/inspections/{iid}/grades", headers=headers)
    advance_to(client, headers, iid)
    return iid, old, recent


def _new(client, headers, force_id, starts_from, **extra):
    return client.post("/api/v1/inspections", headers=headers, json={
        "force_id": force_id, "title": "Missing persons 2026", "framework_ids": [MP],
        "period_start": "2026-04-01", "period_end": "2026-12-01", "starts_from": starts_from, **extra})


def test_a_new_inspection_starts_from_the_previous_results(client, world, sessions, inspector):
    previous, old, recent = _previous(client, inspector, world.force_id)
    r = _new(client, inspector, world.force_id, previous)
    assert r.status_code == 201, r.text
    iid = r.json()["id"]
    assert r.json()["starts_from_id"] == previous
    criteria = library("hmic-2007").framework(MP).criteria
    unbound = [c for c in criteria if c.binding is None]
    carried = client.get(f"/api/v1/inspections/{iid}/assessments", headers=inspector).json()
    assert sorted(a["criterion_id"] for a in carried) == sorted(c.id for c in unbound)   # bound: from the records
    assert all(a["previous_result"] == a["result"] and not a["changed"] for a in carried)
    ev = client.get(f"/api/v1/inspections/{iid}/evidence", headers=inspector).json()
    assert sorted(e["carried_from_id"] for e in ev) == sorted([old["id"], recent["id"]])   # not the computed one
    assert {e["gathered_on"] for e in ev} == {"2023-06-01", "2024-05-01"}

    # the inspector changes one result: it is marked as changed, in the API, the page and the export
    first = unbound[0]
    version = next(a["version"] for a in carried if a["criterion_id"] == first.id)
    r = client.put(f"/api/v1/inspections/{iid}/assessments/{first.id}", headers=inspector, json={
        "result": "partly_met", "justification": "Reality testing found the practice has slipped.", "version": version})
    assert r.status_code == 200 and r.json()["changed"] and r.json()["previous_result"] == "met", r.text
    login(client, "inspector")
    html = client.get(f"/inspections/{iid}/frameworks/{MP}").text
    assert f"Inspection {previous} found it met" in html and f"From inspection {previous}, not yet assessed" in html
    assert "Expired" not in html      # 36 months by default: 2023 evidence is still in date for 2026

    # carried evidence older than the setting is expired and loses its beacon weight
    with transaction(sessions) as s:
        settings_repo.save(s, "inspection.evidence_expiry_months", "30", "test")
    html = client.get(f"/inspections/{iid}/frameworks/{MP}").text
    assert html.count("Expired") == 1 and "gathered more than 30 months before this period began" in html
    exported = client.get(f"/api/v1/inspections/{iid}/export.json", headers=inspector).json()["criteria"]
    assert next(c for c in exported if c["criterion_id"] == first.id)["previous_result"] == "met"


def test_only_an_earlier_published_inspection_of_the_same_force(client, world, inspector):
    draft = client.post("/api/v1/inspections", headers=inspector, json={
        "force_id": world.force_id, "title": "Draft", "framework_ids": [MP],
        "period_start": "2023-04-01", "period_end": "2024-04-01"}).json()["id"]
    r = _new(client, inspector, world.force_id, draft)
    assert r.status_code == 422 and "is not published" in r.json()["errors"]["starts_from"]
    r = _new(client, inspector, world.force_id, 999_999)
    assert r.status_code == 422 and "starts_from" in r.json()["errors"]
    previous, _, _ = _previous(client, inspector, world.force_id)
    r = client.post("/api/v1/inspections", headers=inspector, json={
        "force_id": world.force_id, "title": "Earlier", "framework_ids": [MP],
        "period_start": "2022-04-01", "period_end": "2023-04-01", "starts_from": previous})
    assert r.status_code == 422 and "does not come before" in r.json()["errors"]["starts_from"]
