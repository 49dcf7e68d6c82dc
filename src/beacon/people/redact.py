"""Names out of free text, for readers who see force records pseudonymised (inspectors).

Withholding the name fields is not enough: the officer's own words ("Vera said her partner...")
and text Beacon writes itself ("the household of Vera Testcase") carry names too. A redactor is
built for one record from the people it is about, and rewrites each free-text field:

- each person's full name, surname and forename become their pseudonym ("Person 0000012"), so
  the inspector can still follow who did what to whom without learning who they are;
- other names recorded as plain text (the person who reported a missing person), and a name
  two of the people share (a family's surname on its own), become "(name withheld)".

Whole words, any case, longest name first. It errs towards withholding: a forename that is also
an ordinary word ("Will", "May") is withheld wherever it appears in that record's text. Names of
people the record does not link (a neighbour named only in the narrative) cannot be known and
are not caught; that is why incident narratives are withheld whole.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Protocol

WITHHELD_NAME = "(name withheld)"
MIN_LENGTH = 2   # a single initial is not a name worth withholding, and would hit every "a"
# Words in recorded names that are not names: placeholders ("Unnamed child Testcase") and titles.
# Withheld as part of the whole name, never on their own.
NOT_NAMES = frozenset({"unnamed", "unknown", "child", "baby", "infant", "mr", "mrs", "ms", "miss", "dr", "rev"})


class Named(Protocol):
    id: int
    forename: str
    surname: str


def pseudonym(person_id: int) -> str:
    return f"Person {person_id:07d}"


def _forms(name: str) -> list[str]:
    """The full name and each of its words that is a name."""
    full = " ".join(name.split())
    return [full, *(w for w in full.split() if w.lower().strip(".") not in NOT_NAMES)] if full else []


def redactor(people: Iterable[Named | None], other_names: Iterable[str] = ()) -> Callable[[str | None], str | None]:
    """A function rewriting free text with the names of ``people`` and ``other_names`` withheld."""
    labels: dict[str, str] = {}

    def label(form: str, text: str) -> None:
        # a name two people share (a family's surname) says nothing about which one is meant
        key = form.lower()
        labels[key] = text if labels.get(key, text) == text else WITHHELD_NAME

    for person in people:
        if person is not None:
            for form in _forms(f"{person.forename} {person.surname}"):
                label(form, pseudonym(person.id))
    for name in other_names:
        for form in _forms(name or ""):
            label(form, WITHHELD_NAME)
    names = sorted((n for n in labels if len(n) >= MIN_LENGTH), key=len, reverse=True)
    if not names:
        return lambda text: text
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(r"\s+".join(map(re.escape, n.split())) for n in names) + r")(?!\w)",
                         re.IGNORECASE)

    def redact(text: str | None) -> str | None:
        if not text:
            return text
        return pattern.sub(lambda m: labels[" ".join(m.group(0).split()).lower()], text)

    return redact


def unchanged(text: str | None) -> str | None:
    return text


def for_reader(pseudonymised: bool, people: Iterable[Named | None],
               other_names: Iterable[str] = ()) -> Callable[[str | None], str | None]:
    """The redactor for a pseudonymised reader, or text unchanged for everyone else."""
    return redactor(people, other_names) if pseudonymised else unchanged
