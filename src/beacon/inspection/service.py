"""Inspections: create, gather evidence (typed in or computed from Beacon's records), assess
criteria, grade with the engine, moderate, publish. Published editions are locked; a
correction is a new edition that names its reason.

Case-file samples are drawn by Beacon, not chosen: the inspection fixes each sample's size when
it is created, Beacon draws the files with a seed it generates and records, and a second sample
of a kind waits until the first is withdrawn (docs/adr/0011-case-file-samples-and-reveals.md;
the names behind a sample are revealed by ``beacon.inspection.reveals``)."""
from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from beacon import config
from beacon.access.audit import note, require
from beacon.access.policy import Action, Principal
from beacon.access.references import resolve
from beacon.assurance import child_protection as cp_audit
from beacon.assurance import domestic_abuse as da_audit
from beacon.assurance import missing_persons as mp_audit
from beacon.assurance.results import AuditResult, FileSample
from beacon.errors import Conflict, Forbidden, Invalid, NotFound
from beacon.inspection import grading
from beacon.inspection import proposals as proposals_of
from beacon.inspection import repository as inspection_repo
from beacon.inspection.models import (
    CriterionAssessment,
    DevelopingPractice,
    Evidence,
    EvidenceCriterion,
    FrameworkGrade,
    Inspection,
    InspectionFramework,
    Method,
    Status,
    Verification,
    moderation_steps,
)
from beacon.inspection.schemas import (
    AdvanceIn,
    AssessmentIn,
    ComputedEvidenceIn,
    ConfirmationIn,
    CorrectionIn,
    EvidenceIn,
    InspectionIn,
    ModerationIn,
    PracticeIn,
    WithdrawalIn,
)
from beacon.inspection.types import Framework, Library, Result
from beacon.rules.clocks import LONDON, add_months

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


FILE_SAMPLES = ("mp.file_sample", "da.file_sample", "cp.file_sample")


def default_sample_size(settings: Mapping[str, object]) -> int:
    """The setting's size, never above the setting's maximum."""
    return min(int(settings["inspection.file_sample_size"]), int(settings["inspection.file_sample_max"]))


def sample_sizes(settings: Mapping[str, object], asked: Mapping[str, int]) -> dict[str, int]:
    """Each kind of case-file sample's size for a new inspection: the size asked for, or the
    setting's; Invalid naming ``sample_sizes.<kind>`` above ``inspection.file_sample_max``."""
    most = int(settings["inspection.file_sample_max"])
    too_big = {f"sample_sizes.{k}": f"at most {most} files (setting inspection.file_sample_max)"
               for k, n in asked.items() if n > most}
    if too_big:
        raise Invalid(too_big)
    return {k: int(asked.get(k, default_sample_size(settings))) for k in FILE_SAMPLES}


def sample_size(inspection: Inspection, kind: str, settings: Mapping[str, object]) -> int:
    """The inspection's size for ``kind`` (the setting's for an inspection from before sizes were kept)."""
    return int(json.loads(inspection.sample_sizes or "{}").get(kind) or default_sample_size(settings))


def create(session: Session, user: Principal, data: InspectionIn, now: datetime,
           settings: Mapping[str, object] | None = None) -> Inspection:
    """A new inspection, planned, with its case-file sample sizes fixed (``settings`` default to
    Beacon's defaults; the API and pages pass the force's)."""
    require(session, user, Action.CREATE, RECORD)
    lib = library(data.library_id)
    for fid in data.framework_ids:
        _framework(lib, fid, "framework_ids")
    resolve(session, user, data)
    sizes = sample_sizes(settings or config.defaults(), data.sample_sizes)
    inspection = Inspection(force_id=data.force_id, title=data.title, library_id=lib.id,
                            library_version=lib.version, period_start=data.period_start,
                            period_end=data.period_end, created_at=now, sample_sizes=json.dumps(sizes, sort_keys=True),
                            frameworks=[InspectionFramework(framework_id=f, position=i)
                                        for i, f in enumerate(data.framework_ids)])
    session.add(inspection)
    session.flush()
    carried = _start_from(session, user, inspection, data.starts_from) if data.starts_from else ""
    note(session, user, "create", RECORD, inspection.id,
         detail="sample sizes " + ", ".join(f"{k}={n}" for k, n in sorted(sizes.items())) + carried)
    return inspection


def _start_from(session: Session, user: Principal, inspection: Inspection, previous_id: int) -> str:
    """Year on year: copy the previous published inspection's typed evidence and its results for
    the criteria not bound to records (bound criteria take what this period's records propose),
    each marked as carried; the inspector confirms or changes each."""
    previous = fetch(session, user, previous_id)
    problems = []
    if previous.status is not Status.PUBLISHED:
        problems.append(f"inspection {previous_id} is not published")
    if previous.force_id != inspection.force_id or previous.library_id != inspection.library_id:
        problems.append(f"inspection {previous_id} is of another force or programme")
    if previous.period_start >= inspection.period_start:
        problems.append(f"inspection {previous_id}'s period does not come before this one's")
    if problems:
        raise Invalid({"starts_from": "; ".join(problems)})
    lib = library(inspection.library_id)
    frameworks = set(inspection.framework_ids) & set(previous.framework_ids)
    id_map: dict[int, int] = {}
    for ev in inspection_repo.evidence_of(session, previous.id):
        if ev.framework_id not in frameworks or ev.computed_kind:
            continue       # computed evidence is computed again from this period's records
        copy = Evidence(**{c: getattr(ev, c) for c in _columns(Evidence, skip={"id", "inspection_id",
                                                                               "carried_from_id"})},
                        inspection_id=inspection.id, carried_from_id=ev.id,
                        criteria=[EvidenceCriterion(criterion_id=c) for c in ev.criterion_ids])
        session.add(copy)
        session.flush()
        id_map[ev.id] = copy.id
    bound = {c.id for f in frameworks for c in lib.framework(f).criteria if c.binding is not None}
    carried = 0
    for a in inspection_repo.assessments_of(session, previous.id):
        if a.framework_id not in frameworks or a.criterion_id in bound:
            continue
        session.add(CriterionAssessment(
            inspection_id=inspection.id, framework_id=a.framework_id, criterion_id=a.criterion_id, result=a.result,
            justification=a.justification, assessed_by=a.assessed_by, assessed_at=a.assessed_at,
            evidence_ids=json.dumps([id_map[i] for i in json.loads(a.evidence_ids) if i in id_map]),
            previous_result=a.result))
        carried += 1
    inspection.starts_from_id = previous.id
    session.flush()
    return f"; starts from inspection {previous.id} ({carried} results, {len(id_map)} pieces of evidence carried)"


def expired(evidence: Evidence, inspection: Inspection, settings: Mapping[str, object]) -> bool:
    """Carried evidence gathered more than ``inspection.evidence_expiry_months`` before the
    inspection's period began: shown as expired, and no longer counted as beacon or innovation
    evidence by the grading engine."""
    return evidence.carried_from_id is not None and evidence.gathered_on < add_months(
        inspection.period_start, -int(settings["inspection.evidence_expiry_months"]))


def advance(session: Session, user: Principal, inspection_id: int, data: AdvanceIn, now: datetime) -> Inspection:
    inspection = fetch(session, user, inspection_id, Action.UPDATE)
    if inspection.version != data.version:
        raise Conflict("the inspection was changed by someone else; reload it", inspection.version)
    _writable(inspection)
    if NEXT.get(inspection.status) is not data.status:
        raise Invalid({"status": f"an inspection at {inspection.status.value} moves next to "
                                 f"{NEXT[inspection.status].value}"})
    if data.status is Status.PUBLISHED:
        _publishable(session, inspection)
        inspection.published_at = now
    inspection.status = data.status
    session.flush()
    note(session, user, "update", RECORD, inspection_id, detail=f"status={data.status.value}")
    return inspection


def _publishable(session: Session, inspection: Inspection) -> None:
    """Every graded framework has a grade that stands: graded, evidenced, and any moderation more
    than one step from the engine's confirmed by a second moderator."""
    grades = {g.framework_id: g for g in inspection_repo.grades_of(session, inspection.id)}
    graded = [f for f in inspection.framework_ids if _framework(library(inspection.library_id), f).graded]
    problems = []
    missing = [f for f in graded if f not in grades]
    if missing:
        problems.append(f"grade every framework before publishing (not graded: {', '.join(missing)})")
    unevidenced = [f for f in graded if f in grades and grades[f].grade is None]
    if unevidenced:
        problems.append(f"not evidenced, so not graded: {', '.join(unevidenced)} (assess their significant Fair "
                        f"criteria from evidence)")
    waiting = [f for f in graded if f in grades and grades[f].awaiting_confirmation]
    if waiting:
        problems.append(f"a moderation more than one grade from the engine's awaits a second moderator: "
                        f"{', '.join(waiting)}")
    if problems:
        raise Invalid({"status": "; ".join(problems)})


def correct(session: Session, user: Principal, inspection_id: int, data: CorrectionIn, now: datetime) -> Inspection:
    """A new edition of a published inspection, with everything copied, back at grading."""
    old = fetch(session, user, inspection_id, Action.UPDATE)
    if old.status is not Status.PUBLISHED:
        raise Conflict("only a published inspection is corrected by a new edition; edit this one directly",
                       old.version)
    new = Inspection(force_id=old.force_id, title=old.title, library_id=old.library_id,
                     library_version=old.library_version, period_start=old.period_start, period_end=old.period_end,
                     status=Status.GRADING, edition=old.edition + 1, supersedes_id=old.id,
                     correction_reason=data.reason, created_at=now, sample_sizes=old.sample_sizes,
                     frameworks=[InspectionFramework(framework_id=f.framework_id, position=f.position)
                                 for f in old.frameworks])
    session.add(new)
    session.flush()
    id_map = {}
    for ev in inspection_repo.evidence_of(session, old.id):
        copy = Evidence(**{c: getattr(ev, c) for c in _columns(Evidence, skip={"id", "inspection_id"})},
                        inspection_id=new.id, criteria=[EvidenceCriterion(criterion_id=c) for c in ev.criterion_ids])
        session.add(copy)
        session.flush()
        id_map[ev.id] = copy.id
    for a in inspection_repo.assessments_of(session, old.id):
        session.add(CriterionAssessment(
            **{c: getattr(a, c) for c in _columns(CriterionAssessment, skip={"id", "inspection_id", "version",
                                                                               "evidence_ids"})},
            inspection_id=new.id, evidence_ids=json.dumps([id_map.get(i, i) for i in json.loads(a.evidence_ids)])))
    for g in inspection_repo.grades_of(session, old.id):
        session.add(FrameworkGrade(**{c: getattr(g, c) for c in _columns(FrameworkGrade,
                                                                         skip={"id", "inspection_id", "version"})},
                                   inspection_id=new.id))
    session.flush()
    note(session, user, "create", RECORD, new.id, detail=f"correction of {old.id}")
    return new


def _columns(model, skip: set[str]) -> list[str]:
    return [c.key for c in model.__table__.columns if c.key not in skip]


def _check_criteria(framework: Framework, criterion_ids: list[str]) -> None:
    known = {c.id for c in framework.criteria}
    unknown = [c for c in criterion_ids if c not in known]
    if unknown:
        raise Invalid({"criterion_ids": f"not criteria of {framework.id}: {', '.join(unknown)}"})


def evidence_window(inspection: Inspection, settings: Mapping[str, object], today: date) -> tuple[date, date]:
    """The days on which evidence for an inspection may have been gathered: from a setting's number
    of months before the assessment period (policies and plans in force when it began) to a
    setting's number of months after it (the fieldwork), and never after today."""
    start = add_months(inspection.period_start, -int(settings["inspection.evidence_months_before"]))
    end = add_months(inspection.period_end, int(settings["inspection.fieldwork_months"])) - timedelta(days=1)
    return start, min(end, today)


def add_evidence(session: Session, user: Principal, inspection_id: int, data: EvidenceIn,
                 settings: Mapping[str, object], now: datetime) -> Evidence:
    inspection = fetch(session, user, inspection_id, Action.UPDATE)
    _writable(inspection)
    framework = _in_inspection(inspection, data.framework_id)
    _check_criteria(framework, data.criterion_ids)
    today = now.astimezone(LONDON).date()
    earliest, latest = evidence_window(inspection, settings, today)
    if data.gathered_on > today:
        raise Invalid({"gathered_on": f"{data.gathered_on:%d %B %Y} is in the future"})
    if not earliest <= data.gathered_on <= latest:
        raise Invalid({"gathered_on": f"{data.gathered_on:%d %B %Y} is outside the dates this inspection's evidence "
                                      f"may come from ({earliest:%d %B %Y} to {latest:%d %B %Y}: the assessment "
                                      f"period {period_label(inspection.period_start, inspection.period_end)}, "
                                      f"with the documents before it and the fieldwork after it)"})
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


def period_of(inspection: Inspection) -> tuple[datetime, datetime]:
    start = datetime.combine(inspection.period_start, time(0), tzinfo=LONDON).astimezone(UTC)
    end = datetime.combine(inspection.period_end, time(0), tzinfo=LONDON).astimezone(UTC)
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
    compute: Callable[..., tuple[AuditResult | FileSample, dict]]   # (session, since, until, data, settings, now,
    #                                                                    inspection, draw) -> (result, params)
    title: Callable[[Any, ComputedEvidenceIn], str]
    summary: Callable[[Session, Any], str]
    identity: Callable[[Session, int], dict] | None = None


def _division_codes(session: Session) -> dict[str, str]:
    from beacon.org.models import Division

    return {str(d.id): d.code for d in session.scalars(select(Division))}


def _summary(session: Session, result: AuditResult | FileSample) -> str:
    return result.summary(_division_codes(session))


def _period_params(since: datetime, until: datetime, **more) -> dict:
    return {"since": since.isoformat(), "until": until.isoformat(), **more}


def _as_of(inspection: Inspection, data: ComputedEvidenceIn) -> datetime:
    day = data.as_of or (inspection.period_end - timedelta(days=1))
    return datetime.combine(day, time.max, tzinfo=LONDON).astimezone(UTC)


def _compliance(audit):
    def run(session, since, until, data, settings, now, inspection, draw):
        return audit.compliance(session, since, until, settings, now), _period_params(since, until)
    return run


def _da_compliance(session, since, until, data, settings, now, inspection, draw):
    as_of = _as_of(inspection, data)
    result = da_audit.compliance(session, since, until, settings, now, as_of=as_of)
    return result, _period_params(since, until, as_of=as_of.isoformat())


def _sample(audit):
    def run(session, since, until, data, settings, now, inspection, draw):
        n, seed = draw
        result = audit.file_sample(session, since, until, n, seed, settings, now)
        return result, _period_params(since, until, n=n, seed=seed)
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
        lambda r, d: "Compliance with missing-person policy, computed from every record", _summary),
    "mp.file_sample": ComputedKind(
        "missing_persons", "missing_report", _MP_SOURCE, "case_file_sample", _sample(mp_audit),
        lambda r, d: f"Case-file sample of {r.n} missing-person reports (seed {r.seed})", _summary,
        _mp_identity),
    "da.compliance": ComputedKind(
        "domestic_violence", "da_form", _DA_SOURCE, "data", _da_compliance,
        lambda r, d: "Domestic abuse risk forms, MARAC referrals and logs audited against the rules, from every record",
        _summary),
    "da.file_sample": ComputedKind(
        "domestic_violence", "da_form", _DA_SOURCE, "case_file_sample", _sample(da_audit),
        lambda r, d: f"Case-file sample of {r.n} domestic abuse risk forms (seed {r.seed})", _summary,
        _da_identity),
    "cp.compliance": ComputedKind(
        "child_abuse", "child_case", _CP_SOURCE, "data", _compliance(cp_audit),
        lambda r, d: "Child referrals, decisions and joint investigations audited against the rules, from every record",
        _summary),
    "cp.file_sample": ComputedKind(
        "child_abuse", "child_case", _CP_SOURCE, "case_file_sample", _sample(cp_audit),
        lambda r, d: f"Case-file sample of {r.n} child protection cases (seed {r.seed})", _summary,
        _cp_identity),
}


def new_seed() -> int:
    """A sample's seed: drawn by Beacon, unpredictable, and recorded with the sample so the same
    records give the same files again."""
    return secrets.randbelow(2**31)


def live_sample(session: Session, inspection_id: int, framework_id: str, kind: str) -> Evidence | None:
    """The inspection's case-file sample of ``kind`` for the framework that is not withdrawn."""
    return session.scalars(select(Evidence).where(
        Evidence.inspection_id == inspection_id, Evidence.framework_id == framework_id,
        Evidence.computed_kind == kind, Evidence.method == Method.FILE_SAMPLE,
        Evidence.withdrawn_at.is_(None))).first()


def _draw(session: Session, user: Principal, inspection: Inspection, framework_id: str, data: ComputedEvidenceIn,
          settings: Mapping[str, object], draw_seed: Callable[[], int]) -> tuple[int, int] | None:
    """(files, seed) for a case-file sample, or None for another kind. The inspection's size is
    the default and the most; a second live sample of the kind is refused, and the refusal logged."""
    if data.kind not in FILE_SAMPLES:
        if data.n is not None:
            raise Invalid({"n": "only a case-file sample has a number of files"})
        return None
    size = sample_size(inspection, data.kind, settings)
    n = size if data.n is None else data.n
    if n > size:
        raise Invalid({"n": f"at most {size}: the inspection's size for {data.kind} samples"})
    live = live_sample(session, inspection.id, framework_id, data.kind)
    if live is not None:
        note(session, user, "create", "evidence", "", "refused",
             f"inspection {inspection.id}: a second {data.kind} sample for {framework_id} while sample {live.id} "
             "is live")
        raise Conflict(f"this inspection has a {data.kind} sample for {framework_id} already (evidence {live.id}); "
                       "withdraw it, with the reason, before drawing another")
    return n, draw_seed()


def compute_evidence(session: Session, user: Principal, inspection_id: int, data: ComputedEvidenceIn,
                     settings: Mapping[str, object], now: datetime,
                     draw_seed: Callable[[], int] = new_seed) -> Evidence:
    """Evidence computed from Beacon's own records over the inspection period (period_end
    exclusive): compliance rates, or a case-file sample of the inspection's size drawn with a
    seed Beacon generates (``draw_seed``: only the demo's build passes its own, to reproduce the
    2007 inspection; no request can) and records. Each kind (``COMPUTED_KINDS``) is evidence for
    one framework; asking for it on another is refused naming ``framework_id``."""
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
    draw = _draw(session, user, inspection, framework_id, data, settings, draw_seed)
    since, until = period_of(inspection)
    result, params = kind.compute(session, since, until, data, settings, now, inspection, draw)
    evidence = Evidence(inspection_id=inspection_id, framework_id=framework_id, method=kind.method,
                        title=kind.title(result, data), summary=kind.summary(session, result), source=kind.source,
                        gathered_on=now.date(), recorded_by=user.username, verification=Verification.VERIFIED,
                        computed_kind=data.kind, computed_params=json.dumps(params), computed_result=json.dumps(result.to_json()),
                        criteria=[EvidenceCriterion(criterion_id=c) for c in data.criterion_ids])
    session.add(evidence)
    try:
        session.flush()
    except IntegrityError:   # another inspector drew the same kind of sample a moment ago
        raise Conflict(f"this inspection has a {data.kind} sample for {framework_id} already; reload it") from None
    note(session, user, "create", "evidence", evidence.id, detail=f"computed {data.kind}"
         + (f" n={draw[0]} seed={draw[1]}" if draw else ""))
    count = result.n if isinstance(result, FileSample) else next(
        (result.facts[k] for k in ("reports", "forms", "cases") if k in result.facts), None)
    note(session, user, "read", kind.record, "", detail=f"evidence {evidence.id}: {count} records")
    return evidence


def sample_of(session: Session, inspection_id: int, evidence_id: int) -> tuple[Evidence, ComputedKind]:
    """A computed case-file sample of the inspection, or NotFound."""
    evidence = session.get(Evidence, evidence_id)
    kind = COMPUTED_KINDS.get(evidence.computed_kind or "") if evidence is not None else None
    if evidence is None or evidence.inspection_id != inspection_id or kind is None or kind.identity is None:
        raise NotFound(f"no case-file sample {evidence_id} in inspection {inspection_id}")
    return evidence, kind


def withdraw_sample(session: Session, user: Principal, inspection_id: int, evidence_id: int, data: WithdrawalIn,
                    now: datetime) -> Evidence:
    """Withdraw a case-file sample, with the reason, so that another of its kind may be drawn. It
    stays on the record (and its reveals keep counting against the sample size); no more names
    are revealed from it."""
    inspection = fetch(session, user, inspection_id, Action.UPDATE)
    _writable(inspection)
    evidence, _kind = sample_of(session, inspection_id, evidence_id)
    if evidence.withdrawn_at is not None:
        raise Conflict(f"sample {evidence_id} was withdrawn by {evidence.withdrawn_by} already")
    evidence.withdrawn_at, evidence.withdrawn_by, evidence.withdrawal_reason = now, user.username, data.reason
    session.flush()
    note(session, user, "update", "evidence", evidence_id, detail=f"withdrawn: {data.reason}")
    return evidence


def proposals(session: Session, user: Principal, inspection_id: int,
              settings: Mapping[str, object]) -> dict[str, proposals_of.Proposed]:
    """What the inspection's computed evidence proposes for each bound criterion of its frameworks."""
    inspection = fetch(session, user, inspection_id)
    lib = library(inspection.library_id)
    evidence = inspection_repo.evidence_of(session, inspection_id)
    out: dict[str, proposals_of.Proposed] = {}
    for fid in inspection.framework_ids:
        out.update(proposals_of.for_inspection(lib.framework(fid), evidence, settings))
    return out


def _proposed(session: Session, inspection_id: int, framework: Framework, criterion_id: str,
              settings: Mapping[str, object]) -> proposals_of.Proposed | None:
    criterion = next(c for c in framework.criteria if c.id == criterion_id)
    if criterion.binding is None:
        return None
    evidence = inspection_repo.evidence_of(session, inspection_id, framework.id)
    return proposals_of.for_inspection(framework, evidence, settings)[criterion_id]


def _override_reason(proposed: proposals_of.Proposed | None, data: AssessmentIn) -> str:
    """A bound criterion's result other than the records' proposal needs its reason; the reason is
    kept only for an override."""
    reason = " ".join((data.override_reason or "").split())
    if proposed is None:
        if reason:
            raise Invalid({"override_reason": "this criterion is not bound to records, so there is no proposal "
                                              "to override; give the reasoning in the justification"})
        return ""
    if proposed.missing or proposed.proposal.result is Result.NOT_EVIDENCED:
        # The inspection has not computed the evidence the binding reads (a force whose records are
        # not in Beacon), or the records are too few to judge by: the result is the inspector's.
        return reason
    if data.result is proposed.proposal.result:
        return ""
    if len(reason) < OVERRIDE_REASON_MIN:
        said = proposed.proposal.result.value.replace("_", " ")
        raise Invalid({"override_reason": f"the records propose {said} ({proposed.proposal.explain()}); to set "
                                          f"another result, give the reason in at least {OVERRIDE_REASON_MIN} "
                                          "characters"})
    return reason


def accept_proposal(session: Session, user: Principal, inspection_id: int, criterion_id: str, version: int | None,
                    settings: Mapping[str, object], now: datetime) -> CriterionAssessment:
    """Assess a bound criterion as the records propose, citing the computed evidence and its figures."""
    inspection = fetch(session, user, inspection_id, Action.UPDATE)
    framework = next((f for f in library(inspection.library_id).frameworks if f.id in inspection.framework_ids
                      and any(c.id == criterion_id for c in f.criteria)), None)
    if framework is None:
        raise NotFound(f"criterion {criterion_id} is not in this inspection's frameworks")
    proposed = _proposed(session, inspection_id, framework, criterion_id, settings)
    if proposed is None:
        raise Invalid({"result": f"{criterion_id} is not bound to records: there is no proposal to accept"})
    if proposed.missing:
        raise Invalid({"result": f"compute {', '.join(proposed.missing)} first: there is no proposal yet"})
    data = AssessmentIn(result=proposed.proposal.result, version=version,
                        justification=f"As the records propose: {proposed.proposal.explain()}",
                        evidence_ids=list(proposed.evidence_ids))
    return assess(session, user, inspection_id, criterion_id, data, now, settings)


# An override's reason must say something a moderator can weigh: a sentence, not a word.
OVERRIDE_REASON_MIN = 30


def assess(session: Session, user: Principal, inspection_id: int, criterion_id: str, data: AssessmentIn,
           now: datetime, settings: Mapping[str, object] | None = None) -> CriterionAssessment:
    """Record an inspector's result for a criterion. For a bound criterion the records' proposal
    (from the inspection's computed evidence) is recorded beside it; a different result is an
    override and needs ``override_reason``."""
    settings = config.defaults() if settings is None else settings
    inspection = fetch(session, user, inspection_id, Action.UPDATE)
    _writable(inspection)
    lib = library(inspection.library_id)
    framework = next((f for f in lib.frameworks if f.id in inspection.framework_ids
                      and any(c.id == criterion_id for c in f.criteria)), None)
    if framework is None:
        raise NotFound(f"criterion {criterion_id} is not in this inspection's frameworks")
    resolve(session, user, data)
    known = set(session.scalars(select(Evidence.id).where(Evidence.inspection_id == inspection_id,
                                                          Evidence.id.in_(data.evidence_ids)))) if data.evidence_ids else set()
    unknown = [i for i in data.evidence_ids if i not in known]
    if unknown:
        raise Invalid({"evidence_ids": f"not evidence of this inspection: {unknown}"})
    proposed = _proposed(session, inspection_id, framework, criterion_id, settings)
    override = _override_reason(proposed, data)
    row = session.scalars(select(CriterionAssessment).where(CriterionAssessment.inspection_id == inspection_id,
                                                            CriterionAssessment.criterion_id == criterion_id)).first()
    if row is None:
        row = CriterionAssessment(inspection_id=inspection_id, framework_id=framework.id, criterion_id=criterion_id)
        session.add(row)
    elif data.version is not None and data.version != row.version:
        raise Conflict(f"the assessment of {criterion_id} was changed by someone else; reload it", row.version)
    row.result, row.justification = data.result, data.justification
    row.proposed_result = proposed.proposal.result if proposed and not proposed.missing else None
    row.proposal = json.dumps(proposed.to_json()) if proposed else None
    row.override_reason = override
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
    assessments = inspection_repo.assessments_of(session, inspection_id)
    results = {a.criterion_id: a.result for a in assessments}
    overridden = {a.criterion_id for a in assessments if a.overridden}
    existing = {g.framework_id: g for g in inspection_repo.grades_of(session, inspection_id)}
    out = []
    for fid in inspection.framework_ids:
        framework = _framework(library(inspection.library_id), fid)
        if not framework.graded:
            continue
        verified = [e for e in inspection_repo.evidence_of(session, inspection_id, fid)
                    if e.verification is Verification.VERIFIED and not expired(e, inspection, settings)]
        decision = grading.grade(framework, results, beacon=any(e.shows_beacon for e in verified),
                                 innovation_evaluated=any(e.shows_innovation for e in verified),
                                 thresholds=thresholds)
        decision = grading.flag_overrides(decision, overridden)
        row = existing.get(fid) or FrameworkGrade(inspection_id=inspection_id, framework_id=fid)
        if row.id is None:
            session.add(row)
        elif row.moderated_grade and decision.grade is None:
            row.moderation_rationale += (f"\n[{now:%Y-%m-%d}] Withdrawn: the framework is no longer evidenced "
                                         f"(was moderated to {row.moderated_grade.label}).")
            row.moderated_grade, row.confirmed_by, row.confirmation_rationale = None, "", ""
        elif row.moderated_grade and row.engine_grade is not decision.grade:
            row.moderation_rationale += f"\n[{now:%Y-%m-%d}] The engine's grade changed to {decision.label}: review."
        row.engine_grade, row.provisional = decision.grade, decision.provisional
        row.explanation, row.graded_at = json.dumps(decision.to_json()), now
        out.append(row)
    session.flush()
    note(session, user, "update", RECORD, inspection_id, detail="graded")
    return out


def _grade_to_review(session: Session, user: Principal, inspection_id: int, framework_id: str,
                     version: int) -> FrameworkGrade:
    """A framework's kept grade, for a moderator: the inspection writable, the version the one sent."""
    _writable(fetch(session, user, inspection_id, Action.REVIEW))
    row = session.scalars(select(FrameworkGrade).where(FrameworkGrade.inspection_id == inspection_id,
                                                       FrameworkGrade.framework_id == framework_id)).first()
    if row is None:
        raise NotFound(f"{framework_id} has not been graded yet")
    if row.version != version:
        raise Conflict("the grade was changed by someone else; reload it", row.version)
    return row


def moderate(session: Session, user: Principal, inspection_id: int, framework_id: str, data: ModerationIn,
             now: datetime) -> FrameworkGrade:
    row = _grade_to_review(session, user, inspection_id, framework_id, data.version)
    if row.engine_grade is None:
        raise Invalid({"grade": f"{framework_id} is not evidenced (its significant Fair criteria have no result "
                                f"from evidence): assess them, grade again, then moderate"})
    row.moderated_grade = None if data.grade is row.engine_grade and not row.provisional else data.grade
    row.moderation_rationale, row.moderated_by = data.rationale, user.username
    row.confirmed_by, row.confirmation_rationale = "", ""
    session.flush()
    steps = moderation_steps(row.engine_grade, data.grade)
    note(session, user, "review", RECORD, inspection_id, detail=f"moderate {framework_id}={data.grade.value}"
         + (f" ({steps} steps from the engine: awaits a second moderator)" if row.awaiting_confirmation else ""))
    return row


def confirm_moderation(session: Session, user: Principal, inspection_id: int, framework_id: str,
                       data: ConfirmationIn) -> FrameworkGrade:
    """A second moderator confirms a moderated grade more than one step from the engine's, so that
    it stands. The moderator who set it cannot confirm it."""
    row = _grade_to_review(session, user, inspection_id, framework_id, data.version)
    if not row.awaiting_confirmation:
        raise Invalid({"version": f"{framework_id}'s grade does not await a second moderator"})
    if row.moderated_by == user.username:
        raise Forbidden(f"{user.username} moderated {framework_id}: a second moderator must confirm it")
    row.confirmed_by, row.confirmation_rationale = user.username, data.rationale
    session.flush()
    note(session, user, "review", RECORD, inspection_id,
         detail=f"confirm moderation {framework_id}={row.moderated_grade.value if row.moderated_grade else ''}")
    return row


def add_practice(session: Session, user: Principal, data: PracticeIn) -> DevelopingPractice:
    require(session, user, Action.CREATE, "practice")
    resolve(session, user, data)
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
