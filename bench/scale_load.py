"""Scale a built demo up to N times its missing-person volume, for the benchmark.

``scale_up(engine, scale, now)`` reads the demo's year of missing-person records back out of the
database and writes ``scale - 1`` more copies of it, so the database holds ``scale`` x 4,440
reports shaped like 2006/07, plus about ``scale`` x 15 reports open now:

* copy k (1 .. scale-1) is the demo year moved back k x 52 weeks (so copies cover ~scale years,
  keep their weekday and hour-of-day pattern, and the references MP<yy>/nnnnnnn spread over
  the years); every timestamp of a report, its assessments, reviews and enquiries moves with it;
* each copy has new synthetic people (new forenames and surnames from ``beacon.demo.names``,
  dates of birth moved with the copy) and new residential addresses for them; care homes,
  hospitals and public places are shared by all copies, as they would be over the years;
* ``scale - 1`` more copies of the demo's 15 open reports: same division, grade, kind and
  review pattern (none / on time / overdue), with their report time, reviews and therefore
  ``next_review_due_at`` jittered around ``now`` (new high-risk unreviewed, overdue, due soon,
  due later).

Rows are written with explicit ids, one transaction per copy: people, addresses, reports and the
open cases' rows from Python (``executemany`` on SQLite, ``COPY`` on PostgreSQL); the year's
assessments, reviews and enquiries (~37,000 rows a copy) with one ``INSERT ... SELECT`` each that
adds the copy's id offsets and moves the timestamps (the demo numbers the year's rows 1..n, which
``scale_up`` checks). Nothing in ``src/`` is changed.
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from enum import Enum

from sqlalchemy import Date, func, select, text
from sqlalchemy import Enum as SAEnum
from sqlalchemy.engine import Connection, Engine

from beacon import config
from beacon.cases.missing_persons import rules
from beacon.cases.missing_persons.models import (
    EnquiryAction,
    MissingReport,
    Review,
    RiskAssessment,
    RiskGrade,
    Status,
)
from beacon.db import UTCDateTime
from beacon.demo import names
from beacon.demo.episodes import age_on, minute, years_before
from beacon.people.models import Location, Person, normalise

SHIFT = timedelta(weeks=52)
OLDER = set(names.OLDER_MALE_FORENAMES + names.OLDER_FEMALE_FORENAMES)
TABLES = (Location, Person, MissingReport, RiskAssessment, Review, EnquiryAction)
CHILDREN = (RiskAssessment, Review, EnquiryAction)

Progress = Callable[[str], None]


class Writer:
    """Bulk writes with explicit ids, bypassing SQLAlchemy's per-value bind processing (the rows
    are converted here to what Beacon's column types store): executemany on SQLite, COPY on
    PostgreSQL."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.pg = conn.dialect.name == "postgresql"

    def write(self, model, rows: list[dict]) -> None:
        if not rows:
            return
        table = model.__table__
        cols = [c.name for c in table.columns]
        convs = [_converter(table.columns[c], self.pg) for c in cols]
        pairs = list(zip(cols, convs))
        tuples = [tuple(conv(row[c]) if conv else row[c] for c, conv in pairs) for row in rows]
        if self.pg:
            raw = self.conn.connection.dbapi_connection
            with raw.cursor() as cur:
                with cur.copy(f'COPY "{table.name}" ({", ".join(cols)}) FROM STDIN') as cp:
                    for t in tuples:
                        cp.write_row(t)
        else:
            sql = f'INSERT INTO "{table.name}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})'
            self.conn.exec_driver_sql(sql, tuples)


def _sqlite_datetime(d):
    # what SQLAlchemy's SQLite DATETIME stores for Beacon's UTCDateTime: naive UTC, microseconds
    if d is None:
        return None
    d = d.astimezone(timezone.utc)
    return (f"{d.year:04d}-{d.month:02d}-{d.day:02d} {d.hour:02d}:{d.minute:02d}:{d.second:02d}."
            f"{d.microsecond:06d}")


def _enum_value(v):
    return v.value if isinstance(v, Enum) else v


def _converter(column, pg: bool):
    if isinstance(column.type, UTCDateTime):
        return None if pg else _sqlite_datetime
    if isinstance(column.type, SAEnum):
        return _enum_value
    if isinstance(column.type, Date) and not pg:
        return lambda d: d.isoformat() if d is not None else None
    return None


def _read(conn: Connection, model, *where) -> list[dict]:
    return [dict(r._mapping) for r in conn.execute(select(model.__table__).where(*where)
                                                   .order_by(model.__table__.c.id))]


def _max_id(conn: Connection, model) -> int:
    return conn.execute(select(func.coalesce(func.max(model.__table__.c.id), 0))).scalar_one()


def _shift(value, by: timedelta):
    return value - by if value is not None else None


REPORT_TIMES = ("reported_at", "last_seen_at", "pnc_circulated_at", "next_review_due_at", "last_reviewed_at",
                "closed_at", "prevention_interview_at", "return_interview_offered_at")


def scale_up(engine: Engine, scale: int, now: datetime, seed: int = 2007,
             progress: Progress | None = None) -> dict:
    """Write ``scale - 1`` copies of the demo year and of its open reports; return timings and counts."""
    say = progress or (lambda msg: None)
    rng = random.Random(seed * 1_000 + scale)
    settings = config.defaults()
    started = time.perf_counter()
    with engine.connect() as conn:
        locations = _read(conn, Location)
        persons = _read(conn, Person)
        reports = _read(conn, MissingReport)
        assessments = _read(conn, RiskAssessment)
        reviews = _read(conn, Review)
        actions = _read(conn, EnquiryAction)
        officers = {d: [r[0] for r in conn.execute(text(
            "SELECT s.id FROM staff s JOIN division d ON d.id = s.division_id "
            "WHERE d.code = :d AND s.is_officer ORDER BY s.id"), {"d": d})] for d in ("A", "B", "C")}
        division_ids = dict(conn.execute(text("SELECT code, id FROM division")).all())
    year = [r for r in reports if r["status"] is Status.CLOSED]
    open_ = [r for r in reports if r["status"] is Status.OPEN]
    year_ids = {r["id"] for r in year}
    year_person_ids = sorted({r["person_id"] for r in year})
    person_by_id = {p["id"]: p for p in persons}
    residential = {loc["id"]: loc for loc in locations if loc["kind"] == "residential"}
    open_specs = [_open_spec(r, person_by_id[r["person_id"]], now) for r in open_]

    # The demo numbers the year's reports 1..4,440 and their assessments, reviews and enquiries
    # before the open reports' ones; copies keep that numbering plus an offset.
    year_max_report = max(year_ids)
    if year_max_report != len(year_ids) or any(r["id"] <= year_max_report for r in open_):
        raise AssertionError("the demo's year reports are not numbered 1..n before the open ones")
    year_child_max = {}
    for model, rows_ in ((RiskAssessment, assessments), (Review, reviews), (EnquiryAction, actions)):
        mine = [c["id"] for c in rows_ if c["report_id"] in year_ids]
        if max(mine) != len(mine) or any(c["id"] <= len(mine) for c in rows_ if c["report_id"] not in year_ids):
            raise AssertionError(f"{model.__tablename__}: the year's rows are not numbered 1..n first")
        year_child_max[model] = len(mine)
    next_id = {}
    with engine.connect() as conn:
        for model in TABLES:
            next_id[model] = _max_id(conn, model) + 1
    counts = {m.__tablename__: 0 for m in TABLES}

    def take(model) -> int:
        value = next_id[model]
        next_id[model] += 1
        return value

    base_home_ids = sorted(residential)
    for k in range(1, scale):
        by = SHIFT * k
        rows: dict = {m: [] for m in TABLES}
        # new people with new homes
        loc_map: dict[int, int] = {}
        for old_id in {person_by_id[p]["home_location_id"] for p in year_person_ids} & residential.keys():
            new = dict(residential[old_id], id=take(Location))
            loc_map[old_id] = new["id"]
            rows[Location].append(new)
        person_map: dict[int, int] = {}
        for pid in year_person_ids:
            p = person_by_id[pid]
            forename = names.forename(rng, p["gender"], older=p["forename"] in OLDER)
            surname = names.surname(rng)
            new = dict(p, id=take(Person), forename=forename, surname=surname, forename_norm=normalise(forename),
                       surname_norm=normalise(surname), home_location_id=loc_map.get(p["home_location_id"],
                                                                                     p["home_location_id"]),
                       date_of_birth=p["date_of_birth"] - by if p["date_of_birth"] else None, version=1)
            person_map[pid] = new["id"]
            rows[Person].append(new)
        # the year's reports, moved back k x 52 weeks
        report_offset = next_id[MissingReport] - 1
        next_id[MissingReport] += year_max_report
        for r in year:
            new = dict(r, id=r["id"] + report_offset, person_id=person_map[r["person_id"]], version=1)
            for col in REPORT_TIMES:
                new[col] = _shift(r[col], by)
            for col in ("last_seen_location_id", "home_location_id", "found_location_id"):
                new[col] = loc_map.get(r[col], r[col])
            rows[MissingReport].append(new)
        # and their assessments, reviews and enquiries: copied inside the database (below)
        child_offsets = {}
        for model in CHILDREN:
            child_offsets[model] = next_id[model] - 1
            next_id[model] += year_child_max[model]
        # open reports like the demo's, jittered around now
        for spec in open_specs:
            _open_copy(rng, spec, now, settings, officers, division_ids, base_home_ids, residential, rows, take)
        with engine.begin() as conn:
            w = Writer(conn)
            for model in TABLES:
                if model in CHILDREN:
                    counts[model.__tablename__] += copy_children(
                        conn, model, child_offsets[model], report_offset, year_max_report, SHIFT * k)
                w.write(model, rows[model])
                counts[model.__tablename__] += len(rows[model])
        if k % 10 == 0 or k == scale - 1:
            say(f"copy {k}/{scale - 1} written ({time.perf_counter() - started:.0f}s)")
    write_s = time.perf_counter() - started
    t = time.perf_counter()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            for model in TABLES:
                name = model.__tablename__
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                                  f"(SELECT MAX(id) FROM \"{name}\"))"))
    return {"copies_written": scale - 1, "rows_written": counts, "write_seconds": round(write_s, 2),
            "sequences_seconds": round(time.perf_counter() - t, 2)}


def copy_children(conn: Connection, model, id_offset: int, report_offset: int, year_max_report: int,
                  by: timedelta) -> int:
    """Copy the year's assessments, reviews or enquiries (report ids 1..year_max_report) to
    the copy whose reports are numbered ``report_offset`` on, their times moved back ``by``."""
    table = model.__table__
    seconds = int(by.total_seconds())
    cols, exprs = [], []
    for c in table.columns:
        cols.append(c.name)
        if c.name == "id":
            exprs.append(f"id + {id_offset}")
        elif c.name == "report_id":
            exprs.append(f"report_id + {report_offset}")
        elif isinstance(c.type, UTCDateTime):
            if conn.dialect.name == "postgresql":
                exprs.append(f"{c.name} - make_interval(secs => {seconds})")
            else:  # stored as 'YYYY-MM-DD HH:MM:SS.ffffff' (naive UTC)
                exprs.append(f"strftime('%Y-%m-%d %H:%M:%S', {c.name}, '-{seconds} seconds') || substr({c.name}, 20)")
        else:
            exprs.append(c.name)
    sql = (f'INSERT INTO "{table.name}" ({", ".join(cols)}) SELECT {", ".join(exprs)} FROM "{table.name}" '
           f"WHERE report_id BETWEEN 1 AND {year_max_report} ORDER BY id")
    return conn.execute(text(sql)).rowcount


# --- open reports ---------------------------------------------------------------------------

def _open_spec(report: dict, person: dict, now: datetime) -> dict:
    """What kind of open case the demo's open report is: grade, division, age group, review pattern."""
    last = report["last_reviewed_at"]
    due = report["next_review_due_at"]
    pattern = "none" if last is None else ("overdue" if due is not None and due < now else "on_time")
    hours = (now - report["reported_at"]).total_seconds() / 3600
    return {"report": report, "person": person, "pattern": pattern, "hours": hours}


def _open_copy(rng: random.Random, spec: dict, now: datetime, settings: dict, officers: dict,
               division_ids: dict, base_home_ids: list[int], residential: dict, rows: dict, take) -> None:
    r, p, pattern = spec["report"], spec["person"], spec["pattern"]
    grade: RiskGrade = r["risk_grade"]
    interval = rules.review_interval(grade, settings)
    # report time: like the demo case, jittered; "none" stays recent, the others spread wider
    factor = rng.uniform(0.5, 1.6) if pattern == "none" else rng.uniform(0.6, 2.2)
    hours = max(0.2, spec["hours"] * factor)
    reported = minute(now - timedelta(hours=hours))
    marks: list[datetime] = []
    if pattern == "on_time":
        t = reported
        while True:
            nxt = t + interval * rng.uniform(0.6, 0.95)
            if nxt >= now:
                break
            marks.append(minute(nxt))
            t = nxt
    elif pattern == "overdue":
        cutoff = now - interval * rng.uniform(1.05, 1.8)
        if reported > cutoff:          # the first review must have fallen due before the cutoff
            reported = minute(cutoff - interval * rng.uniform(0.2, 1.0))
        t = reported
        while True:
            nxt = t + interval * rng.uniform(0.6, 0.95)
            if nxt >= cutoff:
                break
            marks.append(minute(nxt))
            t = nxt
    last = marks[-1] if marks else None
    # the person: a new one of the same kind and age group
    forename = names.forename(rng, p["gender"], older=p["forename"] in OLDER)
    surname = names.surname(rng)
    if r["from_care"]:
        home_id = r["home_location_id"]
    else:
        home = dict(residential[rng.choice(base_home_ids)], id=take(Location))
        rows[Location].append(home)
        home_id = home["id"]
    dob = p["date_of_birth"]
    if dob is not None:
        dob = dob + timedelta(days=rng.randint(-400, 400))
        if r["is_child"]:
            dob = min(dob, years_before(now.date(), 11))
    person_id = take(Person)
    rows[Person].append(dict(p, id=person_id, forename=forename, surname=surname, forename_norm=normalise(forename),
                             surname_norm=normalise(surname), date_of_birth=dob, home_location_id=home_id, version=1))
    last_seen = reported - timedelta(minutes=rng.randint(30, 600))
    division_code = {v: k for k, v in division_ids.items()}[r["division_id"]]
    oic = rng.choice(officers[division_code])
    report_id = take(MissingReport)
    rows[MissingReport].append(dict(
        r, id=report_id, person_id=person_id, reported_at=reported, last_seen_at=last_seen,
        last_seen_location_id=(home_id if r["last_seen_location_id"] == r["home_location_id"]
                               else r["last_seen_location_id"]),
        home_location_id=home_id, officer_in_case_id=oic,
        is_child=age_on(dob, last_seen.date()) < 18 if dob else r["is_child"],
        pnc_circulated_at=reported + timedelta(minutes=rng.randint(30, 90)) if hours > 2 else None,
        last_reviewed_at=last, next_review_due_at=rules.next_review_due(reported, last, grade, settings),
        version=1))
    rows[RiskAssessment].append({"id": take(RiskAssessment), "report_id": report_id, "grade": grade,
                                 "rationale": rng.choice(names.RATIONALE[grade.value]), "assessed_at": reported,
                                 "assessed_by_id": None, "assessed_by_name": "PC (benchmark)"})
    for mark in marks:
        rows[Review].append({"id": take(Review), "report_id": report_id, "reviewed_at": mark, "reviewer_id": None,
                             "reviewer_name": "Sergeant (benchmark)", "notes": rng.choice(names.REVIEW_NOTES)})
    span = max(10, int((now - reported).total_seconds() // 60) - 5)
    for offset in sorted(rng.sample(range(5, span + 5), min(span, 2))):
        rows[EnquiryAction].append({"id": take(EnquiryAction), "report_id": report_id,
                                    "at": reported + timedelta(minutes=offset), "by_id": None,
                                    "by_name": "PC (benchmark)", "text": rng.choice(names.ACTIONS)})


def counts(engine: Engine, now: datetime) -> dict:
    """Row counts the benchmark reports, and the shape of the open cases."""
    out = {}
    with engine.connect() as conn:
        for model in TABLES:
            out[model.__tablename__] = conn.execute(select(func.count()).select_from(model)).scalar_one()
        mr = MissingReport.__table__.c
        out["open_reports"] = conn.execute(select(func.count()).where(mr.status == Status.OPEN)).scalar_one()
        out["open_overdue"] = conn.execute(select(func.count()).where(
            mr.status == Status.OPEN, mr.next_review_due_at < now)).scalar_one()
        out["open_due_within_2h"] = conn.execute(select(func.count()).where(
            mr.status == Status.OPEN, mr.next_review_due_at >= now,
            mr.next_review_due_at <= now + timedelta(hours=2))).scalar_one()
        out["open_new_high_unreviewed"] = conn.execute(select(func.count()).where(
            mr.status == Status.OPEN, mr.risk_grade == RiskGrade.HIGH, mr.last_reviewed_at.is_(None))).scalar_one()
        out["open_by_division"] = {str(d): n for d, n in conn.execute(
            select(mr.division_id, func.count()).where(mr.status == Status.OPEN).group_by(mr.division_id))}
        lo, hi = conn.execute(select(func.min(mr.reported_at), func.max(mr.reported_at))).one()
        out["reported_at_range"] = [lo.isoformat(), hi.isoformat()]
        surnames = Person.__table__.c.surname_norm
        out["distinct_surnames"] = conn.execute(select(func.count(surnames.distinct()))).scalar_one()
    return out

