"""Inspections, evidence, criterion assessments, framework grades and developing practice."""
from __future__ import annotations

from datetime import date, datetime
from enum import Enum

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from beacon.db import Base, UTCDateTime
from beacon.inspection.types import Finding, Grade, Result
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


class Evidence(Base):
    __tablename__ = "evidence"
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
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class FrameworkGrade(Base):
    """The engine's grade for one framework of one inspection, and the moderator's, if any."""
    __tablename__ = "framework_grade"
    __table_args__ = (UniqueConstraint("inspection_id", "framework_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), index=True)
    framework_id: Mapped[str] = mapped_column(String(60))
    engine_grade: Mapped[Grade] = mapped_column(_enum(Grade))
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    explanation: Mapped[str] = mapped_column(Text)   # JSON of grading.Decision
    moderated_grade: Mapped[Grade | None] = mapped_column(_enum(Grade))
    moderation_rationale: Mapped[str] = mapped_column(Text, default="")
    moderated_by: Mapped[str] = mapped_column(String(80), default="")
    graded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    @property
    def grade(self) -> Grade:
        return self.moderated_grade or self.engine_grade


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
