"""The migrations are the schema: they run both ways and match the models exactly."""
from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from beacon import migrate
from beacon.models import Base

ROOT = Path(__file__).resolve().parents[2]


def test_models_and_migrations_agree(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == [], f"models differ from the migrations: write a migration for {diff}"


def test_downgrade_to_base_and_up_again(database_url, engine):
    migrate.downgrade(database_url, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(database_url)
    assert "missing_report" in inspect(engine).get_table_names()


def test_one_head_named_in_the_head_file():
    """Two branches adding migrations at once each change this file, forcing a merge conflict."""
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    heads = script.get_heads()
    assert len(heads) == 1
    head_file = (ROOT / "migrations" / ".current-alembic-head").read_text().strip()
    assert head_file.startswith(heads[0] + "_")


def test_revisions_are_numbered_in_order():
    names = sorted(p.name for p in (ROOT / "migrations" / "versions").glob("[0-9]*.py"))
    assert names and [n[:4] for n in names] == [f"{i:04d}" for i in range(1, len(names) + 1)]


def test_partner_user_migration_keeps_users_both_ways(database_url, engine):
    """0006 adds app_user.partner_id in place; its downgrade rebuilds app_user on SQLite, which
    must keep every user and the rows that point at them."""
    from datetime import datetime, timezone

    from sqlalchemy import func, select, text

    from beacon.org.models import User
    from tests.factories import build_world
    build_world(engine)
    migrate.downgrade(database_url, "0007")   # before 0008, api_token pointed at app_user
    with engine.begin() as conn:              # a row that points at app_user
        user_id = conn.scalar(select(User.id).limit(1))
        at = datetime.now(timezone.utc).replace(tzinfo=None)
        conn.execute(text("INSERT INTO api_token (user_id, token_hash, created_at, expires_at) VALUES (:u, 'x', :a, :a)"),
                     {"u": user_id, "a": at})
        users = conn.scalar(select(func.count()).select_from(User))
    migrate.downgrade(database_url, "0005")
    assert "partner_id" not in {c["name"] for c in inspect(engine).get_columns("app_user")}
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM app_user")) == users > 0
        assert conn.scalar(text("SELECT count(*) FROM api_token")) == 1
    migrate.upgrade(database_url)
    assert "partner_id" in {c["name"] for c in inspect(engine).get_columns("app_user")}


def test_review_history_migration_copies_each_cases_first_and_latest_review(database_url, engine):
    """0007 keeps every review; a case recorded before it keeps its first and latest review dates,
    marked as recorded before the history (no recording time)."""
    from datetime import date, datetime, timezone

    from sqlalchemy import text

    from beacon.access.unit_of_work import transaction
    from beacon.db import session_factory
    from beacon.people.models import Person
    from tests.factories import build_world
    world = build_world(engine)
    migrate.downgrade(database_url, "0006")
    with transaction(session_factory(engine)) as s:
        child = Person(forename="Kit", surname="Oldcase", forename_norm="kit", surname_norm="oldcase")
        s.add(child)
        s.flush()
        cases = [(date(2006, 9, 1), date(2007, 2, 20)), (date(2006, 10, 2), date(2006, 10, 2)), (None, None)]
        for first, last in cases:
            s.execute(text("INSERT INTO child_case (child_id, division_id, opened_at, concern, joint_criteria_met, "
                           "investigated_by, first_review_on, last_review_on, status, version) VALUES (:c, :d, :o, "
                           "'Concern', '[]', '', :f, :l, 'open', 1)"),
                      {"c": child.id, "d": world.divisions["A"], "o": datetime(2006, 5, 1, tzinfo=timezone.utc),
                       "f": first, "l": last})
    migrate.upgrade(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT c.first_review_on, r.held_on, r.recorded_at FROM child_case_review r "
                                 "JOIN child_case c ON c.id = r.case_id ORDER BY r.held_on")).all()
    held = [(str(first)[:10], str(on)[:10]) for first, on, _ in rows]
    assert held == [("2006-09-01", "2006-09-01"), ("2006-10-02", "2006-10-02"), ("2006-09-01", "2007-02-20")]
    assert all(recorded is None for *_, recorded in rows)


def test_sample_migration_keeps_one_live_sample_of_a_kind_and_withdraws_the_older(database_url, engine):
    """0008 allows one live computed sample of a kind per inspection and framework; an inspection
    that drew several before keeps its latest live and the others withdrawn, saying why."""
    from sqlalchemy import text

    from beacon.access.unit_of_work import transaction
    from beacon.db import session_factory
    from tests.factories import build_world
    world = build_world(engine)
    migrate.downgrade(database_url, "0007")
    with transaction(session_factory(engine)) as s:
        iid = s.execute(text("INSERT INTO inspection (force_id, title, library_id, library_version, period_start, "
                             "period_end, status, edition, correction_reason, created_at, version) VALUES (:f, 'Old', "
                             "'hmic-2007', '1', '2026-04-01', '2026-12-01', 'fieldwork', 1, '', :at, 1) RETURNING id"),
                        {"f": world.force_id, "at": "2026-11-01 09:00:00"}).scalar_one()
        for kind, method in (("mp.file_sample", "case_file_sample"), ("mp.file_sample", "case_file_sample"),
                             ("mp.compliance", "data"), ("mp.compliance", "data"), (None, "case_file_sample")):
            s.execute(text("INSERT INTO evidence (inspection_id, framework_id, method, title, summary, source, "
                           "gathered_on, recorded_by, verification, shows_beacon, shows_innovation, computed_kind, "
                           "computed_params, computed_result) VALUES (:i, 'missing_persons', :m, 'E', '', '', "
                           "'2026-11-01', 'inspector', 'verified', false, false, :k, '{}', '{}')"),
                      {"i": iid, "m": method, "k": kind})
    migrate.upgrade(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT computed_kind, withdrawn_at IS NOT NULL, withdrawn_by FROM evidence "
                                 "ORDER BY id")).all()
        sizes = conn.execute(text("SELECT sample_sizes FROM inspection")).scalar_one()
    assert [(kind, bool(gone), by) for kind, gone, by in rows] == [
        ("mp.file_sample", True, "migration 0008"), ("mp.file_sample", False, ""), ("mp.compliance", False, ""),
        ("mp.compliance", False, ""), (None, False, "")]
    assert sizes == "{}"
