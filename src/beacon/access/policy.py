"""Who may do what: the access matrix as data, decided by pure functions.

A decision needs the user's role, division and vetting, and the record's type, division and
required vetting. Division-scoped roles see their own division only; force-scoped roles see
every division. Vetting is checked for every role. Lists and searches use ``scope`` so that a
record a user may not open never appears in a list either.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from beacon.org.roles import Role, Vetting


class Action(str, Enum):
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    REVIEW = "review"      # supervisory review and re-grading


class Scope(str, Enum):
    DIVISION = "division"
    FORCE = "force"


@dataclass(frozen=True)
class Principal:
    id: int
    username: str
    role: Role
    vetting: Vetting
    division_id: int | None
    display_name: str = ""
    partner_id: int | None = None   # the partner agency a partner user works for

    @property
    def pseudonymised(self) -> bool:
        """Inspectors read force records without names (issue: inspection through pseudonymised views)."""
        return self.role is Role.INSPECTOR


R, C, U, V = Action.READ, Action.CREATE, Action.UPDATE, Action.REVIEW
D, F = Scope.DIVISION, Scope.FORCE

# (role, record type) -> (actions allowed, scope). Anything absent is refused.
MATRIX: dict[tuple[Role, str], tuple[frozenset[Action], Scope]] = {
    (Role.OFFICER, "missing_report"): (frozenset({R, C, U}), D),
    (Role.SUPERVISOR, "missing_report"): (frozenset({R, C, U, V}), D),
    (Role.PPU, "missing_report"): (frozenset({R, C, U, V}), D),
    (Role.ANALYST, "missing_report"): (frozenset({R}), F),
    (Role.CHIEF_OFFICER, "missing_report"): (frozenset({R}), F),
    (Role.INSPECTOR, "missing_report"): (frozenset({R}), F),
    (Role.OFFICER, "person"): (frozenset({R}), D),
    (Role.SUPERVISOR, "person"): (frozenset({R}), D),
    (Role.PPU, "person"): (frozenset({R}), D),
    (Role.ANALYST, "person"): (frozenset({R}), F),
    (Role.CHIEF_OFFICER, "person"): (frozenset({R}), F),
    (Role.INSPECTOR, "person"): (frozenset({R}), F),
    (Role.INSPECTOR, "inspection"): (frozenset({R, C, U, V}), F),
    (Role.CHIEF_OFFICER, "inspection"): (frozenset({R}), F),
    (Role.ANALYST, "inspection"): (frozenset({R}), F),
    (Role.INSPECTOR, "practice"): (frozenset({R, C, U}), F),
    (Role.CHIEF_OFFICER, "practice"): (frozenset({R, C, U}), F),
    (Role.ANALYST, "practice"): (frozenset({R}), F),
    (Role.SUPERVISOR, "practice"): (frozenset({R}), F),
    (Role.PPU, "practice"): (frozenset({R}), F),
    (Role.OFFICER, "practice"): (frozenset({R}), F),
    (Role.ADMIN, "user"): (frozenset({R, C, U}), F),
    (Role.ADMIN, "setting"): (frozenset({R, U}), F),
    (Role.CHIEF_OFFICER, "setting"): (frozenset({R, U}), F),
    (Role.ADMIN, "access_log"): (frozenset({R}), F),
    (Role.CHIEF_OFFICER, "access_log"): (frozenset({R}), F),
    # Command-and-control incidents: control room and response record; supervisors also review
    # closure-audit flags (V); the PPU reads the logs behind its work. Inspectors read pseudonymised.
    (Role.OFFICER, "incident"): (frozenset({R, C, U}), D),
    (Role.SUPERVISOR, "incident"): (frozenset({R, C, U, V}), D),
    (Role.PPU, "incident"): (frozenset({R}), D),
    (Role.ANALYST, "incident"): (frozenset({R}), F),
    (Role.CHIEF_OFFICER, "incident"): (frozenset({R}), F),
    (Role.INSPECTOR, "incident"): (frozenset({R}), F),
    # The PPU's work items created when a log is closed as domestic or child protection.
    (Role.PPU, "ppu_work"): (frozenset({R, U}), D),
    (Role.ANALYST, "ppu_work"): (frozenset({R}), F),
    (Role.CHIEF_OFFICER, "ppu_work"): (frozenset({R}), F),
    (Role.INSPECTOR, "ppu_work"): (frozenset({R}), F),
    # Domestic abuse risk forms (DASH): the first officer completes, the DVO (ppu) reviews.
    (Role.OFFICER, "da_form"): (frozenset({R, C}), D),
    (Role.PPU, "da_form"): (frozenset({R, C, U, V}), D),
    (Role.SUPERVISOR, "da_form"): (frozenset({R, C, U, V}), D),
    (Role.ANALYST, "da_form"): (frozenset({R}), F),
    (Role.CHIEF_OFFICER, "da_form"): (frozenset({R}), F),
    (Role.INSPECTOR, "da_form"): (frozenset({R}), F),  # pseudonymised
    # MARAC referrals, meetings and actions.
    (Role.PPU, "marac"): (frozenset({R, C, U}), D),
    (Role.SUPERVISOR, "marac"): (frozenset({R}), D),
    (Role.ANALYST, "marac"): (frozenset({R}), F),
    (Role.CHIEF_OFFICER, "marac"): (frozenset({R}), F),
    # Referrals to children's social care. A partner user is scoped by division_id and, within it,
    # sees only the referrals sent to their own agency (partner_id), enforced by the referrals module.
    (Role.OFFICER, "child_referral"): (frozenset({R, C}), D),
    (Role.PPU, "child_referral"): (frozenset({R, C, U, V}), D),
    (Role.SUPERVISOR, "child_referral"): (frozenset({R, C, U, V}), D),
    (Role.PARTNER, "child_referral"): (frozenset({R, U}), D),  # acknowledge, record the outcome
    (Role.ANALYST, "child_referral"): (frozenset({R}), F),
    (Role.CHIEF_OFFICER, "child_referral"): (frozenset({R}), F),
    (Role.INSPECTOR, "child_referral"): (frozenset({R}), F),   # pseudonymised: the records behind CA figures
    # Child protection cases and the decisions about the child (recorded under the case): the
    # PPU works them, supervisors (DS to DI) review and decide; inspectors read pseudonymised.
    (Role.PPU, "child_case"): (frozenset({R, C, U, V}), D),
    (Role.SUPERVISOR, "child_case"): (frozenset({R, V}), D),
    (Role.ANALYST, "child_case"): (frozenset({R}), F),
    (Role.CHIEF_OFFICER, "child_case"): (frozenset({R}), F),
    (Role.INSPECTOR, "child_case"): (frozenset({R}), F),
    # Police protection (Children Act 1989 s46): any officer records it; the designated officer
    # review (V) also needs the rank of inspector or above, checked by the service.
    (Role.OFFICER, "police_protection"): (frozenset({R, C}), D),
    (Role.SUPERVISOR, "police_protection"): (frozenset({R, C, V}), D),
    (Role.PPU, "police_protection"): (frozenset({R, C, U, V}), D),
    (Role.ANALYST, "police_protection"): (frozenset({R}), F),
    (Role.CHIEF_OFFICER, "police_protection"): (frozenset({R}), F),
    (Role.INSPECTOR, "police_protection"): (frozenset({R}), F),
    # LSCB meetings and police attendance; an LSCB belongs to the divisions its authority's wards lie in.
    (Role.PPU, "lscb_meeting"): (frozenset({R, C, U, V}), D),
    (Role.SUPERVISOR, "lscb_meeting"): (frozenset({R, V}), D),
    (Role.ANALYST, "lscb_meeting"): (frozenset({R}), F),
    (Role.CHIEF_OFFICER, "lscb_meeting"): (frozenset({R}), F),
    (Role.INSPECTOR, "lscb_meeting"): (frozenset({R}), F),
}
RECORD_TYPES = sorted({record_type for _, record_type in MATRIX})
_KNOWN = frozenset(RECORD_TYPES)


def _known(record_type: str) -> None:
    """A record type the matrix does not know is a mistake in the code, not a refusal to log."""
    if record_type not in _KNOWN:
        raise ValueError(f"no record type {record_type!r} in the access matrix (a typo would refuse everyone)")


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def decide(user: Principal, action: Action, record_type: str,
           division_id: int | None = None, vetting: Vetting = Vetting.RV) -> Decision:
    """May ``user`` do ``action`` to a record of ``record_type`` held by ``division_id``
    that needs ``vetting``? For CREATE, ``division_id`` is the division the record will belong to."""
    _known(record_type)
    entry = MATRIX.get((user.role, record_type))
    if entry is None or action not in entry[0]:
        return Decision(False, f"role {user.role.value} may not {action.value} {record_type}")
    if not user.vetting.covers(vetting):
        return Decision(False, f"{record_type} needs {vetting.value} vetting; user has {user.vetting.value}")
    if entry[1] is Scope.DIVISION and (user.division_id is None or division_id != user.division_id):
        return Decision(False, f"{record_type} belongs to another division")
    return Decision(True, "allowed")


@dataclass(frozen=True)
class ListScope:
    """What a user's lists may contain: ``division_ids`` None means every division."""
    allowed: bool
    division_ids: frozenset[int] | None
    vetting_levels: frozenset[Vetting]


FORCE_WIDE = ListScope(True, None, frozenset(Vetting))
"""Every division at every vetting level: for a system job or an audit of the whole force, which
has no user's scope (the caller has checked the user may see the result)."""


def scope(user: Principal, record_type: str) -> ListScope:
    _known(record_type)
    entry = MATRIX.get((user.role, record_type))
    levels = frozenset(v for v in Vetting if user.vetting.covers(v))
    if entry is None or Action.READ not in entry[0]:
        return ListScope(False, frozenset(), levels)
    if entry[1] is Scope.FORCE:
        return ListScope(True, None, levels)
    ids = frozenset({user.division_id}) if user.division_id is not None else frozenset()
    return ListScope(bool(ids), ids, levels)
