"""The inspection report, in the structure of HMIC's 2007 reports (Gwent, October 2007):
Introduction to HMIC Inspections; Force Overview and Context; Findings (the national and force
summaries of judgements, then one section per framework: grade, national grade distribution,
national and force contextual factors, Strengths, Work in progress, Areas for improvement, and
why the grade was given); Developing practice; Appendix: Glossary.

Everything in it comes from data: the criteria library, the force's organisation records, the
inspection's evidence, assessments and grades, the national picture of published inspections,
the missing-person records of the inspection period, the developing practice register and the
force settings. Each computed figure carries the API path (or, where there is no API, the
records) that lists what is behind it.

    report_context(session, user, inspection_id, settings) -> dict     (this module)
    render_html(context) / render_pdf(context)                          (beacon.reports.render)

WeasyPrint cannot read the GOV.UK crown SVG (``fill="currentcolor"``), so the report has no logo.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from beacon.access.audit import note
from beacon.access.policy import Principal, scope
from beacon.assurance.results import AuditResult, BacklogRow
from beacon.cases.missing_persons import repository as mp_repo
from beacon.inspection import national_picture, service
from beacon.inspection import repository as inspection_repo
from beacon.inspection.grading import GradeDecision
from beacon.inspection.models import Status
from beacon.inspection.national import ORDER
from beacon.inspection.types import Framework, Standard, grade_label, grade_value
from beacon.org.models import (
    Division,
    Force,
    LocalAuthority,
    Neighbourhood,
    Section,
    Staff,
    Ward,
)
from beacon.org.roles import Rank
from beacon.reports.charts import bar_chart, grade_chart
from beacon.reports.wording import (
    ABBREVIATIONS,
    ALWAYS_LISTED,
    DEVELOPING_PRACTICE_TEXT,
    FINDING_KEYS,
    GRADE_TEXT,
    MP_GRADES,
    MP_WORDS,
    NOT_RECORDED,
    TERMS,
    _api,
    _n,
    _rate_text,
    _share,
    _utc_iso,
    day_text,
    period_text,
)
from beacon.rules.clocks import LONDON

__all__ = ["report_context"]


# --- small helpers ----------------------------------------------------------------------------


# --- the chart --------------------------------------------------------------------------------


# --- gathering --------------------------------------------------------------------------------

def _introduction(lib, inspection, settings: Mapping[str, object]) -> dict:
    areas: dict[str, list[str]] = {}
    for fw in lib.frameworks:
        if fw.kind == "programmed" and fw.title.lower() != fw.area.lower():
            areas.setdefault(fw.area, []).append(fw.title)
        elif fw.kind == "programmed":
            areas.setdefault(fw.area, [])
    inspected = [lib.framework(f) for f in inspection.framework_ids]
    most, vast = float(settings["grading.most"]), float(settings["grading.vast_majority"])
    sig, sig_min = float(settings["grading.significant_number"]), int(settings["grading.significant_number_min"])
    words = {
        "most": f"most (here: at least {_share(most)} of the applicable Good criteria)",
        "vast": f"the vast majority (here: at least {_share(vast)} of the applicable Good criteria)",
        "significant": (f"a significant number (here: at least {_share(sig)} of the significant Fair criteria, "
                        f"and never fewer than {sig_min})"),
    }
    return {
        "programmed": [{"area": area, "frameworks": titles} for area, titles in areas.items()],
        "inspected": [fw.title for fw in inspected],
        "risk_based": [{"title": fw.title, "description": fw.description}
                       for fw in lib.frameworks if fw.kind == "risk_based"],
        "library": {"id": lib.id, "title": lib.title, "version": inspection.library_version,
                    "effective_from": lib.effective_from},
        "grading": {
            "period": period_text(inspection.period_start, inspection.period_end),
            "grades": [{"label": g.label, "text": GRADE_TEXT[g].format(**words)} for g in ORDER],
            "settings": [
                {"word": "most", "setting": "grading.most", "value": _share(most), "raw": most,
                 "meaning": "share of applicable Good criteria met for Good"},
                {"word": "the vast majority", "setting": "grading.vast_majority", "value": _share(vast),
                 "raw": vast, "meaning": "share of applicable Good criteria met for Excellent"},
                {"word": "a significant number", "setting": "grading.significant_number", "value": _share(sig),
                 "raw": sig, "meaning": "share of significant Fair criteria not met that is well short (Poor)"},
                {"word": "a significant number (at least)", "setting": "grading.significant_number_min",
                 "value": str(sig_min), "raw": sig_min,
                 "meaning": "fewest significant Fair criteria not met that can be a significant number"},
            ],
        },
        "developing_practice": DEVELOPING_PRACTICE_TEXT,
    }


def _overview(session: Session, force: Force) -> dict:
    divisions = list(session.scalars(select(Division).where(Division.force_id == force.id).order_by(Division.code)))
    division_ids = [d.id for d in divisions]

    def count(stmt) -> int:
        return int(session.scalar(stmt) or 0)

    staff = select(func.count()).select_from(Staff).where(Staff.force_id == force.id)
    officers = count(staff.where(Staff.is_officer.is_(True)))
    police_staff = count(staff.where(Staff.is_officer.is_(False)))
    pcsos = count(staff.where(Staff.rank == Rank.PCSO))
    sections = neighbourhoods = wards = 0
    if division_ids:
        sections = count(select(func.count()).select_from(Section).where(Section.division_id.in_(division_ids)))
        hoods = (select(Neighbourhood.id).join(Section, Neighbourhood.section_id == Section.id)
                 .where(Section.division_id.in_(division_ids)))
        neighbourhoods = count(select(func.count()).select_from(hoods.subquery()))
        wards = count(select(func.count()).select_from(Ward).where(Ward.neighbourhood_id.in_(hoods)))
    authorities = count(select(func.count()).select_from(LocalAuthority).where(LocalAuthority.force_id == force.id))

    def figure(n: int) -> str:
        return _n(n) if n else NOT_RECORDED

    parts = [(len(divisions), "division (basic command unit)", "divisions (basic command units)"),
             (sections, "section", "sections"), (neighbourhoods, "neighbourhood", "neighbourhoods"),
             (wards, "ward", "wards"), (authorities, "local authority area", "local authority areas")]
    have = [f"{_n(n)} {one if n == 1 else many}" for n, one, many in parts if n]
    missing = [many for n, _one, many in parts if not n]
    structure = ""
    if have:
        structure = "The force has " + (", ".join(have[:-1]) + " and " + have[-1] if len(have) > 1 else have[0]) + "."
    if missing:
        listed = ", ".join(missing[:-1]) + " and " + missing[-1] if len(missing) > 1 else missing[0]
        subject = "Its" if have else "The force's"
        structure += f" {subject} {listed} are not recorded in Beacon."

    return {
        "name": force.name,
        "population": figure(force.population),
        "divisions": [{"code": d.code, "name": d.name, "population": figure(d.population)} for d in divisions],
        "divisions_count": figure(len(divisions)),
        "officers": figure(officers), "police_staff": figure(police_staff), "pcsos": figure(pcsos),
        "workforce_recorded": bool(officers or police_staff),
        "sections": figure(sections), "neighbourhoods": figure(neighbourhoods), "wards": figure(wards),
        "local_authorities": figure(authorities), "structure": structure.strip(),
        "raw": {"population": force.population, "officers": officers, "police_staff": police_staff,
                "pcsos": pcsos, "sections": sections, "neighbourhoods": neighbourhoods, "wards": wards,
                "divisions": len(divisions), "local_authorities": authorities},
        "sources": {
            "population": "force and division records (population)",
            "workforce": "staff records of the force (officers: is_officer; police staff: the rest, PCSOs included)",
            "structure": "division, section, neighbourhood and ward records of the force",
        },
    }


def _grouped(frameworks: Iterable[Framework]) -> list[dict]:
    """Consecutive frameworks of one area under that area's heading, as the 2007 tables show them."""
    groups: list[dict] = []
    for fw in frameworks:
        if not groups or groups[-1]["area"] != fw.area:
            groups.append({"area": fw.area, "frameworks": []})
        groups[-1]["frameworks"].append(fw)
    return groups


def _short_title(fw: Framework) -> str:
    """'Missing persons' for 'Protecting Vulnerable People – Missing Persons', as the summary tables do."""
    title = fw.title.split(" – ", 1)[1] if " – " in fw.title else fw.title
    return title if title == fw.area else title[:1].upper() + title[1:].lower()


def _missing_person_figures(session: Session, user: Principal, inspection) -> dict:
    since, until = service.period_of(inspection)
    s = scope(user, "missing_report")
    base = {"period": period_text(inspection.period_start, inspection.period_end),
            "from": day_text(inspection.period_start),
            "to": day_text(inspection.period_end - timedelta(days=1)),
            "reported_from": _utc_iso(since), "reported_to": _utc_iso(until)}
    if not s.allowed:
        return {**base, "available": False}
    counts = mp_repo.count_by_grade(session, s, since, until)
    note(session, user, "list", "missing_report", "",
         detail=f"inspection {inspection.id} report: reports by risk grade "
                f"{base['reported_from']}..{base['reported_to']}")
    rows = [{"grade": g.value, "label": g.label, "count": counts.get(g, 0), "text": _n(counts.get(g, 0)),
             "api": _api("missing-persons", reported_from=base["reported_from"], reported_to=base["reported_to"],
                         grade=g.value)} for g in MP_GRADES]
    total = sum(r["count"] for r in rows)
    parts = [f"{_n(counts.get(g, 0))} {MP_WORDS[g][0 if counts.get(g, 0) == 1 else 1]}" for g in MP_GRADES]
    sentence = (f"In the period {base['period']}, the force investigated a total of {_n(total)} missing "
                f"{'person' if total == 1 else 'persons'}. Of these, {parts[0]}, {parts[1]}, {parts[2]} and {parts[3]}.")
    return {**base, "available": True, "rows": rows, "total": total, "total_text": _n(total), "sentence": sentence,
            "total_api": _api("missing-persons", reported_from=base["reported_from"],
                              reported_to=base["reported_to"])}


def _rate_rows(result: AuditResult, rule_ids: Iterable[str]) -> list[dict]:
    from beacon import rules

    out = []
    for rule_id in rule_ids:
        rate = result.rate(rule_id)
        if rate is None:
            continue
        versions = rules.versions(rule_id)
        out.append({"rule_id": rule_id, "title": rate.title, "met": rate.met, "applicable": rate.applicable,
                    "rate": rate.rate, "text": _rate_text(rate), "failing": len(rate.failing),
                    "source": versions[-1].source if versions else ""})
    return out


def _latest_computed(evidence, kind: str):
    rows = [e for e in evidence if e.computed_kind == kind]
    return rows[-1] if rows else None


def _computed_figures(session: Session, inspection, fw: Framework, evidence) -> dict | None:
    """The figures of the framework's latest compliance evidence computed from the force's records
    (da.compliance for Domestic Violence, cp.compliance for Child Abuse), by division, each with
    the API path of the evidence item that holds the records behind it."""
    from beacon.assurance import child_protection as cp
    from beacon.assurance import domestic_abuse as da

    kind = {"domestic_violence": "da.compliance", "child_abuse": "cp.compliance"}.get(fw.id)
    row = _latest_computed(evidence, kind) if kind else None
    if row is None:
        return None
    result = AuditResult.from_json(json.loads(row.computed_result))
    divisions = list(session.scalars(select(Division).order_by(Division.code)))
    names = {str(d.id): d.name for d in divisions}
    codes = {str(d.id): d.code for d in divisions}
    chart_id = f"chart-{fw.id.replace('_', '-')}-divisions"
    out = {"kind": kind, "evidence_id": row.id, "title": row.title,
           "api": _api(f"inspections/{inspection.id}/evidence/{row.id}"),
           "page": f"/inspections/{inspection.id}/evidence/{row.id}"}
    if kind == "da.compliance":
        backlog = result.backlog
        as_of = datetime.fromisoformat(backlog.as_of)
        rows = []
        for d in (str(x.id) for x in divisions):
            b = backlog.by_division.get(d, BacklogRow())
            oldest = b.oldest_completed_at
            rows.append({"division": names[d], "code": codes[d], "backlog": b.unreviewed,
                         "backlog_text": _n(b.unreviewed),
                         "oldest": day_text(datetime.fromisoformat(oldest).astimezone(LONDON).date()) if oldest else "",
                         "review": _rate_text(result.division_rate(d, da.REVIEW)),
                         "marac": "Yes" if (result.marac_divisions or {}).get(d) else "No",
                         "marac_referral": _rate_text(result.division_rate(d, da.MARAC))})
        out.update({
            "rates": _rate_rows(result, (r.id for r in da.RULES)),
            "forms": result.facts["forms"], "logs_examined": result.facts["logs_examined"],
            "review_working_days": result.facts["review_working_days"],
            "child_referrals": result.child_referrals.to_json() if result.child_referrals else None,
            "backlog_total": backlog.total, "backlog_as_of": day_text(as_of.astimezone(LONDON).date()),
            "backlog_api": _api("domestic-abuse/backlog", as_of=_utc_iso(as_of)),
            "divisions": rows,
            "chart": bar_chart([(r["code"], r["backlog"]) for r in rows],
                               f"Risk forms awaiting DVO review as at {day_text(as_of.astimezone(LONDON).date())}, "
                               "by division", chart_id)})
        return out
    rows = []
    for d in (str(x.id) for x in divisions):
        joint = result.division_rate(d, cp.JOINT)
        rows.append({"division": names[d], "code": codes[d], "joint": _rate_text(joint), "joint_rate": joint.rate,
                     "acknowledged": _rate_text(result.division_rate(d, cp.ACKNOWLEDGED)),
                     "factors": _rate_text(result.division_rate(d, cp.CONSIDERED)),
                     "never_acknowledged": _n(result.never_acknowledged.by_division.get(d, 0))})
    spread = (result.spread or {}).get(cp.JOINT)
    out.update({
        "rates": _rate_rows(result, (r.id for r in cp.RULES if r.id != cp.REVIEWS)),
        "referrals": result.facts["referrals"], "decisions": result.facts["decisions"],
        "cases": result.facts["cases"], "logs_examined": result.facts["logs_examined"],
        "never_acknowledged": result.never_acknowledged.total, "never_sent": result.never_sent.total,
        "spread": ({"lowest": f"{spread.lowest:.0%}", "lowest_division": names.get(spread.lowest_division, ""),
                    "highest": f"{spread.highest:.0%}", "highest_division": names.get(spread.highest_division, ""),
                    "points": round(spread.spread * 100)} if spread and spread.divisions > 1 else None),
        "divisions": rows,
        "chart": bar_chart([(r["code"], r["joint_rate"]) for r in rows if r["joint_rate"] is not None],
                           "Joint-investigation decisions consistent with the agreed criteria, by division",
                           chart_id, percent=True)})
    return out


def _evidence_item(e) -> dict:
    return {"id": e.id, "title": e.title, "summary": e.summary, "method": e.method.value.replace("_", " "),
            "source": e.source, "gathered_on": day_text(e.gathered_on), "computed": bool(e.computed_kind),
            "verified": e.verification.value, "withdrawn": e.withdrawal_reason if e.withdrawn_at else ""}


def _framework_section(session: Session, user: Principal, inspection, fw: Framework, grade_row, distribution,
                       force_name: str) -> dict:
    iid = inspection.id
    evidence = inspection_repo.evidence_of(session, iid, fw.id)
    by_finding: dict[str, list[dict]] = {k: [] for k in FINDING_KEYS.values()}
    context_items = []
    for e in evidence:
        if e.finding is None:
            context_items.append(_evidence_item(e))
        else:
            by_finding[FINDING_KEYS[e.finding]].append(_evidence_item(e))
    texts = {c.id: c for c in fw.criteria}
    section = {
        "id": fw.id, "anchor": f"framework-{fw.id.replace('_', '-')}", "title": fw.title, "area": fw.area,
        "short_title": _short_title(fw), "graded": fw.graded, "national_context": fw.description,
        "force_context_items": context_items, "missing_persons": None, **by_finding,
        "computed": _computed_figures(session, inspection, fw, evidence),
        "grade": None, "national": None,
        "traces": {"evidence": _api(f"inspections/{iid}/evidence"), "grades": _api(f"inspections/{iid}/grades"),
                   "assessments": _api(f"inspections/{iid}/assessments"),
                   "national": _api("national", library_id=inspection.library_id)},
    }
    if fw.id == "missing_persons":
        section["missing_persons"] = _missing_person_figures(session, user, inspection)
    if not fw.graded:
        return section
    counts = distribution.get(fw.id, {g: 0 for g in ORDER})
    final = grade_row.grade if grade_row else None
    section["national"] = {
        "counts": [{"grade": g.value, "label": g.label, "count": int(counts.get(g, 0))} for g in ORDER],
        "total": sum(int(counts.get(g, 0)) for g in ORDER),
        "chart": grade_chart(counts, f"National grade distribution: {section['short_title']}",
                             f"chart-{fw.id.replace('_', '-')}", highlight=final, highlight_label=force_name),
    }
    if grade_row is None:
        return section
    decision = GradeDecision.from_json(json.loads(grade_row.explanation))
    section["grade"] = {
        "final": grade_value(final), "label": grade_label(final), "engine": grade_row.engine_label,
        "moderated": grade_row.moderated_grade is not None and not grade_row.awaiting_confirmation,
        "provisional": grade_row.provisional,
        "moderated_by": grade_row.moderated_by, "rationale": grade_row.moderation_rationale.strip(),
        "confirmed_by": grade_row.confirmed_by, "confirmation": grade_row.confirmation_rationale.strip(),
        "reasons": list(decision.reasons),
        "deciding": [{"id": cid, "text": texts[cid].text if cid in texts else "",
                      "level": texts[cid].level.value if cid in texts else ""}
                     for cid in decision.deciding],
        "moderation": list(decision.moderation),
        "tallies": [{"label": label, "met": tally.met, "applicable": tally.applicable}
                    for (key, tally), label in zip(decision.tallies().items(),
                                                   ("Significant Fair criteria", "Fair criteria", "Good criteria",
                                                    "Excellent criteria"))],
        **_from_records(session, inspection.id, fw),
    }
    return section


def _from_records(session: Session, inspection_id: int, fw: Framework) -> dict:
    """The bound criteria whose result came from the records, and beside each result an inspector
    set against the records' proposal, the proposal and the reason."""
    bound = {c.id for c in fw.criteria if c.binding is not None}
    rows = [a for a in inspection_repo.assessments_of(session, inspection_id) if a.criterion_id in bound]
    labels = {"met": "met", "partly_met": "partly met", "not_met": "not met", "not_evidenced": "not evidenced",
              "not_applicable": "not applicable"}
    return {"bound": len(bound), "accepted": sum(1 for a in rows if a.proposed_result and not a.overridden),
            "overrides": [{"id": a.criterion_id, "proposed": labels[a.proposed_result.value],
                           "set": labels[a.result.value], "reason": a.override_reason}
                          for a in rows if a.overridden and a.proposed_result is not None]}


def _practice(session: Session, user: Principal, inspection, lib) -> list[dict]:
    rows = service.search_practice(session, user, force_id=inspection.force_id)
    titles = {fw.id: fw.title for fw in lib.frameworks}
    return [{"id": p.id, "title": p.title, "framework": titles.get(p.framework_id, p.framework_id),
             "problem": p.problem, "solution": p.solution, "outcomes": p.outcomes, "contact": p.force_contact,
             "evaluated": p.evaluated} for p in rows if p.in_report]


def _strings(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def _glossary(context: Mapping) -> dict:
    text = " ".join(_strings(context))
    used = [(a, m) for a, m in ABBREVIATIONS if a in ALWAYS_LISTED or re.search(rf"\b{re.escape(a)}s?\b", text)]
    return {"terms": [{"term": t, "meaning": m} for t, m in TERMS],
            "abbreviations": [{"abbreviation": a, "meaning": m} for a, m in used]}


def report_context(session: Session, user: Principal, inspection_id: int, settings: Mapping[str, object]) -> dict:
    """Everything the report shows, gathered from data (access is checked and logged by the
    service calls: the inspection, the national picture, the practice register, and the
    missing-person figures)."""
    inspection = service.fetch(session, user, inspection_id)
    lib = service.library(inspection.library_id)
    force = session.get(Force, inspection.force_id)
    frameworks = [lib.framework(f) for f in inspection.framework_ids]
    graded = [fw for fw in frameworks if fw.graded]
    grades = {g.framework_id: g for g in inspection_repo.grades_of(session, inspection_id)}
    picture = national_picture.national_picture(session, user, inspection.library_id, settings)
    published = inspection.published_at.astimezone(LONDON) if inspection.published_at else None
    iid = inspection.id

    national_rows = []
    for group in _grouped(graded):
        rows = []
        for fw in group["frameworks"]:
            counts = picture.distribution.get(fw.id, {})
            rows.append({"id": fw.id, "title": _short_title(fw),
                         "counts": [{"label": g.label, "count": int(counts.get(g, 0))} for g in ORDER]})
        national_rows.append({"area": group["area"], "rows": rows})
    force_rows = []
    for group in _grouped(graded):
        force_rows.append({"area": group["area"], "rows": [
            {"id": fw.id, "title": _short_title(fw), "anchor": f"framework-{fw.id.replace('_', '-')}",
             "grade": grades[fw.id].label if fw.id in grades else "Not graded",
             "moderated": fw.id in grades and grades[fw.id].moderated_grade is not None}
            for fw in group["frameworks"]]})

    context = {
        "title": f"{force.name} – HMIC Inspection Report",
        "inspection": {
            "id": iid, "title": inspection.title, "status": inspection.status.value,
            "draft": inspection.status is not Status.PUBLISHED, "edition": inspection.edition,
            "supersedes_id": inspection.supersedes_id, "correction_reason": inspection.correction_reason,
            "period": period_text(inspection.period_start, inspection.period_end),
            "period_from": day_text(inspection.period_start),
            "period_to": day_text(inspection.period_end - timedelta(days=1)),
            "date": f"{published:%B %Y}" if published else "Draft – not published",
            "library": f"{lib.title}, version {inspection.library_version}",
        },
        "force": {"name": force.name},
        "introduction": _introduction(lib, inspection, settings),
        "overview": _overview(session, force),
        "national": {"forces": picture.forces, "groups": national_rows, "grades": [g.label for g in ORDER],
                     "api": _api("national", library_id=inspection.library_id)},
        "force_summary": {"groups": force_rows, "api": _api(f"inspections/{iid}/grades")},
        "frameworks": [_framework_section(session, user, inspection, fw, grades.get(fw.id), picture.distribution,
                                          force.name) for fw in frameworks],
        "practice": _practice(session, user, inspection, lib),
        "practice_api": _api("practice"),
        "traces": {"inspection": _api(f"inspections/{iid}"), "evidence": _api(f"inspections/{iid}/evidence"),
                   "grades": _api(f"inspections/{iid}/grades"),
                   "assessments": _api(f"inspections/{iid}/assessments"),
                   "national": _api("national", library_id=inspection.library_id), "practice": _api("practice"),
                   "settings": "beacon settings list"},
        "standards": [s.value.replace("_", " ") for s in Standard],
    }
    context["glossary"] = _glossary(context)
    return context


# --- rendering --------------------------------------------------------------------------------
