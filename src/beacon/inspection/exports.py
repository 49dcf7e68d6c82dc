"""An inspection's assessment results for the inspectorate's own tools, as CSV and as JSON: each
criterion of each framework with its result, justification, the evidence it rests on and, for a
bound criterion, what the records proposed (the figures, the thresholds) and any override.

CSV cells that a spreadsheet would read as a formula (starting ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) are written with a leading apostrophe (OWASP, "CSV Injection"), since
justifications and evidence titles are free text an inspector typed."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from beacon.access.audit import note
from beacon.access.policy import Action, Principal
from beacon.inspection import repository as inspection_repo
from beacon.inspection.binding import Proposal
from beacon.inspection.service import fetch, library
from beacon.inspection.types import grade_value

COLUMNS = ("framework_id", "criterion_id", "level", "significant", "dominant", "bound", "result", "justification",
           "evidence_ids", "evidence_titles", "proposed_result", "figures", "thresholds", "override_reason",
           "assessed_by", "assessed_at", "previous_result", "framework_grade")
RISKY = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportRow:
    framework_id: str
    criterion_id: str
    level: str
    significant: bool
    dominant: bool
    bound: bool
    result: str | None                  # None: not assessed
    justification: str
    evidence: tuple[tuple[int, str], ...]
    proposal: Proposal | None
    override_reason: str
    assessed_by: str
    assessed_at: str
    previous_result: str | None         # year on year: the previous inspection's result
    framework_grade: str | None

    def to_json(self) -> dict:
        return {"framework_id": self.framework_id, "criterion_id": self.criterion_id, "level": self.level,
                "significant": self.significant, "dominant": self.dominant, "bound": self.bound,
                "result": self.result, "justification": self.justification,
                "evidence": [{"id": i, "title": t} for i, t in self.evidence],
                "proposal": self.proposal.to_json() if self.proposal else None,
                "override_reason": self.override_reason, "assessed_by": self.assessed_by,
                "assessed_at": self.assessed_at, "previous_result": self.previous_result,
                "framework_grade": self.framework_grade}

    def cells(self) -> list[str]:
        p = self.proposal
        return [self.framework_id, self.criterion_id, self.level, _yes(self.significant), _yes(self.dominant),
                _yes(self.bound), self.result or "", self.justification,
                " ".join(str(i) for i, _ in self.evidence), " | ".join(t for _, t in self.evidence),
                p.result.value if p else "",
                "; ".join(f"{f.rule_id}{' ' + f.division if f.division else ''}: {f.met} of {f.applicable}"
                          for f in p.figures) if p else "",
                (f"met from {p.thresholds.met_at:.0%}, partly from {p.thresholds.partly_at:.0%}, "
                 f"at least {p.thresholds.minimum} records") if p else "",
                self.override_reason, self.assessed_by, self.assessed_at, self.previous_result or "",
                self.framework_grade or ""]


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def safe_cell(value: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    return "'" + value if value.startswith(RISKY) else value


def rows(session: Session, user: Principal, inspection_id: int) -> list[ExportRow]:
    inspection = fetch(session, user, inspection_id, Action.READ)
    lib = library(inspection.library_id)
    assessments = {a.criterion_id: a for a in inspection_repo.assessments_of(session, inspection_id)}
    titles = {e.id: e.title for e in inspection_repo.evidence_of(session, inspection_id)}
    grades = {g.framework_id: g for g in inspection_repo.grades_of(session, inspection_id)}
    out = []
    for fid in inspection.framework_ids:
        framework = lib.framework(fid)
        grade = grades.get(fid)
        for c in framework.criteria:
            a = assessments.get(c.id)
            ids = json.loads(a.evidence_ids) if a else []
            out.append(ExportRow(
                fid, c.id, c.level.value, c.significant, c.dominant, c.binding is not None,
                a.result.value if a else None, a.justification if a else "",
                tuple((int(i), titles.get(int(i), "")) for i in ids),
                Proposal.from_json(json.loads(a.proposal)) if a and a.proposal else None,
                a.override_reason if a else "", a.assessed_by if a else "",
                a.assessed_at.isoformat() if a else "",
                a.previous_result.value if a and a.previous_result else None,
                grade_value(grade.grade) if grade else None))
    note(session, user, "export", "inspection", inspection_id, detail=f"assessments, {len(out)} criteria")
    return out


def to_csv(found: list[ExportRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in found:
        writer.writerow([safe_cell(v) for v in row.cells()])
    return buffer.getvalue()


def to_json(inspection_id: int, found: list[ExportRow]) -> dict:
    return {"inspection_id": inspection_id, "criteria": [r.to_json() for r in found]}
