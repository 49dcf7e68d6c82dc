"""What every input model shares: unknown fields are refused, text is stripped, and text may not
hold the NUL character (PostgreSQL cannot store it, and no form or feed has a reason to send it)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
)

NUL_MESSAGE = "must not contain the NUL character"


def _not_true_or_false(value: Any) -> Any:
    if isinstance(value, bool):   # JSON true is not record 1
        raise ValueError("must be a record number, not true or false")
    return value


WHOLE_NUMBER = re.compile(r"-?[0-9]+")


def _digits_only(value: Any) -> Any:
    """A whole number written in an address: an optional minus sign and digits. pydantic's lax mode
    would read '+1', '1.0', ' 1 ' and '1_000' as whole numbers too, so '?offset=+0.0' meant 0."""
    if isinstance(value, str) and not WHOLE_NUMBER.fullmatch(value):
        raise ValueError("must be a whole number written in digits, like 12")
    return value


def WholeNumber(ge: int, le: int) -> Any:  # noqa: N802 - it makes a type, like pydantic's conint
    """The type of every whole-number query and path parameter (ids, limits, offsets, years): digits
    only, from ``ge`` to ``le``. ``limit: Annotated[WholeNumber(1, 200), Query()] = 50``.

    The bounds are part of the type rather than of ``Query(...)`` because pydantic applies
    annotations in order: bounds given after the digits check would be checked but published in
    the OpenAPI document as 'ge'/'le', which no client reads, instead of minimum/maximum."""
    return Annotated[int, Field(ge=ge, le=le), BeforeValidator(_digits_only)]


Id = Annotated[int, BeforeValidator(_not_true_or_false), Field(ge=1, le=2**31 - 1)]
"""A record's number in an input body: a whole number in the databases' range, never a boolean."""


@dataclass(frozen=True)
class Ref:
    """Marks an input field as naming a record of ``kind`` (an access-matrix record type, or an
    organisation record such as ``division``). ``beacon.access.references`` resolves every field
    so marked with the same read check a direct read makes; a test walks every input model and
    refuses a record number that is not a ``Ref``. ``@field`` takes the kind from another field of
    the same model (``record_type``), for a field that can name a record of several kinds."""
    kind: str


def ref(kind: str) -> Any:
    """A record number naming a record of ``kind`` (see ``Ref``)."""
    return Annotated[int, BeforeValidator(_not_true_or_false), Field(ge=1, le=2**31 - 1), Ref(kind)]


PersonRef = ref("person")
DivisionRef = ref("division")
IncidentRef = ref("incident")
PartnerRef = ref("partner")
ForceRef = ref("force")


Version = Annotated[int, BeforeValidator(_not_true_or_false), Field(
    ge=1, le=2**31 - 1, description="The version you read: a stale one is a 409")]
"""The version of a record a change is based on (optimistic concurrency, ADR 0004)."""


def iso_day(value: Any) -> Any:
    """Only a date written YYYY-MM-DD (or a date from code): a number is not read as a Unix time."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError("must be a date written like 2026-11-27")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError("must be a real date written like 2026-11-27") from None


def _from_1900(value: date) -> date:
    if value.year < 1900:
        raise ValueError("must be 1900 or later")
    if value.year >= 9999:   # a clock adding months to it would overflow
        raise ValueError("must be before the year 9999")
    return value


Day = Annotated[date, BeforeValidator(iso_day), AfterValidator(_from_1900)]
"""A date in an input body or form: ISO text only, from 1900."""


def iso_moment(value: Any) -> Any:
    """Only ISO 8601 text (or a datetime from code): a number is not read as a Unix time."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("must be a date and time written like 2026-11-27T03:15:00+00:00")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError("must be a date and time written like 2026-11-27T03:15:00+00:00") from None


def holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(holds_nul(v) for v in value)
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    return False


def without_control_characters(text: str) -> str:
    """For names we keep but did not ask for (an uploaded file's name): drop what cannot be stored."""
    return "".join(ch for ch in text if ch >= " " or ch == "\t")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if holds_nul(value):
            raise ValueError(NUL_MESSAGE)
        return value
