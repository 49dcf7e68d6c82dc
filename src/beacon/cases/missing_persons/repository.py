"""Named data-access functions for missing-person reports. Only this module (and the
service that calls it) touches the session."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session, selectinload

from beacon.access.policy import ListScope
from beacon.cases.missing_persons.models import (
    MissingReport,
    RiskGrade,
    Status,
    id_from_reference,
)
from beacon.cases.missing_persons.rules import Episode
from beacon.people.models import Person, normalise


def fetch_report(session: Session, report_id: int, *, for_update: bool = False) -> MissingReport | None:
    stmt = (select(MissingReport).where(MissingReport.id == report_id)
            .options(selectinload(MissingReport.assessments), selectinload(MissingReport.reviews),
                     selectinload(MissingReport.actions)))
    return session.scalars(stmt).first()


def _scoped(stmt: Select, scope: ListScope, by_person: bool = False) -> Select:
    """``by_person``: the caller searches by the person index, so the division must not look like
    a way in to the planner (SQLite otherwise walks the whole division's date index)."""
    if not scope.allowed:
        return stmt.where(False)
    if scope.division_ids is not None:
        division = _unindexed(MissingReport.division_id) if by_person else MissingReport.division_id
        stmt = stmt.where(division.in_(scope.division_ids))
    return stmt.where(MissingReport.vetting_required.in_(scope.vetting_levels))


def _prefix(column, text: str):
    """A prefix match both databases answer from a plain b-tree index."""
    return and_(column >= text, column < text + "\uffff")


FEW_PEOPLE = 2_000


def _unindexed(column):
    """The column's value as an expression no index serves: how this module, which knows how many
    people a name matches, tells either database's planner which way to search."""
    return func.coalesce(column, column)


def _few_people(session: Session, name) -> list[int] | None:
    """The ids of the people a name matches, or None when more than ``FEW_PEOPLE`` do.

    The plan is chosen here, not left to the planner: a name matching few people is searched
    person-first (their reports by the ``(person_id, reported_at, …)`` index), one matching many
    by walking the division's reports newest first, which meets a page of matches quickly. With
    bound parameters SQLite cannot see how selective a prefix is, and at 100× the demo it walked a
    whole division for a name matching nobody (230 ms; bench/results/missing_persons_findings.md)."""
    ids = list(session.scalars(select(Person.id).where(*name).limit(FEW_PEOPLE + 1)))
    return None if len(ids) > FEW_PEOPLE else ids


def search_reports(session: Session, scope: ListScope, *, q: str = "", status: Status | None = None,
                   grade: RiskGrade | None = None, division_id: int | None = None,
                   reported_from: datetime | None = None, reported_to: datetime | None = None,
                   person_id: int | None = None, limit: int = 50, offset: int = 0) -> tuple[list[MissingReport], bool]:
    """Newest first. ``q`` is a reference (MP06/000123), a surname prefix, or forename and
    surname prefixes ("jo smi"). Returns one page and whether there is another."""
    stmt = select(MissingReport)
    newest = MissingReport.reported_at
    page_by_index = False
    q = normalise(q or "")
    if q:
        report_id = id_from_reference(q)
        if report_id is not None:
            stmt = stmt.where(MissingReport.id == report_id)
        else:
            words = q.split()
            name = [_prefix(Person.surname_norm, words[-1])]
            if len(words) > 1:
                name.append(_prefix(Person.forename_norm, words[0]))
            people = _few_people(session, name)
            if people == []:
                return [], False
            if people is not None:
                # Few people: their reports by the person index, then sort those few hundred rows.
                # Sorting on an expression stops SQLite walking the division's date index instead
                # (1.5 ms against 70 ms at 100×).
                stmt = stmt.where(MissingReport.person_id.in_(people))
                newest = _unindexed(MissingReport.reported_at)
                page_by_index = True
            else:
                # Many people: walk the reports newest first and stop at a page of matches; the
                # name is tested per report, not used to drive the search.
                words_ = [_prefix(_unindexed(Person.surname_norm), words[-1])]
                if len(words) > 1:
                    words_.append(_prefix(_unindexed(Person.forename_norm), words[0]))
                stmt = stmt.join(Person, Person.id == MissingReport.person_id).where(*words_)
    if status is not None:
        stmt = stmt.where(MissingReport.status == status)
    if grade is not None:
        stmt = stmt.where(MissingReport.risk_grade == grade)
    if division_id is not None:
        stmt = stmt.where(MissingReport.division_id == division_id)
    if reported_from is not None:
        stmt = stmt.where(MissingReport.reported_at >= reported_from)
    if reported_to is not None:
        stmt = stmt.where(MissingReport.reported_at < reported_to)
    if person_id is not None:
        stmt = stmt.where(MissingReport.person_id == person_id)
    stmt = _scoped(stmt, scope, by_person=page_by_index)
    stmt = stmt.order_by(newest.desc(), MissingReport.id.desc()).limit(limit + 1).offset(offset)
    if page_by_index:
        # A name can match a thousand people ("m oxl"): choose the page from the person index
        # alone (it holds the date, division and vetting), then read just that page's rows, not
        # every match's (72 ms to 8 ms in-process at 100×, bench/results/missing_persons_findings.md).
        rows = _reports_in_order(session, list(session.scalars(stmt.with_only_columns(MissingReport.id))))
    else:
        rows = list(session.scalars(stmt.options(selectinload(MissingReport.last_seen_location))).unique())
    return rows[:limit], len(rows) > limit


def _reports_in_order(session: Session, ids: list[int]) -> list[MissingReport]:
    """The reports ``ids``, in that order, with their last-seen places."""
    if not ids:
        return []
    found = {r.id: r for r in session.scalars(select(MissingReport).where(MissingReport.id.in_(ids))
                                                .options(selectinload(MissingReport.last_seen_location)))}
    return [found[i] for i in ids]


def open_for_queue(session: Session, scope: ListScope, now: datetime, horizon: timedelta,
                   limit: int = 500) -> list[MissingReport]:
    """Open reports that are unreviewed high risk, overdue, or due within ``horizon``."""
    stmt = _scoped(select(MissingReport), scope).where(MissingReport.status == Status.OPEN)
    due_soon = MissingReport.next_review_due_at <= now + horizon
    new_high = and_(MissingReport.risk_grade == RiskGrade.HIGH, MissingReport.last_reviewed_at.is_(None))
    stmt = (stmt.where(due_soon | new_high).order_by(MissingReport.next_review_due_at).limit(limit)
            .options(selectinload(MissingReport.last_seen_location)))
    return list(session.scalars(stmt).unique())


def open_reports(session: Session) -> list[MissingReport]:
    return list(session.scalars(select(MissingReport).where(MissingReport.status == Status.OPEN)))


def episodes(session: Session, scope: ListScope, since: datetime) -> list[Episode]:
    stmt = _scoped(select(MissingReport.id, MissingReport.person_id, MissingReport.last_seen_location_id,
                          MissingReport.home_location_id, MissingReport.from_care, MissingReport.reported_at),
                   scope).where(MissingReport.reported_at >= since)
    out = []
    for rid, pid, seen, home, from_care, at in session.execute(stmt):
        # An absence from care is counted against the care home, not the street it ended in.
        place = home if from_care and home is not None else seen
        out.append(Episode(rid, pid, place, at))
    return out


def count_by_grade(session: Session, scope: ListScope, since: datetime, until: datetime) -> dict[RiskGrade, int]:
    stmt = _scoped(select(MissingReport.risk_grade, func.count()), scope).where(
        MissingReport.reported_at >= since, MissingReport.reported_at < until).group_by(MissingReport.risk_grade)
    return {grade: n for grade, n in session.execute(stmt)}
