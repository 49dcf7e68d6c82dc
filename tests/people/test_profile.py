"""One person across domains: each part shown only to those allowed to see it, names hidden from
inspectors, a person outside the viewer's reach refused, and every view logged."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from beacon.access.unit_of_work import transaction
from beacon.cases.incidents.models import AddressWarning
from beacon.people.models import Person
from tests.domestic_abuse.helpers import add_incident, create_form
from tests.logs import entries
from tests.web.helpers import login, token
from tests.web.pagecheck import check_page

T = datetime(2026, 10, 1, 20, 0, tzinfo=timezone.utc)


@pytest.fixture
def victim(client, partners, sessions, world):
    form = create_form(client, yes=15, children_in_household=1)
    victim_id = form["victim_id"]
    first = add_incident(sessions, world.divisions["A"], T, victim_id, "LOG-P-1")
    add_incident(sessions, world.divisions["A"], T + timedelta(days=40), victim_id, "LOG-P-2")
    with transaction(sessions) as s:
        home = s.get(Person, victim_id).home_location_id
        s.add(AddressWarning(location_id=home, kind="domestic", reason="Domestic abuse, high risk",
                             incident_id=first, created_at=T))
    return {"id": victim_id, "form": form}


def parts(body):
    return {p["key"]: p for p in body["parts"]}


def test_ppu_sees_every_domain_of_their_division(client, victim):
    r = client.get(f"/api/v1/people/{victim['id']}", headers=token(client, "ppu.a"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["name"] == "Vera Testcase"
    shown = parts(body)
    assert [row["log_ref"] for row in shown["incidents"]["rows"]] == ["LOG-P-2", "LOG-P-1"]
    assert [row["id"] for row in shown["da_forms"]["rows"]] == [victim["form"]["id"]]
    assert shown["da_forms"]["rows"][0]["final_level"] == "high"
    assert shown["warnings"]["rows"][0]["reason"] == "Domestic abuse, high risk"
    assert shown["warnings"]["rows"][0]["home"] is True
    assert body["repeat"]["repeat_victim"] is True
    assert body["repeat"]["domestic_incidents_as_victim"] == 2
    assert body["repeat"]["latest_level"] == "high"


def test_a_part_the_role_may_not_see_is_named_not_shown(client, victim):
    body = client.get(f"/api/v1/people/{victim['id']}", headers=token(client, "officer.a")).json()
    shown = parts(body)
    # Officers read risk forms and incidents of their division; MARAC referrals are not theirs but
    # the profile only says whether a form was referred.
    assert shown["da_forms"]["visible"] and shown["incidents"]["visible"]
    hidden = [p for p in body["parts"] if not p["visible"]]
    for part in hidden:
        assert part["rows"] == [] and "does not give access" in part["reason"]


def test_another_division_and_a_partner_are_refused(client, victim, sessions):
    assert client.get(f"/api/v1/people/{victim['id']}", headers=token(client, "officer.b")).status_code == 403
    assert client.get(f"/api/v1/people/{victim['id']}", headers=token(client, "partner.a")).status_code == 403
    assert client.get("/api/v1/people/999999", headers=token(client, "ppu.a")).status_code == 404
    denied = entries(sessions, record_type="person", outcome="denied")
    assert {row.username for row in denied} >= {"officer.b", "partner.a"}


def test_inspector_sees_the_records_without_names_or_addresses(client, victim):
    body = client.get(f"/api/v1/people/{victim['id']}", headers=token(client, "inspector")).json()
    assert body["name"] == f"Person {victim['id']:07d}"
    assert body["date_of_birth"] is None
    assert "Example Street" not in str(body)
    assert parts(body)["warnings"]["rows"][0]["address"] == "(withheld)"


def test_every_view_is_logged_with_the_records_shown(client, victim, sessions):
    client.get(f"/api/v1/people/{victim['id']}", headers=token(client, "analyst"))
    [row] = entries(sessions, record_type="person", username="analyst")
    assert row.record_id == str(victim["id"])
    assert f"da_form={victim['form']['id']}" in row.detail and "incident=" in row.detail


@pytest.mark.parametrize("username", ["officer.a", "ppu.a", "analyst", "inspector"])
def test_person_page_renders_well_formed(client, victim, username):
    login(client, username)
    r = client.get(f"/people/{victim['id']}")
    assert r.status_code == 200, r.text[:500]
    check_page(r.text)
    assert "Repeat victim of domestic abuse" in r.text


@pytest.mark.parametrize("username", ["ppu.a", "analyst", "inspector", "supervisor.b"])
def test_repeat_victims_and_locations_page(client, victim, username):
    login(client, username)
    r = client.get("/domestic-abuse/repeats?from=2026-01-01&to=2026-12-31")
    assert r.status_code == 200, r.text[:500]
    check_page(r.text)
    if username == "supervisor.b":
        assert "No incidents in this period." in r.text
    else:
        assert "Repeat victims" in r.text and ">1<" in r.text.replace(" ", "")


def test_repeat_page_refuses_a_partner(client, victim):
    login(client, "partner.a")
    assert client.get("/domestic-abuse/repeats").status_code == 403


def test_warnings_at_one_address_are_one_row_with_their_count(client, victim, sessions):
    with transaction(sessions) as s:
        home = s.get(Person, victim["id"]).home_location_id
        s.add(AddressWarning(location_id=home, kind="domestic", reason="Domestic abuse, again",
                             created_at=T + timedelta(days=41)))
    rows = parts(client.get(f"/api/v1/people/{victim['id']}", headers=token(client, "ppu.a")).json())["warnings"]["rows"]
    assert len(rows) == 1
    assert rows[0]["count"] == 2 and rows[0]["reason"] == "Domestic abuse, again"
    assert rows[0]["first_at"].startswith("2026-10-01")
