"""The synthetic Gwent's geography: force, local authorities, partner bodies, divisions,
sections, neighbourhoods and wards, and a maker of synthetic addresses in the wards.

Figures from HMIC's 2007 report on Gwent Police: three divisions (Newport 138,826; Torfaen and
Monmouthshire 175,900; Caerphilly and Blaenau Gwent 239,600), five local authorities, five
LSCBs, 22 sections, 96 neighbourhoods and 135 wards. The split of a division's population between
its two local authorities, and of sections, neighbourhoods and wards between authorities, is
invented (roughly by population). Section, neighbourhood and ward names are generic.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from beacon.demo import names

FORCE = {"code": "gwent", "name": "Gwent Police"}


@dataclass(frozen=True)
class DivisionSpec:
    code: str
    name: str
    population: int


@dataclass(frozen=True)
class AuthoritySpec:
    name: str
    division: str
    population: int
    sections: int
    neighbourhoods: int
    wards: int
    districts: tuple[str, ...]   # NP postcode districts used for addresses in this authority


DIVISIONS = (
    DivisionSpec("A", "Newport", 138_826),
    DivisionSpec("B", "Torfaen and Monmouthshire", 175_900),
    DivisionSpec("C", "Caerphilly and Blaenau Gwent", 239_600),
)
AUTHORITIES = (
    AuthoritySpec("Newport", "A", 138_826, 6, 24, 34, ("NP10", "NP18", "NP19", "NP20")),
    AuthoritySpec("Torfaen", "B", 90_900, 4, 16, 22, ("NP4", "NP44")),
    AuthoritySpec("Monmouthshire", "B", 85_000, 3, 15, 21, ("NP7", "NP15", "NP16", "NP25", "NP26")),
    AuthoritySpec("Caerphilly", "C", 170_000, 6, 29, 41, ("NP11", "NP12")),
    AuthoritySpec("Blaenau Gwent", "C", 69_600, 3, 12, 17, ("NP13", "NP22", "NP23")),
)
# MARACs were running in two divisions only in 2007 (the third had none yet).
MARACS = (("A", "Newport MARAC", "Newport"), ("B", "Torfaen and Monmouthshire MARAC", "Torfaen"))
CARE_HOMES_PER_DIVISION = {"A": 2, "B": 2, "C": 2}

_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"   # letters used in the inward part of a postcode
_STREET_KINDS = ("Street", "Road", "Close", "Avenue", "Lane", "Way", "Court", "Terrace", "Drive", "Crescent")


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into integers in proportion to ``weights`` (exact sum)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def spread(total: int, buckets: int, rng: random.Random, minimum: int = 1) -> list[int]:
    """``total`` items into ``buckets`` with at least ``minimum`` each, the extra placed at random."""
    out = [minimum] * buckets
    for _ in range(total - minimum * buckets):
        out[rng.randrange(buckets)] += 1
    return out


@dataclass
class WardInfo:
    id: int
    division: str
    population: int
    district: str
    sector: int
    streets: list[str] = field(default_factory=list)


@dataclass
class Geography:
    force: dict
    local_authorities: list[dict]
    partner_bodies: list[dict]
    divisions: list[dict]
    sections: list[dict]
    neighbourhoods: list[dict]
    wards: list[dict]
    division_ids: dict[str, int]
    section_ids: dict[str, list[int]]          # division code -> section ids
    ward_info: dict[int, WardInfo]

    def wards_in(self, division: str) -> list[WardInfo]:
        return [w for w in self.ward_info.values() if w.division == division]


def build_geography(rng: random.Random) -> Geography:
    force = {"id": 1, **FORCE, "population": sum(d.population for d in DIVISIONS)}
    divisions = [{"id": i, "force_id": 1, "code": d.code, "name": d.name, "population": d.population}
                 for i, d in enumerate(DIVISIONS, start=1)]
    division_ids = {d["code"]: d["id"] for d in divisions}
    las, partners, sections, hoods, wards = [], [], [], [], []
    section_ids: dict[str, list[int]] = {d.code: [] for d in DIVISIONS}
    ward_info: dict[int, WardInfo] = {}
    hood_no = {d.code: 0 for d in DIVISIONS}
    ward_no = {d.code: 0 for d in DIVISIONS}
    for la_id, spec in enumerate(AUTHORITIES, start=1):
        las.append({"id": la_id, "force_id": 1, "name": spec.name})
        partners.append({"force_id": 1, "kind": "childrens_social_care", "local_authority_id": la_id,
                         "name": f"{spec.name} Children's Social Care"})
        partners.append({"force_id": 1, "kind": "lscb", "local_authority_id": la_id,
                         "name": f"{spec.name} Local Safeguarding Children Board"})
        hoods_per_section = spread(spec.neighbourhoods, spec.sections, rng)
        wards_per_hood = spread(spec.wards, spec.neighbourhoods, rng)
        ward_pops = largest_remainder(spec.population, [rng.uniform(0.6, 1.4) for _ in range(spec.wards)])
        k = 0  # index into this authority's neighbourhoods / wards
        w = 0
        for s_index, n_hoods in enumerate(hoods_per_section, start=1):
            section_id = len(sections) + 1
            sections.append({"id": section_id, "division_id": division_ids[spec.division],
                             "name": f"{spec.name} Section {s_index}"})
            section_ids[spec.division].append(section_id)
            for _ in range(n_hoods):
                hood_no[spec.division] += 1
                hood_id = len(hoods) + 1
                hoods.append({"id": hood_id, "section_id": section_id,
                              "name": f"Neighbourhood {spec.division}-{hood_no[spec.division]:02d}"})
                for _ in range(wards_per_hood[k]):
                    ward_no[spec.division] += 1
                    ward_id = len(wards) + 1
                    wards.append({"id": ward_id, "neighbourhood_id": hood_id, "local_authority_id": la_id,
                                  "name": f"Ward {spec.division}-{ward_no[spec.division]:03d}",
                                  "population": ward_pops[w]})
                    info = WardInfo(ward_id, spec.division, ward_pops[w], rng.choice(spec.districts),
                                    rng.randint(1, 9))
                    info.streets = _street_names(rng, rng.randint(4, 8))
                    ward_info[ward_id] = info
                    w += 1
                k += 1
    la_ids = {la["name"]: la["id"] for la in las}
    for _division, name, la in MARACS:
        partners.append({"force_id": 1, "kind": "marac", "local_authority_id": la_ids[la], "name": name})
    for i, p in enumerate(partners, start=1):
        p["id"] = i
    return Geography(force, las, partners, divisions, sections, hoods, wards, division_ids, section_ids, ward_info)


def _street_names(rng: random.Random, n: int) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        name = f"{names.place_word(rng)} {rng.choice(_STREET_KINDS)}"
        if name not in out:
            out.append(name)
    return out


class Addresses:
    """Makes Location rows with unique (address, postcode) and ids from 1."""

    def __init__(self, rng: random.Random, geo: Geography):
        self.rng = rng
        self.geo = geo
        self.rows: list[dict] = []
        self._used: set[tuple[str, str]] = set()

    def _postcode(self, ward: WardInfo) -> str:
        return f"{ward.district} {ward.sector}{self.rng.choice(_UNIT_LETTERS)}{self.rng.choice(_UNIT_LETTERS)}"

    def _add(self, address: str, ward: WardInfo, kind: str, warning: str = "") -> int:
        postcode = self._postcode(ward)
        while (address.lower(), postcode) in self._used:
            postcode = self._postcode(ward)
        self._used.add((address.lower(), postcode))
        row = {"id": len(self.rows) + 1, "address": address, "postcode": postcode, "kind": kind,
               "ward_id": ward.id, "division_id": self.geo.division_ids[ward.division], "warning": warning}
        self.rows.append(row)
        return row["id"]

    def residential(self, ward: WardInfo) -> int:
        return self._add(f"{self.rng.randint(1, 160)} {self.rng.choice(ward.streets)}", ward, "residential")

    def care_home(self, ward: WardInfo) -> int:
        name = f"{names.place_word(self.rng)} House"
        return self._add(f"{name}, {self.rng.randint(1, 60)} {self.rng.choice(ward.streets)}", ward, "care_home",
                         "Children's home: contact the manager on duty before attending")

    def public_place(self, ward: WardInfo) -> int:
        word = names.place_word(self.rng)
        kind, address = self.rng.choice((
            ("public_place", f"{word} Park"),
            ("public_place", f"{word} Shopping Centre"),
            ("public_place", f"Bus station, {word} Square"),
            ("public_place", f"Railway station, {word}"),
            ("public_place", f"{word} Leisure Centre"),
            ("public_place", f"Canal towpath near {word} Lock"),
        ))
        return self._add(address, ward, kind)

    def hospital(self, ward: WardInfo) -> int:
        return self._add(f"{names.place_word(self.rng)} General Hospital", ward, "hospital")
