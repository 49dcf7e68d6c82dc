"""What every way in accepts for the shared Person and Location (the POLE convention), and the
shared time input: an aware ISO date-time, checked against the service's clock for "not in the
future"."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    StringConstraints,
    model_validator,
)

from beacon.schemas import Day, Strict, iso_moment

CLOCK_SKEW = timedelta(minutes=5)


Postcode = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, max_length=10,
                                            pattern=r"^([A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})?$")]


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must include a time zone (for example 2026-11-27T03:15:00+00:00)")
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is outside the dates Beacon can hold") from None


# "Not in the future" is checked by the service against its clock (``not_after``), since
# request parsing has no access to it.
Moment = Annotated[datetime, BeforeValidator(iso_moment), AfterValidator(_aware)]


def not_after(now: datetime, model: BaseModel, *fields: str) -> dict[str, str]:
    """Errors for any of ``fields`` later than ``now`` (allowing a few minutes' clock skew)."""
    return {name: "cannot be in the future" for name in fields
            if (value := getattr(model, name)) is not None and value > now + CLOCK_SKEW}


class PersonIn(Strict):
    forename: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    surname: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    date_of_birth: Day | None = None
    gender: Literal["female", "male", "other", "unknown"] = "unknown"

    @model_validator(mode="after")
    def _dob(self):
        if self.date_of_birth and self.date_of_birth > date.today():
            raise ValueError("date_of_birth: cannot be in the future")
        return self


class PlaceIn(Strict):
    address: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=240)]
    postcode: Postcode = ""
    kind: Literal["residential", "care_home", "public_place", "hospital", "other"] = "residential"
