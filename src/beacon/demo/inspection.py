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

- every evidence item is written from the report's Strengths, Work in progress and Areas for
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
LATE = date(2007, 8, 20)          # items the force published in August 2007, read before the report


class InspectionDemoError(RuntimeError):
    """The demo's inspections cannot be built here."""


@dataclass(frozen=True)
class Ev:
    """One evidence item: a key for the assessments to cite, and the item itself."""
    key: str
    method: str
    title: str
    summary: str
    source: str
    finding: Finding | None
    criteria: tuple[str, ...]
    gathered_on: date = FIELDWORK


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


# ================================================================================================
# Gwent: evidence, from the report's Findings
# ================================================================================================

def _src(section: str, heading: str) -> str:
    return f"HMIC Gwent Police inspection report, October 2007 – {section} – {heading}"


NP, PM, PVP, CA, DV, PP, MP = ("Neighbourhood Policing", "Performance Management",
                               "Protecting Vulnerable People – Overview", "Protecting Vulnerable People – Child Abuse",
                               "Protecting Vulnerable People – Domestic Violence",
                               "Protecting Vulnerable People – Public Protection",
                               "Protecting Vulnerable People – Missing Persons")

GWENT_EVIDENCE: dict[str, list[Ev]] = {
    "neighbourhood_policing": [
        Ev("np-lead", "interview", "Chief officer lead and programme governance for Neighbourhood Policing",
           "Strong lead from the ACPO team to mainstream Neighbourhood Policing: the Listen Programme (the Chief "
           "Constable's culture change workstream) and road shows led personally by the Chief Constable. "
           "Neighbourhood Policing is a clear central theme of the 2007/08 policing plan; implementation is "
           "overseen by the DCC as chair of the citizen focus programme board (nine projects); the implementation "
           "team works to a project plan with agreed milestones; tracking data used by chief officers was shared "
           "with the inspection team.",
           _src(NP, "Strengths"), S, ("np.f.chief-officer-lead",), DOCUMENTS),
        Ev("np-coverage", "document", "Neighbourhood structure, coverage and staffing",
           "135 wards form 96 neighbourhoods, all coterminous with ward boundaries, in 22 sections each led by an "
           "inspector with a dedicated Neighbourhood Policing sergeant and tasking responsibility for response "
           "and neighbourhood functions. Teams fully established and staffed for some time; 100% coverage well "
           "ahead of the April 2008 deadline. 106 of the 119 allocated PCSOs in post plus 10 funded by Torfaen "
           "CSP; special constables embedded in neighbourhood teams. Neighbourhoods were defined using crime and "
           "deprivation statistics, in consultation with communities and partners.",
           _src(NP, "Contextual factors and Strengths"), S,
           ("np.f.teams-in-every-neighbourhood", "np.f.neighbourhoods-defined"), DOCUMENTS),
        Ev("np-website", "observation", "Force website: neighbourhood pages and contact lists",
           "Neighbourhood Policing is prominent on the website's title page and guides readers to their own "
           "neighbourhood contacts; most contact lists show photographs of officers, neighbourhood priorities and "
           "unique telephone and email contact details. Work in progress: a web designer, a new server and content "
           "management software will put pre-prepared neighbourhood micro-sites online, managed by three "
           "divisional communications officers from September 2007.",
           _src(NP, "Strengths; Work in progress"), S, ("np.f.public-can-contact-team",)),
        Ev("np-phone-survey", "survey", "Telephone survey of 100 randomly selected residents",
           "As part of the inspection, 100 randomly selected residents answered six questions about their "
           "experience and view of how Neighbourhood Policing is delivered. All responses were within the "
           "national average range.",
           _src(NP, "Contextual factors"), None, ("np.f.public-can-contact-team", "np.g.public-views-measured")),
        Ev("np-pact", "document", "Community engagement strategy and PACT coverage",
           "The community engagement strategy, rolled out incrementally, sets PACT as the minimum model; 67% of "
           "neighbourhoods are running PACT meetings and the force estimates 100% by the end of September 2007. "
           "Meaningful engagement with hard-to-reach groups (Muslim mothers, homeless groups), particularly in "
           "Newport, and a broad range of engagement techniques.",
           _src(NP, "Strengths"), S, ("np.f.community-identifies-priorities",)),
        Ev("np-problem-solving", "focus_group", "Joint problem solving at neighbourhood level",
           "Joint problem solving happens across the majority of neighbourhoods (about 60%), some of it "
           "sophisticated, some still developing. Problems are mostly identified at PACT meetings and taken back "
           "to the meeting for updates and sign-off. Most PACT meetings are chaired by police officers or "
           "councillors (the aim is community-led meetings), and some are not attended by local authority staff "
           "or councillors.",
           _src(NP, "Strengths"), S, ("np.f.joint-problem-solving", "np.e.community-led-problem-solving")),
        Ev("np-asb-group", "document", "Anti-social behaviour problem-solving group (one division)",
           "One division has developed the problem-solving model into an anti-social behaviour group of "
           "councillors, partners and key community members, using a matrix to prioritise referrals and tailor "
           "interventions, reviewed quarterly. The report asks the force to evaluate it and consider adopting it "
           "force-wide: it has not yet been evaluated.",
           _src(NP, "Strengths"), S, ("np.e.evaluated-innovation",)),
        Ev("np-partners", "interview", "Partnership with local authorities and community safety partnerships",
           "Good working relationships with the five local authorities, particularly the CSPs; all five have "
           "signed the Gwent information-sharing protocol. Caerphilly CSP introduced the CANDO (community and "
           "neighbourhood directed operations) initiatives.",
           _src(NP, "Strengths"), S, ("np.f.partners-share-information",)),
        Ev("np-database", "observation", "Neighbourhood management database",
           "Since April 2007 ward profiles, contacts and meetings (previously on paper in ward bases) are held on "
           "a force-wide database available to NIM processes and the control room. Version 2 (16 June 2007) gives "
           "free-text search and queries by timeline or area, and management information on action plans by "
           "source (ward priority, contact from the public, referral to partners), closed plans, quality "
           "assurance and environmental visual audits; built-in supervisor alerts flag plans over one month old.",
           _src(NP, "Strengths"), S, ("np.f.neighbourhood-information-recorded", "np.f.joint-problem-solving")),
        Ev("np-training", "document", "Neighbourhood training and PDR objectives",
           "Strengths: PDR objectives for neighbourhood staff are appropriate to the role; the training manager "
           "sits on the project board; PCSO training has been refocused on Neighbourhood Policing. Work in "
           "progress: the Centrex modular neighbourhood package has been adapted; the force anticipates all "
           "neighbourhood-based officers and staff trained by the end of December 2007; partners are included in "
           "some areas.",
           _src(NP, "Strengths; Work in progress"), W, ("np.f.neighbourhood-training",)),
        Ev("np-abstraction", "focus_group", "Abstraction policy and its recording",
           "The policy requires neighbourhood staff to spend at least 85% (rising to 90%) of duty time on "
           "neighbourhood functions. It was new, not fully implemented and no figures were available; figures on "
           "the 85% target are likely to be unreliable. Abstraction relies on self-completed forms, with "
           "confusion over what counts, some staff feeling pressured not to complete them, and low completion. "
           "Officers processing overnight response prisoners from outside the neighbourhood, or problem solving "
           "in neighbouring wards, are not shown as abstracted. An automated system is being piloted in Newport.",
           _src(NP, "Areas for improvement; Work in progress"), A, ("np.f.abstraction-defined-and-measured",)),
        Ev("np-deployment", "interview", "Deployment of neighbourhood officers and PCSOs",
           "Control room staff rarely allocate calls directly to neighbourhood officers or PCSOs; there is no "
           "deployment policy saying which incidents are within a PCSO's skill base, and no corporate policy on "
           "allocating investigative work to neighbourhood staff (left to inspectors, so inconsistent). The "
           "Beyond the Call project team has started on a graded response and deployment strategy.",
           _src(NP, "Areas for improvement; Work in progress"), A, ("np.f.deployment-policy",)),
        Ev("np-resourcing", "document", "Resource allocation formula for neighbourhoods",
           "A resource allocation formula indicates the resources each neighbourhood ought to have; each BCU is "
           "reviewing its resources against it; minor adjustments were made in one BCU in July 2007, and "
           "commanders will use it periodically.",
           _src(NP, "Work in progress"), W, ("np.g.resources-match-demand",)),
        Ev("np-your-voice", "survey", "Your Voice Does Count survey (early 2007)",
           "Force-wide, externally managed and validated; about 4,500 residents responded: 65% thought the police "
           "in their area did a good job and 67% thought the police were dealing with the things that concerned "
           "them. Two localised surveys have followed in Communities First areas, with more planned, to be "
           "mirrored in all neighbourhoods.",
           _src(NP, "Work in progress"), W, ("np.g.public-views-measured",)),
        Ev("np-performance", "document", "Neighbourhood performance indicators and quality-of-service dip sampling",
           "The neighbourhood management database gives access to numeric and quality-of-service indicators the "
           "force is developing for its performance framework; the pathfinder BCU is developing common indicators "
           "with local authorities; the Listen programme's six quality-of-service principles will be the basis "
           "of supervisors' dip samples, including contacting victims.",
           _src(NP, "Work in progress"), W, ("np.g.performance-framework",)),
        Ev("np-partnership-intelligence", "interview", "Partnership intelligence and community intelligence strategy",
           "Neighbourhood Policing is supported with intelligence products and analysts link priorities across "
           "neighbourhoods (Strength). Torfaen and Monmouthshire CSPs fund a partnership analyst; a draft "
           "strategic assessment template is due September 2007 and the first joint strategic assessment in "
           "April 2008; a community intelligence strategy is being developed (Work in progress).",
           _src(NP, "Strengths; Work in progress"), W, ("np.g.partnership-intelligence",)),
        Ev("np-implementation", "interview", "Assessment of the effectiveness of implementation",
           "Neighbourhood Policing was rolled out ahead of the national timetable, 'learning lessons as they "
           "progressed', with the ACPO lead more prescriptive since spring 2007; but the force has no "
           "developmental assessment process to take stock of the effectiveness of implementation.",
           _src(NP, "Areas for improvement"), A, ("np.g.implementation-assessed",)),
        Ev("np-estates", "observation", "Community bases for neighbourhood teams",
           "The estates policy does not provide suitable community bases for each neighbourhood; one base was "
           "seven miles from its neighbourhood.",
           _src(NP, "Areas for improvement"), A, ("np.g.community-bases",)),
        Ev("np-developing-practice", "document", "Developing practice submitted by the force",
           "Three examples the force submitted and evaluated itself: the Trevethin Estate neighbourhood "
           "initiative (crimes down from 140 in May 2005 to 40 in May 2006), CANDO operations in Caerphilly "
           "county borough, and the crack house closures on the Bettws Estate. HMIC has not evaluated them "
           "independently and there is no evidence yet that other forces have imported them.",
           _src(NP, "Developing Practice"), S, ("np.e.evaluated-innovation", "np.e.beacon-practice")),
    ],
    "performance_management": [
        Ev("pm-information", "data", "Daily and weekly performance tracking and the monthly STCG pack",
           "Daily and weekly performance-tracking documents and a monthly strategic tasking and co-ordination "
           "group (STCG) performance pack with most similar force (MSF) and BCU comparisons. April 2006 to March "
           "2007: sanction detection rate 30% (second in the MSF group); crime down 10.9% in 2005/06 and a further "
           "1% in 2006/07, on profile for the 18% three-year reduction target.",
           _src(PM, "Contextual factors"), S, ("pm.f.performance-information",), DOCUMENTS),
        Ev("pm-reviews", "observation", "Chief officer and divisional performance reviews",
           "Systematic performance review: the Chief Constable chairs the monthly STCG, attended by all divisional "
           "commanders and heads of department, with force-level performance review; chief officer monthly "
           "reviews at divisional commander and head of department level; performance group meetings at force, "
           "divisional and section level hold staff to account, a framework 'permeated through all divisional "
           "and departmental levels'.",
           _src(PM, "Strengths; Contextual factors"), S, ("pm.f.chief-officer-reviews", "pm.f.reviews-at-every-level")),
        Ev("pm-authority", "document", "Police authority scrutiny of performance",
           "The police authority holds the Chief Constable to account at its monthly, formally minuted corporate "
           "planning and performance committee; a security-cleared member attends force performance reviews at "
           "all levels.",
           _src(PM, "Strengths"), S, ("pm.f.police-authority-scrutiny",), DOCUMENTS),
        Ev("pm-plans", "document", "Divisional policing plans and the planning cycle",
           "Each division has an annual policing plan reflecting national and force objectives and local "
           "priorities from community consultation, with monthly progress updates to chief officers. An "
           "integrated planning cycle, in place for two full years, joins up departments, partners and the "
           "police authority with a developing cost-based approach; its link to NIM processes is evolving.",
           _src(PM, "Strengths"), S, ("pm.f.plans-reflect-priorities", "pm.g.integrated-planning"), DOCUMENTS),
        Ev("pm-culture", "focus_group", "Culture change, staff feedback and recognition",
           "The Listen Programme and the Chief Constable's road shows, supported by intranet information; "
           "commendation ceremonies at force and BCU level including awards for the public and partners; internal "
           "feedback on strategies and plans through an annual police authority and corporate services process and "
           "divisional supervisor development seminars.",
           _src(PM, "Strengths"), S, ("pm.g.staff-engaged-and-recognised",)),
        Ev("pm-public-views", "survey", "Your Voice Does Count survey and community consultation",
           "Force-wide, externally managed and validated survey in early 2007 (about 4,500 residents; 65% good "
           "job, 67% dealing with their concerns); two localised follow-ups; a database of residents willing to "
           "be consulted is being built with the police authority; road shows at supermarkets with the police "
           "authority between June and September 2007.",
           _src(PM, "Strengths; Work in progress"), S, ("pm.g.public-views-inform-performance",)),
        Ev("pm-convergence", "document", "Data-convergent performance system (being acquired)",
           "The force is acquiring a system to amalgamate live performance information from force systems, at "
           "every level from individual officer to force; HMIC: it 'may well be 'beacon' practice once "
           "established'. Not yet in place.",
           _src(PM, "Work in progress"), W, ("pm.g.performance-at-every-level", "pm.e.beacon-practice")),
        Ev("pm-strategy", "document", "Performance management strategy (draft)",
           "The performance management strategy, setting out accountabilities, aims and processes, is nearing "
           "completion but not yet published.",
           _src(PM, "Work in progress"), W, ("pm.g.performance-strategy",)),
        Ev("pm-victims-code", "interview", "Crime investigation records and the Victims' Code",
           "Records of key aspects of crime investigations are paper based and the force has no system to test "
           "compliance with the Code of Practice for Victims of Crime; the Guardian 2 crime management platform "
           "goes live in October 2007.",
           _src(PM, "Areas for improvement"), A, ("pm.f.victims-code-compliance-tested",)),
        Ev("pm-resources", "interview", "Resource allocation against workload",
           "The current method of resource allocation, particularly in divisions, does not fully reflect "
           "workload, risk management and priorities; the 2011 project will reshape the force, with a resource "
           "allocation matrix for neighbourhood teams in the interim.",
           _src(PM, "Areas for improvement"), A, ("pm.f.resources-follow-workload",)),
        Ev("pm-outcomes", "interview", "Outcome analysis of objectives",
           "No systematic outcome analysis of objectives against cost (efficiency, economy, effectiveness); "
           "activity-based costing is planned this year to inform the 2011 review.",
           _src(PM, "Areas for improvement"), A, ("pm.g.outcome-analysis",)),
        Ev("pm-pdr", "data", "PDR completion",
           "Annual PDR of each officer and member of staff against objectives; the force acknowledges problems "
           "with completion rates, which are monitored at the force STCG.",
           _src(PM, "Areas for improvement"), A, ("pm.f.pdr-completed",)),
        Ev("pm-audit", "document", "Internal audit and review",
           "Risk-based internal audit and review of quality and compliance has been limited; audit capacity has "
           "been increased and a business unit review process on EFQM principles, with scheduled and risk-based "
           "audit, is planned.",
           _src(PM, "Areas for improvement"), A, ("pm.f.internal-audit", "pm.e.quality-review-cycle")),
    ],
    "pvp_overview": [
        Ev("pvp-lead", "interview", "Chief officer lead and public protection units",
           "The ACC is the strategic lead for all aspects of protecting vulnerable people. All three divisions "
           "have a PPU overseen by a detective inspector, housing child protection investigators, PPOs and DVOs; "
           "in some divisions the disciplines are co-located and exchange information routinely.",
           _src(PVP, "Strengths"), S, ("pvp.f.chief-officer-lead", "pvp.f.specialist-units")),
        Ev("pvp-governance", "document", "Doctrine programme board and supervisor development seminars",
           "An NPIA programme board chaired by the DCC governs implementation of NCPE doctrine on domestic "
           "violence, child protection and missing persons; supervisor development seminars (started in C "
           "Division, quarterly for every operational sergeant and inspector) include public protection policy.",
           _src(PVP, "Strengths"), S, ("pvp.g.doctrine-governance",)),
        Ev("pvp-welfare", "interview", "Occupational health and counselling for public protection staff",
           "Policy requires a mandatory annual occupational health interface, but no individual sessions are "
           "booked, officers do not always self-refer and nothing follows; a stress management policy is being "
           "written.",
           _src(PVP, "Work in progress"), W, ("pvp.f.staff-welfare",)),
        Ev("pvp-audit", "interview", "Thematic audit of public protection",
           "No periodic thematic audit and review of public protection work to test compliance, corporacy and "
           "consistency, or to health-check staffing and workloads.",
           _src(PVP, "Areas for improvement"), A, ("pvp.g.thematic-audit",)),
        Ev("pvp-staffing", "document", "Staffing levels and supervisory accountability",
           "Staffing and supervisory levels rest on a historical rationale (now examined by the service "
           "improvement review); accountability at DS level is unclear where several DSs manage the same "
           "officers; the supervisory job description dates from September 2000 and is generic.",
           _src(PVP, "Areas for improvement"), A,
           ("pvp.g.workload-based-staffing", "pvp.f.supervisory-accountability")),
        Ev("pvp-planning", "document", "Policing plan, strategic assessment, training strategy and indicators",
           "No specific reference to public protection in the policing plan or strategic assessment; the "
           "training strategy does not place public protection training among priorities; no suite of public "
           "protection performance indicators yet (plans in hand).",
           _src(PVP, "Areas for improvement"), A,
           ("pvp.g.strategic-assessment-includes-pp", "pvp.g.training-strategy", "pvp.g.performance-indicators")),
        Ev("pvp-review", "document", "Service improvement review of public protection (August 2007)",
           "The force's comprehensive review of child protection, domestic violence, violent and sex offenders "
           "and missing persons was published in August 2007 for a review board chaired by the ACC; it covers "
           "staffing levels, DS accountability and a central referral unit.",
           _src(PVP, "Contextual factors overview"), W,
           ("pvp.g.workload-based-staffing", "pvp.f.supervisory-accountability"), LATE),
    ],
    "child_abuse": [
        Ev("ca-units", "interview", "Chief officer lead and child abuse investigation units",
           "The ACC is strategic lead; every division has a PPU overseen by a detective inspector that "
           "investigates child protection matters; all child abuse investigators are required to be accredited "
           "detectives. An NCPE programme board chaired by the DCC governs implementation of doctrine.",
           _src(CA, "Strengths"), S, ("ca.f.specialist-investigators",)),
        Ev("ca-policy", "document", "Child abuse policy and procedures",
           "An updated policy and procedures document, recently published, complies with the ACPO guidance on "
           "investigating child abuse and safeguarding children.",
           _src(CA, "Strengths"), S, ("ca.f.policy-complies-acpo",), DOCUMENTS),
        Ev("ca-strategy-discussions", "document", "Strategy discussions, meetings and case conferences",
           "The force contributes positively and appropriately to strategy discussions and meetings and case "
           "conferences, which are recorded and retained on the relevant files.",
           _src(CA, "Strengths"), S, ("ca.f.strategy-discussions",)),
        Ev("ca-training", "document", "Control room, supervisor and designated officer training",
           "Control room staff trained by specialists, with aide-memoire cards; supervisor development seminars "
           "include public protection and train designated officers (inspector rank) for police protection, "
           "with a training gap for those already in post.",
           _src(CA, "Strengths"), S, ("ca.g.frontline-and-supervisor-training",)),
        Ev("ca-incident-logs", "document", "Command and control interface with the family unit database",
           "Every ORIS log closed as a child protection incident transfers automatically to a PPU, which flags the "
           "address; the method relies on accurate closure of every log and there is no audit to catch logs that "
           "are not closed that way.",
           _src(CA, "Strengths"), S, ("ca.f.incident-logs-reach-unit",)),
        Ev("ca-performance", "interview", "Performance review of public protection",
           "The DCC's monthly performance reviews with divisional commanders allow the ACC to raise public "
           "protection issues (e.g. IMPACT nominal index usage); a suite of quantitative and qualitative "
           "indicators is planned but not yet developed.",
           _src(CA, "Strengths; Work in progress"), W, ("ca.g.performance-indicators",)),
        Ev("ca-lscb", "interview", "Local Safeguarding Children Boards",
           "Five LSCBs are established and the police are represented on each; a pan-Gwent away-day (November "
           "2006) with strategic partners managed the transition from area child protection committees, with a "
           "follow-up on performance indicators. HMIC: clear working plans should be developed for each board.",
           _src(CA, "Strengths"), S, ("ca.f.lscb-attendance", "ca.e.lscb-working-plans")),
        Ev("ca-lscb-minutes", "document", "Scrutiny of LSCB minutes",
           "Force expectations on LSCB representation are clear (the HQ DCI, or exceptionally a divisional DI), "
           "but a scrutiny of LSCB minutes revealed that some meetings had no police representation.",
           _src(CA, "Areas for improvement"), A, ("ca.f.lscb-attendance",)),
        Ev("ca-jica", "document", "Joint investigation of child abuse (JICA) training",
           "The force's joint training package is delivered instead of the Centrex package; whether it meets the "
           "Centrex standard is being assessed, and not all CAIU officers and supervisors have had it.",
           _src(CA, "Work in progress"), W, ("ca.g.investigator-training",)),
        Ev("ca-referrals", "interview", "Referrals to children's social care",
           "The referral process is a paper form faxed to social services, with a copy placed in a binder with "
           "the receipt. It can - and occasionally does - fail without any follow up: an officer can record on "
           "ORIS that the form was sent and then not send it. No safeguard detects a referral that failed.",
           _src(CA, "Areas for improvement"), A, ("ca.f.referral-safeguards",)),
        Ev("ca-joint-investigation", "interview", "Criteria for joint investigation with social services",
           "Divisional CAIUs do not work to a consistent standard in identifying cases that should trigger a "
           "joint investigation with social services; no guidance agreed with social services in line with "
           "Working Together to Safeguard Children.",
           _src(CA, "Areas for improvement"), A, ("ca.f.joint-investigation-criteria",)),
        Ev("ca-consistency", "interview", "Consistency of the divisional child abuse investigation units",
           "The CAIU terms of reference are force policy but the divisional units all operate differently: an "
           "investigation handled by a specialist with other agencies in one division may be handled by a "
           "uniformed constable in another. The service improvement review is likely to lead to a central "
           "referral unit.",
           _src(CA, "Areas for improvement"), A,
           ("ca.f.units-operate-consistently", "ca.f.joint-investigation-criteria")),
        Ev("ca-risk-factors", "interview", "Recording of risk factors in decisions",
           "Risk factors are in force policy, consistent with the ACPO guidance, but there is no formal process "
           "for recording which factors were considered, and possibly discounted, to support each decision where "
           "a child is a potential victim.",
           _src(CA, "Areas for improvement"), A, ("ca.f.risk-factors-recorded",)),
        Ev("ca-audit", "interview", "Thematic audit of child abuse work",
           "The force does not undertake periodic thematic audit and review of public protection work, including "
           "child abuse, to test compliance with policy, corporacy and consistency, or staffing and workloads; "
           "chief officers have no overview independent of divisional commanders' advice.",
           _src(CA, "Areas for improvement"), A, ("ca.f.thematic-audit",)),
        Ev("ca-supervision", "document", "Supervisory accountability and job descriptions",
           "Accountability at DS level is unclear (on one division three DSs share public protection, domestic "
           "abuse and child protection with no clear lines of responsibility); the supervisory job description, "
           "last updated in September 2000, is generic.",
           _src(CA, "Areas for improvement"), A, ("ca.f.supervisory-accountability",)),
        Ev("ca-staffing", "document", "Staffing levels for child abuse investigation",
           "Staffing and supervisory levels rest on a historical rationale, now examined by the service "
           "improvement review.",
           _src(CA, "Areas for improvement"), A, ("ca.g.workload-based-staffing",)),
        Ev("ca-welfare", "interview", "Counselling for child abuse investigators",
           "Mandatory annual occupational health interface in policy; in practice no sessions are booked, "
           "officers do not always self-refer, and no action follows.",
           _src(CA, "Areas for improvement"), A, ("ca.f.staff-welfare",)),
        Ev("ca-plan", "document", "Child protection in the policing plan and strategic assessment",
           "No specific reference to public protection or child protection in the policing plan or strategic "
           "assessment.",
           _src(CA, "Areas for improvement"), A, ("ca.g.strategic-assessment",), DOCUMENTS),
        Ev("ca-development", "focus_group", "Professional development of specialist officers",
           "No regular professional development seminars with partners; all officers interviewed wanted joint "
           "case conference training, feeling relatively unequipped to represent the police in those meetings.",
           _src(CA, "Areas for improvement"), A, ("ca.g.joint-professional-development",)),
    ],
    "domestic_violence": [
        Ev("dv-units", "interview", "Chief officer lead and domestic violence officers",
           "The ACC is strategic lead; every division has a PPU overseen by a detective inspector that "
           "investigates domestic violence matters and houses the DVOs.",
           _src(DV, "Strengths"), S, ("dv.f.specialist-staff",)),
        Ev("dv-policy", "document", "Domestic violence policy and procedures",
           "Force policy and procedures have recently been implemented and reflect the ACPO Guidance on "
           "Investigating Domestic Violence; comprehensive force policy on MARAC complies with ACPO guidance.",
           _src(DV, "Strengths"), S, ("dv.f.policy-complies-acpo", "dv.f.marac"), DOCUMENTS),
        Ev("dv-risk-identifier", "document", "Risk identification at incidents (the DV1 process)",
           "The force has introduced a risk identifier process mirroring the ACPO guidance: the first responding "
           "officer completes a DV1 form at every domestic violence incident, which forms the basis of the risk "
           "assessment completed by the DVO. HMIC: 'in principle this is a sensible and necessary approach'.",
           _src(DV, "Strengths; Areas for improvement"), S, ("dv.f.risk-identified-every-incident",)),
        Ev("dv-marac", "document", "Multi-agency risk assessment conferences",
           "The MARAC approach began in South Wales in 2003 and was independently evaluated by Cardiff "
           "University. Two of Gwent's three divisions have MARACs (Home Office-funded administrators, future "
           "funding in doubt); the third has just received Home Office funding to set one up.",
           _src(DV, "Strengths"), S, ("dv.f.marac", "dv.e.evaluated-innovation")),
        Ev("dv-sarc", "document", "Sexual assault referral centre",
           "Gwent is one of a small number of forces (14 SARCs nationally) that have invested time and resources "
           "in partnership to set up a sexual assault referral centre.",
           _src(DV, "Strengths"), S, ("dv.e.sarc",), DOCUMENTS),
        Ev("dv-control-room", "document", "Domestic violence training for control room staff",
           "Specialist officers have trained control room staff in their responsibilities, with aide-memoire "
           "cards.",
           _src(DV, "Strengths"), S, ("dv.g.frontline-training",)),
        Ev("dv-backlog", "data", "DV1 backlog",
           "Uniformed officers and first-line supervisors see the DV1 as overly burdensome; the importance of "
           "prompt completion is not always recognised, and DVOs are chasing a backlog dating back to December "
           "2006 of approximately 450 cases in just two divisions - 'this poses a risk to the force and devalues "
           "the process'.",
           _src(DV, "Areas for improvement"), A,
           ("dv.f.risk-forms-processed-promptly", "dv.f.risk-identified-every-incident", "dv.g.frontline-training")),
        Ev("dv-paper", "observation", "Paper-based risk assessment and the DVO's role",
           "The DV1 is submitted on paper and the DVO completes the risk assessment manually (other forces have "
           "electronic systems that give the DVO a risk score). The volume of forms has turned DVOs into "
           "office-based risk assessment processors: continual contact with victims and dynamic risk assessment "
           "have largely ceased.",
           _src(DV, "Areas for improvement"), A, ("dv.g.automatic-risk-score", "dv.g.dvo-role")),
        Ev("dv-recording", "observation", "Recording of DV1 information",
           "The DV1 is partially entered on the family unit database (FUD) to acknowledge submission; much of "
           "its information is not entered on any force system, so it cannot be analysed.",
           _src(DV, "Areas for improvement"), A, ("dv.f.risk-information-recorded",)),
        Ev("dv-incident-logs", "document", "Command and control logs closed as domestic violence",
           "ORIS logs closed as DV transfer automatically to the PPU, which flags the address; this relies on "
           "accurate closure of every relevant log and there is no audit to find logs that should have been "
           "closed as DV.",
           _src(DV, "Areas for improvement"), A, ("dv.f.incident-logs-audited",)),
        Ev("dv-investigation", "interview", "Investigation and supervision of domestic violence crime",
           "Secondary investigation is by uniformed response officers overseen by response supervisors, with no "
           "additional support or resilience for high or very high risk victims; the role of the DSs (DV) is "
           "unclear and they do not set or review investigation strategies.",
           _src(DV, "Areas for improvement"), A,
           ("dv.g.high-risk-investigation-support", "dv.f.investigations-supervised")),
        Ev("dv-children", "interview", "Referral of children in households with domestic violence",
           "A copy of a simple paper form, faxed to social services, is submitted with the DV1 to the PPU; the "
           "process can and does fail without follow up (an officer can record on ORIS that the form was sent "
           "and not send it).",
           _src(DV, "Areas for improvement"), A, ("dv.f.children-referred",)),
        Ev("dv-training", "document", "Specialist and front-line domestic violence training",
           "None of the DVOs had done the Centrex DV modules (Module 5, including risk); no training plan for "
           "specialist roles; some officers trained but no comprehensive plan for front-line officers and staff.",
           _src(DV, "Areas for improvement"), A, ("dv.g.specialist-training", "dv.g.frontline-training")),
        Ev("dv-tasking", "document", "Domestic violence at divisional tasking",
           "DV is not a standing item at divisional tasking meetings and there are no owned action plans for "
           "priority serial and repeat offenders.",
           _src(DV, "Areas for improvement"), A, ("dv.g.tasking-includes-dv",)),
    ],
    "public_protection": [
        Ev("pp-governance", "document", "MAPPA governance and headquarters capacity",
           "The ACC chairs the MAPPA strategic management board; a MAPPA co-ordinator has recently been "
           "appointed; divisional commanders hold operational responsibility; a small HQ team under a detective "
           "superintendent leads policy and strategy. 529 people in Gwent were being risk managed through MAPPA "
           "at the time of inspection.",
           _src(PP, "Strengths; Contextual factors"), S,
           ("pp.f.mappa-governance", "pp.f.risk-management-plans-current"), DOCUMENTS),
        Ev("pp-policy", "document", "Public protection policy and procedures",
           "A 'working draft' policy and procedures, published ahead of the awaited national ACPO/NCPE guidance, "
           "complies with current guidance; role descriptions for public protection officers are up to date.",
           _src(PP, "Strengths"), S, ("pp.f.policy-complies-guidance", "pp.g.joint-mappa-training"), DOCUMENTS),
        Ev("pp-usk", "interview", "Prison release intelligence and ViSOR",
           "Ahead of prison service access to ViSOR, an informal arrangement with HMP Usk shares a comprehensive "
           "intelligence package on all MAPPA category 1 prison releases; Gwent populates ViSOR whatever the "
           "destination force. All officers and staff with ViSOR access are vetted to security check level.",
           _src(PP, "Strengths"), S, ("pp.f.offenders-on-visor", "pp.e.custody-intelligence-sharing")),
        Ev("pp-chairs", "document", "Joint training for MAPPA chairs",
           "Joint police/probation training for MAPPA chairs, developed locally ahead of the recommended NPIA "
           "package, for consistency of knowledge and approach.",
           _src(PP, "Strengths"), S, ("pp.g.joint-mappa-training",)),
        Ev("pp-training", "document", "Accredited offender management training",
           "Nationally accredited Sex and Violent Offender Management Course (with RM2000): four of seven PPOs "
           "trained, the rest by the end of the year; two DSs in B Division and one in C trained, one in A due in "
           "September; each division's PPU DI trained.",
           _src(PP, "Strengths"), S, ("pp.f.specialist-training",)),
        Ev("pp-recommendations", "document", "Recommendations of the review of a high-profile case",
           "The SMB oversees recommendations from an investigation into the MAPPA handling of a high-profile "
           "sexual offender (seven to the SMB, eight to the force), several not yet implemented and with no single "
           "action plan: including a MAPPA meeting before licence expiry, home-visit frequency in risk management "
           "plans, and minimum standards of supervision for PPOs. A generic pre-visit risk assessment template "
           "and a review of the management of all registered sex offenders (reporting August 2007) are under way.",
           _src(PP, "Work in progress"), W,
           ("pp.g.review-recommendations-implemented", "pp.g.visiting-regime", "pp.f.home-visits-risk-assessed"),
           LATE),
        Ev("pp-file-sample", "case_file_sample", "File sample of six high-risk category 1 offenders",
           "Six high-risk category 1 offenders' ViSOR records checked against force policy (all information on "
           "MAPPA offenders to be on ViSOR): in all six, risk management plans were not up to date; in three, home "
           "visits were overdue; in all six, no record of supervisors' approvals. HMIC: 'it would not be "
           "appropriate to draw definitive conclusions from such a small sample', but the findings are "
           "'illustrative of underlying problems'; corporate ViSOR standards are advised.",
           _src(PP, "Areas for improvement"), A,
           ("pp.f.risk-management-plans-current", "pp.f.visor-records-current", "pp.f.ppo-supervision")),
        Ev("pp-supervision", "interview", "Supervision of public protection officers",
           "Some PPU DSs are not trained in public protection and their workload across the specialisms leaves "
           "PPOs largely unsupervised by first-line managers (the subject of two recommendations of an external "
           "review).",
           _src(PP, "Areas for improvement"), A, ("pp.f.ppo-supervision",)),
        Ev("pp-home-visits", "interview", "Home visits to managed offenders",
           "Single officers conduct most home visits; no evidence of formal pre-visit risk assessment; most PPOs "
           "work office hours, so offenders are unlikely to be visited in the evening or at weekends.",
           _src(PP, "Areas for improvement"), A, ("pp.f.home-visits-risk-assessed", "pp.g.visiting-regime")),
        Ev("pp-caseload", "data", "Caseload per public protection officer",
           "Average offenders managed per PPO: A Division 43, B Division 72, C Division 89 (C partly rural, with "
           "long travel); no ViSOR administrative support in any division; no resilience for PPO absence.",
           _src(PP, "Areas for improvement"), A, ("pp.f.caseload-manageable",)),
        Ev("pp-intelligence", "interview", "Intelligence reaching public protection officers",
           "No systematic method alerts PPOs to intelligence that could raise an offender's risk (an IPCC review "
           "recommendation). Guardian 2, published in two parts in August 2007, will flag a sex offender entered "
           "as victim, offender or witness to the PPO and FIB.",
           _src(PP, "Areas for improvement; Work in progress"), A, ("pp.f.intelligence-reaches-ppo",)),
        Ev("pp-neighbourhood", "focus_group", "Neighbourhood officers and managed offenders",
           "A few neighbourhood officers knew, through briefing, of the highest-risk nominals, but the force does "
           "not routinely involve neighbourhood staff in intelligence gathering on MAPPA nominals.",
           _src(PP, "Areas for improvement"), A, ("pp.g.neighbourhood-officers-involved",)),
        Ev("pp-level3", "document", "Representation at MAPPA level 3 meetings",
           "Draft guidelines suggest a BCU commander or equivalent; Gwent is represented by divisional DCIs.",
           _src(PP, "Areas for improvement"), A, ("pp.g.level3-representation",)),
        Ev("pp-control-room", "interview", "Control room and ViSOR awareness",
           "Control room staff have no write access to the intelligence system; outside public protection there "
           "is little knowledge of what ViSOR holds or of out-of-hours access through control room supervisors.",
           _src(PP, "Areas for improvement"), A, ("pp.g.control-room-intelligence",)),
    ],
    "missing_persons": [
        Ev("mp-lead", "interview", "Chief officer lead for missing persons",
           "The ACC holds portfolio responsibility for missing persons; divisional commanders own the work "
           "operationally, with an HQ detective superintendent as policy lead.",
           _src(MP, "Strengths; Contextual factors"), S, ("mp.f.chief-officer-lead",)),
        Ev("mp-policy", "document", "Missing persons policy and procedures",
           "Recently implemented policy and procedures comply with the ACPO/NCPE guidance and set out the "
           "recording process, risk assessment, tactical options, supervisory responsibilities and review "
           "requirements.",
           _src(MP, "Strengths"), S, ("mp.f.policy-complies-acpo", "mp.f.risk-assessed-at-report"), DOCUMENTS),
        Ev("mp-high-risk", "interview", "Supervision of high-risk enquiries",
           "High-risk, vulnerable missing person enquiries are the responsibility of the neighbourhood section "
           "inspector and are overseen at an early stage by a detective inspector. There are clearly defined "
           "review criteria; however, the force has no mechanism to monitor compliance.",
           _src(MP, "Strengths"), S, ("mp.f.high-risk-supervised-to-criteria", "mp.f.review-compliance-monitored")),
        Ev("mp-daily", "observation", "Daily management and tactical tasking meetings",
           "Missing persons are an agenda item at daily management meetings and are discussed at tactical "
           "tasking meetings as appropriate.",
           _src(MP, "Strengths"), S, ("mp.f.daily-oversight",)),
        Ev("mp-volume", "data", "Missing person reports, April 2006 to March 2007",
           "4,440 missing persons investigated: 2,286 high risk, 859 medium, 716 low and 579 unauthorised "
           "absences from care.",
           _src(MP, "Contextual factors"), None, ("mp.f.risk-assessed-at-report",), DOCUMENTS),
        Ev("mp-analysis", "interview", "Access to missing person data for analysis",
           "Listed among the report's Strengths, but describes a gap: details of missing person investigations "
           "cannot easily be accessed by intelligence staff for analysis and NIM products; they are raised at "
           "tactical tasking meetings.",
           _src(MP, "Strengths"), A, ("mp.g.repeat-locations-analysed",)),
        Ev("mp-it", "document", "Procurement of a missing persons IT system",
           "Jointly with a neighbouring force the force is procuring a dedicated system for recording and "
           "investigating missing person enquiries that will enable analysis, audit and review and generate "
           "performance data; expected in late autumn 2007.",
           _src(MP, "Work in progress; Areas for improvement"), W,
           ("mp.g.investigation-tracking-system", "mp.g.performance-data")),
        Ev("mp-seminars", "document", "Sergeants' and inspectors' development seminars",
           "C Division's quarterly sergeants' development seminars (covering DV and missing persons) and "
           "bi-monthly inspectors' days are being rolled out to all divisions.",
           _src(MP, "Work in progress"), W, ("mp.g.supervisor-development",)),
        Ev("mp-training", "document", "Missing persons training",
           "Student officers are trained in immediate actions and initial risk assessment and newly promoted "
           "sergeants have an input; there is no current training, in any format, for other officers.",
           _src(MP, "Areas for improvement"), A, ("mp.f.officers-trained",)),
        Ev("mp-recording", "observation", "Recording of investigation actions",
           "Investigation actions are recorded on the command and control system, acknowledged to be inadequate "
           "but serving 'reasonably well' as an interim solution pending the bespoke package.",
           _src(MP, "Areas for improvement"), A, ("mp.f.investigation-recorded",)),
        Ev("mp-synopsis", "document", "Communication of the missing persons policy",
           "The policy is comprehensive but extremely lengthy; a brief synopsis would help staff and officers know "
           "what their role requires.",
           _src(MP, "Areas for improvement"), A, ("mp.f.policy-communicated",)),
        Ev("mp-compliance-mechanism", "interview", "Assurance of compliance with policy",
           "Compliance with force policy is a divisional responsibility; the force has no mechanism to satisfy "
           "the chief officer team as to the level of compliance or the degree of corporacy.",
           _src(MP, "Areas for improvement"), A, ("mp.f.review-compliance-monitored",)),
    ],
}

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
# Gwent: the assessment of every criterion, with the evidence it rests on
# ================================================================================================

NO_BEACON = ("The report records no evidence that other forces have imported this practice from Gwent, which "
             "is what the report's grading process asks for a 'beacon'.")

GWENT_ASSESSMENTS: dict[str, tuple[Result, str, tuple[str, ...]]] = {
    # --- Neighbourhood Policing: every significant Fair criterion rests on a Strength; the Areas
    # for improvement fall on Fair criteria that are not significant and on Good ones -> Fair.
    "np.f.chief-officer-lead": (MET, "Strong ACPO lead; Neighbourhood Policing is a central theme of the 2007/08 "
                                "policing plan; the DCC chairs the programme board and the implementation team "
                                "works to a project plan with agreed milestones.", ("np-lead",)),
    "np.f.teams-in-every-neighbourhood": (MET, "Teams fully established and staffed, 100% coverage ahead of the "
                                          "April 2008 deadline; every section has an inspector with tasking "
                                          "responsibility and a dedicated sergeant.", ("np-coverage",)),
    "np.f.neighbourhoods-defined": (MET, "96 neighbourhoods coterminous with ward boundaries, defined from crime "
                                    "and deprivation statistics in consultation with communities and partners.",
                                    ("np-coverage",)),
    "np.f.public-can-contact-team": (MET, "Website leads to each neighbourhood's contacts, most with photographs, "
                                     "priorities and direct telephone and email details; the resident telephone "
                                     "survey was within the national average range.",
                                     ("np-website", "np-phone-survey")),
    "np.f.community-identifies-priorities": (MET, "A force engagement strategy sets PACT as the minimum model with "
                                             "a timetable (67% of neighbourhoods now, 100% by the end of September "
                                             "2007), and hard-to-reach groups have been engaged.", ("np-pact",)),
    "np.f.joint-problem-solving": (MET, "Joint problem solving across the majority of neighbourhoods, problems "
                                   "taken back to PACT for sign-off; action plans recorded on the neighbourhood "
                                   "database with supervisor alerts.", ("np-problem-solving", "np-database")),
    "np.f.partners-share-information": (MET, "All five local authorities have signed the Gwent information-sharing "
                                        "protocol; good working relationships with the CSPs.", ("np-partners",)),
    "np.f.neighbourhood-information-recorded": (MET, "The neighbourhood management database holds ward profiles, "
                                                "contacts, meetings and action plans force-wide for NIM and the "
                                                "control room, with alerts on plans over one month old.",
                                                ("np-database",)),
    "np.f.abstraction-defined-and-measured": (NOT_MET, "Area for improvement: the abstraction policy is not yet "
                                              "fully implemented, does not count work outside the neighbourhood "
                                              "as abstraction, and any figures on the 85% target are likely to "
                                              "be unreliable.", ("np-abstraction",)),
    "np.f.deployment-policy": (NOT_MET, "Area for improvement: no deployment policy for neighbourhood officers and "
                               "PCSOs and no corporate policy on allocating investigative work to them (Beyond the "
                               "Call has started on it).", ("np-deployment",)),
    "np.f.neighbourhood-training": (PARTLY, "PDR objectives fit the role, but the Centrex modular training is still "
                                    "being delivered, with all neighbourhood staff trained by the end of December "
                                    "2007 (Work in progress).", ("np-training",)),
    "np.g.performance-framework": (PARTLY, "Numeric and quality-of-service indicators and supervisors' dip sampling "
                                   "are being developed (Work in progress), not yet in use.", ("np-performance",)),
    "np.g.implementation-assessed": (NOT_MET, "Area for improvement: the force ought to consider developmental "
                                     "assessment to take stock of the effectiveness of implementation.",
                                     ("np-implementation",)),
    "np.g.community-bases": (NOT_MET, "Area for improvement: the estates policy should provide suitable community "
                             "bases; one base was seven miles from its neighbourhood.", ("np-estates",)),
    "np.g.resources-match-demand": (PARTLY, "A resource allocation formula exists and is being applied; BCUs are "
                                    "still reviewing against it, with adjustments in one BCU so far.",
                                    ("np-resourcing",)),
    "np.g.public-views-measured": (PARTLY, "A validated force-wide survey (about 4,500 responses) and two localised "
                                   "surveys; local measurement is yet to reach every neighbourhood.",
                                   ("np-your-voice", "np-phone-survey")),
    "np.g.partnership-intelligence": (PARTLY, "Intelligence products support neighbourhoods, but the joint "
                                      "strategic assessment with CSPs and the community intelligence strategy are "
                                      "still in development.", ("np-partnership-intelligence",)),
    "np.e.beacon-practice": (NOT_EVIDENCED, NO_BEACON, ("np-developing-practice",)),
    "np.e.evaluated-innovation": (PARTLY, "The force evaluated its developing practice examples, but the "
                                  "anti-social behaviour group matrix is not yet evaluated nor adopted force-wide.",
                                  ("np-asb-group", "np-developing-practice")),
    "np.e.community-led-problem-solving": (NOT_MET, "Most PACT meetings are chaired by police officers or "
                                           "councillors and some are not attended by local authority staff.",
                                           ("np-problem-solving",)),

    # --- Performance Management: significant Fair criteria all Strengths; the Areas for
    # improvement fall on Fair criteria that are not significant -> Fair.
    "pm.f.performance-information": (MET, "Daily and weekly tracking documents and a monthly STCG pack with MSF and "
                                     "BCU comparisons let the force identify and react to changes in performance.",
                                     ("pm-information",)),
    "pm.f.chief-officer-reviews": (MET, "The Chief Constable chairs the monthly STCG; chief officers hold monthly "
                                   "reviews with divisional commanders and heads of department.", ("pm-reviews",)),
    "pm.f.reviews-at-every-level": (MET, "Performance group meetings at force, divisional and section level; the "
                                    "framework is 'permeated through all divisional and departmental levels'.",
                                    ("pm-reviews",)),
    "pm.f.police-authority-scrutiny": (MET, "Monthly, formally minuted corporate planning and performance committee "
                                       "holds the Chief Constable to account.", ("pm-authority",)),
    "pm.f.plans-reflect-priorities": (MET, "Divisional annual policing plans reflect national, force and community "
                                      "priorities, with monthly progress reports.", ("pm-plans",)),
    "pm.f.victims-code-compliance-tested": (NOT_MET, "Area for improvement: investigation records are paper based "
                                            "and no system tests compliance with the Victims' Code.",
                                            ("pm-victims-code",)),
    "pm.f.resources-follow-workload": (PARTLY, "Area for improvement: allocation 'does not fully reflect workload, "
                                       "risk management and priorities'; an interim matrix covers neighbourhood "
                                       "teams.", ("pm-resources",)),
    "pm.f.pdr-completed": (PARTLY, "Annual PDRs against objectives exist and completion is monitored at STCG, but "
                           "the force acknowledges problems with completion rates.", ("pm-pdr",)),
    "pm.f.internal-audit": (PARTLY, "Area for improvement: risk-based audit and review 'has been limited'; capacity "
                            "has been increased and a review cycle is planned.", ("pm-audit",)),
    "pm.g.integrated-planning": (MET, "A planning cycle in place for two full years joins up departments, partners "
                                 "and the police authority with a cost-based approach.", ("pm-plans",)),
    "pm.g.performance-strategy": (PARTLY, "The performance management strategy is nearing completion but not yet "
                                  "published (Work in progress).", ("pm-strategy",)),
    "pm.g.performance-at-every-level": (NOT_MET, "Live information from officer to force level awaits the "
                                        "data-convergent system the force is acquiring.", ("pm-convergence",)),
    "pm.g.outcome-analysis": (NOT_MET, "Area for improvement: no systematic outcome analysis of objectives against "
                              "cost.", ("pm-outcomes",)),
    "pm.g.public-views-inform-performance": (MET, "Externally validated survey of about 4,500 residents and direct "
                                             "consultation with the police authority.", ("pm-public-views",)),
    "pm.g.staff-engaged-and-recognised": (MET, "Listen Programme led by the Chief Constable, staff feedback on "
                                          "plans, and commendation ceremonies at force and BCU level.",
                                          ("pm-culture",)),
    "pm.e.beacon-practice": (NOT_MET, "The performance system 'may well be beacon practice once established'; it "
                             "is not yet established or imported by others.", ("pm-convergence",)),
    "pm.e.evaluated-innovation": (NOT_EVIDENCED, "The report describes no new way of managing performance that the "
                                  "force has introduced and evaluated.", ()),
    "pm.e.quality-review-cycle": (NOT_MET, "An EFQM-based business unit review process is planned, not running.",
                                  ("pm-audit",)),

    # --- Protecting Vulnerable People overview (reported, not graded).
    "pvp.f.chief-officer-lead": (MET, "The ACC is strategic lead for all four disciplines under single ownership.",
                                 ("pvp-lead",)),
    "pvp.f.specialist-units": (MET, "Every division has a PPU under a detective inspector housing the specialists; "
                               "co-located in some divisions.", ("pvp-lead",)),
    "pvp.f.supervisory-accountability": (NOT_MET, "Area for improvement: DS accountability unclear; supervisory job "
                                         "description generic and dated September 2000.",
                                         ("pvp-staffing", "pvp-review")),
    "pvp.f.staff-welfare": (NOT_MET, "In practice no occupational health sessions are booked and nothing follows "
                            "when officers do not self-refer.", ("pvp-welfare",)),
    "pvp.g.doctrine-governance": (MET, "NPIA programme board chaired by the DCC; quarterly supervisor development "
                                  "seminars with public protection inputs.", ("pvp-governance",)),
    "pvp.g.thematic-audit": (NOT_MET, "Area for improvement: no periodic thematic audit of public protection.",
                             ("pvp-audit",)),
    "pvp.g.workload-based-staffing": (NOT_MET, "Staffing rests on a historical rationale, now under the service "
                                      "improvement review.", ("pvp-staffing", "pvp-review")),
    "pvp.g.strategic-assessment-includes-pp": (NOT_MET, "No specific reference to public protection in the policing "
                                               "plan or strategic assessment.", ("pvp-planning",)),
    "pvp.g.training-strategy": (NOT_MET, "The training strategy does not place public protection training among "
                                "its priorities.", ("pvp-planning",)),
    "pvp.g.performance-indicators": (NOT_MET, "No suite of public protection indicators yet; plans are in hand.",
                                     ("pvp-planning",)),

    # --- Child Abuse: Poor. 'The weaknesses in corporacy, resilience and referral criteria to
    # social services mean that the force is carrying a high level of risk.' Six of the eight
    # significant Fair criteria are missed, five of them not met, two of those dominant.
    "ca.f.policy-complies-acpo": (MET, "The recently published policy and procedures comply with the ACPO guidance "
                                  "on investigating child abuse and safeguarding children.", ("ca-policy",)),
    "ca.f.specialist-investigators": (MET, "A PPU under a detective inspector in every division investigates child "
                                      "protection; investigators are required to be accredited detectives.",
                                      ("ca-units",)),
    "ca.f.referral-safeguards": (NOT_MET, "Area for improvement: referrals are faxed paper forms with a copy in a "
                                 "binder; the process 'can - and occasionally does - fail without there being any "
                                 "follow up', and nothing detects a referral recorded as sent but never sent. "
                                 "Computed from the force's records: {ca_ack}.", ("ca-referrals", "ca-compliance")),
    "ca.f.joint-investigation-criteria": (NOT_MET, "Area for improvement: divisional CAIUs 'do not work to a "
                                          "consistent standard in identifying those cases that should trigger a "
                                          "joint investigation with social services'; no agreed guidance. "
                                          "Computed from the force's records against the agreed criteria: "
                                          "{ca_joint}.", ("ca-joint-investigation", "ca-consistency",
                                                          "ca-compliance", "ca-sample")),
    "ca.f.risk-factors-recorded": (NOT_MET, "Area for improvement: 'there is no formal process for identifying "
                                   "whether all or some of the risk factors have been considered, and possibly then "
                                   "discounted, to support decisions made'. Computed from the force's records: "
                                   "{ca_factors}; {ca_sample}.", ("ca-risk-factors", "ca-compliance", "ca-sample")),
    "ca.f.units-operate-consistently": (NOT_MET, "Area for improvement: the terms of reference are force policy but "
                                        "'in reality the division-based units all operate differently'; the same "
                                        "case may go to a specialist or to a uniformed constable. Computed from the "
                                        "force's records: {ca_joint_divisions}.", ("ca-consistency", "ca-compliance")),
    "ca.f.thematic-audit": (NOT_MET, "Area for improvement: no periodic thematic audit of child abuse work to test "
                            "compliance, consistency, staffing and workloads for chief officers.", ("ca-audit",)),
    "ca.f.lscb-attendance": (PARTLY, "Police are represented on all five LSCBs and the policy is clear, but LSCB "
                             "minutes show some meetings had no police representation and attendance is not "
                             "monitored.", ("ca-lscb", "ca-lscb-minutes")),
    "ca.f.strategy-discussions": (MET, "The force contributes positively to strategy discussions, meetings and case "
                                  "conferences, recorded and kept on file.", ("ca-strategy-discussions",)),
    "ca.f.supervisory-accountability": (NOT_MET, "DS accountability unclear (three DSs with no clear lines of "
                                        "responsibility on one division); generic job description from 2000.",
                                        ("ca-supervision",)),
    "ca.f.incident-logs-reach-unit": (PARTLY, "Logs closed as child protection reach the PPU automatically and "
                                      "addresses are flagged, but there is no audit of logs that were not closed "
                                      "that way. Beacon's audit with the closure signals: {ca_logs}.",
                                      ("ca-incident-logs", "ca-compliance")),
    "ca.f.staff-welfare": (NOT_MET, "Counselling required by policy is not booked in practice and nothing follows.",
                           ("ca-welfare",)),
    "ca.g.investigator-training": (PARTLY, "The JICA package is being assessed against the Centrex standard and not "
                                   "all CAIU officers and supervisors have had it.", ("ca-jica",)),
    "ca.g.frontline-and-supervisor-training": (PARTLY, "Control room staff and new supervisors are trained, with a "
                                               "training gap for designated officers already in post.",
                                               ("ca-training",)),
    "ca.g.joint-professional-development": (NOT_MET, "No regular joint professional development; officers felt "
                                            "unequipped for case conferences.", ("ca-development",)),
    "ca.g.workload-based-staffing": (NOT_MET, "Staffing rests on a historical rationale.", ("ca-staffing",)),
    "ca.g.strategic-assessment": (NOT_MET, "No specific reference to child protection in the policing plan or "
                                  "strategic assessment.", ("ca-plan",)),
    "ca.g.performance-indicators": (PARTLY, "The ACC raises issues at the DCC's monthly reviews, but the suite of "
                                    "indicators is still planned.", ("ca-performance",)),
    "ca.e.beacon-practice": (NOT_EVIDENCED, NO_BEACON, ()),
    "ca.e.evaluated-innovation": (NOT_EVIDENCED, "The report describes no evaluated innovation in safeguarding "
                                  "children or investigating child abuse.", ()),
    "ca.e.lscb-working-plans": (NOT_MET, "HMIC: clear working plans 'should be developed' for each of the five "
                                "LSCBs; they are not yet in place.", ("ca-lscb",)),

    # --- Domestic Violence: significant Fair criteria all Strengths; the DV1 backlog and the
    # other Areas for improvement fall on Fair criteria that are not significant and on Good -> Fair.
    "dv.f.policy-complies-acpo": (MET, "Policy and procedures recently implemented reflect the ACPO guidance on "
                                  "investigating domestic violence.", ("dv-policy",)),
    "dv.f.specialist-staff": (MET, "Every division's PPU, under a detective inspector, houses the DVOs; the ACC is "
                              "strategic lead.", ("dv-units",)),
    "dv.f.risk-identified-every-incident": (MET, "The risk identifier process (Strength) requires the first officer "
                                            "to complete the DV1 at every incident and it is the basis of the DVO's "
                                            "assessment - 'in principle this is a sensible and necessary approach'. "
                                            "The delays the report found are in submission and processing of the "
                                            "forms (the 450-case backlog), assessed under "
                                            "dv.f.risk-forms-processed-promptly, not an absence of risk "
                                            "identification.", ("dv-risk-identifier", "dv-backlog")),
    "dv.f.marac": (MET, "MARACs in two divisions and Home Office funding just received for the third, under a "
                   "comprehensive MARAC policy that complies with ACPO guidance. Computed from the force's records: "
                   "{dv_marac}.", ("dv-marac", "dv-policy", "dv-compliance")),
    "dv.f.risk-forms-processed-promptly": (NOT_MET, "Area for improvement: a backlog of about 450 DV1 cases in two "
                                           "divisions dating back to December 2006. Computed from the force's "
                                           "records: {dv_backlog}; {dv_review}; {dv_sample}.",
                                           ("dv-backlog", "dv-compliance", "dv-sample")),
    "dv.f.children-referred": (NOT_MET, "Area for improvement: the faxed paper referral for children in DV "
                               "households 'can and does fail without there being any follow up'. Computed "
                               "from the force's records: {dv_children}.", ("dv-children", "dv-compliance", "dv-sample")),
    "dv.f.incident-logs-audited": (PARTLY, "Logs closed as DV reach the PPU automatically, but there is no audit "
                                   "of logs that should have been closed as DV. Beacon's audit with the closure "
                                   "signals: {dv_logs}.", ("dv-incident-logs", "dv-compliance")),
    "dv.f.risk-information-recorded": (PARTLY, "The DV1 is only partially entered on FUD; most of its information is "
                                       "on no force system and cannot be analysed.", ("dv-recording",)),
    "dv.f.investigations-supervised": (NOT_MET, "The DSs (DV) do not set or review investigation strategies; "
                                       "response supervisors oversee secondary investigation.",
                                       ("dv-investigation",)),
    "dv.g.automatic-risk-score": (NOT_MET, "The DV1 is on paper and the DVO scores it manually.", ("dv-paper",)),
    "dv.g.dvo-role": (NOT_MET, "DVOs have become office-based processors; victim contact and dynamic risk "
                      "assessment have largely ceased.", ("dv-paper",)),
    "dv.g.high-risk-investigation-support": (NOT_MET, "No additional investigative support or resilience for high "
                                             "or very high risk victims.", ("dv-investigation",)),
    "dv.g.specialist-training": (NOT_MET, "None of the DVOs has done the Centrex DV modules; no training plan.",
                                 ("dv-training",)),
    "dv.g.frontline-training": (PARTLY, "Control room staff are trained, but there is no comprehensive front-line "
                                "plan and officers do not understand the DV1's rationale.",
                                ("dv-control-room", "dv-training", "dv-backlog")),
    "dv.g.tasking-includes-dv": (NOT_MET, "DV is not a standing item at divisional tasking meetings.",
                                 ("dv-tasking",)),
    "dv.e.beacon-practice": (NOT_EVIDENCED, NO_BEACON, ()),
    "dv.e.evaluated-innovation": (NOT_MET, "The MARAC approach Gwent follows was introduced and evaluated elsewhere "
                                  "in South Wales, not by the force.", ("dv-marac",)),
    "dv.e.sarc": (MET, "Gwent is one of the few forces to have set up a SARC in partnership.", ("dv-sarc",)),

    # --- Public Protection: Fair. The dominant criterion rests on the sample of six HMIC declined
    # to draw definitive conclusions from: Partly met, so the engine's Fair is provisional and goes
    # to moderation (see PP_MODERATION).
    "pp.f.mappa-governance": (MET, "The ACC chairs the MAPPA SMB; a MAPPA co-ordinator and an HQ team under a "
                              "detective superintendent.", ("pp-governance",)),
    "pp.f.policy-complies-guidance": (MET, "The 'working draft' policy and procedures comply with current guidance.",
                                      ("pp-policy",)),
    "pp.f.risk-management-plans-current": (PARTLY, "529 offenders are managed through MAPPA with risk management "
                                           "plans, but the file sample of six high-risk category 1 offenders found "
                                           "'in all cases, risk management plans were not up to date'. HMIC: 'it "
                                           "would not be appropriate to draw definitive conclusions from such a "
                                           "small sample'. Partly met; whether it warrants Poor is for moderation.",
                                           ("pp-governance", "pp-file-sample")),
    "pp.f.offenders-on-visor": (MET, "Gwent populates ViSOR for all category 1 releases from HMP Usk whatever the "
                                "destination force; all ViSOR users are vetted to security check level.",
                                ("pp-usk",)),
    "pp.f.visor-records-current": (NOT_MET, "File sample: plans not up to date in six of six, home visits overdue in "
                                   "three, no record of supervisors' approvals in six; no corporate ViSOR "
                                   "standards.", ("pp-file-sample",)),
    "pp.f.ppo-supervision": (NOT_MET, "PPOs are largely unsupervised by first-line managers, some of whom are not "
                             "trained in public protection.", ("pp-supervision", "pp-file-sample")),
    "pp.f.home-visits-risk-assessed": (NOT_MET, "Most home visits are by single officers and there was no evidence "
                                       "of formal pre-visit risk assessment (a template is being developed).",
                                       ("pp-home-visits", "pp-recommendations")),
    "pp.f.intelligence-reaches-ppo": (NOT_MET, "No systematic method alerts PPOs to intelligence that could raise "
                                      "the risk; Guardian 2 flags are only now being introduced.",
                                      ("pp-intelligence",)),
    "pp.f.caseload-manageable": (PARTLY, "Caseload per PPO is known (43, 72 and 89 by division) but C Division's "
                                 "needs review and no division has resilience for absence or ViSOR admin support.",
                                 ("pp-caseload",)),
    "pp.f.specialist-training": (PARTLY, "Accredited training is under way: four of seven PPOs and some DSs trained, "
                                 "the rest by the end of the year.", ("pp-training",)),
    "pp.g.visiting-regime": (NOT_MET, "Visits are mostly in office hours; frequency is not yet set in risk "
                             "management plans.", ("pp-home-visits", "pp-recommendations")),
    "pp.g.neighbourhood-officers-involved": (NOT_MET, "Only a few neighbourhood officers know of the highest-risk "
                                             "nominals; the force has not addressed it corporately.",
                                             ("pp-neighbourhood",)),
    "pp.g.control-room-intelligence": (NOT_MET, "Control room staff cannot write to the intelligence system; little "
                                       "knowledge of ViSOR outside public protection.", ("pp-control-room",)),
    "pp.g.level3-representation": (NOT_MET, "Represented at level 3 by divisional DCIs rather than a BCU commander "
                                   "or equivalent.", ("pp-level3",)),
    "pp.g.review-recommendations-implemented": (PARTLY, "The SMB oversees the review's recommendations but there is "
                                                "no single action plan and several are not yet implemented.",
                                                ("pp-recommendations",)),
    "pp.g.joint-mappa-training": (MET, "Joint police/probation training for MAPPA chairs; up-to-date role "
                                  "descriptions.", ("pp-chairs", "pp-policy")),
    "pp.e.beacon-practice": (NOT_EVIDENCED, NO_BEACON, ()),
    "pp.e.evaluated-innovation": (NOT_EVIDENCED, "The HMP Usk arrangement is new but the report records no "
                                  "evaluation of it.", ("pp-usk",)),
    "pp.e.custody-intelligence-sharing": (MET, "Intelligence on all category 1 releases from HMP Usk is shared "
                                          "before release and recorded on ViSOR, ahead of national arrangements.",
                                          ("pp-usk",)),

    # --- Missing Persons: significant Fair criteria all Strengths (with Beacon's computed
    # compliance beside them); the Areas for improvement fall on Fair criteria that are not
    # significant and on Good -> Fair.
    "mp.f.chief-officer-lead": (MET, "The ACC holds the portfolio; HQ detective superintendent policy lead; "
                                "divisional commanders own it operationally.", ("mp-lead",)),
    "mp.f.policy-complies-acpo": (MET, "Recently implemented policy complies with the ACPO/NCPE guidance and covers "
                                  "recording, risk, tactics, supervision and review.", ("mp-policy",)),
    "mp.f.risk-assessed-at-report": (MET, "Policy sets the risk assessment at report and every one of the "
                                     "{reports} reports in the period carries a risk grade; the risk rationale is "
                                     "recorded in {rationale}.", ("mp-policy", "mp-volume", "mp-compliance")),
    "mp.f.high-risk-supervised-to-criteria": (MET, "High-risk enquiries are owned by the section inspector and "
                                              "overseen early by a DI, with 'clearly defined review criteria'. "
                                              "Computed from the force's records: supervisory reviews on time in "
                                              "{review_detail} across all reports; in the file sample of {sample_n} "
                                              "(seed {sample_seed}), {sample_review}. The lapses are what the "
                                              "absence of compliance monitoring hides (mp.f.review-compliance-"
                                              "monitored), not an absence of supervision to criteria.",
                                              ("mp-high-risk", "mp-compliance", "mp-sample")),
    "mp.f.daily-oversight": (MET, "An agenda item at daily management meetings and discussed at tactical tasking.",
                             ("mp-daily",)),
    "mp.f.review-compliance-monitored": (NOT_MET, "Area for improvement: 'no current mechanism in place to satisfy "
                                         "the chief officer team as to the level of compliance with policy or "
                                         "degrees of corporacy'. Beacon's computation - {review} on time, lowest in "
                                         "{worst_division} - is the figure the force could not produce.",
                                         ("mp-high-risk", "mp-compliance-mechanism", "mp-compliance", "mp-sample")),
    "mp.f.investigation-recorded": (PARTLY, "Actions are recorded on command and control, 'inadequate' but serving "
                                    "reasonably well as an interim solution.", ("mp-recording", "mp-sample")),
    "mp.f.officers-trained": (PARTLY, "Student officers and newly promoted sergeants are trained; other officers "
                              "have no training in any format.", ("mp-training",)),
    "mp.f.policy-communicated": (PARTLY, "The policy is comprehensive but extremely lengthy, with no synopsis for "
                                 "staff.", ("mp-synopsis",)),
    "mp.g.repeat-locations-analysed": (NOT_MET, "Intelligence staff cannot easily access missing person data for "
                                       "analysis or NIM products.", ("mp-analysis",)),
    "mp.g.investigation-tracking-system": (NOT_MET, "The dedicated system is still being procured.", ("mp-it",)),
    "mp.g.performance-data": (NOT_MET, "Performance data awaits the new system.", ("mp-it",)),
    "mp.g.supervisor-development": (PARTLY, "Quarterly seminars in C Division, being rolled out to the other "
                                    "divisions.", ("mp-seminars",)),
    "mp.g.critical-incident-recognition": (NOT_EVIDENCED, "The report makes no finding on Gwent's recognition of "
                                           "critical incident potential.", ()),
    "mp.e.beacon-practice": (NOT_EVIDENCED, NO_BEACON, ()),
    "mp.e.evaluated-innovation": (NOT_EVIDENCED, "The report describes no evaluated innovation in missing persons "
                                  "work.", ()),
    "mp.e.prevention-partnerships": (NOT_MET, "Without analysis of repeat locations there is no evaluated problem "
                                     "solving with care providers.", ("mp-analysis",)),
}

PP_MODERATION = (
    "Moderation, Public Protection: the engine's Fair is provisional because the dominant criterion "
    "pp.f.risk-management-plans-current is assessed Partly met on the file sample of six high-risk category 1 "
    "offenders, which found 'in all cases, risk management plans were not up to date'. The report itself leaves "
    "the weight of that finding to judgement: 'Although it would not be appropriate to draw definitive conclusions "
    "from such a small sample, the force is advised to reflect on the findings as illustrative of underlying "
    "problems.' Every other significant Fair criterion is met (MAPPA governance under the ACC, policy compliant "
    "with current guidance, offenders on ViSOR), and HMIC graded Public Protection Fair. The partly met dominant "
    "criterion does not alone warrant Poor: Fair is confirmed.")

# ================================================================================================
# Developing practice (Neighbourhood Policing): the report's three entries, contacts anonymised
# ================================================================================================

PRACTICE = (
    dict(title="Neighbourhood Policing initiative – Trevethin Estate, Pontypool",
         problem="The police station serving Trevethin Estate, Pontypool, was subject to arson and a ram raid, among "
                 "other incidents, and officers were withdrawn to the main Pontypool station. The community suffered "
                 "graffiti, anti-social behaviour, criminal damage and a real fear of crime with a high volume of "
                 "actual crime; burglaries and stolen vehicles set on fire were a major concern.",
         solution="After consultation with partners, extra officers and PCSOs were deployed as a local neighbourhood "
                  "team working from a refurbished police station, tasked with engaging all communities. Crime "
                  "prevention surveys improved security and lighting around the shopping precinct and CCTV was "
                  "installed. Problem-solving groups were formed, including one-to-one engagement with problem "
                  "youths; high-profile operations included confiscating a criminal's assets; local authority "
                  "garages were opened and stolen vehicles and property recovered. Regular meetings with residents' "
                  "associations, updates via all forms of media, a dispersal zone in the precinct, a youth facility "
                  "at Cold Barn Farm and the Timebank Project, in which youths earned credits for community projects.",
         outcomes="Crimes recorded fell from 140 in May 2005 to 40 in May 2006; far less demand on the police; trust "
                  "and communication between police and public much improved; anti-social behaviour resolved "
                  "swiftly in partnership; the dispersal zone lifted, the precinct well lit and its shops renovated "
                  "and profitable.",
         force_contact="Neighbourhood Policing Team, Pontypool (via the force switchboard)"),
    dict(title="Community and neighbourhood directed operations (CANDO)",
         problem="The community safety partnership for Caerphilly county borough introduced CANDO initiatives to "
                 "address quality-of-life issues. Police and partner information, with the National Intelligence "
                 "Model, identifies each year the areas that would benefit most from a concentrated period of "
                 "additional resources, including areas where crime and disorder have increased.",
         solution="The neighbourhood team and council wardens survey residents house to house, asking for three "
                  "priorities and 'fear of crime' questions. The results, with analysis from the divisional "
                  "intelligence unit, are discussed at a meeting of police, partners and community; three main "
                  "priorities are chosen and problem-solving groups formed; then the neighbourhood team and partner "
                  "agencies work together on the issues over a number of allocated days.",
         outcomes="Warrants executed against drug dealers identified by the community; fly tipping, litter and "
                  "graffiti cleared, including white goods removed from gardens; street lighting improved; maximum "
                  "impact site patrolling; test purchases by Trading Standards at licensed premises selling alcohol "
                  "to under-18s. The partnership reports back to partners and community at the end of each "
                  "operation; PACT meetings, introduced in the division in March 2007, help identify new areas.",
         force_contact="Neighbourhood Policing inspector, Caerphilly and Blaenau Gwent division (via the force "
                       "switchboard)"),
    dict(title="Crack house closure, Bettws Estate, 'A' Division",
         problem="Bettws Estate in Newport, a Communities First area among the most deprived in Wales, had become "
                 "desensitised to disorder, with low expectations, little confidence in the police and few calls for "
                 "service. A historical problem of drug abuse and supply persisted despite criminal justice efforts; "
                 "three houses were identified as 'crack houses' associated with class A drugs and serious nuisance.",
         solution="Joint visits by police and the local authority housing department refused to accept that "
                  "'everything is okay'. A problem-solving model was used in partnership, considering injunctions, "
                  "evictions, anti-social behaviour orders and crack house closures.",
         outcomes="A three-month crack house closure; a three-month closure with a three-month extension; an "
                  "eviction. PCSOs leafleted residents before, during and after; a media strategy included national "
                  "television; high-visibility patrols followed. Drug agencies, the RSPCA and social services "
                  "supported those affected, co-ordinated by the anti-social behaviour team through multi-agency "
                  "problem-solving meetings. Residents saw an immediate improvement without displacement.",
         force_contact="Crime and Disorder Unit, Newport (via the force switchboard)"),
)

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


def _check_data() -> None:
    """The fixed data fits the library and the report's table (a mistake fails loudly)."""
    lib = service.library(LIBRARY)
    for fid in FRAMEWORKS:
        fw = lib.framework(fid)
        keys = {e.key for e in GWENT_EVIDENCE[fid]} | {k for k, kind, _ in COMPUTED
                                                       if service.COMPUTED_KINDS[kind].framework_id == fid}
        ids = {c.id for c in fw.criteria}
        for ev in GWENT_EVIDENCE[fid]:
            unknown = set(ev.criteria) - ids
            assert not unknown, (ev.key, unknown)
        missing = ids - set(GWENT_ASSESSMENTS)
        assert not missing, f"Gwent: criteria not assessed in {fid}: {sorted(missing)}"
        for cid in ids:
            _, _, cited = GWENT_ASSESSMENTS[cid]
            assert set(cited) <= keys, (cid, set(cited) - keys)
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
        for fid in FRAMEWORKS:
            for ev in GWENT_EVIDENCE[fid]:
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
                result, justification, cited = GWENT_ASSESSMENTS[c.id]
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
                service.moderate(s, me, iid, row.framework_id, ModerationIn(
                    version=row.version, grade=REPORT_GRADES[row.framework_id], rationale=PP_MODERATION), now)
                moderated[row.framework_id] = PP_MODERATION
        _advance(s, me, iid, Status.PUBLISHED, now)
        grades = {r.framework_id: r.grade.value for r in inspection_repo.grades_of(s, iid)}
    step(4)
    # 5. The developing practice published in the report.
    practice = []
    with transaction(factory) as s:
        me = _as_inspector(s)
        for entry in PRACTICE:
            row = service.add_practice(s, me, PracticeIn(force_id=force_id, framework_id="neighbourhood_policing",
                                                         evaluated=True, in_report=True, inspection_id=iid, **entry))
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
