"""What the live feed and the bulk import accept for a command-and-control log, and what the API
returns. ``LogRecord`` is one log, validated the same way whichever way it arrives; every
error names its field. ``extra='forbid'`` rejects unknown fields."""
from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from beacon.cases.incidents.models import CHILD_PROTECTION, DOMESTIC, PPU_CLOSINGS
from beacon.people.models import normalise
from beacon.people.schemas import CLOCK_SKEW
from beacon.schemas import Day, Strict, Version, iso_moment

ROLES = ("victim", "suspect", "child", "witness", "other")
PersonRole = Literal["victim", "suspect", "child", "witness", "other"]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
LogRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40,
                                          pattern=r"^[A-Za-z0-9][A-Za-z0-9/_.:-]*$")]
Code = Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)]
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
PPU_LABELS = {DOMESTIC: "domestic incident", CHILD_PROTECTION: "child protection incident"}


def _aware_utc(value: datetime) -> datetime:
    """An aware time, in UTC, from 1900 on (a far-off year or offset cannot overflow into a 500)."""
    if value.tzinfo is None:
        raise ValueError("must include a time zone (for example 2026-11-27T03:15:00+00:00)")
    if not 1900 <= value.year <= 9000:
        raise ValueError("must be a date from 1900 on")
    return value.astimezone(UTC)


Moment = Annotated[datetime, BeforeValidator(iso_moment), AfterValidator(_aware_utc)]


def ppu_kind(closing_code: str | None) -> str | None:
    """The public protection closing a closing code means, if any: case, spaces and hyphens
    are ignored, so "Child protection", "CHILD-PROTECTION" and "child_protection" are one code."""
    if not closing_code:
        return None
    code = re.sub(r"[\s\-]+", "_", closing_code.strip().lower())
    return code if code in PPU_CLOSINGS else None


def canonical_postcode(text: str) -> str:
    """"np201aa", "NP20 1AA" and " NP20  1AA" are one postcode, written "NP20 1AA"."""
    squeezed = "".join(text.split()).upper()
    if not squeezed:
        return ""
    match = POSTCODE.match(squeezed)
    if not match:
        raise ValueError("is not a UK postcode (for example NP20 1AA)")
    return f"{match.group(1)} {match.group(2)}"


def address_key(address: str, postcode: str) -> tuple[str, str]:
    """How two spellings of one address are recognised as the same Location."""
    return normalise(address), "".join(postcode.split()).upper()


class PersonOnLog(Strict):
    forename: Name
    surname: Name
    date_of_birth: Day | None = None
    role: PersonRole

    @property
    def key(self) -> tuple[str, str, date | None]:
        return normalise(self.forename), normalise(self.surname), self.date_of_birth


class LogRecord(Strict):
    """One command-and-control log. ``closing_code`` is free text; the two public protection
    closings are stored as ``domestic`` and ``child_protection`` however they were written."""
    log_ref: LogRef
    received_at: Moment
    closed_at: Moment | None = None
    opening_code: Code = ""
    closing_code: Code = ""
    narrative: Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000)] = ""
    address: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=240)]
    postcode: Annotated[str, StringConstraints(max_length=16)] = ""
    division: Annotated[str, StringConstraints(strip_whitespace=True, max_length=10)] | None = None
    people: Annotated[list[PersonOnLog], Field(max_length=50)] = []

    @field_validator("postcode")
    @classmethod
    def _postcode(cls, value: str) -> str:
        return canonical_postcode(value)

    @field_validator("address")
    @classmethod
    def _address(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("closing_code")
    @classmethod
    def _closing(cls, value: str) -> str:
        return ppu_kind(value) or value

    @field_validator("division")
    @classmethod
    def _division(cls, value: str | None) -> str | None:
        return value.upper() if value else None

    @model_validator(mode="after")
    def _consistent(self):
        if self.closed_at is not None and self.closed_at < self.received_at:
            raise ValueError("closed_at: cannot be before the log was received")
        if self.closing_code and self.closed_at is None:
            raise ValueError("closed_at: a log with a closing code needs the time it was closed")
        if self.closed_at is not None and not self.closing_code:
            raise ValueError("closing_code: a closed log needs a closing code")
        seen: dict[tuple, int] = {}
        for n, person in enumerate(self.people, start=1):
            if person.key in seen:
                raise ValueError(f"people.{n}: the same person is already listed as person {seen[person.key]}")
            seen[person.key] = n
            if person.date_of_birth and person.date_of_birth > self.received_at.date():
                raise ValueError(f"people.{n}.date_of_birth: cannot be after the log was received")
        return self

    @property
    def ppu_kind(self) -> str | None:
        return ppu_kind(self.closing_code) if self.closed_at is not None else None

    @cached_property
    def place_key(self) -> tuple[str, str]:
        """``address_key`` of the log's address, worked out once."""
        return address_key(self.address, self.postcode)

    def content_hash(self) -> str:
        """The same log re-sent gives the same hash (people in any order, times in any zone);
        any change to what the log says gives another."""
        people = sorted((p.role, p.surname.lower(), p.forename.lower(), p.surname, p.forename,
                         p.date_of_birth.isoformat() if p.date_of_birth else "") for p in self.people)
        body = [self.log_ref, self.received_at.isoformat(), self.closed_at.isoformat() if self.closed_at else "",
                self.opening_code, self.closing_code, self.narrative, self.address, self.postcode,
                self.division or "", people]
        return hashlib.sha256(json.dumps(body, separators=(",", ":")).encode()).hexdigest()


def future_errors(record: LogRecord, now: datetime) -> dict[str, str]:
    """A log cannot be received or closed in the future (a few minutes' clock skew allowed)."""
    return {name: "cannot be in the future" for name in ("received_at", "closed_at")
            if (value := getattr(record, name)) is not None and value > now + CLOCK_SKEW}


# --- what the API returns ------------------------------------------------------------------------

class WarningOut(BaseModel):
    id: int
    kind: str
    reason: str
    incident_id: int | None
    created_at: datetime


class PersonOut(BaseModel):
    person_id: int
    name: str
    date_of_birth: date | None
    role: str


class WorkItemOut(BaseModel):
    id: int
    incident_id: int
    log_ref: str
    kind: str
    division_id: int | None
    created_at: datetime
    status: str
    taken_by: str
    version: int
    age_seconds: int
    age: str
    address: str


class IncidentOut(BaseModel):
    id: int
    log_ref: str
    version: int
    received_at: datetime
    closed_at: datetime | None
    opening_code: str
    closing_code: str
    ppu_closing: bool
    narrative: str
    address: str
    location_id: int | None
    division_id: int | None
    source: str
    people: list[PersonOut]
    warnings: list[WarningOut] = Field(description="Warning markers at the log's address, newest first")
    work_item: WorkItemOut | None
    sent_to_ppu: bool = False   # a work item exists (its details are for those who read work items)
    outcome: Literal["created", "updated", "unchanged", "read"] = "read"


class RowError(BaseModel):
    row: int = Field(description="1 is the first log: the first line after the header in CSV, "
                                 "the first element of the array in JSON; 0 is the file as a whole")
    field: str
    message: str


class ImportReportOut(BaseModel):
    detail: str
    batch_id: int
    filename: str
    format: str
    status: Literal["imported", "rejected"]
    rows: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    work_items_created: int
    warnings_created: int
    errors: list[RowError]
    errors_truncated: bool = False


class ImportJsonIn(Strict):
    format: Literal["csv", "json"]
    content: Annotated[str, StringConstraints(min_length=1)]
    filename: Annotated[str, StringConstraints(min_length=1, max_length=200)] = "upload"


class QueueOut(BaseModel):
    generated_at: datetime
    total: int
    offset: int
    limit: int
    items: list[WorkItemOut]


class WorkItemUpdateIn(Strict):
    version: Version
    status: Literal["open", "in_progress", "done"]


class CloseIn(Strict):
    """Closing an open log from Beacon (the attending officer or the control room): the closing
    code, and the version of the log the closer saw."""
    version: Version
    closing_code: Annotated[Code, StringConstraints(min_length=1)] = Field(
        description="domestic, child_protection, or the force's other closing code")
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2_000)] = ""


class SignalOut(BaseModel):
    signal: str
    suggests: str
    detail: str


class FlagOut(BaseModel):
    id: int
    incident_id: int
    log_ref: str
    division_id: int | None
    closed_at: datetime | None
    closing_code: str
    narrative: str
    address: str
    suggested: str
    signals: list[SignalOut]
    flagged_at: datetime
    status: str
    reviewed_by: str
    reviewed_at: datetime | None
    note: str


class FlagsOut(BaseModel):
    status: str
    total: int
    offset: int
    limit: int
    flags: list[FlagOut]


class AuditRunIn(Strict):
    since: Moment | None = Field(default=None, description="Logs closed at or after this (default 30 days ago)")
    until: Moment | None = Field(default=None, description="Logs closed before this (default now)")

    @model_validator(mode="after")
    def _order(self):
        if self.since and self.until and self.until <= self.since:
            raise ValueError("until: must be after since")
        return self


class AuditRunOut(BaseModel):
    since: datetime
    until: datetime
    examined: int
    flagged: int
    refreshed: int
    already_reviewed: int


class FlagDecisionIn(Strict):
    decision: Literal["confirm", "dismiss"]
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)] = ""
    closing_code: Literal["domestic", "child_protection"] | None = Field(
        default=None, description="For confirm: the closing to give the log (default the suggested one)")

    @model_validator(mode="after")
    def _note(self):
        if self.decision == "dismiss" and len(self.note) < 5:
            raise ValueError("note: say why the log did not need a public protection closing")
        return self
