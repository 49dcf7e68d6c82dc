"""The access matrix for risk forms, MARAC and child referrals, held at the HTTP edge: 403s,
nothing in lists, pseudonyms for inspectors, and every access logged."""
from __future__ import annotations

import pytest

from tests.domestic_abuse.helpers import create_form
from tests.logs import entries
from tests.web.helpers import token

EVERYONE = ("officer.a", "officer.b", "supervisor.a", "supervisor.b", "ppu.a", "ppu.b", "analyst", "chief",
            "inspector", "admin", "partner.a", "partner.b")
FORM_READERS = {"officer.a", "supervisor.a", "ppu.a", "analyst", "chief", "inspector"}
FORM_CREATORS = {"officer.a", "supervisor.a", "ppu.a"}
MARAC_READERS = {"supervisor.a", "ppu.a", "analyst", "chief"}
REFERRAL_READERS = {"officer.a", "supervisor.a", "ppu.a", "partner.a", "analyst", "chief", "inspector"}


@pytest.fixture
def records(client, partners):
    form = create_form(client, yes=15, children_in_household=1)
    referral = client.post(f"/api/v1/domestic-abuse/forms/{form['id']}/marac-referral", headers=token(client, "ppu.a"),
                           json={"version": form["version"]}).json()
    return {"form": form, "marac": referral, "child": form["child_referrals"][0]}


@pytest.mark.parametrize("username", EVERYONE)
def test_risk_form_read_and_list(client, records, username):
    headers = token(client, username)
    form = records["form"]
    r = client.get(f"/api/v1/domestic-abuse/forms/{form['id']}", headers=headers)
    assert r.status_code == (200 if username in FORM_READERS else 403), r.text
    queue = client.get("/api/v1/domestic-abuse/queue", headers=headers)
    ids = [i["id"] for i in queue.json()["items"]] if queue.status_code == 200 else []
    assert (form["id"] in ids) is (username in FORM_READERS)


@pytest.mark.parametrize("username", EVERYONE)
def test_risk_form_create(client, partners, world, username):
    status = 201 if username in FORM_CREATORS else 403
    create_form(client, username=username, yes=2, expect=status, division_id=world.divisions["A"])


@pytest.mark.parametrize("username", EVERYONE)
def test_marac_read(client, records, world, username):
    headers = token(client, username)
    allowed = username in MARAC_READERS
    assert client.get(f"/api/v1/marac/referrals/{records['marac']['id']}", headers=headers).status_code == \
        (200 if allowed else 403)
    assert client.get(f"/api/v1/marac/divisions/{world.divisions['A']}", headers=headers).status_code == \
        (200 if allowed else 403)


@pytest.mark.parametrize("username", EVERYONE)
def test_child_referral_read_and_list(client, records, username):
    headers = token(client, username)
    child = records["child"]
    allowed = username in REFERRAL_READERS
    assert client.get(f"/api/v1/child-referrals/{child['id']}", headers=headers).status_code == (200 if allowed else 403)
    listed = client.get("/api/v1/child-referrals", headers=headers)
    ids = [i["id"] for i in listed.json()["items"]] if listed.status_code == 200 else []
    assert (child["id"] in ids) is allowed


def test_inspector_reads_risk_forms_pseudonymised(client, records):
    headers = token(client, "inspector")
    body = client.get(f"/api/v1/domestic-abuse/forms/{records['form']['id']}", headers=headers).json()
    assert "Testcase" not in str(body) and "Harmer" not in str(body)
    assert body["victim_name"].startswith("Person ") and body["child_referrals"] == []
    queue = client.get("/api/v1/domestic-abuse/queue", headers=headers).json()
    assert "Testcase" not in str(queue)


def test_inspector_reads_child_referrals_pseudonymised(client, records):
    """The records behind the Child Abuse figures: readable by inspectors, with no names in them."""
    headers = token(client, "inspector")
    body = client.get(f"/api/v1/child-referrals/{records['child']['id']}", headers=headers).json()
    assert body["child_name"].startswith("Person ") and body["child_address"] is None
    assert "Testcase" not in str(body) and "household of Person " in body["concern"]
    assert client.post(f"/api/v1/child-referrals/{records['child']['id']}/acknowledgement", headers=headers,
                       json={"version": body["version"]}).status_code == 403


def test_access_to_the_new_records_is_logged(client, records, sessions):
    client.get(f"/api/v1/domestic-abuse/forms/{records['form']['id']}", headers=token(client, "officer.b"))
    client.get(f"/api/v1/child-referrals/{records['child']['id']}", headers=token(client, "partner.a"))
    client.get(f"/api/v1/marac/referrals/{records['marac']['id']}", headers=token(client, "inspector"))
    with sessions() as s:
        seen = {(e.username, e.action, e.record_type, e.outcome) for e in entries(sessions)}
    assert {("officer.a", "create", "da_form", "ok"), ("officer.a", "create", "child_referral", "ok"),
            ("ppu.a", "create", "marac", "ok"), ("officer.b", "read", "da_form", "denied"),
            ("partner.a", "read", "child_referral", "ok"), ("inspector", "read", "marac", "denied")} <= seen
