"""A small force for tests: two divisions and a user of every role in each."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy.engine import Engine

from beacon.access.login import principal
from beacon.access.passwords import hash_password
from beacon.access.policy import Principal
from beacon.access.unit_of_work import transaction
from beacon.db import session_factory
from beacon.org.models import Division, Force, User
from beacon.org.roles import Role, Vetting

PASSWORD = "correct horse battery staple"
_HASH = hash_password(PASSWORD)

USERS = [
    # username, role, division code or None, vetting
    ("officer.a", Role.OFFICER, "A", Vetting.RV),
    ("officer.b", Role.OFFICER, "B", Vetting.RV),
    ("officer.a.mv", Role.OFFICER, "A", Vetting.MV),
    ("supervisor.a", Role.SUPERVISOR, "A", Vetting.MV),
    ("supervisor.b", Role.SUPERVISOR, "B", Vetting.MV),
    ("ppu.a", Role.PPU, "A", Vetting.SC),
    ("analyst", Role.ANALYST, None, Vetting.MV),
    ("chief", Role.CHIEF_OFFICER, None, Vetting.SC),
    ("inspector", Role.INSPECTOR, None, Vetting.SC),
    ("admin", Role.ADMIN, None, Vetting.SC),
    ("ppu.b", Role.PPU, "B", Vetting.SC),
    # children's social care users, scoped by the division their authority covers
    ("partner.a", Role.PARTNER, "A", Vetting.RV),
    ("partner.b", Role.PARTNER, "B", Vetting.RV),
]


@dataclass
class World:
    force_id: int
    divisions: dict[str, int]
    users: dict[str, Principal] = field(default_factory=dict)


def build_world(engine: Engine) -> World:
    with transaction(session_factory(engine)) as s:
        force = Force(code="test", name="Testshire Constabulary", population=100_000)
        s.add(force)
        s.flush()
        divisions = {}
        for code in ("A", "B"):
            d = Division(force_id=force.id, code=code, name=f"Division {code}", population=50_000)
            s.add(d)
            s.flush()
            divisions[code] = d.id
        world = World(force.id, divisions)
        for username, role, div, vetting in USERS:
            u = User(username=username, password_hash=_HASH, role=role, vetting=vetting,
                     division_id=divisions[div] if div else None, display_name=f"Test {username}")
            s.add(u)
            s.flush()
            world.users[username] = principal(u)
    return world


def report_payload(**overrides) -> dict:
    """A valid API body for a new missing-person report, last seen an hour before NOW."""
    seen = datetime(2026, 11, 27, 1, 30, tzinfo=timezone.utc)
    body = {
        "person": {"forename": "Testy", "surname": "Exampleton", "date_of_birth": "2013-05-04", "gender": "female"},
        "home": {"address": "1 Sample Road, Testtown", "postcode": "NP20 1AA"},
        "last_seen_place": {"address": "Bus station, Testtown", "postcode": ""},
        "last_seen_at": seen.isoformat(),
        "reported_at": (seen + timedelta(minutes=60)).isoformat(),
        "circumstances": "Did not come home from school club.",
        "reported_by_name": "Parent Exampleton",
        "reported_by_relationship": "mother",
        "risk_grade": "high",
        "rationale": "Thirteen years old, out overnight, no phone, first time missing.",
    }
    body.update(overrides)
    return body
