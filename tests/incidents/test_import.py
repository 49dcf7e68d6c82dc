"""Bulk import: idempotent on the log reference, all-or-nothing, every bad row reported by row and field."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from beacon.access.models import RecordHistory
from beacon.cases.incidents import importer
from beacon.cases.incidents.models import (
    AddressWarning,
    ImportBatch,
    Incident,
    IncidentPerson,
    WorkItem,
)
from beacon.people.models import Location, Person
from tests.incidents.conftest import as_csv, as_json, closed, log
from tests.logs import entries

ENCODERS = {"csv": as_csv, "json": as_json}


def counts(sessions) -> dict[str, int]:
    with sessions() as s:
        return {m.__name__: s.scalar(select(func.count()).select_from(m))
                for m in (Incident, IncidentPerson, Person, Location, WorkItem, AddressWarning)}


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_same_file_twice_second_time_all_unchanged(run, sessions, now, fmt):
    data = ENCODERS[fmt]([log(1), log(2), closed(3)])
    first = run(importer.import_file, data, fmt, f"logs.{fmt}", now)
    assert (first.status, first.created, first.updated, first.unchanged) == ("imported", 3, 0, 0)
    assert (first.work_items_created, first.warnings_created) == (1, 1)
    before = counts(sessions)
    second = run(importer.import_file, data, fmt, f"logs.{fmt}", now)
    assert (second.status, second.created, second.updated, second.unchanged) == ("imported", 0, 0, 3)
    assert (second.work_items_created, second.warnings_created) == (0, 0)
    assert counts(sessions) == before
    with sessions() as s:
        batches = s.scalars(select(ImportBatch).order_by(ImportBatch.id)).all()
    assert [(b.rows, b.created, b.unchanged, b.rejected) for b in batches] == [(3, 3, 0, 0), (3, 0, 3, 0)]


def test_same_log_in_another_zone_or_people_order_is_unchanged(run, now):
    people = [{"forename": "Ann", "surname": "Example", "date_of_birth": "1980-01-02", "role": "victim"},
              {"forename": "Bob", "surname": "Sample", "date_of_birth": "1979-03-04", "role": "suspect"}]
    run(importer.import_file, as_json([log(1, people=people)]), "json", "a.json", now)
    again = log(1, people=list(reversed(people)), received_at="2026-11-26T22:15:00+01:00")
    report = run(importer.import_file, as_json([again]), "json", "b.json", now)
    assert report.unchanged == 1


def test_a_changed_row_updates_the_log(run, sessions, now):
    run(importer.import_file, as_csv([log(1), log(2)]), "csv", "evening.csv", now)
    report = run(importer.import_file, as_csv([closed(1), log(2)]), "csv", "later.csv", now)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert report.work_items_created == 1
    with sessions() as s:
        incident = s.scalars(select(Incident).where(Incident.log_ref == "CC26/000001")).one()
        assert incident.closing_code == "domestic" and incident.closed_at is not None and incident.version == 2
        history = s.scalars(select(RecordHistory).where(RecordHistory.table_name == "incident",
                                                        RecordHistory.record_id == str(incident.id))
                            .order_by(RecordHistory.id)).all()
    assert [h.operation for h in history] == ["insert", "update"]
    assert set(json.loads(history[1].changes)) >= {"closed_at", "closing_code", "content_hash"}
    assert history[1].changed_by == "officer.a"
    assert counts(sessions)["Incident"] == 2


def test_people_are_matched_on_name_and_date_of_birth_and_never_on_name_alone(run, sessions, now):
    ann = {"forename": "Ann", "surname": "Example", "date_of_birth": "1980-01-02", "role": "victim"}
    undated = {"forename": "Sam", "surname": "Nobody", "role": "witness"}
    run(importer.import_file, as_json([log(1, people=[ann, undated]),
                                       log(2, people=[dict(ann, forename=" ANN ", role="witness"), undated])]),
        "json", "a.json", now)
    with sessions() as s:
        names = s.execute(select(Person.surname, func.count()).group_by(Person.surname)).all()
    assert dict(names) == {"Example": 1, "Nobody": 2}
    # a re-sent log keeps its undated person rather than creating another
    run(importer.import_file, as_json([log(1, people=[ann, undated], narrative="Updated.")]), "json", "b.json", now)
    assert counts(sessions)["Person"] == 3


def test_an_address_is_matched_however_it_is_written(run, sessions, now):
    run(importer.import_file, as_json([log(1, address="1 Synthetic Street,  Testtown", postcode="np201aa"),
                                       log(2, address="1 synthetic street, testtown", postcode="NP20 1AA")]),
        "json", "a.json", now)
    assert counts(sessions)["Location"] == 1


def test_division_comes_from_a_known_address(run, sessions, now):
    run(importer.import_file, as_json([log(1)]), "json", "a.json", now)
    report = run(importer.import_file, as_json([log(2, address="1 Synthetic Street, Testtown", division=None)]),
                 "json", "b.json", now)
    assert report.status == "imported"
    with sessions() as s:
        assert len({d for (d,) in s.execute(select(Incident.division_id))}) == 1


BAD = {
    "missing log_ref": (log(2, log_ref=None), "log_ref", "required"),
    "bad date": (log(2, received_at="26/11/2026 21:15"), "received_at", "2026-11-27T03:15:00+00:00"),
    "no time zone": (log(2, received_at="2026-11-26T21:15:00"), "received_at", "time zone"),
    "closed before received": (closed(2, received_at="2026-11-27T00:30:00+00:00"), "closed_at", "before"),
    "closed without a code": (log(2, closed_at="2026-11-26T23:00:00+00:00"), "closing_code", "closing code"),
    "in the future": (log(2, received_at="2026-12-25T10:00:00+00:00"), "received_at", "future"),
    "unknown role": (log(2, people=[{"forename": "A", "surname": "B", "role": "bystander"}]), "people.1.role", "victim"),
    "unknown division": (log(2, division="Z"), "division", "no division"),
    "other division": (log(2, division="B"), "division", "may not"),
    "unknown address, no division": (log(2, division=None), "division", "division code"),
    "bad postcode": (log(2, postcode="NOT A POSTCODE"), "postcode", "postcode"),
}


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("kind", list(BAD))
def test_a_bad_row_is_reported_by_row_and_field_and_nothing_is_written(run, sessions, now, fmt, kind):
    bad, field, words = BAD[kind]
    report = run(importer.import_file, ENCODERS[fmt]([log(1), bad, closed(3)]), fmt, f"x.{fmt}", now)
    assert report.status == "rejected" and report.rejected == 1 and report.rows == 3
    assert any(e["row"] == 2 and e["field"] == field and words in e["message"] for e in report.errors), report.errors
    assert all(e["row"] == 2 for e in report.errors)
    assert set(counts(sessions).values()) == {0}
    with sessions() as s:
        batch = s.scalars(select(ImportBatch)).one()
    assert batch.rejected == 1 and json.loads(batch.errors) == report.errors and batch.created == 0


def test_a_log_ref_repeated_in_the_file_names_both_rows(run, sessions, now):
    report = run(importer.import_file, as_csv([log(1), log(2), log(1, narrative="Again")]), "csv", "x.csv", now)
    assert report.status == "rejected"
    assert report.errors == [{"row": 3, "field": "log_ref", "message": "CC26/000001 appears again: it was first in row 1"}]
    assert counts(sessions)["Incident"] == 0


def test_every_bad_row_is_listed_not_just_the_first(run, now):
    report = run(importer.import_file, as_json([log(1, log_ref=None), log(2), log(3, received_at="soon"),
                                                log(4, people=[{"forename": "A", "surname": "B", "role": "x"}])]),
                 "json", "x.json", now)
    assert report.rejected == 3
    assert [(e["row"], e["field"]) for e in report.errors] == [(1, "log_ref"), (3, "received_at"), (4, "people.1.role")]


@pytest.mark.parametrize("content,fmt,field,words", [
    (b'log_ref,received_at,address\n"CC26/1,2026-11-26T21:15:00+00:00,1 Road\n', "csv", "row", "not valid CSV"),
    (b"log_ref,received_at,address\nCC26/1,2026-11-26T21:15:00+00:00\n", "csv", "row", "has 2 values"),
    (b"log_ref,received_at,address,colour\n", "csv", "header", "colour"),
    (b"log_ref,address\n", "csv", "header", "received_at"),
    (b"", "csv", "file", "empty"),
    (b"log_ref,received_at,address\n\xff\xfe\n", "csv", "file", "UTF-8"),
    (b'[{"log_ref": "CC26/1",', "json", "file", "not valid JSON"),
    (b'{"log_ref": "CC26/1"}', "json", "file", "array"),
    (b'["CC26/1"]', "json", "row", "object"),
    (b"[]", "json", "file", "no logs"),
    (as_csv([log(1, people=[])]) + b"CC26/9,2026-11-26T21:15:00+00:00,,,,,9 Road,,A,victim|Ann\r\n",
     "csv", "people.1", "role|forename|surname"),
])
def test_a_malformed_file_is_reported_and_nothing_is_written(run, sessions, now, content, fmt, field, words):
    report = run(importer.import_file, content, fmt, f"x.{fmt}", now)
    assert report.status == "rejected"
    assert any(e["field"] == field and words in e["message"] for e in report.errors), report.errors
    assert set(counts(sessions).values()) == {0}


def test_an_unknown_json_field_is_refused(run, now):
    report = run(importer.import_file, as_json([log(1, colour="red")]), "json", "x.json", now)
    assert report.errors == [{"row": 1, "field": "colour", "message": "is not a field Beacon knows"}]


def test_re_sending_another_divisions_log_is_refused(run, sessions, now):
    run(importer.import_file, as_json([log(1, division="B")]), "json", "b.json", now, as_user="officer.b")
    report = run(importer.import_file, as_json([log(1, division="A")]), "json", "a.json", now)
    assert report.status == "rejected"
    assert report.errors[0]["field"] == "log_ref" and "division B" in report.errors[0]["message"]


def test_import_from_a_path_in_small_batches_and_the_access_log(run, sessions, now, tmp_path):
    path = tmp_path / "logs.csv"
    path.write_bytes(as_csv([log(n) if n % 3 else closed(n) for n in range(1, 26)]))
    report = run(importer.import_file, path, "csv", None, now, batch_size=4)
    assert (report.created, report.work_items_created, report.warnings_created) == (25, 8, 8)
    logged = entries(sessions, record_id=f"import/{report.batch_id}")
    assert {(e.record_type, e.action, e.outcome) for e in logged} == {("incident", "create", "ok"),
                                                                      ("ppu_work", "create", "ok")}


def test_a_large_file_is_read_twice_rather_than_held(run, sessions, now, monkeypatch):
    monkeypatch.setattr(importer, "KEEP", 5)
    report = run(importer.import_file, as_csv([log(n) for n in range(1, 13)]), "csv", "x.csv", now, batch_size=5)
    assert report.created == 12 and counts(sessions)["Incident"] == 12
