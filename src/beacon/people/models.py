"""One Person and one Location record shared by every domain (the police POLE convention:
people, objects, locations, events), so the same person links missing episodes,
domestic-abuse incidents, offender records and child-protection work."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from beacon.db import Base


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


class Person(Base):
    __tablename__ = "person"
    __table_args__ = (Index("ix_person_name", "surname_norm", "forename_norm"),)   # name search, index only
    id: Mapped[int] = mapped_column(primary_key=True)
    forename: Mapped[str] = mapped_column(String(80))
    surname: Mapped[str] = mapped_column(String(80))
    surname_norm: Mapped[str] = mapped_column(String(80))
    forename_norm: Mapped[str] = mapped_column(String(80))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(20), default="unknown")
    home_location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}
    home_location: Mapped[Location | None] = relationship()

    @property
    def full_name(self) -> str:
        return f"{self.forename} {self.surname}"

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class Location(Base):
    __tablename__ = "location"
    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(240))
    postcode: Mapped[str] = mapped_column(String(10), default="")
    kind: Mapped[str] = mapped_column(String(40), default="residential")  # residential, care_home, public_place…
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("ward.id"), index=True)
    division_id: Mapped[int | None] = mapped_column(ForeignKey("division.id"), index=True)
    warning: Mapped[str] = mapped_column(String(240), default="")

    @property
    def label(self) -> str:
        return f"{self.address}, {self.postcode}" if self.postcode else self.address
