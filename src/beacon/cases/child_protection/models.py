"""Referrals to children's social care, child protection cases, decisions with the risk
factors considered, police protection and LSCB attendance."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from beacon.access.records import PersonLink, RecordType, column, declare
from beacon.db import Base, UTCDateTime
from beacon.org.roles import Role


class ChildReferral(Base):
    """A referral to children's social care, tracked from sending to acknowledgement and outcome.
    ``sent_at`` is set only when the partner has the referral (delivered to its Beacon inbox or
    accepted by its API): a referral cannot be marked sent without being sent."""
    __tablename__ = "child_referral"
    __table_args__ = (Index("ix_child_referral_ack", "acknowledged_at", "due_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    division_id: Mapped[int] = mapped_column(ForeignKey("division.id"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner_body.id"), index=True)
    risk_form_id: Mapped[int | None] = mapped_column(ForeignKey("da_risk_form.id"))
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id"))
    concern: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(80))
    delivery: Mapped[str] = mapped_column(String(20), default="queued")  # queued, delivered, failed
    delivery_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)        # acknowledgement due (1 working day)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str] = mapped_column(String(80), default="")
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(Text, default="")
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class ChildCase(Base):
    __tablename__ = "child_case"
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    division_id: Mapped[int] = mapped_column(ForeignKey("division.id"), index=True)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("child_referral.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    concern: Mapped[str] = mapped_column(Text)
    strategy_discussion_on: Mapped[date | None] = mapped_column(Date)
    joint_investigation: Mapped[bool | None] = mapped_column(Boolean)
    joint_criteria_met: Mapped[str] = mapped_column(Text, default="[]")   # JSON ids from the agreed criteria
    investigated_by: Mapped[str] = mapped_column(String(40), default="")  # specialist, uniform
    s47_started_on: Mapped[date | None] = mapped_column(Date)
    initial_conference_on: Mapped[date | None] = mapped_column(Date)
    first_review_on: Mapped[date | None] = mapped_column(Date)   # the first and latest of ``reviews``, kept
    last_review_on: Mapped[date | None] = mapped_column(Date)    # on the case for lists and the caseload
    core_group_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    version: Mapped[int] = mapped_column(Integer, default=1)
    reviews: Mapped[list[ChildCaseReview]] = relationship(order_by="ChildCaseReview.held_on", lazy="selectin")
    __mapper_args__ = {"version_id_col": version}


class ChildCaseReview(Base):
    """A review child protection conference held on a case. Each is on time or late against the
    one before it (the first against the initial conference), so every review is kept."""
    __tablename__ = "child_case_review"
    __table_args__ = (UniqueConstraint("case_id", "held_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("child_case.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    # None for a review recorded before each review was kept (migration 0007 copied the case's
    # first and latest review dates)
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(80), default="")


class ChildDecision(Base):
    """A decision about a child, with every risk factor considered and those discounted, and why."""
    __tablename__ = "child_decision"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("child_case.id"), index=True)
    decision: Mapped[str] = mapped_column(Text)
    factors: Mapped[str] = mapped_column(Text)   # JSON {factor_id: {"considered": bool, "discounted": bool, "reason": str}}
    decided_by: Mapped[str] = mapped_column(String(80))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PoliceProtection(Base):
    __tablename__ = "police_protection"
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("child_case.id"))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    taken_by: Mapped[str] = mapped_column(String(80))
    designated_officer_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))  # inspector or above
    designated_review_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notes: Mapped[str] = mapped_column(Text, default="")


class LscbMeeting(Base):
    __tablename__ = "lscb_meeting"
    id: Mapped[int] = mapped_column(primary_key=True)
    lscb_id: Mapped[int] = mapped_column(ForeignKey("partner_body.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    police_attended: Mapped[bool] = mapped_column(Boolean)
    attendee: Mapped[str] = mapped_column(String(120), default="")


def _other_agency(_session, user, referral: ChildReferral) -> str | None:
    # two councils can share a division: a partner sees only what was sent to its own agency
    if user.role is Role.PARTNER and (referral.partner_id != user.partner_id or referral.delivery != "delivered"):
        return "sent to another agency"
    return None


def _case_division(session, protection: PoliceProtection) -> int | None:
    # police protection belongs to the division of its case; one without a case is force-wide
    case = session.get(ChildCase, protection.case_id) if protection.case_id else None
    return case.division_id if case else None


declare(RecordType("child_referral", "child referral", ChildReferral, column("division_id"),
                   guard=_other_agency,
                   people=(PersonLink(ChildReferral.child_id, ChildReferral.division_id,
                                      where=lambda user: (ChildReferral.partner_id == user.partner_id
                                                          if user.role is Role.PARTNER else None)),)))
declare(RecordType("child_case", "child protection case", ChildCase, column("division_id"),
                   people=(PersonLink(ChildCase.child_id, ChildCase.division_id),)))
declare(RecordType("police_protection", "police protection", PoliceProtection, _case_division,
                   people=(PersonLink(PoliceProtection.child_id, ChildCase.division_id,
                                      join=lambda stmt: stmt.join(ChildCase, ChildCase.id == PoliceProtection.case_id)),)))
