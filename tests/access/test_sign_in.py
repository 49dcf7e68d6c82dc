"""One authentication path: the sign-in page, the token endpoint and the CLI share one lock-out,
one failure count, one message and one log; sessions and tokens end on the server."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from beacon.access import login as login_module
from beacon.access.models import ApiToken, LoginAttempt
from beacon.access.store import store_for
from tests.factories import PASSWORD
from tests.logs import entries
from tests.web.helpers import csrf_of, login, new_token

WRONG = "not the password"


def _token(client, username, password):
    return client.post("/api/v1/tokens", json={"username": username, "password": password})


def _page_sign_in(client, username, password):
    csrf = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf, "next": "/"},
                       follow_redirects=False)


def test_the_api_locks_out_after_the_same_failures_as_the_page(client, engine):
    """22 wrong passwords at the token endpoint used to leave the count at 0 and then give a token."""
    for _ in range(5):
        assert _token(client, "officer.a", WRONG).status_code == 401
    locked = _token(client, "officer.a", PASSWORD)
    assert locked.status_code == 401 and locked.json()["detail"] == login_module.FAILED
    assert _page_sign_in(client, "officer.a", PASSWORD).status_code == 422      # the page sees the same lock
    _, until = login_module.lock_state(store_for(engine), _user_id(engine, "officer.a"), client.app.state.clock())
    assert until is not None


def _user_id(engine, username):
    from beacon.org.models import User
    with engine.connect() as conn:
        return conn.scalar(select(User.id).where(User.username == username))


def test_failures_by_every_way_in_count_together_and_the_lock_ends(client, engine, clock):
    for _ in range(3):
        _page_sign_in(client, "officer.a", WRONG)
    for _ in range(2):
        _token(client, "officer.a", WRONG)
    assert _token(client, "officer.a", PASSWORD).status_code == 401
    clock.now += timedelta(minutes=16)
    assert _token(client, "officer.a", PASSWORD).status_code == 200
    assert login_module.lock_state(store_for(engine), _user_id(engine, "officer.a"), clock.now) == (0, None)


def test_a_success_clears_the_run_of_failures(client):
    for _ in range(4):
        _token(client, "officer.a", WRONG)
    assert _token(client, "officer.a", PASSWORD).status_code == 200
    for _ in range(4):
        _token(client, "officer.a", WRONG)
    assert _token(client, "officer.a", PASSWORD).status_code == 200


def test_unknown_locked_and_wrong_look_the_same_and_all_check_a_password(client, monkeypatch):
    """No user enumeration: the same status and words, and an argon2 check every time (an unknown
    user used to be refused in 31 ms against 126-173 ms for a real one)."""
    checks = []
    real = login_module.verify_password
    monkeypatch.setattr(login_module, "verify_password", lambda h, p: checks.append(h) or real(h, p))
    for _ in range(5):
        _token(client, "officer.b", WRONG)
    checks.clear()
    answers = [_token(client, name, pw) for name, pw in (("nobody", WRONG), ("officer.a", WRONG), ("officer.b", PASSWORD))]
    assert {(r.status_code, r.json()["detail"]) for r in answers} == {(401, login_module.FAILED)}
    assert len(checks) == 3


def test_one_address_that_keeps_failing_is_slowed(client, settings_override):
    settings_override("auth.address_failures", "6")
    names = ["officer.a", "officer.b", "ppu.a", "analyst", "chief", "nobody"]
    for name in names:
        assert _token(client, name, WRONG).status_code == 401
    r = _token(client, "supervisor.a", PASSWORD)
    assert r.status_code == 429 and "wait" in r.json()["detail"]
    assert _page_sign_in(client, "supervisor.a", PASSWORD).status_code == 429


def test_a_nul_or_control_character_in_the_username_is_a_plain_refusal(client, sessions):
    """A NUL in the username was a 500 on PostgreSQL, unlogged."""
    r = _token(client, "officer\x00.a", PASSWORD)
    assert r.status_code == 401
    assert _page_sign_in(client, "off\x00icer.a", PASSWORD).status_code in (401, 422)
    assert entries(sessions, action="login", outcome="denied")


def test_every_attempt_is_logged_and_counted(client, engine, sessions):
    _token(client, "officer.a", WRONG)
    _token(client, "nobody", WRONG)
    _token(client, "officer.a", PASSWORD)
    logged = [(e.action, e.outcome) for e in entries(sessions, action="login")]
    assert logged == [("login", "denied"), ("login", "denied"), ("login", "ok")]
    with store_for(engine).sessions() as s:
        outcomes = [a.outcome for a in s.scalars(select(LoginAttempt).order_by(LoginAttempt.id))]
    assert outcomes == ["wrong", "unknown", "ok"]


# --- tokens -------------------------------------------------------------------------------

def test_tokens_are_kept_hashed_expire_and_can_be_revoked(client, engine, clock):
    headers = new_token(client, "officer.a")
    raw = headers["Authorization"].split()[1]
    with store_for(engine).sessions() as s:
        stored = [t.token_hash for t in s.scalars(select(ApiToken))]
    assert raw not in stored and len(stored[0]) == 64
    assert client.get("/api/v1/missing-persons", headers=headers).status_code == 200
    listed = client.get("/api/v1/tokens", headers=headers).json()
    assert [t["current"] for t in listed] == [True]
    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204
    assert client.get("/api/v1/missing-persons", headers=headers).status_code == 401
    later = new_token(client, "officer.a")
    clock.now += timedelta(hours=10, seconds=1)
    assert client.get("/api/v1/missing-persons", headers=later).status_code == 401


def test_a_user_holds_a_limited_number_of_tokens(client):
    first = new_token(client, "officer.a")
    others = [new_token(client, "officer.a") for _ in range(5)]
    assert client.get("/api/v1/missing-persons", headers=first).status_code == 401   # the oldest, revoked
    assert all(client.get("/api/v1/missing-persons", headers=h).status_code == 200 for h in others)


def test_only_the_holder_or_an_administrator_revokes_a_token(client):
    mine = new_token(client, "officer.a")
    token_id = client.get("/api/v1/tokens", headers=mine).json()[0]["id"]
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=new_token(client, "officer.b")).status_code == 403
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=new_token(client, "admin")).status_code == 204
    assert client.get("/api/v1/missing-persons", headers=mine).status_code == 401


# --- sessions -----------------------------------------------------------------------------

def test_signing_out_ends_the_session_for_every_copy_of_the_cookie(client, app):
    from fastapi.testclient import TestClient

    login(client, "officer.a")
    cookie = client.cookies.get("beacon_session")
    page = client.get("/missing-persons/new")
    assert page.status_code == 200
    client.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    with TestClient(app) as thief:
        thief.cookies.set("beacon_session", cookie)
        r = thief.get("/missing-persons/new", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_a_session_ends_after_the_idle_time_and_after_the_shift(client, clock):
    login(client, "officer.a")
    clock.now += timedelta(minutes=29)
    assert client.get("/missing-persons/new", follow_redirects=False).status_code == 200
    clock.now += timedelta(minutes=29)
    assert client.get("/missing-persons/new", follow_redirects=False).status_code == 200
    clock.now += timedelta(minutes=31)
    assert client.get("/missing-persons/new", follow_redirects=False).status_code == 303
    login(client, "officer.a")
    for _ in range(21):       # busy all shift: a request every half hour
        clock.now += timedelta(minutes=29)
        client.get("/missing-persons/new", follow_redirects=False)
    assert client.get("/missing-persons/new", follow_redirects=False).status_code == 303


@pytest.fixture
def settings_override(sessions):
    from beacon import settings_repo
    from beacon.access.unit_of_work import transaction

    def override(name, value):
        with transaction(sessions) as s:
            settings_repo.save(s, name, value, "test")
    return override
