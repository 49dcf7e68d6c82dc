"""Short synthetic texts for the demo's domestic abuse and child protection records: log
narratives, review notes, MARAC actions, referral outcomes, decisions. No real case is described;
every name in the demo comes from :mod:`beacon.demo.names`."""
from __future__ import annotations

# --- command-and-control logs --------------------------------------------------------------

DOMESTIC_OPENING = ("DOMESTIC", "DOMESTIC", "DOMESTIC", "ASSAULT", "DISTURBANCE", "CONCERN FOR SAFETY")
DOMESTIC_NARRATIVES = (
    "Caller reports her partner has assaulted her at the home address. Officers attended; suspect arrested.",
    "Female caller states her ex-partner has turned up at the address and is refusing to leave. Suspect left "
    "before police arrival; words of advice.",
    "Neighbour reports shouting and banging from the address. Officers attended: verbal argument between a "
    "couple, no injuries. Domestic form completed.",
    "Caller reports her husband has pushed her and damaged the front door. Suspect arrested for criminal damage.",
    "Male caller states his partner threw a glass at him during an argument. Minor cut to the hand.",
    "Caller's ex-boyfriend has sent threatening text messages and is outside the address. Suspect located "
    "nearby and arrested.",
    "Argument between mother and adult son over money; son has punched a wall and threatened her. Son removed "
    "from the address.",
    "Caller reports breach of a non-molestation order by her ex-husband. Suspect arrested.",
    "Verbal domestic; both parties intoxicated. Male agreed to stay with a relative overnight.",
    "Female caller hysterical, stating her boyfriend has grabbed her by the throat. Officers attended; suspect "
    "arrested for assault.",
)

# (kind, weight, criteria (each chosen), factors present, opening, narrative, concern for social care)
CHILD_CONCERNS = (
    ("physical", 30, (("serious-physical-injury", 0.6), ("offence-against-child", 0.9)),
     ("unexplained-injury",), "ASSAULT",
     "School reports bruising to a pupil's arm and face; the child says a parent hit them. Officers attended the "
     "home address.",
     "Bruising to the arm and face seen at school; the child says a parent caused it. Explanation given by the "
     "parent is not consistent with the injuries."),
    ("sexual", 12, (("sexual-abuse", 1.0), ("offence-against-child", 0.9)),
     ("child-disclosure",), "CONCERN FOR CHILD",
     "Head teacher reports a pupil has disclosed inappropriate touching by an adult known to the family.",
     "The child has disclosed inappropriate touching by an adult known to the family."),
    ("neglect", 25, (("serious-neglect", 0.4),),
     ("signs-of-neglect", "parental-substance-misuse"), "CHILD NEGLECT",
     "Young children found alone at the address late at night; little food in the house and the home in a poor "
     "state. Parent returned intoxicated.",
     "Children left alone at night in a home in a poor state, with little food; the parent returned "
     "intoxicated."),
    ("left_alone", 15, (), ("signs-of-neglect",), "CONCERN FOR CHILD",
     "Neighbour reports a young child left alone in the house for several hours. Parent traced and returned.",
     "A young child was left alone at home for several hours; the parent was traced and returned."),
    ("institutional", 4, (("organised-or-institutional", 1.0), ("offence-against-child", 0.5)),
     ("offender-in-household",), "CONCERN FOR CHILD",
     "Parent reports concerns about the conduct of a volunteer youth leader towards children at a club.",
     "Concerns about the conduct of a volunteer youth leader towards children at a club."),
    ("conflict", 14, (), ("parental-substance-misuse", "domestic-abuse-household"), "DISTURBANCE",
     "Shouting at the address; parents intoxicated and arguing, children present and distressed.",
     "Children present and distressed during an argument between intoxicated parents."),
)
DA_CASE_CONCERN = ("Child in a household where the domestic abuse victim is assessed as high risk; strategy "
                   "discussion requested by the public protection unit.")

# Logs closed with another code that the closure audit should find: (opening, closing, narrative).
MISCLOSED_DOMESTIC_WORDS = (
    ("DISTURBANCE", "ADVICE GIVEN", "Neighbour reports shouting; caller believes the woman at the address is being "
                                    "hit by her boyfriend. All quiet on arrival; words of advice."),
    ("CONCERN FOR SAFETY", "NO OFFENCE", "Caller worried about her sister, whose partner will not let her leave the "
                                         "house. Officers spoke to both; no offences disclosed."),
    ("NUISANCE CALLS", "ADVICE GIVEN", "Female receiving repeated calls from her ex-partner. Advised about an "
                                       "injunction."),
    ("DISTURBANCE", "DISTURBANCE - NO FURTHER ACTION", "Man shouting in the street outside his ex-wife's house. "
                                                      "Moved on."),
)
MISCLOSED_DOMESTIC_QUIET = (
    ("ASSAULT", "ASSAULT - NO COMPLAINT", "Female reports being pushed over at the home address; declined to make "
                                         "a complaint."),
    ("DISTURBANCE", "DISTURBANCE - NO FURTHER ACTION", "Report of raised voices at the address; all quiet on "
                                                      "arrival."),
    ("CONCERN FOR SAFETY", "NO OFFENCE", "Caller states the occupant has a cut to the face; occupant says she fell."),
)
MISCLOSED_CHILD_WORDS = (
    ("CONCERN FOR SAFETY", "CONCERN FOR SAFETY - RESOLVED", "Caller reports young children left alone in the house "
                                                            "overnight; mother returned on police arrival."),
    ("DISTURBANCE", "ADVICE GIVEN", "Shouting heard from the flat and a baby crying for hours. Occupant spoken to."),
    ("ASB", "ASB - NO FURTHER ACTION", "Kids reported to be living in a house with no electricity; caller anonymous."),
)
BACKGROUND = (
    ("THEFT", "CRIME RECORDED", "Shoplifting reported by store security; suspect detained."),
    ("ASB", "ASB - NO FURTHER ACTION", "Youths gathering and being noisy; dispersed on arrival."),
    ("RTC", "RTC - DAMAGE ONLY", "Two vehicles in collision; no injuries. Details exchanged."),
    ("SUSPICIOUS PERSON", "NO TRACE", "Person seen trying car door handles; area searched, no trace."),
    ("CRIMINAL DAMAGE", "CRIME RECORDED", "Bus shelter glass smashed overnight."),
    ("LOST PROPERTY", "ADVICE GIVEN", "Wallet handed in by a member of the public."),
)

# --- domestic abuse ----------------------------------------------------------------------------

REVIEW_NOTES = (
    "Reviewed; victim contacted by telephone and safety advice given. Address flagged.",
    "Reviewed with the attending officer's account. Victim referred to the local domestic abuse service.",
    "Checked FUD and previous logs; risk level agreed. Victim did not wish to engage further.",
    "Reviewed. Safety plan discussed with the victim; target-hardening requested.",
    "Reviewed; no previous history on force systems. No further action by the unit.",
    "Reviewed. Perpetrator on bail with conditions not to contact; victim informed.",
)
BACKLOG_REVIEW_NOTES = (
    "Reviewed from the backlog of paper forms; victim could not be contacted at the time of review.",
    "Late review (form received from the division weeks after completion); risk level confirmed.",
    "Processed from the backlog; previous logs checked, victim sent a letter with support details.",
)
RAISE_REASONS = {
    "medium": (
        "Victim's account at review discloses threats made since the incident.",
        "Perpetrator recently released from prison and has contacted the victim.",
    ),
    "high": (
        "Victim too frightened to answer questions fully; injuries seen by the officer were serious.",
        "Perpetrator has a history of violence against previous partners (force systems).",
        "Victim has just left the relationship and the perpetrator is making threats to find her.",
    ),
}

MARAC_AGENCIES = ("Gwent Police", "Independent domestic violence advisor service", "Probation", "Health",
                  "Housing", "Women's Aid")
MARAC_OCCASIONAL = ("Education", "Mental health services", "Substance misuse service", "Victim Support")
MARAC_ACTIONS = (
    ("Flag the victim's address on command and control for an urgent response", "Gwent Police"),
    ("Contact the victim within 48 hours and agree a safety plan", "Independent domestic violence advisor service"),
    ("Fit target-hardening to the victim's home (locks, door chain, alarm)", "Housing"),
    ("Share the perpetrator's offender management plan with the MARAC", "Probation"),
    ("Health visitor to see the victim and any children and report concerns", "Health"),
    ("Offer the victim a refuge place and outreach support", "Women's Aid"),
    ("Check bail conditions and tell the victim of any change", "Gwent Police"),
    ("Confirm the children are known to children's social care and share the minutes", "{csc}"),
)

# --- children ------------------------------------------------------------------------------------

OUTCOMES_DA = (
    ("Information recorded; no further action by children's social care.", 55),
    ("Letter sent to the non-abusing parent with details of support services.", 15),
    ("Family support services offered.", 15),
    ("Initial assessment under way.", 15),
)
OUTCOME_CASE = "Strategy discussion held with the police; section 47 enquiries considered."
OUTCOMES_CONCERN = (
    ("Initial assessment under way.", 50),
    ("Advice given to the family; no further action.", 30),
    ("Family support services offered.", 20),
)
PROTECTION_NOTES = (
    "Child removed to a place of safety (foster carer) after being found alone at the address.",
    "Child taken into police protection at hospital; parent intoxicated and threatening to remove the child.",
    "Children removed to a relative's address while enquiries made; social services emergency duty team informed.",
)
CONFERENCE_CATEGORIES = ("neglect", "physical abuse", "emotional abuse", "sexual abuse")
DISCOUNT_REASONS = {
    "previous-referrals": "Previous referral concerned a different household; not relevant to this concern.",
    "parental-substance-misuse": "Parent's alcohol use is historic and has been addressed with support services.",
    "parental-mental-health": "Parent's condition is managed and the GP reports no current concern.",
    "missing-episodes": "A single missing episode two years ago; not linked to the home.",
    "domestic-abuse-household": "The abusive partner has left the area and there is no contact.",
    "disability": "The child's condition does not affect their ability to disclose.",
    "previous-protection-plan": "The plan ended three years ago with no concerns since.",
    "age-under-two": "Younger sibling in the household is not the subject of the concern.",
}
