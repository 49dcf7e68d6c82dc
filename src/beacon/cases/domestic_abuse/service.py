"""Domestic abuse work: the first officer's risk form, the DVO's queue and review, the backlog,
MARAC referrals, meetings and actions, and the MARAC volume benchmark. Every call checks
access, writes through the repository and queues the access-log entry; web, API and CLI all
call these functions.

Rules cited (:mod:`beacon.rules`): ``da.dash_score`` and ``da.dash_bands`` (scoring, through the
force's instrument, setting ``da.instrument``), ``da.professional_judgement`` (raise only, with
the reason), ``da.marac_visible_high_risk``, ``da.marac_escalation`` (setting
``da.marac_escalation_callouts``), ``da.marac_repeat`` and ``da.marac_benchmark`` (setting
``da.adult_women_share`` turns division populations into adult women).

The report's problem this answers: the paper DV1 "has to be submitted on paper", the DVOs were
"chasing a large backlog dating back to December 2006... In just two divisions, this amounted
to a backlog of approximately 450 cases". Here the form is scored when it is saved, and
:func:`backlog` measures the unreviewed forms per division at any moment.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from beacon.access.audit import check_version, load_for, note, require
from beacon.access.policy import FORCE_WIDE, Action, Principal, scope
from beacon.access.references import resolve
from beacon.cases.domestic_abuse import repository as repo
from beacon.cases.domestic_abuse import rules
from beacon.cases.domestic_abuse.instrument import (
    LEVELS,
    Instrument,
    current_instrument,
    level,
    score,
)
from beacon.cases.domestic_abuse.models import (
    MaracAction,
    MaracMeeting,
    MaracReferral,
    RiskForm,
)
from beacon.cases.domestic_abuse.schemas import (
    ActionIn,
    BenchmarkOut,
    BenchmarkRow,
    CriterionOut,
    MeetingIn,
    PartyIn,
    ReferIn,
    ReviewIn,
    RiskFormIn,
)
from beacon.errors import Conflict, Invalid, NotFound
from beacon.org import repository as org_repo
from beacon.org.models import Division, PartnerBody
from beacon.people import repository as people_repo
from beacon.people.models import Location, Person
from beacon.rules.clocks import LONDON

RECORD = "da_form"
MARAC_RECORD = "marac"

CRITERION_LABELS = rules.CRITERION_LABELS



def _rank(value: str) -> int:
    return LEVELS.index(value)


def age_days(completed_at: datetime, as_of: datetime) -> int:
    """Whole calendar days (England and Wales) from completion to ``as_of``; 0 on the day."""
    return max(0, (as_of.astimezone(LONDON).date() - completed_at.astimezone(LONDON).date()).days)


# --- the first officer's form ------------------------------------------------------------

def _person(session: Session, named: Mapping[str, object], field: str, new, home: Location | None) -> Person | None:
    """The person named in ``field`` (already resolved, so readable by the user), or a new one."""
    if field in named:
        return named[field]  # type: ignore[return-value]
    if new is not None:
        return people_repo.add_person(session, new.forename, new.surname, new.date_of_birth, new.gender, home)
    return None


def _answers(inst: Instrument, answers: Mapping[str, bool | None]) -> tuple[dict[str, bool], dict[str, str]]:
    errors: dict[str, str] = {}
    known = {q.id for q in inst.questions}
    for qid in answers:
        if qid not in known:
            errors[f"answers.{qid}"] = f"is not a question of the {inst.title}"
    for q in inst.questions:
        if answers.get(q.id) is None:
            errors[f"answers.{q.id}"] = "answer yes or no"
    return {k: bool(v) for k, v in answers.items() if k in known and v is not None}, errors


def _judgement(computed: str, judged: str | None, reason: str, floor: str | None = None) -> tuple[str | None, str]:
    """(judged level to store, final level) under ``da.professional_judgement``; Invalid naming
    ``judged_level`` for a lowering, ``judgement_reason`` for a raise without a reason.
    ``floor`` is a level already reached by an earlier judgement, which a later one keeps."""
    floor = floor or computed
    if judged is None:
        return (floor if _rank(floor) > _rank(computed) else None), floor
    if _rank(judged) < _rank(computed):
        raise Invalid({"judged_level": f"cannot be {judged}: the score gives {computed}, and professional judgement "
                                       "may raise the level, never lower it"})
    if _rank(judged) < _rank(floor):
        raise Invalid({"judged_level": f"cannot be {judged}: professional judgement has already raised the level to "
                                       f"{floor}, and a judgement may raise the level, never lower it"})
    try:
        final = rules.final_level(computed, judged, reason)  # type: ignore[arg-type]
    except ValueError as exc:
        raise Invalid({"judgement_reason": "give the reason for raising the level above what the score gives"}) \
            from exc
    return (judged if _rank(judged) > _rank(computed) else None), final


def _refused_lowering(session: Session, user: Principal, action: str, form_id: object, errors: Mapping[str, str],
                      about: str) -> None:
    """A judgement lowering the risk level below what the instrument gives (or below an earlier
    judgement) is refused under ``da.professional_judgement``; it is also what a supervisor wants
    to know someone tried, so the refusal is written to the access log with who, which form and
    why, not only returned as a 422."""
    if "judged_level" in errors:
        note(session, user, action, RECORD, form_id, "refused",
             f"lowering the risk level refused ({about}): judged_level {errors['judged_level']}")


@dataclass(frozen=True)
class NewForm:
    """A recorded form and its household, for the flow that refers the children
    (``beacon.workflows.risk_forms.submit_risk_form``)."""
    form: RiskForm
    victim: Person
    children: list[Person]
    home: Location | None


def create_form(session: Session, user: Principal, settings: Mapping[str, object], data: RiskFormIn,
                now: datetime) -> NewForm:
    """Record the first officer's risk form: scored at once with the force's instrument; a
    judged level may raise it (with the reason); a new form for a victim who has one already
    supersedes it (reassessment). Referring the children is the workflow's step, in the same
    transaction."""
    inst = current_instrument(settings)
    named = resolve(session, user, data)
    incident = named.get("incident_id")
    division_id = data.division_id or (incident.division_id if incident else None) or user.division_id
    if division_id is None:
        raise Invalid({"division_id": "choose the division the form belongs to"})
    require(session, user, Action.CREATE, RECORD, "", division_id)
    if org_repo.fetch_division(session, division_id) is None:
        raise Invalid({"division_id": f"no division {division_id}"})
    answers, errors = _answers(inst, data.answers)
    computed = judged = final = None
    if not errors:
        sc = score(inst, answers)
        computed = level(inst, sc)
        try:
            judged, final = _judgement(computed, data.judged_level, data.judgement_reason)
        except Invalid as exc:
            errors.update(exc.errors)
            _refused_lowering(session, user, "create", "", exc.errors,
                              f"new form, victim {data.victim_id or 'new'}, incident {data.incident_id or 'none'}, "
                              f"division {division_id}, score {sc.value}")
    if data.victim_id is not None and data.victim_id == data.perpetrator_id:
        errors["perpetrator_id"] = "is the victim"
    if errors:
        raise Invalid(errors)
    home = (people_repo.find_or_add_location(session, data.home.address, data.home.postcode, data.home.kind, division_id)
            if data.home else None)
    victim = _person(session, named, "victim_id", data.victim, home)
    perpetrator = _person(session, named, "perpetrator_id", data.perpetrator, None)
    children = [_child(session, named, i, c, home or victim.home_location) for i, c in enumerate(data.children)]
    session.flush()
    previous = repo.latest_form_for_victim(session, victim.id) if data.victim_id is not None else None
    form = RiskForm(incident_id=data.incident_id, victim_id=victim.id,
                    perpetrator_id=perpetrator.id if perpetrator else None, division_id=division_id,
                    instrument_id=inst.id, answers=json.dumps(answers, sort_keys=True), score=sc.value,
                    computed_level=computed, judged_level=judged,
                    judgement_reason=data.judgement_reason if judged else "", final_level=final,
                    completed_by=user.display_name or user.username, completed_at=now, reviewed_by="",
                    review_notes="", children_in_household=data.children_in_household,
                    supersedes_id=previous.id if previous else None)
    session.add(form)
    session.flush()
    note(session, user, "create", RECORD, form.id,
         detail=f"score={form.score} level={form.final_level}" + (f" supersedes={previous.id}" if previous else ""))
    return NewForm(form, victim, children, home or victim.home_location)


def _child(session: Session, named: Mapping[str, object], index: int, party: PartyIn, home: Location | None) -> Person:
    person = _person(session, named, f"children.{index}.person_id", party.person, home)
    assert person is not None  # PartyIn requires one of the two
    return person


def _load(session: Session, user: Principal, form_id: int, action: Action, record: str = RECORD) -> RiskForm:
    found = load_for(session, user, RECORD, form_id, action)
    if record != RECORD:   # a form's MARAC referral is checked as MARAC's record, at the form's division
        require(session, user, action, record, form_id, found.division_id)
    return found


def _check_version(form, version: int) -> None:
    check_version(form, version, f"risk form {form.id}")


def get_form(session: Session, user: Principal, form_id: int) -> RiskForm:
    form = _load(session, user, form_id, Action.READ)
    note(session, user, "read", RECORD, form_id)
    return form


def review_form(session: Session, user: Principal, form_id: int, data: ReviewIn, now: datetime) -> RiskForm:
    """The DVO's review, with notes; a judged level may raise the level (never lower it)."""
    form = _load(session, user, form_id, Action.REVIEW)
    _check_version(form, data.version)
    if form.reviewed_at is not None:
        raise Conflict(f"risk form {form.id} was reviewed by {form.reviewed_by} already", form.version)
    if data.judged_level is not None:
        try:
            judged, final = _judgement(form.computed_level, data.judged_level, data.judgement_reason,
                                       form.final_level)
        except Invalid as exc:
            _refused_lowering(session, user, "review", form_id, exc.errors,
                              f"DVO review, score {form.score}, level {form.final_level}")
            raise
        if final != form.final_level:
            form.judged_level, form.final_level = judged, final
            form.judgement_reason = data.judgement_reason
    form.reviewed_by, form.reviewed_at, form.review_notes = user.display_name or user.username, now, data.notes
    session.flush()
    note(session, user, "review", RECORD, form_id, detail=f"level={form.final_level}")
    return form


# --- the DVO queue and the backlog -------------------------------------------------------

def queue(session: Session, user: Principal, as_of: datetime, division_id: int | None = None,
          limit: int = 500) -> list[RiskForm]:
    """Unreviewed forms (not superseded by a reassessment), oldest first."""
    s = scope(user, RECORD)
    if not s.allowed:
        require(session, user, Action.READ, RECORD)
    rows = repo.unreviewed(session, s, division_id, limit)
    note(session, user, "list", RECORD, "", detail="queue ids=" + ",".join(str(f.id) for f in rows))
    return rows


@dataclass(frozen=True)
class Backlog:
    division_id: int
    division_code: str
    division_name: str
    unreviewed: int
    oldest_completed_at: datetime | None
    oldest_age_days: int | None


def backlog(session: Session, as_of: datetime, user: Principal | None = None) -> list[Backlog]:
    """Unreviewed forms per division at ``as_of``, with the oldest one's age: the measure behind
    the report's "backlog of approximately 450 cases" in two divisions. A past ``as_of`` gives
    the backlog as it stood then (forms reviewed or reassessed later still count). Every
    division in scope is listed, with 0 where nothing waits. Without ``user``, the whole force
    (for assurance and evidence)."""
    s = scope(user, RECORD) if user is not None else None
    if s is not None and not s.allowed:
        require(session, user, Action.READ, RECORD)
    counts: dict[int, tuple[int, datetime]] = {}
    for _, division, completed in repo.backlog_forms(session, s or FORCE_WIDE, as_of):
        n, oldest = counts.get(division, (0, completed))
        counts[division] = (n + 1, min(oldest, completed))
    out = []
    for d in org_repo.divisions(session):
        if s is not None and s.division_ids is not None and d.id not in s.division_ids:
            continue
        n, oldest = counts.get(d.id, (0, None))
        out.append(Backlog(d.id, d.code, d.name, n, oldest, age_days(oldest, as_of) if oldest else None))
    if user is not None:
        note(session, user, "list", RECORD, "", detail="backlog")
    return out




# --- MARAC -------------------------------------------------------------------------------

@dataclass(frozen=True)
class MaracCriteria:
    met: list[str]
    callouts_12m: int
    threshold: int
    last_referral_at: datetime | None
    incident_at: datetime


def incident_time(session: Session, form: RiskForm) -> datetime:
    if form.incident_id is not None:
        incident = repo.fetch_incident(session, form.incident_id)
        if incident is not None:
            return incident.received_at
    return form.completed_at


def criteria_for(session: Session, settings: Mapping[str, object], form: RiskForm) -> MaracCriteria:
    """The MARAC criteria the form's case meets (``rules.marac_criteria``).

    Call-outs in the 12 months before the incident: incidents naming the victim as the victim
    (``IncidentPerson`` role ``victim``), and earlier risk forms for the victim not linked to
    one of those incidents (each form records a call-out). The last referral is the last
    MARAC referral for the same victim and perpetrator before this form's incident.
    """
    history = repo.marac_history(session, [form.victim_id])
    return history_criteria(form, incident_time(session, form), history, int(settings["da.marac_escalation_callouts"]))


def history_criteria(form, incident_at: datetime, history: repo.MaracHistory, threshold: int) -> MaracCriteria:
    """A form's MARAC criteria from a history read once (``repository.marac_history``): the one
    way the referral screen and the audit judge them. ``form`` needs ``id``, ``victim_id``,
    ``perpetrator_id``, ``incident_id`` and the three levels."""
    return case_criteria(form, incident_at, history.incidents.get(form.victim_id, ()),
                         history.forms.get(form.victim_id, ()),
                         history.last_referral_at(form.victim_id, form.perpetrator_id, incident_at), threshold)


def case_criteria(form, incident_at: datetime, victim_incidents, victim_forms, last_referral_at: datetime | None,
                  threshold: int) -> MaracCriteria:
    """The MARAC criteria a form's case meets, from plain values: ``form`` needs ``id``,
    ``incident_id`` and the three levels; the history is as ``rules.callout_times`` takes it.
    The referral screen (``criteria_for``) and the audit, which reads a year's history at once,
    both come here."""
    times = rules.callout_times(form.id, form.incident_id, victim_incidents, victim_forms)
    callouts = rules.callouts_in_window(times, incident_at)
    raised = form.judged_level is not None and _rank(form.final_level) > _rank(form.computed_level)
    met = rules.marac_criteria(level=form.final_level, judged_raised=raised, callouts_12m=callouts,
                               escalation_threshold=threshold, last_referral_at=last_referral_at,
                               incident_at=incident_at)
    return MaracCriteria(met, callouts, threshold, last_referral_at, incident_at)


def criteria_out(c: MaracCriteria, form: RiskForm, met: list[str] | None = None) -> list[CriterionOut]:
    details = {
        "visible_high_risk": f"{form.score} \"yes\" answers: high risk on the score alone",
        "professional_judgement": "the risk was judged high: " + (form.judgement_reason or "reason recorded"),
        "potential_escalation": f"{c.callouts_12m} police call-out{'s' if c.callouts_12m != 1 else ''} to the "
                                f"victim in the 12 months before this incident (threshold {c.threshold})",
        "repeat": ("a further incident within 12 months of the last MARAC referral for the same victim and "
                   f"perpetrator ({c.last_referral_at.astimezone(LONDON):%d %b %Y})" if c.last_referral_at else
                   "a further incident within 12 months of the last MARAC referral"),
    }
    return [CriterionOut(id=m, label=CRITERION_LABELS[m], detail=details[m]) for m in (met if met is not None
                                                                                       else c.met)]


def refer(session: Session, user: Principal, settings: Mapping[str, object], form_id: int, data: ReferIn,
          now: datetime) -> MaracReferral:
    """Refer the form's case to MARAC on the criteria it meets, recorded with the referral.

    When no criterion applies the referral is refused (Invalid naming ``judgement_reason``)
    unless a professional-judgement reason is given: the DVO then judges the risk high, with
    that reason (recorded on the form), and refers on professional judgement. The referral is
    linked to the division's MARAC, or to none when the division has no MARAC.
    """
    form = _load(session, user, form_id, Action.CREATE, MARAC_RECORD)
    _check_version(form, data.version)
    if repo.referral_for_form(session, form.id) is not None:
        raise Conflict(f"risk form {form.id} has been referred to MARAC already", form.version)
    crit = criteria_for(session, settings, form)
    reason = data.judgement_reason.strip()
    if reason and form.final_level != "high":
        form.judged_level, form.final_level, form.judgement_reason = "high", "high", reason
        crit = criteria_for(session, settings, form)
    if not crit.met:
        raise Invalid({"judgement_reason": "no MARAC referral criterion applies (not visible high risk, "
                                           f"{crit.callouts_12m} call-out(s) in 12 months against a threshold of "
                                           f"{crit.threshold}, no referral in the last 12 months): give the reason "
                                           "your professional judgement is that the risk is high, to refer"})
    marac = org_repo.partner_for_division(session, form.division_id, org_repo.MARAC)
    referral = MaracReferral(risk_form_id=form.id, victim_id=form.victim_id, perpetrator_id=form.perpetrator_id,
                             division_id=form.division_id, marac_id=marac.id if marac else None,
                             criteria=json.dumps(crit.met), is_repeat="repeat" in crit.met, referred_at=now,
                             referred_by=user.display_name or user.username)
    session.add(referral)
    session.flush()
    note(session, user, "create", MARAC_RECORD, referral.id,
         detail=f"form={form.id} criteria={','.join(crit.met)}" + ("" if marac else " no MARAC in division"))
    return referral


def get_referral(session: Session, user: Principal, referral_id: int) -> MaracReferral:
    referral = repo.fetch_referral(session, referral_id)
    if referral is None:
        note(session, user, "read", MARAC_RECORD, referral_id, "not_found")
        raise NotFound(f"no MARAC referral {referral_id}")
    require(session, user, Action.READ, MARAC_RECORD, referral_id, referral.division_id)
    note(session, user, "read", MARAC_RECORD, referral_id)
    return referral


@dataclass
class DivisionMarac:
    division: Division
    marac: PartnerBody | None
    referrals: list[MaracReferral]
    meetings: list[MaracMeeting]
    actions: list[MaracAction]


def division_marac(session: Session, user: Principal, division_id: int) -> DivisionMarac:
    """A division's MARAC: its referrals (including those made while the division has no
    MARAC), meetings and actions."""
    division = org_repo.fetch_division(session, division_id)
    if division is None:
        raise NotFound(f"no division {division_id}")
    require(session, user, Action.READ, MARAC_RECORD, "", division_id)
    marac = org_repo.partner_for_division(session, division_id, org_repo.MARAC)
    referrals = repo.referrals_for_division(session, division_id)
    meetings = repo.meetings_for_marac(session, marac.id) if marac else []
    actions = repo.actions_for_meetings(session, [m.id for m in meetings])
    note(session, user, "list", MARAC_RECORD, "", detail=f"division={division_id}")
    return DivisionMarac(division, marac, referrals, meetings, actions)


def add_meeting(session: Session, user: Principal, division_id: int, data: MeetingIn) -> MaracMeeting:
    require(session, user, Action.CREATE, MARAC_RECORD, "", division_id)
    named = resolve(session, user, data)
    marac = org_repo.partner_for_division(session, division_id, org_repo.MARAC)
    if marac is None:
        raise Invalid({"division_id": "there is no MARAC in this division"})
    referrals = []
    for i, rid in enumerate(data.referral_ids):
        referral = named[f"referral_ids.{i}"]
        if referral in referrals:
            continue
        if referral.division_id != division_id or referral.marac_id != marac.id:
            raise Invalid({"referral_ids": f"referral {rid} is not one of this MARAC's referrals"})
        referrals.append(referral)
    meeting = MaracMeeting(marac_id=marac.id, held_on=data.held_on,
                           agencies_present=json.dumps(list(dict.fromkeys(data.agencies_present))))
    session.add(meeting)
    session.flush()
    for referral in referrals:
        referral.meeting_id = meeting.id
    session.flush()
    note(session, user, "create", MARAC_RECORD, f"meeting/{meeting.id}",
         detail="referrals=" + ",".join(str(r.id) for r in referrals))
    return meeting


def add_action(session: Session, user: Principal, meeting_id: int, data: ActionIn) -> MaracAction:
    meeting = repo.fetch_meeting(session, meeting_id)
    if meeting is None:
        raise NotFound(f"no MARAC meeting {meeting_id}")
    referral = resolve(session, user, data)["referral_id"]
    require(session, user, Action.CREATE, MARAC_RECORD, f"meeting/{meeting_id}", referral.division_id)
    if referral.meeting_id != meeting.id:
        raise Invalid({"referral_id": "was not discussed at this meeting"})
    require(session, user, Action.CREATE, MARAC_RECORD, f"meeting/{meeting_id}", referral.division_id)
    action = MaracAction(meeting_id=meeting.id, referral_id=referral.id, text=data.text,
                         owner_agency=data.owner_agency, due_on=data.due_on)
    session.add(action)
    session.flush()
    note(session, user, "create", MARAC_RECORD, f"action/{action.id}")
    return action


def complete_action(session: Session, user: Principal, action_id: int, now: datetime) -> MaracAction:
    action = repo.fetch_action(session, action_id)
    if action is None:
        raise NotFound(f"no MARAC action {action_id}")
    referral = repo.fetch_referral(session, action.referral_id)
    require(session, user, Action.UPDATE, MARAC_RECORD, f"action/{action_id}", referral.division_id)
    if action.done_at is not None:
        raise Conflict(f"action {action_id} was done already")
    action.done_at = now
    session.flush()
    note(session, user, "update", MARAC_RECORD, f"action/{action_id}", detail="done")
    return action


def marac_divisions(session: Session, user: Principal) -> list[tuple[Division, PartnerBody | None]]:
    """Every division in the user's scope with its MARAC, or None where there is none."""
    s = scope(user, MARAC_RECORD)
    if not s.allowed:
        require(session, user, Action.READ, MARAC_RECORD)
    return [(d, org_repo.partner_for_division(session, d.id, org_repo.MARAC)) for d in org_repo.divisions(session)
            if s.division_ids is None or d.id in s.division_ids]


def benchmark(session: Session, year: int, settings: Mapping[str, object] | None = None,
              user: Principal | None = None) -> BenchmarkOut:
    """MARAC referrals made in calendar ``year`` (UK time) per 10,000 adult women, by division and
    for the force, against the SafeLives benchmark of about 40 (``da.marac_benchmark``). Adult
    women are each division's population times the setting ``da.adult_women_share``."""
    if user is not None:
        s = scope(user, MARAC_RECORD)
        if not s.allowed:
            require(session, user, Action.READ, MARAC_RECORD)
        note(session, user, "list", MARAC_RECORD, "", detail=f"benchmark {year}")
    share = float((settings or {}).get("da.adult_women_share", 0.41))
    since = datetime(year, 1, 1, tzinfo=LONDON)
    until = datetime(year + 1, 1, 1, tzinfo=LONDON)
    counts = repo.referral_counts(session, since, until)
    rows = []
    for d in org_repo.divisions(session):
        has_marac = org_repo.partner_for_division(session, d.id, org_repo.MARAC) is not None
        rows.append(_bench_row(d.id, d.name, d.population, counts.get(d.id, 0), share, has_marac))
    force = _bench_row(None, "Force", sum(r.population for r in rows), sum(counts.values()), share,
                       bool(rows) and all(r.has_marac for r in rows))
    return BenchmarkOut(year=year, adult_women_share=share, benchmark_per_10k=float(rules.MARAC_BENCHMARK_PER_10K),
                        force=force, divisions=rows)


def _bench_row(division_id: int | None, name: str, population: int, referrals: int, share: float,
               has_marac: bool) -> BenchmarkRow:
    women = round(population * share)
    if women <= 0:
        return BenchmarkRow(division_id=division_id, name=name, population=population, adult_women=0,
                            referrals=referrals, rate_per_10k=None,
                            benchmark_per_10k=float(rules.MARAC_BENCHMARK_PER_10K), expected=0.0, shortfall=0.0,
                            below_benchmark=False, has_marac=has_marac)
    gap = rules.benchmark_gap(referrals, women)
    return BenchmarkRow(division_id=division_id, name=name, population=population, adult_women=women,
                        referrals=referrals, rate_per_10k=round(gap.rate_per_10k, 1),
                        benchmark_per_10k=gap.benchmark_per_10k, expected=round(gap.expected, 1),
                        shortfall=round(gap.shortfall, 1), below_benchmark=gap.below_benchmark, has_marac=has_marac)


