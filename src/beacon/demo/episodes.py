"""Missing-person episodes for the synthetic Gwent.

April 2006 to March 2007: exactly 4,440 reports (2,286 high, 859 medium, 716 low, 579
unauthorised absences from care), by division in proportion to population, about 40% children.
Children living in six care homes go missing again and again (the heaviest 10 to 40 times in the
year) and account for most absences from care; most other people go missing once. Reviews, PNC
circulation and return interviews follow the force's rules (``beacon.cases.missing_persons.rules``)
except for a planned share of lapses, so an audit finds true problems:

* about 12% of reports with a late supervisory review (division C worst),
* about 5% of risk assessments with no rationale,
* about 7% of reports not on PNC within 48 hours although still missing then,
* about 20% of children's closures with no return interview offered within 72 hours.

Plus about 15 reports open at ``now``, reported in the previous 36 hours.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from beacon.cases.missing_persons import rules
from beacon.cases.missing_persons.models import Outcome, RiskGrade, Status
from beacon.demo import names
from beacon.demo.places import (
    CARE_HOMES_PER_DIVISION,
    DIVISIONS,
    Addresses,
    Geography,
    largest_remainder,
)
from beacon.demo.workforce import Workforce
from beacon.org.roles import Vetting
from beacon.people.models import normalise
from beacon.rules.clocks import LONDON

UTC = UTC
YEAR_START = date(2006, 4, 1)
YEAR_DAYS = 365                                # 1 April 2006 .. 31 March 2007
YEAR_START_UTC = datetime(2006, 4, 1, tzinfo=LONDON).astimezone(UTC)
YEAR_END_UTC = datetime(2007, 4, 1, tzinfo=LONDON).astimezone(UTC)   # exclusive

H, M, L, AFC = RiskGrade.HIGH, RiskGrade.MEDIUM, RiskGrade.LOW, RiskGrade.ABSENT_FROM_CARE
GRADE_TOTALS = {H: 2_286, M: 859, L: 716, AFC: 579}
TOTAL = sum(GRADE_TOTALS.values())             # 4,440
CARE_OTHER_GRADES = {H: 210, M: 50, L: 25}     # care-home episodes graded other than absent from care
# (kind, persons, lowest, highest, total episodes)
CARE_GROUPS = (("heavy", 28, 10, 40, 700), ("moderate", 14, 3, 9, 84), ("occasional", 40, 1, 3, 80))
CHILD_REPEATERS = (30, 2, 8, 150)
ADULT_REPEATERS = (60, 2, 6, 200)
CHILD_SHARE = 0.40

REGRADE_SHARE = 0.08
LATE_REVIEW_SHARE = {"A": 0.08, "B": 0.09, "C": 0.16}
EMPTY_RATIONALE_SHARE = 0.05
PNC_LAPSE_SHARE = 0.07
RETURN_INTERVIEW_LAPSE_SHARE = 0.20
MV_SHARE = 0.03

HOUR_WEIGHTS = (4, 3, 2, 2, 1, 1, 1, 2, 3, 3, 3, 3, 4, 4, 4, 5, 6, 6, 7, 8, 9, 9, 8, 6)
MEDIAN_HOURS = {H: 6.0, M: 10.0, L: 14.0, AFC: 7.0}
LONG_SHARE = {H: 0.10, M: 0.22, L: 0.30, AFC: 0.06}   # still missing after 48 hours


@dataclass
class Subject:
    id: int
    kind: str                  # care, child, adult, mental_health, dementia
    division: str
    episodes: int
    home_id: int = 0
    care_home_id: int | None = None
    gender: str = "unknown"
    forename: str = ""
    surname: str = ""
    dob: date | None = None


@dataclass
class Episode:
    subject: Subject
    reported_at: datetime
    id: int = 0
    grade: RiskGrade = H
    initial: RiskGrade = H
    regraded_at: datetime | None = None
    minutes: int = 0           # report to closure
    cap: int = 10 ** 6         # longest possible duration (the next episode follows)
    reviews: list[datetime] = field(default_factory=list)
    row: dict = field(default_factory=dict)


def counts_with_total(rng: random.Random, n: int, lo: int, hi: int, total: int) -> list[int]:
    out = [rng.randint(lo, hi) for _ in range(n)]
    while sum(out) != total:
        i = rng.randrange(n)
        if sum(out) < total and out[i] < hi:
            out[i] += 1
        elif sum(out) > total and out[i] > lo:
            out[i] -= 1
    return out


def minute(dt: datetime) -> datetime:
    return dt.replace(second=0, microsecond=0)


class EpisodeMaker:
    def __init__(self, rng: random.Random, geo: Geography, wf: Workforce, addresses: Addresses,
                 staff_users: dict[int, int], settings: dict):
        self.rng, self.geo, self.wf, self.addr = rng, geo, wf, addresses
        self.staff_users, self.settings = staff_users, settings
        self.subjects: list[Subject] = []
        self.persons: list[dict] = []
        self.reports: list[dict] = []
        self.assessments: list[dict] = []
        self.reviews: list[dict] = []
        self.actions: list[dict] = []
        self.care_homes: dict[str, list[int]] = {}
        self.public: dict[str, list[int]] = {}
        self.hospitals: dict[str, int] = {}
        self.ward_weights = {d.code: ([w for w in geo.wards_in(d.code)], [w.population for w in geo.wards_in(d.code)])
                             for d in DIVISIONS}
        self.officers = {d.code: wf.post(d.code, "Response officer") + wf.post(d.code, "Neighbourhood officer")
                         for d in DIVISIONS}
        self.supervisors = {d.code: wf.post(d.code, "Response sergeant") + wf.post(d.code, "Response inspector")
                            + wf.post(d.code, "Section inspector") for d in DIVISIONS}

    # --- places -----------------------------------------------------------------------------

    def ward(self, division: str):
        wards, weights = self.ward_weights[division]
        return self.rng.choices(wards, weights)[0]

    def make_places(self) -> None:
        for d in DIVISIONS:
            self.care_homes[d.code] = [self.addr.care_home(self.ward(d.code))
                                       for _ in range(CARE_HOMES_PER_DIVISION[d.code])]
            self.hospitals[d.code] = self.addr.hospital(self.ward(d.code))
            self.public[d.code] = [self.addr.public_place(w) for w in self.ward_weights[d.code][0]
                                   for _ in range(2)]

    # --- people -----------------------------------------------------------------------------

    def add_subject(self, kind: str, division: str, episodes: int, born_between: tuple[date, date],
                    care_home_id: int | None = None) -> Subject:
        rng = self.rng
        s = Subject(len(self.subjects) + 1, kind, division, episodes, care_home_id=care_home_id)
        s.gender = names.gender(rng)
        s.forename = names.forename(rng, s.gender, older=kind == "dementia")
        s.surname = names.surname(rng)
        lo, hi = born_between
        s.dob = lo + timedelta(days=rng.randrange((hi - lo).days + 1))
        s.home_id = care_home_id or self.addr.residential(self.ward(division))
        self.subjects.append(s)
        self.persons.append({"id": s.id, "forename": s.forename, "surname": s.surname,
                             "forename_norm": normalise(s.forename), "surname_norm": normalise(s.surname),
                             "date_of_birth": s.dob, "gender": s.gender, "home_location_id": s.home_id,
                             "version": 1})
        return s

    def make_year_subjects(self) -> None:
        rng = self.rng
        homes = [(d.code, h) for d in DIVISIONS for h in self.care_homes[d.code]]
        # Children throughout the year: under 18 on 30 April 2007, at least 10 on 1 April 2006.
        care_born = (date(1989, 5, 1), date(1995, 3, 31))
        child_born = (date(1989, 5, 1), date(1996, 3, 31))
        i = 0
        care_by_division = {d.code: 0 for d in DIVISIONS}
        for _kind, n, lo, hi, total in CARE_GROUPS:
            for count in counts_with_total(rng, n, lo, hi, total):
                division, home = homes[i % len(homes)]
                i += 1
                self.add_subject("care", division, count, care_born, care_home_id=home)
                care_by_division[division] += count
        care_total = sum(care_by_division.values())
        targets = dict(zip([d.code for d in DIVISIONS],
                           largest_remainder(TOTAL, [d.population for d in DIVISIONS])))
        quota = {d: targets[d] - care_by_division[d] for d in targets}
        pop = [d.population for d in DIVISIONS]
        codes = [d.code for d in DIVISIONS]
        children_needed = round(TOTAL * CHILD_SHARE) - care_total
        n, lo, hi, total = CHILD_REPEATERS
        for count in counts_with_total(rng, n, lo, hi, total):
            d = rng.choices(codes, pop)[0]
            self.add_subject("child", d, count, child_born)
            quota[d] -= count
        n, lo, hi, total = ADULT_REPEATERS
        for count in counts_with_total(rng, n, lo, hi, total):
            d = rng.choices(codes, pop)[0]
            kind = rng.choices(("adult", "mental_health", "dementia"), (2, 3, 1))[0]
            self.add_subject(kind, d, count, self.adult_born(kind))
            quota[d] -= count
        one_offs = [d for d in codes for _ in range(quota[d])]
        rng.shuffle(one_offs)
        child_one_offs = children_needed - CHILD_REPEATERS[3]
        for k, d in enumerate(one_offs):
            if k < child_one_offs:
                self.add_subject("child", d, 1, child_born)
            else:
                kind = rng.choices(("adult", "mental_health", "dementia"), (6, 3, 1))[0]
                self.add_subject(kind, d, 1, self.adult_born(kind))

    def adult_born(self, kind: str, year_start: date = YEAR_START) -> tuple[date, date]:
        if kind == "dementia":
            ages = (68, 92)
        else:
            ages = (18, 30) if self.rng.random() < 0.5 else (30, 70)
        latest = years_before(year_start, ages[0]) - timedelta(days=2)
        earliest = years_before(year_start, ages[1])
        return earliest, latest

    # --- the year's episodes ------------------------------------------------------------------

    def local_time(self, day: int) -> datetime:
        hour = self.rng.choices(range(24), HOUR_WEIGHTS)[0]
        local = datetime(YEAR_START.year, YEAR_START.month, YEAR_START.day, hour, self.rng.randrange(60))
        local += timedelta(days=day)
        return local.replace(tzinfo=LONDON).astimezone(UTC)

    def make_year_episodes(self) -> list[Episode]:
        rng = self.rng
        episodes: list[Episode] = []
        for s in self.subjects:
            if s.episodes == 1:
                times = [self.local_time(rng.randrange(YEAR_DAYS))]
            else:
                slot = YEAR_DAYS / s.episodes
                times = [self.local_time(int(k * slot + rng.uniform(0, 0.5 * slot))) for k in range(s.episodes)]
            mine = [Episode(s, t) for t in times]
            for a, b in zip(mine, mine[1:]):
                a.cap = int((b.reported_at - a.reported_at).total_seconds() // 60) - 25 * 60
            episodes.extend(mine)
        episodes.sort(key=lambda e: (e.reported_at, e.subject.id))
        for k, e in enumerate(episodes, start=1):
            e.id = k
        self.assign_grades(episodes)
        for e in episodes:
            e.minutes = self.duration(e)
        self.assign_regrades(episodes)
        return episodes

    def assign_grades(self, episodes: list[Episode]) -> None:
        rng = self.rng
        care = [e for e in episodes if e.subject.kind == "care"]
        pool = [AFC] * GRADE_TOTALS[AFC] + [g for g, n in CARE_OTHER_GRADES.items() for _ in range(n)]
        if len(pool) != len(care):
            raise AssertionError("care episodes and care grades differ")
        rng.shuffle(pool)
        for e, g in zip(care, pool):
            e.grade = g
        others = [e for e in episodes if e.subject.kind != "care"]
        bias = {"child": 0.2, "mental_health": 0.3, "dementia": 0.45, "adult": 0.0}
        keyed = sorted(others, key=lambda e: (rng.random() - bias[e.subject.kind], e.id))
        grades = [g for g in (H, M, L) for _ in range(GRADE_TOTALS[g] - CARE_OTHER_GRADES[g])]
        for e, g in zip(keyed, grades):
            e.grade = g
        for e in episodes:
            e.initial = e.grade

    def duration(self, e: Episode) -> int:
        rng = self.rng
        if rng.random() < LONG_SHARE[e.grade]:
            roll = rng.random()
            hours = rng.uniform(49, 72) if roll < 0.6 else rng.uniform(72, 120) if roll < 0.95 else rng.uniform(120, 240)
        else:
            hours = min(47.0, max(1.5, MEDIAN_HOURS[e.grade] * math.exp(rng.gauss(0, 0.8))))
        return max(90, min(int(hours * 60), e.cap))

    def assign_regrades(self, episodes: list[Episode]) -> None:
        rng = self.rng
        candidates = [e for e in episodes if e.minutes >= 120]
        for e in rng.sample(candidates, round(TOTAL * REGRADE_SHARE)):
            if e.grade is H:
                e.initial = AFC if e.subject.kind == "care" and rng.random() < 0.5 else M
            elif e.grade is M:
                e.initial = L if rng.random() < 0.5 else H
            else:  # low and absent from care were first graded medium
                e.initial = M
            e.regraded_at = e.reported_at + timedelta(minutes=int(e.minutes * rng.uniform(0.2, 0.7)))

    # --- reviews ------------------------------------------------------------------------------

    def interval(self, grade: RiskGrade) -> int:
        return int(rules.review_interval(grade, self.settings).total_seconds() // 60)

    def schedule(self, e: Episode, end: datetime) -> list[datetime]:
        """Reviews in good time from report to ``end``, one at the re-grade if there is one."""
        marks: list[datetime] = []
        t = e.reported_at
        while True:
            grade = e.grade if e.regraded_at and t >= e.regraded_at else e.initial
            nxt = t + timedelta(minutes=max(10, int(self.interval(grade) * self.rng.uniform(0.6, 0.95))))
            if e.regraded_at and t < e.regraded_at <= nxt:
                nxt = e.regraded_at
            if nxt >= end:
                return marks
            marks.append(nxt)
            t = nxt

    def grade_changes(self, e: Episode, rationale: str = "x") -> list[rules.GradeChange]:
        changes = [rules.GradeChange(e.reported_at, e.initial, rationale)]
        if e.regraded_at:
            changes.append(rules.GradeChange(e.regraded_at, e.grade, rationale))
        return changes

    def add_review_lapses(self, episodes: list[Episode]) -> None:
        rng = self.rng
        for d in DIVISIONS:
            mine = [e for e in episodes if e.subject.division == d.code]
            target = round(len(mine) * LATE_REVIEW_SHARE[d.code])
            rng.shuffle(mine)
            done = 0
            for e in mine:
                if done >= target:
                    break
                removable = [i for i, m in enumerate(e.reviews) if m != e.regraded_at]
                if not removable:
                    continue
                i = rng.choice(removable)
                trial = e.reviews[:i] + e.reviews[i + 1 + (rng.random() < 0.3):]
                if e.regraded_at and e.regraded_at not in trial:
                    continue
                end = e.reported_at + timedelta(minutes=e.minutes)
                if rules.review_gaps(e.reported_at, end, self.grade_changes(e), trial, self.settings):
                    e.reviews = trial
                    done += 1

    # --- rows -----------------------------------------------------------------------------------

    def who(self, staff_id: int) -> tuple[int | None, str]:
        return self.staff_users.get(staff_id), self.wf.display[staff_id]

    def reporter(self, s: Subject) -> tuple[str, str]:
        rng = self.rng
        if s.kind == "care":
            g = names.gender(rng)
            return f"{names.forename(rng, g)} {names.surname(rng)}", "care home staff"
        if s.kind == "child":
            relation = rng.choice(("mother", "mother", "father", "grandmother", "foster carer"))
            g = "male" if relation == "father" else "female"
            surname = s.surname if relation in ("mother", "father") and rng.random() < 0.8 else names.surname(rng)
            return f"{names.forename(rng, g)} {surname}", relation
        relation = rng.choice({"dementia": ("son", "daughter", "carer", "wife", "husband"),
                               "mental_health": ("partner", "mother", "mental health nurse", "friend"),
                               "adult": ("partner", "mother", "father", "friend", "employer")}[s.kind])
        g = "male" if relation in ("son", "husband", "father") else "female" if relation in (
            "daughter", "wife", "mother") else names.gender(rng)
        family = relation in ("son", "daughter", "wife", "husband", "mother", "father")
        return f"{names.forename(rng, g)} {s.surname if family else names.surname(rng)}", relation

    def circumstances(self, s: Subject) -> str:
        kind = s.kind if s.kind in names.CIRCUMSTANCES else "adult"
        home = self.addr.rows[s.home_id - 1]["address"].split(",")[0]
        return self.rng.choice(names.CIRCUMSTANCES[kind]).format(home=home, hour=self.rng.choice((21, 22, 23)))

    def last_seen_place(self, s: Subject) -> int:
        rng, d = self.rng, s.division
        if s.kind == "mental_health" and rng.random() < 0.3:
            return self.hospitals[d]
        if rng.random() < (0.7 if s.kind == "care" else 0.55):
            return s.home_id
        return rng.choice(self.public[d])

    def report_row(self, e: Episode, *, closed: bool, oic: int, pnc: datetime | None) -> dict:
        rng, s = self.rng, e.subject
        seen_minutes = rng.randint(30, 240) if s.kind == "care" else int(30 + 1410 * rng.random() ** 2)
        last_seen = e.reported_at - timedelta(minutes=seen_minutes)
        by_name, relation = self.reporter(s)
        row = {
            "id": e.id, "person_id": s.id, "division_id": self.geo.division_ids[s.division],
            "vetting_required": Vetting.MV if rng.random() < MV_SHARE else Vetting.RV,
            "reported_at": e.reported_at, "last_seen_at": last_seen,
            "last_seen_location_id": self.last_seen_place(s), "home_location_id": s.home_id,
            "from_care": s.kind == "care", "circumstances": self.circumstances(s),
            "reported_by_name": by_name, "reported_by_relationship": relation, "risk_grade": e.grade,
            "status": Status.CLOSED if closed else Status.OPEN,
            "is_child": age_on(s.dob, last_seen.date()) < 18,
            "officer_in_case_id": oic, "created_by_id": self.staff_users.get(oic), "pnc_circulated_at": pnc,
            "next_review_due_at": None, "last_reviewed_at": e.reviews[-1] if e.reviews else None,
            "closed_at": None, "outcome": None, "found_location_id": None, "found_by": None,
            "prevention_interview_at": None, "prevention_interview_notes": None,
            "return_interview_offered_at": None, "version": 1,
        }
        self.reports.append(row)
        return row

    def add_assessments_reviews_actions(self, e: Episode, oic: int, end: datetime) -> None:
        rng, d = self.rng, e.subject.division
        pair = rng.sample(self.supervisors[d], 2)
        by_id, by_name = self.who(oic)
        self.assessments.append({"report_id": e.id, "grade": e.initial,
                                 "rationale": rng.choice(names.RATIONALE[e.initial.value]),
                                 "assessed_at": e.reported_at, "assessed_by_id": by_id, "assessed_by_name": by_name})
        if e.regraded_at:
            sup_id, sup_name = self.who(rng.choice(pair))
            self.assessments.append({"report_id": e.id, "grade": e.grade,
                                     "rationale": rng.choice(names.RATIONALE[e.grade.value]),
                                     "assessed_at": e.regraded_at, "assessed_by_id": sup_id,
                                     "assessed_by_name": sup_name})
        for mark in e.reviews:
            sup_id, sup_name = self.who(rng.choice(pair))
            self.reviews.append({"report_id": e.id, "reviewed_at": mark, "reviewer_id": sup_id,
                                 "reviewer_name": sup_name, "notes": rng.choice(names.REVIEW_NOTES)})
        span = max(10, int((end - e.reported_at).total_seconds() // 60) - 5)
        texts = names.ACTIONS + (names.CARE_ACTIONS if e.subject.kind == "care" else ())
        for offset, text in sorted(zip(rng.sample(range(5, span + 5), min(span, rng.randint(2, 3))),
                                       rng.sample(texts, 3))):
            self.actions.append({"report_id": e.id, "at": e.reported_at + timedelta(minutes=offset),
                                 "by_id": by_id, "by_name": by_name, "text": text})

    def finish_year(self, episodes: list[Episode]) -> None:
        rng = self.rng
        due = int(self.settings["mp.pnc_circulation_hours"]) * 60
        ri_hours = int(self.settings["mp.return_interview_hours"])
        for e in episodes:
            e.reviews = self.schedule(e, e.reported_at + timedelta(minutes=e.minutes))
        self.add_review_lapses(episodes)
        long = [e for e in episodes if e.minutes > due + 30]
        pnc_lapses = {e.id for e in rng.sample(long, min(len(long), round(TOTAL * PNC_LAPSE_SHARE)))}
        first_assessment = len(self.assessments)
        children: list[dict] = []
        for e in episodes:
            s = e.subject
            closed_at = e.reported_at + timedelta(minutes=e.minutes)
            if e.id in pnc_lapses:
                late = rng.randint(due + 30, min(e.minutes, due * 2))
                pnc = None if rng.random() < 0.5 else e.reported_at + timedelta(minutes=late)
            else:
                hi = {H: 240, M: 720, L: 1800, AFC: 1800}[e.grade]
                delay = rng.randint(30, min(hi, due - 60))
                pnc = e.reported_at + timedelta(minutes=delay) if delay < e.minutes else None
            oic = rng.choice(self.officers[s.division])
            row = self.report_row(e, closed=True, oic=oic, pnc=pnc)
            self.add_assessments_reviews_actions(e, oic, closed_at)
            returned = rng.random() < {"care": 0.75, "child": 0.55, "dementia": 0.1}.get(s.kind, 0.45)
            if returned:
                found_at, found_by = s.home_id, ("Returned to the home" if s.kind == "care" else "Returned of own accord")
            else:
                found_at = self.hospitals[s.division] if rng.random() < 0.15 else rng.choice(self.public[s.division])
                found_by = rng.choice((self.wf.display[rng.choice(self.officers[s.division])],
                                       "Located by family", "Located by a member of the public"))
            row.update(closed_at=closed_at, outcome=Outcome.RETURNED if returned else Outcome.FOUND,
                       found_location_id=found_at, found_by=found_by)
            if rng.random() < 0.85:
                row["prevention_interview_at"] = closed_at + timedelta(minutes=rng.randint(120, 96 * 60))
                row["prevention_interview_notes"] = rng.choice(names.PREVENTION_NOTES)
            if row["is_child"]:
                children.append(row)
        for row in children:
            row["return_interview_offered_at"] = row["closed_at"] + timedelta(minutes=rng.randint(60, (ri_hours - 2) * 60))
        for row in rng.sample(children, round(len(children) * RETURN_INTERVIEW_LAPSE_SHARE)):
            late = rng.random() < 0.4
            row["return_interview_offered_at"] = (row["closed_at"] + timedelta(minutes=rng.randint(ri_hours * 60 + 60, 240 * 60))
                                                  if late else None)
        year = self.assessments[first_assessment:]
        for a in rng.sample(year, round(len(year) * EMPTY_RATIONALE_SHARE)):
            a["rationale"] = ""

    # --- open now -------------------------------------------------------------------------------

    # (division, grade, hours since report, reviews: none / on_time / overdue, kind)
    OPEN = (
        ("A", H, 0.4, "none", "adult"), ("A", H, 1.2, "none", "mental_health"), ("A", H, 9, "on_time", "dementia"),
        ("A", M, 20, "overdue", "adult"), ("A", AFC, 30, "on_time", "care"),
        ("B", H, 0.7, "none", "child"), ("B", H, 1.6, "none", "adult"), ("B", M, 6, "on_time", "child"),
        ("B", H, 14, "overdue", "mental_health"), ("B", L, 34, "on_time", "adult"),
        ("C", H, 3.5, "none", "adult"), ("C", H, 11, "on_time", "care"), ("C", M, 26, "on_time", "child"),
        ("C", L, 30, "overdue", "adult"), ("C", M, 2, "none", "dementia"),
    )

    def make_open(self, now: datetime, first_id: int) -> None:
        rng = self.rng
        today = now.date()
        for k, (d, grade, hours, pattern, kind) in enumerate(self.OPEN):
            if kind in ("care", "child"):
                born = (years_before(today, 16), years_before(today, 12))
                s = self.add_subject(kind, d, 1, born, care_home_id=self.care_homes[d][0] if kind == "care" else None)
            else:
                s = self.add_subject(kind, d, 1, self.adult_born(kind, today))
            reported = minute(now - timedelta(minutes=int(hours * 60 * rng.uniform(0.9, 1.0))))
            e = Episode(s, reported, id=first_id + k, grade=grade, initial=grade)
            interval = self.interval(grade)
            if pattern == "on_time":
                e.reviews = self.schedule(e, now - timedelta(minutes=5))
                if (e.reviews[-1] if e.reviews else reported) + timedelta(minutes=interval) <= now:
                    e.reviews.append(minute(now - timedelta(minutes=rng.randint(10, 30))))
            elif pattern == "overdue":
                e.reviews = self.schedule(e, now - timedelta(minutes=int(interval * rng.uniform(1.2, 1.6))))
            age = (now - reported).total_seconds() / 3600
            pnc = reported + timedelta(minutes=rng.randint(30, 90)) if age > 2 else None
            oic = self.officers[d][0] if k % 5 == 0 else rng.choice(self.officers[d])  # the demo officer has cases
            row = self.report_row(e, closed=False, oic=oic, pnc=pnc)
            row["next_review_due_at"] = rules.next_review_due(reported, row["last_reviewed_at"], grade, self.settings)
            self.add_assessments_reviews_actions(e, oic, now)


def age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
