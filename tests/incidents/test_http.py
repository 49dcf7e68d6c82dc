"""The incidents API: the live feed, imports, the PPU queue and the closure audit, with the access
matrix held at the HTTP edge (other divisions 403, lists that do not leak, every access logged)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.incidents.conftest import as_csv, as_json, closed, log
from tests.logs import entries
from tests.web.helpers import token

ROOT = Path(__file__).resolve().parents[2]
READERS = {"officer.a": 200, "officer.b": 403, "supervisor.a": 200, "supervisor.b": 403, "ppu.a": 200,
           "analyst": 200, "chief": 200, "inspector": 200, "admin": 403}


@pytest.fixture
def feed(client):
    headers = token(client, "officer.a")

    def send(body, headers=headers):
        return client.post("/api/v1/incidents", json=body, headers=headers)
    send.client = client
    return send


def test_live_feed_is_idempotent(feed):
    first = feed(log(1))
    assert first.status_code == 201 and first.json()["outcome"] == "created"
    again = feed(log(1))
    assert again.status_code == 200 and again.json()["outcome"] == "unchanged"
    later = feed(closed(1))
    assert later.status_code == 200 and later.json()["outcome"] == "updated"
    body = later.json()
    assert body["ppu_closing"] and body["sent_to_ppu"] and body["work_item"] is None   # the PPU's to see
    seen = feed.client.get(f"/api/v1/incidents/{body['id']}", headers=token(feed.client, "ppu.a")).json()
    assert seen["work_item"]["kind"] == "domestic" and seen["work_item"]["status"] == "open"
    assert body["id"] == first.json()["id"] and body["version"] == 2
    assert [w["kind"] for w in body["warnings"]] == ["domestic"]


def test_live_feed_validation_names_the_field(feed):
    r = feed(closed(1, received_at="2026-11-27T01:00:00+00:00"))
    assert r.status_code == 422 and "closed_at" in r.json()["errors"]
    r = feed(log(1, division="Z"))
    assert r.status_code == 422 and "division" in r.json()["errors"]
    r = feed(log(1, people=[{"forename": "A", "surname": "B", "role": "bystander"}]))
    assert r.status_code == 422 and "people.0.role" in r.json()["errors"]


def test_a_later_incident_at_the_address_carries_the_warning(client, feed):
    feed(closed(1, "child_protection", address="9 Flagged Lane, Testtown"))
    later = feed(log(2, address="9 flagged lane, testtown")).json()
    assert [w["kind"] for w in later["warnings"]] == ["child_protection"]
    read = client.get(f"/api/v1/incidents/{later['id']}", headers=token(client, "supervisor.a")).json()
    assert "CC26/000001" in read["warnings"][0]["reason"]


@pytest.mark.parametrize("username,status", READERS.items())
def test_read_by_role_and_division(client, feed, username, status):
    incident_id = feed(closed(1, narrative="Partner Testy shouting.")).json()["id"]
    r = client.get(f"/api/v1/incidents/{incident_id}", headers=token(client, username))
    assert r.status_code == status
    if username == "inspector":
        body = r.json()
        assert "Testy" not in str(body) and "Synthetic Street" not in str(body)
        assert body["people"][0]["name"].startswith("Person ") and body["address"] == "(withheld)"


@pytest.mark.parametrize("username,status", [("officer.a", 201), ("supervisor.a", 201), ("officer.b", 403),
                                             ("ppu.a", 403), ("analyst", 403), ("inspector", 403), ("admin", 403)])
def test_who_may_send_logs(client, username, status):
    r = client.post("/api/v1/incidents", json=log(1), headers=token(client, username))
    assert r.status_code == status, r.text


def test_the_ppu_queue_is_the_divisions_own_and_does_not_leak(client, feed):
    feed(closed(1))
    feed(closed(2, "child_protection", division="B"), headers=token(client, "officer.b"))
    feed(log(3))
    mine = client.get("/api/v1/ppu/work-items", headers=token(client, "ppu.a")).json()
    assert [i["log_ref"] for i in mine["items"]] == ["CC26/000001"] and mine["total"] == 1
    item = mine["items"][0]
    assert item["age_seconds"] == 0 and item["age"] == "0 min" and item["address"].startswith("1 Synthetic")
    force = client.get("/api/v1/ppu/work-items", headers=token(client, "analyst")).json()
    assert {i["log_ref"] for i in force["items"]} == {"CC26/000001", "CC26/000002"}
    for username in ("officer.a", "supervisor.a", "admin"):
        assert client.get("/api/v1/ppu/work-items", headers=token(client, username)).status_code == 403
    one = client.get("/api/v1/ppu/work-items?log_ref=CC26/000002", headers=token(client, "ppu.a")).json()
    assert one["items"] == [] and one["total"] == 0


def test_the_specialist_takes_and_finishes_an_item(client, feed, clock):
    from datetime import timedelta

    feed(closed(1))
    headers = token(client, "ppu.a")
    clock.now = clock.now + timedelta(hours=2, minutes=5)
    item = client.get("/api/v1/ppu/work-items", headers=headers).json()["items"][0]
    assert item["age"] == "2 h 5 min"
    taken = client.post(f"/api/v1/ppu/work-items/{item['id']}", json={"version": item["version"], "status": "in_progress"},
                        headers=headers)
    assert taken.status_code == 200 and taken.json()["taken_by"] == "ppu.a"
    stale = client.post(f"/api/v1/ppu/work-items/{item['id']}", json={"version": item["version"], "status": "done"},
                        headers=headers)
    assert stale.status_code == 409
    done = client.post(f"/api/v1/ppu/work-items/{item['id']}", json={"version": taken.json()["version"], "status": "done"},
                       headers=headers)
    assert done.status_code == 200
    assert client.get("/api/v1/ppu/work-items", headers=headers).json()["total"] == 0
    assert client.post(f"/api/v1/ppu/work-items/{item['id']}", json={"version": 3, "status": "open"},
                       headers=token(client, "analyst")).status_code == 403


def test_import_by_upload_and_by_json(client):
    headers = token(client, "officer.a")
    files = {"file": ("logs.csv", as_csv([log(1), closed(2)]), "text/csv")}
    r = client.post("/api/v1/incident-imports", files=files, headers=headers)
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["status"], body["created"], body["work_items_created"], body["format"]) == ("imported", 2, 1, "csv")
    r = client.post("/api/v1/incident-imports", json={"format": "json", "content": as_json([log(1), closed(2)]).decode()},
                    headers=headers)
    assert r.status_code == 201 and r.json()["unchanged"] == 2


def test_a_rejected_import_is_422_with_the_report(client):
    headers = token(client, "officer.a")
    r = client.post("/api/v1/incident-imports", files={"file": ("x.json", as_json([log(1), log(2, log_ref=None)]))},
                    headers=headers)
    assert r.status_code == 422
    body = r.json()
    assert body["status"] == "rejected" and body["errors"] == [{"row": 2, "field": "log_ref", "message": "is required"}]
    assert client.get("/api/v1/incidents/1", headers=headers).status_code == 404


@pytest.mark.parametrize("kwargs,status", [
    ({"content": b"log_ref\n", "headers": {"content-type": "text/csv"}}, 415),
    ({"json": {"format": "xml", "content": "x"}}, 422),
    ({"files": {"file": ("logs.txt", b"x")}}, 422),
    ({"files": {"other": ("logs.csv", b"x")}}, 422),
])
def test_an_unusable_import_request(client, kwargs, status):
    headers = {**token(client, "officer.a"), **kwargs.pop("headers", {})}
    assert client.post("/api/v1/incident-imports", headers=headers, **kwargs).status_code == status


def test_the_closure_audit_over_http(client, feed):
    feed(closed(1, "ASB", narrative="Her ex-partner kicked the door."))
    feed(closed(2, "ASB", narrative="Kids alone; baby crying.", division="B"), headers=token(client, "officer.b"))
    sup_a, sup_b = token(client, "supervisor.a"), token(client, "supervisor.b")
    assert client.post("/api/v1/closure-audit/run", json={}, headers=token(client, "officer.a")).status_code == 403
    run = client.post("/api/v1/closure-audit/run", json={}, headers=sup_a).json()
    assert (run["examined"], run["flagged"]) == (1, 1)
    client.post("/api/v1/closure-audit/run", json={"since": "2026-11-01T00:00:00Z"}, headers=sup_b)
    a_flags = client.get("/api/v1/closure-audit/flags", headers=sup_a).json()
    assert [f["log_ref"] for f in a_flags["flags"]] == ["CC26/000001"]
    b_flags = client.get("/api/v1/closure-audit/flags", headers=sup_b).json()
    assert [(f["log_ref"], f["suggested"]) for f in b_flags["flags"]] == [("CC26/000002", "child_protection")]
    flag = a_flags["flags"][0]
    assert client.post(f"/api/v1/closure-audit/flags/{flag['id']}", json={"decision": "confirm"},
                       headers=sup_b).status_code == 403
    r = client.post(f"/api/v1/closure-audit/flags/{flag['id']}", json={"decision": "dismiss"}, headers=sup_a)
    assert r.status_code == 422 and "note" in r.json()["errors"]
    r = client.post(f"/api/v1/closure-audit/flags/{flag['id']}", json={"decision": "confirm", "note": "DV"}, headers=sup_a)
    assert r.status_code == 200 and r.json()["status"] == "confirmed" and r.json()["closing_code"] == "domestic"
    queue = client.get("/api/v1/ppu/work-items", headers=token(client, "ppu.a")).json()
    assert [i["log_ref"] for i in queue["items"]] == ["CC26/000001"]
    assert client.get("/api/v1/closure-audit/flags?status=all", headers=sup_a).json()["total"] == 1
    assert client.get("/api/v1/closure-audit/flags", headers=sup_a).json()["total"] == 0


def test_every_read_write_and_refusal_is_logged(client, sessions, feed):
    incident_id = feed(closed(1)).json()["id"]
    client.get(f"/api/v1/incidents/{incident_id}", headers=token(client, "officer.b"))
    client.get(f"/api/v1/incidents/{incident_id}", headers=token(client, "analyst"))
    client.get("/api/v1/ppu/work-items", headers=token(client, "ppu.a"))
    with sessions() as s:
        rows = entries(sessions, record_type={"incident", "ppu_work"})
    seen = {(e.username, e.action, e.record_type, e.outcome) for e in rows}
    assert {("officer.a", "create", "incident", "ok"), ("officer.a", "create", "ppu_work", "ok"),
            ("officer.b", "read", "incident", "denied"), ("analyst", "read", "incident", "ok"),
            ("ppu.a", "list", "ppu_work", "ok")} <= seen


def test_unknown_is_404_and_unsigned_is_401(client):
    headers = token(client, "officer.a")
    assert client.get("/api/v1/incidents/999999", headers=headers).status_code == 404
    assert client.get("/api/v1/incidents/1").status_code == 401
    assert client.post("/api/v1/closure-audit/flags/99", json={"decision": "confirm"},
                       headers=token(client, "supervisor.a")).status_code == 404
    assert client.post("/api/v1/ppu/work-items/99", json={"version": 1, "status": "done"},
                       headers=token(client, "ppu.a")).status_code == 404


def test_the_documented_csv_example_imports(client):
    doc = (ROOT / "docs" / "incidents-import.md").read_text()
    example = re.search(r"```csv\n(.*?)```", doc, re.DOTALL).group(1).encode()
    r = client.post("/api/v1/incident-imports", files={"file": ("example.csv", example)},
                    headers=token(client, "officer.a"))
    assert r.status_code == 201, r.text
    assert (r.json()["created"], r.json()["work_items_created"]) == (3, 1)
