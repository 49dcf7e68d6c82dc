"""Live grades from the database: computing a month's, keeping the history, reading it back.

``refresh`` is a scheduled job (``beacon grade live``, like the referral escalation): it writes
derived figures only, no one's record, so it runs without a user. Reading the live grades is
reading inspection work (``Action.READ`` on ``inspection``) and is logged. The audits read every
record of the force; a database holds one force's records (the comparator forces in the demo
are inspections only), so the force graded is the one whose divisions the records belong to.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from beacon.access.audit import note, require
from beacon.access.policy import Action, Principal
from beacon.assurance.results import AuditResult
from beacon.cases.child_protection.models import ChildReferral
from beacon.cases.domestic_abuse.models import RiskForm
from beacon.cases.missing_persons.models import MissingReport
from beacon.errors import NotFound
from beacon.inspection import grading, live, proposals
from beacon.inspection import repository as inspection_repo
from beacon.inspection import what_would_change as wwc
from beacon.inspection.binding import BoundThresholds
from beacon.inspection.models import Evidence, Inspection, LiveGrade, Status, Verification
from beacon.inspection.service import library
from beacon.inspection.types import Framework, Grade
from beacon.org.models import Division, Force
from beacon.rules.clocks import LONDON, add_months

RECORD = "inspection"
# The dated records the bound audits count, by the date that places them in a period.
DATED = ((MissingReport, MissingReport.reported_at), (RiskForm, RiskForm.completed_at),
         (ChildReferral, ChildReferral.created_at))


def home_force(session: Session) -> Force:
    forces = session.scalars(select(Force).where(Force.id.in_(select(Division.force_id))).order_by(Force.id)).all()
    if not forces:
        raise NotFound("no force has divisions, so no records to grade")
    return forces[0]


def graded_frameworks(library_id: str) -> list[Framework]:
    return [f for f in library(library_id).frameworks if f.graded]


def _local(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=LONDON)


def carried_inspection(session: Session, force_id: int, library_id: str, before: date) -> Inspection | None:
    """The force's latest published inspection in the programme whose period had begun by ``before``."""
    rows = session.scalars(select(Inspection).where(
        Inspection.force_id == force_id, Inspection.library_id == library_id, Inspection.status == Status.PUBLISHED,
        Inspection.period_start < before).order_by(Inspection.period_end, Inspection.edition, Inspection.id)).all()
    return rows[-1] if rows else None


@dataclass(frozen=True)
class Month:
    """A month's live grades, and what they rest on (the audits, for what would change them)."""
    force_id: int
    inspection_id: int | None          # where the unbound results were carried from
    frameworks: list[live.LiveFramework]
    audits: dict[str, AuditResult]


def compute(session: Session, library_id: str, month: date, settings: Mapping[str, object], now: datetime,
            force_id: int | None = None) -> Month:
    force_id = force_id if force_id is not None else home_force(session).id
    frameworks = graded_frameworks(library_id)
    start, end = live.window(month, int(settings["grading.live_months"]))  # type: ignore[call-overload]
    since, until = _local(start), _local(end)
    # Records are judged as they stood at the end of the month (or now, for the current month).
    audits = proposals.audits_for(session, frameworks, since, until, settings, min(now, until))
    proposed = proposals.propose_all(frameworks, audits, settings)
    inspection = carried_inspection(session, force_id, library_id, end)
    carried: dict[str, live.Carried] = {}
    verified: list[Evidence] = []
    if inspection is not None:
        for a in inspection_repo.assessments_of(session, inspection.id):
            carried[a.criterion_id] = live.Carried(a.result, inspection.id, a.assessed_at.astimezone(LONDON).date())
        verified = [e for e in inspection_repo.evidence_of(session, inspection.id)
                    if e.verification is Verification.VERIFIED]
    thresholds = grading.Thresholds.from_settings(settings)
    defaults = BoundThresholds.from_settings(settings)
    graded = [live.grade_month(f, month, int(settings["grading.live_months"]), proposed,  # type: ignore[call-overload]
                               carried, beacon=any(e.shows_beacon for e in verified if e.framework_id == f.id),
                               innovation_evaluated=any(e.shows_innovation for e in verified
                                                        if e.framework_id == f.id),
                               thresholds=thresholds, shortfalls=wwc.shortfalls_of(f, audits, defaults))
              for f in frameworks]
    # A framework with nothing bound and nothing an inspector assessed has nothing to be graded by.
    graded = [g for g in graded if any(c.source != live.NONE for c in g.criteria.values())]
    return Month(force_id, inspection.id if inspection else None, graded, audits)


def months_with_records(session: Session) -> list[date]:
    found: set[date] = set()
    for _model, column in DATED:
        for (at,) in session.execute(select(column).where(column.is_not(None))):
            found.add(at.astimezone(LONDON).date().replace(day=1))
    return sorted(found)


def refresh(session: Session, library_id: str, months: Iterable[date], settings: Mapping[str, object],
            now: datetime, progress: Callable[[int, int], None] | None = None) -> list[LiveGrade]:
    """Compute and keep the live grades of ``months`` (a month already kept is recomputed)."""
    wanted = sorted({live.month_of(m) for m in months})
    out: list[LiveGrade] = []
    force_id = home_force(session).id
    for i, m in enumerate(wanted, 1):
        result = compute(session, library_id, m, settings, now, force_id)
        kept = {g.framework_id: g for g in session.scalars(select(LiveGrade).where(
            LiveGrade.force_id == force_id, LiveGrade.library_id == library_id, LiveGrade.month == m))}
        for f in result.frameworks:
            row = kept.get(f.framework_id) or LiveGrade(force_id=force_id, library_id=library_id,
                                                        framework_id=f.framework_id, month=m)
            if row.id is None:
                session.add(row)
            row.period_start, row.period_end = f.period_start, f.period_end
            row.grade, row.provisional = f.grade, True
            row.decision = json.dumps(f.decision.to_json())
            row.criteria = json.dumps({"carried_from": result.inspection_id, "criteria": f.criteria_json()})
            row.computed_at = now
            out.append(row)
        session.flush()
        if progress:
            progress(i, len(wanted))
    return out


@dataclass(frozen=True)
class Standing:
    """A framework's live grade history, with the latest month's reasons and what would change it."""
    framework: Framework
    history: list[LiveGrade]                      # oldest first
    latest: live.LiveFramework
    moved: list[live.Moved]                       # against the month before
    routes: dict[str, wwc.Route | None]
    carried_from: int | None

    @property
    def grades(self) -> list[Grade | None]:
        return [h.grade for h in self.history]

    @property
    def before(self) -> LiveGrade | None:
        """The kept grade of the month just before the latest (None: that month was not kept, so a
        change since an older month is not called this month's)."""
        if len(self.history) < 2 or not consecutive(self.history[-2].month, self.history[-1].month):
            return None
        return self.history[-2]

    @property
    def fell(self) -> bool:
        return self.before is not None and live.fell(self.grades)


def consecutive(earlier: date, later: date) -> bool:
    return add_months(live.month_of(earlier), 1) == live.month_of(later)


def _decoded(row: LiveGrade) -> tuple[live.LiveFramework, int | None]:
    data = json.loads(row.criteria)
    crit = {cid: live.LiveCriterion.from_json(cid, c) for cid, c in data["criteria"].items()}
    return (live.LiveFramework(row.framework_id, row.month, row.period_start, row.period_end,
                               grading.GradeDecision.from_json(json.loads(row.decision)), crit),
            data.get("carried_from"))


def standing(session: Session, user: Principal, library_id: str, settings: Mapping[str, object],
             month: date | None = None) -> list[Standing]:
    """Every graded framework's kept history up to ``month`` (default: the latest kept), oldest first."""
    require(session, user, Action.READ, RECORD)
    stmt = select(LiveGrade).where(LiveGrade.library_id == library_id).order_by(LiveGrade.month)
    if month is not None:
        stmt = stmt.where(LiveGrade.month <= live.month_of(month))
    rows = session.scalars(stmt).all()
    by_fw: dict[str, list[LiveGrade]] = {}
    for r in rows:
        by_fw.setdefault(r.framework_id, []).append(r)
    thresholds = grading.Thresholds.from_settings(settings)
    out = []
    for f in graded_frameworks(library_id):
        history = by_fw.get(f.id, [])
        if not history:
            continue
        latest, carried_from = _decoded(history[-1])
        before = _decoded(history[-2])[0].results if len(history) > 1 else {}
        records = {cid: lc.shortfalls for cid, lc in latest.criteria.items() if lc.proposal}
        verified = _flags(session, carried_from, f.id)
        out.append(Standing(f, history, latest, live.moved(before, latest.criteria),
                            wwc.routes(f, latest.results, beacon=verified[0], innovation_evaluated=verified[1],
                                       thresholds=thresholds, records=records), carried_from))
    note(session, user, "read", RECORD, "", detail=f"live grades {library_id}")
    return out


def _flags(session: Session, inspection_id: int | None, framework_id: str) -> tuple[bool, bool]:
    if inspection_id is None:
        return False, False
    verified = [e for e in inspection_repo.evidence_of(session, inspection_id, framework_id)
                if e.verification is Verification.VERIFIED]
    return any(e.shows_beacon for e in verified), any(e.shows_innovation for e in verified)


def falls(session: Session, library_id: str) -> list[tuple[str, Grade | None, Grade | None]]:
    """(framework, grade the month before, grade now) for each framework whose latest kept live
    grade fell: the signal the inspector's page shows. Reads only the last two kept months."""
    months = list(session.scalars(select(LiveGrade.month).where(LiveGrade.library_id == library_id)
                                  .group_by(LiveGrade.month).order_by(LiveGrade.month.desc()).limit(2)))
    if len(months) < 2:
        return []
    rows = session.scalars(select(LiveGrade).where(LiveGrade.library_id == library_id, LiveGrade.month.in_(months)))
    by_fw: dict[str, dict[date, Grade | None]] = {}
    for r in rows:
        by_fw.setdefault(r.framework_id, {})[r.month] = r.grade
    latest, before = months
    if not consecutive(before, latest):
        return []
    return [(fid, g[before], g[latest]) for fid, g in sorted(by_fw.items())
            if latest in g and before in g and live.fell([g[before], g[latest]])]


def kept_months(session: Session, library_id: str) -> list[date]:
    return list(session.scalars(select(LiveGrade.month).where(LiveGrade.library_id == library_id)
                                .group_by(LiveGrade.month).order_by(LiveGrade.month)))


def count_kept(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(LiveGrade)) or 0
