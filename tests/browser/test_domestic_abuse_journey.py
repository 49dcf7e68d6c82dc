"""The domestic abuse journey in a real browser: an officer on a phone-sized screen closes a
command-and-control log as domestic, then completes the DASH risk form with 14 "yes" answers for a victim with a child in the household; the DVO sees it
in the review queue and refers it to MARAC on the criterion shown; the children's social care
partner acknowledges the child referral that went to its inbox when the form was saved. Axe
(WCAG 2.1 A/AA) on every page, and screenshots of each."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from beacon.access.unit_of_work import transaction
from beacon.cases.domestic_abuse.instrument import instruments
from beacon.cases.incidents import service as incident_service
from beacon.cases.incidents.schemas import LogRecord
from tests.browser.conftest import screenshot
from tests.conftest import NOW
from tests.domestic_abuse.helpers import build_partners
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

DASH = instruments()["dash-2009"]
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def partners(world, sessions):
    return build_partners(world, sessions)


@pytest.fixture
def open_log(world, sessions, partners) -> int:
    """A log from the live feed, still open, at the victim's address in division A."""
    record = LogRecord.model_validate({
        "log_ref": "CC26/900001", "received_at": "2026-11-26T21:15:00+00:00", "opening_code": "DOMESTIC",
        "narrative": "Synthetic test log: caller reports shouting next door.", "address": "12 Harbour View, Testport",
        "postcode": "NP20 4XY", "division": "A",
        "people": [{"forename": "Testy", "surname": "Neighbour", "role": "witness"}]})
    with transaction(sessions) as s:
        incident, _ = incident_service.receive(s, world.users["officer.a"], record, NOW)
        return incident.id


def sign_in(new_context, username: str, next_path: str, audit=None, phone: bool = False) -> Page:
    page = new_context().new_page()
    if phone:
        page.set_viewport_size(PHONE)
    page.goto(f"/login?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as Test {username}")).to_be_visible()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))
    if audit is not None:
        audit.check(page, f"{username} {next_path}")
    return page


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px screen"


def fill_dash(page: Page, yes: int) -> None:
    page.get_by_label("Victim's first name").fill("Morgan")
    page.get_by_label("Victim's last name").fill("Safeway")
    dob = page.get_by_role("group", name="Victim's date of birth")
    dob.get_by_label("Day").fill("14")
    dob.get_by_label("Month").fill("2")
    dob.get_by_label("Year").fill("1991")
    page.get_by_role("group", name="Victim's gender").get_by_label("Female").check()
    page.get_by_label("Address where the victim lives").fill("12 Harbour View, Testport")
    page.get_by_label("Postcode").fill("NP20 4XY")
    page.get_by_label("How many children (under 18) live in the household?").fill("1")
    page.get_by_label("Child 1 first name").fill("Rowan")
    page.get_by_label("Child 1 last name").fill("Safeway")
    page.get_by_label("First name of the person causing harm").fill("Dale")
    page.get_by_label("Last name of the person causing harm").fill("Harcourt")
    scored = 0
    for number, q in enumerate(DASH.questions, start=1):
        group = page.get_by_role("group", name=re.compile(rf"^{number}\. "))
        answer = "No"
        if q.supplementary:
            answer = "Yes" if q.id == "children_not_abusers" else "No"
        elif scored < yes:
            answer = "Yes"
        if not q.supplementary:
            scored += 1
        group.get_by_label(answer, exact=True).check()


def test_dash_to_marac_and_the_partner_acknowledges(new_context, partners, open_log, axe_audit):
    # The first officer, on a phone, closes the log as domestic: the PPU has it at once.
    officer = sign_in(new_context, "officer.a", f"/incidents/{open_log}", axe_audit, phone=True)
    officer.get_by_role("group", name="How was the incident closed?").get_by_label("Domestic", exact=True).check()
    officer.get_by_role("button", name="Close log").click()
    expect(officer.locator(".govuk-notification-banner--success")).to_contain_text("Log closed as")
    # The officer may not read the PPU's work items (the access matrix), so is told it has gone,
    # not which item it became.
    expect(officer.locator(".govuk-notification-banner--success")).to_contain_text(
        "It has gone to the public protection unit")
    axe_audit.check(officer, "log closed as domestic (phone)")
    no_sideways_scroll(officer)
    screenshot(officer, "da-00-log-closed-phone")
    officer.get_by_role("button", name="Complete the domestic abuse risk form").click()
    expect(officer.get_by_role("heading", name="Domestic abuse risk form", level=1)).to_be_visible()
    no_sideways_scroll(officer)
    screenshot(officer, "da-01-dash-form-phone-empty")

    # Saving with nothing filled in shows every problem at once.
    officer.get_by_role("button", name="Save and score").click()
    summary = officer.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name="Question 1: answer yes or no")).to_be_visible()
    axe_audit.check(officer, "DASH form with errors (phone)")
    no_sideways_scroll(officer)
    screenshot(officer, "da-02-dash-form-phone-errors")

    fill_dash(officer, yes=14)
    no_sideways_scroll(officer)
    screenshot(officer, "da-03-dash-form-phone-filled")
    officer.get_by_role("button", name="Save and score").click()
    expect(officer).to_have_url(re.compile(r"/domestic-abuse/forms/\d+\?created=1$"))
    banner = officer.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("score 14 out of 24, high risk")
    expect(banner).to_contain_text("visible high risk")
    expect(banner).to_contain_text("Referral for Rowan Safeway sent to Testport Children's Services")
    expect(officer.get_by_role("heading", level=1)).to_contain_text("Morgan Safeway")
    axe_audit.check(officer, "risk form saved (phone)")
    no_sideways_scroll(officer)
    screenshot(officer, "da-04-risk-form-saved-phone")
    form_id = re.search(r"/domestic-abuse/forms/(\d+)", officer.url).group(1)

    # The DVO sees it in the queue, with its age, and refers it to MARAC.
    dvo = sign_in(new_context, "ppu.a", "/domestic-abuse/queue", axe_audit)
    expect(dvo.get_by_role("heading", name="DVO review queue")).to_be_visible()
    row = dvo.get_by_role("table", name="Risk forms to review, oldest first").get_by_role("row") \
        .filter(has_text="Morgan Safeway")
    expect(row).to_contain_text("High risk")
    expect(row).to_contain_text("Visible high risk")
    expect(row.get_by_role("cell").nth(3)).to_have_text("0")
    backlog = dvo.get_by_role("table", name="Unreviewed risk forms by division")
    expect(backlog.get_by_role("row").filter(has_text="Division A")).to_contain_text("1")
    screenshot(dvo, "da-05-dvo-queue")
    row.get_by_role("link", name=f"Form {form_id}").click()
    expect(dvo.get_by_role("button", name="Refer to MARAC")).to_be_visible()
    expect(dvo.get_by_text("This case meets the MARAC referral criteria:")).to_be_visible()
    axe_audit.check(dvo, "risk form (DVO)")
    screenshot(dvo, "da-06-risk-form-dvo")
    dvo.get_by_label("Review notes").fill("Spoke to the victim; safety plan and IDVA referral agreed.")
    dvo.get_by_role("button", name="Record review").click()
    expect(dvo.get_by_text("Review recorded.")).to_be_visible()
    dvo.get_by_role("button", name="Refer to MARAC").click()
    expect(dvo.get_by_text("Referred to MARAC.")).to_be_visible()
    expect(dvo.get_by_text("Testport MARAC")).to_be_visible()
    axe_audit.check(dvo, "risk form referred (DVO)")
    screenshot(dvo, "da-07-referred-to-marac")

    # The referral carries the DASH answers; the division's MARAC page lists it.
    dvo.get_by_role("link", name=re.compile(r"^MARAC referral \d+$")).click()
    expect(dvo.get_by_role("table", name="Risk identification answers (from the risk form)")).to_be_visible()
    axe_audit.check(dvo, "MARAC referral")
    screenshot(dvo, "da-08-marac-referral")
    dvo.get_by_role("link", name="Back to the division's MARAC").click()
    expect(dvo.get_by_role("heading", name="Testport MARAC", level=1)).to_be_visible()
    axe_audit.check(dvo, "division MARAC")
    screenshot(dvo, "da-09-division-marac")

    # Children's social care acknowledges the child referral from its inbox.
    partner = sign_in(new_context, "partner.a", "/referrals/inbox", axe_audit)
    row = partner.get_by_role("table", name="Referrals to acknowledge, soonest due first").get_by_role("row") \
        .filter(has_text="Rowan Safeway")
    expect(row).to_contain_text("Awaiting acknowledgement")
    screenshot(partner, "da-10-partner-inbox")
    row.get_by_role("link").click()
    expect(partner.get_by_role("heading", name="Rowan Safeway", level=1)).to_be_visible()
    axe_audit.check(partner, "referral (partner)")
    screenshot(partner, "da-11-partner-referral")
    partner.get_by_label("What you have decided (optional)").fill("Strategy discussion arranged for today.")
    partner.get_by_role("button", name="Acknowledge referral").click()
    expect(partner.get_by_text("Referral acknowledged.")).to_be_visible()
    expect(partner.get_by_text("Strategy discussion arranged for today.")).to_be_visible()
    axe_audit.check(partner, "referral acknowledged (partner)")
    screenshot(partner, "da-12-partner-acknowledged")

    # The officer's form now shows the acknowledgement.
    officer.reload()
    expect(officer.get_by_text(re.compile(r"^Acknowledged "))).to_be_visible()

    # The supervisor's referral list and the benchmark page.
    supervisor = sign_in(new_context, "supervisor.a", "/referrals", axe_audit)
    expect(supervisor.get_by_role("heading", name="Not acknowledged in time (0)")).to_be_visible()
    screenshot(supervisor, "da-13-supervisor-referrals")
    analyst = sign_in(new_context, "analyst", "/marac/benchmark", axe_audit)
    expect(analyst.get_by_role("row").filter(has_text="Division B")).to_contain_text("No MARAC")
    screenshot(analyst, "da-14-benchmark")

    axe_audit.assert_clean()
