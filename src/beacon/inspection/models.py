"""Inspections, evidence, criterion assessments, framework grades, the names revealed to
inspectors (and the requests to reveal them), and developing practice."""
from __future__ import annotations

from datetime import date, datetime
from enum import Enum

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from beacon.access.records import RecordType, declare
from beacon.db import Base, UTCDateTime
from beacon.inspection.types import Finding, Grade, Result, grade_label, grade_rank
from beacon.org.models import _enum


class Status(str, Enum):
    PLANNED = "planned"
    FIELDWORK = "fieldwork"
    GRADING = "grading"
    MODERATION = "moderation"
    PUBLISHED = "published"


class Method(str, Enum):
    DOCUMENT = "document"
    INTERVIEW = "interview"
    FOCUS_GROUP = "focus_group"
    OBSERVATION = "observation"
    SURVEY = "survey"
    FILE_SAMPLE = "case_file_sample"
    DATA = "data"


class Verification(str, Enum):
    UNVERIFIED = "unverified"
    VERIFIED = "verified"
    DISPUTED = "disputed"


class Inspection(Base):
    __tablename__ = "inspection"
    id: Mapped[int] = mapped_column(primary_key=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("force.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    library_id: Mapped[str] = mapped_column(String(40))
    library_version: Mapped[str] = mapped_column(String(20))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    status: Mapped[Status] = mapped_column(_enum(Status), default=Status.PLANNED)
    edition: Mapped[int] = mapped_column(Integer, default=1)   # a correction after publication is a new edition
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"))
    correction_reason: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # JSON {computed kind: files}: the size of each case-file sample, fixed when the inspection is
    # created (setting inspection.file_sample_size, at most inspection.file_sample_max); {} for an
    # inspection created before sizes were kept, which uses the setting.
    sample_sizes: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    # Year on year: the published inspection of the same force and programme whose unbound results
    # and typed evidence this one started from (service.create copies them, marked as carried).
    # A plain id, as evidence.carried_from_id (no foreign key: SQLite rebuilds a table to add one).
    starts_from_id: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    frameworks: Mapped[list[InspectionFramework]] = relationship(cascade="all, delete-orphan",
                                                                 order_by="InspectionFramework.position")

    @property
    def framework_ids(self) -> list[str]:
        return [f.framework_id for f in self.frameworks]


class InspectionFramework(Base):
    __tablename__ = "inspection_framework"
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), primary_key=True)
    framework_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


# One live case-file sample of each kind per inspection and framework: a second is refused
# until the first is withdrawn (docs/adr/0011-case-file-samples-and-reveals.md). Typed-in samples
# have no computed kind, and NULLs never collide.
LIVE_SAMPLE = "method = 'case_file_sample' AND withdrawn_at IS NULL"


class Evidence(Base):
    __tablename__ = "evidence"
    __table_args__ = (Index("ix_evidence_live_sample", "inspection_id", "framework_id", "computed_kind", unique=True,
                            sqlite_where=text(LIVE_SAMPLE), postgresql_where=text(LIVE_SAMPLE)),)
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), index=True)
    framework_id: Mapped[str] = mapped_column(String(60))
    method: Mapped[Method] = mapped_column(_enum(Method))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(200))
    gathered_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(80))
    verification: Mapped[Verification] = mapped_column(_enum(Verification), default=Verification.UNVERIFIED)
    finding: Mapped[Finding | None] = mapped_column(_enum(Finding))
    shows_beacon: Mapped[bool] = mapped_column(Boolean, default=False)
    shows_innovation: Mapped[bool] = mapped_column(Boolean, default=False)
    # computed evidence: what was computed, with which parameters, and what it found (JSON text)
    computed_kind: Mapped[str | None] = mapped_column(String(60))
    computed_params: Mapped[str] = mapped_column(Text, default="{}")
    computed_result: Mapped[str] = mapped_column(Text, default="{}")
    # a computed case-file sample withdrawn (so that another may be drawn): when, by whom, why
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by: Mapped[str] = mapped_column(String(80), default="", server_default="")
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    carried_from_id: Mapped[int | None] = mapped_column(Integer)   # the previous inspection's evidence it copies
    criteria: Mapped[list[EvidenceCriterion]] = relationship(cascade="all, delete-orphan")

    @property
    def criterion_ids(self) -> list[str]:
        return [c.criterion_id for c in self.criteria]


class EvidenceCriterion(Base):
    __tablename__ = "evidence_criterion"
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), primary_key=True)
    criterion_id: Mapped[str] = mapped_column(String(80), primary_key=True)


class CriterionAssessment(Base):
    __tablename__ = "criterion_assessment"
    __table_args__ = (UniqueConstraint("inspection_id", "criterion_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), index=True)
    framework_id: Mapped[str] = mapped_column(String(60))
    criterion_id: Mapped[str] = mapped_column(String(80))
    result: Mapped[Result] = mapped_column(_enum(Result))
    justification: Mapped[str] = mapped_column(Text)
    evidence_ids: Mapped[str] = mapped_column(Text, default="[]")   # JSON list: the evidence it rests on
    assessed_by: Mapped[str] = mapped_column(String(80))
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A bound criterion: what the records proposed when it was assessed (binding.Proposal JSON), and
    # the inspector's reason when the result differs from it (an override).
    proposed_result: Mapped[Result | None] = mapped_column(_enum(Result))
    proposal: Mapped[str | None] = mapped_column(Text)
    override_reason: Mapped[str] = mapped_column(Text, default="")
    # Year on year: the result the previous inspection gave (None: not carried). The result stays
    # the previous one until an inspector assesses it again; ``changed`` says whether it moved.
    previous_result: Mapped[Result | None] = mapped_column(_enum(Result))
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    @property
    def changed(self) -> bool:
        return self.previous_result is not None and self.result is not self.previous_result

    @property
    def carried_only(self) -> bool:
        """Carried from the previous inspection and not assessed again (any save bumps the version)."""
        return self.previous_result is not None and self.version == 1

    @property
    def overridden(self) -> bool:
        return self.proposed_result not in (None, Result.NOT_EVIDENCED) and self.result is not self.proposed_result


class LiveGrade(Base):
    """A framework's live provisional grade for a force in one month: bound criteria from the
    records of the rolling period ending with the month, unbound ones carried forward from the
    latest published inspection. One row per force, programme, framework and month (the history)."""
    __tablename__ = "live_grade"
    __table_args__ = (UniqueConstraint("force_id", "library_id", "framework_id", "month"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("force.id"), index=True)
    library_id: Mapped[str] = mapped_column(String(60))
    framework_id: Mapped[str] = mapped_column(String(60))
    month: Mapped[date] = mapped_column(Date)              # the first day of the month graded
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)         # exclusive
    grade: Mapped[Grade | None] = mapped_column(_enum(Grade))   # None: not evidenced
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    decision: Mapped[str] = mapped_column(Text)            # grading.GradeDecision JSON
    criteria: Mapped[str] = mapped_column(Text)            # JSON: criterion id -> {result, source, ...}
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FrameworkGrade(Base):
    """The engine's grade for one framework of one inspection, and the moderator's, if any."""
    __tablename__ = "framework_grade"
    __table_args__ = (UniqueConstraint("inspection_id", "framework_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), index=True)
    framework_id: Mapped[str] = mapped_column(String(60))
    engine_grade: Mapped[Grade | None] = mapped_column(_enum(Grade))   # None: not evidenced, so not graded
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    explanation: Mapped[str] = mapped_column(Text)   # JSON of grading.GradeDecision
    moderated_grade: Mapped[Grade | None] = mapped_column(_enum(Grade))
    moderation_rationale: Mapped[str] = mapped_column(Text, default="")
    moderated_by: Mapped[str] = mapped_column(String(80), default="")
    # A moderated grade more than one step from the engine's stands only once a second moderator
    # (not the first) confirms it; until then the engine's grade stands and publication waits.
    confirmed_by: Mapped[str] = mapped_column(String(80), default="")
    confirmation_rationale: Mapped[str] = mapped_column(Text, default="")
    graded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    @property
    def awaiting_confirmation(self) -> bool:
        return self.moderated_grade is not None and not self.confirmed_by and \
            moderation_steps(self.engine_grade, self.moderated_grade) > 1

    @property
    def grade(self) -> Grade | None:
        if self.moderated_grade is not None and not self.awaiting_confirmation:
            return self.moderated_grade
        return self.engine_grade

    @property
    def label(self) -> str:
        return grade_label(self.grade)

    @property
    def engine_label(self) -> str:
        return grade_label(self.engine_grade)


def moderation_steps(engine: Grade | None, moderated: Grade) -> int:
    """Grades between the engine's and the moderator's (from Not evidenced, every step counts)."""
    return abs(moderated.rank - grade_rank(engine))


class RevealStatus(str, Enum):
    IN_SAMPLE = "in_sample"    # a record of a case-file sample, within the sample's size: shown without approval
    PENDING = "pending"        # asked for, waiting for a second inspector
    APPROVED = "approved"      # a second inspector agreed: the requester may see it
    REFUSED = "refused"        # a second inspector refused


class IdentityReveal(Base):
    """A name shown to an inspector, or asked for. A record in the inspection's case-file sample
    is shown at once (one row the first time, ``in_sample``), up to the sample's size; any other
    reveal is a request (who, which record, why) that another inspector approves or refuses
    before the requester may see it. Every view is also in the access log."""
    __tablename__ = "identity_reveal"
    __table_args__ = (Index("ix_identity_reveal_record", "inspection_id", "record_type", "record_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))   # the sample it was shown from
    record_type: Mapped[str] = mapped_column(String(40))    # missing_report, da_form, child_case
    record_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[RevealStatus] = mapped_column(_enum(RevealStatus))
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(80))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[str] = mapped_column(String(80), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class DevelopingPractice(Base):
    __tablename__ = "developing_practice"
    id: Mapped[int] = mapped_column(primary_key=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("force.id"), index=True)
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"))
    framework_id: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    problem: Mapped[str] = mapped_column(Text)
    solution: Mapped[str] = mapped_column(Text)
    outcomes: Mapped[str] = mapped_column(Text)
    force_contact: Mapped[str] = mapped_column(String(200))
    evaluated: Mapped[bool] = mapped_column(Boolean, default=False)
    in_report: Mapped[bool] = mapped_column(Boolean, default=False)
    search_text: Mapped[str] = mapped_column(Text, default="")  # lower-cased title, problem, solution, outcomes


class MostSimilarGroup(Base):
    """Most similar force groups (input data) used by the moderation check."""
    __tablename__ = "msf_group"
    force_id: Mapped[int] = mapped_column(ForeignKey("force.id"), primary_key=True)
    group: Mapped[str] = mapped_column(String(40), index=True)


declare(RecordType("inspection", "inspection", Inspection))
declare(RecordType("evidence", "evidence", Evidence, matrix="inspection"))
