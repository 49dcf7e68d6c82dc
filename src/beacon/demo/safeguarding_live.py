"""Domestic abuse and child protection records open at ``now``, so every screen has work on it:
new risk forms in each division's DVO queue (on the force's current instrument, setting
``da.instrument``), high-risk victims referred to MARAC (heard at a meeting in the last fortnight
in A and B; in C recorded with no MARAC), children's referrals awaiting acknowledgement and one
overdue, an open child protection case, children taken into police protection (one not yet
reviewed by a designated officer), three logs in the last 30 days that the closure audit should
find, and each LSCB's latest meeting."""
from __future__ import annotations

import json
from datetime import date, timedelta

from beacon.cases.domestic_abuse.instrument import instruments, level, score
from beacon.demo import safeguarding_marac as marac
from beacon.demo import safeguarding_texts as T
from beacon.demo.episodes import LONDON, minute
from beacon.demo.safeguarding import SafeguardingMaker
from beacon.demo.safeguarding_children import ChildrenMaker

# (division, days before now, tier 0-2, children, state): new (unreviewed), reviewed, referred
# (to MARAC, not yet heard), heard (at the MARAC meeting of the last fortnight)
LIVE_DOMESTIC = (
    ("A", 18, 2, 2, "heard"), ("A", 11, 2, 0, "heard"), ("B", 16, 2, 1, "heard"), ("B", 9, 2, 1, "referred"),
    ("C", 12, 2, 1, "referred"), ("A", 6, 1, 1, "reviewed"), ("B", 5, 0, 0, "reviewed"),
    ("A", 1.5, 2, 0, "new"), ("A", 0.4, 0, 2, "new"), ("B", 2.5, 1, 3, "new"), ("B", 0.8, 0, 0, "new"),
    ("C", 3.2, 2, 2, "new"), ("C", 1.1, 1, 1, "new"), ("C", 0.45, 0, 0, "new"),
)
MEETING_DAYS_AGO = {"A": 4, "B": 2}
# (division, days before now, concern kind, acknowledgement roll: 0 never, 0.5 in time)
LIVE_CONCERNS = (("A", 0.6, "physical", 0.5), ("C", 3, "neglect", 0.0), ("B", 5, "physical", 0.5))


def plan_live_incidents(m: SafeguardingMaker, kids: ChildrenMaker) -> None:
    """Logs, households and forms near ``now`` (reviews and referrals follow the year's)."""
    rng, now = m.rng, m.now
    today = now.astimezone(LONDON).date()
    current = instruments()[str(m.settings["da.instrument"])]
    for division, days, tier, children, state in LIVE_DOMESTIC:
        h = m.household(division, today, children=children)
        received = minute(now - timedelta(days=days, minutes=rng.randint(0, 30)))
        form = m.domestic_incident(h, received, 0, instrument=current, tier=tier)
        if state in ("heard", "referred"):
            _make_high(m, form, current, h)
        form["_live"] = state
        form["_refer"] = state in ("heard", "referred")
        form["_unheard"] = state == "referred"
        form["_no_referral"] = state not in ("heard", "referred")
        form["_incident"]["_work"] = "open" if state == "new" else "in_progress"
        if state != "new":
            m.review(form, form["completed_at"] + timedelta(hours=rng.uniform(3, 20)), rng.choice(T.REVIEW_NOTES))
    for division, days, kind, roll in LIVE_CONCERNS:
        concern = next(k for k in T.CHILD_CONCERNS if k[0] == kind)
        inc = kids.concern_incident(concern, minute(now - timedelta(days=days)), None, division=division)
        inc["_work"] = "open" if days < 1 else "in_progress"
        for r in m.child_referrals:
            if r["_incident"] is inc:
                r["_live"] = roll
    # logs closed otherwise in the last 30 days that the closure audit should find
    opening, closing, text = T.MISCLOSED_DOMESTIC_WORDS[0]
    m.incident("misclosed_domestic", minute(now - timedelta(days=8, hours=3)), m.home("A"), "A", opening, closing,
               text, [])
    opening, closing, text = T.MISCLOSED_CHILD_WORDS[0]
    m.incident("misclosed_child", minute(now - timedelta(days=20, hours=5)), m.home("C"), "C", opening, closing,
               text, [])
    known = next(f for f in m.forms if f["_division"] == "B" and f["instrument_id"] != current.id)
    opening, closing, text = T.MISCLOSED_DOMESTIC_QUIET[0]
    m.incident("misclosed_domestic", minute(now - timedelta(days=14, hours=1)), known["_incident"]["location_id"],
               "B", opening, closing, text, [(known["victim_id"], "victim")])


def _make_high(m: SafeguardingMaker, form: dict, inst, h) -> None:
    """Answer again until the score alone gives high (a victim the DVO refers on visible high risk)."""
    while form["computed_level"] != "high":
        answers = m.answers(inst, 2, h, 0)
        sc = score(inst, answers)
        form.update(answers=json.dumps(answers, sort_keys=True), score=sc.value, computed_level=level(inst, sc),
                    final_level=level(inst, sc))


def plan_live_meetings(m: SafeguardingMaker) -> None:
    today = m.now.astimezone(LONDON).date()
    for code, days in MEETING_DAYS_AGO.items():
        marac.add_meetings(m, code, m.marac[code], [today - timedelta(days=days)])


def plan_live_children(m: SafeguardingMaker, kids: ChildrenMaker) -> None:
    """Acknowledgements of the live referrals, an open case, police protection, the LSCBs' latest meetings."""
    rng, now = m.rng, m.now
    for r in m.child_referrals:
        if r["_form"] is not None and r["_form"].get("_live"):
            days = (now - r["sent_at"]).total_seconds() / 86400
            r["_live"] = 0.0 if r["_division"] == "C" and days > 3 else 0.5
    for r in m.child_referrals:
        if "_live" in r:
            kids.acknowledge(r, r["_live"])
    b = next(r for r in m.child_referrals if r.get("_live") == 0.5 and r["_kind"] and r["_division"] == "B")
    case = kids.case(b, "physical", ["serious-physical-injury", "offence-against-child"], {"unexplained-injury"},
                     b["acknowledged_at"] + timedelta(hours=2), live=True, joint=True)
    inc = b["_incident"]
    kids.protection(b["child_id"], case, inc["received_at"] + timedelta(minutes=70), "B", reviewed=True,
                    officer_named=True)
    c = next(r for r in m.child_referrals if r.get("_live") == 0.0 and r["_kind"])
    kids.protection(c["child_id"], None, c["_incident"]["received_at"] + timedelta(minutes=50), "C", reviewed=False,
                    officer_named=True)
    today = now.astimezone(LONDON).date()
    boards = [p for p in m.geo.partner_bodies if p["kind"] == "lscb"]
    for k, board in enumerate(boards):
        day: date = today - timedelta(days=10 + 17 * k + rng.randint(0, 6))
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        kids.lscb(board, day, attended=k != 3)


__all__ = ["LIVE_DOMESTIC", "plan_live_children", "plan_live_incidents", "plan_live_meetings"]
