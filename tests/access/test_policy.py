"""The access matrix, every role × record type × action, plus division and vetting."""
from __future__ import annotations

import itertools

import pytest

from beacon.access.policy import (
    MATRIX,
    RECORD_TYPES,
    Action,
    Principal,
    Scope,
    decide,
    scope,
)
from beacon.org.roles import Role, Vetting

EXPECTED = {
    # record type: {role: (actions, scope)}; anything not listed is refused
    "missing_report": {
        Role.OFFICER: ("RCU", "division"), Role.SUPERVISOR: ("RCUV", "division"), Role.PPU: ("RCUV", "division"),
        Role.ANALYST: ("R", "force"), Role.CHIEF_OFFICER: ("R", "force"), Role.INSPECTOR: ("R", "force"),
    },
    "person": {
        Role.OFFICER: ("R", "division"), Role.SUPERVISOR: ("R", "division"), Role.PPU: ("R", "division"),
        Role.ANALYST: ("R", "force"), Role.CHIEF_OFFICER: ("R", "force"), Role.INSPECTOR: ("R", "force"),
    },
    "user": {Role.ADMIN: ("RCU", "force")},
    "inspection": {Role.INSPECTOR: ("RCUV", "force"), Role.CHIEF_OFFICER: ("R", "force"), Role.ANALYST: ("R", "force")},
    "practice": {Role.INSPECTOR: ("RCU", "force"), Role.CHIEF_OFFICER: ("RCU", "force"), Role.ANALYST: ("R", "force"),
                 Role.SUPERVISOR: ("R", "force"), Role.PPU: ("R", "force"), Role.OFFICER: ("R", "force")},
    "setting": {Role.ADMIN: ("RU", "force"), Role.CHIEF_OFFICER: ("RU", "force")},
    "access_log": {Role.ADMIN: ("R", "force"), Role.CHIEF_OFFICER: ("R", "force")},
    "incident": {
        Role.OFFICER: ("RCU", "division"), Role.SUPERVISOR: ("RCUV", "division"), Role.PPU: ("R", "division"),
        Role.ANALYST: ("R", "force"), Role.CHIEF_OFFICER: ("R", "force"), Role.INSPECTOR: ("R", "force"),
    },
    "ppu_work": {
        Role.PPU: ("RU", "division"),
        Role.ANALYST: ("R", "force"), Role.CHIEF_OFFICER: ("R", "force"), Role.INSPECTOR: ("R", "force"),
    },
    "da_form": {
        Role.OFFICER: ("RC", "division"), Role.PPU: ("RCUV", "division"), Role.SUPERVISOR: ("RCUV", "division"),
        Role.ANALYST: ("R", "force"), Role.CHIEF_OFFICER: ("R", "force"), Role.INSPECTOR: ("R", "force"),
    },
    "marac": {
        Role.PPU: ("RCU", "division"), Role.SUPERVISOR: ("R", "division"),
        Role.ANALYST: ("R", "force"), Role.CHIEF_OFFICER: ("R", "force"),
    },
    "child_referral": {
        Role.OFFICER: ("RC", "division"), Role.PPU: ("RCUV", "division"), Role.SUPERVISOR: ("RCUV", "division"),
        Role.PARTNER: ("RU", "division"), Role.ANALYST: ("R", "force"), Role.CHIEF_OFFICER: ("R", "force"),
        Role.INSPECTOR: ("R", "force"),
    },
    "child_case": {
        Role.PPU: ("RCUV", "division"), Role.SUPERVISOR: ("RV", "division"),
        Role.ANALYST: ("R", "force"), Role.CHIEF_OFFICER: ("R", "force"), Role.INSPECTOR: ("R", "force"),
    },
    "police_protection": {
        Role.OFFICER: ("RC", "division"), Role.SUPERVISOR: ("RCV", "division"), Role.PPU: ("RCUV", "division"),
        Role.ANALYST: ("R", "force"), Role.CHIEF_OFFICER: ("R", "force"), Role.INSPECTOR: ("R", "force"),
    },
    "lscb_meeting": {
        Role.PPU: ("RCUV", "division"), Role.SUPERVISOR: ("RV", "division"),
        Role.ANALYST: ("R", "force"), Role.CHIEF_OFFICER: ("R", "force"), Role.INSPECTOR: ("R", "force"),
    },
}
LETTER = {Action.READ: "R", Action.CREATE: "C", Action.UPDATE: "U", Action.REVIEW: "V"}
HOME, AWAY = 1, 2


def user(role: Role, vetting: Vetting = Vetting.DV, division: int | None = HOME) -> Principal:
    return Principal(id=1, username="u", role=role, vetting=vetting, division_id=division)


def test_the_matrix_is_what_the_table_says():
    assert set(RECORD_TYPES) == set(EXPECTED)
    for (role, record_type), (actions, sc) in MATRIX.items():
        letters, scope_name = EXPECTED[record_type][role]
        assert "".join(sorted(LETTER[a] for a in actions)) == "".join(sorted(letters)), (role, record_type)
        assert sc is Scope(scope_name)


@pytest.mark.parametrize("role,record_type,action", itertools.product(Role, RECORD_TYPES, Action))
def test_every_role_record_type_and_action(role, record_type, action):
    letters, scope_name = EXPECTED[record_type].get(role, ("", "force"))
    allowed = LETTER[action] in letters
    assert bool(decide(user(role), action, record_type, HOME)) is allowed
    # another division: only force-wide roles keep access
    assert bool(decide(user(role), action, record_type, AWAY)) is (allowed and scope_name == "force")


@pytest.mark.parametrize("role", list(Role))
def test_vetting_below_the_record_refuses_every_role(role):
    for record_type, action in itertools.product(RECORD_TYPES, Action):
        decision = decide(user(role, Vetting.RV), action, record_type, HOME, Vetting.MV)
        assert not decision
    assert not decide(user(Role.OFFICER, Vetting.MV), Action.READ, "missing_report", HOME, Vetting.SC)
    assert decide(user(Role.OFFICER, Vetting.SC), Action.READ, "missing_report", HOME, Vetting.SC)


def test_division_scoped_user_without_a_division_sees_nothing():
    assert not decide(user(Role.OFFICER, division=None), Action.READ, "missing_report", HOME)
    assert not scope(user(Role.OFFICER, division=None), "missing_report").allowed


def test_list_scope():
    s = scope(user(Role.SUPERVISOR, Vetting.MV), "missing_report")
    assert s.allowed and s.division_ids == {HOME} and s.vetting_levels == {Vetting.RV, Vetting.MV}
    s = scope(user(Role.ANALYST, Vetting.RV), "missing_report")
    assert s.allowed and s.division_ids is None and s.vetting_levels == {Vetting.RV}
    assert not scope(user(Role.ADMIN), "missing_report").allowed


def test_refusals_say_why():
    assert "another division" in decide(user(Role.OFFICER), Action.READ, "missing_report", AWAY).reason
    assert "vetting" in decide(user(Role.OFFICER, Vetting.RV), Action.READ, "missing_report", HOME, Vetting.SC).reason
    assert "may not" in decide(user(Role.ADMIN), Action.READ, "missing_report", HOME).reason
