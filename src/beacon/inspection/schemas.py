"""What the inspection API and forms accept and return."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from beacon.inspection.models import Method, Status, Verification
from beacon.inspection.types import Finding, Grade, Result
from beacon.schemas import Day, Id, Strict, Version

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Para = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=20, max_length=10_000)]
Slug = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=r"^[a-z0-9_.\-]+$")]


class InspectionIn(Strict):
    force_id: int = Field(ge=1, le=2**31 - 1)
    title: Line
    library_id: Slug = "hmic-2007"
    framework_ids: list[Slug] = Field(min_length=1, max_length=20)
    period_start: Day
    period_end: Day

    @model_validator(mode="after")
    def _period(self):
        if self.period_end < self.period_start:
            raise ValueError("period_end: cannot be before period_start")
        if len(set(self.framework_ids)) != len(self.framework_ids):
            raise ValueError("framework_ids: a framework is listed twice")
        return self


class AdvanceIn(Strict):
    version: Version
    status: Status


class CorrectionIn(Strict):
    reason: Reason


class EvidenceIn(Strict):
    framework_id: Slug
    method: Method
    title: Line
    summary: Para
    source: Line
    gathered_on: Day
    verification: Verification = Verification.UNVERIFIED
    finding: Finding | None = None
    shows_beacon: bool = False
    shows_innovation: bool = False
    criterion_ids: list[Slug] = Field(default_factory=list, max_length=50)


ComputedKind = Literal["mp.compliance", "mp.file_sample", "da.compliance", "da.file_sample", "cp.compliance",
                       "cp.file_sample"]


class ComputedEvidenceIn(Strict):
    """``framework_id`` defaults to the kind's framework (mp.* missing_persons, da.*
    domestic_violence, cp.* child_abuse); another framework is refused naming ``framework_id``.
    ``as_of`` (da.compliance only): the day at the end of which the DVO backlog is counted
    (default the last day of the inspection period)."""
    kind: ComputedKind
    framework_id: Slug | None = None
    criterion_ids: list[Slug] = Field(default_factory=list, max_length=50)
    n: int = Field(default=30, ge=1, le=1000)
    seed: int = Field(default=2007, ge=0, le=2**31 - 1)
    as_of: Day | None = None


class AssessmentIn(Strict):
    result: Result
    justification: Reason
    evidence_ids: list[Id] = Field(default_factory=list, max_length=100)
    version: Version | None = None


class ModerationIn(Strict):
    version: Version
    grade: Grade
    rationale: Reason


class PracticeIn(Strict):
    force_id: int = Field(ge=1, le=2**31 - 1)
    framework_id: Slug
    title: Line
    problem: Para
    solution: Para
    outcomes: Para
    force_contact: Line
    evaluated: bool = False
    in_report: bool = False
    inspection_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
