"""Helpers for domestic abuse, MARAC and child referral tests (also used by the browser
journey): a local authority with wards in each test division, children's social care for
both, and a MARAC only in division A (as the report found one Gwent division without a
MARAC); API bodies for risk forms; people and incidents."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import update

from beacon.access.unit_of_work import transaction
from beacon.cases.domestic_abuse.instrument import instruments
from beacon.cases.incidents.models import Incident, IncidentPerson
from beacon.org.models import (
    LocalAuthority,
    Neighbourhood,
    PartnerBody,
    Section,
    User,
    Ward,
)
from beacon.people.models import Person, normalise
from tests.web.helpers import token

DASH = instruments()["dash-2009"]
SCORED = [q.id for q in DASH.questions if not q.supplementary]
SUPPLEMENTARY = [q.id for q in DASH.questions if q.supplementary]


@dataclass
class Partners:
    csc: dict[str, int]      # division code -> children's social care partner id
    marac: dict[str, int]    # division code -> MARAC partner id (A only)


def add_council(s, world, code: str, la_name: str) -> tuple[LocalAuthority, Ward]:
    """A local authority with one section, neighbourhood and ward in division ``code``."""
    la = LocalAuthority(force_id=world.force_id, name=la_name)
    s.add(la)
    s.flush()
    section = Section(division_id=world.divisions[code], name=f"{la_name} Section 1")
    s.add(section)
    s.flush()
    hood = Neighbourhood(section_id=section.id, name=f"{la_name} Neighbourhood 1")
    s.add(hood)
    s.flush()
    ward = Ward(neighbourhood_id=hood.id, local_authority_id=la.id, name=f"{la_name} Ward 1", population=1000)
    s.add(ward)
    s.flush()
    return la, ward


def build_partners(world, sessions) -> Partners:
    csc, marac = {}, {}
    with transaction(sessions) as s:
        for code, la_name, has_marac in (("A", "Testport", True), ("B", "Otherby", False)):
            la, _ = add_council(s, world, code, la_name)
            body = PartnerBody(force_id=world.force_id, kind="childrens_social_care", name=f"{la_name} Children's Services",
                               local_authority_id=la.id)
            s.add(body)
            s.flush()
            csc[code] = body.id
            link_partner_user(s, world, f"partner.{code.lower()}", body.id)
            if has_marac:
                m = PartnerBody(force_id=world.force_id, kind="marac", name=f"{la_name} MARAC", local_authority_id=la.id)
                s.add(m)
                s.flush()
                marac[code] = m.id
    return Partners(csc, marac)


def link_partner_user(s, world, username: str, partner_id: int) -> None:
    """The partner user works for the agency ``partner_id`` (a partner user without one sees nothing)."""
    s.execute(update(User).where(User.username == username).values(partner_id=partner_id))
    if username in world.users:
        world.users[username] = replace(world.users[username], partner_id=partner_id)


def answers(yes: int, *, children: bool = False) -> dict[str, bool]:
    """Answers with the first ``yes`` scored questions "yes" and the rest "no"."""
    out = {q: i < yes for i, q in enumerate(SCORED)}
    out.update({q: children for q in SUPPLEMENTARY})
    return out


def form_payload(yes: int = 14, **overrides) -> dict:
    body = {
        "victim": {"forename": "Vera", "surname": "Testcase", "date_of_birth": "1990-04-02", "gender": "female"},
        "perpetrator": {"forename": "Pat", "surname": "Harmer", "gender": "male"},
        "home": {"address": "3 Example Street, Testport", "postcode": "NP20 2AB"},
        "answers": answers(yes),
        "children_in_household": 0,
    }
    body.update(overrides)
    return body


def create_form(client, username: str = "officer.a", yes: int = 14, expect: int = 201, **overrides) -> dict:
    r = client.post("/api/v1/domestic-abuse/forms", json=form_payload(yes, **overrides), headers=token(client, username))
    assert r.status_code == expect, r.text
    return r.json()


def add_person(sessions, forename: str, surname: str) -> int:
    with transaction(sessions) as s:
        p = Person(forename=forename, surname=surname, forename_norm=normalise(forename), surname_norm=normalise(surname))
        s.add(p)
        s.flush()
        return p.id


def add_incident(sessions, division_id: int, at: datetime, victim_id: int, ref: str) -> int:
    with transaction(sessions) as s:
        incident = Incident(log_ref=ref, received_at=at, division_id=division_id, closing_code="domestic")
        incident.people.append(IncidentPerson(person_id=victim_id, role="victim"))
        s.add(incident)
        s.flush()
        return incident.id
