"""The CLI calls the same library: figures, queue, search, settings, audit verify."""
from __future__ import annotations

import os
from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from beacon.cli import app
from beacon.db import make_engine
from beacon.demo.build import DEMO_PASSWORD, build
from tests import pg


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    """One demo for the module (building it takes seconds): the tests only read it, except for
    the settings test, which changes a setting no other test here reads."""
    try:
        database = pg.migrated_database(os.environ.get("BEACON_TEST_DB", "sqlite"), tmp_path_factory.mktemp("cli"))
        url = database.__enter__()
    except Exception as exc:  # noqa: BLE001 - the reason is printed in the skip
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    try:
        engine = make_engine(url)
        build(engine, now=datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc))
        engine.dispose()
        yield url
    finally:
        database.__exit__(None, None, None)


@pytest.fixture
def demo(demo_url, monkeypatch):
    monkeypatch.setenv("BEACON_DATABASE_URL", demo_url)
    monkeypatch.setenv("BEACON_PASSWORD", DEMO_PASSWORD)   # --as signs the user in
    return CliRunner()


def test_figures_reproduce_the_report(demo):
    result = demo.invoke(app, ["mp", "figures", "--as", "analyst"])
    assert result.exit_code == 0, result.output
    for line in ("High  ", "2,286", "859", "716", "579", "4,440"):
        assert line in result.output


def test_queue_and_settings_change_reschedules(demo):
    before = demo.invoke(app, ["mp", "queue", "--as", "supervisor.a"])
    assert before.exit_code == 0 and "New high risk (2)" in before.output
    changed = demo.invoke(app, ["settings", "set", "mp.review_interval_hours.high", "1"])
    assert changed.exit_code == 0 and "Rescheduled" in changed.output
    bad = demo.invoke(app, ["settings", "set", "mp.review_interval_hours.high", "soon"])
    assert bad.exit_code == 2 and "mp.review_interval_hours.high" in bad.output


def test_audit_verify(demo):
    demo.invoke(app, ["mp", "search", "", "--as", "officer.a"])
    result = demo.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output


def test_unknown_user_is_a_clear_error(demo):
    result = demo.invoke(app, ["mp", "queue", "--as", "nobody"])
    assert result.exit_code != 0 and "nobody" in result.output


def test_acting_as_a_user_needs_their_credential(demo, monkeypatch):
    """`--as` used to act as any user with no credential at all."""
    monkeypatch.delenv("BEACON_PASSWORD")
    refused = demo.invoke(app, ["mp", "figures", "--as", "analyst"])
    assert refused.exit_code != 0 and "needs their credential" in " ".join(refused.output.split())
    monkeypatch.setenv("BEACON_PASSWORD", "not the password")
    wrong = demo.invoke(app, ["mp", "figures", "--as", "analyst"])
    assert wrong.exit_code != 0 and "not right" in " ".join(wrong.output.split())


def test_an_operators_override_is_explicit_and_logged(demo, monkeypatch, demo_url):
    import getpass

    from beacon.access.log import all_entries
    from beacon.db import session_factory

    monkeypatch.delenv("BEACON_PASSWORD")
    monkeypatch.setenv("BEACON_OPERATOR_OVERRIDE", "too short")
    assert demo.invoke(app, ["mp", "figures", "--as", "analyst"]).exit_code != 0
    monkeypatch.setenv("BEACON_OPERATOR_OVERRIDE", "checking the year's figures for the monthly pack")
    result = demo.invoke(app, ["mp", "figures", "--as", "analyst"])
    assert result.exit_code == 0, result.output
    engine = make_engine(demo_url)
    with session_factory(engine)() as s:
        [entry] = [e for e in all_entries(s, record_type="user") if e.action == "override"]
    engine.dispose()
    assert entry.username == "analyst" and f"operator {getpass.getuser()}" in entry.detail
    assert "monthly pack" in entry.detail
