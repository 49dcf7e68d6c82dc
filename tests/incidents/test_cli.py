"""`beacon incidents import` and `beacon incidents audit` call the same library."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from beacon.cli import app
from tests.factories import PASSWORD
from tests.incidents.conftest import as_csv, as_json, closed, log


def flat(result) -> str:
    return " ".join(result.output.split())


@pytest.fixture
def cli(world, database_url, monkeypatch):
    monkeypatch.setenv("BEACON_DATABASE_URL", database_url)
    monkeypatch.setenv("BEACON_PASSWORD", PASSWORD)   # --as signs the user in
    return CliRunner()


def test_import_then_audit(cli, tmp_path):
    path = tmp_path / "logs.csv"
    path.write_bytes(as_csv([log(1), closed(2), closed(3, "Advice", narrative="Caller's wife upset.",
                                                      closed_at="2026-11-26T23:59:00+00:00")]))
    # the logs are dated the night before the tests' NOW; the CLI uses the real clock, so they are in the past
    result = cli.invoke(app, ["incidents", "import", str(path), "--as", "officer.a"])
    assert result.exit_code == 0, result.output
    assert "3 log(s) read: 3 new" in flat(result) and "1 public protection work item" in flat(result)
    again = cli.invoke(app, ["incidents", "import", str(path), "--as", "officer.a"])
    assert again.exit_code == 0 and "3 unchanged" in flat(again)
    audit = cli.invoke(app, ["incidents", "audit", "--as", "supervisor.a", "--days", "3660"])
    assert audit.exit_code == 0, audit.output
    assert "1 newly flagged" in flat(audit) and "CC26/000003" in flat(audit)
    refused = cli.invoke(app, ["incidents", "audit", "--as", "officer.a"])
    assert refused.exit_code == 2 and "may not review incident" in flat(refused)


def test_a_rejected_file_exits_1_listing_each_error(cli, tmp_path):
    path = tmp_path / "logs.json"
    path.write_bytes(as_json([log(1), log(2, received_at="later")]))
    result = cli.invoke(app, ["incidents", "import", str(path), "--as", "officer.a"])
    assert result.exit_code == 1
    assert "nothing was imported" in flat(result) and "row 2, received_at:" in flat(result)


def test_format_must_be_known(cli, tmp_path):
    path = tmp_path / "logs.txt"
    path.write_text("x")
    result = cli.invoke(app, ["incidents", "import", str(path), "--as", "officer.a"])
    assert result.exit_code == 2
