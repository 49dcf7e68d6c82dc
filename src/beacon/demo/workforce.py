"""The synthetic Gwent's workforce (1,493 officers and 934 police staff, 106 of them PCSOs, as in
HMIC's 2007 report) and the demo users who log in as some of them.

Posts per division are invented but shaped like a 2007 basic command unit: a command team,
CID, a public protection unit (detective inspector, sergeants, public protection officers for
MAPPA, domestic violence officers, child abuse investigators), section inspectors and
sergeants, response and neighbourhood constables, PCSOs, custody and support staff. Force
headquarters (division None) holds the chief officers, the control room and support departments.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from beacon.demo import names
from beacon.demo.places import DIVISIONS, Geography, largest_remainder
from beacon.org.roles import Rank, Role, Vetting

OFFICERS = 1_493
POLICE_STAFF = 934
PCSOS = 106

RANK_ABBREVIATION = {
    Rank.PC: "PC", Rank.DC: "DC", Rank.PS: "PS", Rank.DS: "DS", Rank.INSP: "Insp", Rank.DI: "DI",
    Rank.CI: "CI", Rank.DCI: "DCI", Rank.SUPT: "Supt", Rank.CH_SUPT: "Ch Supt", Rank.ACC: "ACC",
    Rank.DCC: "DCC", Rank.CC: "CC", Rank.PCSO: "PCSO", Rank.STAFF: "",
}
# Officers on MAPPA caseloads per division (caseloads per officer in the report: A 43, B 72, C 89).
PPOS = {"A": 3, "B": 2, "C": 3}

UNIT_COMMAND = "Divisional command"
UNIT_CID = "CID"
UNIT_PPU = "Public protection unit"
UNIT_RESPONSE = "Response"
UNIT_NEIGHBOURHOOD = "Neighbourhood"
UNIT_CUSTODY = "Custody"
UNIT_SUPPORT = "Divisional support"
UNIT_CONTROL = "Control room"
UNIT_HQ = "Headquarters"

# (rank, role, unit, count, vetting) for force headquarters officers: 118 in all.
HQ_OFFICERS = (
    (Rank.CC, "Chief Constable", "Chief officer group", 1, Vetting.SC),
    (Rank.DCC, "Deputy Chief Constable", "Chief officer group", 1, Vetting.SC),
    (Rank.ACC, "Assistant Chief Constable", "Chief officer group", 2, Vetting.SC),
    (Rank.CH_SUPT, "Head of department", UNIT_HQ, 2, Vetting.SC),
    (Rank.SUPT, "Head of department", UNIT_HQ, 4, Vetting.SC),
    (Rank.CI, "Force operations", UNIT_HQ, 6, Vetting.MV),
    (Rank.DCI, "Major crime", "Major crime", 4, Vetting.SC),
    (Rank.INSP, "Control room inspector", UNIT_CONTROL, 5, Vetting.MV),
    (Rank.INSP, "Operations support", UNIT_HQ, 5, Vetting.MV),
    (Rank.DI, "Force public protection", "Force public protection", 3, Vetting.SC),
    (Rank.PS, "Control room sergeant", UNIT_CONTROL, 8, Vetting.MV),
    (Rank.PS, "Roads policing sergeant", "Roads policing", 7, Vetting.MV),
    (Rank.DS, "Major crime", "Major crime", 10, Vetting.MV),
    (Rank.DC, "Major crime", "Major crime", 20, Vetting.RV),
    (Rank.PC, "Roads policing officer", "Roads policing", 28, Vetting.RV),
    (Rank.PC, "Trainer", "Training", 12, Vetting.RV),
)
# (role, unit, count, vetting) for headquarters police staff: 218 in all.
HQ_STAFF = (
    ("Call handler", UNIT_CONTROL, 90, Vetting.RV),
    ("Dispatcher", UNIT_CONTROL, 30, Vetting.RV),
    ("Human resources officer", "Human resources", 20, Vetting.RV),
    ("Finance officer", "Finance", 15, Vetting.RV),
    ("IT systems administrator", "Information technology", 20, Vetting.MV),
    ("Performance analyst", "Performance review", 10, Vetting.MV),
    ("Administrative officer", UNIT_HQ, 25, Vetting.RV),
    ("Training administrator", "Training", 8, Vetting.RV),
)


@dataclass
class Workforce:
    rows: list[dict] = field(default_factory=list)
    display: dict[int, str] = field(default_factory=dict)            # staff id -> "PC Name (A1001)"
    by_post: dict[tuple[str | None, str], list[int]] = field(default_factory=dict)  # (division, role) -> ids

    def post(self, division: str | None, role: str) -> list[int]:
        return self.by_post.get((division, role), [])


def display_name(row: dict) -> str:
    abbr = RANK_ABBREVIATION[row["rank"]]
    name = f"{row['forename']} {row['surname']} ({row['collar_number']})"
    return f"{abbr} {name}" if abbr else name


def build_workforce(rng: random.Random, geo: Geography) -> Workforce:
    wf = Workforce()
    counters: dict[str, int] = {}

    def collar(prefix: str, start: int) -> str:
        key = f"{prefix}/{start}"
        counters[key] = counters.get(key, start - 1) + 1
        return f"{prefix}{counters[key]}"

    def add(division: str | None, rank: Rank, role: str, unit: str, vetting: Vetting, count: int,
            sectioned: bool = False) -> None:
        for _ in range(count):
            g = names.gender(rng)
            is_officer = rank not in (Rank.PCSO, Rank.STAFF)
            if rank is Rank.STAFF:
                number = collar("S", 20001)
            elif rank is Rank.PCSO:
                number = collar(f"{division}", 7001)
            else:
                number = collar(division or "H", 1001)
            row = {"id": len(wf.rows) + 1, "force_id": 1, "collar_number": number,
                   "forename": names.forename(rng, g), "surname": names.surname(rng), "is_officer": is_officer,
                   "rank": rank, "role": role, "unit": unit,
                   "division_id": geo.division_ids[division] if division else None,
                   "section_id": rng.choice(geo.section_ids[division]) if sectioned and division else None,
                   "vetting": vetting}
            wf.rows.append(row)
            wf.display[row["id"]] = display_name(row)
            wf.by_post.setdefault((division, role), []).append(row["id"])

    for rank, role, unit, count, vetting in HQ_OFFICERS:
        add(None, rank, role, unit, vetting, count)
    hq_officers = len(wf.rows)
    hq_staff = sum(s[2] for s in HQ_STAFF)
    weights = [d.population for d in DIVISIONS]
    officer_split = largest_remainder(OFFICERS - hq_officers, weights)
    pcso_split = largest_remainder(PCSOS, weights)
    staff_split = largest_remainder(POLICE_STAFF - PCSOS - hq_staff, weights)

    for spec, n, pcsos, m in zip(DIVISIONS, officer_split, pcso_split, staff_split):
        d = spec.code
        n_sections = len(geo.section_ids[d])
        start = len(wf.rows)
        add(d, Rank.CH_SUPT, "Divisional commander", UNIT_COMMAND, Vetting.SC, 1)
        add(d, Rank.SUPT, "Deputy divisional commander", UNIT_COMMAND, Vetting.SC, 1)
        add(d, Rank.CI, "Operations chief inspector", UNIT_COMMAND, Vetting.MV, 2)
        add(d, Rank.DCI, "Divisional crime manager", UNIT_CID, Vetting.SC, 1)
        add(d, Rank.DI, "Public protection unit manager", UNIT_PPU, Vetting.SC, 1)
        add(d, Rank.DS, "Public protection sergeant", UNIT_PPU, Vetting.MV, 2)
        add(d, Rank.DC, "Public protection officer", UNIT_PPU, Vetting.MV, PPOS[d])
        add(d, Rank.DC, "Domestic violence officer", UNIT_PPU, Vetting.MV, 3)
        add(d, Rank.DC, "Child abuse investigator", UNIT_PPU, Vetting.MV, 3)
        add(d, Rank.DI, "Detective inspector", UNIT_CID, Vetting.MV, 1)
        add(d, Rank.DS, "Detective sergeant", UNIT_CID, Vetting.MV, max(2, round(n * 0.012)))
        add(d, Rank.DC, "Detective constable", UNIT_CID, Vetting.RV, round(n * 0.09))
        add(d, Rank.INSP, "Section inspector", UNIT_NEIGHBOURHOOD, Vetting.MV, n_sections, sectioned=True)
        add(d, Rank.INSP, "Response inspector", UNIT_RESPONSE, Vetting.MV, 5)
        add(d, Rank.PS, "Response sergeant", UNIT_RESPONSE, Vetting.MV, round(n * 0.06), sectioned=True)
        add(d, Rank.PS, "Neighbourhood sergeant", UNIT_NEIGHBOURHOOD, Vetting.MV, n_sections, sectioned=True)
        add(d, Rank.PS, "Custody sergeant", UNIT_CUSTODY, Vetting.MV, 5)
        add(d, Rank.PC, "Missing persons coordinator", UNIT_NEIGHBOURHOOD, Vetting.MV, 1)
        pcs = n - (len(wf.rows) - start)
        if pcs <= 0:
            raise AssertionError(f"division {d}: no constables left after specialist posts")
        response = round(pcs * 0.6)
        add(d, Rank.PC, "Response officer", UNIT_RESPONSE, Vetting.RV, response, sectioned=True)
        add(d, Rank.PC, "Neighbourhood officer", UNIT_NEIGHBOURHOOD, Vetting.RV, pcs - response, sectioned=True)
        add(d, Rank.PCSO, "Police community support officer", UNIT_NEIGHBOURHOOD, Vetting.RV, pcsos, sectioned=True)
        fixed = 0
        for role, unit, count, vetting in (
                ("Public protection administrator", UNIT_PPU, 3, Vetting.MV),
                ("Public protection researcher", UNIT_PPU, 1, Vetting.MV),
                ("Divisional analyst", UNIT_SUPPORT, 2, Vetting.MV),
                ("Detention officer", UNIT_CUSTODY, round(m * 0.12), Vetting.RV),
                ("Enquiry office assistant", UNIT_SUPPORT, round(m * 0.15), Vetting.RV),
                ("Scenes of crime officer", UNIT_CID, round(m * 0.06), Vetting.RV)):
            add(d, Rank.STAFF, role, unit, vetting, count)
            fixed += count
        add(d, Rank.STAFF, "Administrative officer", UNIT_SUPPORT, Vetting.RV, m - fixed)
    for role, unit, count, vetting in HQ_STAFF:
        add(None, Rank.STAFF, role, unit, vetting, count)
    return wf


# (username, role, division code or None, vetting, (division, post) of the staff member, or None)
DEMO_USERS = (
    ("officer.a", Role.OFFICER, "A", Vetting.RV, ("A", "Response officer")),
    ("officer.b", Role.OFFICER, "B", Vetting.RV, ("B", "Response officer")),
    ("officer.c", Role.OFFICER, "C", Vetting.RV, ("C", "Response officer")),
    ("supervisor.a", Role.SUPERVISOR, "A", Vetting.MV, ("A", "Response sergeant")),
    ("supervisor.b", Role.SUPERVISOR, "B", Vetting.MV, ("B", "Response sergeant")),
    ("supervisor.c", Role.SUPERVISOR, "C", Vetting.MV, ("C", "Response sergeant")),
    ("ppu.a", Role.PPU, "A", Vetting.SC, ("A", "Public protection sergeant")),
    ("ppu.b", Role.PPU, "B", Vetting.SC, ("B", "Public protection sergeant")),
    ("ppu.c", Role.PPU, "C", Vetting.SC, ("C", "Public protection sergeant")),
    ("analyst", Role.ANALYST, None, Vetting.MV, (None, "Performance analyst")),
    ("chief", Role.CHIEF_OFFICER, None, Vetting.SC, (None, "Assistant Chief Constable")),
    ("inspector", Role.INSPECTOR, None, Vetting.SC, None),
    ("admin", Role.ADMIN, None, Vetting.SC, (None, "IT systems administrator")),
    # children's social care duty teams, one per council: partner agencies, not force staff
    ("partner.newport", Role.PARTNER, "A", Vetting.RV, None),
    ("partner.torfaen", Role.PARTNER, "B", Vetting.RV, None),
    ("partner.monmouthshire", Role.PARTNER, "B", Vetting.RV, None),
    ("partner.caerphilly", Role.PARTNER, "C", Vetting.RV, None),
    ("partner.blaenau-gwent", Role.PARTNER, "C", Vetting.RV, None),
    # a second HMIC inspector, who approves or refuses the first's requests to see a name
    ("inspector.b", Role.INSPECTOR, None, Vetting.SC, None),
)
# Users added after the demo's figures were published (docs/demo-data.md) take their names from
# a generator of their own: drawing them from the seed's would reshuffle every record planned
# after the users.
LATER_USERS = frozenset({"partner.monmouthshire", "partner.blaenau-gwent", "inspector.b"})
# the council whose children's social care each partner user works for
PARTNER_COUNCIL = {"partner.newport": "Newport", "partner.torfaen": "Torfaen",
                   "partner.monmouthshire": "Monmouthshire", "partner.caerphilly": "Caerphilly",
                   "partner.blaenau-gwent": "Blaenau Gwent"}


def build_users(rng: random.Random, geo: Geography, wf: Workforce, password_hash: str) -> list[dict]:
    """One user per DEMO_USERS entry, each linked to the first staff member in its post (whose
    vetting is raised to the user's if lower). The HMIC inspector and partner agencies' users are
    not force staff."""
    users = []
    rows = {r["id"]: r for r in wf.rows}
    council = {la["id"]: la["name"] for la in geo.local_authorities}
    social_care = {council[p["local_authority_id"]]: p["id"] for p in geo.partner_bodies
                   if p["kind"] == "childrens_social_care"}
    for username, role, division, vetting, post in DEMO_USERS:
        staff_id = None
        if post is not None:
            staff_id = wf.post(*post)[0]
            row = rows[staff_id]
            if not row["vetting"].covers(vetting):
                row["vetting"] = vetting
            label = wf.display[staff_id]
        elif role is Role.PARTNER:
            r = random.Random(username) if username in LATER_USERS else rng
            g = names.gender(r)
            label = (f"{PARTNER_COUNCIL[username]} children's services duty social worker "
                     f"{names.forename(r, g)} {names.surname(r)}")
        else:
            r = random.Random(username) if username in LATER_USERS else rng
            g = names.gender(r)
            label = f"HMI {names.forename(r, g)} {names.surname(r)}"
        users.append({"id": len(users) + 1, "username": username, "password_hash": password_hash, "role": role,
                      "vetting": vetting, "division_id": geo.division_ids[division] if division else None,
                      "staff_id": staff_id, "partner_id": social_care.get(PARTNER_COUNCIL.get(username)),
                      "display_name": label, "active": True})
    return users
