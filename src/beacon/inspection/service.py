"""Inspections: create, gather evidence (typed in or computed from Beacon's records), assess
criteria, grade with the engine, moderate, publish. Published editions are locked; a
correction is a new edition that names its reason."""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from beacon.access.audit import note, require
from beacon.access.policy import Action, Principal
from beacon.assurance import child_protection as cp_audit
from beacon.assurance import domestic_abuse as da_audit
from beacon.assurance import missing_persons as mp_audit
from beacon.errors import Conflict, Invalid, NotFound
from beacon.inspection import grading
from beacon.inspection.models import (CriterionAssessment, DevelopingPractice, Evidence, EvidenceCriterion,
                                      FrameworkGrade, Inspection, InspectionFramework, Status, Verification)
from beacon.inspection.schemas import (AdvanceIn, AssessmentIn, ComputedEvidenceIn, CorrectionIn, EvidenceIn,
                                       InspectionIn, ModerationIn, PracticeIn)
from beacon.inspection.types import Framework, Library
from beacon.org.models import Force
from beacon.rules.clocks import LONDON

RECORD = "inspection"
CRITERIA_DIR = Path(__file__).resolve().parents[3] / "criteria"
NEXT = {Status.PLANNED: Status.FIELDWORK, Status.FIELDWORK: Status.GRADING, Status.GRADING: Status.MODERATION,
        Status.MODERATION: Status.PUBLISHED}


@lru_cache(maxsize=8)
def library(library_id: str) -> Library:
    from beacon.inspection.criteria import load_all

    for lib in load_all(str(CRITERIA_DIR)):
        if lib.id == library_id:
            return lib
    raise Invalid({"library_id": f"no criteria library {library_id!r}"})


def _framework(lib: Library, framework_id: str, field: str = "framework_id") -> Framework:
    try:
        return lib.framework(framework_id)
    except KeyError:
        raise Invalid({field: f"no framework {framework_id!r} in {lib.id}"}) from None


def fetch(session: Session, user: Principal, inspection_id: int, action: Action = Action.READ) -> Inspection:
    inspection = session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFound(f"no inspection {inspection_id}")
    require(session, user, action, RECORD, inspection_id)
    if action is Action.READ:
        note(session, user, "read", RECORD, inspection_id)
    return inspection


def _writable(inspection: Inspection) -> None:
    if inspection.status is Status.PUBLISHED:
        raise Conflict(f"inspection {inspection.id} is published and locked; correct it as a new edition",
                       inspection.version)


def create(session: Session, user: Principal, data: InspectionIn, now: datetime) -> Inspection:
    require(session, user, Action.CREATE, RECORD)
    lib = library(data.library_id)
    for fid in data.framework_ids:
        _framework(lib, fid, "framework_ids")
    if session.get(Force, data.force_id) is None:
        raise Invalid({"force_id": f"no force {data.force_id}"})
    inspection = Inspection(force_id=data.force_id, title=data.title, library_id=lib.id,
                            library_version=lib.version, period_start=data.period_start,
                            period_end=data.period_end, created_at=now,
                            frameworks=[InspectionFramework(framework_id=f, position=i)
                                        for i, f in enumerate(data.framework_ids)])
    session.add(inspection)
    session.flush()
    note(session, user, "create", RECORD, inspection.id)
    return inspection


def advance(session: Session, user: Principal, inspection_id: int, data: AdvanceIn, now: datetime) -> Inspection:
    inspection = fetch(session, user, inspection_id, Action.UPDATE)
    if inspection.version != data.version:
        raise Conflict("the inspection was changed by someone else; reload it", inspection.version)
    _writable(inspection)
    if NEXT.get(inspection.status) is not data.status:
        raise Invalid({"status": f"an inspection at {inspection.status.value} moves next to "
                                 f"{NEXT[inspection.status].value}"})
    if data.status is Status.PUBLISHED:
        grades = {g.framework_id for g in grades_of(session, inspection_id)}
        missing = [f for f in inspection.framework_ids if _framework(library(inspection.library_id), f).graded
                   and f not in grades]
        if missing:
            raise Invalid({"status": f"grade every framework before publishing (not graded: {', '.join(missing)})"})
        inspection.published_at = now
    inspection.status = data.status
    session.flush()
    note(session, user, "update", RECORD, inspection_id, detail=f"status={data.status.value}")
    return inspection


def correct(session: Session, user: Principal, inspection_id: int, data: CorrectionIn, now: datetime) -> Inspection:
    """A new edition of a published inspection, with everything copied, back at grading."""
    old = fetch(session, user, inspection_id, Action.UPDATE)
    if old.status is not Status.PUBLISHED:
        raise Conflict("only a published inspection is corrected by a new edition; edit this one directly",
                       old.version)
    new = Inspection(force_id=old.force_id, title=old.title, library_id=old.library_id,
                     library_version=old.library_version, period_start=old.period_start, period_end=old.period_end,
                     status=Status.GRADING, edition=old.edition + 1, supersedes_id=old.id,
                     correction_reason=data.reason, created_at=now,
                     frameworks=[InspectionFramework(framework_id=f.framework_id, position=f.position)
                                 for f in old.frameworks])
    session.add(new)
    session.flush()
    id_map = {}
    for ev in evidence_of(session, old.id):
        copy = Evidence(**{c: getattr(ev, c) for c in _columns(Evidence, skip={"id", "inspection_id"})},
                        inspection_id=new.id, criteria=[EvidenceCriterion(criterion_id=c) for c in ev.criterion_ids])
        session.add(copy)
        session.flush()
        id_map[ev.id] = copy.id
    for a in assessments_of(session, old.id):
        session.add(CriterionAssessment(
            **{c: getattr(a, c) for c in _columns(CriterionAssessment, skip={"id", "inspection_id", "version",
                                                                               "evidence_ids"})},
            inspection_id=new.id, evidence_ids=json.dumps([id_map.get(i, i) for i in json.loads(a.evidence_ids)])))
    for g in grades_of(session, old.id):
        session.add(FrameworkGrade(**{c: getattr(g, c) for c in _columns(FrameworkGrade,
                                                                         skip={"id", "inspection_id", "version"})},
                                   inspection_id=new.id))
    session.flush()
    note(session, user, "create", RECORD, new.id, detail=f"correction of {old.id}")
    return new


def _columns(model, skip: set[str]) -> list[str]:
    return [c.key for c in model.__table__.columns if c.key not in skip]


def evidence_of(session: Session, inspection_id: int, framework_id: str | None = None) -> list[Evidence]:
    stmt = select(Evidence).where(Evidence.inspection_id == inspection_id).order_by(Evidence.id)
    if framework_id:
        stmt = stmt.where(Evidence.framework_id == framework_id)
    return list(session.scalars(stmt))


def assessments_of(session: Session, inspection_id: int) -> list[CriterionAssessment]:
    return list(session.scalars(select(CriterionAssessment).where(CriterionAssessment.inspection_id == inspection_id)
                                .order_by(CriterionAssessment.criterion_id)))


def grades_of(session: Session, inspection_id: int) -> list[FrameworkGrade]:
    return list(session.scalars(select(FrameworkGrade).where(FrameworkGrade.inspection_id == inspection_id)))


def _check_criteria(framework: Framework, criterion_ids: list[str]) -> None:
    known = {c.id for c in framework.criteria}
    unknown = [c for c in criterion_ids if c not in known]
    if unknown:
        raise Invalid({"criterion_ids": f"not criteria of {framework.id}: {', '.join(unknown)}"})


def add_evidence(session: Session, user: Principal, inspection_id: int, data: EvidenceIn) -> Evidence:
    inspection = fetch(session, user, inspection_id, Action.UPDATE)
    _writable(inspection)
    framework = _in_inspection(inspection, data.framework_id)
    _check_criteria(framework, data.criterion_ids)
    fields = data.model_dump(exclude={"criterion_ids"})
    evidence = Evidence(inspection_id=inspection_id, recorded_by=user.username, **fields,
                        criteria=[EvidenceCriterion(criterion_id=c) for c in data.criterion_ids])
    session.add(evidence)
    session.flush()
    note(session, user, "create", "evidence", evidence.id, detail=f"inspection={inspection_id}")
    return evidence


def _in_inspection(inspection: Inspection, framework_id: str) -> Framework:
    if framework_id not in inspection.framework_ids:
        raise Invalid({"framework_id": f"{framework_id!r} is not one of this inspection's frameworks"})
    return _framework(library(inspection.library_id), framework_id)


def _period(inspection: Inspection) -> tuple[datetime, datetime]:
    start = datetime.combine(inspection.period_start, time(0), tzinfo=LONDON).astimezone(timezone.utc)
    end = datetime.combine(inspection.period_end, time(0), tzinfo=LONDON).astimezone(timezone.utc)
    return start, end


@dataclass(frozen=True)
class ComputedKind:
    """One kind of computed evidence: the framework it is evidence for, the records it reads (the
    access-log record type), and how it is computed, titled and summarised. ``identity`` (file
    samples only) shows the person behind one sampled record."""
    framework_id: str
    record: str
    source: str
    method: str
    compute: Callable[..., tuple[dict, dict]]      # (session, since, until, data, settings, now, inspection) -> (result, params)
    title: Callable[[dict, ComputedEvidenceIn], str]
    summary: Callable[[Session, dict], str]
    identity: Callable[[Session, int], dict] | None = None


def _rates_summary(_session: Session, result: dict) -> str:
    return "; ".join(f"{r['title']}: {r['met']} of {r['applicable']}" for r in result["rates"].values())


def _division_codes(session: Session) -> dict[str, str]:
    from beacon.org.models import Division

    return {str(d.id): d.code for d in session.scalars(select(Division))}


def _da_summary(session: Session, result: dict) -> str:
    backlog = result["backlog"]
    codes = _division_codes(session)
    per = ", ".join(f"{codes.get(d, d)} {row['unreviewed']}" for d, row in backlog["by_division"].items())
    as_of = datetime.fromisoformat(backlog["as_of"]).astimezone(LONDON)
    return (_rates_summary(session, result) + f"; risk forms awaiting DVO review as at {as_of:%d %B %Y}: "
            f"{backlog['total']}" + (f" ({per})" if per else ""))


def _cp_summary(session: Session, result: dict) -> str:
    text = _rates_summary(session, result)
    joint = result.get("spread", {}).get(cp_audit.JOINT)
    if joint:
        codes = _division_codes(session)
        text += (f"; joint decisions consistent ranged from {joint['lowest']:.0%} ({codes.get(joint['lowest_division'], '')}) "
                 f"to {joint['highest']:.0%} ({codes.get(joint['highest_division'], '')})")
    return (text + f"; referrals never acknowledged: {result['never_acknowledged']['total']}; never sent: "
            f"{result['never_sent']['total']}")


def _period_params(since: datetime, until: datetime, **more) -> dict:
    return {"since": since.isoformat(), "until": until.isoformat(), **more}


def _as_of(inspection: Inspection, data: ComputedEvidenceIn) -> datetime:
    day = data.as_of or (inspection.period_end - timedelta(days=1))
    return datetime.combine(day, time.max, tzinfo=LONDON).astimezone(timezone.utc)


def _compliance(audit):
    def run(session, since, until, data, settings, now, inspection):
        return audit.compliance(session, since, until, settings, now), _period_params(since, until)
    return run


def _da_compliance(session, since, until, data, settings, now, inspection):
    as_of = _as_of(inspection, data)
    result = da_audit.compliance(session, since, until, settings, now, as_of=as_of)
    return result, _period_params(since, until, as_of=as_of.isoformat())


def _sample(audit):
    def run(session, since, until, data, settings, now, inspection):
        result = audit.file_sample(session, since, until, data.n, data.seed, settings, now)
        return result, _period_params(since, until, n=data.n, seed=data.seed)
    return run


def _person(person) -> dict:
    return {"name": person.full_name,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None}


def _mp_identity(session: Session, record_id: int) -> dict:
    from beacon.cases.missing_persons.models import MissingReport

    report = session.get(MissingReport, record_id)
    return {"reference": report.reference, **_person(report.person)}


def _da_identity(session: Session, record_id: int) -> dict:
    from beacon.cases.domestic_abuse.models import RiskForm
    from beacon.people.models import Person

    form = session.get(RiskForm, record_id)
    return {"reference": f"risk form {record_id}", **_person(session.get(Person, form.victim_id))}


def _cp_identity(session: Session, record_id: int) -> dict:
    from beacon.cases.child_protection.models import ChildCase
    from beacon.people.models import Person

    case = session.get(ChildCase, record_id)
    return {"reference": f"child case {record_id}", **_person(session.get(Person, case.child_id))}


_MP_SOURCE, _DA_SOURCE = "Beacon missing-person records", "Beacon domestic abuse risk forms, MARAC referrals and logs"
_CP_SOURCE = "Beacon child referrals, cases, decisions and logs"
COMPUTED_KINDS: dict[str, ComputedKind] = {
    "mp.compliance": ComputedKind(
        "missing_persons", "missing_report", _MP_SOURCE, "data", _compliance(mp_audit),
        lambda r, d: "Compliance with missing-person policy, computed from every record", _rates_summary),
    "mp.file_sample": ComputedKind(
        "missing_persons", "missing_report", _MP_SOURCE, "case_file_sample", _sample(mp_audit),
        lambda r, d: f"Case-file sample of {r['n']} missing-person reports (seed {d.seed})", _rates_summary,
        _mp_identity),
    "da.compliance": ComputedKind(
        "domestic_violence", "da_form", _DA_SOURCE, "data", _da_compliance,
        lambda r, d: "Domestic abuse risk forms, MARAC referrals and logs audited against the rules, from every record",
        _da_summary),
    "da.file_sample": ComputedKind(
        "domestic_violence", "da_form", _DA_SOURCE, "case_file_sample", _sample(da_audit),
        lambda r, d: f"Case-file sample of {r['n']} domestic abuse risk forms (seed {d.seed})", _rates_summary,
        _da_identity),
    "cp.compliance": ComputedKind(
        "child_abuse", "child_case", _CP_SOURCE, "data", _compliance(cp_audit),
        lambda r, d: "Child referrals, decisions and joint investigations audited against the rules, from every record",
        _cp_summary),
    "cp.file_sample": ComputedKind(
        "child_abuse", "child_case", _CP_SOURCE, "case_file_sample", _sample(cp_audit),
        lambda r, d: f"Case-file sample of {r['n']} child protection cases (seed {d.seed})", _rates_summary,
        _cp_identity),
}


def compute_evidence(session: Session, user: Principal, inspection_id: int, data: ComputedEvidenceIn,
                     settings: Mapping[str, object], now: datetime) -> Evidence:
    """Evidence computed from Beacon's own records over the inspection period (period_end
    exclusive): compliance rates, or a case-file sample drawn with a recorded seed. Each kind
    (``COMPUTED_KINDS``) is evidence for one framework; asking for it on another is refused
    naming ``framework_id``."""
    kind = COMPUTED_KINDS[data.kind]
    framework_id = data.framework_id or kind.framework_id
    if framework_id != kind.framework_id:
        raise Invalid({"framework_id": f"{data.kind} is evidence for the {kind.framework_id} framework, "
                                       f"not {framework_id}"})
    if data.as_of is not None and data.kind != "da.compliance":
        raise Invalid({"as_of": "only da.compliance counts a backlog as at a date"})
    inspection = fetch(session, user, inspection_id, Action.UPDATE)
    _writable(inspection)
    framework = _in_inspection(inspection, framework_id)
    _check_criteria(framework, data.criterion_ids)
    since, until = _period(inspection)
    result, params = kind.compute(session, since, until, data, settings, now, inspection)
    evidence = Evidence(inspection_id=inspection_id, framework_id=framework_id, method=kind.method,
                        title=kind.title(result, data), summary=kind.summary(session, result), source=kind.source,
                        gathered_on=now.date(), recorded_by=user.username, verification=Verification.VERIFIED,
                        computed_kind=data.kind, computed_params=json.dumps(params), computed_result=json.dumps(result),
                        criteria=[EvidenceCriterion(criterion_id=c) for c in data.criterion_ids])
    session.add(evidence)
    session.flush()
    note(session, user, "create", "evidence", evidence.id, detail=f"computed {data.kind}")
    count = result.get("n", result.get("reports", result.get("forms", result.get("cases"))))
    note(session, user, "read", kind.record, "", detail=f"evidence {evidence.id}: {count} records")
    return evidence


def reveal_sampled_identity(session: Session, user: Principal, inspection_id: int, evidence_id: int,
                            record_id: int) -> dict:
    """An inspector sees names only where a case-file sample needs them: the record must be in
    that evidence item's sample, and every reveal is logged against the record."""
    fetch(session, user, inspection_id, Action.UPDATE)
    evidence = session.get(Evidence, evidence_id)
    kind = COMPUTED_KINDS.get(evidence.computed_kind or "") if evidence is not None else None
    if evidence is None or evidence.inspection_id != inspection_id or kind is None or kind.identity is None:
        raise NotFound(f"no case-file sample {evidence_id} in inspection {inspection_id}")
    sampled = {case["record_id"] for case in json.loads(evidence.computed_result).get("cases", [])}
    if record_id not in sampled:
        note(session, user, "reveal", kind.record, record_id, "denied", f"not in sample {evidence_id}")
        raise Invalid({"record_id": f"record {record_id} is not in sample {evidence_id}"})
    shown = kind.identity(session, record_id)
    note(session, user, "reveal", kind.record, record_id, detail=f"file sample {evidence_id}")
    return {"record_id": record_id, **shown}


def assess(session: Session, user: Principal, inspection_id: int, criterion_id: str, data: AssessmentIn,
           now: datetime) -> CriterionAssessment:
    inspection = fetch(session, user, inspection_id, Action.UPDATE)
    _writable(inspection)
    lib = library(inspection.library_id)
    framework = next((f for f in lib.frameworks if f.id in inspection.framework_ids
                      and any(c.id == criterion_id for c in f.criteria)), None)
    if framework is None:
        raise NotFound(f"criterion {criterion_id} is not in this inspection's frameworks")
    known = set(session.scalars(select(Evidence.id).where(Evidence.inspection_id == inspection_id,
                                                          Evidence.id.in_(data.evidence_ids)))) if data.evidence_ids else set()
    unknown = [i for i in data.evidence_ids if i not in known]
    if unknown:
        raise Invalid({"evidence_ids": f"not evidence of this inspection: {unknown}"})
    row = session.scalars(select(CriterionAssessment).where(CriterionAssessment.inspection_id == inspection_id,
                                                            CriterionAssessment.criterion_id == criterion_id)).first()
    if row is None:
        row = CriterionAssessment(inspection_id=inspection_id, framework_id=framework.id, criterion_id=criterion_id)
        session.add(row)
    elif data.version is not None and data.version != row.version:
        raise Conflict(f"the assessment of {criterion_id} was changed by someone else; reload it", row.version)
    row.result, row.justification = data.result, data.justification
    row.evidence_ids, row.assessed_by, row.assessed_at = json.dumps(sorted(data.evidence_ids)), user.username, now
    session.flush()
    note(session, user, "update", RECORD, inspection_id, detail=f"assess {criterion_id}={data.result.value}")
    return row


def grade(session: Session, user: Principal, inspection_id: int, settings: Mapping[str, object],
          now: datetime) -> list[FrameworkGrade]:
    """Run the engine on every graded framework. A moderated grade is kept, with the engine's
    grade beside it; if the engine's grade changed, the moderation is flagged again."""
    inspection = fetch(session, user, inspection_id, Action.UPDATE)
    _writable(inspection)
    thresholds = grading.Thresholds.from_settings(settings)
    results = {a.criterion_id: a.result for a in assessments_of(session, inspection_id)}
    existing = {g.framework_id: g for g in grades_of(session, inspection_id)}
    out = []
    for fid in inspection.framework_ids:
        framework = _framework(library(inspection.library_id), fid)
        if not framework.graded:
            continue
        verified = [e for e in evidence_of(session, inspection_id, fid) if e.verification is Verification.VERIFIED]
        decision = grading.grade(framework, results, beacon=any(e.shows_beacon for e in verified),
                                 innovation_evaluated=any(e.shows_innovation for e in verified),
                                 thresholds=thresholds)
        row = existing.get(fid) or FrameworkGrade(inspection_id=inspection_id, framework_id=fid)
        if row.id is None:
            session.add(row)
        elif row.moderated_grade and row.engine_grade is not decision.grade:
            row.moderation_rationale += f"\n[{now:%Y-%m-%d}] The engine's grade changed to {decision.grade.label}: review."
        row.engine_grade, row.provisional = decision.grade, decision.provisional
        row.explanation, row.graded_at = json.dumps(asdict(decision), default=str), now
        out.append(row)
    session.flush()
    note(session, user, "update", RECORD, inspection_id, detail="graded")
    return out


def moderate(session: Session, user: Principal, inspection_id: int, framework_id: str, data: ModerationIn,
             now: datetime) -> FrameworkGrade:
    inspection = fetch(session, user, inspection_id, Action.REVIEW)
    _writable(inspection)
    row = session.scalars(select(FrameworkGrade).where(FrameworkGrade.inspection_id == inspection_id,
                                                       FrameworkGrade.framework_id == framework_id)).first()
    if row is None:
        raise NotFound(f"{framework_id} has not been graded yet")
    if row.version != data.version:
        raise Conflict("the grade was changed by someone else; reload it", row.version)
    row.moderated_grade = None if data.grade is row.engine_grade and not row.provisional else data.grade
    row.moderation_rationale, row.moderated_by = data.rationale, user.username
    session.flush()
    note(session, user, "review", RECORD, inspection_id, detail=f"moderate {framework_id}={data.grade.value}")
    return row


def add_practice(session: Session, user: Principal, data: PracticeIn) -> DevelopingPractice:
    require(session, user, Action.CREATE, "practice")
    if session.get(Force, data.force_id) is None:
        raise Invalid({"force_id": f"no force {data.force_id}"})
    entry = DevelopingPractice(**data.model_dump())
    entry.search_text = " ".join([data.title, data.problem, data.solution, data.outcomes]).lower()
    session.add(entry)
    session.flush()
    note(session, user, "create", "practice", entry.id)
    return entry


def search_practice(session: Session, user: Principal, q: str = "", framework_id: str | None = None,
                    evaluated: bool | None = None, force_id: int | None = None) -> list[DevelopingPractice]:
    require(session, user, Action.READ, "practice")
    stmt = select(DevelopingPractice).order_by(DevelopingPractice.id)
    for word in q.lower().split()[:8]:
        stmt = stmt.where(DevelopingPractice.search_text.contains(word))
    if framework_id:
        stmt = stmt.where(DevelopingPractice.framework_id == framework_id)
    if evaluated is not None:
        stmt = stmt.where(DevelopingPractice.evaluated == evaluated)
    if force_id:
        stmt = stmt.where(DevelopingPractice.force_id == force_id)
    rows = list(session.scalars(stmt))
    note(session, user, "search", "practice", "", detail=f"{len(rows)} entries")
    return rows


def period_label(start: date, end: date) -> str:
    return f"{start:%B %Y} to {end:%B %Y}"
