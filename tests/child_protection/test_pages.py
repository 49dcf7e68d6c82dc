"""The child protection pages: well formed for the roles that use them (tests.web.pagecheck),
forms with CSRF and a field-named error summary, names hidden from inspectors, 403 elsewhere."""
from __future__ import annotations

import pytest

from beacon.org.roles import Rank
from tests.child_protection.helpers import FACTORS, give_rank, open_case, step
from tests.web.helpers import csrf_of, login, token
from tests.web.pagecheck import check_page


@pytest.fixture
def records(client, area):
    case = step(client, open_case(client), "strategy-discussion", "2026-11-20")
    pp = client.post("/api/v1/police-protection", headers=token(client, "ppu.a"),   # officers cannot read the case's child
                     json={"child_id": case["child_id"], "taken_at": "2026-11-26T20:00:00+00:00",
                           "notes": "Found alone at home late at night, aged six."}).json()
    client.post("/api/v1/lscb-meetings", headers=token(client, "ppu.a"),
                json={"lscb_id": area.lscb["A"], "held_on": "2026-06-01", "police_attended": False})
    return {"case": case["id"], "pp": pp["id"]}


@pytest.mark.parametrize("username,paths", [
    ("ppu.a", ["/child-protection/cases", "/child-protection/cases?sort=-due", "/child-protection/cases/new",
               "/child-protection/cases/{case}", "/child-protection/cases/{case}/decisions/joint",
               "/child-protection/cases/{case}/decisions/decision", "/child-protection/cases/{case}/decisions/closure",
               "/child-protection/police-protection", "/child-protection/police-protection/{pp}",
               "/child-protection/police-protection/new", "/child-protection/lscb"]),
    ("supervisor.a", ["/child-protection/cases", "/child-protection/cases/{case}", "/child-protection/lscb"]),
    ("officer.a", ["/child-protection/police-protection", "/child-protection/police-protection/new",
                   "/child-protection/police-protection/{pp}"]),
    ("analyst", ["/child-protection/cases", "/child-protection/cases?division_id=1&sort=opened",
                 "/child-protection/lscb?from_on=2026-01-01&to_on=2026-12-31", "/child-protection/police-protection"]),
    ("inspector", ["/child-protection/cases", "/child-protection/cases/{case}", "/child-protection/police-protection/{pp}"]),
])
def test_pages_render_well_formed(client, records, username, paths):
    login(client, username)
    for path in paths:
        r = client.get(path.format(**records))
        assert r.status_code == 200, (path, r.text[:500])
        check_page(r.text)


@pytest.mark.parametrize("username", ["ppu.a", "analyst", "inspector"])
def test_caseload_lists_each_case_with_its_child_and_next_step(client, records, username):
    """The force-wide division filter once overwrote the rows: check what the table shows."""
    login(client, username)
    html = client.get("/child-protection/cases").text
    assert "1 open case<" in html
    assert f'href="/child-protection/cases/{records["case"]}">Case {records["case"]}</a>' in html
    assert "Initial child protection conference" in html or "Initial conference" in html
    assert ("Caseworth" in html) == (username != "inspector")


def test_inspector_sees_no_names_and_wrong_division_is_refused(client, records):
    login(client, "inspector")
    html = client.get(f"/child-protection/cases/{records['case']}").text
    assert "Caseworth" not in html and "Person 0" in html
    client.post("/logout", data={"csrf_token": csrf_of(html)})
    login(client, "ppu.b")
    r = client.get(f"/child-protection/cases/{records['case']}")
    assert r.status_code == 403
    check_page(r.text)


def test_joint_decision_form_names_every_missing_factor(client, records):
    login(client, "ppu.a")
    url = f"/child-protection/cases/{records['case']}/decisions/joint"
    page = client.get(url)
    form = {"csrf_token": csrf_of(page.text), "version": "2", "joint_investigation": "no",
            "investigated_by": "uniform", "criteria_met": "sexual-abuse", f"factor-{FACTORS[0]}": "present",
            f"discount-{FACTORS[0]}": "yes"}
    r = client.post(url, data=form)
    assert r.status_code == 422
    check_page(r.text)
    assert "There is a problem" in r.text and f'href="#reason-{FACTORS[0]}"' in r.text
    assert f'href="#factor-{FACTORS[1]}"' in r.text and 'href="#departure_reason"' in r.text
    form.update({f"factor-{f}": "absent" for f in FACTORS[1:]})
    form.update({f"reason-{FACTORS[0]}": "Minor and explained by the school nurse.",
                 "departure_reason": "Allegation retracted; social care to assess as a single agency."})
    r = client.post(url, data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    html = client.get(r.headers["location"]).text
    check_page(html)
    assert "departs from the agreement" in html and "Minor and explained" in html


def test_step_form_and_csrf(client, records):
    login(client, "ppu.a")
    page = client.get(f"/child-protection/cases/{records['case']}")
    url = f"/child-protection/cases/{records['case']}/steps"
    r = client.post(url, data={"csrf_token": csrf_of(page.text), "version": "2", "step": "initial-conference",
                               "on-day": "31", "on-month": "2", "on-year": "2026"})
    assert r.status_code == 422 and 'href="#on"' in r.text
    check_page(r.text)
    r = client.post(url, data={"csrf_token": "wrong", "version": "2", "step": "initial-conference",
                               "on-day": "24", "on-month": "11", "on-year": "2026"})
    assert r.status_code == 403
    r = client.post(url, data={"csrf_token": csrf_of(page.text), "version": "2", "step": "initial-conference",
                               "on-day": "24", "on-month": "11", "on-year": "2026"}, follow_redirects=False)
    assert r.status_code == 303
    assert "On time" in client.get(f"/child-protection/cases/{records['case']}").text


def test_police_protection_and_lscb_forms(client, records, world, sessions, area):
    give_rank(world, sessions, "supervisor.a", Rank.INSP)
    login(client, "supervisor.a")
    page = client.get(f"/child-protection/police-protection/{records['pp']}")
    assert 'action="/child-protection/police-protection/' in page.text
    r = client.post(f"/child-protection/police-protection/{records['pp']}/review",
                    data={"csrf_token": csrf_of(page.text), "notes": "ok"})
    assert r.status_code == 422 and 'href="#notes"' in r.text
    r = client.post(f"/child-protection/police-protection/{records['pp']}/review", follow_redirects=False,
                    data={"csrf_token": csrf_of(page.text), "notes": "Reviewed: protection was necessary."})
    assert r.status_code == 303
    client.post("/logout", data={"csrf_token": csrf_of(page.text)})
    login(client, "ppu.a")
    page = client.get("/child-protection/lscb")
    assert "no police representation" in page.text
    r = client.post("/child-protection/lscb/meetings", data={"csrf_token": csrf_of(page.text), "lscb_id": str(area.lscb["A"]),
                                                            "police_attended": "yes", "held_on-day": "1",
                                                            "held_on-month": "9", "held_on-year": "2026"})
    assert r.status_code == 422 and 'href="#attendee"' in r.text
    check_page(r.text)
    page = client.get("/child-protection/police-protection/new")
    r = client.post("/child-protection/police-protection/new", data={"csrf_token": csrf_of(page.text)})
    assert r.status_code == 422 and 'href="#taken_at"' in r.text and 'href="#notes"' in r.text
    check_page(r.text)
