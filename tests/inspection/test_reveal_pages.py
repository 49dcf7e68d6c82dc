"""The pages for case-file samples and names (ADR 0011): a sampled file's name on a page of its
own, a refusal beyond the sample offering a request, a request asked, decided by another
inspector and shown to the one who asked, a sample withdrawn with its reason, the sample size
chosen when an inspection starts, and a refused report download in the access log."""
from __future__ import annotations

import pytest

from beacon.assurance.compliance import draw_sample
from beacon.inspection import service
from tests.factories import report_payload
from tests.inspection.test_pages import error_links, post
from tests.inspection.test_reveals import second_inspector  # noqa: F401  (the fixture)
from tests.logs import entries
from tests.web.helpers import login, token
from tests.web.pagecheck import check_page

MP = "missing_persons"


@pytest.fixture
def inspector(client):
    return token(client, "inspector")


@pytest.fixture
def reports(client):
    officer = token(client, "officer.a")
    return [client.post("/api/v1/missing-persons", headers=officer, json=report_payload(
        person={"forename": f"Paged{i}", "surname": "Exampleton", "date_of_birth": "2012-01-02",
                "gender": "female"})).json()["id"] for i in range(4)]


@pytest.fixture
def sampled(client, world, inspector, reports, monkeypatch):
    """An inspection sampling one file at a time, with its first sample (seeds chosen so a second
    sample holds another file)."""
    first = draw_sample(reports, 1, 1)
    other = next(seed for seed in range(2, 500) if draw_sample(reports, 1, seed) != first)
    seeds = iter((1, other))
    monkeypatch.setattr(service.secrets, "randbelow", lambda bound: next(seeds))
    iid = client.post("/api/v1/inspections", headers=inspector, json={
        "force_id": world.force_id, "title": "Missing persons 2026", "framework_ids": [MP],
        "period_start": "2026-04-01", "period_end": "2026-12-01", "sample_sizes": {"mp.file_sample": 1}}).json()["id"]
    sample = client.post(f"/api/v1/inspections/{iid}/computed-evidence", headers=inspector,
                         json={"kind": "mp.file_sample"}).json()
    return {"id": iid, "sample": sample, "record": sample["computed_result"]["cases"][0]["record_id"]}


def show(client, iid, evidence_id, record_id):
    return post(client, f"/inspections/{iid}/evidence/{evidence_id}/cases/{record_id}/identity", {},
                f"/inspections/{iid}/evidence/{evidence_id}")


def test_a_sampled_files_name_is_shown_on_a_page_of_its_own(client, sampled):
    iid, sample, record = sampled["id"], sampled["sample"], sampled["record"]
    login(client, "inspector")
    evidence = client.get(f"/inspections/{iid}/evidence/{sample['id']}")
    check_page(evidence.text)
    assert f'action="/inspections/{iid}/evidence/{sample["id"]}/cases/{record}/identity"' in evidence.text
    assert "Exampleton" not in evidence.text and "0 of 1 shown so far" in evidence.text
    shown = show(client, iid, sample["id"], record)
    assert shown.status_code == 200
    check_page(shown.text)
    assert "Paged" in shown.text and "Exampleton" in shown.text and "written to the access log" in shown.text
    assert "1 of 1 shown so far" in client.get(f"/inspections/{iid}/evidence/{sample['id']}").text


def test_beyond_the_samples_size_the_page_refuses_and_offers_a_request(client, sampled, inspector):
    iid, sample, record = sampled["id"], sampled["sample"], sampled["record"]
    login(client, "inspector")
    assert show(client, iid, sample["id"], record).status_code == 200
    withdraw = post(client, f"/inspections/{iid}/evidence/{sample['id']}/withdrawal", {"reason": "Too short"},
                    f"/inspections/{iid}/evidence/{sample['id']}")
    assert withdraw.status_code == 422 and error_links(withdraw.text) == ["reason"]
    check_page(withdraw.text)
    withdraw = post(client, f"/inspections/{iid}/evidence/{sample['id']}/withdrawal",
                    {"reason": "Drawn before the period was agreed with the force."},
                    f"/inspections/{iid}/evidence/{sample['id']}")
    assert withdraw.status_code == 303
    gone = client.get(withdraw.headers["location"]).text
    check_page(gone)
    assert "Drawn before the period was agreed" in gone and "/identity" not in gone   # no more names from it
    assert "withdrawn: Drawn before the period was agreed" in client.get(f"/inspections/{iid}/report").text
    assert "Withdrawn" in client.get(f"/inspections/{iid}/frameworks/{MP}").text
    fw = client.get(f"/inspections/{iid}/frameworks/{MP}").text
    assert 'id="draw-sample"' in fw and 'value="1"' in fw
    drawn = post(client, f"/inspections/{iid}/frameworks/{MP}/computed-evidence", {"kind": "mp.file_sample"},
                 f"/inspections/{iid}/frameworks/{MP}")
    assert drawn.status_code == 303
    second = next(e for e in client.get(f"/api/v1/inspections/{iid}/evidence", headers=inspector).json()
                  if e["computed_kind"] == "mp.file_sample" and not e["withdrawn_at"])
    other = second["computed_result"]["cases"][0]["record_id"]
    refused = show(client, iid, second["id"], other)
    assert refused.status_code == 403
    check_page(refused.text)
    assert error_links(refused.text) == ["request-link"] and "Exampleton" not in refused.text
    assert f"/inspections/{iid}/reveals?record_type=missing_report&amp;record_id={other}#request" in refused.text
    form = client.get(f"/inspections/{iid}/reveals?record_type=missing_report&record_id={other}").text
    check_page(form)
    assert f'value="{other}"' in form and '<option value="missing_report" selected>' in form


def test_a_request_is_asked_decided_by_another_inspector_and_shown_to_the_one_who_asked(client, sampled, reports,
                                                                                     second_inspector):
    iid, record = sampled["id"], next(r for r in reports if r != sampled["record"])
    page = f"/inspections/{iid}/reveals"
    login(client, "inspector")
    check_page(client.get(page).text)
    bad = post(client, page, {"record_type": "", "record_id": "x", "reason": "short"}, page)
    assert bad.status_code == 422 and error_links(bad.text) == ["record_type", "record_id", "reason"]
    check_page(bad.text)
    asked = post(client, page, {"record_type": "missing_report", "record_id": str(record),
                                "reason": "The family's complaint names this report."}, page)
    assert asked.status_code == 303
    mine = client.get(asked.headers["location"]).text
    check_page(mine)
    assert "Request recorded" in mine and "Awaiting a decision" in mine and "Record the decision" not in mine
    [request] = client.get(f"/api/v1/inspections/{iid}/reveals", headers=token(client, "inspector")).json()
    decision = f"{page}/{request['id']}/decision"
    own = post(client, decision, {"version": "1", "decision": "approved", "reason": "Approving my own request."}, page)
    assert own.status_code == 403 and error_links(own.text) == [f"decision-{request['id']}"]

    login(client, second_inspector)
    theirs = client.get(page).text
    check_page(theirs)
    assert "Record the decision" in theirs and "The family&#39;s complaint names this report." in theirs
    empty = post(client, decision, {"version": "1"}, page)
    assert empty.status_code == 422
    assert error_links(empty.text) == [f"decision-{request['id']}", f"decision-reason-{request['id']}"]
    check_page(empty.text)
    done = post(client, decision, {"version": "1", "decision": "approved",
                                   "reason": "The complaint is part of the fieldwork."}, page)
    assert done.status_code == 303
    assert "Show the name behind" not in client.get(page).text       # the approver does not see it

    login(client, "inspector")
    approved = client.get(page).text
    check_page(approved)
    assert "Show the name behind" in approved and "Approved" in approved
    shown = post(client, f"{page}/{request['id']}/identity", {}, page)
    assert shown.status_code == 200 and "Exampleton" in shown.text
    check_page(shown.text)


def test_an_inspections_sample_size_is_chosen_when_it_starts(client, world, inspector):
    login(client, "inspector")
    listing = client.get("/inspections").text
    assert 'name="sample_size"' in listing and "20 files; at most 50" in listing
    body = {"title": "Missing persons 2026", "force_id": str(world.force_id), "framework_ids": MP,
            "period_start-day": "1", "period_start-month": "4", "period_start-year": "2026",
            "period_end-day": "1", "period_end-month": "12", "period_end-year": "2026"}
    for size, message in (("six", "as a whole number"), ("51", "at most 50 files")):
        r = post(client, "/inspections", {**body, "sample_size": size}, "/inspections")
        assert r.status_code == 422 and error_links(r.text) == ["sample_size"] and message in r.text, size
        check_page(r.text)
    r = post(client, "/inspections", {**body, "sample_size": "6"}, "/inspections")
    assert r.status_code == 303
    iid = int(r.headers["location"].split("/")[2].split("?")[0])
    made = client.get(f"/api/v1/inspections/{iid}", headers=inspector).json()
    assert set(made["sample_sizes"].values()) == {6}
    overview = client.get(f"/inspections/{iid}").text
    assert "missing-person reports 6" in overview and f"/inspections/{iid}/reveals" in overview


def test_a_chief_officer_reads_the_names_page_without_forms(client, sampled):
    login(client, "chief")
    r = client.get(f"/inspections/{sampled['id']}/reveals")
    assert r.status_code == 200
    assert "Ask for approval" not in r.text and "Record the decision" not in r.text
    evidence = client.get(f"/inspections/{sampled['id']}/evidence/{sampled['sample']['id']}").text
    assert "/identity" not in evidence and "Withdraw the sample" not in evidence


def test_a_refused_report_download_is_in_the_access_log(client, sampled, sessions):
    """The report, as a page or a PDF, is Beacon's one export of inspection records (there is no
    CSV export); a role that may not read it is refused and the refusal is logged with the user,
    the inspection and the reason. ``require`` already did this: the test pins it."""
    iid = sampled["id"]
    login(client, "officer.a")
    for path in ("report.pdf", "report"):
        assert client.get(f"/inspections/{iid}/{path}").status_code == 403
    denied = entries(sessions, outcome="denied", record_type="inspection")
    assert [(e.username, e.record_id) for e in denied] == [("officer.a", str(iid))] * 2
    assert all("may not read inspection" in e.detail for e in denied)
