"""Computed evidence of the new kinds through the API: each valid only for its framework (422
naming the field otherwise), samples reproducible, names revealed only for sampled records and
every reveal logged."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from beacon import config
from beacon.assurance import child_protection as cp
from beacon.assurance import domestic_abuse as da
from tests.assurance import helpers as h
from tests.logs import entries
from tests.web.helpers import token

UTC = timezone.utc
MON = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def inspector(client):
    return token(client, "inspector")


@pytest.fixture
def inspection(client, world, inspector):
    r = client.post("/api/v1/inspections", headers=inspector, json={
        "force_id": world.force_id, "title": "Protecting vulnerable people 2026",
        "framework_ids": ["domestic_violence", "child_abuse", "missing_persons"],
        "period_start": "2026-04-01", "period_end": "2026-11-01"})
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture
def records(world, sessions, partners):
    A, B = world.divisions["A"], world.divisions["B"]
    forms = [h.form(sessions, A if i % 2 else B, MON, level="high" if i < 3 else "standard", victim=f"Victim{i}")
             for i in range(6)]
    cases = [h.child_case(sessions, A if i % 2 else B, MON, joint=bool(i % 3), criteria=("sexual-abuse",),
                          decisions=(h.factors(),), child=f"Child{i}") for i in range(5)]
    return {"forms": forms, "cases": cases}


def post(client, headers, iid, body):
    return client.post(f"/api/v1/inspections/{iid}/computed-evidence", headers=headers, json=body)


def test_each_kind_goes_to_its_framework(client, inspector, inspection, records):
    iid = inspection["id"]
    dv = post(client, inspector, iid, {"kind": "da.compliance", "criterion_ids": ["dv.f.risk-forms-processed-promptly"],
                                       "as_of": "2026-10-31"})
    assert dv.status_code == 201, dv.text
    body = dv.json()
    assert body["framework_id"] == "domestic_violence" and body["method"] == "data"
    assert body["computed_result"]["forms"] == 6 and body["computed_result"]["backlog"]["total"] == 6
    assert body["computed_params"]["as_of"].startswith("2026-10-31T23:59:59")   # GMT by then
    assert "awaiting DVO review as at 31 October 2026: 6" in body["summary"]
    ca = post(client, inspector, iid, {"kind": "cp.compliance", "criterion_ids": ["ca.f.joint-investigation-criteria"]})
    assert ca.status_code == 201 and ca.json()["framework_id"] == "child_abuse"
    assert ca.json()["computed_result"]["rates"][cp.JOINT]["applicable"] == 5
    # the trace the report prints: one evidence item, with the records behind each figure
    one = client.get(f"/api/v1/inspections/{iid}/evidence/{body['id']}", headers=inspector)
    assert one.status_code == 200 and one.json()["computed_result"] == body["computed_result"]
    assert client.get(f"/api/v1/inspections/{iid}/evidence/999999", headers=inspector).status_code == 404


@pytest.mark.parametrize(("kind", "framework"), [("da.compliance", "child_abuse"), ("cp.file_sample", "domestic_violence"),
                                                 ("mp.compliance", "domestic_violence"), ("da.file_sample", "missing_persons")])
def test_a_kind_on_the_wrong_framework_is_refused_naming_the_field(client, inspector, inspection, kind, framework):
    r = post(client, inspector, inspection["id"], {"kind": kind, "framework_id": framework})
    assert r.status_code == 422 and "framework_id" in r.json()["errors"], r.text


def test_as_of_only_for_the_backlog_and_criteria_of_the_framework(client, inspector, inspection):
    r = post(client, inspector, inspection["id"], {"kind": "cp.compliance", "as_of": "2026-10-31"})
    assert r.status_code == 422 and "as_of" in r.json()["errors"]
    r = post(client, inspector, inspection["id"], {"kind": "da.compliance", "criterion_ids": ["ca.f.thematic-audit"]})
    assert r.status_code == 422 and "criterion_ids" in r.json()["errors"]


def test_no_records_computes_empty_rates(client, inspector, inspection):
    r = post(client, inspector, inspection["id"], {"kind": "da.compliance"})
    assert r.status_code == 201 and r.json()["computed_result"]["rates"][da.REVIEW]["rate"] is None


@pytest.mark.parametrize(("kind", "record_type", "key"), [("da.file_sample", "da_form", "forms"),
                                                         ("cp.file_sample", "child_case", "cases")])
def test_samples_are_reproducible_and_reveals_are_logged(client, inspector, inspection, records, sessions, kind,
                                                         record_type, key):
    iid = inspection["id"]
    one = post(client, inspector, iid, {"kind": kind, "n": 2}).json()
    # behaviour changed with ADR 0011: the seed is Beacon's, recorded, and a second sample waits
    assert post(client, inspector, iid, {"kind": kind, "n": 2}).status_code == 409
    audit = da if kind.startswith("da.") else cp
    params = one["computed_params"]
    with sessions() as s:
        again = audit.file_sample(s, datetime.fromisoformat(params["since"]), datetime.fromisoformat(params["until"]),
                                  2, params["seed"], config.defaults(), MON).to_json()
    assert [c["record_id"] for c in one["computed_result"]["cases"]] == [c["record_id"] for c in again["cases"]]
    assert one["method"] == "case_file_sample" and one["computed_result"]["population"] == len(records[key])
    sampled = one["computed_result"]["cases"][0]["record_id"]
    other = next(i for i in records[key] if i not in {c["record_id"] for c in one["computed_result"]["cases"]})
    base = f"/api/v1/inspections/{iid}/evidence/{one['id']}/cases"
    shown = client.get(f"{base}/{sampled}/identity", headers=inspector)
    assert shown.status_code == 200, shown.text
    assert shown.json()["name"].startswith(("Victim", "Child")) and shown.json()["record_id"] == sampled
    assert client.get(f"{base}/{other}/identity", headers=inspector).status_code == 422
    assert client.get(f"{base}/{sampled}/identity", headers=token(client, "chief")).status_code == 403
    with sessions() as s:
        reveals = entries(sessions, action="reveal")
    assert {(e.record_type, e.record_id, e.outcome) for e in reveals} == {(record_type, str(sampled), "ok"),
                                                                          (record_type, str(other), "denied")}


def test_a_compliance_item_is_not_a_sample_to_reveal(client, inspector, inspection, records):
    iid = inspection["id"]
    rates = post(client, inspector, iid, {"kind": "da.compliance"}).json()
    r = client.get(f"/api/v1/inspections/{iid}/evidence/{rates['id']}/cases/{records['forms'][0]}/identity",
                   headers=inspector)
    assert r.status_code == 404
