"""Every change to a case record leaves who-changed-what, written in the same transaction."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from beacon import settings_repo
from beacon.access.models import RecordHistory
from beacon.cases.missing_persons import schemas, service
from beacon.db import utcnow
from beacon.errors import Invalid
from tests.factories import report_payload
from tests.web.helpers import token


def history(sessions, table, record_id):
    with sessions() as s:
        return s.scalars(select(RecordHistory).where(RecordHistory.table_name == table,
                                                     RecordHistory.record_id == str(record_id))
                         .order_by(RecordHistory.id)).all()


def test_create_and_change_are_recorded_with_the_user(client, sessions):
    officer = token(client, "officer.a")
    report = client.post("/api/v1/missing-persons", json=report_payload(), headers=officer).json()
    client.patch(f"/api/v1/missing-persons/{report['id']}", headers=officer,
                 json={"version": report["version"], "circumstances": "Seen later at the shop."})
    rows = history(sessions, "missing_report", report["id"])
    assert [r.operation for r in rows] == ["insert", "update"]
    assert {r.changed_by for r in rows} == {"officer.a"}
    change = json.loads(rows[1].changes)
    assert change["circumstances"] == ["Did not come home from school club.", "Seen later at the shop."]
    grades = history(sessions, "missing_risk_assessment", 1)
    assert grades and json.loads(grades[0].changes)["grade"] == [None, "high"]


def test_a_failed_change_leaves_no_history(sessions, world):
    user = world.users["officer.a"]
    with pytest.raises(Invalid):
        with sessions.begin() as s:
            s.info["user"] = user
            service.create_report(s, user, settings_repo.load(s),
                                  schemas.ReportIn.model_validate(report_payload()), utcnow())
            raise Invalid({"x": "forced failure after the write"})
    assert history(sessions, "missing_report", 1) == []
