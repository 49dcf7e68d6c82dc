"""The published rules Beacon applies, each with its source and effective dates.

Taken from the "Published rules" section of the product brief. Where a date is not known to
the day, the summary says which date was used and why, rather than claiming precision.
Settings named here are declared (with their defaults) in ``beacon.config.SETTINGS``; a name
ending ``.*`` is a family of settings. ``register_all`` is idempotent.
"""
from __future__ import annotations

from datetime import date

from .registry import Registry, Rule, register

__all__ = ["RULES", "register_all"]

# Sources, spelled once.
ACPO_MP_2005 = ("ACPO Guidance on the Management, Recording and Investigation of Missing Persons "
                "(2005, produced by NCPE on behalf of ACPO)")
DFE_MISSING_2014 = ("Department for Education, Statutory guidance on children who run away or go "
                    "missing from home or care (January 2014)")
HMIC_GWENT_2007 = "HMIC inspection report, Gwent Police (October 2007)"
DASH_RIC = ("CAADA-DASH Risk Identification Checklist (CAADA, now SafeLives), from the ACPO "
            "DASH 2009 risk model")
MARAC_CRITERIA = "CAADA (now SafeLives) MARAC referral criteria and guidance"
ACPO_DV_2004 = "ACPO, Guidance on Investigating Domestic Violence (2004)"
WT_2006 = "HM Government, Working Together to Safeguard Children (2006)"
WT_2010 = "HM Government, Working Together to Safeguard Children (2010)"
WT_2013 = "HM Government, Working Together to Safeguard Children (2013)"
WT_2006_ON = "HM Government, Working Together to Safeguard Children (2006; repeated in later editions)"
CJA_2003 = "Criminal Justice Act 2003"
MAPPA_GUIDANCE = "MAPPA Guidance (National Probation Directorate 2004; Ministry of Justice editions from 2009)"
OASYS = "Offender Assessment System (OASys) risk of serious harm classification, as used in MAPPA Guidance"
SOA_2003 = "Sexual Offences Act 2003, Part 2"
FORCE_POLICY = "Force policy (no national rule)"
NCRS = "National Crime Recording Standard (Home Office Counting Rules)"
VICTIMS_2006 = ("Code of Practice for Victims of Crime (2006), issued under s.32 Domestic Violence, "
                "Crime and Victims Act 2004")

# Dates used where the day is not published or not known here (each summary says so).
ACPO_MP_DATE = date(2005, 1, 1)      # guidance published in 2005; the day is not recorded here
DASH_DATE = date(2009, 3, 1)         # DASH 2009 accepted by ACPO in March 2009; the day is not recorded here
WT_2006_DATE = date(2006, 4, 1)
WT_2010_DATE = date(2010, 3, 1)
WT_2013_DATE = date(2013, 4, 15)
CJA_MAPPA_DATE = date(2004, 4, 5)    # commencement of CJA 2003 ss.325-327 taken as 5 April 2004
SOA_PART2_DATE = date(2004, 5, 1)
NCRS_DATE = date(2002, 4, 1)
VICTIMS_2006_DATE = date(2006, 4, 3)
VICTIMS_2006_LAST_DAY = date(2013, 12, 9)  # the 2013 Code replaced it from 10 December 2013

_ACPO_DATE_NOTE = " (Published 2005; the day is not recorded here, so 1 January 2005 is used.)"
_WT_2006_NOTE = " (1 April 2006 is used as the start of the 2006 edition.)"
_DASH_DATE_NOTE = " (DASH 2009 was accepted by ACPO in March 2009; 1 March 2009 is used.)"

MISSING_PERSONS = (
    Rule("mp.risk_grades", "Missing person risk grades",
         "A missing person is graded high risk (real and immediate danger to the person or the public), "
         "medium (possibly in danger or a threat to themselves or others) or low (no apparent threat); "
         "unauthorised absences from care are counted separately. Later guidance added 'absent' and then "
         "'no apparent risk'; those versions are not yet registered." + _ACPO_DATE_NOTE,
         ACPO_MP_2005, "", ACPO_MP_DATE,
         value=("high", "medium", "low", "absent_from_care")),
    Rule("mp.pnc_circulation", "Missing person on the Police National Computer",
         "A missing person's details are entered on the Police National Computer within 48 hours of the "
         "report." + _ACPO_DATE_NOTE,
         ACPO_MP_2005, "", ACPO_MP_DATE,
         setting="mp.pnc_circulation_hours", value=48),
    Rule("mp.return_interview", "Return interview (good practice before 2014)",
         "Before 2014 (including 2007, the year of the seed report) an independent return interview for a "
         "child who had been missing was good practice, not a statutory duty, and no time limit was published; "
         "Beacon applies the force's setting as force policy. Dated from the 2005 ACPO guidance.",
         "Good practice; no published time limit", "", ACPO_MP_DATE, date(2013, 12, 31),
         setting="mp.return_interview_hours"),
    Rule("mp.return_interview", "Independent return interview within 72 hours",
         "A child who has run away or gone missing from home or care is offered an independent return "
         "interview within 72 hours of returning. (Guidance issued January 2014; 1 January 2014 is used.)",
         DFE_MISSING_2014, "", date(2014, 1, 1),
         setting="mp.return_interview_hours", value=72),
    Rule("mp.supervisory_review", "Supervisory review of missing person cases",
         "Open cases are reviewed by a supervisor at intervals set by the grade; the intervals are force "
         "policy (settings mp.review_interval_hours.high, .medium, .low and .absent_from_care)." + _ACPO_DATE_NOTE,
         ACPO_MP_2005 + "; intervals are force policy", "", ACPO_MP_DATE,
         setting="mp.review_interval_hours.*"),
    Rule("mp.repeat_location", "Repeat locations analysed",
         "Repeat locations (for example children's homes) are analysed; how many reports make a location a "
         "repeat location is force policy. Dated from 1 April 2006, the start of the year the 2007 "
         "inspection assessed.",
         HMIC_GWENT_2007 + ", framework good practice", "Protecting Vulnerable People – Missing Persons",
         date(2006, 4, 1), setting="mp.repeat_location_threshold"),
)

DOMESTIC_ABUSE = (
    Rule("da.dash_score", "DASH risk identification score",
         "The checklist has 24 yes/no questions; the score is the number of 'yes' answers." + _DASH_DATE_NOTE,
         DASH_RIC, "", DASH_DATE, value=24),
    Rule("da.dash_bands", "DASH score bands",
         "Many areas band the score 0-9 standard, 10-13 medium, 14 or more high; the banding is common local "
         "practice, not part of the checklist itself." + _DASH_DATE_NOTE,
         DASH_RIC + "; local practice", "", DASH_DATE,
         value=(("standard", 0, 9), ("medium", 10, 13), ("high", 14, 24))),
    Rule("da.professional_judgement", "Professional judgement",
         "Professional judgement may raise the risk level but never lower it below what the score gives; "
         "the reason for a raise is recorded. It is also a MARAC referral criterion." + _DASH_DATE_NOTE,
         DASH_RIC, "", DASH_DATE),
    Rule("da.marac_visible_high_risk", "MARAC referral: visible high risk",
         "14 or more 'yes' answers is visible high risk: refer to MARAC." + _DASH_DATE_NOTE,
         MARAC_CRITERIA, "", DASH_DATE, value=14),
    Rule("da.marac_escalation", "MARAC referral: potential escalation",
         "3 or more police call-outs in 12 months is the common threshold for referral on potential "
         "escalation; some areas use 5, so it is a setting." + _DASH_DATE_NOTE,
         MARAC_CRITERIA, "", DASH_DATE, setting="da.marac_escalation_callouts", value=3),
    Rule("da.marac_repeat", "MARAC repeat referral",
         "Any further incident between the same victim and perpetrator within 12 months of the last MARAC "
         "referral is a repeat and is referred back to MARAC (value in months)." + _DASH_DATE_NOTE,
         MARAC_CRITERIA, "", DASH_DATE, value=12),
    Rule("da.repeat_victim", "Repeat victim of domestic abuse",
         "A victim with a further domestic incident within 12 months (365 days) of an earlier one is a repeat victim "
         "(the 12-month window is the common convention for repeat victimisation; the report notes DV's "
         "high rate of repeat victimisation). The window is a force setting. (The guidance was published in 2004; 1 January 2004 is used.)",
         ACPO_DV_2004 + "; " + HMIC_GWENT_2007, "Protecting Vulnerable People – Domestic Violence, Contextual factors",
         date(2004, 1, 1), setting="da.repeat_window_days", value=365),
    Rule("da.repeat_location", "Repeat location of domestic and child-protection incidents",
         "An address with several domestic or child-protection incidents within the window is a repeat "
         "location; no published threshold exists, so the number is a force setting (default 3).",
         "Force practice; " + HMIC_GWENT_2007, "Protecting Vulnerable People – Child Abuse, Strengths (address flags)",
         date(2004, 1, 1), setting="da.repeat_location_threshold", value=3),
    Rule("da.marac_benchmark", "MARAC volume benchmark",
         "About 40 MARAC cases a year per 10,000 adult women in the area." + _DASH_DATE_NOTE,
         MARAC_CRITERIA, "", DASH_DATE, value=40),
)

CHILD_PROTECTION = (
    Rule("cp.referral_acknowledgement", "Referral acknowledged and decided",
         "Children's social care acknowledges a referral and decides what response is required within 1 "
         "working day." + _WT_2006_NOTE,
         WT_2006_ON, "Chapter 5 (2006 edition)", WT_2006_DATE, value=1),
    Rule("cp.initial_assessment", "Initial assessment within 7 working days",
         "An initial assessment is completed within a maximum of 7 working days of the referral." + _WT_2006_NOTE,
         WT_2006, "Chapter 5", WT_2006_DATE, date(2010, 2, 28),
         value=7),
    Rule("cp.initial_assessment", "Initial assessment within 10 working days",
         "An initial assessment is completed within a maximum of 10 working days of the referral. "
         "(Edition published March 2010; 1 March 2010 is used.)",
         WT_2010, "Chapter 5", WT_2010_DATE, date(2013, 4, 14), value=10),
    Rule("cp.initial_assessment", "Assessment within 45 working days",
         "The separate initial and core assessments are replaced by a single assessment under the Children "
         "Act 1989, completed within 45 working days of the referral.",
         WT_2013, "Chapter 1", WT_2013_DATE, value=45),
    Rule("cp.initial_conference", "Initial child protection conference",
         "The initial child protection conference is held within 15 working days of the strategy discussion "
         "that started section 47 enquiries." + _WT_2006_NOTE,
         WT_2006_ON, "Chapter 5 (2006 edition)", WT_2006_DATE, value=15),
    Rule("cp.first_review", "First child protection review conference",
         "The first review conference is held within 3 months of the initial conference (value in months)." + _WT_2006_NOTE,
         WT_2006_ON, "Chapter 5 (2006 edition)", WT_2006_DATE, value=3),
    Rule("cp.subsequent_reviews", "Later child protection review conferences",
         "Further review conferences are held at intervals of not more than 6 months (value in months)." + _WT_2006_NOTE,
         WT_2006_ON, "Chapter 5 (2006 edition)", WT_2006_DATE, value=6),
    Rule("cp.core_group", "First core group meeting",
         "The first core group meeting is held within 10 working days of the initial conference." + _WT_2006_NOTE,
         WT_2006_ON, "Chapter 5 (2006 edition)", WT_2006_DATE, value=10),
)

_CJA_DATE_NOTE = " (Commencement of CJA 2003 ss.325-327 is taken as 5 April 2004.)"

PUBLIC_PROTECTION = (
    Rule("pp.mappa_categories", "MAPPA offender categories",
         "Category 1: registered sexual offenders; category 2: violent offenders sentenced to 12 months or "
         "more, and other sexual offenders; category 3: other dangerous offenders." + _CJA_DATE_NOTE,
         CJA_2003, "ss.325-327", CJA_MAPPA_DATE, value=(1, 2, 3)),
    Rule("pp.mappa_levels", "MAPPA management levels",
         "Level 1: ordinary agency management; level 2: active multi-agency management; level 3: as level 2, "
         "with senior staff authorising exceptional resources ('the critical few'). The 2004 guidance worded "
         "levels 2 and 3 as local inter-agency risk management and the Multi-Agency Public Protection Panel."
         + _CJA_DATE_NOTE,
         MAPPA_GUIDANCE, "", CJA_MAPPA_DATE, value=(1, 2, 3)),
    Rule("pp.rosh_levels", "Risk of serious harm levels",
         "Risk of serious harm is graded low, medium, high or very high. Dated, as an approximation, from the "
         "start of the CJA 2003 MAPPA provisions.",
         OASYS, "", CJA_MAPPA_DATE, value=("low", "medium", "high", "very_high")),
    Rule("pp.initial_notification", "Sex offender initial notification",
         "A relevant offender notifies the police within 3 days beginning with the conviction or caution "
         "(the relevant date counts as day one); time in custody, detained in hospital or outside the United "
         "Kingdom is disregarded.",
         SOA_2003, "s.83", SOA_PART2_DATE, value=3),
    Rule("pp.change_notification", "Sex offender notification of changes",
         "Changes (name, home address, or staying 7 days at an address not notified) are notified within 3 "
         "days beginning with the change.",
         SOA_2003, "s.84", SOA_PART2_DATE, value=3),
    Rule("pp.annual_notification", "Sex offender periodic (annual) notification",
         "The offender re-notifies within one year after the last notification (value in years); time in "
         "custody, detained in hospital or outside the United Kingdom does not count.",
         SOA_2003, "s.85", SOA_PART2_DATE, value=1),
    Rule("pp.notification_periods", "Sex offender notification periods",
         "Indefinite for 30 months' custody or more; 10 years for more than 6 and less than 30 months; 7 years "
         "for 6 months or less; 2 years for a caution; 5 years otherwise; halved for offenders under 18. "
         "Value: years by disposal, None meaning indefinite.",
         SOA_2003, "s.82", SOA_PART2_DATE,
         value=(("custody_30_months_or_more", None), ("custody_over_6_under_30_months", 10),
                ("custody_6_months_or_less", 7), ("caution", 2), ("other", 5))),
    Rule("pp.home_visit_frequency", "Home visits to managed offenders",
         "How often offenders are visited at home, by risk of serious harm, is force policy; common practice is "
         "very high monthly, high 3-monthly, medium 6-monthly, low yearly (value in months). Dated from the "
         "start of the CJA 2003 MAPPA provisions.",
         FORCE_POLICY, "", CJA_MAPPA_DATE, setting="pp.home_visit_months.*",
         value=(("very_high", 1), ("high", 3), ("medium", 6), ("low", 12))),
)

CRIME_AND_VICTIMS = (
    Rule("crime.ncrs_24h", "Crime recorded within 24 hours",
         "A crime is recorded within 24 hours of being reported (NCRS adopted by all forces on 1 April 2002).",
         NCRS, "", NCRS_DATE, value=24),
    Rule("victims.code_2006_decision", "Victims told of key decisions",
         "The police tell victims of key decisions (arrest, charge, bail, no further action) within 5 working "
         "days, or 1 working day if vulnerable or intimidated. Replaced by the 2013 Code from 10 December 2013.",
         VICTIMS_2006, "", VICTIMS_2006_DATE, VICTIMS_2006_LAST_DAY,
         value=(("standard", 5), ("vulnerable_or_intimidated", 1))),
    Rule("victims.code_2006_monthly_update", "Victims updated monthly",
         "The police update victims on the progress of the investigation at least monthly until it is closed "
         "(value in months). Replaced by the 2013 Code from 10 December 2013.",
         VICTIMS_2006, "", VICTIMS_2006_DATE, VICTIMS_2006_LAST_DAY, value=1),
)

# Audit rules: what an inspection (or the force's own thematic audit) tests in the records, each
# citing the rule or finding it applies. Dated from 1 April 2006, the start of the year the 2007
# inspection assessed, unless the underlying rule is dated otherwise.
HMIC_DV = "HMIC inspection report, Gwent Police (October 2007)"
AUDIT_DATE = date(2006, 4, 1)
_AUDIT_NOTE = " (Dated from 1 April 2006, the start of the year the 2007 inspection assessed.)"

AUDIT = (
    Rule("da.audit.review_on_time", "Risk form reviewed by the DVO in time",
         "The domestic violence officer reviews the first officer's risk form (DV1/DASH) by the end of the "
         "force's number of working days after the day it was completed. No national time limit is published: "
         "the period is a force-set threshold (setting da.review_working_days, documented default 5 working "
         "days); HMIC found the forms were not processed promptly." + _AUDIT_NOTE,
         FORCE_POLICY + "; " + HMIC_DV, "Protecting Vulnerable People – Domestic Violence, Areas for improvement",
         AUDIT_DATE, setting="da.review_working_days", value=5),
    Rule("da.audit.review_backlog", "Backlog of unreviewed risk forms",
         "The risk forms completed and not yet reviewed by the DVO as at a date, per division (HMIC: 'In just two "
         "divisions, this amounted to a backlog of approximately 450 cases'). A measure, not a pass/fail check."
         + _AUDIT_NOTE,
         HMIC_DV, "Protecting Vulnerable People – Domestic Violence, Areas for improvement", AUDIT_DATE),
    Rule("da.audit.marac_referral", "Victim meeting a MARAC criterion referred",
         "A victim whose case met any MARAC referral criterion at the incident (visible high risk on the score, "
         "professional judgement, potential escalation on the force's call-out threshold, or a repeat within 12 "
         "months of the last referral: da.marac_*) is referred to the MARAC." + _AUDIT_NOTE,
         MARAC_CRITERIA, "", AUDIT_DATE),
    Rule("da.audit.marac_available", "Victim meeting a MARAC criterion has a MARAC in the division",
         "A victim meeting a MARAC criterion can be heard only where the division has a MARAC; HMIC found MARACs in two of "
         "Gwent's three divisions." + _AUDIT_NOTE,
         HMIC_DV, "Protecting Vulnerable People – Domestic Violence, Strengths", AUDIT_DATE),
    Rule("da.audit.children_referred", "Children in the household referred",
         "Where the risk form records children in the household, a referral is made to children's social care "
         "(HMIC: the paper referral process 'can and does fail without there being any follow up')." + _AUDIT_NOTE,
         HMIC_DV + "; " + WT_2006, "Protecting Vulnerable People – Domestic Violence, Areas for improvement",
         AUDIT_DATE),
    Rule("da.audit.log_closure", "Logs with domestic signals closed as domestic",
         "Of the logs closed as domestic, or closed otherwise with a closure-audit signal suggesting domestic "
         "abuse (beacon.assurance.closure_audit.SIGNALS), the share closed as domestic. The signals prompt "
         "a review; they are not findings." + _AUDIT_NOTE,
         HMIC_DV, "Protecting Vulnerable People – Domestic Violence, Areas for improvement", AUDIT_DATE),
    Rule("cp.audit.referral_acknowledged", "Child referral acknowledged in time",
         "A referral to children's social care is acknowledged within 1 working day of being sent "
         "(cp.referral_acknowledgement); one never sent or never acknowledged fails." + _WT_2006_NOTE,
         WT_2006_ON + "; " + HMIC_DV, "Chapter 5 (2006 edition); Child Abuse, Areas for improvement",
         WT_2006_DATE, value=1),
    Rule("cp.audit.factors_considered", "Every agreed risk factor considered",
         "Each decision about a child records every risk factor of the force's joint agreement as considered "
         "(HMIC: 'no formal process for identifying whether all or some of the risk factors have been "
         "considered')." + _AUDIT_NOTE,
         HMIC_DV, "Protecting Vulnerable People – Child Abuse, Areas for improvement", AUDIT_DATE),
    Rule("cp.audit.discount_reasons", "Discounted risk factors have a reason",
         "A risk factor discounted in a decision about a child is discounted with a recorded reason (HMIC: 'a "
         "formal process for recording exactly which factors have influenced the decision-making process')."
         + _AUDIT_NOTE,
         HMIC_DV, "Protecting Vulnerable People – Child Abuse, Areas for improvement", AUDIT_DATE),
    Rule("cp.audit.joint_decisions_consistent", "Joint-investigation decision follows the agreed criteria",
         "The recorded decision to investigate jointly with social care, or not, is the one the force's agreed "
         "criteria give (any one criterion met requires a joint investigation); compared across divisions, as "
         "HMIC found divisional units 'do not work to a consistent standard'." + _WT_2006_NOTE,
         WT_2006 + "; " + HMIC_DV, "Chapter 5; Child Abuse, Areas for improvement", WT_2006_DATE),
    Rule("cp.audit.initial_conference", "Initial conference within 15 working days",
         "Where section 47 enquiries follow a strategy discussion, the initial child protection conference is "
         "held within 15 working days of the strategy discussion (cp.initial_conference)." + _WT_2006_NOTE,
         WT_2006_ON, "Chapter 5 (2006 edition)", WT_2006_DATE, value=15),
    Rule("cp.audit.reviews_on_time", "Review conferences on time",
         "Where an initial child protection conference was held, the first review conference is held within 3 "
         "months of it and each later one within 6 months of the review before (cp.first_review, "
         "cp.subsequent_reviews); an open case whose next review is overdue fails. Every review is judged, not "
         "only the latest." + _WT_2006_NOTE,
         WT_2006_ON, "Chapter 5 (2006 edition)", WT_2006_DATE),
    Rule("cp.audit.log_closure", "Logs with child protection signals closed as child protection",
         "Of the logs closed as child protection, or closed otherwise with a closure-audit signal suggesting a "
         "child at risk, the share closed as child protection (HMIC: 'the force should introduce a robust audit "
         "process to capture such instances')." + _AUDIT_NOTE,
         HMIC_DV, "Protecting Vulnerable People – Child Abuse, Strengths", AUDIT_DATE),
)

HMIC_2007 = "HMIC, Gwent Police – HMIC Inspection Report (October 2007), Introduction"
HMIC_2007_DATE = date(2006, 4, 1)  # the assessment period began April 2006

INSPECTION = (
    Rule("hmic.grading.excellent", "Excellent",
         "Meets all Fair criteria and the vast majority of Good; recognised as a 'beacon' (other forces "
         "imported its practice); has introduced and evaluated innovation.",
         HMIC_2007, "The grading process", HMIC_2007_DATE, setting="grading.vast_majority"),
    Rule("hmic.grading.good", "Good",
         "Meets in full the Fair criteria and most of the Good criteria.",
         HMIC_2007, "The grading process", HMIC_2007_DATE, setting="grading.most"),
    Rule("hmic.grading.fair", "Fair",
         "Meets all of the significant Fair criteria.", HMIC_2007, "The grading process", HMIC_2007_DATE),
    Rule("hmic.grading.poor", "Poor",
         "Well short of a significant number of Fair criteria; or a single critical ('dominant') criterion "
         "failed, which alone may warrant Poor.",
         HMIC_2007, "The grading process", HMIC_2007_DATE, setting="grading.significant_number"),
)

RULES: tuple[Rule, ...] = (
    MISSING_PERSONS + DOMESTIC_ABUSE + CHILD_PROTECTION + PUBLIC_PROTECTION + CRIME_AND_VICTIMS + INSPECTION
    + AUDIT
)


def register_all(registry: Registry | None = None) -> None:
    """Register every rule in ``RULES`` (in the default registry unless one is given).

    Safe to call more than once: registering an identical rule again does nothing.
    """
    add = registry.register if registry is not None else register
    for rule in RULES:
        add(rule)
