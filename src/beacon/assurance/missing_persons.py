"""Audits of missing-person records against the cited rules: compliance rates with the
records behind every figure, and reproducible case-file samples."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from beacon.assurance.compliance import Rate, draw_sample, rates
from beacon.cases.missing_persons.models import MissingReport
from beacon.cases.missing_persons.service import compliance_for


def _reports(session: Session, since: datetime, until: datetime, ids: list[int] | None = None):
    stmt = (select(MissingReport).where(MissingReport.reported_at >= since, MissingReport.reported_at < until)
            .options(selectinload(MissingReport.assessments), selectinload(MissingReport.reviews))
            .order_by(MissingReport.id))
    if ids is not None:
        stmt = stmt.where(MissingReport.id.in_(ids))
    return session.scalars(stmt).unique().all()


def compliance(session: Session, since: datetime, until: datetime, settings: Mapping[str, object],
               now: datetime) -> dict:
    """Force-wide and per-division compliance rates for reports made in [since, until)."""
    reports = _reports(session, since, until)
    checks = {r.id: compliance_for(r, settings, now) for r in reports}
    by_division: dict[int, dict[int, list]] = {}
    for r in reports:
        by_division.setdefault(r.division_id, {})[r.id] = checks[r.id]
    return {"reports": len(reports),
            "rates": {k: v.as_dict() for k, v in rates(checks).items()},
            "by_division": {str(d): {k: _brief(v) for k, v in rates(c).items()} for d, c in sorted(by_division.items())}}


def _brief(rate: Rate) -> dict:
    return {"applicable": rate.applicable, "met": rate.met, "rate": rate.rate}


def file_sample(session: Session, since: datetime, until: datetime, n: int, seed: int,
                settings: Mapping[str, object], now: datetime) -> dict:
    """Draw ``n`` reports with ``seed`` and check each against the rules."""
    ids = session.scalars(select(MissingReport.id).where(MissingReport.reported_at >= since,
                                                         MissingReport.reported_at < until)).all()
    sample = draw_sample(ids, n, seed)
    reports = _reports(session, since, until, sample)
    checks = {r.id: compliance_for(r, settings, now) for r in reports}
    cases = [{"record_id": r.id, "reference": r.reference, "division_id": r.division_id,
              "checks": {c.rule_id: (c.met if c.applies else None) for c in checks[r.id]}} for r in reports]
    sample_rates = rates(checks)
    return {"population": len(ids), "n": len(sample), "seed": seed, "cases": cases,
            "rates": {k: v.as_dict() for k, v in sample_rates.items()}}
