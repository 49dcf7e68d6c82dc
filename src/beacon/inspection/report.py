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

    report_context(session, user, inspection_id, settings) -> dict
    render_html(context) -> str          a standalone document (no GOV.UK crown: see below)
    render_pdf(context) -> bytes         the same HTML through WeasyPrint, A4 with page numbers
    write_report(session, user, inspection_id, settings, directory) -> (html_path, pdf_path)
    report_command(inspection_id, as_user, fmt, directory) -> list[Path]   for `beacon report`

WeasyPrint cannot read the GOV.UK crown SVG (``fill="currentcolor"``), so the report has no logo.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from beacon.access.audit import note
from beacon.access.policy import Principal, scope
from beacon.cases.missing_persons import repository as mp_repo
from beacon.cases.missing_persons.models import RiskGrade
from beacon.inspection import reporting, service
from beacon.inspection.models import Status
from beacon.inspection.national import ORDER
from beacon.inspection.types import Finding, Framework, Grade, Standard
from beacon.org.models import Division, Force, LocalAuthority, Neighbourhood, Section, Staff, Ward
from beacon.org.roles import Rank
from beacon.rules.clocks import LONDON

__all__ = ["report_context", "render_html", "render_pdf", "write_report", "report_command", "grade_chart",
           "bar_chart", "SECTION_HEADINGS"]

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "web" / "templates" / "report"
NOT_RECORDED = "not recorded"

# The headings every report has, in order (the framework sections come between Findings and
# Developing practice, one per framework of the inspection).
SECTION_HEADINGS = (
    "Contents", "Introduction to HMIC Inspections", "Programmed frameworks", "Risk-based frameworks",
    "The grading process", "Developing practice", "Force Overview and Context",
    "Geographical description of force area", "Structural description of force", "Findings",
    "National summary of judgements", "Force summary of judgements",
    "Appendix: Glossary of Terms and Abbreviations",
)
FRAMEWORK_HEADINGS = ("National grade distribution", "National contextual factors", "Contextual factors",
                      "Strengths", "Work in progress", "Areas for improvement", "Why this grade")

GRADE_TEXT = {
    Grade.EXCELLENT: ("This grade describes the highest level of performance in service delivery and achieving "
                      "full compliance with codes of practice or national guidance. It is expected that few "
                      "forces will achieve this very high standard for a given activity. To achieve Excellent, "
                      "forces are expected to meet all of the criteria set out in the Fair SGC and {vast} of "
                      "those set out in Good. In addition, two other factors will attract consideration of an "
                      "Excellent grade: the force should be recognised, or be able to act, as a 'beacon' to "
                      "others, and be accepted within the service as a source of leading-edge practice; and "
                      "the force should have introduced and evaluated new ways of delivering or improving "
                      "performance."),
    Grade.GOOD: ("Good denotes performance above the minimum standard. To reach this level, forces have to "
                 "meet in full the criteria set out in Fair and {most} of the criteria set out in Good."),
    Grade.FAIR: ("Fair is the delivery of an acceptable level of service, which meets national threshold "
                 "standards where these exist. To achieve a Fair grading, forces must meet all of the "
                 "significant criteria set out in the Fair SGC. Across most activities, the largest number "
                 "of grades is expected at this level."),
    Grade.POOR: ("A Poor grade represents an unacceptably low level of service. To attract this very critical "
                 "grade, a force will have fallen well short of {significant} of criteria set out in the SGC "
                 "for Fair. In some cases, failure to achieve a single critical criterion may alone warrant a "
                 "Poor grade. Such dominant criteria are always flagged in the SGC but may also reflect a "
                 "degree of professional judgement on the level of risk being carried by the force."),
}

DEVELOPING_PRACTICE_TEXT = (
    "In addition to assessing force performance, one of HMIC's key roles is to identify and share good "
    "practice across the police service. Much good practice is identified during the assessment and is "
    "reflected as a strength in the body of the report. In addition, each force is given the opportunity to "
    "submit examples of its good practice; the examples published in this report are those the force's "
    "entries in the developing practice register mark for the report. The key criteria for each example are "
    "that the work has been evaluated by the force and that it is easily transferable to other forces (each "
    "force has provided a contact, should further information be required). HMIC has not conducted any "
    "independent evaluation of the examples.")

ABBREVIATIONS = (
    ("ACC", "assistant chief constable"), ("ACPO", "Association of Chief Police Officers"),
    ("BCU", "basic command unit"), ("CAIU", "child abuse investigation unit"),
    ("CANDO", "community and neighbourhood directed operations"), ("CSP", "community safety partnership"),
    ("DCC", "deputy chief constable"), ("DCI", "detective chief inspector"), ("DI", "detective inspector"),
    ("DS", "detective sergeant"), ("DV", "domestic violence"), ("DVO", "domestic violence officer"),
    ("FUD", "family unit database"), ("HMI", "Her Majesty's inspector"),
    ("HMIC", "Her Majesty's Inspectorate of Constabulary"), ("HR", "human resources"),
    ("JICA", "joint investigation of child abuse"), ("LSCB", "local safeguarding children board"),
    ("MAPPA", "multi-agency public protection arrangements"), ("MARAC", "multi-agency risk assessment conference"),
    ("MSF", "most similar force(s)"), ("NCPE", "National Centre for Policing Excellence"),
    ("NIM", "National Intelligence Model"), ("NPIA", "National Policing Improvement Agency"),
    ("PACT", "partners and communities together"), ("PCSO", "police community support officer"),
    ("PDR", "personal development review"), ("PNC", "Police National Computer"),
    ("PPU", "public protection unit"), ("SARC", "sexual assault referral centre"),
    ("SGC", "specific grading criteria"), ("SMB", "strategic management board"),
    ("SPI", "statutory performance indicator"), ("STCG", "strategic tasking and co-ordination group"),
    ("ViSOR", "Violent and Sex Offenders Register"),
)
ALWAYS_LISTED = {"HMIC", "SGC", "MSF"}

TERMS = (
    ("Specific grading criteria (SGC)", "The national standards a framework is graded against, each at the "
     "Fair, Good or Excellent level."),
    ("Significant criterion", "A Fair criterion that must be met for a Fair grade."),
    ("Dominant criterion", "A significant Fair criterion whose failure alone can warrant a Poor grade."),
    ("Evidence", "What the inspection gathered (documents, interviews, observation, case-file samples, data), "
     "each item recorded with its source and what it shows."),
    ("Strength, work in progress, area for improvement", "What a piece of evidence shows, in the report's "
     "own headings."),
    ("Provisional grade", "A grade the grading rules leave to professional judgement; moderation settles it."),
    ("Moderation", "The review of a grade by a moderator, who may set a different grade with a rationale."),
    ("Most similar forces", "Forces grouped as alike; a grade far from the group's median is flagged for "
     "moderation."),
)

FINDING_KEYS = {Finding.STRENGTH: "strengths", Finding.WORK_IN_PROGRESS: "work_in_progress",
                Finding.AREA_FOR_IMPROVEMENT: "areas_for_improvement"}
MP_GRADES = (RiskGrade.HIGH, RiskGrade.MEDIUM, RiskGrade.LOW, RiskGrade.ABSENT_FROM_CARE)
MP_WORDS = {  # (one, many), in the words of the 2007 report's missing persons contextual factors
    RiskGrade.HIGH: ("was classed as high risk", "were classed as high risk"),
    RiskGrade.MEDIUM: ("as medium risk", "as medium risk"), RiskGrade.LOW: ("as low risk", "as low risk"),
    RiskGrade.ABSENT_FROM_CARE: ("was an unauthorised absence from care", "were unauthorised absences from care")}


# --- small helpers ----------------------------------------------------------------------------

def _n(value: int) -> str:
    return f"{value:,}"


def _share(value: float) -> str:
    return f"{value:.0%}" if round(value * 100) == value * 100 else f"{value * 100:g}%"


def _utc_iso(moment) -> str:
    return moment.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")


def _api(path: str, **query) -> str:
    query = {k: v for k, v in query.items() if v is not None}
    return f"/api/v1/{path}" + (f"?{urlencode(query, safe=':')}" if query else "")


def period_text(start, end_exclusive) -> str:
    """'April 2006 to March 2007' for a period whose end date is exclusive."""
    last = end_exclusive - timedelta(days=1) if end_exclusive > start else end_exclusive
    return f"{start:%B %Y} to {last:%B %Y}"


def day_text(day) -> str:
    return f"{day.day} {day:%B %Y}"


# --- the chart --------------------------------------------------------------------------------

def grade_chart(counts: Mapping[Grade, int], title: str, chart_id: str, highlight: Grade | None = None,
                highlight_label: str = "This force") -> Markup:
    """An inline SVG bar chart of a grade distribution (Excellent, Good, Fair, Poor), drawn here so
    it needs no script and renders in WeasyPrint. Accessible: ``role="img"`` named by its
    ``<title>`` and described by a ``<desc>`` giving every count; the same figures are in the
    table beside it. ``chart_id`` must be unique in the page."""
    width, height, left, right, top, bottom = 340, 210, 36, 10, 34, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [int(counts.get(g, 0)) for g in ORDER]
    peak = max(values) or 1
    step = max(1, -(-peak // 4))               # about four gridlines
    scale_top = step * -(-peak // step)
    slot = plot_w / len(ORDER)
    bar_w = slot * 0.56
    desc = "; ".join(f"{g.label} {v}" for g, v in zip(ORDER, values))
    if highlight is not None:
        desc += f". {highlight_label}: {highlight.label}."
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="beacon-chart" role="img" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">Number of forces given each grade: {escape(desc)}</desc>',
             '<g font-family="Arial, Helvetica, sans-serif" font-size="12" fill="#0b0c0c">']
    for tick in range(0, scale_top + 1, step):
        y = top + plot_h - plot_h * tick / scale_top
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#b1b4b6" '
                     f'stroke-width="{1 if tick else 1.5}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    for i, (g, v) in enumerate(zip(ORDER, values)):
        x = left + slot * i + (slot - bar_w) / 2
        h = plot_h * v / scale_top
        y = top + plot_h - h
        mine = highlight is g
        colour = "#0b0c0c" if mine else "#1d70b8"
        weight = ' font-weight="bold"' if mine else ""
        if v:
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}"/>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 5:.1f}" text-anchor="middle" '
                     f'font-weight="bold">{v}</text>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle"'
                     f'{weight}>{g.label}</text>')
        if mine:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 30}" text-anchor="middle" '
                         f'font-size="11">({escape(highlight_label)})</text>')
    parts.append("</g></svg>")
    return Markup("".join(parts))


def bar_chart(bars: Iterable[tuple[str, float]], title: str, chart_id: str, percent: bool = False) -> Markup:
    """An inline SVG bar chart of one figure per division (a count, or a share drawn on 0-100%),
    like :func:`grade_chart`: no script, WeasyPrint renders it, ``role="img"`` with a ``<title>``
    and a ``<desc>`` giving every value; the same figures are in the table beside it."""
    bars = list(bars)
    width, height, left, right, top, bottom = 340, 210, 44, 10, 34, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    label = (lambda v: f"{v:.0%}") if percent else (lambda v: f"{int(v):,}")
    if percent:
        scale_top, step = 1.0, 0.25
    else:
        peak = int(max((v for _, v in bars), default=0)) or 1
        step = max(1, -(-peak // 4))
        scale_top = step * -(-peak // step)
    slot = plot_w / max(len(bars), 1)
    bar_w = slot * 0.56
    desc = "; ".join(f"{name} {label(v)}" for name, v in bars) or "no values"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="beacon-chart" role="img" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
             '<g font-family="Arial, Helvetica, sans-serif" font-size="12" fill="#0b0c0c">']
    tick = 0.0
    while tick <= scale_top + 1e-9:
        y = top + plot_h - plot_h * tick / scale_top
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#b1b4b6" '
                     f'stroke-width="{1 if tick else 1.5}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{label(tick)}</text>')
        tick += step
    for i, (name, v) in enumerate(bars):
        x = left + slot * i + (slot - bar_w) / 2
        h = plot_h * min(v, scale_top) / scale_top
        y = top + plot_h - h
        if v:
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="#1d70b8"/>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 5:.1f}" text-anchor="middle" '
                     f'font-weight="bold">{label(v)}</text>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
                     f'{escape(name)}</text>')
    parts.append("</g></svg>")
    return Markup("".join(parts))


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
    since, until = service._period(inspection)
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


def _rate_text(rate: Mapping) -> str:
    if not rate.get("applicable"):
        return "none applicable"
    return f"{_n(rate['met'])} of {_n(rate['applicable'])} ({rate['met'] / rate['applicable']:.0%})"


def _rate_rows(result: Mapping, rule_ids: Iterable[str]) -> list[dict]:
    from beacon import rules

    out = []
    for rule_id in rule_ids:
        rate = result["rates"].get(rule_id)
        if rate is None:
            continue
        versions = rules.versions(rule_id)
        out.append({"rule_id": rule_id, "title": rate["title"], "met": rate["met"], "applicable": rate["applicable"],
                    "rate": rate["rate"], "text": _rate_text(rate), "failing": len(rate.get("failing", [])),
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
    result = json.loads(row.computed_result)
    divisions = list(session.scalars(select(Division).order_by(Division.code)))
    names = {str(d.id): d.name for d in divisions}
    codes = {str(d.id): d.code for d in divisions}
    chart_id = f"chart-{fw.id.replace('_', '-')}-divisions"
    out = {"kind": kind, "evidence_id": row.id, "title": row.title,
           "api": _api(f"inspections/{inspection.id}/evidence/{row.id}"),
           "page": f"/inspections/{inspection.id}/evidence/{row.id}"}
    by_division = result.get("by_division", {})

    def division_rate(d: str, rule_id: str) -> dict:
        return by_division.get(d, {}).get(rule_id, {"applicable": 0, "met": 0, "rate": None})

    if kind == "da.compliance":
        backlog = result["backlog"]
        as_of = datetime.fromisoformat(backlog["as_of"])
        rows = []
        for d in (str(x.id) for x in divisions):
            b = backlog["by_division"].get(d, {"unreviewed": 0, "oldest_completed_at": None})
            oldest = b.get("oldest_completed_at")
            rows.append({"division": names[d], "code": codes[d], "backlog": b["unreviewed"],
                         "backlog_text": _n(b["unreviewed"]),
                         "oldest": day_text(datetime.fromisoformat(oldest).astimezone(LONDON).date()) if oldest else "",
                         "review": _rate_text(division_rate(d, da.REVIEW)),
                         "marac": "Yes" if result.get("marac_divisions", {}).get(d) else "No",
                         "marac_referral": _rate_text(division_rate(d, da.MARAC))})
        out.update({
            "rates": _rate_rows(result, (da.REVIEW, da.MARAC, da.MARAC_AVAILABLE, da.CHILDREN, da.LOG_CLOSURE)),
            "forms": result["forms"], "logs_examined": result["logs_examined"],
            "review_working_days": result["review_working_days"],
            "child_referrals": result.get("child_referrals"),
            "backlog_total": backlog["total"], "backlog_as_of": day_text(as_of.astimezone(LONDON).date()),
            "backlog_api": _api("domestic-abuse/backlog", as_of=_utc_iso(as_of)),
            "divisions": rows,
            "chart": bar_chart([(r["code"], r["backlog"]) for r in rows],
                               f"Risk forms awaiting DVO review as at {day_text(as_of.astimezone(LONDON).date())}, "
                               "by division", chart_id)})
        return out
    rows = []
    for d in (str(x.id) for x in divisions):
        joint = division_rate(d, cp.JOINT)
        rows.append({"division": names[d], "code": codes[d], "joint": _rate_text(joint), "joint_rate": joint["rate"],
                     "acknowledged": _rate_text(division_rate(d, cp.ACKNOWLEDGED)),
                     "factors": _rate_text(division_rate(d, cp.CONSIDERED)),
                     "never_acknowledged": _n(result["never_acknowledged"]["by_division"].get(d, 0))})
    spread = result.get("spread", {}).get(cp.JOINT)
    out.update({
        "rates": _rate_rows(result, (cp.ACKNOWLEDGED, cp.CONSIDERED, cp.REASONS, cp.JOINT, cp.CONFERENCE,
                                     cp.LOG_CLOSURE)),
        "referrals": result["referrals"], "decisions": result["decisions"], "cases": result["cases"],
        "logs_examined": result["logs_examined"],
        "never_acknowledged": result["never_acknowledged"]["total"], "never_sent": result["never_sent"]["total"],
        "spread": ({"lowest": f"{spread['lowest']:.0%}", "lowest_division": names.get(spread["lowest_division"], ""),
                    "highest": f"{spread['highest']:.0%}", "highest_division": names.get(spread["highest_division"], ""),
                    "points": round(spread["spread"] * 100)} if spread and spread["divisions"] > 1 else None),
        "divisions": rows,
        "chart": bar_chart([(r["code"], r["joint_rate"]) for r in rows if r["joint_rate"] is not None],
                           "Joint-investigation decisions consistent with the agreed criteria, by division",
                           chart_id, percent=True)})
    return out


def _evidence_item(e) -> dict:
    return {"id": e.id, "title": e.title, "summary": e.summary, "method": e.method.value.replace("_", " "),
            "source": e.source, "gathered_on": day_text(e.gathered_on), "computed": bool(e.computed_kind),
            "verified": e.verification.value}


def _framework_section(session: Session, user: Principal, inspection, fw: Framework, grade_row, distribution,
                       force_name: str) -> dict:
    iid = inspection.id
    evidence = service.evidence_of(session, iid, fw.id)
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
    explanation = json.loads(grade_row.explanation or "{}")
    section["grade"] = {
        "final": final.value, "label": final.label, "engine": grade_row.engine_grade.label,
        "moderated": grade_row.moderated_grade is not None, "provisional": grade_row.provisional,
        "moderated_by": grade_row.moderated_by, "rationale": grade_row.moderation_rationale.strip(),
        "reasons": list(explanation.get("reasons", [])),
        "deciding": [{"id": cid, "text": texts[cid].text if cid in texts else "",
                      "level": texts[cid].level.value if cid in texts else ""}
                     for cid in explanation.get("deciding", [])],
        "moderation": list(explanation.get("moderation", [])),
        "tallies": [{"label": label, "met": explanation[key]["met"], "applicable": explanation[key]["applicable"]}
                    for key, label in (("fair_significant", "Significant Fair criteria"), ("fair", "Fair criteria"),
                                       ("good", "Good criteria"), ("excellent", "Excellent criteria"))
                    if key in explanation],
    }
    return section


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
    grades = {g.framework_id: g for g in service.grades_of(session, inspection_id)}
    picture = reporting.national_picture(session, user, inspection.library_id, settings)
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
             "grade": grades[fw.id].grade.label if fw.id in grades else "Not graded",
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

_ENV = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)


def render_html(context: Mapping, for_print: bool = False, back_url: str | None = None) -> str:
    """The report as one standalone HTML document (its CSS inlined). ``for_print`` shows the API
    paths as text rather than links (a PDF has no server to resolve them against); ``back_url``
    adds a link back to the page the report was opened from."""
    css = (TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")
    return _ENV.get_template("report.html").render(**context, css=Markup(css), for_print=for_print,
                                                   back_url=None if for_print else back_url)


def render_pdf(context: Mapping) -> bytes:
    """The same HTML as an A4 PDF (WeasyPrint; print CSS adds page numbers and the contents' page
    references)."""
    from weasyprint import HTML

    html = render_html(context, for_print=True)
    if 'fill="currentcolor"' in html:   # WeasyPrint crashes on it (the GOV.UK crown uses it)
        html = html.replace('fill="currentcolor"', 'fill="currentColor"')
    return HTML(string=html, base_url=str(TEMPLATE_DIR) + "/").write_pdf()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "force"


def write_report(session: Session, user: Principal, inspection_id: int, settings: Mapping[str, object],
                 directory: str | Path) -> tuple[Path, Path]:
    """Write the HTML and the PDF of the report into ``directory``; return both paths."""
    paths = _write(report_context(session, user, inspection_id, settings), directory, ("html", "pdf"))
    return paths["html"], paths["pdf"]


def _write(context: Mapping, directory: str | Path, formats: Iterable[str]) -> dict[str, Path]:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{_slug(context['force']['name'])}-inspection-{context['inspection']['id']}"
    if context["inspection"]["edition"] > 1:
        stem += f"-edition-{context['inspection']['edition']}"
    out = {}
    for fmt in formats:
        path = directory / f"{stem}.{fmt}"
        if fmt == "html":
            path.write_text(render_html(context), encoding="utf-8")
        else:
            path.write_bytes(render_pdf(context))
        out[fmt] = path
    return out


def report_command(inspection_id: int, as_user: str, fmt: str = "pdf", directory: str | Path = ".",
                   database_url: str | None = None) -> list[Path]:
    """What ``beacon report INSPECTION_ID --as USER --format pdf|html|both --out DIR`` does: write
    the report as the user (their access applies and is logged) and return the files written."""
    from beacon import settings_repo
    from beacon.access.login import acting_as
    from beacon.db import make_engine, session_factory, transaction
    from beacon.errors import Invalid
    if fmt not in ("pdf", "html", "both"):
        raise Invalid({"format": "must be pdf, html or both"})
    with transaction(session_factory(make_engine(database_url))) as session:
        user = acting_as(session, as_user)
        if user is None:
            raise Invalid({"as": f"no user {as_user!r}"})
        context = report_context(session, user, inspection_id, settings_repo.load(session))
    formats = ("html", "pdf") if fmt == "both" else (fmt,)
    return list(_write(context, directory, formats).values())
