"""Decisions about a child record every risk factor in the agreement (present or not, and a reason
for each discounted), and the joint-investigation decision is checked against the agreed criteria:
a decision that differs needs a reason and is flagged (HMIC, Gwent 2007, Child Abuse)."""
from __future__ import annotations

from sqlalchemy import func, select

from beacon.cases.child_protection import decisions
from beacon.cases.child_protection.models import ChildDecision
from tests.child_protection.helpers import AGREEMENT, FACTORS, factors, open_case, step
from tests.web.helpers import token


def _joint(client, case, expect=200, username="ppu.a", **body):
    payload = {"version": case["version"], "criteria_met": [], "joint_investigation": False,
               "investigated_by": "uniform", "factors": factors()}
    payload.update(body)
    r = client.post(f"/api/v1/child-cases/{case['id']}/joint-decision", json=payload, headers=token(client, username))
    assert r.status_code == expect, r.text
    return r.json()


def _decisions(sessions) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(ChildDecision))


def test_pure_rules():
    assert decisions.factor_errors(AGREEMENT, factors()) == {}
    missing = {k: v for k, v in factors().items() if k != FACTORS[0]}
    assert list(decisions.factor_errors(AGREEMENT, missing)) == [f"factors.{FACTORS[0]}"]
    bad = factors(discounted={FACTORS[1]: ""})
    assert decisions.factor_errors(AGREEMENT, bad) == {f"factors.{FACTORS[1]}.reason":
                                                       "give the reason for discounting this risk factor"}
    assert decisions.departures(AGREEMENT, [], False, "uniform") == []
    assert decisions.departures(AGREEMENT, ["sexual-abuse"], True, "specialist") == []
    assert len(decisions.departures(AGREEMENT, ["sexual-abuse"], False, "uniform")) == 1
    assert len(decisions.departures(AGREEMENT, [], True, "uniform")) == 2


def test_every_factor_must_be_recorded(client, area, sessions):
    case = step(client, open_case(client), "strategy-discussion", "2026-11-20")
    partial = factors()
    del partial[FACTORS[3]]
    partial["not-a-factor"] = {"present": True}
    body = _joint(client, case, expect=422, factors=partial)
    assert set(body["errors"]) == {f"factors.{FACTORS[3]}", "factors.not-a-factor"}
    body = _joint(client, case, expect=422, factors=factors(discounted={FACTORS[2]: ""}))
    assert body["errors"] == {f"factors.{FACTORS[2]}.reason": "give the reason for discounting this risk factor"}
    wrong = factors()
    wrong[FACTORS[4]] = {"present": False, "discounted": True, "reason": "Not relevant here."}
    assert _joint(client, case, expect=422, factors=wrong)["errors"] == {
        f"factors.{FACTORS[4]}.discounted": "only a factor that is present can be discounted"}
    assert _decisions(sessions) == 0
    after = client.get(f"/api/v1/child-cases/{case['id']}", headers=token(client, "ppu.a")).json()
    assert after["version"] == case["version"] and after["joint_investigation"] is None


def test_decision_with_factors_shown_on_the_case(client, area):
    case = step(client, open_case(client), "strategy-discussion", "2026-11-20")
    chosen = factors(present=(FACTORS[0],), discounted={FACTORS[1]: "The earlier referral was about a cousin."})
    out = _joint(client, case, criteria_met=["serious-physical-injury"], joint_investigation=True,
                 investigated_by="specialist", factors=chosen)
    assert out["joint_investigation"] is True and out["joint_criteria_met"] == ["serious-physical-injury"]
    assert out["departures"] == [] and out["joint_decision_departs"] is False
    [decision] = out["decisions"]
    assert [f["id"] for f in decision["factors"]] == list(FACTORS)
    by_id = {f["id"]: f for f in decision["factors"]}
    assert by_id[FACTORS[0]]["present"] and not by_id[FACTORS[0]]["discounted"]
    assert by_id[FACTORS[1]]["discounted"] and by_id[FACTORS[1]]["reason"] == "The earlier referral was about a cousin."
    assert decision["decision"].startswith("Joint investigation, by a specialist child abuse investigator.")


def test_a_decision_differing_from_the_agreement_needs_a_reason_and_is_flagged(client, area, sessions):
    case = step(client, open_case(client), "strategy-discussion", "2026-11-20")
    body = _joint(client, case, expect=422, criteria_met=["sexual-abuse"], joint_investigation=False)
    assert list(body["errors"]) == ["departure_reason"] and "single-agency" in body["errors"]["departure_reason"]
    assert _decisions(sessions) == 0
    out = _joint(client, case, criteria_met=["sexual-abuse"], joint_investigation=False,
                 departure_reason="Allegation withdrawn at the strategy discussion; social care to assess alone.")
    assert out["joint_decision_departs"] is True and len(out["departures"]) == 1
    assert out["departure_reason"].startswith("Allegation withdrawn")
    listed = client.get("/api/v1/child-cases", headers=token(client, "analyst")).json()["items"]
    assert listed[0]["joint_decision_departs"] is True
    # a joint investigation by a uniformed officer also departs from the agreement
    again = _joint(client, out, expect=422, criteria_met=["sexual-abuse"], joint_investigation=True)
    assert "specialist" in again["errors"]["departure_reason"]
    # an unknown criterion is refused by name
    assert _joint(client, out, expect=422, criteria_met=["made-up"])["errors"] == {
        "criteria_met": f"not criteria in agreement {AGREEMENT.id}: made-up"}


def test_joint_decision_follows_the_strategy_discussion(client, area):
    case = open_case(client)
    assert "strategy discussion" in _joint(client, case, expect=409)["detail"]


def test_agreement_is_published(client, area):
    body = client.get("/api/v1/child-cases/agreement", headers=token(client, "ppu.a")).json()
    assert [f["id"] for f in body["risk_factors"]] == list(FACTORS)
