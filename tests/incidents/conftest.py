"""Logs for the incident tests: a JSON-shaped log and CSV files built from them."""
from __future__ import annotations

import csv
import io
import json

import pytest

from beacon.access.unit_of_work import transaction
from tests.conftest import NOW

COLUMNS = ("log_ref", "received_at", "closed_at", "opening_code", "closing_code", "narrative", "address", "postcode",
           "division", "people")


def log(n: int = 1, **overrides) -> dict:
    """A valid log in division A, received the evening before NOW and still open."""
    body = {
        "log_ref": f"CC26/{n:06d}",
        "received_at": "2026-11-26T21:15:00+00:00",
        "opening_code": "DISTURBANCE",
        "narrative": "Synthetic test log: caller reports noise from the street.",
        "address": f"{n} Synthetic Street, Testtown",
        "postcode": "NP20 1AA",
        "division": "A",
        "people": [{"forename": "Testy", "surname": f"Caller{n}", "date_of_birth": "1980-02-03", "role": "witness"}],
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def closed(n: int = 1, code: str = "domestic", **overrides) -> dict:
    return log(n, **{"closed_at": "2026-11-26T23:40:00+00:00", "closing_code": code, **overrides})


def as_csv(logs: list[dict], columns=COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for item in logs:
        row = []
        for c in columns:
            v = item.get(c, "")
            if c == "people":
                v = ";".join(f"{p['role']}|{p['forename']}|{p['surname']}|{p.get('date_of_birth') or ''}" for p in v or [])
            row.append(v if v is not None else "")
        writer.writerow(row)
    return out.getvalue().encode()


def as_json(logs: list[dict]) -> bytes:
    return json.dumps(logs).encode()


@pytest.fixture
def run(sessions, world):
    """run(fn, *args, as_user="officer.a") runs fn(session, user, *args) in one transaction."""
    def _run(fn, *args, as_user: str = "officer.a", **kwargs):
        with transaction(sessions) as s:
            s.info["user"] = world.users[as_user]
            return fn(s, world.users[as_user], *args, **kwargs)
    return _run


@pytest.fixture
def now():
    return NOW
