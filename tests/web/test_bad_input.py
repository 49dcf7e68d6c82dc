"""Bad input gets a 4xx naming the field, and nothing is written half-way."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from beacon.cases.missing_persons.models import MissingReport
from beacon.people.models import Location, Person
from tests.factories import report_payload
from tests.web.helpers import token


def counts(sessions):
    with sessions() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (MissingReport, Person, Location))


@pytest.mark.parametrize("change,field", [
    ({"last_seen_at": "2026-11-27T05:00:00+00:00", "reported_at": "2026-11-27T02:00:00+00:00"}, "last_seen_at"),
    ({"last_seen_at": "2026-11-27T01:00:00"}, "last_seen_at"),
    ({"last_seen_at": "0001-01-01T00:00:00+00:01"}, "last_seen_at"),
    ({"last_seen_at": "2999-01-01T00:00:00+00:00", "reported_at": None}, "last_seen_at"),
    ({"risk_grade": "purple"}, "risk_grade"),
    ({"rationale": "short"}, "rationale"),
    ({"circumstances": ""}, "circumstances"),
    ({"person": {"forename": "A", "surname": "B", "date_of_birth": "2030-01-01"}}, "person.date_of_birth"),
    ({"person": {"forename": "A", "surname": "B", "date_of_birth": "2026-11-28"}}, "person.date_of_birth"),
    ({"person": {"forename": "A", "surname": "B", "date_of_birth": 0}}, "person.date_of_birth"),
    ({"person": {"forename": "A", "surname": "B", "date_of_birth": "1167609600"}}, "person.date_of_birth"),
    ({"person": {"forename": "A", "surname": "B", "date_of_birth": "2001-02-30"}}, "person.date_of_birth"),
    ({"last_seen_at": 1164600000}, "last_seen_at"),
    ({"person": None}, "person"),
    ({"person_id": 424242, "person": None}, "person_id"),
    ({"person_id": 2**63, "person": None}, "person_id"),      # past SQLite's integers: a fuzzer's find
    ({"home": {"address": "1 Road", "postcode": "NOT A POSTCODE"}}, "home.postcode"),
    ({"risk_grade": "absent_from_care"}, "from_care"),
    ({"unexpected": 1}, "unexpected"),
    ({"division_id": "two"}, "division_id"),
    ({"from_care": "perhaps"}, "from_care"),
])
def test_create_rejects_each_bad_field(client, sessions, change, field):
    before = counts(sessions)
    body = report_payload(**change)
    body = {k: v for k, v in body.items() if v is not None}
    r = client.post("/api/v1/missing-persons", json=body, headers=token(client, "officer.a"))
    assert r.status_code == 422, r.text
    assert field in r.json()["errors"], r.json()
    assert counts(sessions) == before


def test_malformed_json_and_wrong_content(client, sessions):
    headers = {**token(client, "officer.a"), "content-type": "application/json"}
    before = counts(sessions)
    r = client.post("/api/v1/missing-persons", content=b'{"person": ', headers=headers)
    assert r.status_code == 422 and "body" in r.json()["errors"]
    r = client.post("/api/v1/missing-persons", content=b"[1, 2]", headers=headers)
    assert r.status_code == 422
    assert counts(sessions) == before


def test_oversized_body_is_refused_before_it_is_read(client, sessions):
    body = report_payload(circumstances="x" * 400_000)
    r = client.post("/api/v1/missing-persons", content=json.dumps(body).encode(),
                    headers={**token(client, "officer.a"), "content-type": "application/json"})
    assert r.status_code == 413


def test_closing_before_last_seen_is_refused(client, sessions):
    headers = token(client, "officer.a")
    report = client.post("/api/v1/missing-persons", json=report_payload(), headers=headers).json()
    r = client.post(f"/api/v1/missing-persons/{report['id']}/closure", headers=headers, json={
        "version": report["version"], "closed_at": "2026-11-26T01:00:00+00:00", "outcome": "found",
        "found_place": {"address": "Home address"}, "found_by": "PC Sample"})
    assert r.status_code == 422 and "closed_at" in r.json()["errors"]
    after = client.get(f"/api/v1/missing-persons/{report['id']}", headers=headers).json()
    assert after["status"] == "open" and after["version"] == report["version"]


def test_unknown_ids_are_404_and_bad_ids_422(client):
    headers = token(client, "supervisor.a")
    assert client.post("/api/v1/missing-persons/99999/reviews", headers=headers,
                       json={"version": 1, "notes": "Checked"}).status_code == 404
    assert client.get("/api/v1/missing-persons/abc", headers=headers).status_code in (404, 422)
    assert client.get("/api/v1/missing-persons", params={"limit": 0}, headers=headers).status_code == 422


def test_two_people_saving_at_once_never_overwrite_each_other(client):
    """Both read version 1; the first save wins and the second gets a 409 to resolve."""
    officer = token(client, "officer.a")
    report = client.post("/api/v1/missing-persons", json=report_payload(), headers=officer).json()
    first = client.patch(f"/api/v1/missing-persons/{report['id']}", headers=officer,
                         json={"version": report["version"], "circumstances": "Update from the first officer."})
    second = client.patch(f"/api/v1/missing-persons/{report['id']}", headers=token(client, "supervisor.a"),
                          json={"version": report["version"], "circumstances": "Update from the supervisor."})
    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["current_version"] == first.json()["version"]
    final = client.get(f"/api/v1/missing-persons/{report['id']}", headers=officer).json()
    assert final["circumstances"] == "Update from the first officer."


def test_stale_write_racing_in_the_database_is_caught(sessions, world):
    """Even between read and write in two sessions, the version column refuses the second."""
    from sqlalchemy.orm.exc import StaleDataError

    from beacon import settings_repo
    from beacon.cases.missing_persons import schemas, service
    from beacon.db import utcnow

    user = world.users["officer.a"]
    with sessions.begin() as s:
        s.info["user"] = user
        rid = service.create_report(s, user, settings_repo.load(s), schemas.ReportIn.model_validate(report_payload()),
                                    utcnow()).id
    one, two = sessions(), sessions()
    a, b = one.get(MissingReport, rid), two.get(MissingReport, rid)
    a.circumstances = "first"
    one.commit()
    b.circumstances = "second"
    with pytest.raises(StaleDataError):
        two.commit()
    two.rollback()
    with sessions() as s:
        assert s.get(MissingReport, rid).circumstances == "first"
    one.close()
    two.close()


def test_nul_characters_are_refused_naming_the_field(client, sessions):
    """PostgreSQL cannot store NUL; anywhere it arrives it is a 422 naming the field, never a 500."""
    headers = token(client, "officer.a")
    before = counts(sessions)
    r = client.post("/api/v1/missing-persons", json=report_payload(circumstances="left\x00home"), headers=headers)
    assert r.status_code == 422 and "circumstances" in r.json()["errors"], r.text
    r = client.get("/api/v1/missing-persons", params={"q": "a\x00b"}, headers=headers)
    assert r.status_code == 422 and r.json()["errors"] == {"q": "must not contain the NUL character"}
    assert counts(sessions) == before


def test_an_uploaded_file_name_with_nul_is_kept_without_it(client):
    r = client.post("/api/v1/incident-imports", json={"content": "0", "format": "csv", "filename": "\x00"},
                    headers=token(client, "supervisor.a"))
    assert r.status_code == 422 and "filename" in r.json()["errors"]
    r = client.post("/api/v1/incident-imports", files={"file": ("logs\x00.csv", b"log_ref\n", "text/csv")},
                    headers=token(client, "supervisor.a"))
    assert r.status_code < 500, r.text
    assert "\x00" not in r.json().get("filename", "")


def test_every_input_date_is_iso_text_not_a_unix_time():
    """pydantic reads a number as a Unix time for a date; Beacon's inputs take ISO text only."""
    from pydantic import TypeAdapter, ValidationError

    from beacon.schemas import Day
    day = TypeAdapter(Day)
    assert str(day.validate_python("2007-03-31")) == "2007-03-31"
    for bad in (0, 1167609600, "1167609600", True, "31/03/2007", "1899-12-31"):
        with pytest.raises(ValidationError):
            day.validate_python(bad)


def input_fields(kind: str) -> list[tuple[type, str, object]]:
    """(model, field name, field) for every field of every input model whose type mentions ``kind``."""
    import importlib
    import pkgutil

    import beacon
    from beacon.schemas import Strict
    for info in pkgutil.walk_packages(beacon.__path__, "beacon."):
        importlib.import_module(info.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return [(model, name, field) for model in subclasses(Strict) for name, field in model.model_fields.items()
            if kind in str(field.annotation)]


def test_no_input_model_takes_a_bare_date_or_datetime():
    """Every date and time an input model accepts goes through the ISO-only validators."""
    import datetime as dt
    import typing

    from beacon.schemas import iso_day, iso_moment

    def unchecked(annotation, metadata) -> bool:
        if annotation in (dt.date, dt.datetime):
            return not {iso_day, iso_moment} & {getattr(m, "func", None) for m in metadata}
        if typing.get_origin(annotation) is typing.Annotated:
            inner, *meta = typing.get_args(annotation)
            return unchecked(inner, [*metadata, *meta])
        return any(unchecked(arg, metadata) for arg in typing.get_args(annotation))

    dated = input_fields("date")
    assert len(dated) >= 20   # the walk found the input models
    assert [f"{m.__name__}.{n}" for m, n, f in dated if unchecked(f.annotation, f.metadata)] == []


def test_no_input_model_takes_an_unbounded_whole_number():
    """A number past the databases' integer range (2**63 from a fuzzer) must be a 422, not a 500:
    every whole number an input model accepts has an upper bound."""
    import typing

    import annotated_types
    from pydantic.fields import FieldInfo

    def flat(metadata):
        for m in metadata:
            yield from flat(m.metadata) if isinstance(m, FieldInfo) else (m,)

    def unbounded(annotation, metadata) -> bool:
        if annotation is int:
            return not any(isinstance(m, (annotated_types.Le, annotated_types.Lt)) for m in flat(metadata))
        if typing.get_origin(annotation) is typing.Annotated:
            inner, *meta = typing.get_args(annotation)
            return unbounded(inner, [*metadata, *meta])
        return any(unbounded(arg, []) if typing.get_origin(annotation) is list else unbounded(arg, metadata)
                   for arg in typing.get_args(annotation))

    numbered = input_fields("int")
    assert len(numbered) >= 30   # the walk found the input models
    assert [f"{m.__name__}.{n}" for m, n, f in numbered if unbounded(f.annotation, f.metadata)] == []


# --- whole numbers in the address ----------------------------------------------------------------

def integer_parameters(schema: dict) -> list[tuple[str, str, str, str]]:
    """(method, path, where, name) for every integer query or path parameter in the OpenAPI document."""
    def integer(s: dict) -> bool:
        return s.get("type") == "integer" or any(integer(a) for a in s.get("anyOf", []))

    return [(method, path, p["in"], p["name"]) for path, operations in schema["paths"].items()
            for method, operation in operations.items() for p in operation.get("parameters", [])
            if p["in"] in ("query", "path") and integer(p["schema"])]


def test_every_whole_number_in_the_address_is_digits_only(client, app):
    """pydantic's lax mode reads '1.0', '+1', '1_0' and ' 1' as whole numbers (a fuzzer sent
    offset=+0.0); Beacon's API takes an optional minus sign and digits only."""
    from urllib.parse import quote

    headers = token(client, "supervisor.a")
    parameters = integer_parameters(app.openapi())
    assert len(parameters) >= 50   # the walk found the API's ids, limits and offsets
    accepted = []
    for method, path, where, name in parameters:
        for bad in ("1.0", "+1", "1_0", " 1"):
            url = re.sub(r"\{[^}]+\}", "1", path.replace("{" + name + "}", quote(bad))) if where == "path" \
                else re.sub(r"\{[^}]+\}", "1", path)
            params = {name: bad} if where == "query" else {}
            r = client.request(method.upper(), url, params=params, headers=headers,
                               json={} if method in ("post", "put", "patch") else None)
            if r.status_code != 422 or name not in r.json().get("errors", {}):
                accepted.append(f"{method.upper()} {path} {name}={bad!r}: {r.status_code}")
    assert accepted == []


def test_the_whole_number_type_reads_digits_only():
    from pydantic import TypeAdapter, ValidationError

    from beacon.schemas import WholeNumber
    number = TypeAdapter(WholeNumber(-10, 100))
    assert [number.validate_python(v) for v in ("12", "-3", "007", 12)] == [12, -3, 7, 12]
    for bad in ("1.0", "+1", "1_000", " 1", "1 ", "1e3", "0x1", "", "-", "１２", "1\n", "101", "-11", "9" * 5000):
        with pytest.raises(ValidationError):
            number.validate_python(bad)
    assert number.json_schema() == {"type": "integer", "minimum": -10, "maximum": 100}   # what clients read


# --- deeply nested JSON ----------------------------------------------------------------------------

NESTED = "[" * 100_000       # within the body limit; past any parser's recursion limit


def test_no_route_fails_on_deeply_nested_json(client, app, sessions):
    """Every POST, PUT and PATCH in the OpenAPI document, sent 100,000 nested '[' as its JSON body
    and as each file it takes: a 4xx, never a 5xx, and nothing written."""
    headers = token(client, "supervisor.a")
    before = counts(sessions)
    failed, tried = [], 0
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch"):
                continue
            url = re.sub(r"\{[^}]+\}", "1", path)
            content = operation.get("requestBody", {}).get("content", {"application/json": {}})
            for ctype, spec in content.items():
                if ctype == "multipart/form-data":
                    files = {name: ("nested.json", NESTED.encode(), "application/json")
                             for name, prop in spec["schema"]["properties"].items() if prop.get("format") == "binary"}
                    r = client.request(method.upper(), url, files=files, headers=headers)
                else:
                    r = client.request(method.upper(), url, content=NESTED,
                                       headers={**headers, "content-type": "application/json"})
                tried += 1
                if r.status_code >= 500:
                    failed.append(f"{method.upper()} {path} ({ctype}): {r.status_code}")
    assert tried >= 40 and failed == []   # the walk found the API's writes
    assert counts(sessions) == before


@pytest.mark.parametrize("depth", [100_000, 5_000, 1_000])
def test_an_import_file_nested_too_deeply_is_refused_naming_the_file(client, sessions, depth):
    from beacon.cases.incidents.models import Incident

    nested = "[" * depth + "]" * depth
    headers = token(client, "supervisor.a")
    for r in (client.post("/api/v1/incident-imports", headers=headers,
                          files={"file": ("nested.json", nested.encode(), "application/json")}),
              client.post("/api/v1/incident-imports", headers=headers,
                          json={"format": "json", "content": nested, "filename": "nested.json"})):
        assert r.status_code == 422, r.text
        assert [(e["row"], e["field"]) for e in r.json()["errors"]] == [(0, "file")]
        assert "nested too deeply" in r.json()["errors"][0]["message"]
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Incident)) == 0


def test_the_import_page_refuses_a_deeply_nested_file(client):
    from tests.web.helpers import csrf_of, login

    login(client, "officer.a")
    page = client.get("/incidents/import")
    r = client.post("/incidents/import", data={"csrf_token": csrf_of(page.text), "format": "json"},
                    files={"file": ("nested.json", NESTED.encode(), "application/json")})
    assert r.status_code == 422 and "nested too deeply" in r.text
