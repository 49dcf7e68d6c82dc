"""The closure audit: pure signals, the audit run, and the supervisor's confirm or dismiss."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from beacon.assurance import closure_audit as ca
from beacon.cases.incidents import importer
from beacon.cases.incidents.models import (
    AddressWarning,
    ClosureFlag,
    Incident,
    WorkItem,
)
from beacon.cases.incidents.schemas import FlagDecisionIn
from beacon.errors import Conflict, Forbidden
from tests.incidents.conftest import as_json, closed

ROOT = Path(__file__).resolve().parents[2]
T = datetime(2026, 11, 26, 23, 0, tzinfo=timezone.utc)


# --- the pure signal functions --------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("Caller's PARTNER shouting", [("narrative.domestic", '"partner"')]),
    ("Ex-partner at the door; injunction in place", [("narrative.domestic", '"ex-partner", "injunction"')]),
    ("Non-molestation order breached", [("narrative.domestic", '"non-molestation"')]),
    ("Baby crying, kids alone, social   services aware", [("narrative.child", '"baby", "kids", "social services"')]),
    ("husband and child present", [("narrative.domestic", '"husband"'), ("narrative.child", '"child"')]),
    ("Business partnership dispute; childish graffiti; domesticated", []),
    ("", []),
])
def test_narrative_keywords_are_whole_words_any_case(text, expected):
    assert [(h.signal, h.detail.removeprefix("narrative mentions ")) for h in ca.narrative_hits(text)] == expected


def test_person_and_address_history_counts_only_what_was_known_at_closure():
    events = [ca.PersonEvent(5, "domestic", T - timedelta(days=3), "on log X closed as domestic incident"),
              ca.PersonEvent(5, "child_protection", T + timedelta(days=1), "referred later")]
    assert [(h.signal, h.suggests) for h in ca.person_hits(events, T)] == [("person.domestic_history", "domestic")]
    warnings = [("child_protection", "Log Y was closed as a child protection incident", T - timedelta(hours=1)),
                ("domestic", "Log Z", T + timedelta(hours=1))]
    assert [(h.signal, h.suggests) for h in ca.address_hits(warnings, T)] == [("address.warning", "child_protection")]


def test_suggestion_is_the_kind_with_more_signals_domestic_on_a_tie():
    d, c = ca.Hit("narrative.domestic", "domestic", ""), ca.Hit("narrative.child", "child_protection", "")
    assert ca.suggest([]) is None
    assert ca.suggest([d, c]) == "domestic"
    assert ca.suggest([c, c, d]) == "child_protection"


def test_every_keyword_and_signal_is_documented():
    doc = (ROOT / "docs" / "closure-audit.md").read_text()
    assert ca.signals_markdown() in doc, "docs/closure-audit.md is stale: paste closure_audit.signals_markdown()"
    assert {s.id for s in ca.SIGNALS} == set(ca.SIGNALS_BY_ID)


# --- the audit run ---------------------------------------------------------------------------------

DA_VICTIM = {"forename": "Vicky", "surname": "Synthetic", "date_of_birth": "1985-05-05", "role": "victim"}


@pytest.fixture
def logs(run, now):
    earlier = closed(1, "domestic", closed_at="2026-11-20T10:00:00+00:00", received_at="2026-11-20T09:00:00+00:00",
                     people=[DA_VICTIM], address="1 Earlier Road, Testtown")
    report = run(importer.import_file, as_json([
        earlier,
        closed(2, "ASB", narrative="Neighbour says her boyfriend threw a chair."),
        closed(3, "Concern for welfare", narrative="Caller fine.", people=[dict(DA_VICTIM, role="witness")]),
        closed(4, "Noise", narrative="Music too loud; advice given."),
        closed(5, "Noise", narrative="Music again.", address="1 Earlier Road, Testtown", people=[]),
    ]), "json", "logs.json", now)
    assert report.status == "imported", report.errors
    report = run(importer.import_file, as_json([closed(6, "ASB", narrative="Boyfriend shouting.", division="B")]),
                 "json", "b.json", now, as_user="officer.b")
    assert report.status == "imported", report.errors
    return {n: f"CC26/{n:06d}" for n in range(1, 7)}


def flags(sessions) -> dict[str, ClosureFlag]:
    with sessions() as s:
        return {i.log_ref: f for f, i in s.execute(select(ClosureFlag, Incident)
                                                    .join(Incident, Incident.id == ClosureFlag.incident_id))}


def test_audit_finds_keyword_and_history_logs_and_not_clean_ones(run, sessions, now, logs):
    result = run(ca.audit, None, None, now, as_user="supervisor.a")
    assert (result.examined, result.flagged) == (4, 3)       # 2, 3, 4, 5 in division A; 1 was closed properly
    found = flags(sessions)
    assert set(found) == {logs[2], logs[3], logs[5]}          # not the clean log 4, not division B's log 6
    assert [s["signal"] for s in json.loads(found[logs[2]].signals)] == ["narrative.domestic"]
    history = json.loads(found[logs[3]].signals)
    assert [s["signal"] for s in history] == ["person.domestic_history"] and logs[1] in history[0]["detail"]
    assert [s["signal"] for s in json.loads(found[logs[5]].signals)] == ["address.warning"]
    assert {f.suggested for f in found.values()} == {"domestic"}
    again = run(ca.audit, None, None, now, as_user="supervisor.a")
    assert (again.flagged, again.refreshed) == (0, 0) and len(flags(sessions)) == 3


def test_the_audit_period_and_who_may_run_it(run, sessions, now, logs):
    result = run(ca.audit, now - timedelta(days=1), now, now, as_user="supervisor.b")
    assert (result.examined, result.flagged) == (1, 1) and set(flags(sessions)) == {logs[6]}
    for username in ("officer.a", "ppu.a", "analyst", "inspector", "admin"):
        with pytest.raises(Forbidden):
            run(ca.audit, None, None, now, as_user=username)


def test_confirm_re_closes_the_log_and_sends_it_to_the_ppu(run, sessions, now, logs):
    run(ca.audit, None, None, now, as_user="supervisor.a")
    flag = flags(sessions)[logs[2]]
    run(ca.decide_flag, flag.id, FlagDecisionIn(decision="confirm", note="Partner assault: DV."), now,
        as_user="supervisor.a")
    with sessions() as s:
        incident = s.scalars(select(Incident).where(Incident.log_ref == logs[2])).one()
        assert incident.closing_code == "domestic"
        assert s.scalars(select(WorkItem).where(WorkItem.incident_id == incident.id)).one().kind == "domestic"
        assert s.scalars(select(AddressWarning).where(AddressWarning.incident_id == incident.id)).one()
        flag = s.get(ClosureFlag, flag.id)
        assert (flag.status, flag.reviewed_by, flag.note) == ("confirmed", "supervisor.a", "Partner assault: DV.")
    with pytest.raises(Conflict):
        run(ca.decide_flag, flag.id, FlagDecisionIn(decision="dismiss", note="Changed my mind"), now,
            as_user="supervisor.a")
    # the log is now closed properly, so the audit no longer examines it
    assert run(ca.audit, None, None, now, as_user="supervisor.a").examined == 3


def test_confirm_may_choose_the_other_closing(run, sessions, now, logs):
    run(ca.audit, None, None, now, as_user="supervisor.a")
    flag = flags(sessions)[logs[3]]
    run(ca.decide_flag, flag.id, FlagDecisionIn(decision="confirm", closing_code="child_protection"), now,
        as_user="supervisor.a")
    with sessions() as s:
        assert s.scalars(select(WorkItem)).all()[-1].kind == "child_protection"


def test_dismiss_needs_a_note_and_stays_dismissed(run, sessions, now, logs):
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        FlagDecisionIn(decision="dismiss", note="")
    run(ca.audit, None, None, now, as_user="supervisor.a")
    flag = flags(sessions)[logs[5]]
    run(ca.decide_flag, flag.id, FlagDecisionIn(decision="dismiss", note="Different occupants now."), now,
        as_user="supervisor.a")
    assert flags(sessions)[logs[5]].status == "dismissed"
    result = run(ca.audit, None, None, now, as_user="supervisor.a")
    assert result.already_reviewed == 1 and flags(sessions)[logs[5]].status == "dismissed"
    with sessions() as s:
        assert s.scalars(select(WorkItem).join(Incident).where(Incident.log_ref == logs[5])).first() is None


def test_another_division_cannot_decide(run, sessions, now, logs):
    run(ca.audit, None, None, now, as_user="supervisor.a")
    flag = flags(sessions)[logs[2]]
    with pytest.raises(Forbidden):
        run(ca.decide_flag, flag.id, FlagDecisionIn(decision="confirm"), now, as_user="supervisor.b")
    rows, total, _ = run(ca.list_flags, as_user="supervisor.b")
    assert rows == [] and total == 0


def test_a_risk_form_counts_as_domestic_history(run, sessions, now, world):
    from beacon.cases.domestic_abuse.models import RiskForm
    from beacon.people.models import Person

    run(importer.import_file, as_json([closed(9, "Concern", narrative="All well.", people=[DA_VICTIM])]),
        "json", "x.json", now)
    with sessions.begin() as s:
        person = s.scalars(select(Person)).one()
        s.add(RiskForm(victim_id=person.id, division_id=world.divisions["A"], instrument_id="dash-2009", answers="{}",
                       score=3, computed_level="standard", final_level="standard", completed_by="officer.a",
                       completed_at=datetime(2026, 10, 1, tzinfo=timezone.utc)))
    run(ca.audit, None, None, now, as_user="supervisor.a")
    [flag] = flags(sessions).values()
    assert "risk form" in json.loads(flag.signals)[0]["detail"]
