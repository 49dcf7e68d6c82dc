"""The force's structure and its people: force → divisions (BCUs) → sections →
neighbourhoods → wards; local authorities and partner bodies; staff; users."""
from __future__ import annotations

from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from beacon.db import Base
from beacon.org.roles import Rank, Role, Vetting


def _enum(cls):
    return Enum(cls, native_enum=False, length=40, values_callable=lambda e: [m.value for m in e],
                validate_strings=True)


class Force(Base):
    __tablename__ = "force"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    population: Mapped[int] = mapped_column(Integer, default=0)
    divisions: Mapped[list[Division]] = relationship(back_populates="force", order_by="Division.code")


class LocalAuthority(Base):
    __tablename__ = "local_authority"
    id: Mapped[int] = mapped_column(primary_key=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("force.id"))
    name: Mapped[str] = mapped_column(String(120), unique=True)


class PartnerBody(Base):
    """Children's social care, MARAC, LSCBs, health, probation: the agencies the force works with."""
    __tablename__ = "partner_body"
    id: Mapped[int] = mapped_column(primary_key=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("force.id"))
    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(160), unique=True)
    local_authority_id: Mapped[int | None] = mapped_column(ForeignKey("local_authority.id"))


class Division(Base):
    __tablename__ = "division"
    id: Mapped[int] = mapped_column(primary_key=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("force.id"))
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    population: Mapped[int] = mapped_column(Integer, default=0)
    force: Mapped[Force] = relationship(back_populates="divisions")
    sections: Mapped[list[Section]] = relationship(back_populates="division", order_by="Section.name")


class Section(Base):
    __tablename__ = "section"
    id: Mapped[int] = mapped_column(primary_key=True)
    division_id: Mapped[int] = mapped_column(ForeignKey("division.id"), index=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    division: Mapped[Division] = relationship(back_populates="sections")


class Neighbourhood(Base):
    __tablename__ = "neighbourhood"
    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id"), index=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


class Ward(Base):
    __tablename__ = "ward"
    id: Mapped[int] = mapped_column(primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhood.id"), index=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"))
    name: Mapped[str] = mapped_column(String(120), unique=True)
    population: Mapped[int] = mapped_column(Integer, default=0)


class Staff(Base):
    """An officer or member of police staff."""
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("force.id"))
    collar_number: Mapped[str] = mapped_column(String(20), unique=True)
    forename: Mapped[str] = mapped_column(String(80))
    surname: Mapped[str] = mapped_column(String(80))
    is_officer: Mapped[bool] = mapped_column(Boolean)
    rank: Mapped[Rank] = mapped_column(_enum(Rank))
    role: Mapped[str] = mapped_column(String(80))
    unit: Mapped[str] = mapped_column(String(80))
    division_id: Mapped[int | None] = mapped_column(ForeignKey("division.id"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("section.id"))
    vetting: Mapped[Vetting] = mapped_column(_enum(Vetting))

    @property
    def display_name(self) -> str:
        return f"{self.rank.value} {self.forename} {self.surname} ({self.collar_number})"


class User(Base):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(_enum(Role))
    vetting: Mapped[Vetting] = mapped_column(_enum(Vetting))
    division_id: Mapped[int | None] = mapped_column(ForeignKey("division.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # A partner agency's user works for one agency (a council's children's social care) and sees
    # only what was sent to it; None for force staff and inspectors.
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner_body.id", name="fk_app_user_partner_id"))
    display_name: Mapped[str] = mapped_column(String(160))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    division: Mapped[Division | None] = relationship()
