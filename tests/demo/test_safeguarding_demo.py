"""The synthetic Gwent's domestic abuse and child protection year (beacon.demo.safeguarding), read
back from the database with the services' own functions: the 450 backlog in two divisions, MARAC
only where there is one, scores the instrument gives, referrals never acknowledged, joint
decisions inconsistent with the agreement concentrated in one division, and the same rows as a
fresh plan from the same seed. Built once for the module, on ``BEACON_TEST_DB`` (SQLite by
default, or PostgreSQL)."""
from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from beacon import config
from beacon.access.login import acting_as
from beacon.assurance import closure_audit
from beacon.cases.child_protection import clocks
from beacon.cases.child_protection.agreement import agreement, decision_consistent
from beacon.cases.domestic_abuse import rules, service
from beacon.cases.domestic_abuse.instrument import instruments, level, score
from beacon.db import make_engine
from beacon.demo import build as demo_build
from beacon.demo import safeguarding
from beacon.demo import safeguarding_texts as texts
from beacon.models import (
    AddressWarning,
    ChildCase,
    ChildDecision,
    ChildReferral,
    ClosureFlag,
    Division,
    Incident,
    IncidentPerson,
    LscbMeeting,
    MaracAction,
    MaracMeeting,
    MaracReferral,
    PartnerBody,
    Person,
    PoliceProtection,
    RiskForm,
    Staff,
    WorkItem,
)
from beacon.org import repository as org_repo
from beacon.org.roles import Rank
from tests import pg

BACKEND = os.environ.get("BEACON_TEST_DB", "sqlite")
NOW = datetime(2025, 1, 15, 12, 0, tzinfo=timezone.utc)
SEED = 2007
YEAR_START = datetime(2006, 3, 31, 23, 0, tzinfo=timezone.utc)   # 1 April 2006 00:00 in London
YEAR_END = datetime(2007, 3, 31, 23, 0, tzinfo=timezone.utc)     # 1 April 2007 00:00 in London
POPULATION = {"A": 138_826, "B": 175_900, "C": 239_600}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    try:
        database = pg.migrated_database(BACKEND, tmp_path_factory.mktemp("safeguarding"))
        url = database.__enter__()
    except Exception as exc:  # noqa: BLE001 - the reason is printed in the skip
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    try:
        engine = make_engine(url)
        summary = demo_build.build(engine, seed=SEED, now=NOW)
        yield engine, summary
        engine.dispose()
    finally:
        database.__exit__(None, None, None)


@pytest.fixture(scope="module")
def db(built):
    with Session(built[0]) as session:
        yield session


@pytest.fixture(scope="module")
def codes(db) -> dict[int, str]:
    return {d.id: d.code for d in db.scalars(select(Division))}


def count(db, model, *where) -> int:
    return db.scalar(select(func.count()).select_from(model).where(*where))


def in_year(column):
    return (column >= YEAR_START, column < YEAR_END)


# --- logs, people, the closure rule ------------------------------------------------------------

def test_year_volumes_by_division(db, codes, built):
    domestic = db.scalars(select(Incident).where(Incident.closing_code == "domestic", *in_year(Incident.received_at)))
    domestic = list(domestic)
    assert len(domestic) == safeguarding.DOMESTIC_INCIDENTS == built[1].domestic_incidents
    child = count(db, Incident, Incident.closing_code == "child_protection", *in_year(Incident.received_at))
    assert child == safeguarding.CHILD_PROTECTION_INCIDENTS == built[1].child_protection_incidents
    by_division = Counter(codes[i.division_id] for i in domestic)
    for code, pop in POPULATION.items():
        assert abs(by_division[code] / len(domestic) - pop / sum(POPULATION.values())) < 0.03, code
    # every public protection log has its work item and address warning, and each domestic log one form
    ppu = count(db, Incident, Incident.closing_code.in_(["domestic", "child_protection"]))
    assert count(db, WorkItem) == ppu == count(db, AddressWarning)
    assert count(db, WorkItem, WorkItem.division_id.is_(None)) == 0
    forms = Counter(db.scalars(select(RiskForm.incident_id)))
    assert len(forms) == count(db, Incident, Incident.closing_code == "domestic") and max(forms.values()) == 1


def test_repeat_victims_and_addresses(db):
    victims = Counter(db.scalars(select(IncidentPerson.person_id).join(Incident).where(
        IncidentPerson.role == "victim", Incident.closing_code == "domestic", *in_year(Incident.received_at))))
    repeat_incidents = sum(n for n in victims.values() if n > 1)
    assert 0.3 < repeat_incidents / sum(victims.values()) < 0.5
    assert max(victims.values()) >= 7
    places = Counter(db.scalars(select(Incident.location_id).where(Incident.closing_code == "domestic")))
    assert sum(1 for n in places.values() if n > 1) > 1_000
    children = count(db, IncidentPerson, IncidentPerson.role == "child")
    assert children > 3_000


def test_closure_audit_finds_the_logs_closed_otherwise(db):
    """Every year log closed with another code that has a signal is flagged; ordinary logs are not."""
    ordinary = {text for _, _, text in texts.BACKGROUND}
    rows = db.execute(select(Incident.narrative).where(Incident.closing_code.not_in(["domestic", "child_protection"]),
                                                       Incident.closed_at >= YEAR_START,
                                                       Incident.closed_at < YEAR_END)).scalars().all()
    expected = sum(1 for n in rows if n not in ordinary)
    assert expected >= 80 and len(rows) - expected > 400
    flagged = 0
    try:
        for username in ("supervisor.a", "supervisor.b", "supervisor.c"):
            user = acting_as(db, username)
            flagged += closure_audit.audit(db, user, YEAR_START, YEAR_END, NOW).flagged
        assert flagged == expected
        suggested = dict(db.execute(select(Incident.narrative, ClosureFlag.suggested).join(
            ClosureFlag, ClosureFlag.incident_id == Incident.id)).all())
        for _, _, text in texts.MISCLOSED_CHILD_WORDS:
            assert suggested.get(text, "child_protection") == "child_protection"
        assert "domestic" in suggested.values() and "child_protection" in suggested.values()
    finally:
        db.rollback()


# --- risk forms -------------------------------------------------------------------------------------

def test_scores_are_the_instruments(db):
    shipped = instruments()
    seen = Counter()
    for f in db.scalars(select(RiskForm)):
        inst = shipped[f.instrument_id]
        answers = json.loads(f.answers)
        sc = score(inst, answers)
        assert sc.complete and sc.value == f.score
        assert level(inst, sc) == f.computed_level
        assert f.final_level == rules.final_level(f.computed_level, f.judged_level, f.judgement_reason)
        if f.judged_level is not None:
            assert f.judgement_reason and f.reviewed_at is not None
        if inst.id == safeguarding.INSTRUMENT_2007:
            assert answers["children_present"] == (f.children_in_household > 0)
        seen[(inst.id, f.final_level)] += 1
        seen["raised"] += f.judged_level is not None
    year = sum(n for k, n in seen.items() if isinstance(k, tuple) and k[0] == safeguarding.INSTRUMENT_2007)
    assert year >= safeguarding.DOMESTIC_INCIDENTS
    assert 0.04 < seen[(safeguarding.INSTRUMENT_2007, "high")] / year < 0.12
    assert 0.01 < seen["raised"] / year < 0.05
    assert any(k[0] == config.defaults()["da.instrument"] for k in seen if isinstance(k, tuple))  # live forms


def test_backlog_of_about_450_in_exactly_two_divisions(db, codes, built):
    as_of = safeguarding.BACKLOG_AS_OF
    rows = {b.division_code: b for b in service.backlog(db, as_of)}
    waiting = {code: b.unreviewed for code, b in rows.items()}
    assert sorted(code for code, n in waiting.items() if n) == ["B", "C"]
    assert 430 <= sum(waiting.values()) <= 470
    assert waiting == built[1].unreviewed_forms_march_2007
    for code in ("B", "C"):
        assert rows[code].oldest_completed_at >= safeguarding.BACKLOG_FROM   # "dating back to December 2006"
    # what became of them: reviewed from April to June 2007, or never
    later = db.scalars(select(RiskForm).where(RiskForm.completed_at <= as_of, RiskForm.instrument_id ==
                                              safeguarding.INSTRUMENT_2007,
                                              (RiskForm.reviewed_at.is_(None)) | (RiskForm.reviewed_at > as_of))).all()
    reviewed = [f.reviewed_at for f in later if f.reviewed_at]
    assert reviewed and max(reviewed) <= safeguarding.BACKLOG_CLEARED_BY
    never = [f for f in later if f.reviewed_at is None]
    assert 0.03 < len(never) / len(later) < 0.2
    # elsewhere the DVO reviews within days
    prompt = db.execute(select(RiskForm.completed_at, RiskForm.reviewed_at).where(
        RiskForm.reviewed_at <= as_of)).all()
    days = sorted((r - c).total_seconds() / 86400 for c, r in prompt)
    assert days[len(days) // 2] < 3 and days[int(len(days) * 0.85)] < 7


# --- MARAC ---------------------------------------------------------------------------------------

def test_marac_only_where_the_division_has_one(db, codes):
    marac_of = {code: org_repo.partner_for_division(db, did, "marac") for did, code in codes.items()}
    assert marac_of["C"] is None and marac_of["A"] and marac_of["B"]
    meetings = db.scalars(select(MaracMeeting)).all()
    assert {m.marac_id for m in meetings} == {marac_of["A"].id, marac_of["B"].id}
    in_year_meetings = Counter(m.marac_id for m in meetings if m.held_on < YEAR_END.date())
    assert in_year_meetings[marac_of["A"].id] >= 24 and in_year_meetings[marac_of["B"].id] >= 12
    for m in meetings:
        present = json.loads(m.agencies_present)
        assert "Gwent Police" in present and any("Children's Social Care" in a for a in present)
    referrals = db.scalars(select(MaracReferral)).all()
    by_code = defaultdict(list)
    for r in referrals:
        by_code[codes[r.division_id]].append(r)
    assert all(r.marac_id is None and r.meeting_id is None for r in by_code["C"]) and by_code["C"]
    for code in ("A", "B"):
        assert all(r.marac_id == marac_of[code].id for r in by_code[code])
        heard = sum(r.meeting_id is not None for r in by_code[code])
        assert heard >= len(by_code[code]) - 2
    meeting_day = {m.id: m.held_on for m in meetings}
    for r in referrals:
        if r.meeting_id:
            assert meeting_day[r.meeting_id] >= r.referred_at.date()
    actions = db.scalars(select(MaracAction)).all()
    assert actions and all(a.owner_agency and a.text for a in actions)
    assert any(a.done_at is None for a in actions) and sum(a.done_at is not None for a in actions) > 0.8 * len(actions)


def test_marac_criteria_are_the_services(db):
    settings = config.defaults()
    referrals = db.scalars(select(MaracReferral)).all()
    kinds = Counter()
    for r in referrals:
        form = db.get(RiskForm, r.risk_form_id)
        met = json.loads(r.criteria)
        assert met and met == service.criteria_for(db, settings, form).met, r.id
        assert r.is_repeat == ("repeat" in met)
        assert (r.victim_id, r.perpetrator_id, r.division_id) == (form.victim_id, form.perpetrator_id,
                                                                   form.division_id)
        assert form.reviewed_at is not None and r.referred_at >= form.reviewed_at
        kinds.update(met)
    assert set(kinds) == set(rules.CRITERIA)


def test_marac_volume_is_under_the_benchmark(db, codes):
    share = float(config.defaults()["da.adult_women_share"])
    year = Counter(codes[d] for d in db.scalars(select(MaracReferral.division_id).where(
        *in_year(MaracReferral.referred_at))))
    for code in ("A", "B"):
        gap = rules.benchmark_gap(year[code], round(POPULATION[code] * share))
        assert 15 < gap.rate_per_10k < rules.MARAC_BENCHMARK_PER_10K, code


# --- children ----------------------------------------------------------------------------------------

def test_child_referrals_tracked_to_acknowledgement(db, codes):
    referrals = db.scalars(select(ChildReferral)).all()
    partners = {p.id: p for p in db.scalars(select(PartnerBody))}
    on_time = late = never = 0
    for r in referrals:
        assert r.delivery == "delivered" and r.sent_at == r.created_at
        assert partners[r.partner_id].kind == "childrens_social_care"
        if r.acknowledged_at is None:
            if r.due_at < NOW:
                never += 1
                assert r.escalated_at is not None and r.escalated_at > r.due_at and not r.outcome
        elif r.acknowledged_at <= r.due_at:
            on_time += 1
        else:
            late += 1
        if r.acknowledged_at is not None:
            assert r.acknowledged_at > r.sent_at and r.acknowledged_by and r.outcome
    total = on_time + late + never
    assert on_time / total > 0.8 and 0.05 < late / total < 0.15 and 0.01 < never / total < 0.05
    # one referral per child in the household for every risk form that records children
    per_form = Counter(r.risk_form_id for r in referrals if r.risk_form_id)
    forms = db.execute(select(RiskForm.id, RiskForm.children_in_household)).all()
    assert all(per_form[fid] == n for fid, n in forms)


def test_each_councils_duty_team_sees_only_its_own_referrals(db):
    from beacon.cases.child_protection import referrals as referral_service
    from beacon.org.models import User
    from beacon.org.roles import Role
    users = db.scalars(select(User).where(User.role == Role.PARTNER)).all()
    assert len({u.partner_id for u in users}) == len(users) == 5   # one per Gwent council
    for user in users:
        seen = referral_service.list_referrals(db, acting_as(db, user.username), limit=200)
        assert seen and {r.partner_id for r in seen} == {user.partner_id}, user.username
    db.rollback()


def test_every_acknowledgement_clock_is_the_rule(db):
    for sent, due in db.execute(select(ChildReferral.sent_at, ChildReferral.due_at)):
        assert due == clocks.referral_acknowledgement_due(sent)


def test_joint_decisions_inconsistent_mostly_in_one_division(db, codes):
    agreed = agreement()
    cases = db.scalars(select(ChildCase)).all()
    assert 250 <= len(cases) <= 700
    required, decided, departed = Counter(), Counter(), Counter()
    for c in cases:
        met = json.loads(c.joint_criteria_met)
        assert set(met) <= set(agreed.criteria_ids)
        if c.joint_investigation is None:
            continue
        assert c.investigated_by in ("specialist", "uniform")
        if c.joint_investigation:
            assert c.investigated_by == "specialist"
        code = codes[c.division_id]
        required[code] += bool(met)
        decided[code] += 1
        if not decision_consistent(agreed, met, c.joint_investigation):
            departed[code] += 1
    assert departed["C"] > 0.3 * required["C"]
    assert departed["A"] < 0.1 * decided["A"] and departed["B"] < 0.1 * decided["B"]
    assert departed["C"] > 0.6 * sum(departed.values())


def test_case_clocks_mostly_kept(db):
    cases = db.scalars(select(ChildCase).where(ChildCase.initial_conference_on.is_not(None))).all()
    assert len(cases) > 50
    late = sum(c.initial_conference_on > clocks.initial_conference_due(c.strategy_discussion_on) for c in cases)
    assert 0.03 < late / len(cases) < 0.3
    core_late = sum(c.core_group_on > clocks.core_group_due(c.initial_conference_on) for c in cases if c.core_group_on)
    assert 0 < core_late < 0.3 * len(cases)
    for c in cases:
        assert c.s47_started_on == c.strategy_discussion_on
        if c.first_review_on:
            assert c.first_review_on > c.initial_conference_on and c.last_review_on >= c.first_review_on
        # each review held is kept, the first and latest on the case too
        held = [r.held_on for r in c.reviews]
        assert held == list(dict.fromkeys(d for d in (c.first_review_on, c.last_review_on) if d))
        assert all(r.recorded_at is not None and r.recorded_by for r in c.reviews)


def test_decisions_lack_risk_factors_sometimes(db):
    factor_ids = set(agreement().factor_ids)
    decisions = db.scalars(select(ChildDecision)).all()
    missing = unreasoned = 0
    for d in decisions:
        factors = json.loads(d.factors)
        assert set(factors) <= factor_ids
        missing += not all(factors.get(f, {}).get("considered") for f in factor_ids)
        unreasoned += any(v["discounted"] and not v["reason"].strip() for v in factors.values())
    assert 0.2 < missing / len(decisions) < 0.5
    assert unreasoned > 0


def test_police_protection_and_lscb_attendance(db):
    protections = db.scalars(select(PoliceProtection)).all()
    assert 15 <= len(protections) <= 30
    unreviewed = [p for p in protections if p.designated_review_at is None]
    assert 0.1 < len(unreviewed) / len(protections) < 0.45
    for p in protections:
        if p.designated_officer_id:
            assert db.get(Staff, p.designated_officer_id).rank in (Rank.INSP, Rank.CI, Rank.SUPT, Rank.CH_SUPT)
        if p.designated_review_at:
            assert p.designated_review_at > p.taken_at and p.designated_officer_id
    boards = {p.id for p in db.scalars(select(PartnerBody).where(PartnerBody.kind == "lscb"))}
    meetings = db.scalars(select(LscbMeeting)).all()
    per_board = Counter(m.lscb_id for m in meetings if m.held_on < YEAR_END.date())
    assert set(per_board) == boards and all(n >= 3 for n in per_board.values())
    absent = [m for m in meetings if not m.police_attended]
    assert 2 <= len(absent) <= 8 and all(m.attendee == "" for m in absent)
    assert all(m.attendee for m in meetings if m.police_attended)


# --- live now ---------------------------------------------------------------------------------------

def test_live_records_near_now(db, codes):
    recent = NOW - timedelta(days=21)
    queue = Counter(codes[f.division_id] for f in db.scalars(select(RiskForm).where(
        RiskForm.reviewed_at.is_(None), RiskForm.completed_at > recent)))
    assert set(queue) == {"A", "B", "C"}
    live = db.scalars(select(MaracReferral).where(MaracReferral.referred_at > recent)).all()
    assert {codes[r.division_id] for r in live} == {"A", "B", "C"}
    assert any(r.meeting_id for r in live) and any(r.meeting_id is None and r.marac_id for r in live)
    overdue = db.scalars(select(ChildReferral).where(ChildReferral.sent_at > recent,
                                                     ChildReferral.acknowledged_at.is_(None),
                                                     ChildReferral.due_at < NOW)).all()
    waiting = db.scalars(select(ChildReferral).where(ChildReferral.acknowledged_at.is_(None),
                                                     ChildReferral.due_at >= NOW)).all()
    assert overdue and waiting
    assert count(db, ChildCase, ChildCase.status == "open") >= 1
    assert count(db, PoliceProtection, PoliceProtection.taken_at > recent,
                 PoliceProtection.designated_review_at.is_(None)) >= 1
    assert count(db, WorkItem, WorkItem.status == "open", WorkItem.created_at > recent) >= 5
    flaggable = count(db, Incident, Incident.closing_code.not_in(["domestic", "child_protection"]),
                      Incident.closed_at > NOW - timedelta(days=30))
    assert flaggable >= 3


def test_people_are_new_and_synthetic(db, built):
    from beacon.demo import names

    ids = db.scalars(select(IncidentPerson.person_id).distinct()).all()
    assert len(ids) > 15_000
    for forename, surname in db.execute(select(Person.forename, Person.surname).where(Person.id.in_(ids[:2_000]))):
        assert forename in names.ALL_FORENAMES and names.is_synthetic_surname(surname)
    assert built[1].persons == count(db, Person)


# --- determinism -------------------------------------------------------------------------------------

def test_same_seed_gives_the_same_rows(db):
    """The database holds exactly the rows a fresh plan from the same seed and ``now`` gives (so
    SQLite and PostgreSQL, each compared with the plan, hold the same rows)."""
    *_, sg = demo_build.plan(SEED, NOW)
    for _label, model, rows in sg.tables() + [("people", Person, sg.persons)]:
        table = model.__table__
        keys = [c.name for c in table.primary_key.columns]
        columns = list(rows[0])
        planned = [tuple(r[c] for c in columns) for r in sorted(rows, key=lambda r: tuple(r[k] for k in keys))]
        stmt = select(*(table.c[c] for c in columns)).order_by(*(table.c[k] for k in keys))
        if model is Person:
            stmt = stmt.where(table.c.id >= rows[0]["id"])
        stored = [tuple(r) for r in db.execute(stmt)]
        assert len(stored) == len(planned), model.__tablename__
        assert stored == planned, model.__tablename__


# --- the audits on demand ----------------------------------------------------------------------

def test_the_force_wide_audit_command_finds_what_the_report_found(built, monkeypatch):
    from typer.testing import CliRunner

    from beacon.cli import app
    from beacon.demo.build import DEMO_PASSWORD

    monkeypatch.setenv("BEACON_DATABASE_URL", built[0].url.render_as_string(hide_password=False))
    monkeypatch.setenv("BEACON_PASSWORD", DEMO_PASSWORD)   # --as signs the user in
    runner = CliRunner()
    result = runner.invoke(app, ["assurance", "audit", "da", "--as", "analyst", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    backlog = figures["backlog"]
    assert 400 <= backlog["total"] <= 500
    assert sum(1 for row in backlog["by_division"].values() if row["unreviewed"]) == 2
    table = runner.invoke(app, ["assurance", "audit", "cp", "--as", "chief"])
    assert table.exit_code == 0 and "cp.audit.joint_decisions_consistent" in table.output.replace("…", "")
    assert "By division" in table.output   # (the console's width is the first caller's: no wrapped names here)
    backlog_line = runner.invoke(app, ["assurance", "audit", "da", "--as", "analyst"]).output
    assert "Forms awaiting review as at 2007-03-31: 451 (Newport: 0," in backlog_line
    refused = runner.invoke(app, ["assurance", "audit", "da", "--as", "ppu.a"])
    assert refused.exit_code == 1 and "force-wide da audit figures" in refused.output
    bad = runner.invoke(app, ["assurance", "audit", "xx", "--as", "analyst"])
    assert bad.exit_code == 2
