"""Build the synthetic Gwent: the force the demo, the tests and the inspection screens run on.

``build(engine)`` fills an empty, migrated database with a force shaped by the figures in
HMIC's 2007 report on Gwent Police (docs/product.md, "Figures in the seed that a synthetic Gwent
must reproduce"): its divisions, sections, neighbourhoods and wards, local authorities and partner
bodies, 1,493 officers and 934 police staff, demo users for every role, and 4,440 missing-person
reports for April 2006 to March 2007 with their risk assessments, reviews and enquiries, plus a
handful of reports open now; and the same year's domestic abuse and child protection work
(``beacon.demo.safeguarding``: logs, risk forms and the DVO backlog, MARAC, referrals to children's
social care, child protection cases, police protection, LSCB meetings), with a few records live
now. Every name and address is synthetic.

The whole force is planned in memory from ``random.Random(seed)`` and then written with bulk
Core inserts and explicit ids in one transaction, so the same seed and ``now`` give the same rows
on SQLite and PostgreSQL, and a failure leaves the database empty. (Core inserts bypass the
``beacon.history`` flush hooks: seeded rows have no history entries.)
"""
from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from beacon import config, settings_repo
from beacon.access.passwords import hash_password
from beacon.demo import places, safeguarding_plan, workforce
from beacon.demo.episodes import EpisodeMaker
from beacon.demo.inspection import InspectionSummary, build_inspections
from beacon.inspection import live, live_grades
from beacon.models import (
    ChildReferral,
    Division,
    EnquiryAction,
    Force,
    Incident,
    LocalAuthority,
    Location,
    MissingReport,
    Neighbourhood,
    PartnerBody,
    Person,
    Review,
    RiskAssessment,
    RiskForm,
    Section,
    Staff,
    User,
    Ward,
)
from beacon.org.roles import Rank
from beacon.rules.clocks import LONDON

DEMO_PASSWORD = "beacon-demo"
EARLIEST_NOW = datetime(2007, 6, 1, tzinfo=UTC)  # every 2006/07 case is closed and followed up by then
CHUNK = 2_000

Progress = Callable[[str, int, int], None]


class DemoError(RuntimeError):
    """The demo cannot be built here (the database is not empty)."""


@dataclass
class DemoSummary:
    """Counts of the rows written."""
    force: str
    population: int
    divisions: int
    sections: int
    neighbourhoods: int
    wards: int
    local_authorities: int
    partner_bodies: int
    officers: int
    staff: int                  # police staff, PCSOs included
    pcsos: int
    locations: int
    care_homes: int
    persons: int
    reports_by_grade: dict[str, int]   # reported April 2006 to March 2007, by final grade
    reports_2006_07: int
    open_reports: int
    risk_assessments: int
    reviews: int
    actions: int
    users: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role, division or "force-wide")
    inspections: InspectionSummary | None = None   # the 2007 inspections (beacon.demo.inspection)
    # domestic abuse and child protection (beacon.demo.safeguarding); the year is April 2006 to March 2007
    incidents: int = 0                   # every command-and-control log, the year's and those live now
    domestic_incidents: int = 0          # the year's logs closed as domestic
    child_protection_incidents: int = 0  # the year's logs closed as child protection
    risk_forms: int = 0
    unreviewed_forms_march_2007: dict[str, int] = field(default_factory=dict)  # division code -> backlog at 31 March
    marac_meetings: int = 0
    marac_referrals: int = 0
    marac_actions: int = 0
    child_referrals: int = 0
    child_cases: int = 0
    child_decisions: int = 0
    police_protections: int = 0
    lscb_meetings: int = 0
    live_grade_months: list[str] = field(default_factory=list)   # months whose live grades were kept


def build(engine: Engine, seed: int = 2007, now: datetime | None = None,
          progress: Progress | None = None) -> DemoSummary:
    """Write the synthetic force into the empty, migrated database behind ``engine``."""
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    now = now.astimezone(UTC)
    if now < EARLIEST_NOW:
        raise ValueError(f"now must be on or after {EARLIEST_NOW:%d %B %Y}: the demo's year is April 2006 to March 2007")
    report = progress or (lambda stage, done, total: None)
    with engine.connect() as conn:
        _check_empty(conn)

    geo, wf, users, addresses, maker, sg = plan(seed, now, report)
    tables = [
        ("force", Force, [geo.force]), ("local authorities", LocalAuthority, geo.local_authorities),
        ("partner bodies", PartnerBody, geo.partner_bodies), ("divisions", Division, geo.divisions),
        ("sections", Section, geo.sections), ("neighbourhoods", Neighbourhood, geo.neighbourhoods),
        ("wards", Ward, geo.wards), ("staff", Staff, wf.rows), ("users", User, users),
        ("locations", Location, addresses.rows), ("people", Person, maker.persons + sg.persons),
        ("missing person reports", MissingReport, maker.reports),
        ("risk assessments", RiskAssessment, maker.assessments), ("reviews", Review, maker.reviews),
        ("enquiries", EnquiryAction, maker.actions), *sg.tables(),
    ]
    total = sum(len(rows) for _, _, rows in tables)
    done = 0
    with engine.begin() as conn:
        _check_empty(conn)
        for label, model, rows in tables:
            for start in range(0, len(rows), CHUNK):
                conn.execute(insert(model), rows[start:start + CHUNK])
                done += len(rows[start:start + CHUNK])
                report(f"Writing {label}", done, total)
        if conn.dialect.name == "postgresql":
            _advance_sequences(conn, [model.__tablename__ for _, model, _ in tables if "id" in model.__table__.c])

    year = [r for r in maker.reports if r["status"].value == "closed"]
    division_names = {d["id"]: d["name"] for d in geo.divisions}
    summary = DemoSummary(
        force=geo.force["name"], population=geo.force["population"], divisions=len(geo.divisions),
        sections=len(geo.sections), neighbourhoods=len(geo.neighbourhoods), wards=len(geo.wards),
        local_authorities=len(geo.local_authorities), partner_bodies=len(geo.partner_bodies),
        officers=sum(1 for r in wf.rows if r["is_officer"]), staff=sum(1 for r in wf.rows if not r["is_officer"]),
        pcsos=sum(1 for r in wf.rows if r["rank"] is Rank.PCSO), locations=len(addresses.rows),
        care_homes=sum(1 for r in addresses.rows if r["kind"] == "care_home"),
        persons=len(maker.persons) + len(sg.persons),
        reports_by_grade=dict(sorted(Counter(r["risk_grade"].value for r in year).items())),
        reports_2006_07=len(year), open_reports=len(maker.reports) - len(year),
        risk_assessments=len(maker.assessments), reviews=len(maker.reviews), actions=len(maker.actions),
        users=[(u["username"], u["role"].value, division_names.get(u["division_id"], "force-wide")) for u in users],
        **sg.summary(),
    )
    summary.inspections = build_inspections(engine, now, progress)
    summary.live_grade_months = build_live_grades(engine, now, progress)
    return summary


# The year the demo's records cover (the report's year), kept month by month, and this month.
LIVE_YEAR = (date(2006, 4, 1), date(2007, 3, 1))


def build_live_grades(engine: Engine, now: datetime, progress: Progress | None = None) -> list[str]:
    """The live grades' history, through the same job a force runs monthly (``beacon grade live``)."""
    months = [*live.months_between(*LIVE_YEAR), live.month_of(now.astimezone(LONDON).date())]
    report = progress or (lambda stage, done, total: None)
    with Session(engine) as session, session.begin():
        settings = settings_repo.load(session)
        report("Live grades, month by month", 0, len(months))
        live_grades.refresh(session, "hmic-2007", months, settings, now,
                            progress=lambda i, n: report("Live grades, month by month", i, n))
    return [f"{m:%Y-%m}" for m in months]


def plan(seed: int, now: datetime, report: Progress | None = None) -> tuple:
    """The whole force planned in memory from ``random.Random(seed)``, nothing written: (geography,
    workforce, users, addresses, missing-person episodes, safeguarding). ``now`` must be aware UTC.
    The same seed and ``now`` give the same rows (the tests compare a build with a fresh plan)."""
    report = report or (lambda stage, done, total: None)
    rng = random.Random(seed)
    settings = config.defaults()
    plan_total = 7
    report("Planning the force", 0, plan_total)
    geo = places.build_geography(rng)
    report("Planning the force", 1, plan_total)
    wf = workforce.build_workforce(rng, geo)
    report("Planning the force", 2, plan_total)
    users = workforce.build_users(rng, geo, wf, hash_password(DEMO_PASSWORD))
    staff_users = {u["staff_id"]: u["id"] for u in users if u["staff_id"] is not None}
    report("Planning the force", 3, plan_total)
    addresses = places.Addresses(rng, geo)
    maker = EpisodeMaker(rng, geo, wf, addresses, staff_users, settings)
    maker.make_places()
    maker.make_year_subjects()
    report("Planning the force", 4, plan_total)
    episodes = maker.make_year_episodes()
    maker.finish_year(episodes)
    report("Planning the force", 5, plan_total)
    maker.make_open(now, len(episodes) + 1)
    for rows in (maker.assessments, maker.reviews, maker.actions):
        for i, row in enumerate(rows, start=1):
            row["id"] = i
    report("Planning the force", 6, plan_total)
    sg = safeguarding_plan.plan(rng, geo, wf, addresses, staff_users, settings, now, len(maker.persons) + 1)
    report("Planning the force", 7, plan_total)
    return geo, wf, users, addresses, maker, sg


def _check_empty(conn: Connection) -> None:
    existing = conn.execute(select(Force.name)).scalars().first()
    if existing is not None:
        raise DemoError(f"the database already holds a force ({existing}); the demo is built into an empty "
                        "database only — use a new database (after `beacon.migrate.upgrade`)")
    busy = [m.__tablename__ for m in (Staff, User, Location, Person, MissingReport, Incident, RiskForm, ChildReferral)
            if conn.execute(select(func.count()).select_from(m)).scalar_one()]
    if busy:
        raise DemoError(f"the database is not empty (rows in {', '.join(busy)}); the demo is built into an "
                        "empty database only")


def _advance_sequences(conn: Connection, tables: list[str]) -> None:
    """Explicit ids leave PostgreSQL's serial sequences behind; move each past the largest id."""
    quote = conn.dialect.identifier_preparer.quote
    for name in tables:
        q = quote(name)
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence(:t, 'id'), (SELECT MAX(id) FROM {q}))"),
                     {"t": q})
