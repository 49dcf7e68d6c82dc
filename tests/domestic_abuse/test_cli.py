"""`beacon referrals escalate`: the scheduled escalation of unacknowledged referrals."""
from __future__ import annotations

from datetime import datetime, timezone

from typer.testing import CliRunner

from beacon.cli import app
from tests.domestic_abuse.helpers import create_form
from tests.web.helpers import token


def test_escalate_command(client, partners, clock, database_url, monkeypatch):
    clock.now = datetime(2024, 1, 5, 10, tzinfo=timezone.utc)  # long past: due Monday 8 January 2024
    form = create_form(client, yes=3, children_in_household=1)
    referral_id = form["child_referrals"][0]["id"]
    monkeypatch.setenv("BEACON_DATABASE_URL", database_url)
    runner = CliRunner()
    result = runner.invoke(app, ["referrals", "escalate"])
    assert result.exit_code == 0, result.output
    assert "Escalated 1 referral(s)." in result.output and f"referral {referral_id}" in result.output
    assert "Escalated 0 referral(s)." in runner.invoke(app, ["referrals", "escalate"]).output
    body = client.get(f"/api/v1/child-referrals/{referral_id}", headers=token(client, "supervisor.a")).json()
    assert body["escalated_at"] is not None
