"""Grades from the records in a real browser (issue 9): an inspector accepts one result the
records propose, overrides another with a reason (after the form refuses an override without
one), runs the grading engine and reads the grade and why; then a chief officer reads the live
grades, their chart and what would change them. Axe (WCAG 2.1 A/AA) on every page."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import expect

from beacon import settings_repo
from beacon.access.unit_of_work import transaction
from beacon.db import session_factory, utcnow
from beacon.inspection import live, live_grades, service
from beacon.web.routes import inspection_pages
from tests.browser.conftest import screenshot
from tests.browser.test_inspection_journey import reports  # noqa: F401  (the fixture)
from tests.browser.test_missing_person_journey import sign_in
from tests.web.helpers import token

pytestmark = pytest.mark.browser

MP = "missing_persons"
LABELS = {"met": "Met", "partly_met": "Partly met", "not_met": "Not met"}


@pytest.fixture
def extra_routers():
    return [inspection_pages.router]


@pytest.fixture
def proposed(engine, world, reports):  # noqa: F811
    """An inspection of missing persons whose compliance is computed from three reports, with the
    bound criteria's minimum number of records lowered to one so that the records propose."""
    from beacon.web.app import create_app

    with transaction(session_factory(engine)) as s:
        settings_repo.save(s, "grading.bound.minimum_records", "1", "test: three reports are enough")
    with TestClient(create_app(engine, clock=utcnow, secret_key="setup")) as api:
        inspector = token(api, "inspector")
        r = api.post("/api/v1/inspections", headers=inspector, json={
            "force_id": world.force_id, "title": "Missing persons from the records", "framework_ids": [MP],
            "period_start": str(date.today() - timedelta(days=300)), "period_end": str(date.today() + timedelta(days=2))})
        iid = r.json()["id"]
        for status in ("fieldwork", "grading"):
            version = api.get(f"/api/v1/inspections/{iid}", headers=inspector).json()["version"]
            api.post(f"/api/v1/inspections/{iid}/status", headers=inspector, json={"version": version, "status": status})
        assert api.post(f"/api/v1/inspections/{iid}/computed-evidence", headers=inspector,
                        json={"kind": "mp.compliance"}).status_code == 201
        found = [p for p in api.get(f"/api/v1/inspections/{iid}/proposals", headers=inspector).json()
                 if not p["missing"] and p["result"] in LABELS]
    assert len(found) >= 2, found
    return iid, found


def test_inspector_accepts_one_proposal_overrides_another_and_reads_the_grade(new_context, proposed, axe_audit):
    iid, found = proposed
    accepted, overridden = found[0], found[1]
    page = sign_in(new_context, "inspector")
    page.goto(f"/inspections/{iid}/frameworks/{MP}")
    block = page.locator(f"#criterion-{inspection_pages.key_of(accepted['criterion_id'])}")
    expect(block.locator("[data-proposal]")).to_contain_text("The records propose")
    axe_audit.check(page, "framework page with proposals")
    screenshot(page, "grades-01-proposals")

    # Accept the first proposal.
    block.locator("summary").click()
    block.get_by_role("button", name=re.compile(r"Accept the proposed result")).click()
    expect(page.get_by_text("The proposed result is accepted.")).to_be_visible()
    block = page.locator(f"#criterion-{inspection_pages.key_of(accepted['criterion_id'])}")
    expect(block).to_contain_text(LABELS[accepted["result"]])

    # Override the second: another result without a reason is refused, then given with one.
    other = "Partly met" if overridden["result"] != "partly_met" else "Met"
    block = page.locator(f"#criterion-{inspection_pages.key_of(overridden['criterion_id'])}")
    block.locator("summary").click()
    block.get_by_role("group", name="Result").get_by_label(other, exact=True).check()
    block.get_by_label("Justification").fill("File sample read in full during the fieldwork week.")
    block.get_by_role("button", name="Save the assessment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("the records propose")
    axe_audit.check(page, "framework page (override refused)")
    screenshot(page, "grades-02-override-refused")
    block = page.locator(f"#criterion-{inspection_pages.key_of(overridden['criterion_id'])}")
    block.get_by_role("group", name="Result").get_by_label(other, exact=True).check()
    block.get_by_label("Justification").fill("File sample read in full during the fieldwork week.")
    block.get_by_label("Reason for setting another result than the records propose").fill(
        "Three reports are too few to read a rate from; the files show the practice is uneven.")
    block.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_text("Assessment saved.")).to_be_visible()
    block = page.locator(f"#criterion-{inspection_pages.key_of(overridden['criterion_id'])}")
    expect(block).to_contain_text("Overridden")
    expect(block).to_contain_text("Three reports are too few")

    # Grade: with the other significant criteria unassessed the framework is not evidenced.
    page.get_by_role("button", name="Run the grading engine").click()
    expect(page.get_by_text("The grading engine has graded every framework.")).to_be_visible()
    grade = page.locator("#grade-section")
    expect(page.get_by_text("Why the engine gave no grade")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Not evidenced:")
    axe_audit.check(page, "framework page (graded, not evidenced)")
    screenshot(page, "grades-03-not-evidenced")
    assert grade.count() == 1
    axe_audit.assert_clean()


def test_chief_officer_reads_the_live_grades(new_context, engine, world, proposed, axe_audit):
    iid, _ = proposed
    factory = session_factory(engine)
    with transaction(factory) as s:
        settings = settings_repo.load(s)
        this = live.month_of(date.today())
        live_grades.refresh(s, "hmic-2007", [live.month_of(this - timedelta(days=40)), this], settings, utcnow())
    page = sign_in(new_context, "chief")
    page.goto("/")
    page.get_by_role("link", name="Inspection", exact=True).click()
    page.get_by_role("link", name="Live grades").click()
    expect(page.get_by_role("heading", name="Live grades", level=1)).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("The force's standing"))).to_contain_text(
        "Protecting Vulnerable People – Missing Persons")
    expect(page.get_by_role("img", name="Live grade by month: Protecting Vulnerable People – Missing Persons")).to_be_visible()
    expect(page.locator("main")).to_contain_text("What would change the grade")
    axe_audit.check(page, "live grades (chief officer)")
    screenshot(page, "grades-04-live")
    assert service.library("hmic-2007").framework(MP).title in page.content()
    axe_audit.assert_clean()
