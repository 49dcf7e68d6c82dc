"""Local Safeguarding Children Board meetings and whether the police were represented.

HMIC (Gwent 2007, Child Abuse, areas for improvement): "Force expectations about representation
on LSCBs are clear ... However, a scrutiny of LSCB minutes revealed that some meetings had no
police representation. The force should ensure that its policy on LSCB attendance is properly
complied with in its practice." Each meeting is recorded with whether the police attended and
who; :func:`attendance` counts, per LSCB, the meetings held over a period and those without police.

An LSCB is a ``PartnerBody`` of kind ``lscb`` for a local authority (Children Act 2004 s13); it
belongs to the divisions in which its authority's wards lie, which scopes division users.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from beacon.access.audit import note, require
from beacon.access.policy import Action, Principal, scope
from beacon.access.references import resolve
from beacon.cases.child_protection.cases import today_of
from beacon.cases.child_protection.lscb_schemas import LscbMeetingIn
from beacon.cases.child_protection.models import LscbMeeting
from beacon.errors import Conflict, Invalid
from beacon.org.models import Neighbourhood, PartnerBody, Section, Ward
from beacon.rules.clocks import add_months

RECORD = "lscb_meeting"
LSCB = "lscb"


def lscbs(session: Session) -> list[PartnerBody]:
    return list(session.scalars(select(PartnerBody).where(PartnerBody.kind == LSCB).order_by(PartnerBody.name)))


def lscb_divisions(session: Session) -> dict[int, frozenset[int]]:
    """Each LSCB's divisions: those holding a ward of its local authority."""
    stmt = (select(PartnerBody.id, Section.division_id).distinct()
            .join(Ward, Ward.local_authority_id == PartnerBody.local_authority_id)
            .join(Neighbourhood, Neighbourhood.id == Ward.neighbourhood_id)
            .join(Section, Section.id == Neighbourhood.section_id)
            .where(PartnerBody.kind == LSCB))
    out: dict[int, set[int]] = {}
    for lscb_id, division_id in session.execute(stmt):
        out.setdefault(lscb_id, set()).add(division_id)
    return {k: frozenset(v) for k, v in out.items()}


def _require_for(session: Session, user: Principal, action: Action, lscb_id: int, divisions: frozenset[int]) -> None:
    division = user.division_id if user.division_id in divisions else (min(divisions) if divisions else None)
    require(session, user, action, RECORD, f"lscb/{lscb_id}", division)


def visible_lscbs(session: Session, user: Principal) -> list[PartnerBody]:
    """The LSCBs whose meetings the user may see (403 if none may be seen at all)."""
    s = scope(user, RECORD)
    if not s.allowed:
        require(session, user, Action.READ, RECORD, "", user.division_id)
    if s.division_ids is None:
        return lscbs(session)
    divisions = lscb_divisions(session)
    return [b for b in lscbs(session) if divisions.get(b.id, frozenset()) & s.division_ids]


def record_meeting(session: Session, user: Principal, data: LscbMeetingIn, now: datetime) -> LscbMeeting:
    body = resolve(session, user, data)["lscb_id"]
    if body.kind != LSCB:
        raise Invalid({"lscb_id": f"no LSCB {data.lscb_id}"})
    _require_for(session, user, Action.CREATE, body.id, lscb_divisions(session).get(body.id, frozenset()))
    if data.held_on > today_of(now):
        raise Invalid({"held_on": "cannot be in the future"})
    existing = session.scalar(select(LscbMeeting.id).where(LscbMeeting.lscb_id == body.id,
                                                           LscbMeeting.held_on == data.held_on))
    if existing is not None:
        raise Conflict(f"a meeting of {body.name} on {data.held_on:%d %B %Y} is recorded already (meeting {existing})")
    meeting = LscbMeeting(lscb_id=body.id, held_on=data.held_on, police_attended=data.police_attended,
                          attendee=data.attendee)
    session.add(meeting)
    session.flush()
    note(session, user, "create", RECORD, meeting.id, detail=f"lscb={body.id} police={data.police_attended}")
    return meeting


def period(now: datetime, from_on: date | None, to_on: date | None) -> tuple[date, date]:
    """The period asked for; by default the 12 months to today."""
    to_on = to_on or today_of(now)
    from_on = from_on or add_months(to_on, -12)
    if from_on > to_on:
        raise Invalid({"from_on": "must be on or before to_on"})
    return from_on, to_on


def meetings(session: Session, user: Principal, from_on: date, to_on: date,
             lscb_id: int | None = None) -> list[LscbMeeting]:
    visible = {b.id for b in visible_lscbs(session, user)}
    if lscb_id is not None and lscb_id not in visible:
        body = session.get(PartnerBody, lscb_id)
        if body is None or body.kind != LSCB:
            raise Invalid({"lscb_id": f"no LSCB {lscb_id}"})
        _require_for(session, user, Action.READ, lscb_id, lscb_divisions(session).get(lscb_id, frozenset()))
    ids = {lscb_id} if lscb_id is not None else visible
    rows = list(session.scalars(select(LscbMeeting).where(LscbMeeting.lscb_id.in_(sorted(ids)), LscbMeeting.held_on >= from_on,
                                                          LscbMeeting.held_on <= to_on)
                                .order_by(LscbMeeting.held_on.desc(), LscbMeeting.id.desc()).limit(2000)))
    note(session, user, "list", RECORD, "", detail=f"{from_on}..{to_on} ids=" + ",".join(str(m.id) for m in rows))
    return rows


@dataclass
class Attendance:
    lscb: PartnerBody
    meetings: int = 0
    without_police: int = 0
    dates_without_police: list[date] = field(default_factory=list)


def attendance(session: Session, user: Principal, from_on: date, to_on: date) -> list[Attendance]:
    """Per LSCB in the user's scope: meetings held from ``from_on`` to ``to_on`` (inclusive), and
    how many had no police representation. An LSCB with no meetings recorded shows 0."""
    visible = visible_lscbs(session, user)
    rows = {b.id: Attendance(b) for b in visible}
    stmt = select(LscbMeeting).where(LscbMeeting.lscb_id.in_(list(rows)), LscbMeeting.held_on >= from_on,
                                     LscbMeeting.held_on <= to_on).order_by(LscbMeeting.held_on)
    for meeting in session.scalars(stmt):
        row = rows[meeting.lscb_id]
        row.meetings += 1
        if not meeting.police_attended:
            row.without_police += 1
            row.dates_without_police.append(meeting.held_on)
    note(session, user, "list", RECORD, "", detail=f"attendance {from_on}..{to_on}")
    return list(rows.values())


__all__ = ["RECORD", "Attendance", "attendance", "lscb_divisions", "lscbs", "meetings", "period", "record_meeting",
           "visible_lscbs"]
