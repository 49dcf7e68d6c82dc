"""Missing person reports and everything recorded against them."""
from __future__ import annotations

import re
from datetime import datetime
from enum import Enum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from beacon.access.records import PersonLink, RecordType, column, declare
from beacon.db import Base, UTCDateTime
from beacon.org.models import _enum
from beacon.org.roles import Vetting
from beacon.people.models import Location, Person


class RiskGrade(str, Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    ABSENT_FROM_CARE = "absent_from_care"

    @property
    def label(self) -> str:
        return {"high": "High", "medium": "Medium", "low": "Low",
                "absent_from_care": "Unauthorised absence from care"}[self.value]


class Status(str, Enum):
    OPEN = "open"
    CLOSED = "closed"


class Outcome(str, Enum):
    FOUND = "found"
    RETURNED = "returned"


REFERENCE = re.compile(r"^\s*MP(\d{2})/(\d{6,})\s*$", re.IGNORECASE)


def reference_for(report_id: int, reported_at: datetime) -> str:
    """The reference officers quote: MP, the two-digit year reported, the record number."""
    return f"MP{reported_at:%y}/{report_id:06d}"


def id_from_reference(text: str) -> int | None:
    match = REFERENCE.match(text)
    return int(match.group(2)) if match else None


class MissingReport(Base):
    __tablename__ = "missing_report"
    __table_args__ = (
        Index("ix_missing_report_queue", "status", "division_id", "next_review_due_at"),
        Index("ix_missing_report_reported", "division_id", "reported_at"),
        Index("ix_missing_report_reported_at", "reported_at"),
        # covers the person-first name search (bench/results/missing_persons_findings.md)
        Index("ix_missing_report_person", "person_id", "reported_at", "division_id", "vetting_required"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    division_id: Mapped[int] = mapped_column(ForeignKey("division.id"))
    vetting_required: Mapped[Vetting] = mapped_column(_enum(Vetting), default=Vetting.RV)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), index=True)
    home_location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"), index=True)
    from_care: Mapped[bool] = mapped_column(Boolean, default=False)
    circumstances: Mapped[str] = mapped_column(Text)
    reported_by_name: Mapped[str] = mapped_column(String(160))
    reported_by_relationship: Mapped[str] = mapped_column(String(80))
    risk_grade: Mapped[RiskGrade] = mapped_column(_enum(RiskGrade))
    status: Mapped[Status] = mapped_column(_enum(Status), default=Status.OPEN)
    is_child: Mapped[bool] = mapped_column(Boolean, default=False)
    officer_in_case_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    pnc_circulated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Derived from the grade and the last review, kept so the supervisor's queue is an index scan
    # (docs/adr/0003-stored-review-due-time.md). Only the service sets it.
    next_review_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # closure
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome))
    found_location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"))
    found_by: Mapped[str | None] = mapped_column(String(160))
    prevention_interview_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    prevention_interview_notes: Mapped[str | None] = mapped_column(Text)
    return_interview_offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    person: Mapped[Person] = relationship(lazy="joined")

    @property
    def reference(self) -> str:
        return reference_for(self.id, self.reported_at)
    last_seen_location: Mapped[Location] = relationship(foreign_keys=[last_seen_location_id])
    home_location: Mapped[Location | None] = relationship(foreign_keys=[home_location_id])
    found_location: Mapped[Location | None] = relationship(foreign_keys=[found_location_id])
    assessments: Mapped[list[RiskAssessment]] = relationship(
        back_populates="report", order_by="RiskAssessment.assessed_at", cascade="all, delete-orphan")
    reviews: Mapped[list[Review]] = relationship(
        back_populates="report", order_by="Review.reviewed_at", cascade="all, delete-orphan")
    actions: Mapped[list[EnquiryAction]] = relationship(
        back_populates="report", order_by="EnquiryAction.at", cascade="all, delete-orphan")


class RiskAssessment(Base):
    """Every grade given to a report, with its rationale; the latest is the report's grade."""
    __tablename__ = "missing_risk_assessment"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("missing_report.id"), index=True)
    grade: Mapped[RiskGrade] = mapped_column(_enum(RiskGrade))
    rationale: Mapped[str] = mapped_column(Text, default="")
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    assessed_by_name: Mapped[str] = mapped_column(String(160), default="")
    report: Mapped[MissingReport] = relationship(back_populates="assessments")


class Review(Base):
    __tablename__ = "missing_review"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("missing_report.id"), index=True)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reviewer_name: Mapped[str] = mapped_column(String(160), default="")
    notes: Mapped[str] = mapped_column(Text)
    report: Mapped[MissingReport] = relationship(back_populates="reviews")


class EnquiryAction(Base):
    __tablename__ = "missing_action"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("missing_report.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    by_name: Mapped[str] = mapped_column(String(160), default="")
    text: Mapped[str] = mapped_column(Text)
    report: Mapped[MissingReport] = relationship(back_populates="actions")


declare(RecordType("missing_report", "missing-person report", MissingReport, column("division_id"),
                   vetting=lambda r: r.vetting_required,
                   places=(MissingReport.last_seen_location_id, MissingReport.home_location_id),
                   people=(PersonLink(MissingReport.person_id, MissingReport.division_id, MissingReport.vetting_required),)))
