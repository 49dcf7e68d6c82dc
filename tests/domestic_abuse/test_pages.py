"""The domestic abuse, MARAC and referral pages: well formed for the roles that use them, the
DASH form over HTML (scored on saving, judgement raise-only, every error at once), review,
MARAC referral, meetings, and the partner's acknowledgement."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from beacon.cases.domestic_abuse.models import RiskForm
from tests.domestic_abuse.helpers import DASH, SCORED, create_form
from tests.logs import entries
from tests.web.helpers import csrf_of, login, token
from tests.web.pagecheck import check_page


@pytest.fixture
def records(client, partners):
    form = create_form(client, yes=15, children_in_household=1)
    referral = client.post(f"/api/v1/domestic-abuse/forms/{form['id']}/marac-referral", headers=token(client, "ppu.a"),
                           json={"version": form["version"]}).json()
    other = create_form(client, username="officer.b", yes=14, victim={"forename": "Bea", "surname": "Other"})
    return {"form": form, "marac": referral, "child": form["child_referrals"][0], "other": other}


@pytest.mark.parametrize("username,paths", [
    ("officer.a", ["/domestic-abuse/new", "/domestic-abuse/new?victim_id={victim}", "/domestic-abuse/forms/{form}",
                   "/referrals/{child}"]),
    ("ppu.a", ["/domestic-abuse/queue", "/domestic-abuse/forms/{form}", "/marac", "/marac/divisions/{div_a}",
               "/marac/referrals/{marac}", "/marac/benchmark", "/marac/benchmark?year=2025", "/referrals",
               "/referrals/{child}", "/domestic-abuse/new"]),
    ("supervisor.b", ["/domestic-abuse/queue", "/domestic-abuse/forms/{other}", "/marac/divisions/{div_b}",
                      "/referrals"]),
    ("partner.a", ["/referrals/inbox", "/referrals/{child}", "/referrals"]),
    ("analyst", ["/domestic-abuse/queue", "/domestic-abuse/queue?division_id={div_a}", "/marac", "/marac/benchmark",
                 "/referrals", "/domestic-abuse/forms/{form}"]),
    ("inspector", ["/domestic-abuse/queue", "/domestic-abuse/forms/{form}"]),
])
def test_pages_render_well_formed(client, records, world, username, paths):
    login(client, username)
    ids = {"form": records["form"]["id"], "victim": records["form"]["victim_id"], "child": records["child"]["id"],
           "marac": records["marac"]["id"], "other": records["other"]["id"], "div_a": world.divisions["A"],
           "div_b": world.divisions["B"]}
    for path in paths:
        r = client.get(path.format(**ids))
        assert r.status_code == 200, (path, r.text[:500])
        check_page(r.text)


def test_inspector_form_page_shows_no_names(client, records):
    login(client, "inspector")
    html = client.get(f"/domestic-abuse/forms/{records['form']['id']}").text
    assert "Testcase" not in html and "Harmer" not in html and "Refer to MARAC" not in html


def test_pages_refuse_the_wrong_division_and_role(client, records):
    login(client, "officer.b")
    r = client.get(f"/domestic-abuse/forms/{records['form']['id']}")
    assert r.status_code == 403
    check_page(r.text)
    login(client, "partner.b")
    assert client.get(f"/referrals/{records['child']['id']}").status_code == 403
    assert client.get("/domestic-abuse/queue").status_code == 403


def dash_form(page: str, yes: int, **extra) -> dict:
    form = {"csrf_token": csrf_of(page), "victim_forename": "Holly", "victim_surname": "Formfill",
            "victim_gender": "female", "home_address": "8 Form Street, Testport", "children_in_household": "0",
            "perpetrator_forename": "Pat", "perpetrator_surname": "Harmer"}
    scored = iter(range(len(SCORED)))
    for q in DASH.questions:
        form[f"q_{q.id}"] = "no" if q.supplementary else ("yes" if next(scored) < yes else "no")
    form.update(extra)
    return form


def test_dash_over_html_is_scored_on_saving(client, partners, sessions):
    login(client, "officer.a")
    page = client.get("/domestic-abuse/new").text
    check_page(page)
    assert len(set(re.findall(r'name="(q_[a-z_]+)" type="radio"', page))) == 27
    r = client.post("/domestic-abuse/new", data=dash_form(page, 14, children_in_household="1",
                                                          child1_forename="Kit", child1_surname="Formfill"),
                    follow_redirects=False)
    assert r.status_code == 303, r.text[:3000]
    saved = client.get(r.headers["location"])
    check_page(saved.text)
    assert "score 14 out of 24, high risk" in saved.text
    assert "meets the MARAC referral criteria: visible high risk" in saved.text
    assert "Referral for Kit Formfill sent to Testport Children&#39;s Services" in saved.text


def test_dash_over_html_refuses_a_lowering_naming_the_field(client, partners, sessions):
    login(client, "officer.a")
    page = client.get("/domestic-abuse/new").text
    r = client.post("/domestic-abuse/new", data=dash_form(page, 16, judged_level="medium",
                                                          judgement_reason="Seems fine."))
    assert r.status_code == 422
    assert 'href="#judged_level"' in r.text and "never lower it" in r.text
    check_page(r.text)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(RiskForm)) == 0
    refused = entries(sessions, outcome="refused")
    assert [(e.username, e.action, e.record_type) for e in refused] == [("officer.a", "create", "da_form")]
    assert "lowering the risk level refused" in refused[0].detail


def test_empty_dash_form_shows_every_error_at_once(client, partners, sessions):
    login(client, "officer.a")
    page = client.get("/domestic-abuse/new").text
    r = client.post("/domestic-abuse/new", data={"csrf_token": csrf_of(page), "victim_dob-day": "31",
                                                 "victim_dob-month": "2", "victim_dob-year": "1990"})
    assert r.status_code == 422
    check_page(r.text)
    for field in ("victim_forename", "victim_surname", "victim_dob", "children_in_household",
                  *[f"q_{q.id}" for q in DASH.questions]):
        assert f'href="#{field}"' in r.text, field
    links = re.findall(r'<a href="#([a-z0-9_]+)"', r.text)
    assert links.index("victim_surname") < links.index("q_current_injury") < links.index("q_criminal_history")


def test_review_refer_and_acknowledge_through_the_pages(client, partners, world):
    form = create_form(client, yes=14, children_in_household=1)
    login(client, "ppu.a")
    page = client.get(f"/domestic-abuse/forms/{form['id']}").text
    assert "Refer to MARAC" in page and "Visible high risk" in page
    r = client.post(f"/domestic-abuse/forms/{form['id']}/review",
                    data={"csrf_token": csrf_of(page), "version": str(form["version"]), "notes": "ok"})
    assert r.status_code == 422 and 'href="#notes"' in r.text
    check_page(r.text)
    r = client.post(f"/domestic-abuse/forms/{form['id']}/review", follow_redirects=False,
                    data={"csrf_token": csrf_of(page), "version": str(form["version"]),
                          "notes": "Safety plan agreed with the victim."})
    assert r.status_code == 303
    page = client.get(f"/domestic-abuse/forms/{form['id']}").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    r = client.post(f"/domestic-abuse/forms/{form['id']}/marac", follow_redirects=False,
                    data={"csrf_token": csrf_of(page), "version": version, "marac_reason": ""})
    assert r.status_code == 303, r.text[:2000]
    page = client.get(r.headers["location"]).text
    check_page(page)
    assert "Referred to MARAC." in page and "Testport MARAC" in page

    # a meeting with the referral, and an action from it
    marac = client.get(f"/marac/divisions/{world.divisions['A']}").text
    referral_id = re.search(r'name="referral_ids" type="checkbox" value="(\d+)"', marac).group(1)
    r = client.post(f"/marac/divisions/{world.divisions['A']}/meetings", follow_redirects=False,
                    data={"csrf_token": csrf_of(marac), "held_on-day": "26", "held_on-month": "11",
                          "held_on-year": "2026", "agencies": ["Police", "Health"], "other_agencies": "Refuge",
                          "referral_ids": [referral_id]})
    assert r.status_code == 303, r.text[:2000]
    marac = client.get(r.headers["location"]).text
    check_page(marac)
    assert "Police, Health, Refuge" in marac
    meeting_id = re.search(r'id="meeting-(\d+)"', marac).group(1)
    p = f"m{meeting_id}_"
    bad = client.post(f"/marac/meetings/{meeting_id}/actions",
                      data={"csrf_token": csrf_of(marac), p + "referral_id": "", p + "text": "", p + "owner_agency": ""})
    assert bad.status_code == 422 and f'href="#{p}text"' in bad.text
    check_page(bad.text)
    r = client.post(f"/marac/meetings/{meeting_id}/actions", follow_redirects=False,
                    data={"csrf_token": csrf_of(marac), p + "referral_id": referral_id,
                          p + "text": "Refer the victim to the IDVA service.", p + "owner_agency": "Police"})
    assert r.status_code == 303
    assert "Refer the victim to the IDVA service." in client.get(r.headers["location"]).text

    # the partner acknowledges the child referral
    login(client, "partner.a")
    inbox = client.get("/referrals/inbox").text
    child_id = form["child_referrals"][0]["id"]
    assert f'href="/referrals/{child_id}"' in inbox
    page = client.get(f"/referrals/{child_id}").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    r = client.post(f"/referrals/{child_id}/acknowledge", follow_redirects=False,
                    data={"csrf_token": csrf_of(page), "version": version, "outcome": ""})
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    check_page(page)
    assert "Referral acknowledged." in page and "Record outcome" in page


def test_supervisor_referrals_page_lists_failures(client, partners, sessions):
    from sqlalchemy import update

    from beacon.access.unit_of_work import transaction
    from beacon.org.models import User

    with transaction(sessions) as s:
        s.execute(update(User).where(User.username == "partner.a").values(active=False))
    form = create_form(client, yes=3, children_in_household=1)
    login(client, "supervisor.a")
    page = client.get("/referrals").text
    check_page(page)
    assert "Could not be sent (1)" in page and "no Beacon inbox" in page
    referral = client.get(f"/referrals/{form['child_referrals'][0]['id']}").text
    assert "Try sending again" in referral


def test_officer_refers_a_child_protection_concern_from_the_page(client, partners):
    login(client, "officer.a")
    page = client.get("/referrals/new").text
    check_page(page)
    bad = client.post("/referrals/new", data={"csrf_token": csrf_of(page), "concern": "short"})
    assert bad.status_code == 422
    check_page(bad.text)
    for field in ("forename", "surname", "concern"):
        assert f'href="#{field}"' in bad.text, field
    r = client.post("/referrals/new", follow_redirects=False, data={
        "csrf_token": csrf_of(page), "forename": "Sky", "surname": "Pagefill", "dob-day": "3", "dob-month": "4",
        "dob-year": "2016", "home_address": "4 Page Road, Testport", "concern": "Child disclosed being hit at home."})
    assert r.status_code == 303, r.text[:2000]
    referral = client.get(r.headers["location"]).text
    check_page(referral)
    assert "Referral sent to Testport Children&#39;s Services." in referral and "Sky Pagefill" in referral
