"""The missing-person journey in a real browser: an officer reports a high-risk missing child,
the supervisor's open list shows it without a reload, and the supervisor reviews it. Also: the
empty form's error summary, axe (WCAG 2.1 A/AA) on every page, and screenshots of each page."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from beacon.cases.missing_persons.models import MissingReport
from beacon.db import session_factory
from beacon.people.models import Person
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

LONDON = ZoneInfo("Europe/London")
REFRESH_WAIT_MS = 15_000  # the supervisor's list refetches every 5 s


@dataclass(frozen=True)
class Child:
    forename: str
    surname: str
    dob: date
    last_seen: datetime  # UK local time

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"


def missing_child(surname: str = "Brightwater") -> Child:
    """A 12-year-old last seen an hour ago, in UK time (the form's fields are UK time)."""
    last_seen = (datetime.now(LONDON) - timedelta(hours=1)).replace(second=0, microsecond=0)
    anchor = last_seen.date() - timedelta(days=40)  # birthday 40 days ago: 12, not about to turn 13
    try:
        dob = anchor.replace(year=anchor.year - 12)
    except ValueError:  # 29 February
        dob = anchor.replace(year=anchor.year - 12, day=28)
    return Child("Robin", surname, dob, last_seen)


def sign_in(new_context, username: str, shot: str | None = None, audit=None) -> Page:
    page = new_context().new_page()
    page.goto("/login")
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    if audit is not None:
        audit.check(page, "login")
    if shot:
        screenshot(page, shot)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as Test {username}")).to_be_visible()
    return page


def fill_report(page: Page, child: Child) -> None:
    dob = page.get_by_role("group", name="Date of birth")
    dob.get_by_label("Day").fill(str(child.dob.day))
    dob.get_by_label("Month").fill(str(child.dob.month))
    dob.get_by_label("Year").fill(str(child.dob.year))
    page.get_by_label("First name").fill(child.forename)
    page.get_by_label("Last name").fill(child.surname)
    page.get_by_role("group", name="Gender").get_by_label("Female").check()
    page.get_by_label("Home address", exact=True).fill("14 Orchard Close, Testtown")
    page.get_by_label("Home postcode").fill("NP20 1AA")
    seen = page.get_by_role("group", name="When were they last seen?")
    seen.get_by_label("Day").fill(str(child.last_seen.day))
    seen.get_by_label("Month").fill(str(child.last_seen.month))
    seen.get_by_label("Year").fill(str(child.last_seen.year))
    page.get_by_label("Time (24-hour clock, for example 21:30)").fill(child.last_seen.strftime("%H:%M"))
    page.get_by_label("Where were they last seen?").fill("Bus station, Testtown")
    page.get_by_label("Circumstances").fill("Did not come home from after-school club; phone left at home.")
    page.get_by_label("Who reported them missing?").fill("Sam Brightwater")
    page.get_by_label("Their relationship to the missing person").fill("father")
    page.get_by_role("group", name="Risk grade").get_by_label("High", exact=True).check()
    page.get_by_label("Why this grade?").fill("Twelve years old, out after dark, no phone, first time missing.")


def submit_report(page: Page, expect_status: int):
    with page.expect_response(lambda r: r.request.method == "POST"
                              and r.url.endswith("/missing-persons/new")) as posted:
        page.get_by_role("button", name="Save report").click()
    assert posted.value.status == expect_status, posted.value.status
    page.wait_for_load_state()
    return posted.value


def expect_blank_textareas(page: Page) -> None:
    """No textarea starts with text in it (a missing value once rendered as the word "None")."""
    textareas = page.locator("textarea")
    for i in range(textareas.count()):
        expect(textareas.nth(i)).to_have_value("")


def counts(engine) -> tuple[int, int]:
    with session_factory(engine)() as s:
        return (s.scalar(select(func.count()).select_from(MissingReport)),
                s.scalar(select(func.count()).select_from(Person)))


def new_high_risk_table(page: Page):
    return page.locator("#supervisor-lists").get_by_role("table", name="New high-risk reports")


def test_officer_reports_missing_child_and_supervisor_sees_it_live(new_context, engine):
    child = missing_child()

    # The supervisor has the list open before anything is reported.
    supervisor = sign_in(new_context, "supervisor.a")
    supervisor.goto("/supervisor")
    expect(supervisor.get_by_role("heading", name="Supervisor's list")).to_be_visible()
    expect(supervisor.get_by_role("heading", name="New high-risk reports not yet reviewed (0)")).to_be_visible()
    screenshot(supervisor, "journey-05-supervisor-list-empty")
    supervisor.evaluate("() => { window.__notReloaded = true; }")  # gone if the page reloads
    navigations = []
    supervisor.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == supervisor.main_frame
                  else None)

    # The officer reports the missing child.
    officer = sign_in(new_context, "officer.a", shot="journey-01-login")
    officer.goto("/missing-persons/new")
    expect(officer.get_by_role("heading", name="Report a missing person")).to_be_visible()
    expect_blank_textareas(officer)
    screenshot(officer, "journey-02-new-report-empty")
    fill_report(officer, child)
    screenshot(officer, "journey-03-new-report-filled")
    submit_report(officer, 303)  # then Playwright follows the redirect to the case page
    expect(officer).to_have_url(re.compile(r"/missing-persons/\d+\?created=1$"))
    banner = officer.locator(".govuk-notification-banner--success")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(re.compile(r"Report MP\d{2}/\d{6,} saved"))
    expect(officer.get_by_role("heading", level=1)).to_contain_text(child.name)
    expect(officer.get_by_text("12 (child)")).to_be_visible()
    screenshot(officer, "journey-04-case-created")
    reference = re.search(r"MP\d{2}/\d{6,}", banner.inner_text()).group(0)
    assert counts(engine) == (1, 1)

    # Without a reload, the supervisor's list picks it up.
    row = new_high_risk_table(supervisor).get_by_role("row").filter(has_text=child.name)
    expect(row).to_be_visible(timeout=REFRESH_WAIT_MS)
    expect(row).to_contain_text(reference)
    expect(row).to_contain_text("Child")
    expect(row).to_contain_text("High")
    expect(supervisor.get_by_role("heading", name="New high-risk reports not yet reviewed (1)")).to_be_visible()
    assert supervisor.evaluate("() => window.__notReloaded === true"), "the supervisor's page was reloaded"
    assert navigations == [], f"the supervisor's page navigated: {navigations}"
    screenshot(supervisor, "journey-06-supervisor-list-new-report")

    # The supervisor opens the case and records a review.
    row.get_by_role("link", name=reference).click()
    expect(supervisor.get_by_role("heading", level=1)).to_contain_text(child.name)
    expect(supervisor.get_by_text("No reviews yet.")).to_be_visible()
    expect_blank_textareas(supervisor)
    notes = "Reviewed the grade: agree high risk. Search the park and call the school at 08:30."
    supervisor.get_by_label("Supervisory review").fill(notes)
    supervisor.get_by_role("button", name="Record review").click()
    expect(supervisor).to_have_url(re.compile(r"/missing-persons/\d+\?done=review$"))
    expect(supervisor.get_by_text("Supervisory review recorded.")).to_be_visible()
    expect(supervisor.get_by_text(notes)).to_be_visible()
    expect(supervisor.get_by_text("No reviews yet.")).to_have_count(0)
    screenshot(supervisor, "journey-07-case-reviewed")

    # Reviewed, so it leaves the "not yet reviewed" list.
    supervisor.goto("/supervisor")
    expect(supervisor.get_by_role("heading", name="New high-risk reports not yet reviewed (0)")).to_be_visible()

    # And the officer can find it by surname.
    officer.goto(f"/missing-persons?q={child.surname}")
    expect(officer.get_by_role("table", name="Missing person reports").get_by_role("row")
           .filter(has_text=child.name)).to_be_visible()
    screenshot(officer, "journey-08-search")


def test_empty_report_shows_error_summary_and_saves_nothing(new_context, engine):
    officer = sign_in(new_context, "officer.a")
    officer.goto("/missing-persons/new")
    submit_report(officer, 422)
    expect(officer).to_have_title(re.compile(r"^Error: "))
    summary = officer.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    links = summary.locator(".govuk-error-summary__list a")
    assert links.count() >= 1
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href")
        assert href and href.startswith("#"), href
        target = officer.locator(f"[id='{href[1:]}']")
        expect(target).to_have_count(1)  # every link leads to a field on the page
    # GOV.UK Frontend's error summary moves focus to it, and a link moves focus to its field.
    expect(summary).to_be_focused()
    expect_blank_textareas(officer)
    screenshot(officer, "bad-input-new-report-errors")
    for i in range(links.count()):
        link = links.nth(i)
        link.click()
        focused = officer.evaluate("() => document.activeElement && document.activeElement.tagName")
        assert focused in ("INPUT", "TEXTAREA", "SELECT"), f"{link.get_attribute('href')} focused a {focused}"
    assert counts(engine) == (0, 0)


def test_journey_pages_pass_axe(new_context, axe_audit):
    child = missing_child("Axeworthy")
    officer = sign_in(new_context, "officer.a", audit=axe_audit)

    officer.goto("/missing-persons/new")
    axe_audit.check(officer, "new report (empty)")
    submit_report(officer, 422)
    expect(officer.locator(".govuk-error-summary")).to_be_visible()
    axe_audit.check(officer, "new report (with errors)")

    officer.goto("/missing-persons/new")
    fill_report(officer, child)
    submit_report(officer, 303)
    expect(officer.locator(".govuk-notification-banner--success")).to_be_visible()
    axe_audit.check(officer, "case page (officer, just created)")

    officer.goto(f"/missing-persons?q={child.surname}")
    expect(officer.get_by_text(child.name)).to_be_visible()
    axe_audit.check(officer, "search")

    supervisor = sign_in(new_context, "supervisor.a")
    supervisor.goto("/supervisor")
    expect(new_high_risk_table(supervisor).get_by_role("row").filter(has_text=child.name)).to_be_visible()
    axe_audit.check(supervisor, "supervisor list")
    new_high_risk_table(supervisor).get_by_role("link").first.click()
    expect(supervisor.get_by_role("button", name="Record review")).to_be_visible()
    axe_audit.check(supervisor, "case page (supervisor)")

    axe_audit.assert_clean()
