"""What the API and forms accept and return for domestic abuse risk forms and MARAC. Every
field is validated with a message that names it; ``extra='forbid'`` rejects unknown fields
(so nobody can send a score or a level: both are computed)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, model_validator

from beacon.cases.domestic_abuse.instrument import RiskLevel
from beacon.people.schemas import PersonIn, PlaceIn
from beacon.schemas import (
    Day,
    DivisionRef,
    IncidentRef,
    PersonRef,
    Strict,
    Version,
    ref,
)

MaracReferralRef = ref("marac")

QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Notes = Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=5000)]
Agency = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=120)]
ActionText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]

MAX_CHILDREN = 20


class PartyIn(Strict):
    """Someone already recorded (``person_id``) or a new person (``person``): one of the two."""
    person_id: PersonRef | None = None
    person: PersonIn | None = None

    @model_validator(mode="after")
    def _one(self):
        if (self.person is None) == (self.person_id is None):
            raise ValueError("person: give either person (a new person) or person_id (someone already recorded)")
        return self


class RiskFormIn(Strict):
    """The first officer's risk identification. ``answers`` maps each question id of the force's
    instrument to true (yes) or false (no); every question must be answered. The score and the
    level are computed from the answers, never sent."""
    victim_id: PersonRef | None = None
    victim: PersonIn | None = None
    perpetrator_id: PersonRef | None = None
    perpetrator: PersonIn | None = None
    home: PlaceIn | None = None
    incident_id: IncidentRef | None = None
    answers: dict[QuestionId, bool | None] = Field(max_length=100)
    children_in_household: int = Field(default=0, ge=0, le=MAX_CHILDREN)
    children: list[PartyIn] = Field(default_factory=list, max_length=MAX_CHILDREN)
    judged_level: RiskLevel | None = None
    judgement_reason: Reason = ""
    division_id: DivisionRef | None = None

    @model_validator(mode="after")
    def _consistent(self):
        if (self.victim is None) == (self.victim_id is None):
            raise ValueError("victim: give either victim (a new person) or victim_id (someone already recorded)")
        if self.perpetrator is not None and self.perpetrator_id is not None:
            raise ValueError("perpetrator: give perpetrator or perpetrator_id, not both")
        if len(self.children) > self.children_in_household:
            raise ValueError(f"children_in_household: is fewer than the {len(self.children)} children listed")
        return self


class ReviewIn(Strict):
    """The DVO's review. ``judged_level`` may raise the level above the score's, never lower it."""
    version: Version
    notes: Notes
    judged_level: RiskLevel | None = None
    judgement_reason: Reason = ""


class ReferIn(Strict):
    """Refer the form's case to MARAC. When no published criterion applies, a professional
    judgement reason (the DVO judges the risk high) is the only way to refer."""
    version: Version
    judgement_reason: Reason = ""


class MeetingIn(Strict):
    held_on: Day
    agencies_present: list[Agency] = Field(min_length=1, max_length=40)
    referral_ids: list[MaracReferralRef] = Field(default_factory=list, max_length=200)

    @model_validator(mode="after")
    def _dates(self):
        if self.held_on.year < 2000:
            raise ValueError("held_on: must be 2000 or later")
        return self


class ActionIn(Strict):
    referral_id: MaracReferralRef
    text: ActionText
    owner_agency: Agency
    due_on: Day | None = None


# --- out ---------------------------------------------------------------------------------

class AnswerOut(BaseModel):
    id: str
    number: int
    text: str
    answer: bool | None
    supplementary: bool


class CriterionOut(BaseModel):
    id: str
    label: str
    detail: str


class RiskFormSummary(BaseModel):
    id: int
    version: int
    victim_id: int
    victim_name: str
    perpetrator_name: str | None
    division_id: int
    incident_id: int | None
    instrument_id: str
    score: int
    max_score: int
    computed_level: RiskLevel
    judged_level: RiskLevel | None
    final_level: RiskLevel
    completed_at: datetime
    completed_by: str
    reviewed_at: datetime | None
    age_days: int
    children_in_household: int
    supersedes_id: int | None
    marac_referral_id: int | None
    referred_to_marac: bool = False   # whether or not the reader may see the referral


class ChildReferralBrief(BaseModel):
    id: int
    child_name: str
    partner_name: str
    delivery: str
    sent_at: datetime | None
    due_at: datetime | None
    acknowledged_at: datetime | None


class RiskFormOut(RiskFormSummary):
    instrument_title: str
    answers: list[AnswerOut]
    judgement_reason: str
    reviewed_by: str
    review_notes: str
    superseded_by_id: int | None
    marac_criteria: list[CriterionOut]   # the criteria the case meets now (before or at referral)
    child_referrals: list[ChildReferralBrief]


class QueueOut(BaseModel):
    as_of: datetime
    division_id: int | None
    items: list[RiskFormSummary]


class BacklogRow(BaseModel):
    division_id: int
    division_code: str
    division_name: str
    unreviewed: int
    oldest_completed_at: datetime | None
    oldest_age_days: int | None


class BacklogOut(BaseModel):
    as_of: datetime
    total: int
    divisions: list[BacklogRow]


class MaracReferralOut(BaseModel):
    id: int
    risk_form_id: int
    victim_id: int
    victim_name: str
    perpetrator_name: str | None
    division_id: int
    marac_id: int | None
    marac_name: str | None
    no_marac_in_division: bool
    criteria: list[CriterionOut]
    is_repeat: bool
    referred_at: datetime
    referred_by: str
    meeting_id: int | None
    score: int
    final_level: RiskLevel
    judgement_reason: str
    dash: list[AnswerOut]   # the DASH answers carried from the form, not re-typed


class ActionOut(BaseModel):
    id: int
    meeting_id: int
    referral_id: int
    text: str
    owner_agency: str
    due_on: date | None
    done_at: datetime | None
    overdue: bool


class MeetingOut(BaseModel):
    id: int
    marac_id: int
    held_on: date
    agencies_present: list[str]
    referral_ids: list[int]
    actions: list[ActionOut]


class MaracDivisionOut(BaseModel):
    division_id: int
    division_name: str
    marac_id: int | None
    marac_name: str | None
    no_marac_in_division: bool
    referrals: list[MaracReferralOut]
    meetings: list[MeetingOut]


class BenchmarkRow(BaseModel):
    division_id: int | None   # None: the force
    name: str
    population: int
    adult_women: int
    referrals: int
    rate_per_10k: float | None
    benchmark_per_10k: float
    expected: float
    shortfall: float
    below_benchmark: bool
    has_marac: bool


class BenchmarkOut(BaseModel):
    year: int
    adult_women_share: float
    benchmark_per_10k: float
    force: BenchmarkRow
    divisions: list[BenchmarkRow]


class QuestionOut(BaseModel):
    id: str
    number: int
    text: str
    help: str
    supplementary: bool


class InstrumentOut(BaseModel):
    id: str
    title: str
    version: str
    max_score: int
    bands: list[dict]
    questions: list[QuestionOut]
