"""The access log cannot be quietly rewritten (ADR 0011): each entry is signed with a key the
database does not hold, and the chains' heads are anchored outside it. Each attack below was
found to verify as "intact" before the entries were signed and anchored."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import text

from beacon.access import log
from beacon.access.log import GENESIS, entry_hash
from beacon.access.policy import Principal
from beacon.access.store import store_for
from beacon.org.roles import Role, Vetting

ALICE = Principal(id=1, username="alice", role=Role.OFFICER, vetting=Vetting.RV, division_id=1)


def _verify(sessions):
    with sessions() as s:
        return log.verify(s)


@contextmanager
def _unguarded(engine):
    """A connection with the append-only triggers off: what the database owner can do. (On
    PostgreSQL the database outlives the test, so the trigger is switched back on.)"""
    conn = engine.connect()
    try:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER IF EXISTS access_log_no_update"))
            conn.execute(text("DROP TRIGGER IF EXISTS access_log_no_delete"))
        else:
            conn.execute(text("ALTER TABLE access_log DISABLE TRIGGER access_log_no_change"))
        yield conn
    finally:
        conn.rollback()
        if engine.dialect.name != "sqlite":
            conn.execute(text("ALTER TABLE access_log ENABLE TRIGGER access_log_no_change"))
            conn.commit()
        conn.close()


def _rows(conn):
    return conn.execute(text("SELECT seq, at, user_id, username, role, action, record_type, record_id, outcome, "
                             "detail, prev_hash, hash FROM access_log ORDER BY seq")).all()


def _rechain(conn, from_seq: int) -> None:
    """Recompute every hash from ``from_seq`` on, as an attacker who knows the hash recipe would."""
    rows = _rows(conn)
    prev = GENESIS if from_seq == 1 else next(r.hash for r in rows if r.seq == from_seq - 1)
    for r in rows:
        if r.seq < from_seq:
            continue
        at = r.at if not isinstance(r.at, str) else __import__("datetime").datetime.fromisoformat(r.at)
        at = at if at.tzinfo else at.replace(tzinfo=__import__("datetime").timezone.utc)
        new = entry_hash(r.seq, at, r.user_id, r.username, r.role, r.action, r.record_type, r.record_id,
                         r.outcome, r.detail, prev)
        conn.execute(text("UPDATE access_log SET prev_hash = :p, hash = :h WHERE seq = :s"),
                     {"p": prev, "h": new, "s": r.seq})
        prev = new
    conn.execute(text("UPDATE access_chain_head SET seq = :s, hash = :h WHERE chain = 'work'"),
                 {"s": rows[-1].seq if rows else 0, "h": prev})


@pytest.fixture
def logged(engine):
    for i in range(60):
        log.append(engine, ALICE, "create", "missing_report", i)
    return engine


def test_the_log_verifies_and_is_anchored(logged, sessions):
    result = _verify(sessions)
    assert result.ok and result.entries == 60
    work = next(c for c in result.chains if c.chain == "work")
    assert work.anchored_seq == 60


def test_deleting_the_last_entries_is_found(logged, sessions):
    with _unguarded(logged) as conn:
        conn.execute(text("DELETE FROM access_log WHERE seq > 10"))
        conn.execute(text("UPDATE access_chain_head SET seq = 10 WHERE chain = 'work'"))
        conn.commit()
    result = _verify(sessions)
    assert not result.ok and "removed" in result.problem and result.first_bad_seq == 11


def test_editing_an_entry_and_recomputing_the_later_hashes_is_found(logged, sessions):
    with _unguarded(logged) as conn:
        conn.execute(text("UPDATE access_log SET username = 'mallory' WHERE seq = 20"))
        _rechain(conn, 20)
        conn.commit()
    result = _verify(sessions)
    assert not result.ok and result.first_bad_seq == 20 and "not signed" in result.problem


def test_a_forged_entry_appended_with_a_valid_hash_is_found(logged, sessions):
    with _unguarded(logged) as conn:
        last = _rows(conn)[-1]
        from datetime import datetime, timezone
        at = datetime(2026, 11, 27, 4, 0, tzinfo=timezone.utc)
        forged = entry_hash(61, at, 1, "alice", "officer", "read", "missing_report", "1", "ok", "", last.hash)
        conn.execute(text("INSERT INTO access_log (seq, at, user_id, username, role, action, record_type, record_id, "
                          "outcome, detail, prev_hash, hash, mac) VALUES (61, :at, 1, 'alice', 'officer', 'read', "
                          "'missing_report', '1', 'ok', '', :p, :h, :m)"),
                     {"at": at.replace(tzinfo=None) if logged.dialect.name == "sqlite" else at, "p": last.hash,
                      "h": forged, "m": "f" * 64})
        conn.commit()
    result = _verify(sessions)
    assert not result.ok and result.first_bad_seq == 61 and "not signed" in result.problem


def test_deleting_an_entry_and_renumbering_the_rest_is_found(logged, sessions):
    with _unguarded(logged) as conn:
        conn.execute(text("DELETE FROM access_log WHERE seq = 30"))
        for seq in range(31, 61):
            conn.execute(text("UPDATE access_log SET seq = :n WHERE seq = :s"), {"n": seq - 1, "s": seq})
        _rechain(conn, 30)
        conn.commit()
    result = _verify(sessions)
    assert not result.ok and result.first_bad_seq == 30


def test_a_log_whose_anchor_is_gone_does_not_verify(logged, sessions):
    store_for(logged).anchor.unlink()
    result = _verify(sessions)
    assert not result.ok and "no signed checkpoint" in result.problem


def test_a_checkpoint_not_signed_with_the_key_is_reported(logged, sessions):
    store = store_for(logged)
    with store.anchor.open("a") as f:
        f.write('{"chain":"work","seq":999,"hash":"00","at":"2026-01-01T00:00:00","mac":"00"}\n')
    result = _verify(sessions)
    assert not result.ok and "not signed with the log key" in result.problem


def test_reads_are_in_the_event_chain_and_verified_too(client, sessions):
    from tests.web.helpers import token
    headers = token(client, "officer.a")
    client.get("/api/v1/missing-persons", headers=headers)
    result = _verify(sessions)
    events = next(c for c in result.chains if c.chain == "events")
    assert result.ok and events.entries >= 2 and events.anchored_seq == events.entries
