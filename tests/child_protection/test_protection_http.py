"""Police protection: any officer records it (a case is opened for the PPU if the child has none);
the designated officer review is refused unless the user's staff rank is inspector or above, and
independent of the officer who took the child; the list awaiting review; division scoping."""
from __future__ import annotations

from beacon.org.roles import Rank
from tests.child_protection.helpers import CHILD, give_rank, open_case
from tests.web.helpers import token

TAKEN = "2026-11-27T01:30:00+00:00"


def _record(client, username="officer.a", expect=201, **body):
    payload = {"child": CHILD, "taken_at": TAKEN, "notes": "Found alone at home, aged six, no adult for 12 hours."}
    payload.update(body)
    r = client.post("/api/v1/police-protection", json=payload, headers=token(client, username))
    assert r.status_code == expect, r.text
    return r.json()


def _review(client, pp, username, expect):
    r = client.post(f"/api/v1/police-protection/{pp['id']}/designated-review", headers=token(client, username),
                    json={"notes": "Circumstances reviewed; protection justified; foster placement arranged."})
    assert r.status_code == expect, r.text
    return r.json()


def test_officer_records_and_a_case_is_opened(client, area):
    pp = _record(client)
    assert pp["awaiting_review"] and pp["taken_by"] == "Test officer.a" and pp["case_id"]
    case = client.get(f"/api/v1/child-cases/{pp['case_id']}", headers=token(client, "ppu.a")).json()
    assert case["police_protection_ids"] == [pp["id"]] and case["concern"].startswith("Taken into police protection")
    # the officer reads their division's protections, not the case
    assert client.get(f"/api/v1/police-protection/{pp['id']}", headers=token(client, "officer.a")).status_code == 200
    assert client.get(f"/api/v1/child-cases/{pp['case_id']}", headers=token(client, "officer.a")).status_code == 403
    assert client.get(f"/api/v1/police-protection/{pp['id']}", headers=token(client, "officer.b")).status_code == 403
    assert client.get("/api/v1/police-protection", headers=token(client, "officer.b")).json()["items"] == []
    assert client.get("/api/v1/police-protection", headers=token(client, "partner.a")).status_code == 403
    inspector = client.get(f"/api/v1/police-protection/{pp['id']}", headers=token(client, "inspector")).json()
    assert inspector["child_name"] == f"Person {pp['child_id']:07d}"


def test_an_existing_open_case_is_used(client, area):
    case = open_case(client)
    # an officer may not name a child they cannot see (the child is on a PPU case only); the PPU may
    assert "no record naming this person" in _record(client, child=None, child_id=case["child_id"], expect=403)["detail"]
    pp = _record(client, username="ppu.a", child=None, child_id=case["child_id"])
    assert pp["case_id"] == case["id"]
    pp2 = _record(client, username="supervisor.a", child=None, case_id=case["id"])
    assert pp2["case_id"] == case["id"]
    r = _record(client, username="officer.b", child=None, case_id=case["id"], expect=403)
    assert r["detail"] == "case_id: role officer may not read child_case"   # naming a case is reading it
    r = _record(client, username="ppu.b", child=None, case_id=case["id"], expect=403)
    assert "another division" in r["detail"]


def test_designated_officer_must_be_inspector_or_above(client, area, world, sessions):
    pp = _record(client)
    _review(client, pp, "officer.a", 403)                    # role may not review at all
    detail = _review(client, pp, "supervisor.a", 403)["detail"]
    assert "at least inspector rank" in detail and "not linked" in detail
    give_rank(world, sessions, "supervisor.a", Rank.PS)
    assert "your rank is Sergeant" in _review(client, pp, "supervisor.a", 403)["detail"]
    give_rank(world, sessions, "supervisor.b", Rank.INSP)
    _review(client, pp, "supervisor.b", 403)                 # another division
    give_rank(world, sessions, "ppu.a", Rank.DI)
    awaiting = client.get("/api/v1/police-protection?awaiting_review=true", headers=token(client, "ppu.a")).json()
    assert [p["id"] for p in awaiting["items"]] == [pp["id"]]
    done = _review(client, pp, "ppu.a", 200)
    assert not done["awaiting_review"] and done["designated_officer"].startswith("Detective Inspector")
    assert "Designated officer review by" in done["notes"]
    _review(client, pp, "ppu.a", 409)                        # once only
    awaiting = client.get("/api/v1/police-protection?awaiting_review=true", headers=token(client, "ppu.a")).json()
    assert awaiting["items"] == []


def test_the_officer_who_took_the_child_cannot_review(client, area, world, sessions):
    give_rank(world, sessions, "ppu.a", Rank.INSP)
    pp = _record(client, username="ppu.a")
    assert "independent" in _review(client, pp, "ppu.a", 403)["detail"]


def test_bad_input(client, area):
    assert _record(client, taken_at="2026-11-28T01:30:00+00:00", expect=422)["errors"] == {
        "taken_at": "cannot be in the future"}
    assert "taken_at" in _record(client, taken_at="2026-11-27T01:30:00", expect=422)["errors"]
    assert "notes" in _record(client, notes="short", expect=422)["errors"]
    assert "child" in _record(client, child=None, expect=422)["errors"]
    assert _record(client, child=None, case_id=99999, expect=422)["errors"] == {
        "case_id": "no child protection case 99999"}
    assert client.get("/api/v1/police-protection/99999", headers=token(client, "ppu.a")).status_code == 404
    assert client.get("/api/v1/police-protection", headers=token(client, "ppu.a")).json()["items"] == []
