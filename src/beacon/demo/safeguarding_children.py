"""Child protection for the synthetic Gwent, April 2006 to March 2007 (with
:mod:`beacon.demo.safeguarding`, which plans the domestic abuse side and owns the rows).

* 360 logs closed as child protection, each child referred to the children's social care of the
  local authority where the child lives; every child in a domestic abuse household referred
  when the risk form is completed (one referral per child, as ``cases.child_protection.referrals.refer_household`` makes
  them). The acknowledgement is due by the end of the next working day
  (``clocks.referral_acknowledgement_due``); about 86% are acknowledged in time, 11% late and
  3% never (escalated the morning after they fell due), with outcomes.
* Child protection cases for about 300 child-protection referrals and for children in some
  high-risk domestic abuse households: the strategy discussion, the agreed joint-investigation
  criteria met (``agreements/gwent-2007.yaml``), the decision and who investigated. Divisions A
  and B follow the criteria in about 95% of cases; **division C** decides a single-agency
  enquiry by a uniformed officer in about 45% of cases where the criteria call for a joint
  investigation (HMIC: "investigated by a specialist together with other agencies, may
  elsewhere be investigated by a uniformed constable"). Section 47 enquiries, conferences,
  core groups and reviews mostly within the Working Together limits, some late.
* Decisions with the agreed risk factors: about a third record only some of the factors as
  considered, and some discount a factor without a reason (HMIC: "no formal process for
  identifying whether all or some of the risk factors have been considered").
* Children taken into police protection (about 20), a quarter without the designated officer's
  review; LSCB meetings for the five boards, roughly quarterly, four of them with no police
  representative ("some meetings had no police representation").
"""
from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

from beacon.cases.child_protection import clocks
from beacon.cases.child_protection.agreement import agreement
from beacon.cases.incidents.models import CHILD_PROTECTION
from beacon.demo import names
from beacon.demo import safeguarding_texts as T
from beacon.demo.episodes import LONDON, UTC, YEAR_DAYS, minute
from beacon.demo.safeguarding import (
    CHILD_PROTECTION_INCIDENTS,
    SafeguardingMaker,
    _number,
)
from beacon.rules.clocks import add_working_days

ACK_LATE, ACK_NEVER = 0.11, 0.03
CASE_FROM_CONCERN = 0.80
CASE_FROM_HIGH_RISK_FORM = 0.08
CONSISTENT = {"A": 0.97, "B": 0.95, "C": 0.55}   # share of decisions that follow the agreed criteria
INCOMPLETE_FACTORS = {"A": 0.25, "B": 0.33, "C": 0.45}
UNREASONED_DISCOUNT = 0.15
POLICE_PROTECTIONS = 21
LSCB_UNATTENDED = 4


class ChildrenMaker:
    def __init__(self, m: SafeguardingMaker):
        self.m, self.rng = m, m.rng
        self.agreement = agreement()
        self.due_cache: dict[date, datetime] = {}
        self.social_workers: dict[int, list[str]] = {}
        for la_id, la in m.la_names.items():
            self.social_workers[la_id] = [f"{names.forename(self.rng, g)} {names.surname(self.rng)}, {la} duty team"
                                          for g in ("female", "female", "male")]
        self.cais = {c: m.wf.post(c, "Child abuse investigator") for c in m.codes}
        self.ppu_sergeants = {c: m.wf.post(c, "Public protection sergeant") for c in m.codes}
        self.sergeants = {c: m.wf.post(c, "Response sergeant") for c in m.codes}
        self.inspectors = {c: m.wf.post(c, "Response inspector") for c in m.codes}

    # --- child-protection logs and referrals ------------------------------------------------------

    def plan_incidents(self) -> None:
        m, rng = self.m, self.rng
        kinds = T.CHILD_CONCERNS
        with_children = [h for h in m.households if h.children]
        for _ in range(CHILD_PROTECTION_INCIDENTS):
            kind = rng.choices(kinds, [k[1] for k in kinds])[0]
            received = m.local_time(rng.randrange(YEAR_DAYS))
            self.concern_incident(kind, received, rng.random() < 0.15 and with_children)

    def concern_incident(self, kind: tuple, received: datetime, households, division: str | None = None,
                         officer: str | None = None) -> dict:
        m, rng = self.m, self.rng
        on = received.astimezone(LONDON).date()
        if households:   # a household already known for domestic abuse
            h = rng.choice(households)
            home, division, parent = h.home, h.division, h.victim
            children = h.children[:rng.randint(1, len(h.children))]
        else:
            division = division or rng.choices(m.codes, cum_weights=m.division_cum)[0]
            home = m.home(division)
            parent, _ = m.person("female" if rng.random() < 0.8 else "male", m.dob(on, 19, 45), home)
            surname = m.person_row(parent)["surname"]
            children = [m.person(names.gender(rng), m.child_dob(on), home, surname=surname)[0]
                        for _ in range(rng.choices((1, 2, 3), (60, 30, 10))[0])]
        people = [(c, "child") for c in children] + [(parent, "other")]
        _, _, _, _, opening, narrative, concern = kind
        inc = m.incident(CHILD_PROTECTION, received, home, division, opening, CHILD_PROTECTION, narrative, people)
        inc["_concern"] = kind
        created = inc["closed_at"] + timedelta(minutes=rng.randint(30, 240))
        by = officer or m.officer(division)
        for child in children:
            self.referral(child, division, home, None, inc, concern, created, by, kind)
        return inc

    def referral(self, child: int, division: str, home: int, form: dict | None, inc: dict, concern: str,
                 at: datetime, by: str, kind: tuple | None) -> dict:
        m = self.m
        partner = m.partner[("childrens_social_care", m.la_of_location(home))]
        row = {"child_id": child, "division_id": m.geo.division_ids[division], "partner_id": partner["id"],
               "risk_form_id": None, "incident_id": None, "concern": concern, "created_at": at, "created_by": by,
               "delivery": "delivered", "delivery_error": "", "sent_at": at, "due_at": self.due(at),
               "acknowledged_at": None, "acknowledged_by": "", "escalated_at": None, "outcome": "",
               "outcome_at": None, "version": 1, "_form": form, "_incident": inc, "_kind": kind,
               "_division": division, "_la": partner["local_authority_id"]}
        m.child_referrals.append(row)
        return row

    def due(self, sent: datetime) -> datetime:
        day = sent.astimezone(LONDON).date()
        if day not in self.due_cache:
            self.due_cache[day] = clocks.referral_acknowledgement_due(sent)
        return self.due_cache[day]

    def refer_form_children(self) -> None:
        m = self.m
        for f in m.forms:
            h = f["_household"]
            if not h.children or f.get("_no_children_referral"):
                continue
            n = len(h.children)
            where = f"domestic abuse risk form {{form}}, {f['computed_level']} risk"
            for child in h.children:
                concern = (f"Child living in the household of {h.victim_name}, where domestic abuse happened: {where}. "
                           f"{n} child{'ren' if n != 1 else ''} in the household.")
                self.referral(child, h.division, h.home, f, f["_incident"], concern, f["completed_at"],
                              f["completed_by"], None)

    def acknowledge(self, r: dict, roll: float) -> None:
        """In time, late or never (then escalated), by ``roll``; outcomes for those acknowledged."""
        m, rng = self.m, self.rng
        sent, due = r["sent_at"], r["due_at"]
        if roll < ACK_NEVER:
            r["escalated_at"] = m.past(minute(due + timedelta(hours=rng.uniform(8, 11))))
            return
        if roll < ACK_NEVER + ACK_LATE:
            at = due + timedelta(hours=rng.uniform(2, 24 * 6))
        else:
            at = sent + (due - sent) * (rng.random() ** 1.5) * 0.95
            at = max(at, sent + timedelta(minutes=20))
        at = m.past(minute(at))
        if at is None:
            if due < m.now:
                r["escalated_at"] = m.past(minute(due + timedelta(hours=9)))
            return
        if at > due:
            r["escalated_at"] = minute(due + timedelta(hours=9)) if due + timedelta(hours=9) < at else None
        r["acknowledged_at"] = at
        r["acknowledged_by"] = rng.choice(self.social_workers[r["_la"]])
        options = T.OUTCOMES_CONCERN if r["_kind"] else T.OUTCOMES_DA
        r["outcome"] = rng.choices([o for o, _ in options], [w for _, w in options])[0]
        r["outcome_at"] = m.past(at + timedelta(hours=rng.uniform(0, 48))) if rng.random() < 0.6 else at

    def acknowledge_year(self) -> None:
        for r in self.m.child_referrals:
            if "_live" not in r:
                self.acknowledge(r, self.rng.random())

    # --- cases and decisions --------------------------------------------------------------------------

    def plan_cases(self) -> None:
        m, rng = self.m, self.rng
        for r in m.child_referrals:
            if "_live" in r or r["acknowledged_at"] is None:
                continue
            if r["_kind"]:
                if rng.random() >= CASE_FROM_CONCERN:
                    continue
                kind, criteria_odds, present = r["_kind"][0], r["_kind"][2], set(r["_kind"][3])
                met = {c for c, p in criteria_odds if rng.random() < p}
            else:
                form = r["_form"]
                if form["final_level"] != "high" or rng.random() >= CASE_FROM_HIGH_RISK_FORM:
                    continue
                kind, met, present = "domestic", {"high-risk-domestic-abuse"}, {"domestic-abuse-household"}
            r["outcome"], r["outcome_at"] = T.OUTCOME_CASE, r["acknowledged_at"]
            opened = r["acknowledged_at"] + timedelta(minutes=rng.randint(20, 600))
            self.case(r, kind, [c for c in self.agreement.criteria_ids if c in met], present, opened)

    def case(self, r: dict, kind: str, met: list[str], present: set[str], opened: datetime,
             live: bool = False, joint: bool | None = None) -> dict:
        m, rng = self.m, self.rng
        division = r["_division"]
        required = bool(met)
        if joint is None:
            consistent = rng.random() < (CONSISTENT[division] if required else 0.99)
            joint = required == consistent
        if joint:
            by = "specialist"
        elif required:
            by = "uniform" if rng.random() < 0.85 else "specialist"
        else:
            by = "uniform" if rng.random() < 0.7 else "specialist"
        concern = r["concern"] if r["_kind"] else T.DA_CASE_CONCERN
        day = opened.astimezone(LONDON).date()
        strategy = (m.past(add_working_days(day, rng.choice((0, 1, 1, 2)))) if required or rng.random() < 0.4
                    else None)
        row = {"child_id": r["child_id"], "division_id": r["division_id"], "referral_id": None, "opened_at": opened,
               "concern": concern, "strategy_discussion_on": strategy, "joint_investigation": joint,
               "joint_criteria_met": json.dumps(met), "investigated_by": by, "s47_started_on": None,
               "initial_conference_on": None, "first_review_on": None, "last_review_on": None,
               "core_group_on": None, "status": "open" if live else "closed", "version": 1,
               "_referral": r, "_division": division}
        m.cases.append(row)
        if strategy and not live and rng.random() < 0.75:
            self.conferences(row, strategy)
        for k, (text, at) in enumerate(self.decision_texts(row, met, joint, by, kind)):
            if m.past(at) is not None:
                self.decision(row, text, at, present, by, first=k == 0)
        return row

    def conferences(self, row: dict, strategy: date) -> None:
        m, rng = self.m, self.rng
        row["s47_started_on"] = strategy
        if rng.random() >= 0.6:
            return
        due = clocks.initial_conference_due(strategy)
        conference = (due + timedelta(days=rng.randint(2, 15)) if rng.random() < 0.14
                      else add_working_days(strategy, rng.randint(6, 15)))
        row["initial_conference_on"] = m.past(conference)
        if row["initial_conference_on"] is None:
            return
        core_due = clocks.core_group_due(conference)
        core = (core_due + timedelta(days=rng.randint(1, 10)) if rng.random() < 0.12
                else add_working_days(conference, rng.randint(3, 10)))
        row["core_group_on"] = m.past(core)
        if rng.random() < 0.7:   # the plan continues to a first review
            first_due = clocks.first_review_due(conference)
            first = (first_due + timedelta(days=rng.randint(3, 30)) if rng.random() < 0.1
                     else first_due - timedelta(days=rng.randint(0, 20)))
            row["first_review_on"] = m.past(first)
            if row["first_review_on"] and rng.random() < 0.5:
                nxt = clocks.next_review_due(first) - timedelta(days=rng.randint(0, 25))
                row["last_review_on"] = m.past(nxt)
            row["last_review_on"] = row["last_review_on"] or row["first_review_on"]

    def decision_texts(self, row: dict, met: list[str], joint: bool, by: str, kind: str):
        rng = self.rng
        at = row["opened_at"] + timedelta(hours=rng.uniform(2, 30))
        if row["strategy_discussion_on"]:
            at = datetime.combine(row["strategy_discussion_on"], time(rng.randint(9, 16), rng.randrange(60)),
                                  tzinfo=LONDON).astimezone(UTC)
        who = "a specialist child abuse investigator" if by == "specialist" else "a uniformed officer"
        criteria = ", ".join(self.agreement.criterion_text(c) for c in met) if met else "none"
        first = (f"{'Joint' if joint else 'Single-agency'} investigation, by {who}.\nCriteria met: {criteria}.")
        out = [(first, at)]
        if row["initial_conference_on"]:
            category = {"sexual": "sexual abuse", "physical": "physical abuse", "neglect": "neglect",
                        "left_alone": "neglect"}.get(kind, rng.choice(T.CONFERENCE_CATEGORIES))
            out.append((f"Initial child protection conference: the child is made the subject of a child protection "
                        f"plan (category: {category}).",
                        datetime.combine(row["initial_conference_on"], time(11, 0), tzinfo=LONDON).astimezone(UTC)))
        elif row["s47_started_on"]:
            out.append(("Section 47 enquiries complete: concerns not substantiated; no further police action.",
                        at + timedelta(days=rng.randint(5, 20))))
        return out

    def decision(self, row: dict, text: str, at: datetime, present: set[str], by: str, first: bool) -> None:
        m, rng = self.m, self.rng
        division = row["_division"]
        present = set(present)
        for factor, chance in (("previous-referrals", 0.3), ("parental-mental-health", 0.15),
                               ("disability", 0.06), ("previous-protection-plan", 0.08), ("missing-episodes", 0.05)):
            if rng.random() < chance:
                present.add(factor)
        child = m.person_row(row["child_id"])
        if child["date_of_birth"] and (at.date() - child["date_of_birth"]).days < 730:
            present.add("age-under-two")
        factors = {}
        for factor in self.agreement.factor_ids:
            discounted = factor in present and factor in T.DISCOUNT_REASONS and rng.random() < 0.2
            reason = T.DISCOUNT_REASONS.get(factor, "") if discounted else ""
            if discounted and rng.random() < UNREASONED_DISCOUNT:
                reason = ""
            factors[factor] = {"considered": True, "present": factor in present, "discounted": discounted,
                               "reason": reason}
        if rng.random() < INCOMPLETE_FACTORS[division]:   # only the factors that struck the officer
            keep = set(rng.sample(self.agreement.factor_ids, rng.randint(2, 8))) | present
            factors = {f: v for f, v in factors.items() if f in keep}
        staff = (self.cais if by == "specialist" else self.sergeants)[division]
        if not first:
            staff = self.ppu_sergeants[division]
        m.decisions.append({"case_id": None, "decision": text, "factors": json.dumps(factors),
                            "decided_by": m.display(rng.choice(staff)), "decided_at": minute(at), "_case": row})

    # --- police protection, LSCBs -----------------------------------------------------------------------

    def plan_protection(self) -> None:
        m, rng = self.m, self.rng
        pool = [c for c in m.cases if c["status"] == "closed" and c["_referral"]["_kind"]
                and c["_referral"]["_kind"][0] in ("neglect", "left_alone", "physical", "conflict")]
        for k, case in enumerate(rng.sample(pool, min(POLICE_PROTECTIONS, len(pool)))):
            inc = case["_referral"]["_incident"]
            self.protection(case["child_id"], case, inc["received_at"] + timedelta(minutes=rng.randint(30, 180)),
                            case["_division"], reviewed=k % 4 != 0, officer_named=k % 8 != 0)

    def protection(self, child: int, case: dict | None, taken: datetime, division: str, reviewed: bool,
                   officer_named: bool) -> None:
        m, rng = self.m, self.rng
        designated = rng.choice(self.inspectors[division]) if officer_named else None
        review = (taken + timedelta(minutes=rng.randint(45, 8 * 60))) if reviewed and designated else None
        m.protections.append({"child_id": child, "case_id": None, "taken_at": minute(taken),
                              "taken_by": m.officer(division), "designated_officer_id": designated,
                              "designated_review_at": m.past(minute(review)) if review else None,
                              "notes": rng.choice(T.PROTECTION_NOTES), "_case": case})

    def plan_lscb(self) -> None:
        m, rng = self.m, self.rng
        boards = [p for p in m.geo.partner_bodies if p["kind"] == "lscb"]
        meetings = []
        for k, board in enumerate(boards):
            for month in (5, 8, 11, 2):
                year = 2007 if month < 4 else 2006
                day = date(year, month, 1) + timedelta(days=(k * 5 + rng.randint(0, 12)))
                while day.weekday() >= 5:
                    day += timedelta(days=1)
                meetings.append((day, board))
        missed = set(rng.sample(range(len(meetings)), LSCB_UNATTENDED))
        for i, (day, board) in enumerate(meetings):
            self.lscb(board, day, i not in missed)

    def lscb(self, board: dict, day: date, attended: bool) -> None:
        m, rng = self.m, self.rng
        if m.past(day) is None:
            return
        division = next(c for c in m.codes if board["local_authority_id"] in m.division_las[c])
        if attended:
            role = "Divisional crime manager" if rng.random() < 0.8 else "Public protection unit manager"
            attendee = m.display(m.wf.post(division, role)[0])
        m.lscb_meetings.append({"lscb_id": board["id"], "held_on": day, "police_attended": attended,
                                "attendee": attendee if attended else ""})

    # --- ids ------------------------------------------------------------------------------------------

    def finish(self) -> None:
        m = self.m
        _number(m.child_referrals, "created_at")
        for r in m.child_referrals:
            r["risk_form_id"] = r["_form"]["id"] if r["_form"] else None
            if r["_form"]:
                r["concern"] = r["concern"].replace("{form}", str(r["_form"]["id"]))
            r["incident_id"] = r["_incident"]["id"] if r["_incident"] else None
        _number(m.cases, "opened_at")
        for c in m.cases:
            c["referral_id"] = c["_referral"]["id"]
            for held in dict.fromkeys(d for d in (c["first_review_on"], c["last_review_on"]) if d is not None):
                m.case_reviews.append({"id": len(m.case_reviews) + 1, "case_id": c["id"], "held_on": held,
                                       "recorded_at": datetime.combine(held, time(17, 0), tzinfo=LONDON)
                                       .astimezone(UTC), "recorded_by": m.ppu_users[c["_division"]]})
        _number(m.decisions, "decided_at")
        for d in m.decisions:
            d["case_id"] = d["_case"]["id"]
        _number(m.protections, "taken_at")
        for p in m.protections:
            p["case_id"] = p["_case"]["id"] if p["_case"] else None
        _number(m.lscb_meetings, "held_on")

