"""The inspection report: built through the API like a real inspection (evidence, computed
evidence, assessments, grades, moderation, other forces' published inspections), then every
section is checked for presence and every figure against the data it traces to."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape
from sqlalchemy import select

from beacon import settings_repo
from beacon.access.unit_of_work import transaction
from beacon.cli import report_files
from beacon.inspection import service
from beacon.inspection.types import Grade
from beacon.org.models import Force, LocalAuthority, Neighbourhood, Section, Staff, User, Ward
from beacon.org.roles import Rank, Role, Vetting
from beacon.reports import charts, inspection_report, render, wording
from tests.factories import _HASH, report_payload
from tests.web.helpers import login, token
from tests.web.pagecheck import check_page, csp_problems

MP, DV, PVP = "missing_persons", "domestic_violence", "pvp_overview"
PERIOD = ("2026-04-01", "2026-12-01")
OTHER_FORCES = {  # force name -> final grades of its published inspection
    "Northshire Police": {MP: "excellent", DV: "good"},
    "Westshire Constabulary": {MP: "good", DV: "fair"},
    "Eastshire Police": {MP: "good", DV: "poor"},
}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report"
MP_REPORTS = {"high": 3, "medium": 2, "low": 1, "absent_from_care": 1}


# --- building an inspection through the API ----------------------------------------------------

def framework(fid):
    return service.library("hmic-2007").framework(fid)


def assess(client, headers, iid, fid, result_for, justification="Seen in the file sample and interviews."):
    for c in framework(fid).criteria:
        r = client.put(f"/api/v1/inspections/{iid}/assessments/{c.id}", headers=headers,
                       json={"result": result_for(c), "justification": justification})
        assert r.status_code == 200, r.text


def advance_to(client, headers, iid, target="published"):
    version = client.get(f"/api/v1/inspections/{iid}", headers=headers).json()["version"]
    for status in ("fieldwork", "grading", "moderation", "published"):
        r = client.post(f"/api/v1/inspections/{iid}/status", headers=headers, json={"version": version, "status": status})
        assert r.status_code == 200, r.text
        version = r.json()["version"]
        if status == target:
            return


def moderate(client, headers, iid, fid, grade, rationale="Moderation panel: the evidence as a whole supports this grade.",
             second=None):
    """Moderate ``fid`` to ``grade``; a grade more than one step from the engine's is confirmed by
    ``second`` (another moderator's headers)."""
    current = next(g for g in client.get(f"/api/v1/inspections/{iid}/grades", headers=headers).json()
                   if g["framework_id"] == fid)
    r = client.post(f"/api/v1/inspections/{iid}/grades/{fid}/moderation", headers=headers,
                    json={"version": current["version"], "grade": grade, "rationale": rationale})
    assert r.status_code == 200, r.text
    if r.json()["awaiting_confirmation"]:
        assert second is not None, f"{fid}: {grade} is more than one step from the engine's grade"
        r = client.post(f"/api/v1/inspections/{iid}/grades/{fid}/confirmation", headers=second,
                        json={"version": r.json()["version"], "rationale": "Second moderator: I agree with the panel."})
        assert r.status_code == 200 and r.json()["grade"] == grade, r.text
    return r.json()


def second_moderator(sessions, client):
    """Headers of a second inspector, who confirms a moderation more than one step from the engine."""
    with transaction(sessions) as s:
        if not s.scalars(select(User).where(User.username == "inspector.b")).first():
            s.add(User(username="inspector.b", password_hash=_HASH, role=Role.INSPECTOR, vetting=Vetting.SC,
                       display_name="Test inspector.b"))
    return token(client, "inspector.b")


def published_inspection(client, headers, force_id, grades, second=None):
    """A published inspection of ``force_id`` whose final grades are ``grades``."""
    r = client.post("/api/v1/inspections", headers=headers, json={
        "force_id": force_id, "title": "Protecting vulnerable people 2026", "framework_ids": list(grades),
        "period_start": PERIOD[0], "period_end": PERIOD[1]})
    assert r.status_code == 201, r.text
    iid = r.json()["id"]
    for fid in grades:
        assess(client, headers, iid, fid, lambda c: "met" if c.level.value == "fair" else "not_met")
    engine = {g["framework_id"]: g["grade"] for g in client.post(f"/api/v1/inspections/{iid}/grades",
                                                                 headers=headers).json()}
    for fid, grade in grades.items():
        if engine[fid] != grade:
            moderate(client, headers, iid, fid, grade, second=second)
    advance_to(client, headers, iid)
    return iid


def add_forces(sessions) -> dict[str, int]:
    with transaction(sessions) as s:
        forces = [Force(code=name.split()[0].lower(), name=name, population=0) for name in OTHER_FORCES]
        s.add_all(forces)
        s.flush()
        return {f.name: f.id for f in forces}


def mp_reports(client):
    officer = token(client, "officer.a")
    made = []
    for grade, n in MP_REPORTS.items():
        for i in range(n):
            seen = datetime(2026, 6, 1 + i, 18, 0, tzinfo=timezone.utc)
            body = report_payload(risk_grade=grade, last_seen_at=seen.isoformat(),
                                  reported_at=(seen + timedelta(hours=2)).isoformat(),
                                  from_care=grade == "absent_from_care")
            r = client.post("/api/v1/missing-persons", json=body, headers=officer)
            assert r.status_code == 201, r.text
            made.append(r.json()["id"])
    # one reported before the period: not counted
    early = datetime(2026, 3, 30, 12, 0, tzinfo=timezone.utc)
    r = client.post("/api/v1/missing-persons", headers=officer, json=report_payload(
        last_seen_at=early.isoformat(), reported_at=(early + timedelta(hours=1)).isoformat()))
    assert r.status_code == 201, r.text
    return made


def evidence(client, headers, iid, fid, title, finding=None, **extra):
    body = {"framework_id": fid, "method": "interview", "title": title, "summary": f"{title}: what it shows.",
            "source": "Interview with the divisional commander", "gathered_on": "2026-10-01",
            "verification": "verified", "finding": finding, **extra}
    r = client.post(f"/api/v1/inspections/{iid}/evidence", headers=headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture
def inspector(client):
    return token(client, "inspector")


@pytest.fixture
def built(client, world, sessions, inspector):
    """The world's force under inspection (missing persons, domestic violence and the PVP
    overview), with evidence, computed evidence, assessments, grades and a moderation; three
    other forces with published inspections; missing-person reports; practice entries."""
    with transaction(sessions) as s:
        settings_repo.save(s, "grading.vast_majority", "0.9", "test")
    forces = add_forces(sessions)
    second = second_moderator(sessions, client)
    others = {name: published_inspection(client, inspector, forces[name], grades, second)
              for name, grades in OTHER_FORCES.items()}
    mp_reports(client)
    r = client.post("/api/v1/inspections", headers=inspector, json={
        "force_id": world.force_id, "title": "Protecting vulnerable people inspection 2026",
        "framework_ids": [PVP, DV, MP], "period_start": PERIOD[0], "period_end": PERIOD[1]})
    assert r.status_code == 201, r.text
    iid = r.json()["id"]
    ev = {
        "strength": evidence(client, inspector, iid, MP, "Chief officer portfolio for missing persons", "strength"),
        "wip": evidence(client, inspector, iid, MP, "Procurement of a missing persons IT system", "work_in_progress"),
        "afi": evidence(client, inspector, iid, MP, "No training for officers beyond students", "area_for_improvement"),
        "context": evidence(client, inspector, iid, MP, "Policy owned by divisional commanders"),
        "dv_afi": evidence(client, inspector, iid, DV, "Paper risk identification backlog", "area_for_improvement"),
        "pvp": evidence(client, inspector, iid, PVP, "Single chief officer lead for vulnerable people", "strength"),
    }
    computed = client.post(f"/api/v1/inspections/{iid}/computed-evidence", headers=inspector,
                           json={"kind": "mp.compliance"})
    assert computed.status_code == 201, computed.text
    good = [c.id for c in framework(MP).criteria if c.level.value == "good"][:3]
    assess(client, inspector, iid, MP, lambda c: "met" if c.level.value == "fair" or c.id in good else "not_met")
    # domestic violence: one significant Fair criterion only partly met leaves Fair or Poor to moderation
    partly = next(c.id for c in framework(DV).criteria if c.significant and not c.dominant)
    assess(client, inspector, iid, DV, lambda c: "partly_met" if c.id == partly else
           "met" if c.level.value == "fair" else "not_met")
    grades = {g["framework_id"]: g for g in client.post(f"/api/v1/inspections/{iid}/grades", headers=inspector).json()}
    assert grades[MP]["grade"] == "good" and grades[DV]["engine_grade"] == "fair" and grades[DV]["provisional"]
    moderate(client, inspector, iid, DV, "poor", "Moderation panel: the backlog puts victims at risk; Poor.")
    for title, in_report, force_id in (("Return interview hub", True, world.force_id),
                                       ("Draft triage card", False, world.force_id),
                                       ("Northshire repeat locations map", True, forces["Northshire Police"])):
        r = client.post("/api/v1/practice", headers=inspector, json={
            "force_id": force_id, "framework_id": MP, "title": title, "problem": "Children went missing repeatedly.",
            "solution": "A weekly multi-agency meeting.", "outcomes": "Fewer repeat episodes.",
            "force_contact": "Inspector Example, 01234 567890", "evaluated": True, "in_report": in_report})
        assert r.status_code == 201, r.text
    return {"id": iid, "forces": forces, "others": others, "evidence": ev, "computed": computed.json()}


def context_for(sessions, world, iid, username="inspector"):
    with transaction(sessions) as s:
        return inspection_report.report_context(s, world.users[username], iid, settings_repo.load(s))


# --- reading HTML tables ---------------------------------------------------------------------

class Tables(HTMLParser):
    """Every table row as a list of cell texts."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def rows_of(html: str) -> list[list[str]]:
    parser = Tables()
    parser.feed(html)
    return parser.rows


def section(html: str, anchor: str) -> str:
    """The HTML of one framework's section."""
    start = html.index(f'id="{anchor}"')
    end = html.find('<section class="framework"', start)
    return html[start:end if end != -1 else html.index('id="developing-practice"', start)]


# --- the tests ---------------------------------------------------------------------------------

def test_every_section_is_present_in_the_report(sessions, world, built):
    ctx = context_for(sessions, world, built["id"])
    html = render.render_html(ctx)
    check_page(html)
    for heading in wording.SECTION_HEADINGS:
        assert f">{heading}</h" in html, heading
    for fid in (PVP, DV, MP):
        part = section(html, f"framework-{fid.replace('_', '-')}")
        assert f">{framework(fid).title}</h3>" in part
        expected = wording.FRAMEWORK_HEADINGS if framework(fid).graded else (
            "National contextual factors", "Contextual factors", "Strengths", "Work in progress",
            "Areas for improvement")
        for heading in expected:
            assert f">{heading}</h4>" in part, (fid, heading)
    assert "Force summary of judgements" in html and "Draft: this inspection" in html
    assert "currentcolor" not in html.lower()  # no GOV.UK crown (WeasyPrint cannot read it)
    assert "govuk-logo" not in html and "<script" not in html


def test_introduction_lists_frameworks_and_the_settings_used(sessions, world, built):
    ctx = context_for(sessions, world, built["id"])
    lib = service.library("hmic-2007")
    risk_based = [fw.title for fw in lib.frameworks if fw.kind == "risk_based"]
    assert [r["title"] for r in ctx["introduction"]["risk_based"]] == risk_based
    html = render.render_html(ctx)
    rows = rows_of(html)
    for title in risk_based:
        assert any(r and r[0] == title for r in rows), title
    assert [a["area"] for a in ctx["introduction"]["programmed"]] == [
        "Neighbourhood Policing", "Performance management", "Protecting vulnerable people"]
    # the settings' values, from the force settings (vast majority changed to 0.9 above)
    assert ["the vast majority", "grading.vast_majority", "90%",
            "share of applicable Good criteria met for Excellent"] in rows
    assert ["most", "grading.most", "60%", "share of applicable Good criteria met for Good"] in rows
    assert any(r[:3] == ["a significant number", "grading.significant_number", "25%"] for r in rows)
    assert any(r[:3] == ["a significant number (at least)", "grading.significant_number_min", "2"] for r in rows)
    assert "the vast majority (here: at least 90% of the applicable Good criteria)" in html
    for grade in ("Excellent", "Good", "Fair", "Poor"):
        assert f"<h4>{grade}</h4>" in html
    assert "April 2026 to November 2026" in ctx["introduction"]["grading"]["period"]
    assert "evaluated by the force" in ctx["introduction"]["developing_practice"]


def test_force_overview_counts_come_from_the_force_records(sessions, world, built):
    ctx = context_for(sessions, world, built["id"])
    o = ctx["overview"]
    assert o["population"] == "100,000"
    assert [(d["name"], d["population"]) for d in o["divisions"]] == [("Division A", "50,000"), ("Division B", "50,000")]
    assert o["officers"] == o["police_staff"] == o["sections"] == o["wards"] == wording.NOT_RECORDED
    html = render.render_html(ctx)
    assert "not recorded" in html and ["Division A", "50,000"] in rows_of(html)
    # add the rows, and the figures follow
    with transaction(sessions) as s:
        la = LocalAuthority(force_id=world.force_id, name="Testshire Council")
        s.add(la)
        s.flush()
        section_row = Section(division_id=world.divisions["A"], name="Section A1")
        s.add(section_row)
        s.flush()
        hood = Neighbourhood(section_id=section_row.id, name="Neighbourhood A1-1")
        s.add(hood)
        s.flush()
        s.add_all([Ward(neighbourhood_id=hood.id, local_authority_id=la.id, name=f"Ward {i}", population=10)
                   for i in range(3)])
        for i, (officer, rank) in enumerate([(True, Rank.PC), (True, Rank.PS), (False, Rank.PCSO), (False, Rank.STAFF),
                                             (False, Rank.STAFF)]):
            s.add(Staff(force_id=world.force_id, collar_number=f"T{i}", forename="Test", surname=f"Staff{i}",
                        is_officer=officer, rank=rank, role="test", unit="test", vetting=Vetting.RV))
    assert o["structure"] == ("The force has 2 divisions (basic command units). Its sections, neighbourhoods, wards "
                              "and local authority areas are not recorded in Beacon.")
    o = context_for(sessions, world, built["id"])["overview"]
    assert o["structure"] == ("The force has 2 divisions (basic command units), 1 section, 1 neighbourhood, 3 wards "
                              "and 1 local authority area.")
    assert (o["officers"], o["police_staff"], o["pcsos"]) == ("2", "3", "1")
    assert (o["sections"], o["neighbourhoods"], o["wards"], o["local_authorities"]) == ("1", "1", "3", "1")


def test_national_summary_and_distributions_match_the_published_grades(client, sessions, world, built, inspector):
    national = client.get("/api/v1/national", headers=inspector).json()["distribution"]
    expected = {fid: [sum(1 for g in OTHER_FORCES.values() if g.get(fid) == grade) for grade in
                      ("excellent", "good", "fair", "poor")] for fid in (MP, DV)}
    assert expected[MP] == [1, 2, 0, 0] and expected[DV] == [0, 1, 1, 1]
    for fid in (MP, DV):
        assert [national[fid][g] for g in ("excellent", "good", "fair", "poor")] == expected[fid]
    ctx = context_for(sessions, world, built["id"])
    assert ctx["national"]["forces"] == 3
    html = render.render_html(ctx)
    rows = rows_of(html)
    assert ["Missing persons", *map(str, expected[MP])] in rows
    assert ["Domestic violence", *map(str, expected[DV])] in rows
    assert ["Protecting vulnerable people"] in rows          # grouped by area, as HMIC's table is
    assert not any(r and r[0] == "Overview" for r in rows)   # the overview is not graded
    for fid in (MP, DV):
        part = section(html, f"framework-{fid.replace('_', '-')}")
        prows = rows_of(part)
        assert ["Excellent", "Good", "Fair", "Poor"] in prows and list(map(str, expected[fid])) in prows
        svg = re.search(r"<svg.*?</svg>", part, re.S).group(0)
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
        for label, n in zip(("Excellent", "Good", "Fair", "Poor"), expected[fid]):
            assert f"{label} {n}" in svg
        assert "/api/v1/national?library_id=hmic-2007" in part

    # publishing this inspection adds its grades to the national picture
    advance_to(client, inspector, built["id"])
    ctx = context_for(sessions, world, built["id"])
    assert ctx["national"]["forces"] == 4 and not ctx["inspection"]["draft"]
    rows = rows_of(render.render_html(ctx))
    assert ["Missing persons", "1", "3", "0", "0"] in rows and ["Domestic violence", "0", "1", "1", "2"] in rows


def test_grades_and_their_explanations(client, sessions, world, built, inspector):
    grades = {g["framework_id"]: g for g in client.get(f"/api/v1/inspections/{built['id']}/grades",
                                                       headers=inspector).json()}
    ctx = context_for(sessions, world, built["id"])
    by_id = {f["id"]: f for f in ctx["frameworks"]}
    assert [f["id"] for f in ctx["frameworks"]] == [PVP, DV, MP]
    assert by_id[MP]["grade"]["label"] == "Good" and not by_id[MP]["grade"]["moderated"]
    assert by_id[DV]["grade"]["label"] == "Poor" and by_id[DV]["grade"]["engine"] == "Fair"
    assert by_id[DV]["grade"]["moderated"] and "backlog" in by_id[DV]["grade"]["rationale"]
    assert by_id[PVP]["grade"] is None and not by_id[PVP]["graded"]
    for fid in (MP, DV):
        assert by_id[fid]["grade"]["reasons"] == grades[fid]["explanation"]["reasons"]
        assert [d["id"] for d in by_id[fid]["grade"]["deciding"]] == grades[fid]["explanation"]["deciding"]
    html = render.render_html(ctx)
    assert ["Missing persons", "Good"] in rows_of(html) and ["Domestic violence", "Poor (moderated)"] in rows_of(html)
    mp = section(html, "framework-missing-persons")
    assert '<p class="grade"><span>Grade</span> <strong>Good</strong></p>' in mp
    for reason in grades[MP]["explanation"]["reasons"]:
        assert str(escape(reason)) in mp
    dv = section(html, "framework-domestic-violence")
    assert "Moderated from the grading engine's Fair" in dv and "Rationale: Moderation panel" in dv
    assert grades[DV]["explanation"]["moderation"] and str(escape(grades[DV]["explanation"]["moderation"][0])) in dv
    assert f"/api/v1/inspections/{built['id']}/grades" in mp and f"/api/v1/inspections/{built['id']}/assessments" in mp


def test_findings_come_from_the_evidence(sessions, world, built):
    ctx = context_for(sessions, world, built["id"])
    by_id = {f["id"]: f for f in ctx["frameworks"]}
    mp = by_id[MP]
    assert [e["title"] for e in mp["strengths"]] == ["Chief officer portfolio for missing persons"]
    assert [e["title"] for e in mp["work_in_progress"]] == ["Procurement of a missing persons IT system"]
    assert [e["title"] for e in mp["areas_for_improvement"]] == ["No training for officers beyond students"]
    context_titles = [e["title"] for e in mp["force_context_items"]]
    assert "Policy owned by divisional commanders" in context_titles
    assert built["computed"]["title"] in context_titles            # computed evidence has no finding
    assert by_id[DV]["force_context_items"] == [] and by_id[DV]["strengths"] == []
    html = render.render_html(ctx)
    dv = section(html, "framework-domestic-violence")
    assert "None recorded." in dv and "Paper risk identification backlog" in dv
    assert f"/api/v1/inspections/{built['id']}/evidence" in section(html, "framework-missing-persons")
    assert by_id[PVP]["strengths"][0]["title"] == "Single chief officer lead for vulnerable people"


def test_missing_person_figures_match_the_records_they_trace_to(client, sessions, world, built, inspector):
    ctx = context_for(sessions, world, built["id"])
    mp = {f["id"]: f for f in ctx["frameworks"]}[MP]["missing_persons"]
    assert mp["available"] and mp["total"] == sum(MP_REPORTS.values())
    assert {r["grade"]: r["count"] for r in mp["rows"]} == MP_REPORTS
    for row in mp["rows"]:                     # follow each trace: the API lists exactly those records
        listed = client.get(row["api"] + "&limit=200", headers=inspector)
        assert listed.status_code == 200, listed.text
        results = listed.json()["results"]
        assert len(results) == row["count"] and {r["risk_grade"] for r in results} <= {row["grade"]}
    assert len(client.get(mp["total_api"] + "&limit=200", headers=inspector).json()["results"]) == mp["total"]
    assert mp["sentence"] == ("In the period April 2026 to November 2026, the force investigated a total of 7 missing "
                              "persons. Of these, 3 were classed as high risk, 2 as medium risk, 1 as low risk and 1 was an "
                              "unauthorised absence from care.")
    html = render.render_html(ctx)
    rows = rows_of(section(html, "framework-missing-persons"))
    api = mp["rows"][0]["api"]
    assert ["High", "3", api] in rows and ["Total", "7", mp["total_api"]] in rows
    assert "reported_from=2026-03-31T23:00:00Z" in api and "reported_to=2026-12-01T00:00:00Z" in api


def test_developing_practice_shows_the_forces_entries_marked_for_the_report(sessions, world, built):
    ctx = context_for(sessions, world, built["id"])
    assert [p["title"] for p in ctx["practice"]] == ["Return interview hub"]
    html = render.render_html(ctx)
    assert "Return interview hub" in html and "Draft triage card" not in html and "Northshire repeat" not in html


def test_glossary_lists_terms_and_the_abbreviations_used(sessions, world, built):
    ctx = context_for(sessions, world, built["id"])
    abbreviations = [a["abbreviation"] for a in ctx["glossary"]["abbreviations"]]
    assert {"HMIC", "SGC", "MSF"} <= set(abbreviations)
    assert "PNC" in abbreviations            # the computed evidence's checks mention PNC
    assert "MAPPA" not in abbreviations      # public protection is not in this inspection
    assert any(t["term"].startswith("Dominant criterion") for t in ctx["glossary"]["terms"])


def test_a_chief_officer_reads_the_report_but_an_officer_may_not(sessions, world, built):
    assert context_for(sessions, world, built["id"], "chief")["force"]["name"] == "Testshire Constabulary"
    from beacon.errors import Forbidden
    with pytest.raises(Forbidden):
        context_for(sessions, world, built["id"], "officer.a")


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
        return out.stdout
    pypdf = pytest.importorskip("pypdf", reason="neither pdftotext (poppler-utils) nor pypdf is installed")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


def test_pdf_renders_with_every_section_heading(sessions, world, built, tmp_path):
    ctx = context_for(sessions, world, built["id"])
    pdf = render.render_pdf(ctx)
    assert pdf.startswith(b"%PDF")
    text = " ".join(pdf_text(pdf, tmp_path).split())
    for heading in (*wording.SECTION_HEADINGS, *wording.FRAMEWORK_HEADINGS,
                    *(framework(f).title for f in (PVP, DV, MP))):
        assert heading in text, heading
    assert "Page 2 of" in text and "Testshire Constabulary" in text
    assert "a total of 7 missing persons" in text


def test_write_report_writes_html_and_pdf(sessions, world, built):
    """Written where a person can look at them: test-artifacts/report/."""
    with transaction(sessions) as s:
        html_path, pdf_path = render.write_report(s, world.users["inspector"], built["id"], settings_repo.load(s),
                                                  ARTIFACTS)
    assert html_path.read_text().startswith("<!DOCTYPE html>") and pdf_path.read_bytes().startswith(b"%PDF")
    assert html_path.name == f"testshire-constabulary-inspection-{built['id']}.html"


def test_the_served_report_links_its_stylesheet_and_the_written_one_carries_it(client, sessions, world, built):
    """Beacon's Content-Security-Policy allows no inline style; a file opened from disk has no server."""
    login(client, "inspector")
    served = client.get(f"/inspections/{built['id']}/report")
    assert served.status_code == 200
    assert '<link rel="stylesheet" href="/static/report.css">' in served.text and "<style>" not in served.text
    assert csp_problems(served.text) == []
    assert client.get("/static/report.css").text == render.STYLESHEET.read_text()
    written = render.render_html(context_for(sessions, world, built["id"]))
    assert f"<style>{render.STYLESHEET.read_text()}</style>" in written and "/static/report.css" not in written


def test_grade_chart_is_accessible_svg():
    svg = charts.grade_chart({Grade.EXCELLENT: 1, Grade.GOOD: 21, Grade.FAIR: 21, Grade.POOR: 0},
                             "National grade distribution: Missing persons", "c1", highlight=Grade.FAIR,
                             highlight_label="Gwent Police")
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert "Excellent 1; Good 21; Fair 21; Poor 0. Gwent Police: Fair." in svg
    assert svg.count("<rect") == 3           # no bar for a zero count
    assert "currentcolor" not in svg.lower()


def test_report_command_writes_the_chosen_format(database_url, built, tmp_path):
    """What `beacon report ID --as USER --format pdf` calls."""
    from beacon.errors import Invalid

    out = tmp_path / "out"
    [pdf] = report_files(built["id"], "inspector", "pdf", out, database_url=database_url)
    assert pdf.suffix == ".pdf" and pdf.read_bytes().startswith(b"%PDF") and list(out.iterdir()) == [pdf]
    with pytest.raises(Invalid):
        report_files(built["id"], "inspector", "docx", tmp_path, database_url=database_url)
    with pytest.raises(Invalid):
        report_files(built["id"], "nobody", "pdf", tmp_path, database_url=database_url)
