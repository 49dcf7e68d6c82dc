"""What the inspection API and forms accept and return."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from beacon.inspection.models import Method, Status, Verification
from beacon.inspection.types import Finding, Grade, Result
from beacon.schemas import Day, ForceRef, Strict, Version, ref

EvidenceRef = ref("evidence")
InspectionRef = ref("inspection")

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Para = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=20, max_length=10_000)]
Slug = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=r"^[a-z0-9_.\-]+$")]


FileSampleKind = Literal["mp.file_sample", "da.file_sample", "cp.file_sample"]
SampleSize = Annotated[int, Field(ge=1, le=1000)]


InspectionRef = ref("inspection")


class InspectionIn(Strict):
    """``sample_sizes``: the files in each case-file sample, by kind; a kind left out takes the
    setting ``inspection.file_sample_size``, and none may exceed ``inspection.file_sample_max``.
    Fixed when the inspection is created."""
    force_id: ForceRef
    title: Line
    library_id: Slug = "hmic-2007"
    framework_ids: list[Slug] = Field(min_length=1, max_length=20)
    period_start: Day
    period_end: Day
    sample_sizes: dict[FileSampleKind, SampleSize] = Field(default_factory=dict)
    starts_from: InspectionRef | None = Field(None, description=(
        "Year on year: a published inspection of the same force and programme whose results for the criteria "
        "not bound to records, and whose typed evidence, this one starts from (marked as carried; evidence older "
        "than inspection.evidence_expiry_months before the new period is marked expired)"))

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
    (default the last day of the inspection period). ``n`` (file samples only): fewer files than
    the inspection's sample size, which is the default and the most. There is no seed to send:
    Beacon draws the sample with a seed it generates and records."""
    kind: ComputedKind
    framework_id: Slug | None = None
    criterion_ids: list[Slug] = Field(default_factory=list, max_length=50)
    n: SampleSize | None = None
    as_of: Day | None = None


class WithdrawalIn(Strict):
    """Why a case-file sample is withdrawn (so that another of its kind may be drawn)."""
    reason: Reason


RevealRecordType = Literal["missing_report", "da_form", "child_case"]


class RevealRequestIn(Strict):
    """A request to see the name behind a record that is not in the inspection's sample (or
    beyond the sample's size): which record, and why. Another inspector decides."""
    record_type: RevealRecordType
    record_id: ref("@record_type")   # the kind the record_type field names
    reason: Reason


class RevealDecisionIn(Strict):
    version: Version
    decision: Literal["approved", "refused"]
    reason: Reason


class AssessmentIn(Strict):
    result: Result
    justification: Reason
    evidence_ids: list[EvidenceRef] = Field(default_factory=list, max_length=100)
    version: Version | None = None
    override_reason: str = Field("", max_length=4000, description=(
        "For a criterion bound to records: why the result differs from the one the records propose "
        "(required then, at least 30 characters; refused for an unbound criterion)"))


class ModerationIn(Strict):
    version: Version
    grade: Grade
    rationale: Reason


class ConfirmationIn(Strict):
    """A second moderator's confirmation of a moderated grade more than one step from the engine's."""
    version: Version
    rationale: Reason


class PracticeIn(Strict):
    force_id: ForceRef
    framework_id: Slug
    title: Line
    problem: Para
    solution: Para
    outcomes: Para
    force_contact: Line
    evaluated: bool = False
    in_report: bool = False
    inspection_id: InspectionRef | None = None
