"""Errors the library raises; the web layer maps each to one HTTP status."""
from __future__ import annotations


class BeaconError(Exception):
    status = 400


class NotFound(BeaconError):
    status = 404


class Forbidden(BeaconError):
    status = 403


class Conflict(BeaconError):
    """Someone else saved the record first: reload, compare, and save again."""
    status = 409

    def __init__(self, message: str, current_version: int | None = None):
        super().__init__(message)
        self.current_version = current_version


class Invalid(BeaconError):
    """Bad input. ``errors`` maps a field path (``person.date_of_birth``) to its message."""
    status = 422

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
