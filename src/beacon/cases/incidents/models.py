"""Incidents from command and control, and what a domestic or child-protection closure creates."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from beacon.access.records import PersonLink, RecordType, column, declare
from beacon.db import Base, UTCDateTime

DOMESTIC = "domestic"
CHILD_PROTECTION = "child_protection"
PPU_CLOSINGS = (DOMESTIC, CHILD_PROTECTION)


class Incident(Base):
    """One command-and-control log. ``log_ref`` is the control room's reference: imports and
    the live feed are idempotent on it."""
    __tablename__ = "incident"
    __table_args__ = (Index("ix_incident_division_received", "division_id", "received_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    log_ref: Mapped[str] = mapped_column(String(40), unique=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opening_code: Mapped[str] = mapped_column(String(60), default="")
    closing_code: Mapped[str] = mapped_column(String(60), default="", index=True)
    narrative: Mapped[str] = mapped_column(Text, default="")
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"), index=True)
    division_id: Mapped[int | None] = mapped_column(ForeignKey("division.id"))
    source: Mapped[str] = mapped_column(String(20), default="import")   # import, api
    content_hash: Mapped[str] = mapped_column(String(64), default="")  # detects a re-sent log that changed
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}
    people: Mapped[list[IncidentPerson]] = relationship(cascade="all, delete-orphan")


class IncidentPerson(Base):
    __tablename__ = "incident_person"
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(20))  # victim, suspect, child, witness, other


class WorkItem(Base):
    """The public protection unit's work created when a log is closed as domestic or child protection."""
    __tablename__ = "ppu_work_item"
    __table_args__ = (Index("ix_ppu_work_item_queue", "division_id", "status", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    division_id: Mapped[int | None] = mapped_column(ForeignKey("division.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, in_progress, done
    taken_by: Mapped[str] = mapped_column(String(80), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class AddressWarning(Base):
    """A warning marker on an address that anyone handling a later incident there sees."""
    __tablename__ = "address_warning"
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ImportBatch(Base):
    __tablename__ = "incident_import"
    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(10))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    imported_by: Mapped[str] = mapped_column(String(80))
    rows: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[str] = mapped_column(Text, default="[]")  # JSON: [{"row": n, "field": f, "message": m}]


class ClosureFlag(Base):
    """A log the closure audit thinks should have been closed as domestic or child protection."""
    __tablename__ = "closure_flag"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), unique=True)
    suggested: Mapped[str] = mapped_column(String(30))
    signals: Mapped[str] = mapped_column(Text)  # JSON list of {signal, detail}
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="to_review")  # to_review, confirmed, dismissed
    reviewed_by: Mapped[str] = mapped_column(String(80), default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")


declare(RecordType("incident", "incident", Incident, column("division_id"), places=(Incident.location_id,),
                   people=(PersonLink(IncidentPerson.person_id, Incident.division_id,
                                      join=lambda stmt: stmt.join(Incident, Incident.id == IncidentPerson.incident_id),
                                      record=IncidentPerson.incident_id),)))
declare(RecordType("ppu_work", "public protection work item", WorkItem, column("division_id")))
