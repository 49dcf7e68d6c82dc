"""Roles and vetting levels. Ordered vetting: a user may see a record whose required level
is at or below their own (College of Policing Vetting Code: RV < MV < SC < DV)."""
from __future__ import annotations

from enum import Enum


class Role(str, Enum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    PPU = "ppu"
    ANALYST = "analyst"
    CHIEF_OFFICER = "chief_officer"
    INSPECTOR = "inspector"
    ADMIN = "admin"
    PARTNER = "partner"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.OFFICER: "Response or neighbourhood officer",
    Role.SUPERVISOR: "Supervisor (sergeant to detective inspector)",
    Role.PPU: "Public protection unit specialist",
    Role.ANALYST: "Performance analyst",
    Role.CHIEF_OFFICER: "Chief officer",
    Role.INSPECTOR: "Inspector (HMIC)",
    Role.ADMIN: "Administrator",
    Role.PARTNER: "Partner agency (children's social care, MARAC)",
}


class Vetting(str, Enum):
    RV = "RV"   # recruitment vetting
    MV = "MV"   # management vetting
    SC = "SC"   # security check
    DV = "DV"   # developed vetting

    @property
    def rank(self) -> int:
        return list(Vetting).index(self)

    def covers(self, required: Vetting) -> bool:
        return self.rank >= required.rank


class Rank(str, Enum):
    PC = "Police Constable"
    DC = "Detective Constable"
    PS = "Sergeant"
    DS = "Detective Sergeant"
    INSP = "Inspector"
    DI = "Detective Inspector"
    CI = "Chief Inspector"
    DCI = "Detective Chief Inspector"
    SUPT = "Superintendent"
    CH_SUPT = "Chief Superintendent"
    ACC = "Assistant Chief Constable"
    DCC = "Deputy Chief Constable"
    CC = "Chief Constable"
    PCSO = "Police Community Support Officer"
    STAFF = "Police staff"
