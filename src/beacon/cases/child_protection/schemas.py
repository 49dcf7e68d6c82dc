"""What the API and forms accept and return for referrals to children's social care.

No input has ``sent_at``, ``delivery`` or ``due_at``: a referral is sent only by delivering it
(``beacon.cases.child_protection.referrals.send``), so nobody can mark it sent without sending
it (the report's "record on ORIS that the form has been sent but ... fail to actually do so").
``extra='forbid'`` turns an attempt to send those fields into a 422 naming them."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from beacon.people.schemas import PersonIn, PlaceIn
from beacon.schemas import (
    DivisionRef,
    IncidentRef,
    PartnerRef,
    PersonRef,
    Strict,
    Version,
)

Concern = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=5000)]
Outcome = Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=5000)]

Status = Literal["queued", "delivery_failed", "awaiting_acknowledgement", "overdue", "acknowledged",
                 "outcome_recorded"]
STATUS_LABELS = {
    "queued": "Not sent yet",
    "delivery_failed": "Delivery failed",
    "awaiting_acknowledgement": "Awaiting acknowledgement",
    "overdue": "Not acknowledged in time",
    "acknowledged": "Acknowledged",
    "outcome_recorded": "Outcome recorded",
}


class ReferralIn(Strict):
    """A child-protection concern about a child, referred to children's social care."""
    child_id: PersonRef | None = None
    child: PersonIn | None = None
    home: PlaceIn | None = None
    division_id: DivisionRef | None = None
    partner_id: PartnerRef | None = Field(default=None, description=(
        "The children's social care to send it to; by default, the one for the council where the child lives"))
    incident_id: IncidentRef | None = None
    concern: Concern

    @model_validator(mode="after")
    def _one(self):
        if (self.child is None) == (self.child_id is None):
            raise ValueError("child: give either child (a new person) or child_id (someone already recorded)")
        return self


class AcknowledgeIn(Strict):
    """The partner acknowledges the referral; it may record its decision at the same time."""
    version: Version
    outcome: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)] = ""


class OutcomeIn(Strict):
    version: Version
    outcome: Outcome


class ResendIn(Strict):
    version: Version


class ReferralOut(BaseModel):
    id: int
    version: int
    child_id: int
    child_name: str
    child_date_of_birth: str | None
    child_address: str | None
    division_id: int
    partner_id: int
    partner_name: str
    risk_form_id: int | None
    incident_id: int | None
    concern: str
    created_at: datetime
    created_by: str
    delivery: str
    delivery_error: str
    sent_at: datetime | None
    due_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str
    escalated_at: datetime | None
    outcome: str
    outcome_at: datetime | None
    status: Status
    status_label: str


class ReferralList(BaseModel):
    as_of: datetime
    items: list[ReferralOut]


class EscalationOut(BaseModel):
    as_of: datetime
    escalated: list[int]
