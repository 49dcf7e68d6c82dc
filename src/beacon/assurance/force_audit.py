"""The force-wide audits behind the inspection's computed evidence, for those who may read every
division's records (analysts, chief officers, inspectors): the same figures the inspection
quotes, on demand, with the access check and the access-log entry the inspection path has."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from beacon.access.audit import note
from beacon.access.policy import Principal, scope
from beacon.assurance import child_protection, domestic_abuse, missing_persons
from beacon.assurance.results import AuditResult
from beacon.errors import Forbidden

Audit = Callable[[Session, datetime, datetime, Mapping[str, object], datetime], AuditResult]

AREAS: dict[str, tuple[Audit, str, str]] = {
    "mp": (missing_persons.compliance, "missing_report", "Missing persons"),
    "da": (domestic_abuse.compliance, "da_form", "Domestic abuse"),
    "cp": (child_protection.compliance, "child_case", "Child protection"),
}


def run(session: Session, user: Principal, area: str, since: datetime, until: datetime,
        settings: Mapping[str, object], now: datetime) -> AuditResult:
    """The area's compliance rates over [since, until), force-wide and by division."""
    audit, record_type, _ = AREAS[area]
    reach = scope(user, record_type)
    if not reach.allowed or reach.division_ids is not None:
        note(session, user, "list", record_type, "", "denied", f"force-wide audit {area}")
        raise Forbidden(f"force-wide {area} audit figures are for roles that read every division's {record_type} "
                        f"records (analyst, chief officer, inspector)")
    result = audit(session, since, until, settings, now)
    note(session, user, "list", record_type, "", detail=f"force-wide audit {area} {since.date()}..{until.date()}")
    return result
