"""Names out of free text for pseudonymised readers: pure rules, then what an inspector reads."""
from __future__ import annotations

from types import SimpleNamespace

from beacon.people.redact import WITHHELD_NAME, for_reader, redactor
from tests.child_protection.helpers import open_case
from tests.factories import report_payload
from tests.web.helpers import login, token

VERA = SimpleNamespace(id=12, forename="Vera", surname="Testcase")
KID = SimpleNamespace(id=3, forename="Unnamed child", surname="Testcase")
PAT = SimpleNamespace(id=4, forename="Pat", surname="Harmer")


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
