"""The national picture: grade distributions across forces, and the moderation check that
flags a grade out of line with its most similar forces. Pure functions over plain data."""
from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from beacon.inspection.types import Grade

ORDER = (Grade.EXCELLENT, Grade.GOOD, Grade.FAIR, Grade.POOR)


def distribution(grades: Iterable[tuple[int, str, Grade]]) -> dict[str, dict[Grade, int]]:
    """{framework: {grade: number of forces}} from (force, framework, grade) triples, every
    grade present (zero where no force has it)."""
    out: dict[str, dict[Grade, int]] = {}
    for _force, framework, grade in grades:
        out.setdefault(framework, {g: 0 for g in ORDER})[grade] += 1
    return out


@dataclass(frozen=True)
class PeerFlag:
    force_id: int
    framework_id: str
    grade: Grade
    peer_median: float
    peers: int
    reason: str


def msf_flags(grades: Mapping[int, Mapping[str, Grade]], groups: Mapping[int, str], gap: int) -> list[PeerFlag]:
    """Flag each grade at least ``gap`` steps from the median grade of the other forces in its
    most similar force group (forces without a group, or frameworks no peer has, are skipped)."""
    members: dict[str, list[int]] = {}
    for force, group in groups.items():
        members.setdefault(group, []).append(force)
    flags = []
    for force, by_framework in sorted(grades.items()):
        group = groups.get(force)
        if group is None:
            continue
        for framework, grade in sorted(by_framework.items()):
            peers = [grades[p][framework].rank for p in members[group]
                     if p != force and p in grades and framework in grades[p]]
            if not peers:
                continue
            median = statistics.median(peers)
            if abs(grade.rank - median) >= gap:
                flags.append(PeerFlag(force, framework, grade, median, len(peers),
                                      f"{grade.label} is {abs(grade.rank - median):g} grades from the median of "
                                      f"{len(peers)} most similar forces"))
    return flags


@dataclass(frozen=True)
class GradeRecord:
    force_id: int
    framework_id: str
    engine_grade: Grade
    provisional: bool
    moderated_grade: Grade | None


def evidence_flags(records: Iterable[GradeRecord]) -> list[PeerFlag]:
    """Flag each grade out of line with its own evidence: a moderated grade that differs from
    the engine's grade on the assessed criteria, or a provisional grade nobody moderated."""
    flags = []
    for r in sorted(records, key=lambda r: (r.force_id, r.framework_id)):
        if r.moderated_grade is not None and r.moderated_grade is not r.engine_grade:
            flags.append(PeerFlag(r.force_id, r.framework_id, r.moderated_grade, r.engine_grade.rank, 0,
                                  f"Moderated to {r.moderated_grade.label}; its assessed criteria give "
                                  f"{r.engine_grade.label}"))
        elif r.provisional and r.moderated_grade is None:
            flags.append(PeerFlag(r.force_id, r.framework_id, r.engine_grade, r.engine_grade.rank, 0,
                                  f"Provisional {r.engine_grade.label}, not moderated"))
    return flags
