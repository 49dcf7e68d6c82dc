"""Changes to ``src/`` tried out by the benchmark without editing ``src/``.

Each function monkeypatches Beacon in the server process (``--patch patches:NAME``, or
``BENCH_PATCH=patches:NAME`` for ``bench/serve.py``). The change each one stands for is in its
docstring; the benchmark's report says what it measured.
"""
from __future__ import annotations

from sqlalchemy.orm import selectinload

from beacon.cases.missing_persons import repository
from beacon.cases.missing_persons.models import MissingReport


def eager_locations() -> None:
    """Stands for: in ``repository.search_reports`` and ``repository.open_for_queue`` add
    ``.options(selectinload(MissingReport.last_seen_location))`` to the statement, so that
    ``present.summary`` (which reads ``report.last_seen_location.label``) does not lazy-load one
    location per row (up to 50 extra SELECTs per search page, ~100-400 per queue)."""
    original = repository._scoped

    def scoped(stmt, scope):
        stmt = original(stmt, scope)
        described = stmt.column_descriptions
        if len(described) == 1 and described[0].get("expr") is MissingReport:
            stmt = stmt.options(selectinload(MissingReport.last_seen_location))
        return stmt

    repository._scoped = scoped


def gc_off() -> None:
    """Diagnostic only: no cyclic garbage collection in the server (shows what GC pauses cost)."""
    import gc
    gc.disable()


def gc_freeze() -> None:
    """Stands for: in ``create_app`` (or ``beacon serve``), after the app is built, call
    ``gc.collect(); gc.freeze()`` so that the full (oldest-generation) collections that large
    responses trigger do not traverse the hundreds of thousands of long-lived objects of the
    imported framework and app (Python's documented use of ``gc.freeze``)."""
    import gc

    from beacon.web import app as app_module
    original = app_module.create_app

    def create_app(*args, **kwargs):
        built = original(*args, **kwargs)
        gc.collect()
        gc.freeze()
        return built

    app_module.create_app = create_app



def lean_rows() -> None:
    """Stands for: in ``repository.search_reports`` and ``repository.open_for_queue`` add
    ``.options(load_only(<the columns present.summary and the queue read>))``, so a list or the
    queue does not fetch and build each report's long text columns (circumstances, notes,
    reporter, closure) that the list never shows. Measured on PostgreSQL at 100x (one run of 150
    requests each, same database): queue 59/87 ms median/p95 without, 64/90 ms with; no gain
    beyond noise, so not recommended."""
    from sqlalchemy.orm import load_only

    M = MissingReport
    needed = (M.id, M.person_id, M.division_id, M.vetting_required, M.reported_at, M.last_seen_at,
              M.last_seen_location_id, M.risk_grade, M.status, M.is_child, M.next_review_due_at,
              M.last_reviewed_at, M.version)
    original = repository._scoped

    def scoped(stmt, scope):
        stmt = original(stmt, scope)
        described = stmt.column_descriptions
        if len(described) == 1 and described[0].get("expr") is MissingReport:
            stmt = stmt.options(load_only(*needed))
        return stmt

    repository._scoped = scoped


def no_autocheckpoint() -> None:
    """Diagnostic only: SQLite never checkpoints the WAL on its own (``PRAGMA
    wal_autocheckpoint=0``), so a stall that goes away here is a checkpoint's."""
    from sqlalchemy import event

    from beacon import db
    original = db.make_engine

    def make_engine(url=None):
        engine = original(url)
        if engine.dialect.name == "sqlite":
            @event.listens_for(engine, "connect")
            def _no_checkpoint(dbapi_conn, _record):
                dbapi_conn.execute("PRAGMA wal_autocheckpoint=0")
        return engine

    db.make_engine = make_engine
