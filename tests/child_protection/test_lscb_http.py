"""LSCB meetings and police attendance: recorded by the PPU for the LSCBs of its division, counted
per LSCB over a period, with the meetings that had no police representation (HMIC, Gwent 2007)."""
from __future__ import annotations

from tests.web.helpers import token


def _meeting(client, lscb_id, held_on, attended, username="ppu.a", expect=201, attendee=None):
    body = {"lscb_id": lscb_id, "held_on": held_on, "police_attended": attended}
    if attendee is not None or attended:
        body["attendee"] = attendee if attendee is not None else "DCI Test Person"
    r = client.post("/api/v1/lscb-meetings", json=body, headers=token(client, username))
    assert r.status_code == expect, r.text
    return r.json()


def test_attendance_counts_meetings_without_police(client, area):
    a, b = area.lscb["A"], area.lscb["B"]
    _meeting(client, a, "2026-01-15", True)
    _meeting(client, a, "2026-04-15", False)
    _meeting(client, a, "2026-07-15", False)
    _meeting(client, a, "2025-01-15", False)            # outside the default 12 months
    _meeting(client, b, "2026-03-01", True, username="ppu.b")
    body = client.get("/api/v1/lscb-meetings/attendance", headers=token(client, "analyst")).json()
    assert body["from_on"] == "2025-11-27" and body["to_on"] == "2026-11-27"
    rows = {r["lscb_id"]: r for r in body["rows"]}
    assert (rows[a]["meetings"], rows[a]["without_police"]) == (3, 2)
    assert rows[a]["dates_without_police"] == ["2026-04-15", "2026-07-15"]
    assert (rows[b]["meetings"], rows[b]["without_police"]) == (1, 0)
    assert (body["meetings"], body["without_police"]) == (4, 2)
    period = client.get("/api/v1/lscb-meetings/attendance?from_on=2025-01-01&to_on=2025-12-31",
                        headers=token(client, "chief")).json()
    assert {r["lscb_id"]: r["without_police"] for r in period["rows"]} == {a: 1, b: 0}
    # a division sees its own LSCB only
    own = client.get("/api/v1/lscb-meetings/attendance", headers=token(client, "ppu.b")).json()
    assert [r["lscb_id"] for r in own["rows"]] == [b]
    listed = client.get(f"/api/v1/lscb-meetings?lscb_id={a}", headers=token(client, "supervisor.a")).json()
    assert [m["held_on"] for m in listed["items"]] == ["2026-07-15", "2026-04-15", "2026-01-15"]


def test_access_and_input(client, area):
    a = area.lscb["A"]
    _meeting(client, a, "2026-01-15", True, username="ppu.b", expect=403)
    _meeting(client, a, "2026-01-15", True, username="supervisor.a", expect=403)
    _meeting(client, a, "2026-01-15", True, username="officer.a", expect=403)
    assert client.get("/api/v1/lscb-meetings/attendance", headers=token(client, "partner.a")).status_code == 403
    assert client.get(f"/api/v1/lscb-meetings?lscb_id={a}", headers=token(client, "ppu.b")).status_code == 403
    assert _meeting(client, a, "2026-01-15", True, attendee="", expect=422)["errors"] == {
        "attendee": "say who represented the police (rank and name)"}
    assert "attendee" in _meeting(client, a, "2026-01-15", False, attendee="DCI Someone", expect=422)["errors"]
    assert _meeting(client, a, "2026-12-15", True, expect=422)["errors"] == {"held_on": "cannot be in the future"}
    assert _meeting(client, area.csc["A"], "2026-01-15", True, expect=422)["errors"] == {
        "lscb_id": f"no LSCB {area.csc['A']}"}
    _meeting(client, a, "2026-01-15", True)
    assert "recorded already" in _meeting(client, a, "2026-01-15", False, expect=409)["detail"]
    r = client.get("/api/v1/lscb-meetings/attendance?from_on=2026-05-01&to_on=2026-01-01",
                   headers=token(client, "analyst"))
    assert r.status_code == 422 and "from_on" in r.json()["errors"]
