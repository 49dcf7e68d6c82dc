"""The missing-persons API end to end: create, read, review, re-grade, close, search, queue."""
from __future__ import annotations

from datetime import timedelta

from tests.factories import report_payload
from tests.web.helpers import token


def create(client, headers, **overrides):
    response = client.post("/api/v1/missing-persons", json=report_payload(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_officer_reports_and_supervisor_sees_it_on_the_queue(client, world, clock):
    officer = token(client, "officer.a")
    report = create(client, officer)
    assert report["reference"].startswith("MP26/")
    assert report["is_child"] is True
    assert report["grades"][0]["rationale"].startswith("Thirteen")
    # high risk: review due two hours (default setting) after the report was made
    assert report["next_review_due_at"].startswith("2026-11-27T04:30")

    queue = client.get("/api/v1/supervisor/queue", headers=token(client, "supervisor.a")).json()
    assert [i["report"]["id"] for i in queue["new_high_risk"]] == [report["id"]]

    other_division = client.get("/api/v1/supervisor/queue", headers=token(client, "supervisor.b")).json()
    assert other_division["new_high_risk"] == []


def test_review_regrade_and_close(client, world, clock):
    officer, supervisor = token(client, "officer.a"), token(client, "supervisor.a")
    report = create(client, officer)
    rid, version = report["id"], report["version"]

    reviewed = client.post(f"/api/v1/missing-persons/{rid}/reviews", headers=supervisor,
                           json={"version": version, "notes": "Search of the park, CCTV requested."})
    assert reviewed.status_code == 200, reviewed.text
    body = reviewed.json()
    assert len(body["reviews"]) == 1
    assert body["next_review_due_at"].startswith("2026-11-27T05:00")

    regraded = client.post(f"/api/v1/missing-persons/{rid}/grades", headers=supervisor,
                           json={"version": body["version"], "grade": "medium",
                                 "rationale": "Seen on CCTV with a friend, safe but not home."})
    assert regraded.status_code == 200, regraded.text
    assert [g["grade"] for g in regraded.json()["grades"]] == ["high", "medium"]

    found_at = clock.now + timedelta(hours=5)
    clock.now += timedelta(hours=30)
    officer = token(client, "officer.a")  # the morning's tokens have expired
    supervisor = token(client, "supervisor.a")
    closed = client.post(f"/api/v1/missing-persons/{rid}/closure", headers=officer, json={
        "version": regraded.json()["version"], "closed_at": found_at.isoformat(), "outcome": "found",
        "found_place": {"address": "Friend's house, Testtown"}, "found_by": "PC Sample",
        "return_interview_offered_at": (found_at + timedelta(hours=20)).isoformat()})
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"
    assert closed.json()["next_review_due_at"] is None

    again = client.post(f"/api/v1/missing-persons/{rid}/reviews", headers=supervisor,
                        json={"version": closed.json()["version"], "notes": "Late review"})
    assert again.status_code == 409


def test_search_by_reference_and_name(client, world):
    officer = token(client, "officer.a")
    report = create(client, officer)
    by_ref = client.get("/api/v1/missing-persons", params={"q": report["reference"]}, headers=officer).json()
    assert [r["id"] for r in by_ref["results"]] == [report["id"]]
    by_name = client.get("/api/v1/missing-persons", params={"q": "tes exam"}, headers=officer).json()
    assert [r["id"] for r in by_name["results"]] == [report["id"]]
    nothing = client.get("/api/v1/missing-persons", params={"q": "zzz"}, headers=officer).json()
    assert nothing["results"] == []


def test_name_search_gives_the_same_page_whichever_way_it_searches(client, world, monkeypatch):
    """A name matching few people is searched person-first, one matching many by walking reports
    newest first (repository.FEW_PEOPLE); both give the same reports in the same order."""
    from beacon.cases.missing_persons import repository

    officer = token(client, "officer.a")
    for forename, surname in [("Tess", "Example"), ("Tom", "Exampleton"), ("Tess", "Exby"), ("Ann", "Other"),
                              ("Tess", "Example")]:
        person = {**report_payload()["person"], "forename": forename, "surname": surname}
        create(client, officer, person=person)

    # the same name in another division: never in division A's pages, whichever way it searches
    other = create(client, token(client, "officer.b"), person={**report_payload()["person"], "forename": "Tess",
                                                               "surname": "Example"})

    def search(q):
        pages = [client.get("/api/v1/missing-persons", params={"q": q, "limit": 2, "offset": offset},
                            headers=officer).json() for offset in (0, 2)]
        return [[r["id"] for r in body["results"]] for body in pages], pages[0].get("has_more", pages[0].get("more"))

    queries = ["ex", "exa", "tess ex", "t ex", "other", "nobody"]
    person_first = {q: search(q) for q in queries}
    monkeypatch.setattr(repository, "FEW_PEOPLE", 0)
    walked = {q: search(q) for q in queries}
    assert walked == person_first
    assert person_first["nobody"][0] == [[], []] and [len(page) for page in person_first["ex"][0]] == [2, 2]
    assert all(other["id"] not in page for found, _ in person_first.values() for page in found)
