"""The CLI calls the same library: figures, queue, search, settings, audit verify."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from beacon.cli import app
from beacon.demo.build import build


@pytest.fixture
def demo(engine, database_url, monkeypatch):
    monkeypatch.setenv("BEACON_DATABASE_URL", database_url)
    build(engine, now=datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc))
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
