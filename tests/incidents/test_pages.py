"""Incident pages render well-formed for the roles that use them, and their forms work."""
from __future__ import annotations

import re

import pytest

from tests.incidents.conftest import as_csv, closed, log
from tests.web.helpers import csrf_of, login, token
from tests.web.pagecheck import check_page


@pytest.fixture
def ids(client):
    headers = token(client, "officer.a")
    first = client.post("/api/v1/incidents", json=closed(1, narrative="Boyfriend Testy shouting.",
                                                         address="5 Marker Row, Testtown"), headers=headers).json()
    later = client.post("/api/v1/incidents", json=log(2, address="5 Marker Row, Testtown"), headers=headers).json()
    flagged = client.post("/api/v1/incidents", json=closed(3, "ASB", narrative="Her husband left."), headers=headers).json()
    return {"closed": first["id"], "later": later["id"], "flagged": flagged["id"]}


@pytest.mark.parametrize("username,paths", [
    ("officer.a", ["/incidents", "/incidents/{later}", "/incidents/import", "/incidents?log_ref=CC26/999999"]),
    ("ppu.a", ["/ppu/work-items", "/incidents/{closed}", "/incidents", "/incidents/import"]),
    ("supervisor.a", ["/incidents/closure-audit", "/incidents/{flagged}"]),
    ("inspector", ["/incidents", "/incidents/{later}"]),
    ("analyst", ["/ppu/work-items"]),
])
def test_pages_render_well_formed(client, ids, username, paths):
    login(client, username)
    for path in paths:
        r = client.get(path.format(**ids))
        assert r.status_code == 200, (path, r.text[:300])
        check_page(r.text)


def test_the_later_incident_page_shows_the_address_warning_prominently(client, ids):
    login(client, "officer.a")
    html = client.get(f"/incidents/{ids['later']}").text
    assert 'class="govuk-warning-text"' in html and "Warnings at this address (1)" in html
    assert "Log CC26/000001 was closed as a domestic incident" in html
    assert html.index("govuk-warning-text") < html.index("govuk-summary-list")


def test_finding_a_log_by_reference_redirects_to_it(client, ids):
    login(client, "officer.a")
    r = client.get("/incidents?log_ref=CC26/000002", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/incidents/{ids['later']}"
    login(client, "officer.b")
    assert client.get("/incidents?log_ref=CC26/000002").status_code == 403
    assert "CC26/000002" not in client.get("/incidents").text


def test_inspector_pages_show_no_names_or_addresses(client, ids):
    login(client, "inspector")
    html = client.get(f"/incidents/{ids['closed']}").text + client.get("/incidents").text
    assert "Testy" not in html and "Marker Row" not in html


def test_other_division_is_403(client, ids):
    login(client, "officer.b")
    r = client.get(f"/incidents/{ids['closed']}")
    assert r.status_code == 403
    check_page(r.text)


def test_upload_page_reports_every_bad_row_and_imports_a_good_file(client):
    login(client, "officer.a")
    page = client.get("/incidents/import")
    bad = as_csv([log(10), log(11, received_at="yesterday"), log(10)])
    r = client.post("/incidents/import", data={"csrf_token": csrf_of(page.text), "format": ""},
                    files={"file": ("bad.csv", bad, "text/csv")})
    assert r.status_code == 422
    check_page(r.text)
    assert "Nothing was imported from bad.csv" in r.text and "received_at" in r.text and "appears again" in r.text
    good = as_csv([log(10), closed(11)])
    r = client.post("/incidents/import", data={"csrf_token": csrf_of(page.text), "format": "csv"},
                    files={"file": ("good.txt", good, "text/csv")})
    assert r.status_code == 200
    check_page(r.text)
    assert "Imported good.txt" in r.text and "2 log(s) read: 2 new" in r.text


def test_upload_page_without_a_file_or_csrf(client):
    login(client, "officer.a")
    page = client.get("/incidents/import")
    r = client.post("/incidents/import", data={"csrf_token": csrf_of(page.text)})
    assert r.status_code == 422 and 'href="#file"' in r.text
    check_page(r.text)
    assert client.post("/incidents/import", files={"file": ("x.csv", b"x")}).status_code == 403


def test_queue_page_take_and_finish(client, ids):
    login(client, "ppu.a")
    page = client.get("/ppu/work-items")
    assert "CC26/000001" in page.text and "Take" in page.text
    item_id = page.text.split('action="/ppu/work-items/')[1].split('"')[0]
    r = client.post(f"/ppu/work-items/{item_id}", data={"csrf_token": csrf_of(page.text), "version": "1",
                                                        "status": "in_progress"}, follow_redirects=True)
    assert r.status_code == 200 and "Work item taken." in r.text and "Taken by ppu.a" in r.text
    fragment = client.get("/ppu/work-items/fragment")
    assert fragment.status_code == 200 and "Finish" in fragment.text


def test_closure_audit_page_run_dismiss_and_confirm(client, ids):
    login(client, "supervisor.a")
    page = client.get("/incidents/closure-audit")
    r = client.post("/incidents/closure-audit/run", data={"csrf_token": csrf_of(page.text), "days": "30"},
                    follow_redirects=True)
    assert r.status_code == 200 and "newly flagged" in r.text and "CC26/000003" in r.text
    check_page(r.text)
    flag_id = re.search(r'action="/incidents/closure-audit/(\d+)"', r.text).group(1)
    bad = client.post(f"/incidents/closure-audit/{flag_id}", data={"csrf_token": csrf_of(r.text), "decision": "dismiss"})
    assert bad.status_code == 422 and f'href="#note-{flag_id}"' in bad.text
    check_page(bad.text)
    ok = client.post(f"/incidents/closure-audit/{flag_id}", data={"csrf_token": csrf_of(r.text), "decision": "confirm",
                                                                 "closing_code": "domestic", "note": ""},
                     follow_redirects=True)
    assert ok.status_code == 200 and "re-closed" in ok.text and "Nothing to review." in ok.text
    login(client, "ppu.a")
    assert "CC26/000003" in client.get("/ppu/work-items").text


def test_navigation_by_role(client):
    login(client, "ppu.a")
    html = client.get("/incidents").text
    assert 'href="/ppu/work-items"' in html and 'href="/incidents/closure-audit"' not in html
    login(client, "supervisor.a")
    html = client.get("/incidents").text
    assert 'href="/incidents/closure-audit"' in html and 'href="/ppu/work-items"' not in html
