"""The report's Domestic Violence and Child Abuse sections show the figures computed from the
force's records (force-wide rates, and by division: the DVO backlog, joint decisions consistent
with the agreed criteria), each with the API path that lists what is behind it; the figures are
checked against the records."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest

from beacon import settings_repo
from beacon.access.unit_of_work import transaction
from beacon.assurance import child_protection as cp
from beacon.assurance import domestic_abuse as da
from beacon.reports import charts, inspection_report, render
from tests.assurance import helpers as h
from tests.domestic_abuse.helpers import build_partners
from tests.inspection.test_report import rows_of, section
from tests.web.helpers import token

UTC = timezone.utc
MON = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
BACKLOG = {"A": 3, "B": 1}                  # unreviewed forms by division as at 31 October 2026
JOINT = {"A": (2, 2), "B": (1, 3)}          # (consistent, decided) by division


@pytest.fixture
def partners(world, sessions):
    """Children's social care in divisions A and B; a MARAC in division A only."""
    return build_partners(world, sessions)


@pytest.fixture
def built(client, world, sessions, partners):
    inspector = token(client, "inspector")
    for code, n in BACKLOG.items():
        for i in range(n):
            h.form(sessions, world.divisions[code], MON, level="high" if i == 0 else "standard")
    h.form(sessions, world.divisions["A"], MON, reviewed_at=datetime(2026, 10, 6, tzinfo=UTC))
    for code, (consistent, decided) in JOINT.items():
        for i in range(decided):
            joint = i < consistent           # the agreed criteria (sexual abuse) require a joint investigation
            h.child_case(sessions, world.divisions[code], MON, joint=joint, criteria=("sexual-abuse",),
                         decisions=(h.factors(),), strategy=date(2026, 10, 5))
    sent = datetime(2026, 10, 2, 14, 0, tzinfo=UTC)
    h.child_referral(sessions, world.divisions["B"], partners.csc["B"], sent, sent_at=sent)
    r = client.post("/api/v1/inspections", headers=inspector, json={
        "force_id": world.force_id, "title": "Protecting vulnerable people 2026",
        "framework_ids": ["child_abuse", "domestic_violence"], "period_start": "2026-04-01",
        "period_end": "2026-11-01"})
    assert r.status_code == 201, r.text
    iid = r.json()["id"]
    computed = {}
    for kind in ("da.compliance", "cp.compliance"):
        c = client.post(f"/api/v1/inspections/{iid}/computed-evidence", headers=inspector, json={"kind": kind})
        assert c.status_code == 201, c.text
        computed[kind] = c.json()
    return {"id": iid, "computed": computed, "inspector": inspector}


def context_for(sessions, world, iid):
    with transaction(sessions) as s:
        return inspection_report.report_context(s, world.users["inspector"], iid, settings_repo.load(s))


def test_domestic_violence_section_shows_the_backlog_by_division(client, sessions, world, built):
    ctx = context_for(sessions, world, built["id"])
    figures = {f["id"]: f for f in ctx["frameworks"]}["domestic_violence"]["computed"]
    evidence_id = built["computed"]["da.compliance"]["id"]
    assert figures["evidence_id"] == evidence_id and figures["backlog_as_of"] == "31 October 2026"
    assert figures["backlog_total"] == sum(BACKLOG.values()) and figures["forms"] == sum(BACKLOG.values()) + 1
    by_code = {r["code"]: r for r in figures["divisions"]}
    assert {c: r["backlog"] for c, r in by_code.items()} == BACKLOG
    assert (by_code["A"]["marac"], by_code["B"]["marac"]) == ("Yes", "No")
    review = {r["rule_id"]: r for r in figures["rates"]}[da.REVIEW]
    assert (review["met"], review["applicable"]) == (1, 5) and review["text"] == "1 of 5 (20%)"
    # follow the traces: the backlog API gives the same counts, the evidence API the same result
    backlog = client.get(figures["backlog_api"], headers=built["inspector"])
    assert backlog.status_code == 200, backlog.text
    assert backlog.json()["total"] == figures["backlog_total"]
    item = client.get(figures["api"], headers=built["inspector"]).json()
    assert item["computed_result"]["backlog"]["total"] == figures["backlog_total"]
    html = render.render_html(ctx)
    dv = section(html, "framework-domestic-violence")
    rows = rows_of(dv)
    assert ["Division A", "3", "5 October 2026", "1 of 4 (25%)", "Yes", "0 of 1 (0%)"] in rows
    assert ["Division B", "1", "5 October 2026", "0 of 1 (0%)", "No", "0 of 1 (0%)"] in rows
    assert figures["api"] in dv and "awaited review by a DVO" in dv and 'role="img"' in dv


def test_child_abuse_section_shows_joint_decisions_by_division_and_the_spread(client, sessions, world, built):
    ctx = context_for(sessions, world, built["id"])
    figures = {f["id"]: f for f in ctx["frameworks"]}["child_abuse"]["computed"]
    by_code = {r["code"]: r for r in figures["divisions"]}
    for code, (consistent, decided) in JOINT.items():
        assert by_code[code]["joint"] == f"{consistent} of {decided} ({consistent / decided:.0%})"
    assert figures["spread"] == {"lowest": "33%", "lowest_division": "Division B", "highest": "100%",
                                 "highest_division": "Division A", "points": 67}
    assert figures["never_acknowledged"] == 1 and by_code["B"]["never_acknowledged"] == "1"
    joint = {r["rule_id"]: r for r in figures["rates"]}[cp.JOINT]
    assert (joint["met"], joint["applicable"]) == (3, 5) and "Working Together" in joint["source"]
    html = render.render_html(ctx)
    ca = section(html, "framework-child-abuse")
    assert ["Division B", "1 of 3 (33%)", "0 of 1 (0%)", "1", "3 of 3 (100%)"] in rows_of(ca)
    assert "a spread of 67 percentage points" in ca and figures["api"] in ca
    item = client.get(figures["api"], headers=built["inspector"]).json()
    assert len(item["computed_result"]["rates"][cp.JOINT]["failing"]) == joint["applicable"] - joint["met"]


def test_sections_without_computed_evidence_are_unchanged(client, sessions, world):
    inspector = token(client, "inspector")
    r = client.post("/api/v1/inspections", headers=inspector, json={
        "force_id": world.force_id, "title": "No computed evidence", "framework_ids": ["domestic_violence"],
        "period_start": "2026-04-01", "period_end": "2026-11-01"})
    ctx = context_for(sessions, world, r.json()["id"])
    assert ctx["frameworks"][0]["computed"] is None
    assert "Figures computed from the force" not in render.render_html(ctx)


def test_division_chart_is_accessible_svg():
    svg = str(charts.bar_chart([("A", 0.5), ("B", 1.0)], "Joint decisions", "c1", percent=True))
    assert 'role="img"' in svg and "<title id=\"c1-title\">Joint decisions</title>" in svg and "A 50%; B 100%" in svg


def test_the_evidence_page_links_each_failing_record_to_its_own_page(client, world, sessions, built):
    """A risk form's id is not a missing-person report's: each rule's records link to their kind's page,
    and an inspector can open every one of them."""
    from tests.web.helpers import login
    h.child_case(sessions, world.divisions["A"], MON, joint=True, criteria=("sexual-abuse",),
                 decisions=(h.factors(missing=("disability",)),))       # a decision missing a risk factor
    again = client.post(f"/api/v1/inspections/{built['id']}/computed-evidence", headers=built["inspector"],
                        json={"kind": "cp.compliance"})
    assert again.status_code == 201, again.text
    login(client, "inspector")
    evidence = {**built["computed"], "cp.compliance": again.json()}
    pages = {kind: client.get(f"/inspections/{built['id']}/evidence/{e['id']}") for kind, e in evidence.items()}
    assert all(p.status_code == 200 for p in pages.values())
    da_page, cp_page = pages["da.compliance"].text, pages["cp.compliance"].text
    assert "/missing-persons/" not in da_page + cp_page
    assert "Computed from Beacon domestic abuse risk forms" in da_page
    links = set(re.findall(r'href="(/(?:domestic-abuse/forms|child-protection/cases|referrals|incidents)/[^"]+)"',
                           da_page + cp_page))
    assert any(h.startswith("/domestic-abuse/forms/") for h in links)
    assert any(h.startswith("/child-protection/cases/") and "#decision-" not in h for h in links)
    assert any(h.startswith("/referrals/") for h in links)
    assert any("#decision-" in h for h in links)
    for href in sorted(links):
        assert client.get(href.split("#")[0]).status_code == 200, href
