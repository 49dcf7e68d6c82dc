"""The demo's 2007 inspection: HMIC's inspection of the synthetic Gwent, graded by the engine
for the report's reasons, and 42 synthetic comparator forces whose grades make the national
picture equal the report's "National summary of judgements".

``build_inspections(engine, now)`` runs on a database where ``beacon.demo.build.build`` has
written Gwent. Everything goes through the inspection service (``create``, ``add_evidence``,
``compute_evidence``, ``assess``, ``grade``, ``moderate``, ``advance``, ``add_practice``) acting
as the demo's ``inspector`` user, one unit of work per step, so the access log and the record
history show who did what. Grades are never written directly: each comes from the engine
(``beacon.inspection.grading``) with the default settings (``beacon.config.defaults()``).

Gwent (HMIC Inspection Report, Gwent Police, October 2007 — the specification):

- every evidence item (``inspections/gwent-2007.yaml``, strictly loaded by
  ``beacon.demo.inspection_data``) is written from the report's Strengths, Work in progress and Areas for
  improvement (its ``finding`` says which), with the methods the report describes (the telephone
  survey of 100 residents, the Your Voice Does Count survey, the file sample of six high-risk
  category 1 offenders, ...); missing persons evidence is also COMPUTED from the demo's own
  missing-person records (compliance rates, and a 30-case file sample with seed 2007: the
  inspection sets 30 files per sample, and the build passes the seed that Beacon would otherwise
  draw itself, so that the demo's figures are the same on every build);
- every criterion of every framework is assessed, with a justification and the evidence it
  rests on, so that the engine gives the report's grades: Neighbourhood Policing Fair,
  Performance Management Fair, Child Abuse Poor, Domestic Violence Fair, Public Protection Fair,
  Missing Persons Fair;
- Public Protection is the one grade the report leaves to judgement: its dominant criterion
  (risk management plans kept up to date) rests on a sample of six that HMIC said it "would not
  be appropriate to draw definitive conclusions from", so it is assessed Partly met, the engine's
  Fair is provisional, and moderation confirms Fair with the report's words as the rationale;
- the three Neighbourhood Policing developing practice entries are recorded with role-based
  contacts: the report's contacts name real officers, and Beacon holds no real person's name.

The comparators are fictional forces with generic, clearly labelled assessments; their grades
are drawn (seeded) so that with Gwent's the distribution equals the report's table exactly. All
43 forces are put into seven most similar force groups.
"""
from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from beacon import config
from beacon.access.login import acting_as
from beacon.access.policy import Principal
from beacon.access.unit_of_work import transaction
from beacon.db import session_factory
from beacon.demo import inspection_data
from beacon.inspection import grading, service
from beacon.inspection import repository as inspection_repo
from beacon.inspection.models import (
    FrameworkGrade,
    Inspection,
    MostSimilarGroup,
    Status,
)
from beacon.inspection.schemas import (
    AdvanceIn,
    AssessmentIn,
    ComputedEvidenceIn,
    EvidenceIn,
    InspectionIn,
    ModerationIn,
    PracticeIn,
)
from beacon.inspection.types import Finding, Framework, Grade, Level, Result
from beacon.org.models import Division, Force

Progress = Callable[[str, int, int], None]

LIBRARY = "hmic-2007"
INSPECTOR = "inspector"
SEED = 2007
TITLE = "Gwent Police – HMIC Inspection 2007"
FRAMEWORKS = ("neighbourhood_policing", "performance_management", "pvp_overview", "child_abuse",
              "domestic_violence", "public_protection", "missing_persons")
GRADED = ("neighbourhood_policing", "performance_management", "child_abuse", "domestic_violence",
          "public_protection", "missing_persons")
# The report: "the assessment period April 2006 to July 2007"; period_end is exclusive.
PERIOD_START, PERIOD_END = date(2006, 4, 1), date(2007, 8, 1)
SAMPLE_N, SAMPLE_SEED = 30, 2007

E, G, F, P = Grade.EXCELLENT, Grade.GOOD, Grade.FAIR, Grade.POOR
# "Force summary of judgements"
REPORT_GRADES: dict[str, Grade] = {
    "neighbourhood_policing": F, "performance_management": F, "child_abuse": P,
    "domestic_violence": F, "public_protection": F, "missing_persons": F,
}
# "National summary of judgements": Excellent, Good, Fair, Poor across the 43 forces.
NATIONAL: dict[str, dict[Grade, int]] = {
    "neighbourhood_policing": {E: 6, G: 14, F: 21, P: 2},
    "performance_management": {E: 6, G: 29, F: 8, P: 0},
    "child_abuse": {E: 3, G: 17, F: 21, P: 2},
    "domestic_violence": {E: 1, G: 13, F: 27, P: 2},
    "public_protection": {E: 2, G: 16, F: 23, P: 2},
    "missing_persons": {E: 1, G: 21, F: 21, P: 0},
}

S, W, A = Finding.STRENGTH, Finding.WORK_IN_PROGRESS, Finding.AREA_FOR_IMPROVEMENT
MET, PARTLY, NOT_MET, NOT_EVIDENCED = Result.MET, Result.PARTLY_MET, Result.NOT_MET, Result.NOT_EVIDENCED
FIELDWORK = date(2007, 7, 9)      # the inspection's fieldwork week (documents read before it)
DOCUMENTS = date(2007, 6, 25)
# Gwent's typed evidence and assessments, from the report's Findings (beacon.demo.inspection_data)
GWENT_DATA = inspection_data.INSPECTIONS_DIR / "gwent-2007.yaml"


class InspectionDemoError(RuntimeError):
    """The demo's inspections cannot be built here."""


@dataclass
class InspectionSummary:
    gwent_inspection_id: int
    gwent_grades: dict[str, str]                 # framework -> final grade
    gwent_engine_grades: dict[str, str]          # framework -> the engine's grade
    gwent_moderated: dict[str, str]              # framework -> moderation rationale (only where provisional)
    gwent_evidence: int
    gwent_computed_evidence: list[int]
    practice_ids: list[int]
    inspection_ids: dict[str, int]               # force code -> published inspection id
    forces: int
    evidence: int
    assessments: int
    msf_groups: dict[str, list[str]]             # group -> force codes
    distribution: dict[str, dict[str, int]] = field(default_factory=dict)   # framework -> grade -> forces


# Computed evidence (service.compute_evidence over the demo's own records: missing persons,
# domestic abuse and child protection). Each kind is evidence for its own framework
# (service.COMPUTED_KINDS); the DVO backlog is counted as at 31 March 2007, the end of the year
# of records the demo holds and the time of the report's "backlog of approximately 450 cases".
COMPUTED = (
    ("mp-compliance", "mp.compliance",
     ("mp.f.review-compliance-monitored", "mp.f.high-risk-supervised-to-criteria", "mp.f.risk-assessed-at-report")),
    ("mp-sample", "mp.file_sample",
     ("mp.f.high-risk-supervised-to-criteria", "mp.f.review-compliance-monitored", "mp.f.investigation-recorded")),
    ("dv-compliance", "da.compliance",
     ("dv.f.risk-forms-processed-promptly", "dv.f.marac", "dv.f.children-referred", "dv.f.incident-logs-audited")),
    ("dv-sample", "da.file_sample", ("dv.f.risk-forms-processed-promptly", "dv.f.children-referred")),
    ("ca-compliance", "cp.compliance",
     ("ca.f.referral-safeguards", "ca.f.joint-investigation-criteria", "ca.f.risk-factors-recorded",
      "ca.f.units-operate-consistently", "ca.f.incident-logs-reach-unit", "ca.f.thematic-audit")),
    ("ca-sample", "cp.file_sample",
     ("ca.f.risk-factors-recorded", "ca.f.joint-investigation-criteria", "ca.f.strategy-discussions")),
)
BACKLOG_AS_OF = date(2007, 3, 31)


# ================================================================================================
# The 42 comparator forces (fictional) and the most similar force groups
# ================================================================================================

COMPARATORS: tuple[tuple[str, str, int], ...] = (
    ("northmoor", "Northmoor Constabulary", 1_310_000), ("examplia-vale", "Vale of Examplia Police", 612_000),
    ("brackenshire", "Brackenshire Constabulary", 745_000), ("kestrelford", "Kestrelford Police", 1_020_000),
    ("fenmarch", "Fenmarch Constabulary", 842_000), ("ravensholt", "Ravensholt Police", 1_540_000),
    ("highcombe", "Highcombe Constabulary", 1_120_000), ("sandmere", "Sandmere Police", 688_000),
    ("wyvernshire", "Wyvernshire Constabulary", 1_650_000), ("thornwick", "Thornwick Police", 575_000),
    ("glenhaven", "Glenhaven Police", 905_000), ("ashmoor", "Ashmoor Constabulary", 1_380_000),
    ("greyfell", "Greyfell Police", 498_000), ("eastmarch", "Eastmarch Constabulary", 1_720_000),
    ("westerholm", "Westerholm Police", 2_140_000), ("lundwick", "Lundwick Metropolitan Police", 7_350_000),
    ("midmarch", "Midmarch Police", 2_610_000), ("southreach", "Southreach Constabulary", 1_460_000),
    ("harrowdale", "Harrowdale Police", 1_270_000), ("penmarrow", "Penmarrow Constabulary", 1_690_000),
    ("quillshire", "Quillshire Constabulary", 770_000), ("larkmoor", "Larkmoor Police", 1_080_000),
    ("brindlecombe", "Brindlecombe Police", 640_000), ("ferncastle", "Ferncastle Police", 1_390_000),
    ("hollinmoor", "Hollinmoor Constabulary", 1_010_000), ("marrowby", "Marrowby Metropolitan Police", 2_560_000),
    ("otterwick", "Otterwick Constabulary", 590_000), ("pennydale", "Pennydale Police", 1_150_000),
    ("rookhampton", "Rookhampton Constabulary", 680_000), ("saltmere", "Saltmere Police", 1_280_000),
    ("tansyshire", "Tansyshire Constabulary", 820_000), ("umberfield", "Umberfield Police", 1_430_000),
    ("yarrowdale", "Yarrowdale Constabulary", 530_000), ("cindermoor", "Cindermoor Metropolitan Police", 2_820_000),
    ("dunmarrow", "Dunmarrow Constabulary", 740_000), ("examplia-north", "North Examplia Police", 1_600_000),
    ("examplia-east", "East Examplia Constabulary", 960_000), ("caerwen", "Caerwen Police", 505_000),
    ("cwm-examplia", "Cwm Examplia Police", 560_000), ("lowmere", "Lowmere Police", 1_050_000),
    ("stormholt", "Stormholt Constabulary", 870_000), ("brightwater", "Brightwater Police", 1_700_000),
)
# Gwent's most similar forces: valley and small mixed urban-rural forces of about half a million.
GWENT_GROUP = ("caerwen", "cwm-examplia", "greyfell", "thornwick", "yarrowdale")
GROUP_NAMES = ("Mixed urban and valleys", "Metropolitan", "Large urban", "Urban and suburban", "Mixed county",
               "Shire", "Rural")


def gwent_data() -> inspection_data.InspectionData:
    """Gwent's typed evidence and assessments, strictly loaded (a mistake fails the build, naming it)."""
    computed: dict[str, set[str]] = {}
    for key, kind, _ in COMPUTED:
        computed.setdefault(service.COMPUTED_KINDS[kind].framework_id, set()).add(key)
    data = inspection_data.load(GWENT_DATA, service.library(LIBRARY), computed)
    missing = sorted(set(FRAMEWORKS) - set(data.frameworks))
    if missing:
        raise InspectionDemoError(f"{GWENT_DATA.name}: frameworks not in the file: {', '.join(missing)}")
    return data


def _check_data() -> None:
    """The fixed data fits the report's table (a mistake fails loudly)."""
    for fid, counts in NATIONAL.items():
        assert sum(counts.values()) == 43, fid
    assert len(COMPARATORS) == 42 and len({c for c, _, _ in COMPARATORS}) == 42
    assert set(GWENT_GROUP) <= {c for c, _, _ in COMPARATORS}


# ================================================================================================
# Building
# ================================================================================================

def build_inspections(engine: Engine, now: datetime, progress: Progress | None = None) -> InspectionSummary:
    """Gwent's 2007 inspection, 42 comparator forces' inspections and the most similar force
    groups, all published, on a database where ``beacon.demo.build.build`` has run."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    now = now.astimezone(UTC)
    report = progress or (lambda stage, done, total: None)
    _check_data()
    settings = config.defaults()
    factory = session_factory(engine)

    with factory() as s:
        gwent = s.scalars(select(Force).where(Force.code == "gwent")).first()
        if gwent is None:
            raise InspectionDemoError("Gwent is not in the database: run beacon.demo.build.build first")
        if s.scalar(select(func.count()).select_from(Inspection)):
            raise InspectionDemoError("the database already holds inspections; the demo's inspections are built "
                                      "once, into the demo database")
        taken = set(s.scalars(select(Force.code)))
        clash = taken & {c for c, _, _ in COMPARATORS}
        if clash:
            raise InspectionDemoError(f"comparator force codes already in use: {', '.join(sorted(clash))}")
        gwent_id = gwent.id

    gwent_steps = 5
    report("Inspecting Gwent (2007)", 0, gwent_steps)
    gwent_summary = _inspect_gwent(factory, gwent_id, settings, now,
                                   lambda done: report("Inspecting Gwent (2007)", done, gwent_steps))

    force_ids = _add_comparator_forces(factory)
    plan = _plan_comparators(settings)
    inspection_ids = {"gwent": gwent_summary["inspection_id"]}
    evidence = gwent_summary["evidence"]
    assessments = gwent_summary["assessments"]
    report("Inspecting the other 42 forces", 0, len(COMPARATORS))
    for i, (code, name, _) in enumerate(COMPARATORS, start=1):
        iid, n_ev, n_as = _inspect_comparator(factory, force_ids[code], name, plan[code], settings, now)
        inspection_ids[code] = iid
        evidence += n_ev
        assessments += n_as
        report("Inspecting the other 42 forces", i, len(COMPARATORS))

    report("Most similar force groups", 0, 1)
    groups = _most_similar_groups(factory, gwent_id, force_ids)
    report("Most similar force groups", 1, 1)

    distribution = _distribution(factory, list(inspection_ids.values()))
    return InspectionSummary(
        gwent_inspection_id=gwent_summary["inspection_id"], gwent_grades=gwent_summary["grades"],
        gwent_engine_grades=gwent_summary["engine_grades"], gwent_moderated=gwent_summary["moderated"],
        gwent_evidence=gwent_summary["evidence"], gwent_computed_evidence=gwent_summary["computed"],
        practice_ids=gwent_summary["practice"], inspection_ids=inspection_ids, forces=1 + len(COMPARATORS),
        evidence=evidence, assessments=assessments, msf_groups=groups, distribution=distribution)


def _as_inspector(session: Session) -> Principal:
    me = acting_as(session, INSPECTOR)
    if me is None:
        raise InspectionDemoError(f"the demo has no {INSPECTOR!r} user")
    return me


def _advance(session: Session, me: Principal, iid: int, status: Status, now: datetime) -> None:
    inspection = session.get(Inspection, iid)
    service.advance(session, me, iid, AdvanceIn(version=inspection.version, status=status), now)


def _figures(session: Session, computed: dict[str, dict]) -> dict[str, str]:
    """The computed missing-person figures the assessments quote."""
    codes = {d.id: d.code for d in session.scalars(select(Division))}
    rates = computed["mp-compliance"]["rates"]
    review = rates["mp.supervisory_review"]
    by_division = {codes.get(int(d), d): r["mp.supervisory_review"]["rate"]
                   for d, r in computed["mp-compliance"]["by_division"].items()}
    worst = min(by_division, key=lambda d: by_division[d])
    divisions = ", ".join(f"{d} Division {r:.0%}" for d, r in sorted(by_division.items()))
    sample = computed["mp-sample"]
    sample_review = sample["rates"]["mp.supervisory_review"]

    def share(rate: dict) -> str:
        return f"{rate['met']:,} of {rate['applicable']:,} ({rate['met'] / rate['applicable']:.0%})"

    return {
        "reports": f"{computed['mp-compliance']['reports']:,}",
        "rationale": share(rates["mp.risk_grades"]),
        "review": share(review),
        "review_detail": f"{review['met']:,} of {review['applicable']:,} ({review['rate']:.0%}; {divisions})",
        "worst_division": f"{worst} Division, at {by_division[worst]:.0%}",
        "sample_n": str(sample["n"]), "sample_seed": str(sample["seed"]),
        "sample_review": f"{sample_review['met']} of {sample_review['applicable']} had their reviews on time",
    }


def _share(rate: dict, none: str) -> str:
    """'1,234 of 5,678 (22%)', or ``none`` where the rule applied to no record."""
    if not rate["applicable"]:
        return none
    return f"{rate['met']:,} of {rate['applicable']:,} ({rate['met'] / rate['applicable']:.0%})"


def _division_rates(by_division: dict, rule_id: str, codes: dict[int, str]) -> list[tuple[str, float]]:
    return sorted((f"{codes.get(int(d), d)} Division", r[rule_id]["rate"]) for d, r in by_division.items()
                  if rule_id in r and r[rule_id]["rate"] is not None)


def _dv_figures(session: Session, computed: dict[str, dict]) -> dict[str, str]:
    """The computed domestic abuse figures the assessments quote; each reads as a clause, also when
    the demo holds no domestic abuse records."""
    from beacon.assurance import domestic_abuse as da

    codes = {d.id: d.code for d in session.scalars(select(Division))}
    result, sample = computed["dv-compliance"], computed["dv-sample"]
    rates = result["rates"]
    backlog = result["backlog"]
    as_of = f"{BACKLOG_AS_OF.day} {BACKLOG_AS_OF:%B %Y}"
    per = ", ".join(f"{codes.get(int(d), d)} Division {row['unreviewed']:,}"
                    for d, row in backlog["by_division"].items())
    no_marac = [f"{codes.get(int(d), d)} Division" for d, has in result["marac_divisions"].items() if not has]
    unheard = rates[da.MARAC_AVAILABLE]
    sample_review = sample["rates"][da.REVIEW]
    return {
        "dv_backlog": (f"{backlog['total']:,} risk forms were awaiting DVO review as at {as_of} ({per})"
                       if backlog["total"] else f"no risk form was awaiting DVO review as at {as_of}"),
        "dv_review": (f"reviewed within {result['review_working_days']} working days: "
                      + _share(rates[da.REVIEW], "no risk form was due for review in the period")),
        "dv_sample": (f"in the file sample of {sample['n']} (seed {sample['seed']}), "
                      + (f"{sample_review['met']} of {sample_review['applicable']} were reviewed in time"
                         if sample_review["applicable"] else "no form was due for review")),
        "dv_marac": ("victims meeting a MARAC referral criterion (high risk, escalation or repeat) referred to MARAC: "
                     + _share(rates[da.MARAC], "no form met a MARAC criterion in the period")
                     + (f"; {unheard['applicable'] - unheard['met']:,} of these victims were in a division without "
                        f"a MARAC ({', '.join(no_marac)})" if no_marac and unheard["applicable"] else "")),
        "dv_children": ("forms recording children in the household that were referred to children's social care: "
                        + _share(rates[da.CHILDREN], "no form recorded children in the household")
                        + (f"; of the {result['child_referrals']['made']:,} referrals, "
                           f"{result['child_referrals']['never_acknowledged']:,} were never acknowledged or never sent"
                           if result["child_referrals"]["made"] else "")),
        "dv_logs": ("logs with domestic signals closed as domestic: "
                    + _share(rates[da.LOG_CLOSURE], f"no domestic log among the {result['logs_examined']:,} examined")),
    }


def _ca_figures(session: Session, computed: dict[str, dict]) -> dict[str, str]:
    """The computed child protection figures the assessments quote (clauses, with or without records)."""
    from beacon.assurance import child_protection as cp

    codes = {d.id: d.code for d in session.scalars(select(Division))}
    result, sample = computed["ca-compliance"], computed["ca-sample"]
    rates = result["rates"]
    joint = _division_rates(result["by_division"], cp.JOINT, codes)
    spread = result["spread"].get(cp.JOINT)
    by_division = ", ".join(f"{d} {r:.0%}" for d, r in joint)
    sample_factors = sample["rates"][cp.CONSIDERED]
    return {
        "ca_ack": ("referrals acknowledged within 1 working day: "
                   + _share(rates[cp.ACKNOWLEDGED], "no referral was due in the period")
                   + f"; {result['never_acknowledged']['total']:,} never acknowledged and "
                     f"{result['never_sent']['total']:,} never sent"),
        "ca_joint": ("joint-investigation decisions consistent with them: "
                     + _share(rates[cp.JOINT], "no joint-investigation decision recorded in the period")
                     + (f", from {spread['lowest']:.0%} in {codes.get(int(spread['lowest_division']), '')} Division "
                        f"to {spread['highest']:.0%} in {codes.get(int(spread['highest_division']), '')} Division"
                        if spread and spread["divisions"] > 1 else "")),
        "ca_joint_divisions": ("joint-investigation decisions consistent with the agreed criteria by division: "
                               + (by_division or "no decision recorded")),
        "ca_factors": ("decisions recording every agreed risk factor as considered: "
                       + _share(rates[cp.CONSIDERED], "no decision recorded in the period")
                       + "; discounted factors with a reason: "
                       + _share(rates[cp.REASONS], "no factor discounted")),
        "ca_sample": (f"in the file sample of {sample['n']} cases (seed {sample['seed']}), "
                      + (f"{sample_factors['met']} of {sample_factors['applicable']} had every factor considered in "
                         "every decision" if sample_factors["applicable"] else "no case had a recorded decision")),
        "ca_logs": ("logs with child protection signals closed as child protection: "
                    + _share(rates[cp.LOG_CLOSURE],
                             f"no child protection log among the {result['logs_examined']:,} examined")),
    }


def _inspect_gwent(factory, force_id: int, settings: Mapping[str, object], now: datetime,
                   step: Callable[[int], None]) -> dict:
    lib = service.library(LIBRARY)
    # 1. The inspection, and the evidence gathered in fieldwork.
    with transaction(factory) as s:
        me = _as_inspector(s)
        inspection = service.create(s, me, InspectionIn(
            force_id=force_id, title=TITLE, library_id=LIBRARY, framework_ids=list(FRAMEWORKS),
            period_start=PERIOD_START, period_end=PERIOD_END,
            sample_sizes={kind: SAMPLE_N for kind in service.FILE_SAMPLES}), now, settings)
        iid = inspection.id
        _advance(s, me, iid, Status.FIELDWORK, now)
        keys: dict[str, int] = {}
        data = gwent_data()
        for fid in FRAMEWORKS:
            for ev in data.frameworks[fid].evidence:
                row = service.add_evidence(s, me, iid, EvidenceIn(
                    framework_id=fid, method=ev.method, title=ev.title, summary=ev.summary, source=ev.source,
                    gathered_on=ev.gathered_on, verification="verified", finding=ev.finding,
                    criterion_ids=list(ev.criteria)), settings, now)
                keys[ev.key] = row.id
    step(1)
    # 2. Evidence computed from the force's own missing-person records.
    computed: dict[str, dict] = {}
    with transaction(factory) as s:
        me = _as_inspector(s)
        for key, kind, criteria in COMPUTED:
            row = service.compute_evidence(s, me, iid, ComputedEvidenceIn(
                kind=kind, criterion_ids=list(criteria), as_of=BACKLOG_AS_OF if kind == "da.compliance" else None),
                settings, now, draw_seed=lambda: SAMPLE_SEED)
            keys[key] = row.id
            computed[key] = json.loads(row.computed_result)
        figures = {**_figures(s, computed), **_dv_figures(s, computed), **_ca_figures(s, computed)}
    step(2)
    # 3. Every criterion assessed, then graded by the engine.
    with transaction(factory) as s:
        me = _as_inspector(s)
        _advance(s, me, iid, Status.GRADING, now)
        n_assessed = 0
        # A criterion bound to records takes the result the records propose (the inspector accepts
        # it); only the unbound ones take the report's result.
        proposed = service.proposals(s, me, iid, settings)
        for fid in FRAMEWORKS:
            for c in lib.framework(fid).criteria:
                typed = data.frameworks[fid].assessments[c.id]
                result, justification, cited = typed.result, typed.justification, typed.evidence
                if c.id in proposed:
                    result = proposed[c.id].proposal.result
                service.assess(s, me, iid, c.id, AssessmentIn(
                    result=result, justification=justification.format_map(figures),
                    evidence_ids=[keys[k] for k in cited]), now, settings)
                n_assessed += 1
        rows = service.grade(s, me, iid, settings, now)
        engine_grades = {r.framework_id: r.engine_grade for r in rows}
        provisional = {r.framework_id for r in rows if r.provisional}
    wrong = {f: g.value for f, g in engine_grades.items() if g is not REPORT_GRADES[f]}
    if wrong or provisional - {"public_protection"}:
        raise InspectionDemoError(f"the engine does not give the report's grades for Gwent: {wrong}, "
                                  f"provisional: {sorted(provisional)}")
    step(3)
    # 4. Moderation where the engine's grade is provisional, then publication.
    moderated: dict[str, str] = {}
    with transaction(factory) as s:
        me = _as_inspector(s)
        _advance(s, me, iid, Status.MODERATION, now)
        for row in inspection_repo.grades_of(s, iid):
            if row.provisional:
                assert row.framework_id == "public_protection"
                rationale = data.frameworks[row.framework_id].moderation
                if rationale is None:
                    raise InspectionDemoError(f"{GWENT_DATA.name}: no moderation for {row.framework_id}")
                service.moderate(s, me, iid, row.framework_id, ModerationIn(
                    version=row.version, grade=REPORT_GRADES[row.framework_id], rationale=rationale), now)
                moderated[row.framework_id] = rationale
        _advance(s, me, iid, Status.PUBLISHED, now)
        grades = {r.framework_id: r.grade.value for r in inspection_repo.grades_of(s, iid)}
    step(4)
    # 5. The developing practice published in the report.
    practice = []
    with transaction(factory) as s:
        me = _as_inspector(s)
        for entry in data.frameworks["neighbourhood_policing"].practice:
            row = service.add_practice(s, me, PracticeIn(force_id=force_id, framework_id="neighbourhood_policing",
                                                         evaluated=True, in_report=True, inspection_id=iid,
                                                         **entry.model_dump()))
            practice.append(row.id)
    step(5)
    return {"inspection_id": iid, "grades": grades, "engine_grades": {f: g.value for f, g in engine_grades.items()},
            "moderated": moderated, "evidence": len(keys), "computed": [keys[k] for k, _, _ in COMPUTED],
            "assessments": n_assessed, "practice": practice}


def _add_comparator_forces(factory) -> dict[str, int]:
    with transaction(factory) as s:
        rows = {code: Force(code=code, name=name, population=population) for code, name, population in COMPARATORS}
        s.add_all(rows.values())
        s.flush()
        return {code: f.id for code, f in rows.items()}


def _plan_comparators(settings: Mapping[str, object]) -> dict[str, dict[str, tuple[Grade, dict[str, Result]]]]:
    """For each comparator force and graded framework: the grade it is to have (so that with
    Gwent's the national distribution is the report's) and the assessments that give it.
    Forces have a seeded underlying strength, so a strong force tends to be strong throughout."""
    rng = random.Random(SEED)
    lib = service.library(LIBRARY)
    thresholds = grading.Thresholds.from_settings(settings)
    codes = [c for c, _, _ in COMPARATORS]
    strength = {c: rng.gauss(0, 1) for c in codes}
    plan: dict[str, dict[str, tuple[Grade, dict[str, Result]]]] = {c: {} for c in codes}
    for fid in GRADED:
        counts = Counter(NATIONAL[fid])
        counts[REPORT_GRADES[fid]] -= 1
        order = sorted(codes, key=lambda c: strength[c] + rng.gauss(0, 0.8), reverse=True)
        ladder = [g for g in (E, G, F, P) for _ in range(counts[g])]
        framework = lib.framework(fid)
        for code, grade in zip(order, ladder, strict=True):
            plan[code][fid] = (grade, _results_for(framework, grade, rng, thresholds))
    return plan


def _results_for(fw: Framework, grade: Grade, rng: random.Random,
                 thresholds: grading.Thresholds) -> dict[str, Result]:
    fair = [c for c in fw.criteria if c.level is Level.FAIR]
    significant = [c for c in fair if c.significant]
    other_fair = [c for c in fair if not c.significant]
    good = [c for c in fw.criteria if c.level is Level.GOOD]
    excellent = [c for c in fw.criteria if c.level is Level.EXCELLENT]
    most, vast = thresholds.needed(thresholds.most, len(good)), thresholds.needed(thresholds.vast_majority, len(good))
    out = {c.id: MET for c in fair}
    if grade is E:
        out |= {c.id: MET for c in good + excellent}
    elif grade is G:
        met = set(rng.sample([c.id for c in good], rng.randint(most, vast - 1)))
        out |= {c.id: MET if c.id in met else PARTLY for c in good}
        out |= {c.id: rng.choice((NOT_MET, PARTLY)) for c in excellent}
    else:
        short = rng.sample(other_fair, rng.randint(1, min(3, len(other_fair))))
        out |= {c.id: rng.choice((NOT_MET, PARTLY)) for c in short}
        met = set(rng.sample([c.id for c in good], rng.randint(0, max(0, most - 1))))
        out |= {c.id: MET if c.id in met else rng.choice((NOT_MET, PARTLY)) for c in good}
        out |= {c.id: NOT_MET for c in excellent}
        if grade is P:   # well short of a significant number of significant Fair criteria (none dominant)
            candidates = [c for c in significant if not c.dominant]
            need = thresholds.significant_count(len(significant))
            for c in rng.sample(candidates, min(len(candidates), need + rng.randint(0, 1))):
                out[c.id] = NOT_MET
    return out


WORDS = {MET: "met", PARTLY: "partly met", NOT_MET: "not met"}


def _inspect_comparator(factory, force_id: int, name: str, plan: dict[str, tuple[Grade, dict[str, Result]]],
                        settings: Mapping[str, object], now: datetime) -> tuple[int, int, int]:
    lib = service.library(LIBRARY)
    with transaction(factory) as s:
        me = _as_inspector(s)
        inspection = service.create(s, me, InspectionIn(
            force_id=force_id, title=f"{name} – HMIC Inspection 2007 (synthetic national comparator)",
            library_id=LIBRARY, framework_ids=list(GRADED), period_start=PERIOD_START, period_end=PERIOD_END), now,
            settings)
        iid = inspection.id
        _advance(s, me, iid, Status.FIELDWORK, now)
        n_evidence = n_assessed = 0
        evidence: dict[str, dict[str, int]] = {}
        for fid in GRADED:
            grade, results = plan[fid]
            fw = lib.framework(fid)
            by_level = {lvl: [c.id for c in fw.criteria if c.level is lvl] for lvl in Level}
            strong = grade in (E, G)
            items = [
                ("documents", "document", "Policy, strategy and plans read before fieldwork", S,
                 by_level[Level.FAIR], DOCUMENTS, False),
                ("interviews", "interview", "Interviews with chief officers, managers and practitioners",
                 S if strong else A, by_level[Level.FAIR] + by_level[Level.GOOD], FIELDWORK, False),
                ("sample", "case_file_sample", "File sample of recent cases", S if strong else A,
                 by_level[Level.FAIR] + by_level[Level.GOOD], FIELDWORK, False),
            ]
            if grade is E:
                items.append(("beacon", "document", "Practice imported by other forces, and its evaluation", S,
                              by_level[Level.EXCELLENT], DOCUMENTS, True))
            ids = {}
            for key, method, title, finding, criteria, gathered, beacon in items:
                row = service.add_evidence(s, me, iid, EvidenceIn(
                    framework_id=fid, method=method, title=f"{title} (synthetic national comparator)",
                    summary=f"Synthetic national comparator evidence for {fw.title}: {title.lower()}. "
                            f"Generated for the demo's national picture; no real force or person.",
                    source="Beacon demo: synthetic national comparator", gathered_on=gathered,
                    verification="verified", finding=finding, shows_beacon=beacon, shows_innovation=beacon,
                    criterion_ids=criteria), settings, now)
                ids[key] = row.id
                n_evidence += 1
            evidence[fid] = ids
        _advance(s, me, iid, Status.GRADING, now)
        for fid in GRADED:
            grade, results = plan[fid]
            ids = evidence[fid]
            for c in lib.framework(fid).criteria:
                result = results[c.id]
                if c.level is Level.EXCELLENT:
                    cited = [ids["beacon"]] if "beacon" in ids else [ids["interviews"]]
                    where = "the evidence of practice imported by other forces" if "beacon" in ids \
                        else "the interviews"
                elif c.level is Level.GOOD:
                    cited, where = [ids["interviews"], ids["sample"]], "the interviews and the file sample"
                else:
                    cited, where = [ids["documents"], ids["sample"]], "the document review and the file sample"
                service.assess(s, me, iid, c.id, AssessmentIn(
                    result=result, justification=f"Synthetic national comparator: {WORDS[result]} on the evidence "
                                                 f"of {where}.", evidence_ids=cited), now)
                n_assessed += 1
        rows = service.grade(s, me, iid, settings, now)
        wrong = {r.framework_id: (r.engine_grade.value, plan[r.framework_id][0].value) for r in rows
                 if r.engine_grade is not plan[r.framework_id][0] or r.provisional}
        if wrong:
            raise InspectionDemoError(f"{name}: the engine's grades differ from the plan: {wrong}")
        _advance(s, me, iid, Status.MODERATION, now)
        _advance(s, me, iid, Status.PUBLISHED, now)
    return iid, n_evidence, n_assessed


def _most_similar_groups(factory, gwent_id: int, force_ids: dict[str, int]) -> dict[str, list[str]]:
    """Seven groups of about six: Gwent with its five most similar, the rest by population."""
    population = {code: pop for code, _, pop in COMPARATORS}
    rest = sorted((c for c in force_ids if c not in GWENT_GROUP), key=lambda c: (-population[c], c))
    groups = {GROUP_NAMES[0]: ["gwent", *GWENT_GROUP]}
    sizes = [6, 6, 6, 6, 6, 7]
    start = 0
    for name, size in zip(GROUP_NAMES[1:], sizes, strict=True):
        groups[name] = rest[start:start + size]
        start += size
    assert start == len(rest)
    ids = {"gwent": gwent_id, **force_ids}
    with transaction(factory) as s:
        s.add_all(MostSimilarGroup(force_id=ids[code], group=name) for name, codes in groups.items() for code in codes)
    return groups


def _distribution(factory, inspection_ids: list[int]) -> dict[str, dict[str, int]]:
    with factory() as s:
        out: dict[str, Counter] = {}
        for row in s.scalars(select(FrameworkGrade).where(FrameworkGrade.inspection_id.in_(inspection_ids))):
            out.setdefault(row.framework_id, Counter())[row.grade.value] += 1
    return {f: {g.value: c[g.value] for g in (E, G, F, P)} for f, c in out.items()}
