"""Referencing is access: a create that names a record (a person, a log, a referral...) is
refused, and logged, exactly where a direct read of that record would be; it never reveals the
record, and never grants a read of it afterwards.

Two walks keep it so: every input model's record numbers are ``ref(kind)`` fields (resolved
by ``beacon.access.references``), and every route that takes one is in ``CASES`` below, where a
user of another division naming a record they cannot read gets the 403.
"""
from __future__ import annotations

import importlib
import pkgutil
import typing
from collections.abc import Callable
from datetime import datetime, timezone

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy import func, select

import beacon
from beacon.access.references import _kind, _kind_in
from beacon.access.unit_of_work import transaction
from beacon.cases.child_protection.models import (
    ChildCase,
    ChildReferral,
    PoliceProtection,
)
from beacon.cases.domestic_abuse.models import MaracAction, MaracMeeting, RiskForm
from beacon.cases.missing_persons.models import MissingReport
from beacon.org.models import PartnerBody
from beacon.schemas import Strict, _not_true_or_false
from tests.child_protection.helpers import build_area, open_case
from tests.domestic_abuse.helpers import add_incident, create_form, form_payload
from tests.factories import report_payload
from tests.logs import entries
from tests.web.helpers import api_routes, token

CONCERN = "Child seen at school with bruising to both arms; says a parent did it."


def _input_models() -> list[type[Strict]]:
    for info in pkgutil.walk_packages(beacon.__path__, "beacon."):
        importlib.import_module(info.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return list(subclasses(Strict))


def _is_record_number(info) -> bool:
    """An int field validated as a record number (the ``Id`` shape) that is not a ``ref``."""
    def validators(annotation):
        for m in getattr(annotation, "__metadata__", ()) or ():
            yield m
        for arg in typing.get_args(annotation):
            yield from validators(arg)

    found = list(info.metadata) + list(validators(info.annotation))
    return any(getattr(m, "func", None) is _not_true_or_false for m in found)


def _mentions_int(annotation) -> bool:
    if annotation is int:
        return True
    return any(_mentions_int(a) for a in typing.get_args(annotation) if not isinstance(a, (str, int)))


def test_every_record_number_an_input_model_takes_is_a_ref():
    bare = []
    for model in _input_models():
        for name, info in model.model_fields.items():
            kind = _kind(info.metadata) or _kind_in(info.annotation)
            numeric = _mentions_int(info.annotation)
            if kind is None and name != "version" and (_is_record_number(info)
                                                       or (numeric and name.endswith(("_id", "_ids")))):
                bare.append(f"{model.__module__}.{model.__name__}.{name}")
    assert bare == [], f"record numbers resolved without the read check: type them ref(kind): {bare}"


def _ref_paths(model: type[BaseModel], prefix: str = "") -> set[tuple[str, str]]:
    out = set()
    for name, info in model.model_fields.items():
        kind = _kind(info.metadata) or _kind_in(info.annotation)
        if kind is not None:
            out.add((prefix + name, kind))
            continue
        for t in (info.annotation, *typing.get_args(info.annotation)):
            for inner in (t, *typing.get_args(t)):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    out |= _ref_paths(inner, f"{prefix}{name}.")
    return out


def _routes_with_refs(app) -> set[tuple[str, str, str, str]]:
    found = set()
    for path, route in api_routes(app):   # app.routes hides included routers' routes from FastAPI 0.16x
        if not isinstance(route, APIRoute) or route.body_field is None:
            continue
        model = route.body_field.field_info.annotation
        if isinstance(model, type) and issubclass(model, Strict):
            for field, kind in _ref_paths(model):
                for method in route.methods:
                    found.add((method, path, field, kind))
    return found


# --- the records of division A that a division B user may not read -----------------------

@pytest.fixture
def records(client, world, sessions):
    area = build_area(world, sessions)
    with transaction(sessions) as s:   # a MARAC in division B too, so B's DVO can hold a meeting
        b = s.get(PartnerBody, area.csc["B"])
        marac_b = PartnerBody(force_id=world.force_id, kind="marac", name="Otherby MARAC",
                              local_authority_id=b.local_authority_id)
        s.add(marac_b)
    a = token(client, "officer.a")
    report = client.post("/api/v1/missing-persons", json=report_payload(), headers=a).json()
    incident = add_incident(sessions, world.divisions["A"], datetime(2026, 11, 20, tzinfo=timezone.utc),
                            report["person_id"], "REF-A-1")
    form = create_form(client, "officer.a", yes=14)
    marac = client.post(f"/api/v1/domestic-abuse/forms/{form['id']}/marac-referral", headers=token(client, "ppu.a"),
                        json={"version": form["version"]}).json()
    referral = client.post("/api/v1/child-referrals", headers=a,
                           json={"child": {"forename": "Ash", "surname": "Refcase"}, "concern": CONCERN}).json()
    case = open_case(client, "ppu.a")
    meeting_b = client.post(f"/api/v1/marac/divisions/{world.divisions['B']}/meetings", headers=token(client, "ppu.b"),
                            json={"held_on": "2026-11-20", "agencies_present": ["Police"]}).json()
    return {"person": report["person_id"], "incident": incident, "marac": marac["id"], "child_referral": referral["id"],
            "child_case": case["id"], "case_child": case["child_id"], "meeting_b": meeting_b["id"], "world": world,
            "area": area}


Body = Callable[[dict, int], dict]
# (method, path, field, kind) -> (user of division B, path filled, body naming record number n, table written)
CASES: dict[tuple[str, str, str, str], tuple[str, Callable[[dict], str], Body, type]] = {
    ("POST", "/api/v1/missing-persons", "person_id", "person"):
        ("officer.b", lambda r: "/api/v1/missing-persons",
         lambda r, n: {**report_payload(person=None), "person_id": n}, MissingReport),
    ("POST", "/api/v1/domestic-abuse/forms", "victim_id", "person"):
        ("officer.b", lambda r: "/api/v1/domestic-abuse/forms",
         lambda r, n: {**form_payload(victim=None), "victim_id": n}, RiskForm),
    ("POST", "/api/v1/domestic-abuse/forms", "perpetrator_id", "person"):
        ("officer.b", lambda r: "/api/v1/domestic-abuse/forms",
         lambda r, n: {**form_payload(perpetrator=None), "perpetrator_id": n}, RiskForm),
    ("POST", "/api/v1/domestic-abuse/forms", "children.person_id", "person"):
        ("officer.b", lambda r: "/api/v1/domestic-abuse/forms",
         lambda r, n: {**form_payload(children_in_household=1), "children": [{"person_id": n}]}, RiskForm),
    ("POST", "/api/v1/domestic-abuse/forms", "incident_id", "incident"):
        ("officer.b", lambda r: "/api/v1/domestic-abuse/forms", lambda r, n: {**form_payload(), "incident_id": n},
         RiskForm),
    ("POST", "/api/v1/marac/divisions/{division_id}/meetings", "referral_ids", "marac"):
        ("ppu.b", lambda r: f"/api/v1/marac/divisions/{r['world'].divisions['B']}/meetings",
         lambda r, n: {"held_on": "2026-11-21", "agencies_present": ["Police"], "referral_ids": [n]}, MaracMeeting),
    ("POST", "/api/v1/marac/meetings/{meeting_id}/actions", "referral_id", "marac"):
        ("ppu.b", lambda r: f"/api/v1/marac/meetings/{r['meeting_b']}/actions",
         lambda r, n: {"referral_id": n, "text": "Safety planning visit", "owner_agency": "Police"}, MaracAction),
    ("POST", "/api/v1/child-referrals", "child_id", "person"):
        ("officer.b", lambda r: "/api/v1/child-referrals", lambda r, n: {"child_id": n, "concern": CONCERN},
         ChildReferral),
    ("POST", "/api/v1/child-referrals", "incident_id", "incident"):
        ("officer.b", lambda r: "/api/v1/child-referrals",
         lambda r, n: {"child": {"forename": "Bo", "surname": "Refcase"}, "concern": CONCERN, "incident_id": n},
         ChildReferral),
    ("POST", "/api/v1/child-cases", "child_id", "person"):
        ("ppu.b", lambda r: "/api/v1/child-cases", lambda r, n: {"child_id": n, "concern": CONCERN}, ChildCase),
    ("POST", "/api/v1/child-cases", "referral_id", "child_referral"):
        ("ppu.b", lambda r: "/api/v1/child-cases", lambda r, n: {"referral_id": n}, ChildCase),
    ("POST", "/api/v1/police-protection", "child_id", "person"):
        ("ppu.b", lambda r: "/api/v1/police-protection",
         lambda r, n: {"child_id": n, "taken_at": "2026-11-26T20:00:00+00:00", "notes": "Found alone at home."},
         PoliceProtection),
    ("POST", "/api/v1/police-protection", "case_id", "child_case"):
        ("ppu.b", lambda r: "/api/v1/police-protection",
         lambda r, n: {"case_id": n, "taken_at": "2026-11-26T20:00:00+00:00", "notes": "Found alone at home."},
         PoliceProtection),
}
# Organisation records any signed-in user may name (whether they may act there is the create's own
# check) and inspection records only inspectors reach: their record numbers are checked to exist.
OPEN_KINDS = {"division", "force", "partner", "evidence", "inspection", "@record_type"}   # @: the reveal request (inspectors read every record)


def test_every_route_that_takes_a_record_number_is_walked(app):
    routes = _routes_with_refs(app)
    walked = set(CASES)
    assert routes, "the walk found no route that takes a record number"
    missing = {r for r in routes if r not in walked and r[3] not in OPEN_KINDS}
    assert missing == set(), f"add these to CASES (a body naming a record the user may not read): {sorted(missing)}"
    assert {r[3] for r in routes} <= {"person", "incident", "marac", "child_referral", "child_case"} | OPEN_KINDS


def _count(sessions, model) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("case", sorted(CASES), ids=lambda c: f"{c[1]}:{c[2]}")
def test_naming_a_record_you_may_not_read_is_refused_and_logged(client, sessions, records, case):
    username, path, body, table = CASES[case]
    field, kind = case[2], case[3]
    number = records["case_child"] if (kind == "person" and username == "ppu.b") else records[kind]
    before = _count(sessions, table)
    r = client.post(path(records), json=body(records, number), headers=token(client, username))
    assert r.status_code == 403, r.text
    named = field.split(".")[0] if field.startswith("children") else field
    assert r.json()["detail"].startswith(named.replace("children", "children.0")), r.json()
    assert _count(sessions, table) == before
    refused = entries(sessions, username=username, outcome="denied", record_id=str(number))
    assert any(f"named in" in e.detail for e in refused), [e.detail for e in refused]


@pytest.mark.parametrize("case", sorted(CASES), ids=lambda c: f"{c[1]}:{c[2]}")
def test_naming_a_record_that_does_not_exist_is_422_naming_the_field(client, records, case):
    username, path, body, _ = CASES[case]
    r = client.post(path(records), json=body(records, 999_999), headers=token(client, username))
    assert r.status_code == 422, r.text
    assert any(k.startswith(case[2].split(".")[0]) for k in r.json()["errors"]), r.json()


def test_a_refused_person_stays_refused_after_the_attempt(client, records):
    """The report's finding: a 201 on the create, then the person page opened. Now neither."""
    b = token(client, "officer.b")
    assert client.get(f"/api/v1/people/{records['person']}", headers=b).status_code == 403
    r = client.post("/api/v1/child-referrals", headers=b, json={"child_id": records["person"], "concern": CONCERN})
    assert r.status_code == 403 and "Testy" not in r.text and "Exampleton" not in r.text
    assert client.get(f"/api/v1/people/{records['person']}", headers=b).status_code == 403


def test_the_owning_division_may_name_its_own_records(client, records):
    a = token(client, "officer.a")
    r = client.post("/api/v1/child-referrals", headers=a, json={"child_id": records["case_child"], "concern": CONCERN})
    assert r.status_code == 403   # the child is on a PPU case only: an officer cannot read it
    r = client.post("/api/v1/child-cases", headers=token(client, "ppu.a"),
                    json={"referral_id": records["child_referral"]})
    assert r.status_code == 201, r.text


def test_a_child_protection_record_is_for_someone_under_18(client, records):
    """A referral for a person born in 1995 was "delivered" to children's social care."""
    r = client.post("/api/v1/child-referrals", headers=token(client, "officer.a"),
                    json={"child_id": records["person"], "concern": CONCERN})
    assert r.status_code == 201   # the missing 13-year-old: a child
    adult = create_form(client, "officer.a", yes=3, victim={"forename": "Ada", "surname": "Grownup",
                                                            "date_of_birth": "1995-03-01", "gender": "female"})
    r = client.post("/api/v1/child-referrals", headers=token(client, "officer.a"),
                    json={"child_id": adult["victim_id"], "concern": CONCERN})
    assert r.status_code == 422 and "under 18" in r.json()["errors"]["child_id"]


def test_a_person_named_in_a_page_address_is_a_read_too(client, sessions, records):
    """The new risk form prefills a known victim from ``?victim_id=``: a user of another division
    got that person's name and date of birth without being allowed to read them. Now the address
    is resolved as a body is: 403 and a denial in the log, and the owning division still sees it."""
    from tests.web.helpers import login

    person = records["person"]
    login(client, "officer.b")
    r = client.get(f"/domestic-abuse/new?victim_id={person}")
    assert r.status_code == 403 and "Exampleton" not in r.text, r.status_code
    refused = entries(sessions, username="officer.b", outcome="denied", record_id=str(person))
    assert any("named in victim_id" in e.detail for e in refused), [e.detail for e in refused]
    assert client.get("/domestic-abuse/new?victim_id=999999").status_code == 422
    login(client, "officer.a")
    r = client.get(f"/domestic-abuse/new?victim_id={person}")
    assert r.status_code == 200 and "Exampleton" in r.text
