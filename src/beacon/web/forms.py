"""Turn GOV.UK form fields into API-shaped dicts, and API error paths back into form fields."""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from beacon.rules.clocks import LONDON



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


def to_form_errors(api_errors: dict[str, str], field_map: dict[str, str]) -> dict[str, str]:
    """Rename API error paths to the form's field names, with a sentence-case message."""
    out = {}
    for path, message in api_errors.items():
        field = field_map.get(path, path.split(".")[-1])
        label = field.replace("_", " ").replace("-", " ")
        out.setdefault(field, message if message[:1].isupper() else f"{label.capitalize()}: {message}")
    return out
