"""What the API and forms accept and return for LSCB meetings and police attendance."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, model_validator

from beacon.schemas import Day, PartnerRef, Strict


class LscbMeetingIn(Strict):
    """A meeting of a Local Safeguarding Children Board, and whether the police were represented."""
    lscb_id: PartnerRef
    held_on: Day
    police_attended: bool
    attendee: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] = Field(
        default="", description="Who represented the police (required when police_attended)")

    @model_validator(mode="after")
    def _attendee(self):
        if self.police_attended and len(self.attendee) < 3:
            raise ValueError("attendee: say who represented the police (rank and name)")
        if not self.police_attended and self.attendee:
            raise ValueError("attendee: leave blank when the police did not attend")
        return self


class LscbMeetingOut(BaseModel):
    id: int
    lscb_id: int
    lscb_name: str
    held_on: date
    police_attended: bool
    attendee: str


class LscbMeetingList(BaseModel):
    from_on: date
    to_on: date
    items: list[LscbMeetingOut]


class AttendanceRow(BaseModel):
    lscb_id: int
    lscb_name: str
    meetings: int
    without_police: int
    dates_without_police: list[date]


class AttendanceOut(BaseModel):
    as_of: datetime
    from_on: date
    to_on: date
    rows: list[AttendanceRow]
    meetings: int
    without_police: int
