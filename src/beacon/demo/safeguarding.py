"""Domestic abuse and child protection for the synthetic Gwent, April 2006 to March 2007, and a
handful of live records near ``now`` (issue 4, item 8).

What is planned (in memory, from the build's ``random.Random``; written by ``beacon.demo.build``):

* Command-and-control logs: **9,000 closed as domestic** and **360 as child protection**, by
  division in proportion to population (victims and households are placed by ward population),
  each with its people (victim, suspect, children), the public protection unit's work item and
  the address warning the closure rule creates. 6,450 victims: 5,000 have one incident in the
  year, the rest 2 to 12, mostly at the same address, so repeat victims (about 44% of the
  incidents) and repeat addresses are in the data. Plus 90 logs closed with other codes that the
  closure audit should find (domestic or child words in the narrative, a person with a domestic
  history, an address with a warning) and 500 ordinary logs with no signal.
* A risk form for every domestic log, on the force's form of the time (``gwent-dv1-2007``),
  answered plausibly (children in the household, previous call-outs and pregnancy follow the
  household) and scored with the instrument's own functions; the DVO's review, mostly within a
  few days; a few raises by professional judgement, with reasons (never a lowering).
* **The backlog the report found**: as at 31 March 2007, 451 forms completed since 1 December
  2006 and not reviewed, all in divisions B and C (187 and 264); 90% are reviewed between April
  and June 2007, the rest never. Division A's DVOs keep up, so A has none.
* MARAC (:mod:`beacon.demo.safeguarding_marac`): referrals on the published criteria, computed
  as ``domestic_abuse.service.criteria_for`` computes them (visible high risk, professional
  judgement, potential escalation at the force's call-out threshold, repeat), made when the DVO
  reviews the form; meetings only where
  the division has a MARAC (A fortnightly, B monthly) with the agencies present and actions with
  owners. Division C has no MARAC: its referrals are recorded, as the service records them, with
  no MARAC and no meeting.
* Children: :mod:`beacon.demo.safeguarding_children` (referrals, cases, decisions, police
  protection, LSCB meetings); live records: :mod:`beacon.demo.safeguarding_live`; texts:
  :mod:`beacon.demo.safeguarding_texts`.

Assumptions (not in the report): the volume of domestic logs (9,000, about 16 per 1,000
residents; the report gives no count: chosen so that the 450 backlog is about a fifth of the two
divisions' December to March forms), the repeat pattern, the share of households with children
(45%), the review delays, the referral rates and the meeting frequencies; docs/demo-data.md lists
every figure and says which come from the report. The DV1 file is an illustrative stand-in
(``effective_from`` December 2006, when the report says the backlog began); the demo records
the whole year on it, since no earlier form is held as data.
"""
from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate

from beacon.cases.domestic_abuse import rules as da_rules
from beacon.cases.domestic_abuse.instrument import LEVELS, instruments, level, score
from beacon.cases.incidents.models import CHILD_PROTECTION, DOMESTIC
from beacon.cases.incidents.service import warning_reason
from beacon.demo import names
from beacon.demo import safeguarding_texts as T
from beacon.demo.episodes import (
    HOUR_WEIGHTS,
    LONDON,
    UTC,
    YEAR_DAYS,
    YEAR_END_UTC,
    YEAR_START,
    counts_with_total,
    minute,
    years_before,
)
from beacon.demo.places import DIVISIONS, Addresses, Geography
from beacon.demo.workforce import Workforce
from beacon.people.models import normalise

INSTRUMENT_2007 = "gwent-dv1-2007"
DOMESTIC_INCIDENTS = 9_000
# (victims, fewest, most, incidents): 6,450 victims, 9,000 incidents
VICTIM_GROUPS = ((5_000, 1, 1, 5_000), (900, 2, 2, 1_800), (350, 3, 3, 1_050), (170, 4, 6, 850), (30, 7, 12, 300))
CHILD_PROTECTION_INCIDENTS = 360
CHILDREN_SHARE = 0.45           # domestic households with children
BACKLOG = {"B": 187, "C": 264}  # "a backlog of approximately 450 cases" in "just two divisions"
BACKLOG_AS_OF = YEAR_END_UTC    # the end of 31 March 2007
BACKLOG_FROM = datetime(2006, 12, 1, tzinfo=LONDON).astimezone(UTC)   # "dating back to December 2006"
BACKLOG_CLEARED_BY = datetime(2007, 6, 30, 17, tzinfo=LONDON).astimezone(UTC)
BACKLOG_NEVER_SHARE = 0.10
RAISE_SHARE = 0.03
REFER_HIGH = {"A": 0.70, "B": 0.65, "C": 0.60}   # high-risk forms the DVO refers
REFER_REPEAT, REFER_ESCALATION = 0.60, 0.20     # forms meeting only the repeat / escalation criteria
MISCLOSED = {"words": 30, "person": 25, "address": 15, "child": 20}
BACKGROUND_LOGS = 500
MARAC_EVERY = {"A": 14, "B": 28}   # days between meetings (A fortnightly, B four-weekly)

# DV1 questions: chance of "yes" for a low, middling and serious incident (the others follow the household).
DV1_YES = {"injury": (0.15, 0.45, 0.8), "afraid": (0.25, 0.6, 0.95), "separated": (0.2, 0.4, 0.6),
           "escalation": (0.08, 0.4, 0.85), "threats_or_weapons": (0.04, 0.25, 0.75),
           "strangulation": (0.02, 0.15, 0.6), "alcohol_drugs": (0.3, 0.5, 0.75)}
TIERS = (0.6, 0.32, 0.08)
DASH_CHILD_QUESTIONS = ("child_contact_conflict", "children_not_abusers", "abuser_hurt_children",
                        "abuser_threatened_children")


@dataclass
class Household:
    victim: int
    victim_name: str
    division: str
    home: int
    perpetrators: list[int]
    children: list[int] = field(default_factory=list)
    intimate: bool = True


class SafeguardingMaker:
    """Plans the rows; ids are given in time order by :meth:`finish`."""

    def __init__(self, rng: random.Random, geo: Geography, wf: Workforce, addresses: Addresses,
                 staff_users: dict[int, int], settings: dict, now: datetime, first_person_id: int):
        self.rng, self.geo, self.wf, self.addr, self.settings, self.now = rng, geo, wf, addresses, settings, now
        self.staff_users = staff_users
        self.next_person = first_person_id
        self.persons: list[dict] = []
        self.incidents: list[dict] = []
        self.links: list[dict] = []
        self.work_items: list[dict] = []
        self.warnings: list[dict] = []
        self.forms: list[dict] = []
        self.meetings: list[dict] = []
        self.marac_referrals: list[dict] = []
        self.actions: list[dict] = []
        self.child_referrals: list[dict] = []
        self.cases: list[dict] = []
        self.decisions: list[dict] = []
        self.case_reviews: list[dict] = []
        self.protections: list[dict] = []
        self.lscb_meetings: list[dict] = []
        self.households: list[Household] = []
        self.dv1 = instruments()[INSTRUMENT_2007]
        self.codes = [d.code for d in DIVISIONS]
        self.populations = [d.population for d in DIVISIONS]
        self.wards = {c: geo.wards_in(c) for c in self.codes}
        self.ward_cum = {c: list(accumulate(w.population for w in self.wards[c])) for c in self.codes}
        self.la_of_ward = {w["id"]: w["local_authority_id"] for w in geo.wards}
        la_names = {la["id"]: la["name"] for la in geo.local_authorities}
        self.la_names = la_names
        self.partner = {(p["kind"], p["local_authority_id"]): p for p in geo.partner_bodies}
        code_of = {v: k for k, v in geo.division_ids.items()}
        self.marac = {}
        for p in geo.partner_bodies:
            if p["kind"] == "marac":
                division = next(w.division for w in geo.ward_info.values()
                                if self.la_of_ward[w.id] == p["local_authority_id"])
                self.marac[division] = p
        self.division_las = {c: sorted({self.la_of_ward[w.id] for w in self.wards[c]}) for c in self.codes}
        self.code_of = code_of
        self.officers = {c: wf.post(c, "Response officer") + wf.post(c, "Neighbourhood officer") for c in self.codes}
        self.dvos = {c: wf.post(c, "Domestic violence officer") for c in self.codes}
        self.ppu_users = {c: f"ppu.{c.lower()}" for c in self.codes}
        self.victim_times: dict[int, list[datetime]] = defaultdict(list)   # role "victim" on any log
        self.day_cum = list(accumulate(1.35 if (YEAR_START + timedelta(days=i)).weekday() >= 4 else 1.0
                                       for i in range(YEAR_DAYS)))
        self.division_cum = list(accumulate(self.populations))
        self.hour_cum = list(accumulate(HOUR_WEIGHTS))

    # --- helpers ---------------------------------------------------------------------------

    def display(self, staff_id: int) -> str:
        return self.wf.display[staff_id]

    def officer(self, division: str) -> str:
        return self.display(self.rng.choice(self.officers[division]))

    def ward(self, division: str):
        return self.rng.choices(self.wards[division], cum_weights=self.ward_cum[division])[0]

    def home(self, division: str) -> int:
        return self.addr.residential(self.ward(division))

    def division_of_location(self, location_id: int) -> str:
        return self.code_of[self.addr.rows[location_id - 1]["division_id"]]

    def la_of_location(self, location_id: int) -> int:
        return self.la_of_ward[self.addr.rows[location_id - 1]["ward_id"]]

    def past(self, at):
        """``at`` if it has happened by ``now`` (a date or a datetime), else None."""
        if at is None:
            return None
        limit = self.now if isinstance(at, datetime) else self.now.astimezone(LONDON).date()
        return at if at <= limit else None

    def person(self, gender: str, dob: date | None, home: int | None, surname: str | None = None,
               forename: str | None = None) -> tuple[int, str]:
        rng = self.rng
        forename = forename or names.forename(rng, gender if gender in ("male", "female") else names.gender(rng))
        surname = surname or names.surname(rng)
        pid = self.next_person
        self.next_person += 1
        self.persons.append({"id": pid, "forename": forename, "surname": surname, "forename_norm": normalise(forename),
                             "surname_norm": normalise(surname), "date_of_birth": dob, "gender": gender,
                             "home_location_id": home, "version": 1})
        return pid, f"{forename} {surname}"

    def dob(self, on: date, youngest: int, oldest: int) -> date:
        latest = years_before(on, youngest) - timedelta(days=1)
        earliest = years_before(on, oldest + 1) + timedelta(days=1)
        return earliest + timedelta(days=self.rng.randrange((latest - earliest).days + 1))

    def child_dob(self, on: date) -> date:
        earliest = years_before(on, 16)
        return earliest + timedelta(days=self.rng.randrange((on - earliest).days - 60))

    def local_time(self, day: int) -> datetime:
        hour = self.rng.choices(range(24), cum_weights=self.hour_cum)[0]
        local = datetime(YEAR_START.year, YEAR_START.month, YEAR_START.day, hour, self.rng.randrange(60))
        return (local + timedelta(days=day)).replace(tzinfo=LONDON).astimezone(UTC)

    def incident(self, kind: str, received: datetime, location: int | None, division: str, opening: str,
                 closing: str, narrative: str, people: list[tuple[int, str]]) -> dict:
        closed = received + timedelta(minutes=self.rng.randint(35, 300))
        row = {"received_at": minute(received), "closed_at": minute(closed), "opening_code": opening,
               "closing_code": closing, "narrative": narrative, "location_id": location,
               "division_id": self.geo.division_ids[division], "source": "import", "content_hash": "", "version": 1,
               "_kind": kind, "_people": []}
        seen = set()
        for pid, role in people:
            if pid not in seen:
                seen.add(pid)
                row["_people"].append((pid, role))
                if role == "victim":
                    self.victim_times[pid].append(row["received_at"])
        self.incidents.append(row)
        return row

    # --- domestic households and incidents -------------------------------------------------------

    def household(self, division: str, on: date, children: int | None = None) -> Household:
        """A victim, the perpetrator and any children (``children``: how many, or None for the
        usual chance)."""
        rng = self.rng
        home = self.home(division)
        female = rng.random() < 0.85
        age = rng.choices(((18, 29), (30, 44), (45, 70)), (45, 35, 20))[0]
        victim, name = self.person("female" if female else "male", self.dob(on, *age), home)
        intimate = rng.random() < 0.88
        if intimate:
            gender = ("male" if female else "female") if rng.random() < 0.97 else ("female" if female else "male")
            surname = self.persons[-1]["surname"] if rng.random() < 0.35 else None
            perp_age = (max(18, age[0] - 3), age[1] + 5)
        else:  # an adult son or daughter, or a brother
            gender = "male" if rng.random() < 0.75 else "female"
            surname = self.persons[-1]["surname"]
            perp_age = (18, 30) if age[0] >= 45 else (age[0], age[1])
        cohabit = rng.random() < 0.55
        perp_home = home if cohabit else self.home(division)
        perp, _ = self.person(gender, self.dob(on, *perp_age), perp_home, surname=surname)
        h = Household(victim, name, division, home, [perp], intimate=intimate)
        if children is None and intimate and age[0] < 45 and rng.random() < CHILDREN_SHARE / (0.88 * 0.8):
            children = rng.choices((1, 2, 3, 4), (40, 35, 17, 8))[0]
        if children:
            n = children
            family = self.persons[-2]["surname"] if rng.random() < 0.7 else self.persons[-1]["surname"]
            h.children = [self.person(names.gender(rng), self.child_dob(on), home, surname=family)[0] for _ in range(n)]
        self.households.append(h)
        return h

    def plan_domestic(self) -> None:
        rng = self.rng
        counts = [c for n, lo, hi, total in VICTIM_GROUPS for c in counts_with_total(rng, n, lo, hi, total)]
        rng.shuffle(counts)
        for n in counts:
            division = rng.choices(self.codes, cum_weights=self.division_cum)[0]
            if n == 1:
                days = [rng.choices(range(YEAR_DAYS), cum_weights=self.day_cum)[0]]
            else:
                slot = YEAR_DAYS / n
                start = rng.uniform(0, slot * 0.5)
                days = sorted(min(YEAR_DAYS - 1, int(start + k * slot * rng.uniform(0.55, 1.0))) for k in range(n))
            h = self.household(division, YEAR_START + timedelta(days=days[0]))
            switch = len(days) // 2 if len(days) >= 3 and rng.random() < 0.08 else None
            move = len(days) // 2 + 1 if len(days) >= 3 and rng.random() < 0.06 else None
            for k, day in enumerate(days):
                if k == switch:
                    perp, _ = self.person("male" if self.persons_gender(h.victim) == "female" else "female",
                                          self.dob(YEAR_START + timedelta(days=day), 20, 50), self.home(division))
                    h.perpetrators.append(perp)
                if k == move:
                    h.home = self.home(division)
                self.domestic_incident(h, self.local_time(day), k)

    def persons_gender(self, person_id: int) -> str:
        return self.person_row(person_id)["gender"]

    def person_row(self, person_id: int) -> dict:
        return self.persons[person_id - self.persons[0]["id"]]

    def domestic_incident(self, h: Household, received: datetime, k: int, instrument=None,
                          tier: int | None = None, officer: str | None = None) -> dict:
        rng = self.rng
        perp = h.perpetrators[-1]
        people = [(h.victim, "victim"), (perp, "suspect")] + [(c, "child") for c in h.children]
        inc = self.incident(DOMESTIC, received, h.home, h.division, rng.choice(T.DOMESTIC_OPENING), DOMESTIC,
                            rng.choice(T.DOMESTIC_NARRATIVES), people)
        if tier is None:
            boost = min(0.25, 0.05 * k)
            tier = rng.choices((0, 1, 2), (TIERS[0] - boost, TIERS[1], TIERS[2] + boost))[0]
        inst = instrument or self.dv1
        answers = self.answers(inst, tier, h, k)
        sc = score(inst, answers)
        computed = level(inst, sc)
        completed = inc["closed_at"] + timedelta(minutes=rng.randint(10, 180))
        form = {"incident_id": None, "victim_id": h.victim, "perpetrator_id": perp,
                "division_id": self.geo.division_ids[h.division], "instrument_id": inst.id,
                "answers": json.dumps(answers, sort_keys=True), "score": sc.value, "computed_level": computed,
                "judged_level": None, "judgement_reason": "", "final_level": computed,
                "completed_by": officer or self.officer(h.division), "completed_at": completed, "reviewed_by": "",
                "reviewed_at": None, "review_notes": "", "children_in_household": len(h.children),
                "supersedes_id": None, "version": 1, "_incident": inc, "_household": h, "_division": h.division}
        self.forms.append(form)
        return form

    def answers(self, inst, tier: int, h: Household, k: int) -> dict[str, bool]:
        rng = self.rng
        if inst.id == INSTRUMENT_2007:
            out = {q: rng.random() < p[tier] for q, p in DV1_YES.items()}
            out["pregnancy"] = self.persons_gender(h.victim) == "female" and rng.random() < 0.04
            out["children_present"] = bool(h.children)
            out["previous_incidents"] = k > 0 or rng.random() < 0.3
            return out
        p = (0.15, 0.5, 0.72)[tier]
        return {q.id: (bool(h.children) and rng.random() < p) if q.id in DASH_CHILD_QUESTIONS else rng.random() < p
                for q in inst.questions}

    # --- the DVO's review, the backlog, professional judgement -----------------------------------

    def order_forms(self) -> None:
        self.forms.sort(key=lambda f: (f["completed_at"], f["victim_id"]))
        last: dict[int, dict] = {}
        for i, f in enumerate(self.forms, start=1):
            f["id"] = i
            prev = last.get(f["victim_id"])
            f["supersedes_id"] = prev["id"] if prev else None
            f["_superseded_at"] = None
            if prev:
                prev["_superseded_at"] = f["completed_at"]
            last[f["victim_id"]] = f

    def review_year(self) -> None:
        rng = self.rng
        year = [f for f in self.forms if f["completed_at"] < BACKLOG_AS_OF]
        for f in year:
            hours = min(200.0, max(1.5, 26 * math.exp(rng.gauss(0, 0.9))))
            if rng.random() < 0.06:
                hours = rng.uniform(170, 360)   # some late even where the DVOs keep up
            self.review(f, f["completed_at"] + timedelta(minutes=int(hours * 60)), rng.choice(T.REVIEW_NOTES))
        for code, target in BACKLOG.items():
            pool = [f for f in year if f["_division"] == code and f["completed_at"] >= BACKLOG_FROM
                    and (f["_superseded_at"] is None or f["_superseded_at"] > BACKLOG_AS_OF)]
            weights = [1 + 2.5 * (f["completed_at"] - BACKLOG_FROM) / (BACKLOG_AS_OF - BACKLOG_FROM) for f in pool]
            chosen: dict[int, dict] = {}
            while len(chosen) < target:
                f = rng.choices(pool, weights)[0]
                chosen[f["id"]] = f
            for f in sorted(chosen.values(), key=lambda f: f["id"]):
                f["_backlog"] = True
                if rng.random() < BACKLOG_NEVER_SHARE:
                    f["reviewed_at"] = f["reviewed_by"] = None
                    continue
                self.review(f, self.office_hours(date(2007, 4, 2), BACKLOG_CLEARED_BY, rng.random() ** 1.4),
                            rng.choice(T.BACKLOG_REVIEW_NOTES))
        for f in year:   # elsewhere, forms in hand on 31 March are reviewed by the end of the day
            if not f.get("_backlog") and f["reviewed_at"] and f["reviewed_at"] > BACKLOG_AS_OF:
                gap = (BACKLOG_AS_OF - f["completed_at"]).total_seconds()
                f["reviewed_at"] = f["completed_at"] + timedelta(seconds=int(gap * rng.uniform(0.3, 0.95)))
        for f in year:
            if f["reviewed_at"] is None:
                f["reviewed_by"], f["review_notes"] = "", ""
            elif rng.random() < RAISE_SHARE and f["computed_level"] != "high":
                judged = LEVELS[LEVELS.index(f["computed_level"]) + 1]
                reason = rng.choice(T.RAISE_REASONS[judged])
                f["judged_level"], f["judgement_reason"] = judged, reason
                f["final_level"] = da_rules.final_level(f["computed_level"], judged, reason)

    def office_hours(self, first: date, last: datetime, share: float) -> datetime:
        """A weekday time from 09:00 to 17:00 (London), ``share`` of the way from ``first`` to ``last``."""
        end = last.astimezone(LONDON).date()
        day = first + timedelta(days=int((end - first).days * share))
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        local = datetime(day.year, day.month, day.day, self.rng.randint(9, 16), self.rng.randrange(60), tzinfo=LONDON)
        return min(local.astimezone(UTC), last)

    def review(self, f: dict, at: datetime, notes: str) -> None:
        at = self.past(minute(at))
        f["reviewed_at"] = at
        f["reviewed_by"] = self.display(self.rng.choice(self.dvos[f["_division"]])) if at else ""
        f["review_notes"] = notes if at else ""

    # --- logs closed otherwise ----------------------------------------------------------------------

    def plan_misclosed(self) -> None:
        """Logs closed with another code that the closure audit should find, and ordinary logs with
        no signal, in the year."""
        rng = self.rng
        year_forms = [f for f in self.forms if f["instrument_id"] == INSTRUMENT_2007]
        for _ in range(MISCLOSED["words"]):
            division = rng.choices(self.codes, cum_weights=self.division_cum)[0]
            opening, closing, text = rng.choice(T.MISCLOSED_DOMESTIC_WORDS)
            self.incident("misclosed_domestic", self.local_time(rng.randrange(YEAR_DAYS)), self.home(division),
                          division, opening, closing, text, [])
        for kind, n in (("person", MISCLOSED["person"]), ("address", MISCLOSED["address"])):
            for f in rng.sample([f for f in year_forms if f["completed_at"] < datetime(2007, 3, 1, tzinfo=UTC)], n):
                h, inc = f["_household"], f["_incident"]
                later = inc["closed_at"] + timedelta(days=rng.randint(3, 25), minutes=rng.randint(0, 600))
                opening, closing, text = rng.choice(T.MISCLOSED_DOMESTIC_QUIET)
                people = [(h.victim, "victim")] if kind == "person" else []
                self.incident("misclosed_domestic", later, inc["location_id"], h.division, opening, closing, text,
                              people)
        for _ in range(MISCLOSED["child"]):
            division = rng.choices(self.codes, cum_weights=self.division_cum)[0]
            opening, closing, text = rng.choice(T.MISCLOSED_CHILD_WORDS)
            self.incident("misclosed_child", self.local_time(rng.randrange(YEAR_DAYS)), self.home(division),
                          division, opening, closing, text, [])
        public = [r["id"] for r in self.addr.rows if r["kind"] == "public_place"]
        for _ in range(BACKGROUND_LOGS):
            place = rng.choice(public)
            opening, closing, text = rng.choice(T.BACKGROUND)
            self.incident("other", self.local_time(rng.randrange(YEAR_DAYS)), place,
                          self.division_of_location(place), opening, closing, text, [])

    # --- ids, log references, the closure rule --------------------------------------------------------

    def tables(self) -> list[tuple[str, type, list[dict]]]:
        """(label, model, rows) in the order they can be written (after people and locations)."""
        from beacon.models import (
            AddressWarning,
            ChildCase,
            ChildCaseReview,
            ChildDecision,
            ChildReferral,
            Incident,
            IncidentPerson,
            LscbMeeting,
            MaracAction,
            MaracMeeting,
            MaracReferral,
            PoliceProtection,
            RiskForm,
            WorkItem,
        )
        return [("incidents", Incident, clean(self.incidents)), ("incident people", IncidentPerson, self.links),
                ("PPU work items", WorkItem, self.work_items), ("address warnings", AddressWarning, self.warnings),
                ("domestic abuse risk forms", RiskForm, clean(self.forms)),
                ("MARAC meetings", MaracMeeting, clean(self.meetings)),
                ("MARAC referrals", MaracReferral, clean(self.marac_referrals)),
                ("MARAC actions", MaracAction, clean(self.actions)),
                ("child referrals", ChildReferral, clean(self.child_referrals)),
                ("child protection cases", ChildCase, clean(self.cases)),
                ("child protection reviews", ChildCaseReview, self.case_reviews),
                ("child protection decisions", ChildDecision, clean(self.decisions)),
                ("police protection", PoliceProtection, clean(self.protections)),
                ("LSCB meetings", LscbMeeting, self.lscb_meetings)]

    def summary(self) -> dict:
        """The counts ``beacon.demo.build.DemoSummary`` reports."""
        year = [i for i in self.incidents if i["received_at"] < YEAR_END_UTC]
        return {"incidents": len(self.incidents),
                "domestic_incidents": sum(1 for i in year if i["_kind"] == DOMESTIC),
                "child_protection_incidents": sum(1 for i in year if i["_kind"] == CHILD_PROTECTION),
                "risk_forms": len(self.forms), "unreviewed_forms_march_2007": self.backlog(),
                "marac_meetings": len(self.meetings), "marac_referrals": len(self.marac_referrals),
                "marac_actions": len(self.actions), "child_referrals": len(self.child_referrals),
                "child_cases": len(self.cases), "child_decisions": len(self.decisions),
                "police_protections": len(self.protections), "lscb_meetings": len(self.lscb_meetings)}

    def backlog(self, as_of: datetime = BACKLOG_AS_OF) -> dict[str, int]:
        """Forms completed and not reviewed as at ``as_of`` (not replaced by a reassessment by then),
        by division code, as ``domestic_abuse.service.backlog`` counts them."""
        out = {c: 0 for c in self.codes}
        for f in self.forms:
            if (f["completed_at"] <= as_of and (f["reviewed_at"] is None or f["reviewed_at"] > as_of)
                    and (f["_superseded_at"] is None or f["_superseded_at"] > as_of)):
                out[f["_division"]] += 1
        return out

    def finish(self) -> None:
        """Ids in time order, log references, links, work items and warnings; references resolved."""
        rng = self.rng
        self.incidents.sort(key=lambda r: (r["received_at"], r["location_id"] or 0))
        seq: dict[int, int] = defaultdict(int)
        for i, inc in enumerate(self.incidents, start=1):
            inc["id"] = i
            yy = inc["received_at"].astimezone(LONDON).year
            seq[yy] += rng.randint(12, 40)
            inc["log_ref"] = f"CC{yy % 100:02d}/{seq[yy]:06d}"
            self.links.extend({"incident_id": i, "person_id": pid, "role": role} for pid, role in inc["_people"])
            kind = inc["_kind"]
            if kind in (DOMESTIC, CHILD_PROTECTION):
                division = self.code_of[inc["division_id"]]
                self.work_items.append({"id": len(self.work_items) + 1, "incident_id": i, "kind": kind,
                                        "division_id": inc["division_id"], "created_at": inc["closed_at"],
                                        "status": "done", "taken_by": self.ppu_users[division], "version": 1})
                self.warnings.append({"id": len(self.warnings) + 1, "location_id": inc["location_id"], "kind": kind,
                                      "reason": warning_reason(inc["log_ref"], kind), "incident_id": i,
                                      "created_at": inc["closed_at"]})
        for f in self.forms:
            f["incident_id"] = f["_incident"]["id"]
        for f in self.forms:   # an unreviewed form's work item is still open
            if f["reviewed_at"] is None and f["_incident"].get("_work") is None:
                f["_incident"]["_work"] = "open"
        for w in self.work_items:
            inc = self.incidents[w["incident_id"] - 1]
            if inc.get("_work"):
                w["status"] = inc["_work"]
                w["taken_by"] = "" if w["status"] == "open" else w["taken_by"]
        _number(self.meetings, "held_on")
        _number(self.marac_referrals, "referred_at")
        for r in self.marac_referrals:
            r["risk_form_id"] = r["_form"]["id"]
            r["meeting_id"] = r["_meeting"]["id"] if r.get("_meeting") else None
        self.actions.sort(key=lambda a: (a["_meeting"]["id"], a["_referral"]["id"]))
        for i, a in enumerate(self.actions, start=1):
            a.update(id=i, meeting_id=a["_meeting"]["id"], referral_id=a["_referral"]["id"])


def _number(rows: list[dict], key: str) -> None:
    rows.sort(key=lambda r: r[key])
    for i, r in enumerate(rows, start=1):
        r["id"] = i


def clean(rows: list[dict]) -> list[dict]:
    """The rows without the planner's private keys (those starting with an underscore)."""
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]
