"""Every page renders well-formed for the roles that use it, and forms behave."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from beacon.cases.missing_persons.models import MissingReport
from tests.factories import report_payload
from tests.web.helpers import csrf_of, login, token
from tests.web.pagecheck import check_page


@pytest.fixture
def report_id(client):
    return client.post("/api/v1/missing-persons", json=report_payload(), headers=token(client, "officer.a")).json()["id"]


@pytest.mark.parametrize("username,paths", [
    ("officer.a", ["/missing-persons", "/missing-persons/new", "/missing-persons/{id}", "/people/1"]),
    ("supervisor.a", ["/supervisor", "/missing-persons/{id}", "/missing-persons/repeats", "/missing-persons?q=exam"]),
    ("inspector", ["/missing-persons", "/missing-persons/{id}", "/missing-persons/repeats", "/people/1"]),
])
def test_pages_render_well_formed(client, report_id, username, paths):
    login(client, username)
    for path in paths:
        r = client.get(path.format(id=report_id))
        assert r.status_code == 200, (path, r.text[:300])
        check_page(r.text)


def test_login_page_and_unsigned_redirect(client):
    check_page(client.get("/login").text)
    r = client.get("/missing-persons", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_inspector_page_shows_no_names(client, report_id):
    login(client, "inspector")
    html = client.get(f"/missing-persons/{report_id}").text
    assert "Exampleton" not in html and "1 Sample Road" not in html


def test_forbidden_page_is_403_for_other_division(client, report_id):
    login(client, "officer.b")
    r = client.get(f"/missing-persons/{report_id}")
    assert r.status_code == 403
    check_page(r.text)


def test_lockout_after_repeated_failures(client):
    for _ in range(5):
        page = client.get("/login")
        r = client.post("/login", data={"username": "officer.a", "password": "wrong", "csrf_token": csrf_of(page.text)})
        assert r.status_code == 422
    # right password now refused: the account is locked
    r = client.post("/api/v1/tokens", json={"username": "officer.a", "password": "correct horse battery staple"})
    assert r.status_code == 401


def test_form_without_csrf_is_refused(client, sessions):
    login(client, "officer.a")
    r = client.post("/missing-persons/new", data={"forename": "X"})
    assert r.status_code == 403


def test_new_report_form_shows_errors_and_saves_nothing(client, sessions):
    login(client, "officer.a")
    page = client.get("/missing-persons/new")
    r = client.post("/missing-persons/new", data={"csrf_token": csrf_of(page.text), "last_seen-day": "31",
                                                  "last_seen-month": "2", "last_seen-year": "2026",
                                                  "last_seen-time": "10:00"})
    assert r.status_code == 422
    assert "There is a problem" in r.text and 'href="#last_seen"' in r.text
    for field in ("forename", "surname", "circumstances", "risk_grade", "rationale", "last_seen_address"):
        assert f'href="#{field}"' in r.text, f"no error shown for {field}"
    check_page(r.text)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(MissingReport)) == 0


def test_new_report_form_saves_and_redirects(client, clock, sessions):
    login(client, "officer.a")
    page = client.get("/missing-persons/new")
    form = {"csrf_token": csrf_of(page.text), "forename": "Sample", "surname": "Testington", "dob-day": "4",
            "dob-month": "5", "dob-year": "2014", "gender": "male", "last_seen-day": "27", "last_seen-month": "11",
            "last_seen-year": "2026", "last_seen-time": "01:15", "last_seen_address": "Park gates, Testtown",
            "circumstances": "Left home after an argument.", "reported_by_name": "Parent Testington",
            "reported_by_relationship": "father", "risk_grade": "high",
            "rationale": "Twelve years old, overnight, cold weather."}
    r = client.post("/missing-persons/new", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text[:2000]
    case = client.get(r.headers["location"])
    assert "Sample Testington" in case.text and "saved" in case.text
    check_page(case.text)


def test_review_form_on_the_case_page(client, report_id):
    login(client, "supervisor.a")
    page = client.get(f"/missing-persons/{report_id}")
    r = client.post(f"/missing-persons/{report_id}/review", data={"csrf_token": csrf_of(page.text), "version": "1",
                                                                  "notes": "Enquiry plan agreed."},
                    follow_redirects=False)
    assert r.status_code == 303
    assert "Enquiry plan agreed." in client.get(f"/missing-persons/{report_id}").text
    stale = client.post(f"/missing-persons/{report_id}/review", data={"csrf_token": csrf_of(page.text),
                                                                      "version": "1", "notes": "Stale form."})
    assert stale.status_code == 409
