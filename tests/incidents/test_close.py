"""Closing an open log from Beacon: a domestic or child-protection closing reaches the PPU at once
(work item, address warning) in the same transaction; closing twice, or from a stale copy, is a
conflict and never makes a second work item; bad input names the field and writes nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from beacon.cases.incidents.models import AddressWarning, Incident, WorkItem
from tests.incidents.conftest import log
from tests.web.helpers import csrf_of, login, token
from tests.web.pagecheck import check_page


@pytest.fixture
def open_log(client):
    body = log(7, people=[{"forename": "Vera", "surname": "Closecase", "date_of_birth": "1990-04-02", "role": "victim"}])
    r = client.post("/api/v1/incidents", json=body, headers=token(client, "officer.a"))
    assert r.status_code == 201, r.text
    return r.json()


def counts(sessions):
    with sessions() as s:
        return (s.scalar(select(func.count()).select_from(WorkItem)),
                s.scalar(select(func.count()).select_from(AddressWarning)))


def close(client, incident, username="officer.a", **body):
    payload = {"version": incident["version"], "closing_code": "domestic", **body}
    return client.post(f"/api/v1/incidents/{incident['id']}/closure", json=payload, headers=token(client, username))


def test_closing_as_domestic_reaches_the_ppu_at_once(client, open_log, sessions):
    r = close(client, open_log, closing_code="Domestic", note="Verbal argument; DASH to follow.")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["closing_code"] == "domestic" and body["closed_at"] is not None
    # the officer learns it went to the PPU; the work item itself is for those who read work items
    assert body["sent_to_ppu"] and body["work_item"] is None
    seen = client.get(f"/api/v1/incidents/{open_log['id']}", headers=token(client, "ppu.a")).json()
    assert seen["work_item"]["kind"] == "domestic" and seen["work_item"]["status"] == "open"
    assert body["warnings"] and "Closed by officer.a: Verbal argument" in body["narrative"]
    queue = client.get("/api/v1/ppu/work-items", headers=token(client, "ppu.a")).json()
    assert [i["incident_id"] for i in queue["items"]] == [open_log["id"]]


def test_closing_twice_or_from_a_stale_copy_is_a_conflict(client, open_log, sessions):
    assert close(client, open_log).status_code == 200
    before = counts(sessions)
    again = close(client, open_log)
    assert again.status_code == 409 and "already closed" in again.json()["detail"]
    assert counts(sessions) == before


def test_stale_version_is_a_conflict_and_writes_nothing(client, open_log, sessions):
    before = counts(sessions)
    r = close(client, {**open_log, "version": open_log["version"] + 1})
    assert r.status_code == 409
    assert counts(sessions) == before
    with sessions() as s:
        assert s.get(Incident, open_log["id"]).closed_at is None


def test_another_closing_code_creates_no_work(client, open_log, sessions):
    before = counts(sessions)
    r = close(client, open_log, closing_code="ASB")
    assert r.status_code == 200 and r.json()["work_item"] is None
    assert counts(sessions) == before


@pytest.mark.parametrize("body,field", [({"closing_code": ""}, "closing_code"), ({"version": 0}, "version"),
                                        ({"note": "x" * 2001}, "note"), ({"extra": 1}, "extra")])
def test_bad_input_names_the_field(client, open_log, sessions, body, field):
    before = counts(sessions)
    r = close(client, open_log, **body)
    assert r.status_code == 422 and field in r.json()["errors"], r.text
    assert counts(sessions) == before


@pytest.mark.parametrize("username,status", [("officer.b", 403), ("ppu.a", 403), ("analyst", 403), ("partner.a", 403),
                                             ("supervisor.a", 200)])
def test_who_may_close(client, open_log, username, status):
    assert close(client, open_log, username=username).status_code == status


def test_the_officer_closes_the_log_on_its_page_and_is_offered_the_risk_form(client, open_log, sessions):
    login(client, "officer.a")
    page = client.get(f"/incidents/{open_log['id']}")
    assert page.status_code == 200 and "Close this log" in page.text
    check_page(page.text)
    csrf = csrf_of(page.text)
    empty = client.post(f"/incidents/{open_log['id']}/close", data={"csrf_token": csrf, "version": open_log["version"]})
    assert empty.status_code == 422 and "Select how the log was closed" in empty.text
    check_page(empty.text)
    other = client.post(f"/incidents/{open_log['id']}/close",
                        data={"csrf_token": csrf, "version": open_log["version"], "closing": "other"})
    assert other.status_code == 422 and "Enter the closing code" in other.text
    assert counts(sessions) == (0, 0)
    done = client.post(f"/incidents/{open_log['id']}/close", follow_redirects=False,
                       data={"csrf_token": csrf, "version": open_log["version"], "closing": "domestic"})
    assert done.status_code == 303 and done.headers["location"] == f"/incidents/{open_log['id']}?closed=1"
    shown = client.get(done.headers["location"])
    check_page(shown.text)
    assert "Log closed as" in shown.text and "Close this log" not in shown.text
    victim = open_log["people"][0]["person_id"]
    assert f"/domestic-abuse/new?incident_id={open_log['id']}&amp;victim_id={victim}" in shown.text
    assert counts(sessions) == (1, 1)
