"""Synthetic names and short texts for the demo force.

Forenames come from a short list of common first names; surnames (and street and place names)
are built from made-up syllables so that no generated name can be mistaken for a real person
or a real street: "Zabrask", "Quorelovin", "Fyxumph". ``is_synthetic_surname`` recognises
exactly what ``surname`` produces, so tests can prove every stored surname is synthetic.
"""
from __future__ import annotations

import random
import re

MALE_FORENAMES = (
    "James", "David", "John", "Michael", "Christopher", "Daniel", "Thomas", "Matthew", "Gareth",
    "Rhys", "Owen", "Dylan", "Ryan", "Liam", "Jack", "Lewis", "Aled", "Huw", "Mark", "Paul",
    "Steven", "Andrew", "Robert", "Peter", "Kieran", "Jordan", "Callum", "Ieuan",
)
FEMALE_FORENAMES = (
    "Sarah", "Emma", "Rebecca", "Laura", "Rachel", "Claire", "Hannah", "Sophie", "Chloe", "Megan",
    "Bethan", "Ffion", "Catrin", "Amy", "Jessica", "Lauren", "Nia", "Carys", "Helen", "Karen",
    "Susan", "Lisa", "Julie", "Joanne", "Shannon", "Jade", "Cerys", "Eleri",
)
OLDER_MALE_FORENAMES = ("Arthur", "Dennis", "Kenneth", "Ronald", "Gwilym", "Harold", "Brian", "Emrys")
OLDER_FEMALE_FORENAMES = ("Margaret", "Joan", "Dorothy", "Olwen", "Gwyneth", "Irene", "Edna", "Betty")
ALL_FORENAMES = frozenset(MALE_FORENAMES + FEMALE_FORENAMES + OLDER_MALE_FORENAMES + OLDER_FEMALE_FORENAMES)

# Made-up syllables; every combination is deliberately implausible as a real surname.
_PREFIXES = ("Zab", "Quor", "Vex", "Trin", "Oxl", "Jov", "Pliz", "Grav", "Yul", "Brix", "Kesk", "Mox",
             "Dral", "Fyx", "Wexl", "Sorv", "Nuv", "Hax", "Lorq", "Zim", "Crub", "Thrax", "Ulv", "Gorp")
_MIDDLES = ("", "", "", "el", "o", "im", "a")
_SUFFIXES = ("rask", "ovin", "emby", "ulon", "ix", "quay", "odd", "arn", "ettle", "umph", "ock", "ibbs")
_SURNAME = re.compile("^(?:{})(?:{})(?:{})$".format("|".join(_PREFIXES), "|".join(m for m in _MIDDLES if m) + "|",
                                                 "|".join(_SUFFIXES)))


def surname(rng: random.Random) -> str:
    return rng.choice(_PREFIXES) + rng.choice(_MIDDLES) + rng.choice(_SUFFIXES)


def is_synthetic_surname(text: str) -> bool:
    return bool(_SURNAME.match(text))


def place_word(rng: random.Random) -> str:
    """A made-up word for streets, houses and parks (same syllables as the surnames)."""
    return surname(rng)


def forename(rng: random.Random, gender: str, older: bool = False) -> str:
    if older:
        return rng.choice(OLDER_FEMALE_FORENAMES if gender == "female" else OLDER_MALE_FORENAMES)
    return rng.choice(FEMALE_FORENAMES if gender == "female" else MALE_FORENAMES)


def gender(rng: random.Random) -> str:
    return "female" if rng.random() < 0.5 else "male"


# --- texts ----------------------------------------------------------------------------------

CIRCUMSTANCES = {
    "care": (
        "Failed to return to {home} by the agreed time of {hour}:00. Known to associate with older peers in the town centre.",
        "Left {home} after an argument with staff and has not returned. Phone switched off.",
        "Did not return to {home} after school. Staff have tried friends' addresses without success.",
        "Left {home} on foot at about {hour}:00 saying they were going to the shop; not returned.",
        "Absconded from {home} through a ground-floor window. Believed to be with an older male.",
    ),
    "child": (
        "Left home after an argument with a parent and has not returned by {hour}:00.",
        "Did not come home from a friend's house as arranged; friends say they left hours ago.",
        "Did not return from school. Out of character; no money and no phone charger.",
        "Went out on a bicycle in the afternoon and has not returned; not answering calls.",
    ),
    "adult": (
        "Did not return from work. Out of character; phone goes straight to voicemail.",
        "Left home after a row with their partner and has not been in contact since.",
        "Went out for a walk in the evening and has not returned. Takes daily medication.",
        "Failed to arrive at a relative's house as arranged; car also missing.",
    ),
    "mental_health": (
        "Left home in a low mood after bad news and has previously spoken of self-harm.",
        "Left the ward without being discharged; detained patient, considered vulnerable.",
        "Sent a text message to a family member that caused concern, then switched phone off.",
    ),
    "dementia": (
        "Has dementia and left the house unnoticed while the carer was out of the room.",
        "Elderly and confused; went to post a letter and has not returned. Wearing slippers.",
    ),
}

RATIONALE = {
    "high": (
        "Young and vulnerable; known risk of sexual exploitation. Immediate risk of serious harm.",
        "Concerns for welfare given recent self-harm; requires immediate police deployment.",
        "Elderly with dementia, inadequately dressed for the weather; risk of serious harm.",
        "Out of character and no contact with anyone; medication left at home.",
    ),
    "medium": (
        "Risk of harm is likely but not serious; previous episodes resolved safely.",
        "Some vulnerability due to age; no indication of immediate danger.",
        "Left after a family argument; likely to be with friends but not confirmed.",
    ),
    "low": (
        "No apparent risk to the person or the public; has done this before and returned.",
        "Adult with capacity; likely to have chosen to go away for a short time.",
    ),
    "absent_from_care": (
        "Whereabouts believed known; not at placement against the rules of the home. No other risk factors.",
        "Known to be at a friend's address; placement staff asked to monitor.",
    ),
}

REVIEW_NOTES = (
    "Reviewed enquiries to date. Risk grade remains appropriate. Next steps agreed with officer in case.",
    "Enquiries progressing. Hospitals and custody checked. Continue as planned.",
    "Reviewed; family updated. Further house-to-house enquiries directed.",
    "Reviewed. CCTV requested for the last-seen area; circulate description to patrols.",
    "Reviewed with control room. Grade unchanged; no further lines of enquiry at this time.",
)

ACTIONS = (
    "Home address searched, including loft and outbuildings.",
    "Friends and associates contacted by telephone.",
    "Local hospitals checked; no admission.",
    "Description circulated to patrols and neighbouring forces.",
    "CCTV requested for the last-seen location.",
    "Mobile phone enquiries submitted.",
    "Bank account activity requested.",
    "Known haunts visited by patrol; not found.",
)
CARE_ACTIONS = (
    "Social worker informed of the absence.",
    "Care home staff asked for recent photograph and list of associates.",
    "Addresses of known associates visited.",
)

PREVENTION_NOTES = (
    "Prevention interview held; discussed reasons for going missing and who to contact.",
    "Spoke with the person and family; referral made to support services.",
    "Interview held; no further concerns disclosed.",
)
