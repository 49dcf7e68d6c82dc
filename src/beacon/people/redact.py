"""Names out of free text, for readers who see force records pseudonymised (inspectors).

Withholding the name fields is not enough: the officer's own words ("Vera said her partner...")
and text Beacon writes itself ("the household of Vera Testcase") carry names too. A redactor is
built for one record from the people it is about and the places it links, and rewrites each
free-text field:

- each person's full name, surname and forename become their pseudonym ("Person 0000012"), so
  the inspector can still follow who did what to whom without learning who they are;
- other names recorded as plain text (the person who reported a missing person), and a name
  two of the people share (a family's surname on its own), become "(name withheld)";
- the places that identify a person (their home, the children's home they live in) become
  "(place withheld)": the address, the lines that say which house it is, a street without its
  house number, a house's name with and without its generic words ("Bryn Testwood Children's
  Home", "Bryn Testwood") and each distinctive word of that name, and the postcode (the town
  after the street stays). The location fields are
  withheld already; a narrative saying "failed to return to Bryn House" named the home anyway.
  Public places (a park, a station, a hospital) identify no one and stay.

Whole words, any case, longest first. It errs towards withholding: a forename that is also
an ordinary word ("Will", "May") is withheld wherever it appears in that record's text, and so
is a street name ("High Street") of a linked home. Names of people and places the record does
not link (a neighbour named only in the narrative, a friend's address) cannot be known and are
not caught; that is why incident narratives are withheld whole.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

WITHHELD_NAME = "(name withheld)"
WITHHELD_PLACE = "(place withheld)"
MIN_LENGTH = 2   # a single initial is not a name worth withholding, and would hit every "a"
# Words in recorded names that are not names: placeholders ("Unnamed child Testcase") and titles.
# Withheld as part of the whole name, never on their own.
NOT_NAMES = frozenset({"unnamed", "unknown", "child", "baby", "infant", "mr", "mrs", "ms", "miss", "dr", "rev"})


# Kinds of location anyone may be at, which say nothing about who someone is.
PUBLIC_KINDS = frozenset({"public_place", "hospital"})
# Words in a house's name that every such house has; its other words are what make it that house.
GENERIC_PLACE_WORDS = frozenset({"the", "house", "home", "homes", "children's", "childrens", "care", "residential",
                                 "lodge", "hall", "court", "cottage", "cottages", "farm", "centre", "unit", "flat",
                                 "flats", "block", "of", "and"})
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


class Named(Protocol):
    id: int
    forename: str
    surname: str


class Placed(Protocol):
    address: str
    postcode: str
    kind: str


def pseudonym(person_id: int) -> str:
    return f"Person {person_id:07d}"


def _forms(name: str) -> list[str]:
    """The full name and each of its words that is a name."""
    full = " ".join(name.split())
    return [full, *(w for w in full.split() if w.lower().strip(".") not in NOT_NAMES)] if full else []


def _key(text: str) -> str:
    return " ".join(text.split()).lower().translate(_APOSTROPHES)


def _numbered(line: str) -> re.Match | None:
    """'12 Oak Street' -> 'Oak Street'; 'Flat 3B 7 Mill Lane' -> 'Mill Lane'."""
    return re.match(r"^(?:flat\s+\d+[a-z]?\s+)?\d+[a-z]?\s+(\D.*)$", line, re.IGNORECASE)


def place_forms(place: Placed) -> list[str]:
    """What free text may call a place: the address, the lines that say which house it is, a
    street without its house number ("Oak Street" of "12 Oak Street"), a house's name without its
    generic words ("Bryn Testwood" of "Bryn Testwood Children's Home") and each of that name's
    distinctive words, and the postcode with and without its space.

    The lines that say which house it is are those up to the street (the first line starting
    with a number), or the first line where none does: the town after them ("12 Oak Street,
    Newport") identifies no one and is withheld only within the whole address. A line that is
    only a number, or only generic words ("The Lodge" keeps the whole line), gives no shorter form."""
    address = " ".join((place.address or "").split())
    forms = [address] if address else []
    lines = [part.strip() for part in address.split(",") if part.strip()]
    street = next((i for i, line in enumerate(lines) if _numbered(line)), 0)
    for line in lines[:street + 1]:
        if line.isdigit():
            continue
        forms.append(line)
        numbered = _numbered(line)
        if numbered:
            forms.append(numbered.group(1))
            continue
        words = line.split()
        while words and _key(words[-1]) in GENERIC_PLACE_WORDS:
            words.pop()
        while words and _key(words[0]) in GENERIC_PLACE_WORDS:
            words.pop(0)
        if words and not any(any(ch.isdigit() for ch in w) for w in words):
            forms.append(" ".join(words))
            forms.extend(w for w in words if _key(w) not in GENERIC_PLACE_WORDS and len(w) > MIN_LENGTH)
    postcode = " ".join((place.postcode or "").split())
    if postcode:
        forms += [postcode, postcode.replace(" ", "")]
    return forms


def linked_places(people: Iterable[Named | None] = (), *places: Placed | None) -> Iterator[Placed]:
    """The places a record links: its people's homes and ``places`` (lazily, so a reader who is
    not pseudonymised loads none of them)."""
    for person in people:
        home = getattr(person, "home_location", None) if person is not None else None
        if home is not None:
            yield home
    yield from (p for p in places if p is not None)


def redactor(people: Iterable[Named | None], other_names: Iterable[str] = (),
             places: Iterable[Placed | None] = ()) -> Callable[[str | None], str | None]:
    """A function rewriting free text with the names of ``people`` and ``other_names``, and the
    places among ``places`` that identify someone (not ``PUBLIC_KINDS``), withheld."""
    labels: dict[str, str] = {}

    def label(form: str, text: str) -> None:
        # a name two people share (a family's surname), or a word that is both a name and a
        # place's, says nothing about which one is meant
        key = _key(form)
        labels[key] = text if labels.get(key, text) == text else WITHHELD_NAME

    for person in people:
        if person is not None:
            for form in _forms(f"{person.forename} {person.surname}"):
                label(form, pseudonym(person.id))
    for name in other_names:
        for form in _forms(name or ""):
            label(form, WITHHELD_NAME)
    for place in places:
        if place is not None and place.kind not in PUBLIC_KINDS:
            for form in place_forms(place):
                label(form, WITHHELD_PLACE)
    names = sorted((n for n in labels if len(n) >= MIN_LENGTH), key=len, reverse=True)
    if not names:
        return lambda text: text
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(_words_pattern(n) for n in names) + r")(?!\w)", re.IGNORECASE)

    def redact(text: str | None) -> str | None:
        if not text:
            return text
        return pattern.sub(lambda m: labels[_key(m.group(0))], text)

    return redact


def _words_pattern(form: str) -> str:
    """The words of ``form`` with any spacing between them, and either apostrophe."""
    return r"\s+".join(re.escape(w).replace("'", "['\u2019]") for w in form.split())


def unchanged(text: str | None) -> str | None:
    return text


def for_reader(pseudonymised: bool, people: Iterable[Named | None], other_names: Iterable[str] = (),
               places: Iterable[Placed | None] = ()) -> Callable[[str | None], str | None]:
    """The redactor for a pseudonymised reader, or text unchanged for everyone else (who never
    iterates ``people`` or ``places``)."""
    return redactor(people, other_names, places) if pseudonymised else unchanged
