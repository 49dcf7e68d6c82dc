"""Turn GOV.UK form fields into API-shaped dicts, and API error paths back into form fields."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from types import MappingProxyType
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from beacon.rules.clocks import LONDON
from beacon.web.errors import field_errors


class FormError(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(str(errors))
        self.errors = errors


def parse_date(form: dict[str, str], name: str, label: str, required: bool = True) -> date | None:
    """From GOV.UK date input fields ``name-day``, ``name-month``, ``name-year``."""
    parts = [form.get(f"{name}-{p}", "").strip() for p in ("day", "month", "year")]
    if not any(parts):
        if required:
            raise FormError({name: f"Enter {label}"})
        return None
    if not all(p.isdigit() for p in parts):
        raise FormError({name: f"{label.capitalize()} must be a real date, with day, month and year as numbers"})
    day, month, year = (int(p) for p in parts)
    if year < 1900:
        raise FormError({name: f"{label.capitalize()} must include a 4-digit year"})
    try:
        return date(year, month, day)
    except ValueError:
        raise FormError({name: f"{label.capitalize()} must be a real date"}) from None


def parse_datetime(form: dict[str, str], name: str, label: str, required: bool = True) -> datetime | None:
    """A date input plus a ``name-time`` field (24-hour HH:MM), read as UK local time."""
    day = parse_date(form, name, label, required)
    if day is None:
        return None
    raw = form.get(f"{name}-time", "").strip()
    try:
        hours, minutes = (int(p) for p in raw.split(":"))
        clock = time(hours, minutes)
    except ValueError:
        raise FormError({name: f"Enter the time of {label} as hours and minutes, for example 21:30"}) from None
    return datetime.combine(day, clock, tzinfo=LONDON).astimezone(ZoneInfo("UTC"))


def collect(*parsers) -> dict[str, str]:
    """Run each zero-argument parser, gathering every FormError rather than stopping at the first."""
    errors: dict[str, str] = {}
    for parser in parsers:
        try:
            parser()
        except FormError as exc:
            errors.update(exc.errors)
    return errors


@dataclass(frozen=True)
class Field:
    """How one API error path is shown on a form: the form field it belongs to, its label in a
    sentence, the message when it was left empty, and messages for particular API messages."""
    name: str
    label: str = ""
    enter: str = ""
    says: tuple[tuple[str, str], ...] = ()
    bare: bool = False  # the API's message alone, capitalised, without the label

    def sentence(self, message: str) -> str:
        if self.enter and ("at least 1 character" in message or message == "Field required"):
            return self.enter
        for needle, text in self.says:
            if needle in message:
                return text
        if message[:1].isupper() and not message.startswith(LIBRARY_WORDING):
            return message
        if self.bare:
            return message[:1].upper() + message[1:]
        label = self.label or self.name.replace("_", " ").replace("-", " ").capitalize()
        return f"{label}: {message[:1].lower()}{message[1:]}"


# Messages pydantic writes for a type rather than for a person: shown after the field's label.
LIBRARY_WORDING = ("String", "Input", "Value", "List", "Field required")

Fields = Mapping[str, "Field | str"] | Callable[[str], Field]


def _field_for(path: str, fields: Fields) -> Field:
    if callable(fields):
        return fields(path)
    found = fields.get(path)
    if isinstance(found, Field):
        return found
    return Field(found or path.split(".")[-1])


def form_errors(problem: Exception | Mapping[str, str], fields: Fields = MappingProxyType({}),
                prefix: str = "") -> dict[str, str]:
    """The one way an invalid submission becomes a form's error summary: the API's error paths
    (from a pydantic ValidationError, a service's Invalid, or a dict of them) renamed to the
    form's fields, one GOV.UK-style sentence each, first problem per field kept."""
    out: dict[str, str] = {}
    for path, message in api_errors(problem).items():
        field = _field_for(path, fields)
        out.setdefault(prefix + field.name, field.sentence(message))
    return out


def api_errors(problem: Exception | Mapping[str, str]) -> dict[str, str]:
    if isinstance(problem, ValidationError):
        return field_errors(problem.errors())  # type: ignore[arg-type]
    if isinstance(problem, Mapping):
        return dict(problem)
    errors = getattr(problem, "errors", None)
    if isinstance(errors, Mapping):
        return dict(errors)
    raise TypeError(f"{type(problem).__name__} carries no field errors")
