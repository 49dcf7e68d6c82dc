"""What the inspection API and forms accept (the ``...In`` models) and the API returns (the
``...Out`` models, at the foot)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from beacon.inspection.models import Method, RevealStatus, Status, Verification
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


# --- what the API returns ------------------------------------------------------------------------

class InspectionOut(BaseModel):
    id: int
    force_id: int
    title: str
    library_id: str
    library_version: str
    framework_ids: list[str]
    period_start: str
    period_end: str
    status: Status
    edition: int
    supersedes_id: int | None
    correction_reason: str
    sample_sizes: dict[str, int]
    starts_from_id: int | None = Field(None, description="year on year: the inspection whose results it started from")
    version: int


class EvidenceOut(BaseModel):
    id: int
    framework_id: str
    method: Method
    title: str
    summary: str
    source: str
    gathered_on: str
    recorded_by: str
    verification: Verification
    finding: Finding | None
    shows_beacon: bool
    shows_innovation: bool
    criterion_ids: list[str]
    computed_kind: str | None
    computed_params: dict[str, Any]
    computed_result: dict[str, Any]
    withdrawn_at: datetime | None
    withdrawn_by: str
    withdrawal_reason: str
    carried_from_id: int | None = Field(None, description="year on year: the previous inspection's evidence it copies")


class FigureOut(BaseModel):
    audit: str
    rule_id: str
    statistic: str = Field(description="rate (force-wide) or lowest_division")
    met: int
    applicable: int
    rate: float | None
    division: str | None = Field(description="the division read, for the lowest-division statistic (its id)")
    result: Result
    to_met: int | None = Field(description="more records meeting the rule that would make this figure met")


class ThresholdsOut(BaseModel):
    met_at: float
    partly_at: float
    minimum: int


class ProposalOut(BaseModel):
    criterion_id: str
    result: Result
    figures: list[FigureOut]
    thresholds: ThresholdsOut
    reason: str = Field(description="the binding's own reason for its thresholds ('' when the settings apply)")
    evidence_ids: list[int] = Field(description="the computed evidence the figures come from")
    missing: list[str] = Field(description="audits the binding reads that the inspection has not computed")


class AssessmentOut(BaseModel):
    criterion_id: str
    framework_id: str
    result: Result
    justification: str
    evidence_ids: list[int]
    assessed_by: str
    version: int
    proposed_result: Result | None = None
    overridden: bool = False
    override_reason: str = ""
    proposal: ProposalOut | None = None
    previous_result: Result | None = Field(None, description="year on year: the previous inspection's result")
    changed: bool = False


class GradeOut(BaseModel):
    """``grade`` is the grade that stands: the moderated one once it stands (a moderation more than
    one step from the engine's waits for a second moderator, ``awaiting_confirmation``), else the
    engine's. None: the framework is not evidenced, so not graded."""
    framework_id: str
    grade: Grade | None
    engine_grade: Grade | None
    provisional: bool
    moderated_grade: Grade | None
    moderation_rationale: str
    moderated_by: str
    awaiting_confirmation: bool
    confirmed_by: str
    confirmation_rationale: str
    explanation: DecisionOut
    version: int


class TallyOut(BaseModel):
    met: int
    applicable: int


class DecisionOut(BaseModel):
    """The engine's grade and why (``beacon.inspection.grading.GradeDecision``; grade None: not evidenced)."""
    grade: Grade | None
    provisional: bool
    reasons: list[str]
    deciding: list[str]
    moderation: list[str]
    fair_significant: TallyOut
    fair: TallyOut
    good: TallyOut
    excellent: TallyOut


class PracticeOut(BaseModel):
    id: int
    force_id: int
    framework_id: str
    title: str
    problem: str
    solution: str
    outcomes: str
    force_contact: str
    evaluated: bool
    in_report: bool


class IdentityOut(BaseModel):
    record_id: int
    reference: str
    name: str
    date_of_birth: str | None


class RevealOut(BaseModel):
    id: int
    record_type: str
    record_id: int
    evidence_id: int | None
    status: RevealStatus
    reason: str
    requested_by: str
    requested_at: datetime
    decided_by: str
    decided_at: datetime | None
    decision_reason: str
    version: int


class ExportEvidenceOut(BaseModel):
    id: int
    title: str


class ExportCriterionOut(BaseModel):
    framework_id: str
    criterion_id: str
    level: str
    significant: bool
    dominant: bool
    bound: bool
    result: Result | None = Field(description="None: not assessed")
    justification: str
    evidence: list[ExportEvidenceOut]
    proposal: dict[str, Any] | None = Field(description="bound criteria: what the records proposed when it was "
                                                        "assessed (figures, thresholds)")
    override_reason: str
    assessed_by: str
    assessed_at: str
    previous_result: Result | None
    framework_grade: Grade | None


class ExportOut(BaseModel):
    inspection_id: int
    criteria: list[ExportCriterionOut]


class CountedOut(BaseModel):
    force_id: int
    framework_id: str
    inspection_id: int


class NationalOut(BaseModel):
    """Each force counted once per framework, from its latest published inspection in the programme
    that graded it (``counted`` says which); a draft never counts."""
    library_id: str
    forces: int
    distribution: dict[str, dict[Grade, int]]
    flags: list[dict[str, Any]]
    counted: list[CountedOut]
