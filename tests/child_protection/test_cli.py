"""`beacon child-protection due`, `beacon child-protection protections` and `beacon lscb attendance`."""
from __future__ import annotations

from typer.testing import CliRunner

from beacon.cli import app
from tests.child_protection.helpers import open_case, step
from tests.factories import PASSWORD
from tests.web.helpers import token


def test_commands(client, area, database_url, monkeypatch):
    case = step(client, open_case(client), "strategy-discussion", "2026-11-20")
    client.post("/api/v1/lscb-meetings", headers=token(client, "ppu.a"),
                json={"lscb_id": area.lscb["A"], "held_on": "2026-06-01", "police_attended": False})
    monkeypatch.setenv("BEACON_DATABASE_URL", database_url)
    monkeypatch.setenv("BEACON_PASSWORD", PASSWORD)   # --as signs the user in
    runner = CliRunner()
    result = runner.invoke(app, ["child-protection", "due", "--as", "ppu.a"])
    assert result.exit_code == 0, result.output
    assert f"case {case['id']}" in result.output and "Initial child protection conference" in result.output
    result = runner.invoke(app, ["child-protection", "due", "--as", "officer.a"])
    assert result.exit_code == 1 and "may not read child_case" in result.output
    result = runner.invoke(app, ["child-protection", "protections", "--as", "ppu.a"])
    assert result.exit_code == 0 and "0 awaiting" in result.output
    result = runner.invoke(app, ["lscb", "attendance", "--as", "analyst", "--from", "2026-01-01", "--to", "2026-12-31"])
    assert result.exit_code == 0, result.output
    assert "LSCB A" in result.output and "1 without police" in result.output
