"""The inspection journey in a real browser: an inspector starts an inspection, records
evidence (after the empty form's error summary), computes evidence from the missing-person
records and drills into it, assesses the criteria, runs the grading engine, moderates (after
the form refuses a missing rationale), publishes, and opens the report and its PDF. Axe
(WCAG 2.1 A/AA) runs on every inspection page; screenshots go to test-artifacts/screenshots/."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from beacon.db import utcnow
from beacon.inspection import service
from beacon.web.routes import inspection_pages
from tests.browser.conftest import screenshot
from tests.browser.test_missing_person_journey import sign_in
from tests.factories import report_payload
from tests.web.helpers import token

pytestmark = pytest.mark.browser

MP = "missing_persons"
TITLE = "Protecting vulnerable people: missing persons"


@pytest.fixture
def extra_routers():
    return [inspection_pages.router]


@pytest.fixture
def reports(engine, world):
    """Three missing-person reports made in the last few hours, through the API."""
    from beacon.web.app import create_app

    with TestClient(create_app(engine, clock=utcnow, secret_key="setup")) as api:
        officer = token(api, "officer.a")
        for hours, grade in ((6, "high"), (5, "medium"), (4, "low")):
            seen = datetime.now(timezone.utc) - timedelta(hours=hours)
            r = api.post("/api/v1/missing-persons", headers=officer, json=report_payload(
                risk_grade=grade, last_seen_at=seen.isoformat(), reported_at=(seen + timedelta(minutes=30)).isoformat()))
            assert r.status_code == 201, r.text


def fill_date(page: Page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def start_inspection(page: Page, today: date) -> None:
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Force").select_option(label="Testshire Constabulary")
    page.get_by_role("group", name="Frameworks to inspect").get_by_label(
        "Protecting Vulnerable People – Missing Persons").check()
    fill_date(page, "Start of the assessment period", date(today.year - 1, 4, 1))
    fill_date(page, "End of the assessment period", today + timedelta(days=2))
    page.get_by_role("button", name="Start the inspection").click()


def record_evidence(page: Page) -> None:
    form = page.locator("#new-evidence")
    form.get_by_label("How it was gathered").select_option(label="Interview")
    form.get_by_label("Title", exact=True).fill("Chief officer portfolio for missing persons")
    form.get_by_label("Summary").fill("The ACC holds the portfolio and chairs the missing persons steering group.")
    form.get_by_label("Source").fill("Interview with the assistant chief constable")
    fill_date(page, "When it was gathered", date.today())
    form.get_by_role("group", name="What it shows").get_by_label("Strength", exact=True).check()
    form.get_by_role("group", name="Verification").get_by_label("Verified", exact=True).check()
    form.get_by_label(re.compile(r"mp\.f\.chief-officer-lead: A chief officer")).check()
    form.get_by_role("button", name="Record evidence").click()


def assess(page: Page, criterion_id: str, result: str, justification: str) -> None:
    block = page.locator(f"#criterion-{inspection_pages.key_of(criterion_id)}")
    block.locator("summary").click()
    block.get_by_role("group", name="Result").get_by_label(result, exact=True).check()
    block.get_by_label("Justification").fill(justification)
    block.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_text("Assessment saved.")).to_be_visible()
    expect(page.locator(f"#criterion-{inspection_pages.key_of(criterion_id)}")).to_contain_text(result)


def test_inspector_grades_moderates_publishes_and_reads_the_report(new_context, reports, axe_audit):
    today = date.today()
    page = sign_in(new_context, "inspector")

    # Start the inspection.
    page.goto("/inspections")
    expect(page.get_by_role("heading", name="Inspections", level=1)).to_be_visible()
    axe_audit.check(page, "inspections list")
    screenshot(page, "inspection-01-list")
    start_inspection(page, today)
    expect(page.get_by_text("Inspection started.")).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    overview_url = page.url.split("?")[0]
    axe_audit.check(page, "inspection overview (planned)")
    screenshot(page, "inspection-02-overview-planned")
    page.get_by_role("button", name="Move to fieldwork").click()
    expect(page.get_by_text("The inspection moved to its next stage.")).to_be_visible()

    # The framework page: the empty evidence form's error summary, then real evidence.
    page.get_by_role("link", name="Protecting Vulnerable People – Missing Persons").click()
    expect(page.get_by_role("heading", name="Protecting Vulnerable People – Missing Persons", level=1)).to_be_visible()
    framework_url = page.url.split("?")[0].split("#")[0]
    axe_audit.check(page, "framework page (empty)")
    screenshot(page, "inspection-03-framework-empty")
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/evidence")) as posted:
        page.locator("#new-evidence").get_by_role("button", name="Record evidence").click()
    assert posted.value.status == 422
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    for field in ("How the evidence was gathered", "Enter a title", "Enter a summary", "Enter where", "Enter the date"):
        expect(summary).to_contain_text(re.compile(field.replace("How", "Choose how")))
    axe_audit.check(page, "framework page (evidence errors)")
    screenshot(page, "inspection-04-evidence-errors")
    summary.get_by_role("link", name="Enter a title for the evidence").click()
    expect(page.locator("#title")).to_be_focused()

    page.goto(framework_url)
    record_evidence(page)
    expect(page.get_by_text("Evidence recorded.")).to_be_visible()
    expect(page.locator("#evidence")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"Evidence \d+: Chief officer portfolio"))).to_be_visible()

    # Evidence computed from the records, and the records behind it.
    page.get_by_role("button", name="Compute compliance").click()
    expect(page.get_by_text("Evidence computed from the missing-person records.")).to_be_visible()
    rates = page.get_by_role("table", name=re.compile("Rates computed from the records"))
    expect(rates).to_contain_text("Supervisory reviews on time")
    page.get_by_role("link", name=re.compile("The records behind these rates")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Compliance with missing-person policy")
    expect(page.get_by_text(re.compile(r"every one of 3 reports"))).to_be_visible()
    expect(page.get_by_text("Exampleton")).to_have_count(0)      # inspectors see references, not names
    axe_audit.check(page, "computed evidence drill-down")
    screenshot(page, "inspection-05-drill-down")

    # Assess every Fair criterion as met; the Good ones stay unassessed.
    page.goto(framework_url)
    fair = [c for c in service.library("hmic-2007").framework(MP).criteria if c.level.value == "fair"]
    for c in fair:
        assess(page, c.id, "Met", f"Seen in interviews and the policy: {c.id} is met in full.")
    block = page.locator(f"#criterion-{inspection_pages.key_of(fair[0].id)}")
    block.locator("summary").click()
    axe_audit.check(page, "framework page (assessment form open)")

    # Grade, then moderate: a missing rationale is refused first.
    page.get_by_role("button", name="Run the grading engine").click()
    expect(page.get_by_text("The grading engine has graded every framework.")).to_be_visible()
    grade_section = page.locator("#grade-section")
    expect(page.get_by_text("Why the engine gave Fair")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Meets all 5 significant Fair criteria"))).to_be_visible()
    screenshot(page, "inspection-06-graded")
    moderation = page.locator("#moderation")
    moderation.get_by_role("group", name="Moderated grade").get_by_label("Good", exact=True).check()
    moderation.get_by_role("button", name="Save the moderated grade").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the rationale for the moderated grade")
    axe_audit.check(page, "framework page (moderation error)")
    screenshot(page, "inspection-07-moderation-error")
    moderation = page.locator("#moderation")
    moderation.get_by_role("group", name="Moderated grade").get_by_label("Good", exact=True).check()
    moderation.get_by_label("Rationale").fill("Moderation panel: practice since the fieldwork meets most Good criteria.")
    moderation.get_by_role("button", name="Save the moderated grade").click()
    expect(page.get_by_text("Moderated grade saved.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"the engine's grade is Fair"))).to_be_visible()
    assert grade_section.count() == 1
    screenshot(page, "inspection-08-moderated")

    # Publish.
    page.goto(overview_url)
    for stage in ("grading", "moderation", "published"):
        page.get_by_role("button", name=f"Move to {stage}").click()
        expect(page.get_by_text("The inspection moved to its next stage.")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Published")
    expect(page.get_by_role("button", name=re.compile("Move to"))).to_have_count(0)
    expect(page.get_by_role("table", name="Frameworks in this inspection")).to_contain_text("Good")
    axe_audit.check(page, "inspection overview (published)")
    screenshot(page, "inspection-09-published")

    # The report, and its PDF.
    page.get_by_role("link", name="Read the report").click()
    expect(page.get_by_role("heading", name="Testshire Constabulary", level=1)).to_be_visible()
    for heading in ("Introduction to HMIC Inspections", "Force Overview and Context", "Findings",
                    "National summary of judgements", "Force summary of judgements",
                    "Appendix: Glossary of Terms and Abbreviations"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="National grade distribution: Missing persons")).to_be_visible()
    expect(page.get_by_role("table", name="Missing person reports made", exact=False)).to_contain_text("3")
    axe_audit.check(page, "report")
    screenshot(page, "inspection-10-report")
    pdf = page.request.get(overview_url + "/report.pdf", timeout=120_000)  # WeasyPrint on a busy 2-core machine
    assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"

    # The register and the national picture.
    page.goto("/practice")
    axe_audit.check(page, "developing practice")
    page.goto("/national")
    expect(page.get_by_role("img", name=re.compile("National grade distribution: Protecting Vulnerable People – Missing"))).to_be_visible()
    axe_audit.check(page, "national picture")
    screenshot(page, "inspection-11-national")

    axe_audit.assert_clean()


def test_chief_officer_reads_the_inspection_without_forms(new_context, reports, engine, world, axe_audit):
    from beacon.access.unit_of_work import transaction
    from beacon.db import session_factory
    from beacon.inspection.schemas import InspectionIn

    with transaction(session_factory(engine)) as s:
        iid = service.create(s, world.users["inspector"], InspectionIn(
            force_id=world.force_id, title=TITLE, framework_ids=[MP], period_start=date(2020, 1, 1),
            period_end=date.today() + timedelta(days=2)), utcnow()).id
    page = sign_in(new_context, "chief")
    page.goto(f"/inspections/{iid}/frameworks/{MP}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Protecting Vulnerable People – Missing Persons")
    expect(page.get_by_role("button")).to_have_count(1)    # only "Sign out"
    axe_audit.check(page, "framework page (chief officer)")
    screenshot(page, "inspection-12-chief-officer")
    axe_audit.assert_clean()


def test_an_inspector_sees_a_sampled_name_and_another_approves_a_request(new_context, reports, engine, world,
                                                                        axe_audit):
    """ADR 0011 in the browser: the name behind a sampled file on a page of its own, then a
    request for another record that a second inspector approves."""
    import json

    from beacon import config
    from beacon.access.unit_of_work import transaction
    from beacon.db import session_factory
    from beacon.inspection.schemas import ComputedEvidenceIn, InspectionIn
    from beacon.org.models import User
    from beacon.org.roles import Role, Vetting
    from tests.factories import _HASH

    with transaction(session_factory(engine)) as s:
        s.add(User(username="inspector.b", password_hash=_HASH, role=Role.INSPECTOR, vetting=Vetting.SC,
                   display_name="Test inspector.b"))
        me = world.users["inspector"]
        iid = service.create(s, me, InspectionIn(
            force_id=world.force_id, title=TITLE, framework_ids=[MP], period_start=date(2020, 1, 1),
            period_end=date.today() + timedelta(days=2), sample_sizes={"mp.file_sample": 1}), utcnow()).id
        sample = service.compute_evidence(s, me, iid, ComputedEvidenceIn(kind="mp.file_sample"),
                                          config.defaults(), utcnow())
        sample_id = sample.id
        sampled = json.loads(sample.computed_result)["cases"][0]["record_id"]
    page = sign_in(new_context, "inspector")
    page.goto(f"/inspections/{iid}/evidence/{sample_id}")
    axe_audit.check(page, "sample with names to show")
    page.get_by_role("button", name=re.compile("Show the name behind")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("The name behind")
    expect(page.get_by_text("Testy Exampleton")).to_be_visible()
    axe_audit.check(page, "a sampled file's name")
    screenshot(page, "inspection-13-sampled-name")

    page.get_by_role("link", name="Names shown and requests in this inspection").click()
    axe_audit.check(page, "names shown and requests")
    other = next(i for i in range(1, 4) if i != sampled)
    page.get_by_label("Kind of record").select_option(label="Missing-person report")
    page.get_by_label("Record number").fill(str(other))
    page.get_by_label("Why you need to see the name").fill("The family's complaint names this report.")
    page.get_by_role("button", name="Ask for approval").click()
    expect(page.get_by_text("Request recorded.")).to_be_visible()
    screenshot(page, "inspection-14-requested")

    second = sign_in(new_context, "inspector.b")
    second.goto(f"/inspections/{iid}/reveals")
    form = second.locator("form", has_text="asks to see the name")
    form.get_by_role("group", name="Your decision").get_by_label("Approve").check()
    form.get_by_label("Why").fill("The complaint is part of the fieldwork.")
    axe_audit.check(second, "a request to decide")
    screenshot(second, "inspection-15-decide")
    form.get_by_role("button", name="Record the decision").click()
    expect(second.get_by_text("Decision recorded.")).to_be_visible()

    page.reload()
    page.get_by_role("button", name=re.compile("Show the name behind")).click()
    expect(page.get_by_text("Testy Exampleton")).to_be_visible()
    axe_audit.assert_clean()
