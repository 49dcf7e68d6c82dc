"""Assessment results exported as CSV and JSON (issue 9, item 8): every criterion with its result,
justification, evidence and, for a bound criterion, the records' figures; free text that a
spreadsheet would run as a formula is written as text; the export is an access-logged read."""
from __future__ import annotations

import csv
import io

import pytest

from beacon.inspection.exports import COLUMNS, safe_cell
from beacon.inspection.service import library
from tests.inspection.test_report import MP, assess, evidence
from tests.logs import entries
from tests.web.helpers import token


@pytest.fixture
def inspector(client):
    return token(client, "inspector")


def test_safe_cell_neutralises_formulas_only():
    for risky in ("=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(risky) == "'" + risky
    for plain in ("Met in full", "", "1,000 reports", "'quoted"):
        assert safe_cell(plain) == plain


def test_csv_and_json_list_every_criterion_with_its_evidence_and_figures(client, world, sessions, inspector):
    r = client.post("/api/v1/inspections", headers=inspector, json={
        "force_id": world.force_id, "title": "Export test", "framework_ids": [MP],
        "period_start": "2026-04-01", "period_end": "2026-12-01"})
    iid = r.json()["id"]
    ev = evidence(client, inspector, iid, MP, "=HYPERLINK(\"http://evil.example\",\"policy\")", "strength")
    assert client.post(f"/api/v1/inspections/{iid}/computed-evidence", headers=inspector,
                       json={"kind": "mp.compliance"}).status_code == 201
    assess(client, inspector, iid, MP, lambda c: "met" if c.level.value == "fair" else "not_met",
           justification="-1 reports missed; seen in the file sample.")
    first = library("hmic-2007").framework(MP).criteria[0].id
    r = client.put(f"/api/v1/inspections/{iid}/assessments/{first}", headers=inspector, json={
        "result": "met", "justification": "Policy seen and the chief officer lead interviewed.",
        "evidence_ids": [ev["id"]], "version": 1})
    assert r.status_code == 200, r.text
    client.post(f"/api/v1/inspections/{iid}/grades", headers=inspector)

    data = client.get(f"/api/v1/inspections/{iid}/export.json", headers=inspector).json()
    criteria = library("hmic-2007").framework(MP).criteria
    assert [c["criterion_id"] for c in data["criteria"]] == [c.id for c in criteria]
    row = data["criteria"][0]
    assert row["evidence"] == [{"id": ev["id"], "title": ev["title"]}] and row["framework_grade"] == "fair"
    bound = [c for c in data["criteria"] if c["bound"]]
    assert bound and all(c["proposal"] and c["proposal"]["figures"] for c in bound)

    r = client.get(f"/api/v1/inspections/{iid}/export.csv", headers=inspector)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    table = list(csv.reader(io.StringIO(r.text)))
    assert tuple(table[0]) == COLUMNS and len(table) == 1 + len(criteria)
    cells = [cell for line in table[1:] for cell in line]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert "'=HYPERLINK(\"http://evil.example\",\"policy\")" in cells
    assert "'-1 reports missed; seen in the file sample." in cells
    by_id = {line[1]: dict(zip(COLUMNS, line)) for line in table[1:]}
    assert by_id[bound[0]["criterion_id"]]["figures"]
    logged = [e for e in entries(sessions) if e.action == "export" and e.record_type == "inspection"]
    assert len(logged) == 2 and all(e.username == "inspector" for e in logged)


def test_an_officer_cannot_export_an_inspection(client, world, inspector):
    iid = client.post("/api/v1/inspections", headers=inspector, json={
        "force_id": world.force_id, "title": "Export test", "framework_ids": [MP],
        "period_start": "2026-04-01", "period_end": "2026-12-01"}).json()["id"]
    officer = token(client, "officer.a")
    for fmt in ("csv", "json"):
        assert client.get(f"/api/v1/inspections/{iid}/export.{fmt}", headers=officer).status_code == 403
