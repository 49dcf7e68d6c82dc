"""The rules for a decision about a child, against the agreed protocol, as pure functions.

HMIC (Gwent 2007, Child Abuse, areas for improvement) found "no formal process for identifying
whether all or some of the risk factors have been considered, and possibly then discounted, to
support decisions made", and asked for "a formal process for recording exactly which factors
have influenced the decision-making process on every occasion where a child is a potential
victim". So every decision records every risk factor in the agreement as present or not, and a
factor that is present but given no weight (discounted) carries the reason.

HMIC also found that "an investigation which may, in one part of the force, be investigated by
a specialist together with other agencies, may elsewhere be investigated by a uniformed
constable". A joint-investigation decision is checked against the agreement's criteria
(:func:`departures`): a decision that differs is allowed, but only with a reason, and is
flagged on the case.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from beacon.cases.child_protection.agreement import (
    Agreement,
    decision_consistent,
    unknown_criteria,
)

SPECIALIST, UNIFORM = "specialist", "uniform"
INVESTIGATORS = {SPECIALIST: "a specialist child abuse investigator", UNIFORM: "a uniformed officer"}
DEPARTURE_MARK = "Departs from the agreement: "
REASON_MARK = "Reason: "


def factor_errors(agreement: Agreement, factors: Mapping[str, Mapping[str, object]]) -> dict[str, str]:
    """Field-named problems with the risk factors recorded (``factors.<id>``,
    ``factors.<id>.discounted``, ``factors.<id>.reason``); empty when every factor in the
    agreement is recorded, none is unknown, and each discounted factor is present and has a reason."""
    errors: dict[str, str] = {}
    for factor_id in agreement.factor_ids:
        given = factors.get(factor_id)
        if given is None:
            errors[f"factors.{factor_id}"] = (f"say whether this risk factor is present: "
                                              f"{agreement.factor_text(factor_id)}")
            continue
        present, discounted = bool(given.get("present")), bool(given.get("discounted"))
        if discounted and not present:
            errors[f"factors.{factor_id}.discounted"] = "only a factor that is present can be discounted"
        elif discounted and not str(given.get("reason") or "").strip():
            errors[f"factors.{factor_id}.reason"] = "give the reason for discounting this risk factor"
    for factor_id in factors:
        if factor_id not in agreement.factor_ids:
            errors[f"factors.{factor_id}"] = f"is not a risk factor in agreement {agreement.id}"
    return errors


def factors_json(agreement: Agreement, factors: Mapping[str, Mapping[str, object]]) -> str:
    """What ``ChildDecision.factors`` stores: every factor, in the agreement's order, as considered."""
    out = {}
    for factor_id in agreement.factor_ids:
        given = factors[factor_id]
        present = bool(given.get("present"))
        discounted = present and bool(given.get("discounted"))
        out[factor_id] = {"considered": True, "present": present, "discounted": discounted,
                          "reason": str(given.get("reason") or "").strip() if discounted else ""}
    return json.dumps(out)


def criteria_errors(agreement: Agreement, criteria_met: Iterable[str]) -> dict[str, str]:
    unknown = unknown_criteria(agreement, criteria_met)
    return {"criteria_met": f"not criteria in agreement {agreement.id}: {', '.join(unknown)}"} if unknown else {}


def departures(agreement: Agreement, criteria_met: Iterable[str], joint: bool, investigated_by: str) -> list[str]:
    """How a joint-investigation decision differs from what the agreement gives (empty if it does not).

    The agreement gives a joint investigation when any criterion is met, and a joint
    investigation is by a specialist child abuse investigator together with social care."""
    met = list(criteria_met)
    out = []
    if not decision_consistent(agreement, met, joint):
        if joint:
            out.append("no joint-investigation criterion is met, but a joint investigation was decided")
        else:
            out.append(f"criteria met ({', '.join(met)}) give a joint investigation, but a single-agency "
                       "investigation was decided")
    if joint and investigated_by != SPECIALIST:
        out.append("a joint investigation is by a specialist child abuse investigator, but "
                   f"{INVESTIGATORS.get(investigated_by, investigated_by)} was chosen")
    return out


def joint_decision_text(agreement: Agreement, criteria_met: Iterable[str], joint: bool, investigated_by: str,
                        departure_reason: str, notes: str) -> str:
    """The text of the ``ChildDecision`` that records a joint-investigation decision."""
    met = list(criteria_met)
    lines = [f"{'Joint' if joint else 'Single-agency'} investigation, by {INVESTIGATORS[investigated_by]}.",
             "Criteria met: " + (", ".join(agreement.criterion_text(c) for c in met) if met else "none") + "."]
    gaps = departures(agreement, met, joint, investigated_by)
    if gaps:
        lines.append(DEPARTURE_MARK + "; ".join(gaps) + ".")
        lines.append(REASON_MARK + departure_reason.strip())
    if notes.strip():
        lines.append(notes.strip())
    return "\n".join(lines)


def departure_reason_of(decision_text: str) -> str:
    """The reason recorded in a joint-investigation decision's text, or ""."""
    lines = decision_text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(DEPARTURE_MARK) and i + 1 < len(lines) and lines[i + 1].startswith(REASON_MARK):
            return lines[i + 1].removeprefix(REASON_MARK)
    return ""


__all__ = ["INVESTIGATORS", "SPECIALIST", "UNIFORM", "criteria_errors", "departure_reason_of", "departures",
           "factor_errors", "factors_json", "joint_decision_text"]
