"""Gathering what the national view and the inspection report show, from the database."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from beacon.access.audit import note, require
from beacon.access.policy import Action, Principal
from beacon.inspection import national
from beacon.inspection.models import FrameworkGrade, Inspection, MostSimilarGroup, Status
from beacon.inspection.types import Grade


@dataclass(frozen=True)
class NationalPicture:
    library_id: str
    forces: int
    grades: dict[int, dict[str, Grade]]          # force -> framework -> final grade
    distribution: dict[str, dict[Grade, int]]
    flags: list[national.PeerFlag]
    inspection_ids: dict[int, int]               # force -> the inspection edition counted


def latest_published(session: Session, library_id: str) -> dict[int, Inspection]:
    """Each force's latest published edition for the library (a correction supersedes)."""
    rows = session.scalars(select(Inspection).where(Inspection.library_id == library_id,
                                                    Inspection.status == Status.PUBLISHED)
                           .order_by(Inspection.force_id, Inspection.edition, Inspection.id)).all()
    latest: dict[int, Inspection] = {}
    for row in rows:
        latest[row.force_id] = row
    return latest


def national_picture(session: Session, user: Principal, library_id: str,
                     settings: Mapping[str, object]) -> NationalPicture:
    require(session, user, Action.READ, "inspection")
    latest = latest_published(session, library_id)
    by_id = {i.id: i.force_id for i in latest.values()}
    grades: dict[int, dict[str, Grade]] = {}
    records = []
    if by_id:
        for row in session.scalars(select(FrameworkGrade).where(FrameworkGrade.inspection_id.in_(list(by_id)))):
            force_id = by_id[row.inspection_id]
            grades.setdefault(force_id, {})[row.framework_id] = row.grade
            records.append(national.GradeRecord(force_id, row.framework_id, row.engine_grade, row.provisional,
                                                row.moderated_grade))
    groups = {g.force_id: g.group for g in session.scalars(select(MostSimilarGroup))}
    triples = [(f, fw, g) for f, by_fw in grades.items() for fw, g in by_fw.items()]
    note(session, user, "read", "inspection", "", detail=f"national picture {library_id}")
    return NationalPicture(library_id, len(latest), grades, national.distribution(triples),
                           national.evidence_flags(records)
                           + national.msf_flags(grades, groups, int(settings["moderation.msf_gap"])),
                           {f: i.id for f, i in latest.items()})
