"""Test databases. ``BEACON_TEST_DB=sqlite`` (default) or ``postgresql`` picks the engine; the
schema is always built by running the real migrations. Each test gets an empty migrated
database: a copy of a migrated SQLite file, or a PostgreSQL database truncated before the test."""
from __future__ import annotations

import os
import shutil
import tempfile
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text

from beacon import config, migrate
from beacon.db import make_engine, session_factory
from beacon.models import Base
from tests import pg
from tests.factories import World, build_world

BACKEND = os.environ.get("BEACON_TEST_DB", "sqlite")
# Properties, not timings: a loaded CI machine must not fail a property test for being slow.
hypothesis_settings.register_profile("beacon", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("beacon")
# The tests' own instance folder (the access log's key and its anchors, one file per database),
# never the checkout's; and no credential or override from the developer's shell.
os.environ["BEACON_INSTANCE"] = tempfile.mkdtemp(prefix="beacon-test-instance-")
for _name in ("BEACON_LOG_ANCHOR", "BEACON_LOG_KEY", "BEACON_PASSWORD", "BEACON_TOKEN", "BEACON_OPERATOR_OVERRIDE"):
    os.environ.pop(_name, None)
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)


def pytest_report_header(config):
    return f"beacon test database: {BACKEND}"


@pytest.fixture(scope="session")
def _template(tmp_path_factory):
    if BACKEND == "sqlite":
        path = tmp_path_factory.mktemp("db") / "template.db"
        migrate.upgrade(f"sqlite:///{path}")
        yield path
        return
    try:
        server_cm = pg.server()
        base = server_cm.__enter__()
    except Exception as exc:  # noqa: BLE001 - the reason is printed in the skip
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    with pg.scratch_database(base) as url:
        migrate.upgrade(url)
        yield url
    server_cm.__exit__(None, None, None)


@pytest.fixture
def database_url(_template, tmp_path):
    if BACKEND == "sqlite":
        path = tmp_path / "beacon.db"
        shutil.copy(_template, path)
        return f"sqlite:///{path}"
    engine = make_engine(_template)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables if t.name != "access_chain_head")
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        conn.execute(text("UPDATE access_chain_head SET seq = 0, hash = :genesis"), {"genesis": "0" * 64})
    engine.dispose()
    config.log_anchor(_template).unlink(missing_ok=True)   # the emptied log starts a new chain
    return _template


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


@pytest.fixture
def world(engine) -> World:
    return build_world(engine)


@pytest.fixture
def clock():
    class Clock:
        now = NOW

        def __call__(self):
            return self.now

    return Clock()


@pytest.fixture
def app(engine, clock):
    from beacon.web.app import create_app
    from tests.web.pagecheck import ServedPagesPassTheCSP

    app = create_app(engine, clock=clock, secret_key="test-secret")
    app.add_middleware(ServedPagesPassTheCSP)   # every page a test is served must pass the CSP
    return app


@pytest.fixture
def client(app, world):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c
