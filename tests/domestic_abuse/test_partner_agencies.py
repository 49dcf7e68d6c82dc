"""Two councils can share a division (Gwent's Torfaen and Monmouthshire in one BCU): each
council's children's social care sees, acknowledges and is sent only its own referrals."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from beacon.access.unit_of_work import transaction
from beacon.cases.incidents.models import Incident, IncidentPerson
from beacon.org.models import PartnerBody, User
from beacon.org.roles import Role, Vetting
from beacon.people.models import Location, Person, normalise
from tests.conftest import NOW
from tests.domestic_abuse.helpers import add_council
from tests.domestic_abuse.test_child_referrals import set_partner_active
from tests.factories import _HASH
from tests.logs import entries
from tests.web.helpers import csrf_of, login, token
from tests.web.pagecheck import check_page

CONCERN = "Child seen at school with bruising to both arms; says a parent did it."


@pytest.fixture
def eastvale(world, sessions, partners) -> dict:
    """A second council in division A with its own children's social care and duty team user,
    and a child living in one of its wards, named in a log of division A (so officer.a may name
    the child: referencing a person needs a record naming them in the officer's division)."""
    with transaction(sessions) as s:
        la, ward = add_council(s, world, "A", "Eastvale")
        body = PartnerBody(force_id=world.force_id, kind="childrens_social_care", name="Eastvale Children's Services",
                           local_authority_id=la.id)
        s.add(body)
        s.flush()
        s.add(User(username="partner.east", password_hash=_HASH, role=Role.PARTNER, vetting=Vetting.RV,
                   division_id=world.divisions["A"], partner_id=body.id, display_name="Test partner.east"))
        home = Location(address="4 Far Lane, Eastvale", postcode="NP44 1AA", kind="residential",
                        division_id=world.divisions["A"], ward_id=ward.id)
        child = Person(forename="Sky", surname="Eastcase", forename_norm=normalise("Sky"),
                       surname_norm=normalise("Eastcase"), gender="unknown", home_location=home)
        s.add(child)
        s.flush()
        s.add(Incident(log_ref="EV-1", received_at=NOW, closing_code="child_protection", division_id=world.divisions["A"],
                       location_id=home.id, people=[IncidentPerson(person_id=child.id, role="victim")]))
        return {"partner_id": body.id, "child_id": child.id}


def refer(client, **body) -> dict:
    r = client.post("/api/v1/child-referrals", headers=token(client, "officer.a"), json={"concern": CONCERN, **body})
    assert r.status_code == 201, r.text
    return r.json()


def listed(client, username: str) -> list[int]:
    return [r["id"] for r in client.get("/api/v1/child-referrals", headers=token(client, username)).json()["items"]]


def test_a_referral_goes_to_the_council_where_the_child_lives_and_only_it_sees_it(client, sessions, partners, eastvale):
    east = refer(client, child_id=eastvale["child_id"])
    testport = refer(client, child={"forename": "Lee", "surname": "Westcase"})   # no address: the first council
    assert east["partner_id"] == eastvale["partner_id"] and east["delivery"] == "delivered"
    assert testport["partner_id"] == partners.csc["A"]
    assert listed(client, "partner.east") == [east["id"]]
    assert listed(client, "partner.a") == [testport["id"]]
    other = token(client, "partner.a")
    assert client.get(f"/api/v1/child-referrals/{east['id']}", headers=other).status_code == 403
    assert client.post(f"/api/v1/child-referrals/{east['id']}/acknowledgement", headers=other,
                       json={"version": 2}).status_code == 403
    r = client.post(f"/api/v1/child-referrals/{east['id']}/acknowledgement", headers=token(client, "partner.east"),
                    json={"version": 2})
    assert r.status_code == 200 and r.json()["acknowledged_by"] == "Test partner.east"
    with sessions() as s:
        denied = entries(sessions, username="partner.a", outcome="denied")
    assert {(d.record_id, d.detail) for d in denied} == {(str(east["id"]), "sent to another agency")}


def test_the_referrer_may_choose_the_council(client, partners, eastvale):
    chosen = refer(client, child={"forename": "Ola", "surname": "Choosecase"}, partner_id=eastvale["partner_id"])
    assert chosen["partner_id"] == eastvale["partner_id"] and listed(client, "partner.east") == [chosen["id"]]
    # a council outside the referral's division, or a body that is not children's social care
    for wrong in (partners.csc["B"], partners.marac["A"], 999_999):
        r = client.post("/api/v1/child-referrals", headers=token(client, "officer.a"),
                        json={"concern": CONCERN, "child": {"forename": "No", "surname": "Case"}, "partner_id": wrong})
        assert r.status_code == 422 and "partner_id" in r.json()["errors"], wrong


def test_each_council_needs_its_own_inbox(client, sessions, partners, eastvale):
    set_partner_active(sessions, "partner.east", False)   # Testport's duty team is still there
    failed = refer(client, child_id=eastvale["child_id"])
    assert failed["delivery"] == "failed" and failed["sent_at"] is None
    assert listed(client, "partner.a") == []


def test_a_partner_user_linked_to_no_agency_sees_nothing(client, sessions, partners, world):
    refer(client, child={"forename": "Lee", "surname": "Westcase"})
    with transaction(sessions) as s:
        s.add(User(username="partner.loose", password_hash=_HASH, role=Role.PARTNER, vetting=Vetting.RV,
                   division_id=world.divisions["A"],
                   display_name="Test partner.loose"))
    assert listed(client, "partner.loose") == []


def test_the_referral_page_offers_the_divisions_councils(client, partners, eastvale):
    login(client, "officer.a")
    page = client.get("/referrals/new").text
    check_page(page)
    assert 'name="partner_id"' in page and "Eastvale Children&#39;s Services" in page
    assert "Otherby" not in page   # division B's council is not offered to an officer in A
    fields = {"csrf_token": csrf_of(page), "forename": "Ash", "surname": "Pagecase", "concern": CONCERN}
    bad = client.post("/referrals/new", data={**fields, "partner_id": str(partners.csc["B"])})
    assert bad.status_code == 422 and 'href="#partner_id"' in bad.text
    check_page(bad.text)
    r = client.post("/referrals/new", follow_redirects=False, data={**fields, "partner_id": str(eastvale["partner_id"])})
    assert r.status_code == 303, r.text[:2000]
    assert "Referral sent to Eastvale Children&#39;s Services." in client.get(r.headers["location"]).text


def test_a_referral_is_never_delivered_to_a_council_the_child_does_not_live_in(client, sessions, partners, world):
    """A Caerphilly child's referral, made in another division, was delivered to Torfaen (which could
    read it). Now a child known to live in a council the division does not cover is refused, naming the
    field, and nothing is sent."""
    from beacon.org.models import Ward
    with transaction(sessions) as s:
        ward = s.scalars(select(Ward).where(Ward.name == "Otherby Ward 1")).one()
        s.add(Location(address="9 Border Row, Otherby", postcode="NP4 9ZZ", kind="residential",
                       division_id=world.divisions["B"], ward_id=ward.id))
    r = client.post("/api/v1/child-referrals", headers=token(client, "officer.a"),
                    json={"concern": CONCERN, "child": {"forename": "Rae", "surname": "Bordercase"},
                          "home": {"address": "9 Border Row, Otherby", "postcode": "NP4 9ZZ"}})
    assert r.status_code == 422 and "Otherby" in r.json()["errors"]["home"], r.text
    assert listed(client, "partner.a") == [] and listed(client, "partner.b") == []
