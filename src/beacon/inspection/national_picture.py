"""Gathering what the national view and the inspection report show, from the database."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from beacon.access.audit import note, require
from beacon.access.policy import Action, Principal
from beacon.inspection import national
from beacon.inspection import repository as inspection_repo
from beacon.inspection.models import MostSimilarGroup
from beacon.inspection.types import Grade


@dataclass(frozen=True)
class NationalPicture:
    library_id: str
    forces: int
    grades: dict[int, dict[str, Grade]]          # force -> framework -> final grade
    distribution: dict[str, dict[Grade, int]]
    flags: list[national.PeerFlag]
    counted: dict[tuple[int, str], int]          # (force, framework) -> the inspection edition counted

    @property
    def inspection_ids(self) -> dict[int, list[int]]:
        """force -> every inspection edition one of its grades is counted from."""
        out: dict[int, set[int]] = {}
        for (force_id, _), iid in self.counted.items():
            out.setdefault(force_id, set()).add(iid)
        return {f: sorted(ids) for f, ids in out.items()}


def national_picture(session: Session, user: Principal, library_id: str,
                     settings: Mapping[str, object]) -> NationalPicture:
    """Each force once per framework, from its latest published inspection in the programme that
    graded the framework (``inspection_repo.counted_grades``)."""
    require(session, user, Action.READ, "inspection")
    counted = inspection_repo.counted_grades(session, library_id)
    grades: dict[int, dict[str, Grade]] = {}
    records = []
    for (force_id, framework_id), (_, row) in counted.items():
        if row.grade is None or row.engine_grade is None:    # counted_grades keeps graded rows only
            continue
        grades.setdefault(force_id, {})[framework_id] = row.grade
        records.append(national.GradeRecord(force_id, framework_id, row.engine_grade, row.provisional,
                                            row.moderated_grade))
    groups = {g.force_id: g.group for g in session.scalars(select(MostSimilarGroup))}
    triples = [(f, fw, g) for f, by_fw in grades.items() for fw, g in by_fw.items()]
    note(session, user, "read", "inspection", "", detail=f"national picture {library_id}")
    return NationalPicture(library_id, len(grades), grades, national.distribution(triples),
                           national.evidence_flags(records)
                           + national.msf_flags(grades, groups, int(settings["moderation.msf_gap"])),
                           {key: inspection.id for key, (inspection, _) in counted.items()})
