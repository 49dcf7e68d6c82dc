"""Case-file samples drawn by Beacon and the names behind them (ADR 0011): the inspection fixes
each sample's size, Beacon draws the seed, one live sample of a kind at a time, names shown from
a sample up to its size, and any other name only with a second inspector's approval, every step
in the access log."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy.exc import IntegrityError

from beacon.access.unit_of_work import transaction
from beacon.assurance.compliance import draw_sample
from beacon.inspection import reveals, service
from beacon.inspection.models import Evidence, Method
from beacon.org.models import User
from beacon.org.roles import Role, Vetting
from beacon.settings_repo import save
from tests.factories import _HASH, report_payload
from tests.logs import entries
from tests.web.helpers import token

MP = "missing_persons"


@pytest.fixture
def second_inspector(world, sessions):
    with transaction(sessions) as s:
        s.add(User(username="inspector.b", password_hash=_HASH, role=Role.INSPECTOR, vetting=Vetting.SC,
                   display_name="Test inspector.b"))
    return "inspector.b"


@pytest.fixture
def inspector(client):
    return token(client, "inspector")


@pytest.fixture
def reports(client):
    officer = token(client, "officer.a")
    ids = []
    for i in range(4):
        body = report_payload(person={"forename": f"Sampled{i}", "surname": "Exampleton",
                                      "date_of_birth": "2012-01-02", "gender": "female"})
        r = client.post("/api/v1/missing-persons", json=body, headers=officer)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    return ids


def new_inspection(client, world, headers, **extra):
    return client.post("/api/v1/inspections", headers=headers, json={
        "force_id": world.force_id, "title": "Missing persons 2026", "framework_ids": [MP],
        "period_start": "2026-04-01", "period_end": "2026-12-01", **extra})


def draw(client, headers, iid, **body):
    return client.post(f"/api/v1/inspections/{iid}/computed-evidence", headers=headers,
                       json={"kind": "mp.file_sample", **body})


def identity(client, headers, iid, evidence_id, record_id):
    return client.get(f"/api/v1/inspections/{iid}/evidence/{evidence_id}/cases/{record_id}/identity", headers=headers)


def log(sessions, **where) -> list:
    return entries(sessions, **where)


# --- the rule -----------------------------------------------------------------------------------

def test_a_sampled_record_is_shown_within_the_size_and_nothing_else_is():
    assert reveals.in_sample_refusal(3, {3, 4}, False, set(), 2) is None
    assert reveals.in_sample_refusal(3, {3, 4}, False, {1, 2}, 2) == "beyond the sample's size"
    assert reveals.in_sample_refusal(1, {1, 4}, False, {1, 2}, 2) is None       # shown already: no new name
    assert reveals.in_sample_refusal(5, {3, 4}, False, set(), 2) == "not in sample"
    assert reveals.in_sample_refusal(3, {3, 4}, True, set(), 2) == "withdrawn"


# --- sizes and seeds ----------------------------------------------------------------------------

def test_the_inspection_fixes_each_samples_size_within_the_forces_maximum(client, world, inspector, sessions):
    made = new_inspection(client, world, inspector, sample_sizes={"mp.file_sample": 6})
    assert made.status_code == 201, made.text
    assert made.json()["sample_sizes"] == {"mp.file_sample": 6, "da.file_sample": 20, "cp.file_sample": 20}
    too_big = new_inspection(client, world, inspector, sample_sizes={"cp.file_sample": 51})
    assert too_big.status_code == 422 and "sample_sizes.cp.file_sample" in too_big.json()["errors"]
    assert new_inspection(client, world, inspector, sample_sizes={"mp.made_up": 5}).status_code == 422
    with transaction(sessions) as s:
        save(s, "inspection.file_sample_max", "100", "test")
        save(s, "inspection.file_sample_size", "30", "test")
    bigger = new_inspection(client, world, inspector, sample_sizes={"cp.file_sample": 60})
    assert bigger.status_code == 201 and bigger.json()["sample_sizes"]["cp.file_sample"] == 60
    assert bigger.json()["sample_sizes"]["mp.file_sample"] == 30


def test_an_inspector_may_not_send_a_seed_nor_ask_for_more_files_than_the_size(client, world, inspector, reports):
    iid = new_inspection(client, world, inspector, sample_sizes={"mp.file_sample": 2}).json()["id"]
    seeded = draw(client, inspector, iid, seed=7)
    assert seeded.status_code == 422 and "seed" in seeded.json()["errors"]
    more = draw(client, inspector, iid, n=3)
    assert more.status_code == 422 and "at most 2" in more.json()["errors"]["n"]
    rates = client.post(f"/api/v1/inspections/{iid}/computed-evidence", headers=inspector,
                        json={"kind": "mp.compliance", "n": 2})
    assert rates.status_code == 422 and "n" in rates.json()["errors"]
    made = draw(client, inspector, iid)
    assert made.status_code == 201 and made.json()["computed_result"]["n"] == 2


def test_beacon_draws_the_seed_from_secrets_and_records_it(client, world, inspector, reports, monkeypatch):
    monkeypatch.setattr(service.secrets, "randbelow", lambda bound: 424_242 % bound)
    iid = new_inspection(client, world, inspector).json()["id"]
    made = draw(client, inspector, iid).json()
    assert made["computed_params"]["seed"] == made["computed_result"]["seed"] == 424_242
    assert [c["record_id"] for c in made["computed_result"]["cases"]] == sorted(draw_sample(reports, 20, 424_242))
    assert "(seed 424242)" in made["title"]


def test_a_second_sample_of_a_kind_waits_until_the_first_is_withdrawn(client, world, inspector, reports, sessions):
    iid = new_inspection(client, world, inspector).json()["id"]
    first = draw(client, inspector, iid).json()
    again = draw(client, inspector, iid)
    assert again.status_code == 409 and f"evidence {first['id']}" in again.json()["detail"]
    [refused] = log(sessions, record_type="evidence", outcome="refused")
    assert refused.username == "inspector" and "a second mp.file_sample sample" in refused.detail
    path = f"/api/v1/inspections/{iid}/evidence/{first['id']}/withdrawal"
    short = client.post(path, headers=inspector, json={"reason": "Wrong."})
    assert short.status_code == 422 and "reason" in short.json()["errors"]
    withdrawn = client.post(path, headers=inspector, json={"reason": "Drawn before the period was corrected."})
    assert withdrawn.status_code == 200
    assert withdrawn.json()["withdrawn_by"] == "inspector" and withdrawn.json()["withdrawn_at"]
    assert client.post(path, headers=inspector, json={"reason": "Drawn before the period was corrected."}
                       ).status_code == 409
    assert draw(client, inspector, iid).status_code == 201
    compliance = client.post(f"/api/v1/inspections/{iid}/computed-evidence", headers=inspector,
                             json={"kind": "mp.compliance"}).json()
    assert client.post(f"/api/v1/inspections/{iid}/evidence/{compliance['id']}/withdrawal", headers=inspector,
                       json={"reason": "Not a sample, so not withdrawn."}).status_code == 404
    assert any("withdrawn: Drawn before" in e.detail for e in log(sessions, record_type="evidence", action="update"))


def test_the_database_refuses_two_live_samples_of_a_kind(client, world, inspector, sessions):
    """Two inspectors drawing at the same moment both pass the service's check; the index stops one."""
    iid = new_inspection(client, world, inspector).json()["id"]

    def sample(withdrawn=None):
        return Evidence(inspection_id=iid, framework_id=MP, method=Method.FILE_SAMPLE, title="Sample", summary="",
                        source="", gathered_on=date(2026, 11, 1), recorded_by="inspector",
                        computed_kind="mp.file_sample", withdrawn_at=withdrawn)
    with transaction(sessions) as s:
        s.add(sample(withdrawn=datetime(2026, 11, 1, tzinfo=timezone.utc)))
        s.add(sample())
    with pytest.raises(IntegrityError):
        with transaction(sessions) as s:
            s.add(sample())


# --- names from a sample ------------------------------------------------------------------------

def seeds_for(reports, n):
    """Two seeds whose samples differ, so the second sample holds a record the first did not."""
    first = set(draw_sample(reports, n, 1))
    other = next(seed for seed in range(2, 500) if set(draw_sample(reports, n, seed)) - first)
    return iter((1, other))


def test_names_are_shown_from_a_sample_up_to_its_size_across_redraws(client, world, inspector, reports, sessions,
                                                                   monkeypatch):
    seeds = seeds_for(reports, 2)
    monkeypatch.setattr(service.secrets, "randbelow", lambda bound: next(seeds))
    iid = new_inspection(client, world, inspector, sample_sizes={"mp.file_sample": 2}).json()["id"]
    first = draw(client, inspector, iid).json()
    sampled = [c["record_id"] for c in first["computed_result"]["cases"]]
    for record_id in sampled:
        shown = identity(client, inspector, iid, first["id"], record_id)
        assert shown.status_code == 200 and shown.json()["name"].startswith("Sampled")
    assert identity(client, inspector, iid, first["id"], sampled[0]).status_code == 200   # seen again: no new name
    client.post(f"/api/v1/inspections/{iid}/evidence/{first['id']}/withdrawal", headers=inspector,
                json={"reason": "Redrawn to test the allowance of names."})
    gone = identity(client, inspector, iid, first["id"], sampled[0])
    assert gone.status_code == 403 and "withdrawn" in gone.json()["detail"]
    second = draw(client, inspector, iid).json()
    new = next(c["record_id"] for c in second["computed_result"]["cases"] if c["record_id"] not in sampled)
    beyond = identity(client, inspector, iid, second["id"], new)
    assert beyond.status_code == 403 and "beyond the sample's size" in beyond.json()["detail"]
    listed = client.get(f"/api/v1/inspections/{iid}/reveals", headers=inspector).json()
    assert sorted(r["record_id"] for r in listed if r["status"] == "in_sample") == sorted(sampled)
    entries = log(sessions, action="reveal")
    assert [(e.record_id, e.outcome) for e in entries] == [
        (str(sampled[0]), "ok"), (str(sampled[1]), "ok"), (str(sampled[0]), "ok"), (str(sampled[0]), "refused"),
        (str(new), "refused")]
    assert "2 of 2 mp.file_sample names shown already" in entries[-1].detail


# --- names by request ---------------------------------------------------------------------------

def test_a_name_beyond_the_sample_needs_another_inspectors_approval(client, world, inspector, reports, sessions,
                                                                   second_inspector):
    other = token(client, second_inspector)
    iid = new_inspection(client, world, inspector).json()["id"]
    base = f"/api/v1/inspections/{iid}/reveals"
    short = client.post(base, headers=inspector, json={"record_type": "missing_report", "record_id": reports[0],
                                                       "reason": "Need it."})
    assert short.status_code == 422 and "reason" in short.json()["errors"]
    missing = client.post(base, headers=inspector, json={"record_type": "da_form", "record_id": 99999,
                                                         "reason": "Checking the victim's other contacts."})
    assert missing.status_code == 422 and "record_id" in missing.json()["errors"]
    asked = client.post(base, headers=inspector, json={
        "record_type": "missing_report", "record_id": reports[0],
        "reason": "Complaint from the family names this report; check it is the same child."})
    assert asked.status_code == 201, asked.text
    request = asked.json()
    assert (request["status"], request["requested_by"]) == ("pending", "inspector")
    assert client.post(base, headers=inspector, json={
        "record_type": "missing_report", "record_id": reports[0],
        "reason": "Complaint from the family names this report; asking twice."}).status_code == 409
    see = f"{base}/{request['id']}/identity"
    assert client.get(see, headers=inspector).status_code == 409            # not decided yet
    decision = {"version": request["version"], "decision": "approved",
                "reason": "The complaint is part of the inspection's fieldwork."}
    own = client.post(f"{base}/{request['id']}/decision", headers=inspector, json=decision)
    assert own.status_code == 403
    assert client.post(f"{base}/{request['id']}/decision", headers=token(client, "chief"), json=decision
                       ).status_code == 403
    stale = client.post(f"{base}/{request['id']}/decision", headers=other, json={**decision, "version": 9})
    assert stale.status_code == 409
    approved = client.post(f"{base}/{request['id']}/decision", headers=other, json=decision)
    assert approved.status_code == 200 and approved.json()["decided_by"] == "inspector.b"
    again = client.post(f"{base}/{request['id']}/decision", headers=other,
                        json={**decision, "version": approved.json()["version"], "decision": "refused"})
    assert again.status_code == 409
    assert client.get(see, headers=other).status_code == 403                # the approver does not see it
    shown = client.get(see, headers=inspector)
    assert shown.status_code == 200 and shown.json()["name"] == "Sampled0 Exampleton"

    refused = client.post(base, headers=inspector, json={
        "record_type": "missing_report", "record_id": reports[1],
        "reason": "Curious whether this child was missing before."}).json()
    client.post(f"{base}/{refused['id']}/decision", headers=other, json={
        "version": refused["version"], "decision": "refused", "reason": "Curiosity is not a reason to see a name."})
    assert client.get(f"{base}/{refused['id']}/identity", headers=inspector).status_code == 409

    requests = log(sessions, record_type="identity_reveal")
    assert [(e.username, e.action, e.outcome) for e in requests if e.action != "list"] == [
        ("inspector", "create", "ok"), ("inspector", "review", "refused"), ("inspector.b", "review", "ok"),
        ("inspector", "create", "ok"), ("inspector.b", "review", "ok")]
    assert "asks to see missing_report" in requests[0].detail and "Complaint from the family" in requests[0].detail
    assert "approved (missing_report" in requests[2].detail
    views = [(e.username, e.record_id, e.outcome) for e in log(sessions, action="reveal")]
    assert views == [("inspector", str(reports[0]), "refused"), ("inspector.b", str(reports[0]), "denied"),
                     ("inspector", str(reports[0]), "ok"), ("inspector", str(reports[1]), "refused")]


def test_requests_and_reveals_are_listed_for_the_inspection(client, world, inspector, reports):
    iid = new_inspection(client, world, inspector).json()["id"]
    client.post(f"/api/v1/inspections/{iid}/reveals", headers=inspector, json={
        "record_type": "missing_report", "record_id": reports[2], "reason": "The force's own audit named it."})
    listed = client.get(f"/api/v1/inspections/{iid}/reveals", headers=inspector)
    assert listed.status_code == 200 and [r["record_id"] for r in listed.json()] == [reports[2]]
    assert client.get(f"/api/v1/inspections/{iid}/reveals", headers=token(client, "chief")).status_code == 200
    assert client.get(f"/api/v1/inspections/{iid}/reveals", headers=token(client, "officer.a")).status_code == 403
    assert client.post(f"/api/v1/inspections/{iid}/reveals", headers=token(client, "chief"), json={
        "record_type": "missing_report", "record_id": reports[2], "reason": "The force's own audit named it."}
                       ).status_code == 403


def test_a_name_is_shown_only_to_a_reader_of_the_record_itself(client, world, reports, sessions):
    """A sampled record needing more vetting than the inspector holds stays unnamed, as its page is."""
    from sqlalchemy import update

    from beacon.cases.missing_persons.models import MissingReport
    with transaction(sessions) as s:
        s.add(User(username="inspector.rv", password_hash=_HASH, role=Role.INSPECTOR, vetting=Vetting.RV,
                   display_name="Test inspector.rv"))
        s.execute(update(MissingReport).values(vetting_required=Vetting.MV))
    rv = token(client, "inspector.rv")
    iid = new_inspection(client, world, rv).json()["id"]
    sample = draw(client, rv, iid).json()
    record = sample["computed_result"]["cases"][0]["record_id"]
    assert identity(client, rv, iid, sample["id"], record).status_code == 403
    [denied] = log(sessions, record_type="missing_report", outcome="denied", username="inspector.rv")
    assert "vetting" in denied.detail
    assert client.get(f"/api/v1/inspections/{iid}/reveals", headers=rv).json() == []
