"""Children in the household: referred electronically to children's social care, "sent" only
when delivered, acknowledged against the 1 working day clock, escalated when not, and each
partner sees only its own division."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from beacon.access.unit_of_work import transaction
from beacon.cases.child_protection import referrals
from beacon.cases.child_protection.models import ChildReferral
from beacon.org.models import User
from beacon.people.models import Person
from tests.domestic_abuse.helpers import create_form, form_payload
from tests.web.helpers import token

CHILD = {"person": {"forename": "Kit", "surname": "Testcase", "date_of_birth": "2018-06-01"}}


def set_partner_active(sessions, username: str, active: bool) -> None:
    with transaction(sessions) as s:
        s.execute(update(User).where(User.username == username).values(active=active))


def test_unnamed_children_get_one_referral_delivered_at_once(client, partners, clock, sessions):
    form = create_form(client, yes=14, children_in_household=2)
    [brief] = form["child_referrals"]
    assert brief["delivery"] == "delivered" and brief["sent_at"] is not None
    referral = client.get(f"/api/v1/child-referrals/{brief['id']}", headers=token(client, "partner.a")).json()
    assert referral["partner_id"] == partners.csc["A"] and referral["risk_form_id"] == form["id"]
    assert referral["sent_at"].startswith("2026-11-27T03:00") and referral["due_at"].startswith("2026-11-30T23:59:59")
    assert referral["status"] == "awaiting_acknowledgement"
    assert "2 children living in the household of Vera Testcase" in referral["concern"]
    assert referral["child_name"] == "Unnamed child Testcase"
    assert referral["child_address"] == "3 Example Street, Testport, NP20 2AB"


def test_each_named_child_gets_a_referral(client, partners):
    second = {"person": {"forename": "Ash", "surname": "Testcase"}}
    form = create_form(client, yes=4, children_in_household=3, children=[CHILD, second])
    assert sorted(r["child_name"] for r in form["child_referrals"]) == ["Ash Testcase", "Kit Testcase"]
    assert {r["delivery"] for r in form["child_referrals"]} == {"delivered"}


def test_children_listed_must_not_exceed_the_count(client, partners):
    r = client.post("/api/v1/domestic-abuse/forms", headers=token(client, "officer.a"),
                    json={**form_payload(3), "children_in_household": 0, "children": [CHILD]})
    assert r.status_code == 422 and "children_in_household" in r.json()["errors"]


def test_a_referral_is_sent_only_when_delivered(client, partners, sessions, clock):
    set_partner_active(sessions, "partner.b", False)  # the partner has no working inbox
    form = create_form(client, username="officer.b", yes=4, children_in_household=1)
    [brief] = form["child_referrals"]
    assert brief["delivery"] == "failed" and brief["sent_at"] is None and brief["due_at"] is None
    supervisor = token(client, "supervisor.b")
    lists = client.get("/api/v1/supervisor/child-referrals", headers=supervisor).json()
    [failed] = lists["failed"]
    assert failed["id"] == brief["id"] and "no Beacon inbox" in failed["delivery_error"]
    assert failed["status"] == "delivery_failed"
    # the partner cannot see a referral it never received
    set_partner_active(sessions, "partner.b", True)
    partner = token(client, "partner.b")
    assert client.get(f"/api/v1/child-referrals/{brief['id']}", headers=partner).status_code == 404
    assert client.get("/api/v1/child-referrals", headers=partner).json()["items"] == []
    # nothing can mark it sent: not the create body, not the acknowledgement
    r = client.post("/api/v1/child-referrals", headers=supervisor,
                    json={"child": CHILD["person"], "concern": "Bruising seen on the child's arm.",
                          "sent_at": clock.now.isoformat()})
    assert r.status_code == 422 and "sent_at" in r.json()["errors"]
    r = client.post(f"/api/v1/child-referrals/{brief['id']}/acknowledgement", headers=partner,
                    json={"version": 1, "sent_at": clock.now.isoformat(), "delivery": "delivered"})
    assert r.status_code == 422 and {"sent_at", "delivery"} <= set(r.json()["errors"])
    # once the partner has an inbox, sending again delivers it and starts the clock
    clock.now += timedelta(hours=1)
    resent = client.post(f"/api/v1/child-referrals/{brief['id']}/delivery", headers=supervisor,
                         json={"version": failed["version"]})
    assert resent.status_code == 200, resent.text
    assert resent.json()["delivery"] == "delivered" and resent.json()["sent_at"].startswith("2026-11-27T04:00")
    assert client.get(f"/api/v1/child-referrals/{brief['id']}", headers=partner).status_code == 200
    assert client.post(f"/api/v1/child-referrals/{brief['id']}/delivery", headers=supervisor,
                       json={"version": resent.json()["version"]}).status_code == 409
    with sessions() as s:
        assert s.scalar(select(ChildReferral.sent_at).where(ChildReferral.id == brief["id"])) is not None


def test_send_is_the_only_way_to_set_sent_at(sessions, partners, world):
    with transaction(sessions) as s:
        child = Person(forename="Lib", surname="Child", forename_norm="lib", surname_norm="child")
        s.add(child)
        s.flush()
        r = ChildReferral(child_id=child.id, division_id=world.divisions["A"], partner_id=partners.csc["A"],
                          concern="Concern", created_at=datetime(2026, 11, 27, tzinfo=timezone.utc), created_by="t")
        s.add(r)
        s.flush()
        referrals.send(s, r, datetime(2026, 11, 27, 10, tzinfo=timezone.utc))
        assert r.delivery == "delivered" and r.sent_at == datetime(2026, 11, 27, 10, tzinfo=timezone.utc)
        first_sent = r.sent_at
        referrals.send(s, r, datetime(2026, 11, 28, 10, tzinfo=timezone.utc))
        assert r.sent_at == first_sent  # sending again changes nothing


@pytest.mark.parametrize("sent,due", [
    # Friday afternoon: due by the end of Monday
    (datetime(2026, 11, 27, 15, 0, tzinfo=timezone.utc), "2026-11-30T23:59:59.999999+00:00"),
    # Thursday 24 December 2026: Christmas (Friday), the weekend, and Boxing Day's substitute
    # bank holiday on Monday 28th: due by the end of Tuesday 29 December
    (datetime(2026, 12, 24, 11, 0, tzinfo=timezone.utc), "2026-12-29T23:59:59.999999+00:00"),
    # a summer Friday evening (BST): the end of Monday, London time, is 22:59:59 UTC
    (datetime(2026, 8, 21, 20, 30, tzinfo=timezone.utc), "2026-08-24T22:59:59.999999+00:00"),
    # the late summer bank holiday: sent Friday 28 August 2026, Monday 31st is a holiday
    (datetime(2026, 8, 28, 9, 0, tzinfo=timezone.utc), "2026-09-01T22:59:59.999999+00:00"),
])
def test_acknowledgement_clock_over_weekends_and_bank_holidays(client, partners, clock, sent, due):
    clock.now = sent
    form = create_form(client, yes=3, children_in_household=1)
    [brief] = form["child_referrals"]
    assert datetime.fromisoformat(brief["due_at"].replace("Z", "+00:00")) == datetime.fromisoformat(due)
    clock.now = datetime.fromisoformat(due) - timedelta(minutes=1)
    assert client.get(f"/api/v1/child-referrals/{brief['id']}", headers=token(client, "partner.a")).json()["status"] \
        == "awaiting_acknowledgement"
    clock.now = datetime.fromisoformat(due) + timedelta(minutes=1)
    assert client.get(f"/api/v1/child-referrals/{brief['id']}", headers=token(client, "partner.a")).json()["status"] \
        == "overdue"


def test_an_unacknowledged_referral_escalates_to_the_supervisor(client, partners, clock, sessions):
    form = create_form(client, yes=3, children_in_household=1)  # Friday 27 November 03:00
    [brief] = form["child_referrals"]
    clock.now = datetime(2026, 11, 30, 12, tzinfo=timezone.utc)  # Monday: not yet due
    supervisor = token(client, "supervisor.a")
    with transaction(sessions) as s:
        assert referrals.escalate_overdue(s, clock.now) == []
    assert client.get("/api/v1/supervisor/child-referrals", headers=supervisor).json()["overdue"] == []
    clock.now = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)  # Tuesday morning: overdue
    supervisor = token(client, "supervisor.a")
    r = client.post("/api/v1/supervisor/child-referrals/escalations", headers=supervisor)
    assert r.status_code == 200 and r.json()["escalated"] == [brief["id"]]
    assert client.post("/api/v1/supervisor/child-referrals/escalations", headers=supervisor).json()["escalated"] == []
    [overdue] = client.get("/api/v1/supervisor/child-referrals", headers=supervisor).json()["overdue"]
    assert overdue["id"] == brief["id"] and overdue["escalated_at"].startswith("2026-12-01T09:00")
    # officers and partners cannot run escalation or see the supervisor's list
    for username in ("officer.a", "partner.a"):
        assert client.post("/api/v1/supervisor/child-referrals/escalations", headers=token(client, username)).status_code == 403
        assert client.get("/api/v1/supervisor/child-referrals", headers=token(client, username)).status_code == 403
    # acknowledged late, it leaves the list; the escalation stays on the record
    partner = token(client, "partner.a")
    ack = client.post(f"/api/v1/child-referrals/{brief['id']}/acknowledgement", headers=partner,
                      json={"version": overdue["version"]})
    assert ack.status_code == 200 and ack.json()["escalated_at"] is not None
    assert client.get("/api/v1/supervisor/child-referrals", headers=supervisor).json()["overdue"] == []


def test_partner_acknowledges_and_records_the_outcome(client, partners, clock):
    form = create_form(client, yes=3, children_in_household=1, children=[CHILD])
    [brief] = form["child_referrals"]
    partner = token(client, "partner.a")
    inbox = client.get("/api/v1/child-referrals", headers=partner).json()["items"]
    assert [r["id"] for r in inbox] == [brief["id"]]
    version = inbox[0]["version"]
    early = client.post(f"/api/v1/child-referrals/{brief['id']}/outcome", headers=partner,
                        json={"version": version, "outcome": "Initial assessment."})
    assert early.status_code == 409
    clock.now += timedelta(hours=3)
    ack = client.post(f"/api/v1/child-referrals/{brief['id']}/acknowledgement", headers=partner,
                      json={"version": version})
    assert ack.status_code == 200, ack.text
    body = ack.json()
    assert body["acknowledged_by"] == "Test partner.a" and body["acknowledged_at"].startswith("2026-11-27T06:00")
    assert body["status"] == "acknowledged"
    again = client.post(f"/api/v1/child-referrals/{brief['id']}/acknowledgement", headers=partner,
                        json={"version": body["version"]})
    assert again.status_code == 409
    out = client.post(f"/api/v1/child-referrals/{brief['id']}/outcome", headers=partner,
                      json={"version": body["version"], "outcome": "Strategy discussion held; section 47 enquiry."})
    assert out.status_code == 200 and out.json()["status"] == "outcome_recorded"
    # the police see the outcome on the form
    officer_view = client.get(f"/api/v1/child-referrals/{brief['id']}", headers=token(client, "officer.a")).json()
    assert officer_view["outcome"].startswith("Strategy discussion")


def test_only_the_partner_acknowledges(client, partners):
    form = create_form(client, yes=3, children_in_household=1)
    [brief] = form["child_referrals"]
    for username in ("officer.a", "ppu.a", "supervisor.a"):
        r = client.post(f"/api/v1/child-referrals/{brief['id']}/acknowledgement", headers=token(client, username),
                        json={"version": 2})
        assert r.status_code == 403, username


def test_partner_sees_only_their_division(client, partners):
    a = create_form(client, yes=3, children_in_household=1)["child_referrals"][0]
    b = create_form(client, username="officer.b", yes=3, children_in_household=1)["child_referrals"][0]
    pa, pb = token(client, "partner.a"), token(client, "partner.b")
    assert [r["id"] for r in client.get("/api/v1/child-referrals", headers=pa).json()["items"]] == [a["id"]]
    assert [r["id"] for r in client.get("/api/v1/child-referrals", headers=pb).json()["items"]] == [b["id"]]
    assert client.get(f"/api/v1/child-referrals/{a['id']}", headers=pb).status_code == 403
    assert client.post(f"/api/v1/child-referrals/{a['id']}/acknowledgement", headers=pb,
                       json={"version": 2}).status_code == 403
    # partners have no access to the risk forms or to MARAC
    form_id = client.get(f"/api/v1/child-referrals/{a['id']}", headers=pa).json()["risk_form_id"]
    assert client.get(f"/api/v1/domestic-abuse/forms/{form_id}", headers=pa).status_code == 403
    assert client.get("/api/v1/domestic-abuse/queue", headers=pa).status_code == 403


def test_any_child_protection_concern_is_referred(client, partners, world):
    r = client.post("/api/v1/child-referrals", headers=token(client, "officer.a"), json={
        "child": {"forename": "Robin", "surname": "Concern", "date_of_birth": "2015-02-03"},
        "home": {"address": "9 Sample Road, Testport", "postcode": "NP20 1AA"},
        "concern": "Child found alone at home at 2am; parents out."})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["delivery"] == "delivered" and body["partner_id"] == partners.csc["A"]
    assert body["division_id"] == world.divisions["A"] and body["risk_form_id"] is None
    assert client.post("/api/v1/child-referrals", headers=token(client, "officer.a"), json={
        "child": {"forename": "Robin", "surname": "Concern"}, "concern": "Too short"}).status_code == 422


def test_without_a_childrens_social_care_partner_the_form_is_on_the_supervisors_list(client, sessions):
    # no partners fixture: no children's social care anywhere
    form = create_form(client, yes=3, children_in_household=2)
    assert form["child_referrals"] == []
    lists = client.get("/api/v1/supervisor/child-referrals", headers=token(client, "supervisor.a")).json()
    assert [f["risk_form_id"] for f in lists["unreferred_forms"]] == [form["id"]]
    r = client.post("/api/v1/child-referrals", headers=token(client, "officer.a"), json={
        "child": {"forename": "No", "surname": "Partner"}, "concern": "Child seen with injuries."})
    assert r.status_code == 422 and "division_id" in r.json()["errors"]
