"""Helpers for child protection tests: LSCBs for the test divisions, staff ranks linked to
users, and API bodies (every risk factor in the agreement)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update

from beacon.access.unit_of_work import transaction
from beacon.cases.child_protection.agreement import agreement
from beacon.org.models import PartnerBody, Staff, User
from beacon.org.roles import Rank, Vetting
from tests.domestic_abuse.helpers import build_partners
from tests.web.helpers import token

AGREEMENT = agreement()
FACTORS = AGREEMENT.factor_ids
CRITERIA = AGREEMENT.criteria_ids
CHILD = {"forename": "Kit", "surname": "Caseworth", "date_of_birth": "2019-06-01"}


@dataclass
class Area:
    lscb: dict[str, int]        # division code -> LSCB partner id
    csc: dict[str, int]


def build_area(world, sessions) -> Area:
    partners = build_partners(world, sessions)
    lscb = {}
    with transaction(sessions) as s:
        for code, csc_id in partners.csc.items():
            la_id = s.get(PartnerBody, csc_id).local_authority_id
            body = PartnerBody(force_id=world.force_id, kind="lscb", name=f"LSCB {code}", local_authority_id=la_id)
            s.add(body)
            s.flush()
            lscb[code] = body.id
    return Area(lscb, partners.csc)


def give_rank(world, sessions, username: str, rank: Rank, is_officer: bool = True) -> int:
    with transaction(sessions) as s:
        staff = Staff(force_id=world.force_id, collar_number=f"T{username}", forename="Test", surname=username,
                      is_officer=is_officer, rank=rank, role="", unit="", division_id=None, vetting=Vetting.SC)
        s.add(staff)
        s.flush()
        s.execute(update(User).where(User.username == username).values(staff_id=staff.id))
        return staff.id


def factors(present: tuple[str, ...] = (), discounted: dict[str, str] | None = None) -> dict:
    discounted = discounted or {}
    return {f: {"present": f in present or f in discounted, "discounted": f in discounted,
                "reason": discounted.get(f, "")} for f in FACTORS}


def open_case(client, username: str = "ppu.a", expect: int = 201, **body) -> dict:
    payload = {"child": CHILD, "concern": "Bruising seen on the child's arm at school."}
    payload.update(body)
    r = client.post("/api/v1/child-cases", json=payload, headers=token(client, username))
    assert r.status_code == expect, r.text
    return r.json()


def step(client, case: dict, name: str, on: str, username: str = "ppu.a", expect: int = 200) -> dict:
    r = client.post(f"/api/v1/child-cases/{case['id']}/steps/{name}", json={"version": case["version"], "on": on},
                    headers=token(client, username))
    assert r.status_code == expect, r.text
    return r.json()
