"""What the API and forms accept and return for missing-person reports. Every field is
validated with a message that names it; ``extra='forbid'`` rejects unknown fields."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import (
    BaseModel,
    StringConstraints,
    model_validator,
)

from beacon.cases.missing_persons.models import Outcome, RiskGrade
from beacon.people.schemas import Moment, PersonIn, PlaceIn
from beacon.schemas import DivisionRef, PersonRef, Strict, Version

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=160)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
Rationale = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=5000)]


class ReportIn(Strict):
    person: PersonIn | None = None
    person_id: PersonRef | None = None
    home: PlaceIn | None = None
    last_seen_place: PlaceIn
    last_seen_at: Moment
    reported_at: Moment | None = None
    circumstances: LongText
    reported_by_name: Text
    reported_by_relationship: Text
    risk_grade: RiskGrade
    rationale: Rationale
    from_care: bool = False
    division_id: DivisionRef | None = None

    @model_validator(mode="after")
    def _consistent(self):
        if (self.person is None) == (self.person_id is None):
            raise ValueError("person: give either person (a new person) or person_id (someone already recorded)")
        reported = self.reported_at or datetime.now(UTC)
        if self.last_seen_at > reported:
            raise ValueError("last_seen_at: cannot be after the report was made")
        dob = self.person.date_of_birth if self.person else None
        if dob and dob > self.last_seen_at.date():
            raise ValueError("person.date_of_birth: cannot be after the person was last seen")
        if self.risk_grade is RiskGrade.ABSENT_FROM_CARE and not self.from_care:
            raise ValueError("from_care: an unauthorised absence from care must be from care")
        return self


class ReportUpdate(Strict):
    version: Version
    circumstances: LongText | None = None
    reported_by_name: Text | None = None
    reported_by_relationship: Text | None = None


class RegradeIn(Strict):
    version: Version
    grade: RiskGrade
    rationale: Rationale


class ReviewIn(Strict):
    version: Version
    notes: Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=5000)]


class ActionIn(Strict):
    text: LongText


class PncIn(Strict):
    version: Version
    circulated_at: Moment


class ClosureIn(Strict):
    version: Version
    closed_at: Moment
    outcome: Outcome
    found_place: PlaceIn
    found_by: Text
    prevention_interview_at: Moment | None = None
    prevention_interview_notes: Annotated[str, StringConstraints(max_length=5000)] = ""
    return_interview_offered_at: Moment | None = None

    @model_validator(mode="after")
    def _order(self):
        for name in ("prevention_interview_at", "return_interview_offered_at"):
            value = getattr(self, name)
            if value is not None and value < self.closed_at:
                raise ValueError(f"{name}: cannot be before the person was found")
        return self


class GradeOut(BaseModel):
    grade: RiskGrade
    rationale: str
    assessed_at: datetime
    assessed_by: str


class ReviewOut(BaseModel):
    reviewed_at: datetime
    reviewer: str
    notes: str


class ActionOut(BaseModel):
    at: datetime
    by: str
    text: str


class ReportSummary(BaseModel):
    id: int
    reference: str
    version: int
    person_id: int
    name: str
    age: int | None
    is_child: bool
    division_id: int
    risk_grade: RiskGrade
    status: str
    reported_at: datetime
    last_seen_at: datetime
    last_seen_place: str
    next_review_due_at: datetime | None
    review_overdue: bool


class ReportOut(ReportSummary):
    circumstances: str
    reported_by_name: str
    reported_by_relationship: str
    from_care: bool
    pnc_circulated_at: datetime | None
    pnc_due_at: datetime
    closed_at: datetime | None
    outcome: Outcome | None
    found_place: str | None
    found_by: str | None
    prevention_interview_at: datetime | None
    return_interview_offered_at: datetime | None
    return_interview_due_at: datetime | None
    grades: list[GradeOut]
    reviews: list[ReviewOut]
    actions: list[ActionOut]


class SearchPage(BaseModel):
    results: list[ReportSummary]
    offset: int
    limit: int
    has_more: bool


class QueueItem(BaseModel):
    report: ReportSummary
    reasons: list[str]


class Queue(BaseModel):
    generated_at: datetime
    new_high_risk: list[QueueItem]
    overdue: list[QueueItem]
    due_soon: list[QueueItem]
