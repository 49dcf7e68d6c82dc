"""What the API and forms accept and return for police protection (Children Act 1989 s46)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, StringConstraints, model_validator

from beacon.people.schemas import Moment, PersonIn
from beacon.schemas import DivisionRef, PersonRef, Strict, ref

ChildCaseRef = ref("child_case")

Notes = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=5000)]


class ProtectionIn(Strict):
    """A child taken into police protection: the child (``child_id``, ``child``, or the child of
    ``case_id``), when, and the circumstances. Without a case, one is opened in the division:
    the local authority must then make enquiries (Children Act 1989 s47(1)(b))."""
    case_id: ChildCaseRef | None = None
    child_id: PersonRef | None = None
    child: PersonIn | None = None
    division_id: DivisionRef | None = None
    taken_at: Moment
    notes: Notes

    @model_validator(mode="after")
    def _child(self):
        if self.child is not None and self.child_id is not None:
            raise ValueError("child: give child (a new person) or child_id (someone already recorded), not both")
        if self.case_id is None and self.child is None and self.child_id is None:
            raise ValueError("child: give the child (child or child_id), or the case (case_id)")
        return self


class DesignatedReviewIn(Strict):
    """The designated officer's review: an officer of at least inspector rank, independent of
    the officer who took the child (HMIC, Gwent 2007, Child Abuse, strengths)."""
    notes: Notes


class ProtectionOut(BaseModel):
    id: int
    child_id: int
    child_name: str
    case_id: int | None
    division_id: int | None
    taken_at: datetime
    taken_by: str
    notes: str
    awaiting_review: bool
    designated_officer: str | None
    designated_review_at: datetime | None


class ProtectionList(BaseModel):
    as_of: datetime
    items: list[ProtectionOut]
