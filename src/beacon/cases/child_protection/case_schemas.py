"""What the API and forms accept and return for child protection cases and the decisions about
the child. Checks that need the agreement (which criteria and risk factors exist) or the clock
(not in the future) are made by the service, each error naming its field."""
from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from beacon.people.schemas import PersonIn
from beacon.schemas import Day, DivisionRef, PersonRef, Strict, Version, ref

ChildReferralRef = ref("child_referral")



Concern = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=5000)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
DecisionText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=5000)]
ItemId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class CaseStep(str, Enum):
    """A dated step recorded on a case."""
    STRATEGY_DISCUSSION = "strategy-discussion"
    SECTION_47 = "section-47"
    INITIAL_CONFERENCE = "initial-conference"
    CORE_GROUP = "core-group"
    REVIEW = "review"


STEP_LABELS = {
    CaseStep.STRATEGY_DISCUSSION: "Strategy discussion",
    CaseStep.SECTION_47: "Section 47 enquiries started",
    CaseStep.INITIAL_CONFERENCE: "Initial child protection conference",
    CaseStep.CORE_GROUP: "First core group meeting",
    CaseStep.REVIEW: "Review conference",
}


class CaseIn(Strict):
    """Open a case: from a referral (``referral_id``), or for a concern about a child already
    recorded (``child_id``) or new (``child``)."""
    referral_id: ChildReferralRef | None = None
    child_id: PersonRef | None = None
    child: PersonIn | None = None
    division_id: DivisionRef | None = None
    concern: Concern | None = Field(default=None, description="Required unless opened from a referral, "
                                                               "whose concern is used when left out")

    @model_validator(mode="after")
    def _one_source(self):
        given = [n for n in ("referral_id", "child_id", "child") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError("child: give exactly one of referral_id, child_id or child")
        if self.referral_id is None and self.concern is None:
            raise ValueError("concern: describe the concern (at least 10 characters)")
        return self


class StepIn(Strict):
    version: Version
    on: Day = Field(description="The date the step happened (not in the future)")


class FactorIn(Strict):
    """One risk factor as considered: present or not, and if present but given no weight, why."""
    present: bool
    discounted: bool = False
    reason: Reason = ""


Factors = Annotated[dict[ItemId, FactorIn], Field(max_length=100, description=(
    "Every risk factor in the agreement (GET /api/v1/child-cases/agreement), by id"))]


class DecisionIn(Strict):
    """A decision about the child, with every risk factor in the agreement considered."""
    decision: DecisionText
    factors: Factors


class JointDecisionIn(Strict):
    """The joint-investigation decision against the agreed criteria. A decision that differs from
    what the agreement gives needs ``departure_reason``, and is flagged."""
    version: Version
    criteria_met: Annotated[list[ItemId], Field(max_length=50)] = []
    joint_investigation: bool
    investigated_by: Literal["specialist", "uniform"]
    factors: Factors
    departure_reason: Reason = ""
    notes: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)] = ""


class ClosureIn(Strict):
    """Closing the case is a decision about the child: the reason, with every risk factor considered."""
    version: Version
    reason: DecisionText
    factors: Factors


class FactorOut(BaseModel):
    id: str
    text: str
    present: bool
    discounted: bool
    reason: str


class DecisionOut(BaseModel):
    id: int
    decision: str
    decided_by: str
    decided_at: datetime
    factors: list[FactorOut]


class StepOut(BaseModel):
    key: str
    label: str
    rule_id: str
    starts_after: str
    due_on: date | None
    held_on: date | None
    status: Literal["waiting", "due", "overdue", "met", "late", "not_held"]
    status_label: str


class CaseSummary(BaseModel):
    id: int
    version: int
    child_id: int
    child_name: str
    division_id: int
    opened_at: datetime
    status: Literal["open", "closed"]
    next_step: StepOut | None
    joint_decision_departs: bool


class CaseOut(CaseSummary):
    child_date_of_birth: date | None
    referral_id: int | None
    concern: str
    strategy_discussion_on: date | None
    joint_investigation: bool | None
    joint_criteria_met: list[str]
    investigated_by: str
    departures: list[str]
    departure_reason: str
    s47_started_on: date | None
    initial_conference_on: date | None
    core_group_on: date | None
    first_review_on: date | None
    last_review_on: date | None
    reviews: list[date] = Field(description="Every review conference held, in order")
    steps: list[StepOut]
    decisions: list[DecisionOut]
    police_protection_ids: list[int]


class CaseList(BaseModel):
    as_of: datetime
    today: date
    items: list[CaseSummary]


class AgreementItem(BaseModel):
    id: str
    text: str


class AgreementOut(BaseModel):
    id: str
    title: str
    agreed_with: str
    source: str
    joint_investigation_criteria: list[AgreementItem]
    risk_factors: list[AgreementItem]
