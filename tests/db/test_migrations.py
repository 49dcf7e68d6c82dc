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

    from beacon.access.login import issue_token
    from beacon.db import session_factory, transaction
    from beacon.org.models import User
    from tests.factories import build_world
    build_world(engine)
    with transaction(session_factory(engine)) as s:   # a row that points at app_user
        issue_token(s, s.scalars(select(User)).first(), datetime.now(timezone.utc), hours=1)
    with engine.connect() as conn:
        users = conn.scalar(select(func.count()).select_from(User))
    migrate.downgrade(database_url, "0005")
    assert "partner_id" not in {c["name"] for c in inspect(engine).get_columns("app_user")}
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM app_user")) == users > 0
        assert conn.scalar(text("SELECT count(*) FROM api_token")) == 1
    migrate.upgrade(database_url)
    assert "partner_id" in {c["name"] for c in inspect(engine).get_columns("app_user")}
