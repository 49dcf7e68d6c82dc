"""Domestic abuse risk forms, the specialist's review, and MARAC."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from beacon.access.records import PersonLink, RecordType, column, declare
from beacon.db import Base, UTCDateTime


class RiskForm(Base):
    """The first officer's risk identification (DASH by default) on an incident, scored at once;
    the DVO's review; the final level with any professional judgement."""
    __tablename__ = "da_risk_form"
    __table_args__ = (Index("ix_da_risk_form_queue", "division_id", "reviewed_at", "completed_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id"), index=True)
    victim_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    perpetrator_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    division_id: Mapped[int] = mapped_column(ForeignKey("division.id"))
    instrument_id: Mapped[str] = mapped_column(String(40))
    answers: Mapped[str] = mapped_column(Text)            # JSON {question_id: true/false/null}
    score: Mapped[int] = mapped_column(Integer)
    computed_level: Mapped[str] = mapped_column(String(10))
    judged_level: Mapped[str | None] = mapped_column(String(10))
    judgement_reason: Mapped[str] = mapped_column(Text, default="")
    final_level: Mapped[str] = mapped_column(String(10))
    completed_by: Mapped[str] = mapped_column(String(80))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[str] = mapped_column(String(80), default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_notes: Mapped[str] = mapped_column(Text, default="")
    children_in_household: Mapped[int] = mapped_column(Integer, default=0)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("da_risk_form.id"))  # reassessment
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class MaracMeeting(Base):
    __tablename__ = "marac_meeting"
    id: Mapped[int] = mapped_column(primary_key=True)
    marac_id: Mapped[int] = mapped_column(ForeignKey("partner_body.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    agencies_present: Mapped[str] = mapped_column(Text, default="[]")  # JSON list


class MaracReferral(Base):
    __tablename__ = "marac_referral"
    id: Mapped[int] = mapped_column(primary_key=True)
    risk_form_id: Mapped[int] = mapped_column(ForeignKey("da_risk_form.id"), index=True)
    victim_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    perpetrator_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    division_id: Mapped[int] = mapped_column(ForeignKey("division.id"))
    marac_id: Mapped[int | None] = mapped_column(ForeignKey("partner_body.id"))  # None: the division has no MARAC
    criteria: Mapped[str] = mapped_column(Text)   # JSON list of criteria met
    is_repeat: Mapped[bool] = mapped_column(Boolean, default=False)
    referred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    referred_by: Mapped[str] = mapped_column(String(80))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("marac_meeting.id"))


class MaracAction(Base):
    __tablename__ = "marac_action"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("marac_meeting.id"), index=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("marac_referral.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner_agency: Mapped[str] = mapped_column(String(120))
    due_on: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


declare(RecordType("da_form", "domestic abuse risk form", RiskForm, column("division_id"),
                   people=(PersonLink(RiskForm.victim_id, RiskForm.division_id),
                           PersonLink(RiskForm.perpetrator_id, RiskForm.division_id))))
declare(RecordType("marac", "MARAC referral", MaracReferral, column("division_id"),
                   people=(PersonLink(MaracReferral.victim_id, MaracReferral.division_id),
                           PersonLink(MaracReferral.perpetrator_id, MaracReferral.division_id))))
