"""The access rules hold at the HTTP edge: 403s, nothing in lists, and every access logged."""
from __future__ import annotations

import pytest
from sqlalchemy import update

from beacon.cases.missing_persons.models import MissingReport
from beacon.org.roles import Vetting
from tests.factories import report_payload
from tests.logs import entries
from tests.web.helpers import token

READERS = {"officer.a": 200, "officer.b": 403, "supervisor.a": 200, "supervisor.b": 403, "ppu.a": 200,
           "analyst": 200, "chief": 200, "inspector": 200, "admin": 403}


@pytest.fixture
def report_id(client):
    r = client.post("/api/v1/missing-persons", json=report_payload(), headers=token(client, "officer.a"))
    assert r.status_code == 201
    return r.json()["id"]


@pytest.mark.parametrize("username,status", READERS.items())
def test_read_by_role_and_division(client, report_id, username, status):
    headers = token(client, username)
    assert client.get(f"/api/v1/missing-persons/{report_id}", headers=headers).status_code == status
    found = client.get("/api/v1/missing-persons", headers=headers)
    ids = [r["id"] for r in found.json()["results"]] if found.status_code == 200 else []
    assert (report_id in ids) is (status == 200)


@pytest.mark.parametrize("username,status", [("officer.a", 403), ("supervisor.a", 200), ("ppu.a", 200),
                                             ("supervisor.b", 403), ("analyst", 403), ("inspector", 403)])
def test_only_supervisors_of_the_division_review(client, report_id, username, status):
    r = client.post(f"/api/v1/missing-persons/{report_id}/reviews", headers=token(client, username),
                    json={"version": 1, "notes": "Reviewed the enquiry plan."})
    assert r.status_code == status, r.text


@pytest.mark.parametrize("username,status", [("officer.a", 201), ("officer.b", 403), ("analyst", 403),
                                             ("inspector", 403), ("admin", 403), ("chief", 403)])
def test_create_in_a_division(client, world, username, status):
    body = report_payload(division_id=world.divisions["A"])
    assert client.post("/api/v1/missing-persons", json=body, headers=token(client, username)).status_code == status


def test_vetting_hides_a_restricted_report(client, sessions, report_id):
    with sessions.begin() as s:
        s.execute(update(MissingReport).where(MissingReport.id == report_id).values(vetting_required=Vetting.MV))
    assert client.get(f"/api/v1/missing-persons/{report_id}", headers=token(client, "officer.a")).status_code == 403
    assert client.get("/api/v1/missing-persons", headers=token(client, "officer.a")).json()["results"] == []
    assert client.get(f"/api/v1/missing-persons/{report_id}",
                      headers=token(client, "officer.a.mv")).status_code == 200


def test_inspector_sees_pseudonyms_not_names(client, report_id):
    body = client.get(f"/api/v1/missing-persons/{report_id}", headers=token(client, "inspector")).json()
    assert "Exampleton" not in str(body)
    assert body["name"].startswith("Person ")


def test_every_read_write_and_refusal_is_logged(client, sessions, report_id):
    client.get(f"/api/v1/missing-persons/{report_id}", headers=token(client, "officer.a"))
    client.get(f"/api/v1/missing-persons/{report_id}", headers=token(client, "officer.b"))
    with sessions() as s:
        rows = entries(sessions, record_type="missing_report")
    seen = {(e.username, e.action, e.outcome) for e in rows if e.record_id == str(report_id)}
    assert ("officer.a", "create", "ok") in seen
    assert ("officer.a", "read", "ok") in seen
    assert ("officer.b", "read", "denied") in seen


def test_unknown_report_is_404_and_unsigned_is_401(client):
    assert client.get("/api/v1/missing-persons/999999", headers=token(client, "officer.a")).status_code == 404
    assert client.get("/api/v1/missing-persons/1").status_code == 401
    assert client.get("/api/v1/missing-persons", headers={"Authorization": "Bearer nonsense"}).status_code == 401
