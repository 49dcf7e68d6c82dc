"""The inspector's pages: every page renders well-formed, forms validate (422 naming the field,
nothing saved), conflicts are 409, a chief officer can read but not write (403), and the
moderation form refuses a grade without a rationale."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from beacon.access.unit_of_work import transaction
from beacon.inspection.models import MostSimilarGroup
from beacon.org.models import Force
from beacon.web.routes import inspection_pages
from tests.factories import report_payload
from tests.inspection.test_report import assess, evidence, published_inspection
from tests.web.helpers import csrf_of, login, token
from tests.web.pagecheck import check_page

MP, PVP = "missing_persons", "pvp_overview"
FIRST = "mp.f.chief-officer-lead"
FIRST_KEY = "mp-f-chief-officer-lead"


@pytest.fixture
def app(engine, clock):
    """The app with the inspection pages (until create_app includes them itself)."""
    from beacon.web.app import create_app

    app = create_app(engine, clock=clock, secret_key="test-secret")
    if not any(getattr(r, "path", None) == "/inspections" for r in app.routes):
        app.include_router(inspection_pages.router)
    return app


@pytest.fixture
def inspector(client):
    return token(client, "inspector")


@pytest.fixture
def inspection(client, world, inspector):
    officer = token(client, "officer.a")
    for day, grade in enumerate(("high", "medium", "low"), start=1):   # in June, so reviews are now overdue
        seen = datetime(2026, 6, day, 18, 0, tzinfo=timezone.utc)
        assert client.post("/api/v1/missing-persons", headers=officer, json=report_payload(
            risk_grade=grade, last_seen_at=seen.isoformat(),
            reported_at=(seen + timedelta(hours=1)).isoformat())).status_code == 201
    r = client.post("/api/v1/inspections", headers=inspector, json={
        "force_id": world.force_id, "title": "Protecting vulnerable people 2026", "framework_ids": [PVP, MP],
        "period_start": "2026-04-01", "period_end": "2026-12-01"})
    assert r.status_code == 201, r.text
    iid = r.json()["id"]
    typed = evidence(client, inspector, iid, MP, "Chief officer portfolio", "strength", criterion_ids=[FIRST])
    compliance = client.post(f"/api/v1/inspections/{iid}/computed-evidence", headers=inspector,
                             json={"kind": "mp.compliance"}).json()
    sample = client.post(f"/api/v1/inspections/{iid}/computed-evidence", headers=inspector,
                         json={"kind": "mp.file_sample", "n": 2}).json()
    return {"id": iid, "typed": typed, "compliance": compliance, "sample": sample}


def page(client, path, status=200):
    r = client.get(path)
    assert r.status_code == status, (path, r.status_code, r.text[:500])
    check_page(r.text)
    return r.text


def post(client, path, data, form_page):
    csrf = csrf_of(client.get(form_page).text)
    return client.post(path, data={**data, "csrf_token": csrf}, follow_redirects=False)


def error_links(html: str) -> list[str]:
    summary = html.split('class="govuk-error-summary"', 1)[1].split("</div>\n</div>", 1)[0]
    return re.findall(r'href="#([^"]+)"', summary)


def assessments(client, headers, iid):
    return {a["criterion_id"]: a for a in client.get(f"/api/v1/inspections/{iid}/assessments", headers=headers).json()}


# --- pages render ------------------------------------------------------------------------------

def test_every_inspection_page_renders_for_the_inspector(client, inspection, inspector):
    iid = inspection["id"]
    assess(client, inspector, iid, MP, lambda c: "met" if c.level.value == "fair" else "not_met")
    client.post(f"/api/v1/inspections/{iid}/grades", headers=inspector)
    client.post("/api/v1/practice", headers=inspector, json={
        "force_id": 1, "framework_id": MP, "title": "Return interview hub", "problem": "Repeat missing children.",
        "solution": "Weekly meeting.", "outcomes": "Fewer repeats.", "force_contact": "Inspector Example",
        "evaluated": True, "in_report": True})
    login(client, "inspector")
    listing = page(client, "/inspections")
    assert f'href="/inspections/{iid}"' in listing and 'action="/inspections"' in listing
    overview = page(client, f"/inspections/{iid}")
    assert "Move to fieldwork" in overview and f"/inspections/{iid}/report.pdf" in overview
    assert "Fair" in overview and f"/inspections/{iid}/frameworks/{MP}" in overview
    fw = page(client, f"/inspections/{iid}/frameworks/{MP}")
    for text in ("Leadership and accountability", "Significant", "Dominant", "Record evidence", "Compute compliance",
                 "Draw a file sample", "Moderate the grade", "Meets all 5 significant Fair criteria",
                 f'id="criterion-{FIRST_KEY}"', "Chief officer portfolio"):
        assert text in fw, text
    assert page(client, f"/inspections/{iid}/frameworks/{PVP}").count("Moderate the grade") == 0
    page(client, f"/inspections/{iid}/evidence/{inspection['typed']['id']}")
    page(client, f"/inspections/{iid}/evidence/{inspection['compliance']['id']}")
    page(client, f"/inspections/{iid}/evidence/{inspection['sample']['id']}")
    practice = page(client, "/practice")
    assert "Return interview hub" in practice
    assert "Return interview hub" in page(client, f"/practice?q=interview&framework_id={MP}&evaluated=yes")
    assert "No entries match" in page(client, "/practice?q=nothing-like-this&evaluated=no")
    national = page(client, "/national")
    assert "National summary of judgements" in national and "most similar" in national
    report_html = client.get(f"/inspections/{iid}/report")
    assert report_html.status_code == 200 and "Force Overview and Context" in report_html.text
    check_page(report_html.text)
    pdf = client.get(f"/inspections/{iid}/report.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.content[:4] == b"%PDF"


def test_unknown_framework_and_evidence_are_404(client, inspection):
    login(client, "inspector")
    page(client, f"/inspections/{inspection['id']}/frameworks/public_protection", status=404)
    page(client, f"/inspections/{inspection['id']}/evidence/999", status=404)
    page(client, "/inspections/999", status=404)


def test_drill_down_lists_the_records_behind_each_rate_by_reference(client, inspection):
    login(client, "inspector")
    html = page(client, f"/inspections/{inspection['id']}/evidence/{inspection['compliance']['id']}")
    rates = inspection["compliance"]["computed_result"]["rates"]
    failing = sorted({i for r in rates.values() for i in r["failing"]})
    assert failing
    for record_id in failing:
        assert f'href="/missing-persons/{record_id}"' in html
    assert re.search(r"MP26/\d{6}", html) and "Exampleton" not in html and "Testy" not in html
    review = rates["mp.supervisory_review"]
    assert f"Supervisory reviews on time: {review['met']} of {review['applicable']}" in html
    sample = page(client, f"/inspections/{inspection['id']}/evidence/{inspection['sample']['id']}")
    for case in inspection["sample"]["computed_result"]["cases"]:
        assert case["reference"] in sample and f'href="/missing-persons/{case["record_id"]}"' in sample


def test_national_page_shows_flags_against_most_similar_forces(client, world, sessions, inspector):
    with transaction(sessions) as s:
        forces = [Force(code=f"f{i}", name=f"Peer Force {i}", population=0) for i in range(3)]
        s.add_all(forces)
        s.flush()
        ids = [f.id for f in forces]
        s.add_all([MostSimilarGroup(force_id=i, group="rural") for i in [world.force_id, *ids]])
    for fid, grade in zip(ids, ("good", "good", "good")):
        published_inspection(client, inspector, fid, {MP: grade})
    published_inspection(client, inspector, world.force_id, {MP: "poor"})
    login(client, "inspector")
    html = page(client, "/national")
    assert "Testshire Constabulary" in html and "Poor is 2 grades from the median of 3 most similar forces" in html
    assert '<svg' in html and 'role="img"' in html


# --- forms -------------------------------------------------------------------------------------

def test_evidence_form_names_each_missing_field_and_saves_nothing(client, inspection, inspector):
    iid = inspection["id"]
    login(client, "inspector")
    before = len(client.get(f"/api/v1/inspections/{iid}/evidence", headers=inspector).json())
    r = post(client, f"/inspections/{iid}/frameworks/{MP}/evidence", {"gathered_on-day": "31", "gathered_on-month": "2",
                                                                      "gathered_on-year": "2026"},
             f"/inspections/{iid}/frameworks/{MP}")
    assert r.status_code == 422
    check_page(r.text)
    assert r.text.count("<title>Error: ") == 1
    assert error_links(r.text) == ["method", "title", "summary", "source", "gathered_on"]
    for field in ("gathered_on", "method", "title", "summary", "source"):
        assert f'id="{field}"' in r.text, field
    assert len(client.get(f"/api/v1/inspections/{iid}/evidence", headers=inspector).json()) == before

    ok = post(client, f"/inspections/{iid}/frameworks/{MP}/evidence", {
        "method": "document", "title": "Missing persons policy", "summary": "Compliant with the ACPO guidance.",
        "source": "Force policy", "gathered_on-day": "3", "gathered_on-month": "10", "gathered_on-year": "2026",
        "finding": "strength", "verification": "verified", "criterion_ids": [FIRST, "mp.f.policy-complies-acpo"],
        "shows_beacon": "yes"}, f"/inspections/{iid}/frameworks/{MP}")
    assert ok.status_code == 303 and ok.headers["location"].endswith("?done=evidence#evidence")
    saved = client.get(f"/api/v1/inspections/{iid}/evidence", headers=inspector).json()[-1]
    assert saved["title"] == "Missing persons policy" and saved["finding"] == "strength" and saved["shows_beacon"]
    assert sorted(saved["criterion_ids"]) == sorted([FIRST, "mp.f.policy-complies-acpo"])
    assert saved["gathered_on"] == "2026-10-03" and not saved["shows_innovation"]


def test_evidence_form_refuses_a_criterion_of_another_framework(client, inspection):
    login(client, "inspector")
    r = post(client, f"/inspections/{inspection['id']}/frameworks/{MP}/evidence", {
        "method": "document", "title": "A title", "summary": "A summary", "source": "A source",
        "gathered_on-day": "3", "gathered_on-month": "10", "gathered_on-year": "2026",
        "criterion_ids": ["ca.f.not-ours"]}, f"/inspections/{inspection['id']}/frameworks/{MP}")
    assert r.status_code == 422 and error_links(r.text) == ["criterion_ids"] and 'id="criterion_ids"' in r.text


def test_assessment_form_validates_then_saves_and_detects_a_stale_version(client, inspection, inspector):
    iid = inspection["id"]
    path = f"/inspections/{iid}/frameworks/{MP}/assessments/{FIRST}"
    login(client, "inspector")
    r = post(client, path, {"justification": "too short"}, f"/inspections/{iid}/frameworks/{MP}")
    assert r.status_code == 422
    check_page(r.text)
    assert error_links(r.text) == [f"{FIRST_KEY}-result", f"{FIRST_KEY}-justification"]
    assert f'id="{FIRST_KEY}-result"' in r.text and f'id="{FIRST_KEY}-justification"' in r.text
    assert FIRST not in assessments(client, inspector, iid)

    ok = post(client, path, {"result": "met", "justification": "The ACC holds the portfolio; seen in interview.",
                             "evidence_ids": [str(inspection["typed"]["id"])]}, f"/inspections/{iid}/frameworks/{MP}")
    assert ok.status_code == 303
    saved = assessments(client, inspector, iid)[FIRST]
    assert saved["result"] == "met" and saved["evidence_ids"] == [inspection["typed"]["id"]]
    stale = post(client, path, {"result": "not_met", "justification": "Changed my mind after the focus group.",
                                "version": str(saved["version"] + 5)}, f"/inspections/{iid}/frameworks/{MP}")
    assert stale.status_code == 409 and error_links(stale.text) == [f"{FIRST_KEY}-result"]
    assert assessments(client, inspector, iid)[FIRST]["result"] == "met"
    unknown = post(client, path, {"result": "met", "justification": "Rests on evidence that does not exist.",
                                  "evidence_ids": ["9999"]}, f"/inspections/{iid}/frameworks/{MP}")
    assert unknown.status_code == 422 and error_links(unknown.text) == [f"{FIRST_KEY}-evidence"]


def test_file_sample_form_takes_no_seed_and_at_most_the_inspections_size(client, inspection, inspector):
    """Behaviour changed with ADR 0011: the form had n and seed; Beacon now draws the seed, the
    inspection's size is the most, and a second sample waits for the first to be withdrawn."""
    iid = inspection["id"]
    path = f"/inspections/{iid}/frameworks/{MP}/computed-evidence"
    login(client, "inspector")
    fw = client.get(f"/inspections/{iid}/frameworks/{MP}").text
    assert 'name="seed"' not in fw and f'href="/inspections/{iid}/evidence/{inspection["sample"]["id"]}"' in fw
    r = post(client, path, {"kind": "mp.file_sample"}, f"/inspections/{iid}/frameworks/{MP}")
    assert r.status_code == 409 and error_links(r.text) == ["draw-sample"]
    withdrawn = client.post(f"/api/v1/inspections/{iid}/evidence/{inspection['sample']['id']}/withdrawal",
                            headers=inspector, json={"reason": "Drawn before the period was corrected."})
    assert withdrawn.status_code == 200, withdrawn.text
    fw = client.get(f"/inspections/{iid}/frameworks/{MP}").text
    assert 'name="seed"' not in fw and 'value="20"' in fw    # the inspection's size, the setting's default
    r = post(client, path, {"kind": "mp.file_sample", "n": "lots"}, f"/inspections/{iid}/frameworks/{MP}")
    assert r.status_code == 422 and error_links(r.text) == ["n"]
    r = post(client, path, {"kind": "mp.file_sample", "n": "21"}, f"/inspections/{iid}/frameworks/{MP}")
    assert r.status_code == 422 and error_links(r.text) == ["n"] and "at most 20" in r.text
    r = post(client, path, {"kind": "mp.file_sample", "n": "0"}, f"/inspections/{iid}/frameworks/{MP}")
    assert r.status_code == 422 and error_links(r.text) == ["n"]
    count = len(client.get(f"/api/v1/inspections/{iid}/evidence", headers=inspector).json())
    ok = post(client, path, {"kind": "mp.file_sample", "n": "2", "seed": "11"}, f"/inspections/{iid}/frameworks/{MP}")
    assert ok.status_code == 303   # a seed sent anyway is not read
    ok = post(client, path, {"kind": "mp.compliance"}, f"/inspections/{iid}/frameworks/{MP}")
    assert ok.status_code == 303
    made = client.get(f"/api/v1/inspections/{iid}/evidence", headers=inspector).json()[count:]
    assert [e["computed_kind"] for e in made] == ["mp.file_sample", "mp.compliance"]
    assert made[0]["computed_params"]["n"] == 2 and made[0]["computed_params"]["seed"] != 11


def test_moderation_form_refuses_a_missing_rationale(client, inspection, inspector):
    iid = inspection["id"]
    assess(client, inspector, iid, MP, lambda c: "met" if c.level.value == "fair" else "not_met")
    grade = client.post(f"/api/v1/inspections/{iid}/grades", headers=inspector).json()[0]
    path = f"/inspections/{iid}/frameworks/{MP}/moderation"
    login(client, "inspector")
    r = post(client, path, {"grade": "good", "rationale": "", "version": str(grade["version"])},
             f"/inspections/{iid}/frameworks/{MP}")
    assert r.status_code == 422
    check_page(r.text)
    assert error_links(r.text) == ["rationale"] and "Give the rationale" in r.text
    r = post(client, path, {"grade": "good", "rationale": "because", "version": str(grade["version"])},
             f"/inspections/{iid}/frameworks/{MP}")
    assert r.status_code == 422 and error_links(r.text) == ["rationale"]
    r = post(client, path, {"rationale": "A long enough rationale but no grade chosen.", "version": str(grade["version"])},
             f"/inspections/{iid}/frameworks/{MP}")
    assert r.status_code == 422 and error_links(r.text) == ["grade"]
    assert client.get(f"/api/v1/inspections/{iid}/grades", headers=inspector).json()[0]["moderated_grade"] is None
    ok = post(client, path, {"grade": "good", "version": str(grade["version"]),
                             "rationale": "Practice since the fieldwork meets most Good criteria."},
              f"/inspections/{iid}/frameworks/{MP}")
    assert ok.status_code == 303
    assert client.get(f"/api/v1/inspections/{iid}/grades", headers=inspector).json()[0]["grade"] == "good"
    stale = post(client, path, {"grade": "fair", "version": str(grade["version"]),
                                "rationale": "Back to Fair after the panel's second look."},
                 f"/inspections/{iid}/frameworks/{MP}")
    assert stale.status_code == 409 and error_links(stale.text) == ["grade"]


def test_stages_advance_and_publishing_needs_grades(client, inspection, inspector):
    iid = inspection["id"]
    login(client, "inspector")
    for expected in ("fieldwork", "grading", "moderation"):
        version = client.get(f"/api/v1/inspections/{iid}", headers=inspector).json()["version"]
        r = post(client, f"/inspections/{iid}/status", {"status": expected, "version": str(version)}, f"/inspections/{iid}")
        assert r.status_code == 303, r.text
        assert client.get(f"/api/v1/inspections/{iid}", headers=inspector).json()["status"] == expected
    version = client.get(f"/api/v1/inspections/{iid}", headers=inspector).json()["version"]
    r = post(client, f"/inspections/{iid}/status", {"status": "published", "version": str(version)}, f"/inspections/{iid}")
    assert r.status_code == 422 and error_links(r.text) == ["status"] and "grade every framework" in r.text
    check_page(r.text)
    stale = post(client, f"/inspections/{iid}/status", {"status": "published", "version": "1"}, f"/inspections/{iid}")
    assert stale.status_code == 409
    graded = post(client, f"/inspections/{iid}/grades", {}, f"/inspections/{iid}")
    assert graded.status_code == 303 and graded.headers["location"] == f"/inspections/{iid}?done=graded"
    # nothing assessed: not evidenced, so neither graded nor publishable (the engine once said Fair)
    grades = client.get(f"/api/v1/inspections/{iid}/grades", headers=inspector).json()
    assert [(g["framework_id"], g["grade"]) for g in grades] == [(MP, None)]
    assert "Not evidenced" in page(client, f"/inspections/{iid}")
    r = post(client, f"/inspections/{iid}/status", {"status": "published", "version": str(version)}, f"/inspections/{iid}")
    assert r.status_code == 422 and "not evidenced, so not graded: missing_persons" in r.text
    assess(client, inspector, iid, MP, lambda c: "met" if c.level.value == "fair" else "not_met")
    post(client, f"/inspections/{iid}/grades", {}, f"/inspections/{iid}")
    r = post(client, f"/inspections/{iid}/status", {"status": "published", "version": str(version)}, f"/inspections/{iid}")
    assert r.status_code == 303
    # published: locked, the forms are gone, and a write is a conflict
    html = page(client, f"/inspections/{iid}/frameworks/{MP}")
    assert "published and locked" in html and "Record evidence" not in html and "Move to" not in page(client, f"/inspections/{iid}")
    r = post(client, f"/inspections/{iid}/frameworks/{MP}/evidence", {
        "method": "document", "title": "Late", "summary": "Too late.", "source": "A source",
        "gathered_on-day": "3", "gathered_on-month": "10", "gathered_on-year": "2026"}, f"/inspections/{iid}")
    assert r.status_code == 409


def test_new_inspection_form(client, world):
    login(client, "inspector")
    r = post(client, "/inspections", {"framework_ids": []}, "/inspections")
    assert r.status_code == 422
    assert error_links(r.text) == ["title", "force_id", "framework_ids", "period_start", "period_end"]
    r = post(client, "/inspections", {"title": "Missing persons 2026", "force_id": str(world.force_id),
                                      "framework_ids": [MP], "period_start-day": "1", "period_start-month": "4",
                                      "period_start-year": "2026", "period_end-day": "1", "period_end-month": "1",
                                      "period_end-year": "2026"}, "/inspections")
    assert r.status_code == 422 and error_links(r.text) == ["period_end"]
    r = post(client, "/inspections", {"title": "Missing persons 2026", "force_id": str(world.force_id),
                                      "framework_ids": [MP, PVP], "period_start-day": "1", "period_start-month": "4",
                                      "period_start-year": "2026", "period_end-day": "1", "period_end-month": "4",
                                      "period_end-year": "2027"}, "/inspections")
    assert r.status_code == 303 and re.fullmatch(r"/inspections/\d+\?done=created", r.headers["location"])
    html = page(client, r.headers["location"])
    assert "Missing persons 2026" in html and "Inspection started." in html


# --- access ------------------------------------------------------------------------------------

def test_chief_officer_reads_every_page_but_cannot_write(client, inspection, inspector):
    iid = inspection["id"]
    assess(client, inspector, iid, MP, lambda c: "met" if c.level.value == "fair" else "not_met")
    grade = client.post(f"/api/v1/inspections/{iid}/grades", headers=inspector).json()[0]
    login(client, "chief")
    for path in ("/inspections", f"/inspections/{iid}", f"/inspections/{iid}/frameworks/{MP}",
                 f"/inspections/{iid}/evidence/{inspection['compliance']['id']}", "/practice", "/national"):
        html = page(client, path)
        for form_text in ("Record evidence", "Save the assessment", "Moderate the grade", "Move to", "Run the grading",
                          "Start an inspection"):
            assert form_text not in html, (path, form_text)
    assert client.get(f"/inspections/{iid}/report").status_code == 200
    fw = f"/inspections/{iid}/frameworks/{MP}"
    writes = [
        (f"/inspections/{iid}/status", {"status": "fieldwork", "version": "1"}),
        (f"/inspections/{iid}/grades", {}),
        (f"{fw}/evidence", {"method": "document", "title": "T", "summary": "S", "source": "S", "gathered_on-day": "1",
                            "gathered_on-month": "10", "gathered_on-year": "2026"}),
        (f"{fw}/computed-evidence", {"kind": "mp.compliance"}),
        (f"{fw}/assessments/{FIRST}", {"result": "not_met", "justification": "A chief officer should not do this."}),
        (f"{fw}/moderation", {"grade": "excellent", "version": str(grade["version"]),
                              "rationale": "A chief officer grading their own force."}),
        ("/inspections", {"title": "Own inspection", "force_id": "1", "framework_ids": [MP], "period_start-day": "1",
                          "period_start-month": "4", "period_start-year": "2026", "period_end-day": "1",
                          "period_end-month": "4", "period_end-year": "2027"}),
    ]
    for path, data in writes:
        r = post(client, path, data, "/inspections")
        assert r.status_code == 403, (path, r.status_code)
    assert client.get(f"/api/v1/inspections/{iid}/grades", headers=inspector).json()[0]["moderated_grade"] is None
    assert FIRST not in [a for a, v in assessments(client, inspector, iid).items() if v["result"] == "not_met"]


def test_an_officer_may_not_open_inspections(client, inspection):
    login(client, "officer.a")
    page(client, "/inspections", status=403)
    page(client, f"/inspections/{inspection['id']}", status=403)


def test_forms_without_csrf_are_refused(client, inspection):
    login(client, "inspector")
    r = client.post(f"/inspections/{inspection['id']}/grades", data={}, follow_redirects=False)
    assert r.status_code == 403
