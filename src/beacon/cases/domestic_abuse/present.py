"""How a risk form, a MARAC referral, a meeting and the backlog are shown: names for those who see
names, pseudonyms and withheld text for inspectors, and a form's MARAC referral only to those who
may read MARAC referrals. Above the service: it reads what the service decides."""
from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy.orm import Session

from beacon.access.audit import note
from beacon.access.policy import Action, Principal, decide
from beacon.cases.domestic_abuse import repository as repo
from beacon.cases.domestic_abuse.instrument import instrument_by_id
from beacon.cases.domestic_abuse.models import (
    MaracAction,
    MaracMeeting,
    MaracReferral,
    RiskForm,
)
from beacon.cases.domestic_abuse.schemas import (
    ActionOut,
    AnswerOut,
    BacklogRow,
    MaracReferralOut,
    MeetingOut,
    RiskFormOut,
    RiskFormSummary,
)
from beacon.cases.domestic_abuse.service import (
    MARAC_RECORD,
    Backlog,
    age_days,
    criteria_for,
    criteria_out,
)
from beacon.org import repository as org_repo
from beacon.people import redact as redaction
from beacon.people.models import Location, Person
from beacon.rules.clocks import LONDON


def _name(user: Principal, person: Person | None) -> str | None:
    if person is None:
        return None
    return redaction.pseudonym(person.id) if user.pseudonymised else person.full_name


def answers_out(form: RiskForm) -> list[AnswerOut]:
    inst = instrument_by_id(form.instrument_id)
    given = json.loads(form.answers)
    return [AnswerOut(id=q.id, number=i, text=q.text, answer=given.get(q.id), supplementary=q.supplementary)
            for i, q in enumerate(inst.questions, start=1)]


def _may_read_marac(user: Principal, division_id: int) -> bool:
    return bool(decide(user, Action.READ, MARAC_RECORD, division_id))


def summary(session: Session, user: Principal, form: RiskForm, as_of: datetime,
            referral_id: int | None = None) -> RiskFormSummary:
    """A form in a list or at the head of its page. Its MARAC referral is MARAC's record: named
    only to those who may read MARAC referrals; the others learn only that the case was referred."""
    inst = instrument_by_id(form.instrument_id)
    shown_referral = referral_id if referral_id is not None and _may_read_marac(user, form.division_id) else None
    return RiskFormSummary(
        id=form.id, version=form.version, victim_id=form.victim_id,
        victim_name=_name(user, session.get(Person, form.victim_id)),
        perpetrator_name=_name(user, session.get(Person, form.perpetrator_id) if form.perpetrator_id else None),
        division_id=form.division_id, incident_id=form.incident_id, instrument_id=form.instrument_id,
        score=form.score, max_score=inst.max_score, computed_level=form.computed_level,
        judged_level=form.judged_level, final_level=form.final_level, completed_at=form.completed_at,
        completed_by=form.completed_by, reviewed_at=form.reviewed_at, age_days=age_days(form.completed_at, as_of),
        children_in_household=form.children_in_household, supersedes_id=form.supersedes_id,
        marac_referral_id=shown_referral, referred_to_marac=referral_id is not None)


def summaries(session: Session, user: Principal, forms: list[RiskForm], as_of: datetime) -> list[RiskFormSummary]:
    referred = repo.referral_ids_for_forms(session, [f.id for f in forms])
    return [summary(session, user, f, as_of, referred.get(f.id)) for f in forms]


def _incident_place(session: Session, form: RiskForm) -> Location | None:
    """Where the incident behind a form happened (often the victim's home)."""
    incident = repo.fetch_incident(session, form.incident_id) if form.incident_id else None
    return session.get(Location, incident.location_id) if incident and incident.location_id else None


def detail(session: Session, user: Principal, settings: Mapping[str, object], form: RiskForm,
           as_of: datetime) -> RiskFormOut:
    referral = repo.referral_for_form(session, form.id)
    crit = criteria_for(session, settings, form)
    recorded = referral if referral is not None and _may_read_marac(user, form.division_id) else None
    if recorded is not None:
        note(session, user, "read", MARAC_RECORD, recorded.id, detail=f"with risk form {form.id}")
    met = json.loads(recorded.criteria) if recorded else crit.met
    inst = instrument_by_id(form.instrument_id)
    household, place = ([session.get(Person, i) for i in (form.victim_id, form.perpetrator_id) if i],
                        _incident_place(session, form)) if user.pseudonymised else ([], None)
    redact = redaction.for_reader(user.pseudonymised, household, places=redaction.linked_places(household, place))
    return RiskFormOut(
        **summary(session, user, form, as_of, referral.id if referral else None).model_dump(),
        instrument_title=inst.title, answers=answers_out(form), judgement_reason=redact(form.judgement_reason),
        reviewed_by=form.reviewed_by, review_notes=redact(form.review_notes),
        superseded_by_id=repo.superseded_by(session, form.id), marac_criteria=criteria_out(crit, form, met),
        child_referrals=[])   # the referrals the form caused are child protection's: workflows.risk_forms adds them


def referral_out(session: Session, user: Principal, settings: Mapping[str, object],
                 referral: MaracReferral) -> MaracReferralOut:
    form = repo.fetch_form(session, referral.risk_form_id)
    marac = org_repo.fetch_partner(session, referral.marac_id)
    met = json.loads(referral.criteria)
    crit = criteria_for(session, settings, form)
    return MaracReferralOut(
        id=referral.id, risk_form_id=referral.risk_form_id, victim_id=referral.victim_id,
        victim_name=_name(user, session.get(Person, referral.victim_id)),
        perpetrator_name=_name(user, session.get(Person, referral.perpetrator_id) if referral.perpetrator_id else None),
        division_id=referral.division_id, marac_id=referral.marac_id, marac_name=marac.name if marac else None,
        no_marac_in_division=marac is None, criteria=criteria_out(crit, form, met), is_repeat=referral.is_repeat,
        referred_at=referral.referred_at, referred_by=referral.referred_by, meeting_id=referral.meeting_id,
        score=form.score, final_level=form.final_level, judgement_reason=form.judgement_reason,
        dash=answers_out(form))


def action_out(action: MaracAction, today: date) -> ActionOut:
    return ActionOut(id=action.id, meeting_id=action.meeting_id, referral_id=action.referral_id, text=action.text,
                     owner_agency=action.owner_agency, due_on=action.due_on, done_at=action.done_at,
                     overdue=action.done_at is None and action.due_on is not None and action.due_on < today)


def meeting_out(session: Session, meeting: MaracMeeting, actions: list[MaracAction], today: date) -> MeetingOut:
    return MeetingOut(id=meeting.id, marac_id=meeting.marac_id, held_on=meeting.held_on,
                      agencies_present=json.loads(meeting.agencies_present),
                      referral_ids=[r.id for r in repo.referrals_in_meeting(session, meeting.id)],
                      actions=[action_out(a, today) for a in actions if a.meeting_id == meeting.id])


def backlog_rows(rows: list[Backlog]) -> list[BacklogRow]:
    return [BacklogRow(division_id=b.division_id, division_code=b.division_code, division_name=b.division_name,
                       unreviewed=b.unreviewed, oldest_completed_at=b.oldest_completed_at,
                       oldest_age_days=b.oldest_age_days) for b in rows]


def local_today(at: datetime) -> date:
    return at.astimezone(LONDON).date()
