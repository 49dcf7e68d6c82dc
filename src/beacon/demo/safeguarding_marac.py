"""MARAC for the synthetic Gwent (with :mod:`beacon.demo.safeguarding`, which owns the rows).

Referrals are made when the DVO reviews a form whose case meets a published criterion, on the
criteria ``beacon.cases.domestic_abuse.service.criteria_for`` computes from the same records
(call-outs to the victim in the 12 months before the incident, the last referral for the same
victim and perpetrator, the final level and whether judgement raised it); most high-risk forms
are referred, fewer of those that meet only the repeat or escalation criteria, so each division
stays under the benchmark of about 40 a year per 10,000 adult women. A division without a MARAC
(C) has its referrals recorded with no MARAC and no meeting, as the service records them. The
two MARACs meet (A fortnightly, B every four weeks) with the agencies present; each referral is
heard at the first meeting at least three days after it, with one to three actions owned by an
agency, most done by their due date.
"""
from __future__ import annotations

import json
from bisect import bisect_left
from collections import defaultdict
from datetime import date, datetime, timedelta

from beacon.cases.domestic_abuse import rules as da_rules
from beacon.cases.domestic_abuse.instrument import LEVELS
from beacon.demo import safeguarding_texts as T
from beacon.demo.episodes import LONDON, UTC
from beacon.demo.safeguarding import (
    MARAC_EVERY,
    REFER_ESCALATION,
    REFER_HIGH,
    REFER_REPEAT,
    SafeguardingMaker,
)


def plan_referrals(m: SafeguardingMaker) -> None:
    """Referrals in incident order, each on the criteria ``service.criteria_for`` gives."""
    rng = m.rng
    threshold = int(m.settings["da.marac_escalation_callouts"])
    times = {pid: sorted(ts) for pid, ts in m.victim_times.items()}
    last_referral: dict[tuple[int, int | None], list[datetime]] = defaultdict(list)
    for f in sorted(m.forms, key=lambda f: (f["_incident"]["received_at"], f["id"])):
        at = f["_incident"]["received_at"]
        history = times.get(f["victim_id"], [])
        before = history[:bisect_left(history, at)]
        callouts = da_rules.callouts_in_window(before[-40:], at)
        pair = last_referral[(f["victim_id"], f["perpetrator_id"])]
        prior = [t for t in pair if t <= at]
        raised = f["judged_level"] is not None and LEVELS.index(f["final_level"]) > LEVELS.index(f["computed_level"])
        met = da_rules.marac_criteria(level=f["final_level"], judged_raised=raised, callouts_12m=callouts,
                                      escalation_threshold=threshold,
                                      last_referral_at=max(prior) if prior else None, incident_at=at)
        f["_criteria"] = met
        if not met or f["reviewed_at"] is None or f.get("_no_referral"):
            continue
        if f.get("_refer"):
            chance = 1.0
        elif "visible_high_risk" in met or "professional_judgement" in met:
            chance = REFER_HIGH[f["_division"]]
        else:
            chance = REFER_REPEAT if "repeat" in met else REFER_ESCALATION
        if rng.random() >= chance:
            continue
        referred = m.past(f["reviewed_at"] + timedelta(minutes=rng.randint(5, 90)))
        if referred is None:
            continue
        marac = m.marac.get(f["_division"])
        m.marac_referrals.append({
            "risk_form_id": None, "victim_id": f["victim_id"], "perpetrator_id": f["perpetrator_id"],
            "division_id": f["division_id"], "marac_id": marac["id"] if marac else None,
            "criteria": json.dumps(met), "is_repeat": "repeat" in met, "referred_at": referred,
            "referred_by": f["reviewed_by"], "meeting_id": None, "_form": f})
        pair.append(referred)


def plan_meetings(m: SafeguardingMaker, until: date) -> None:
    """Each MARAC's meetings from April 2006 to ``until`` (A fortnightly, B four-weekly)."""
    for code, every in MARAC_EVERY.items():
        marac = m.marac[code]
        day = date(2006, 4, 6) + timedelta(days=7 * (code == "B"))
        held = []
        while day <= until:
            held.append(day)
            day += timedelta(days=every)
        add_meetings(m, code, marac, held)


def add_meetings(m: SafeguardingMaker, code: str, marac: dict, held: list[date]) -> None:
    """Meetings of ``marac`` on the days ``held`` (those not after ``now``), with the agencies present."""
    rng = m.rng
    las = [m.la_names[la] for la in m.division_las[code]]
    for day in held:
        if m.past(day) is None:
            continue
        present = list(T.MARAC_AGENCIES) + [f"{la} Children's Social Care" for la in las]
        present += rng.sample(T.MARAC_OCCASIONAL, rng.randint(0, 2))
        m.meetings.append({"marac_id": marac["id"], "held_on": day, "agencies_present": json.dumps(present),
                          "_division": code})


def hear_referrals(m: SafeguardingMaker) -> None:
    """Each referral to a MARAC heard at its first meeting at least three days later, with actions."""
    rng = m.rng
    by_marac: dict[int, list[dict]] = defaultdict(list)
    for meeting in m.meetings:
        by_marac[meeting["marac_id"]].append(meeting)
    for r in m.marac_referrals:
        if r["marac_id"] is None or r["_form"].get("_unheard"):
            continue
        ready = r["referred_at"].astimezone(LONDON).date() + timedelta(days=3)
        meeting = next((x for x in by_marac[r["marac_id"]] if x["held_on"] >= ready), None)
        if meeting is None:
            continue
        r["_meeting"] = meeting
        csc = m.partner[("childrens_social_care", m.la_of_location(r["_form"]["_household"].home))]["name"]
        for text, owner in rng.sample(T.MARAC_ACTIONS, rng.randint(1, 3)):
            due = meeting["held_on"] + timedelta(days=rng.choice((7, 14, 14, 28)))
            roll = rng.random()
            if roll < 0.82:
                done = due - timedelta(days=rng.randint(0, (due - meeting["held_on"]).days - 1))
            elif roll < 0.96:
                done = due + timedelta(days=rng.randint(1, 21))
            else:
                done = None
            done_at = (datetime(done.year, done.month, done.day, rng.randint(9, 16), rng.randrange(60),
                                tzinfo=LONDON).astimezone(UTC) if done else None)
            m.actions.append({"meeting_id": None, "referral_id": None, "text": text,
                                 "owner_agency": owner.format(csc=csc), "due_on": due,
                                 "done_at": m.past(done_at), "_meeting": meeting, "_referral": r})
