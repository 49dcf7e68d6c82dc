"""The report's words: headings, the grade definitions, glossary terms, and how figures are
written ("1,234 of 5,678 (22%)", dates in England and Wales)."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from beacon.cases.missing_persons.models import RiskGrade
from beacon.inspection.types import Finding, Grade

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


def rate_text(rate) -> str:
    """``1,234 of 5,678 (22%)`` for a rate (a ``RuleRate`` or ``Brief``, or its JSON)."""
    met, applicable = (rate["met"], rate["applicable"]) if isinstance(rate, Mapping) else (rate.met, rate.applicable)
    if not applicable:
        return "none applicable"
    return f"{_n(met)} of {_n(applicable)} ({met / applicable:.0%})"


_rate_text = rate_text
