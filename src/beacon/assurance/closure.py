"""Logs closed correctly, audited with the closure audit's own signals
(:mod:`beacon.assurance.closure_audit`): of the logs closed in a period as ``kind``
(domestic or child protection), or closed with another code while the closure audit's signals
suggest ``kind``, how many were closed as ``kind``. Nothing is written: the closure audit
itself (which flags logs for a supervisor) is separate."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from beacon.access.policy import FORCE_WIDE
from beacon.assurance import closure_audit
from beacon.cases.incidents import repository as incidents_repo
from beacon.cases.incidents.models import Incident
from beacon.rules.check import Check

RULE_IDS = {"domestic": "da.audit.log_closure", "child_protection": "cp.audit.log_closure"}
TITLES = {"domestic": "Logs with domestic signals closed as domestic",
          "child_protection": "Logs with child protection signals closed as child protection"}
PAGE = closure_audit.PAGE


def closure_check(kind: str, closing_code: str, suggested: str | None) -> Check:
    """One log: it applies if closed as ``kind`` or the signals suggest ``kind``; met if closed as ``kind``."""
    rule_id, title = RULE_IDS[kind], TITLES[kind]
    if closing_code == kind:
        return Check(rule_id, title, True, True, f"closed as {kind}")
    if suggested == kind:
        return Check(rule_id, title, True, False, f"not closed as {kind}; the closure audit's signals suggest it")
    return Check(rule_id, title, False, False, "no signal suggests " + kind)


def log_checks(session: Session, since: datetime, until: datetime, kind: str,
               ) -> tuple[dict[int, list[Check]], dict[int, int | None], int]:
    """Checks for every log closed in [since, until) that the rule applies to, the division of
    each, and how many logs were examined."""
    checks: dict[int, list[Check]] = {}
    division_of: dict[int, int | None] = {}
    closed_as = select(Incident.id, Incident.division_id).where(
        Incident.closed_at >= since, Incident.closed_at < until, Incident.closing_code == kind)
    examined = 0
    for iid, division in session.execute(closed_as):
        checks[iid] = [closure_check(kind, kind, None)]
        division_of[iid] = division
        examined += 1
    after = 0
    while True:
        page = incidents_repo.closed_not_ppu(session, FORCE_WIDE, since, until, after_id=after, limit=PAGE)
        if not page:
            break
        after = page[-1][0]
        examined += len(page)
        found = closure_audit.signals_for(session, page)
        for iid, _ref, _closed, _narrative, _location, division in page:
            _hits, suggested = found[iid]
            if suggested == kind:
                checks[iid] = [closure_check(kind, "other", suggested)]
                division_of[iid] = division
    return checks, division_of, examined
