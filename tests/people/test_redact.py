"""Names and the places that identify people out of free text for pseudonymised readers: pure
rules, then what an inspector reads."""
from __future__ import annotations

from types import SimpleNamespace

from beacon.people.redact import (
    WITHHELD_NAME,
    WITHHELD_PLACE,
    for_reader,
    linked_places,
    redactor,
)
from tests.child_protection.helpers import open_case
from tests.factories import report_payload
from tests.web.helpers import login, token

VERA = SimpleNamespace(id=12, forename="Vera", surname="Testcase")
KID = SimpleNamespace(id=3, forename="Unnamed child", surname="Testcase")
PAT = SimpleNamespace(id=4, forename="Pat", surname="Harmer")
HOME = SimpleNamespace(address="Bryn Testwood Children's Home, 4 Mill Lane, Cwmbran", postcode="NP44 3XY",
                       kind="care_home")
PARK = SimpleNamespace(address="Testwood Park", postcode="", kind="public_place")


def test_each_persons_names_become_their_pseudonym():
    redact = redactor([VERA, PAT])
    assert redact("Vera Testcase said Pat hit her; HARMER left, vera  testcase stayed.") == \
        "Person 0000012 said Person 0000004 hit her; Person 0000004 left, Person 0000012 stayed."


def test_whole_words_only_and_text_without_names_is_untouched():
    redact = redactor([VERA])
    assert redact("Veranda, Testcases and vera-testcase") == "Veranda, Testcases and Person 0000012-Person 0000012"
    assert redact("") == "" and redact(None) is None


def test_a_shared_surname_or_a_plain_text_name_is_withheld_not_attributed():
    redact = redactor([VERA, KID], ["Mrs Jane Smith"])
    assert redact("Testcase rang; Jane Smith and Mrs Jane Smith called.") == \
        f"{WITHHELD_NAME} rang; {WITHHELD_NAME} {WITHHELD_NAME} and {WITHHELD_NAME} called."
    # placeholder words and titles are withheld only as part of the whole name
    assert redact("The child told Mrs Pratt; Unnamed child Testcase is safe.") == \
        "The child told Mrs Pratt; Person 0000003 is safe."


def test_readers_who_are_not_pseudonymised_see_the_text_as_written():
    assert for_reader(False, [VERA])("Vera Testcase") == "Vera Testcase"
    assert for_reader(True, [VERA])("Vera Testcase") == "Person 0000012"


def test_an_inspector_reads_a_missing_person_report_without_names(client):
    body = report_payload(circumstances="Testy Exampleton left after an argument with Parent Exampleton.",
                          rationale="Testy is thirteen, out overnight, with no phone; first time missing.")
    created = client.post("/api/v1/missing-persons", json=body, headers=token(client, "officer.a"))
    assert created.status_code == 201, created.text
    report_id, person_id = created.json()["id"], created.json()["person_id"]
    seen = client.get(f"/api/v1/missing-persons/{report_id}", headers=token(client, "inspector")).json()
    me = f"Person {person_id:07d}"
    assert seen["circumstances"] == f"{me} left after an argument with {WITHHELD_NAME}."
    assert seen["grades"][0]["rationale"].startswith(f"{me} is thirteen")
    officer = client.get(f"/api/v1/missing-persons/{report_id}", headers=token(client, "officer.a")).json()
    assert officer["circumstances"] == body["circumstances"]


def test_an_inspector_reads_a_child_protection_case_without_the_childs_name(client, world, sessions):
    from tests.child_protection.helpers import build_area
    build_area(world, sessions)
    case = open_case(client, concern="Kit Caseworth told a teacher that Kit is hit at home.")
    seen = client.get(f"/api/v1/child-cases/{case['id']}", headers=token(client, "inspector")).json()
    me = f"Person {case['child_id']:07d}"
    assert seen["concern"] == f"{me} told a teacher that {me} is hit at home."
    login(client, "inspector")
    page = client.get(f"/child-protection/cases/{case['id']}")
    assert page.status_code == 200 and "Caseworth" not in page.text and f"{me} told a teacher" in page.text


def test_an_inspector_reads_a_risk_form_without_the_household_names(client, world, sessions):
    from tests.domestic_abuse.helpers import build_partners, create_form
    build_partners(world, sessions)
    form = create_form(client, yes=3, judged_level="high",
                       judgement_reason="Vera Testcase fears Pat Harmer will kill her; Harmer has a knife.")
    seen = client.get(f"/api/v1/domestic-abuse/forms/{form['id']}", headers=token(client, "inspector")).json()
    victim, perpetrator = seen["victim_name"], seen["perpetrator_name"]
    assert victim.startswith("Person ") and perpetrator.startswith("Person ")
    assert seen["judgement_reason"] == f"{victim} fears {perpetrator} will kill her; {perpetrator} has a knife."


def test_a_linked_homes_name_street_and_postcode_become_place_withheld():
    redact = redactor([], places=[HOME])
    assert redact("Failed to return to Bryn Testwood Children\u2019s Home; staff at Bryn Testwood and at "
                  "testwood searched Mill Lane and NP44 3XY.") == \
        f"Failed to return to {WITHHELD_PLACE}; staff at {WITHHELD_PLACE} and at {WITHHELD_PLACE} searched " \
        f"{WITHHELD_PLACE} and {WITHHELD_PLACE}."
    assert redact("Bryn Testwood Children's Home, 4 Mill Lane, Cwmbran") == WITHHELD_PLACE


def test_public_places_generic_words_and_the_town_stay():
    redact = redactor([], places=[HOME, PARK])
    assert redact("Seen in Testwood Park in Cwmbran, then at another children's home.") == \
        f"Seen in {WITHHELD_PLACE} Park in Cwmbran, then at another children's home."
    # the park alone names nobody's home
    assert redactor([], places=[PARK])("Seen in Testwood Park.") == "Seen in Testwood Park."


def test_a_word_that_is_a_name_and_a_place_is_withheld_as_a_name():
    bryn = SimpleNamespace(id=7, forename="Bryn", surname="Jonestest")
    assert redactor([bryn], places=[HOME])("Bryn left Bryn Testwood.") == f"{WITHHELD_NAME} left {WITHHELD_PLACE}."


def test_a_reader_who_is_not_pseudonymised_loads_no_places():
    def unread():
        raise AssertionError("places read for a reader who sees them anyway")
        yield
    assert for_reader(False, [VERA], places=unread())("Bryn Testwood") == "Bryn Testwood"
    assert list(linked_places([SimpleNamespace(home_location=HOME), None], None, PARK)) == [HOME, PARK]


def test_an_inspector_reads_a_childrens_home_report_without_the_homes_name(client):
    body = report_payload(
        home={"address": "Bryn Testwood Children's Home, 4 Mill Lane", "postcode": "NP44 3XY", "kind": "care_home"},
        from_care=True, risk_grade="absent_from_care",
        circumstances="Failed to return to Bryn Testwood Children's Home by 22:00; staff at Testwood searched Mill Lane.",
        rationale="Looked after child, absent from Bryn Testwood overnight; known to staff.")
    created = client.post("/api/v1/missing-persons", json=body, headers=token(client, "officer.a"))
    assert created.status_code == 201, created.text
    report_id = created.json()["id"]
    seen = client.get(f"/api/v1/missing-persons/{report_id}", headers=token(client, "inspector")).json()
    assert seen["circumstances"] == (f"Failed to return to {WITHHELD_PLACE} by 22:00; staff at {WITHHELD_PLACE} "
                                     f"searched {WITHHELD_PLACE}.")
    assert "Testwood" not in seen["grades"][0]["rationale"]
    login(client, "inspector")
    page = client.get(f"/missing-persons/{report_id}")
    assert page.status_code == 200 and "Testwood" not in page.text and "Mill Lane" not in page.text
    officer = client.get(f"/api/v1/missing-persons/{report_id}", headers=token(client, "officer.a")).json()
    assert officer["circumstances"] == body["circumstances"]


def test_an_inspector_reads_a_risk_form_without_the_homes_address(client, world, sessions):
    from tests.domestic_abuse.helpers import build_partners, create_form
    build_partners(world, sessions)
    form = create_form(client, yes=3, judged_level="high",
                       judgement_reason="Pat Harmer was seen outside 3 Example Street again; Example Street is quiet.")
    seen = client.get(f"/api/v1/domestic-abuse/forms/{form['id']}", headers=token(client, "inspector")).json()
    assert seen["judgement_reason"] == (f"{seen['perpetrator_name']} was seen outside {WITHHELD_PLACE} again; "
                                        f"{WITHHELD_PLACE} is quiet.")


def test_an_inspector_reads_a_child_protection_case_without_the_childs_home(client, world, sessions):
    from beacon.access.unit_of_work import transaction
    from beacon.cases.incidents.models import Incident, IncidentPerson
    from beacon.people.models import Location, Person
    from tests.child_protection.helpers import build_area
    from tests.conftest import NOW
    build_area(world, sessions)
    with transaction(sessions) as s:
        home = Location(address="Nant Testcote, 9 Quarry Row", postcode="NP4 6ZZ", division_id=world.divisions["A"])
        child = Person(forename="Kit", surname="Caseworth", forename_norm="kit", surname_norm="caseworth",
                       home_location=home)
        s.add(child)
        s.flush()
        child_id = child.id
        # a log of division A names the child, so the PPU there may name them (referencing is access)
        s.add(Incident(log_ref="RD-1", received_at=NOW, closing_code="child_protection",
                       division_id=world.divisions["A"], people=[IncidentPerson(person_id=child_id, role="child")]))
    case = open_case(client, child=None, child_id=child_id,
                     concern="Kit told a teacher she is hit at Nant Testcote; neighbours in Quarry Row heard shouting.")
    seen = client.get(f"/api/v1/child-cases/{case['id']}", headers=token(client, "inspector")).json()
    assert seen["concern"] == (f"Person {case['child_id']:07d} told a teacher she is hit at {WITHHELD_PLACE}; "
                               f"neighbours in {WITHHELD_PLACE} heard shouting.")


def test_an_inspector_reads_a_referrals_outcome_on_a_persons_page_without_names_or_home(client, partners):
    from tests.domestic_abuse.helpers import create_form
    form = create_form(client, yes=3, children_in_household=1,
                       children=[{"person": {"forename": "Kit", "surname": "Testcase", "date_of_birth": "2018-06-01"}}])
    [brief] = form["child_referrals"]
    partner = token(client, "partner.a")
    version = client.get(f"/api/v1/child-referrals/{brief['id']}", headers=partner).json()["version"]
    ack = client.post(f"/api/v1/child-referrals/{brief['id']}/acknowledgement", headers=partner,
                      json={"version": version}).json()
    out = client.post(f"/api/v1/child-referrals/{brief['id']}/outcome", headers=partner, json={
        "version": ack["version"], "outcome": "Kit and Vera Testcase left 3 Example Street for a refuge."})
    assert out.status_code == 200, out.text
    child_id = out.json()["child_id"]
    body = client.get(f"/api/v1/people/{child_id}", headers=token(client, "inspector")).json()
    [row] = next(p for p in body["parts"] if p["key"] == "child_referrals")["rows"]
    assert row["outcome"] == (f"Person {child_id:07d} and Person {form['victim_id']:07d} left {WITHHELD_PLACE} "
                              "for a refuge.")
    seen = client.get(f"/api/v1/child-referrals/{brief['id']}", headers=token(client, "inspector")).json()
    assert seen["outcome"] == row["outcome"]
