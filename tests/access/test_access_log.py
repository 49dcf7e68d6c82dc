"""The access log is append-only and hash-chained: `beacon audit verify` finds tampering."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from beacon.access import log
from beacon.access.policy import Principal
from beacon.org.roles import Role, Vetting

ALICE = Principal(id=1, username="alice", role=Role.OFFICER, vetting=Vetting.RV, division_id=1)


def _verify(sessions):
    with sessions() as s:
        return log.verify(s)


def test_chain_verifies(engine, sessions):
    for i in range(5):
        log.append(engine, ALICE, "read", "missing_report", i)
    result = _verify(sessions)
    assert result.ok and result.entries == 5


def test_updates_and_deletes_are_refused_by_the_database(engine):
    log.append(engine, ALICE, "read", "missing_report", 1)
    for statement in ("UPDATE access_log SET username = 'mallory'", "DELETE FROM access_log"):
        with pytest.raises(DBAPIError):
            with engine.begin() as conn:
                conn.execute(text(statement))


def _tamper(engine, statement: str) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER access_log_no_update"))
            conn.execute(text("DROP TRIGGER access_log_no_delete"))
        else:
            conn.execute(text("ALTER TABLE access_log DISABLE TRIGGER access_log_no_change"))
        conn.execute(text(statement))
        if engine.dialect.name != "sqlite":
            conn.execute(text("ALTER TABLE access_log ENABLE TRIGGER access_log_no_change"))


@pytest.mark.parametrize("statement,problem", [
    ("UPDATE access_log SET username = 'mallory' WHERE seq = 2", "altered"),
    ("DELETE FROM access_log WHERE seq = 2", "missing"),
])
def test_tampering_is_detected(engine, sessions, statement, problem):
    """Someone with the database owner's rights can drop the triggers; the chain still tells."""
    for i in range(4):
        log.append(engine, ALICE, "read", "missing_report", i)
    _tamper(engine, statement)
    result = _verify(sessions)
    assert not result.ok and result.first_bad_seq == 2 and problem in result.problem


def test_concurrent_appends_never_fork_the_chain(engine, sessions):
    def worker(n):
        for i in range(10):
            log.append(engine, ALICE, "read", "missing_report", f"{n}-{i}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = _verify(sessions)
    assert result.ok and result.entries == 40


def _append_from_another_process(url: str, n: int) -> None:
    from beacon.db import make_engine

    engine = make_engine(url)
    for i in range(10):
        log.append(engine, ALICE, "read", "missing_report", f"p{n}-{i}")
    engine.dispose()


def test_appends_from_several_processes_never_fork_the_chain(engine, sessions, database_url):
    """The in-process lock does not help here: the database lock must."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_append_from_another_process, args=(database_url, n)) for n in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    result = _verify(sessions)
    assert result.ok and result.entries == 30
