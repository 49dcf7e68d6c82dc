"""A failure Beacon did not expect is a 500 that shows only a reference: never the exception, its
class, a stack trace, SQL or a file path. The exception is logged with the same reference."""
from __future__ import annotations

import logging
import re

import pytest
from fastapi import APIRouter, Depends
from sqlalchemy.exc import OperationalError

from tests.web.helpers import login, token

INTERNALS = ("Traceback", "RuntimeError", "OperationalError", "sqlalchemy", "SELECT", "app_user", "/work/",
             ".py", "secret-column", 'File "')


def failing(exc: Exception) -> APIRouter:
    from beacon.web.deps import current_user

    router = APIRouter()

    @router.get("/api/v1/test-failure")
    @router.get("/test-failure")
    def fail(user=Depends(current_user)):
        raise exc

    return router


FAILURES = [
    RuntimeError("secret-column could not be read from /work/beacon/src/beacon/db.py"),
    OperationalError("SELECT secret-column FROM app_user WHERE id = ?", (1,), Exception("database is locked")),
]


@pytest.fixture(params=FAILURES, ids=["runtime", "sql"])
def broken_app(app, request):
    app.include_router(failing(request.param))
    return app


def reference_in(text: str) -> str:
    found = re.findall(r"\b[0-9A-F]{8}\b", text)
    assert len(set(found)) == 1, text
    return found[0]


def test_an_unexpected_error_in_the_api_is_json_with_only_a_reference(broken_app, client, caplog):
    with caplog.at_level(logging.ERROR, logger="beacon.web"):
        r = client.get("/api/v1/test-failure", headers=token(client, "officer.a"))
    assert r.status_code == 500 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert set(body) == {"detail", "reference"} and body["reference"] in body["detail"]
    assert not [word for word in INTERNALS if word in r.text]
    logged = [rec for rec in caplog.records if body["reference"] in rec.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info is not None   # the operator has the traceback
    assert "GET /api/v1/test-failure" in logged[0].getMessage() and "officer.a" in logged[0].getMessage()


def test_an_unexpected_error_on_a_page_is_a_gov_uk_page_with_only_a_reference(broken_app, client, caplog):
    login(client, "officer.a")
    with caplog.at_level(logging.ERROR, logger="beacon.web"):
        r = client.get("/test-failure")
    assert r.status_code == 500 and r.headers["content-type"].startswith("text/html")
    assert "Sorry, there is a problem with the service" in r.text
    reference = reference_in(r.text)
    assert not [word for word in INTERNALS if word in r.text]
    assert any(reference in rec.getMessage() for rec in caplog.records)
    assert r.headers["content-security-policy"] and r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/missing-persons").status_code == 200      # and the service goes on


def test_each_failure_gets_its_own_reference(broken_app, client):
    headers = token(client, "officer.a")
    first, second = (client.get("/api/v1/test-failure", headers=headers).json()["reference"] for _ in range(2))
    assert first != second


def test_expected_errors_keep_their_own_status_and_message(client):
    headers = token(client, "officer.a")
    r = client.get("/api/v1/missing-persons/424242", headers=headers)
    assert r.status_code == 404 and "reference" not in r.json()
    r = client.post("/api/v1/missing-persons", content=b"{", headers={**headers, "content-type": "application/json"})
    assert r.status_code == 422 and "reference" not in r.json()


def test_if_the_error_page_cannot_be_rendered_a_plain_one_is_sent(broken_app, client, monkeypatch):
    from beacon.web import render

    login(client, "officer.a")
    monkeypatch.setattr(render.TEMPLATES, "get_template", lambda name: 1 / 0)
    r = client.get("/test-failure")
    assert r.status_code == 500 and "Sorry, there is a problem with the service" in r.text
    reference_in(r.text)
    assert not [word for word in INTERNALS if word in r.text] and "ZeroDivisionError" not in r.text


def test_a_body_too_large_without_a_length_is_still_a_413(client):
    """The body limit's own signal passes through the catch-all, which would otherwise make it a 500."""
    def chunks():
        for _ in range(40):
            yield b"x" * 10_000

    r = client.post("/api/v1/incident-imports", content=chunks(),     # it reads the body itself
                    headers={**token(client, "supervisor.a"), "content-type": "application/json"})
    assert r.status_code == 413
