"""A domestic abuse risk identification instrument, held as data.

The first officer's risk form (the report's paper DV1; DASH from 2009) is not code: it is a
YAML file in ``instruments/`` that names its questions, how they are scored and how the score
is banded into a risk level. A force replaces the instrument by shipping another file, not by
changing this module. Rules cited (see :mod:`beacon.rules`): ``da.dash_score`` (the score is
the number of "yes" answers) and ``da.dash_bands`` (score bands).

File format (validated strictly; unknown keys are errors)::

    id: dash-2009                 # lower case letters, digits and hyphens
    title: ...
    version: "2009"               # text: quote it in YAML
    source: ...                   # where the instrument comes from, and any caveats
    effective_from: 2009-03-01
    questions:
      - id: current_injury        # lower case letters, digits and underscores; unique
        text: ...
        help: ...                 # optional guidance for the officer ("" if none)
        supplementary: true       # optional: asked and recorded, never counted in the score
    scoring: count_yes            # the only method: one point per "yes"
    bands:                        # in score order; from 0 to the number of scored questions
      - {level: standard, min_score: 0, max_score: 9}
      - {level: medium, min_score: 10, max_score: 13}
      - {level: high, min_score: 14, max_score: null}   # null: up to the highest possible score

Band rules: the first band starts at 0; each band starts one above the previous band's end
(no gaps, no overlaps); only the last band may leave ``max_score`` null, and if it gives a
number it must be the highest possible score (the number of scored questions); levels are
``standard``, ``medium`` and ``high``, each used at most once and in that order, so a higher
score never gives a lower level. An instrument need not use all three levels.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

__all__ = [
    "LEVELS",
    "Band",
    "Instrument",
    "InstrumentError",
    "RiskLevel",
    "Question",
    "Score",
    "instruments",
    "level",
    "load_instrument",
    "score",
]

RiskLevel = Literal["standard", "medium", "high"]
LEVELS: tuple[str, ...] = ("standard", "medium", "high")  # lowest to highest
INSTRUMENTS_DIR = Path(__file__).with_name("instruments")

_CONFIG = ConfigDict(extra="forbid", frozen=True)


class InstrumentError(ValueError):
    """An instrument file that cannot be loaded; the message names the file and the problem."""


class Question(BaseModel):
    model_config = _CONFIG

    id: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: StrictStr = Field(min_length=1)
    help: StrictStr = ""
    supplementary: StrictBool = False


class Band(BaseModel):
    model_config = _CONFIG

    level: RiskLevel
    min_score: StrictInt = Field(ge=0)
    max_score: StrictInt | None = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.max_score is not None and self.max_score < self.min_score:
            raise ValueError(f"band {self.level}: max_score {self.max_score} is below min_score {self.min_score}")
        return self


class Instrument(BaseModel):
    """A validated instrument. ``max_score`` is the number of scored (non-supplementary) questions."""

    model_config = _CONFIG

    id: StrictStr = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: StrictStr = Field(min_length=1)
    version: StrictStr = Field(min_length=1)
    source: StrictStr = Field(min_length=1)
    effective_from: date
    questions: tuple[Question, ...] = Field(min_length=1)
    scoring: Literal["count_yes"]
    bands: tuple[Band, ...] = Field(min_length=1)

    @property
    def scored_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if not q.supplementary)

    @property
    def max_score(self) -> int:
        return len(self.scored_questions)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(f"{self.id}: no question {question_id!r}")

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        seen: set[str] = set()
        for q in self.questions:
            if q.id in seen:
                raise ValueError(f"duplicate question id {q.id!r}")
            seen.add(q.id)
        n = self.max_score
        if n == 0:
            raise ValueError("every question is supplementary: nothing is scored")
        expected_min = 0
        last_level = -1
        for i, band in enumerate(self.bands):
            is_last = i == len(self.bands) - 1
            rank = LEVELS.index(band.level)
            if rank <= last_level:
                raise ValueError(
                    f"band {i} ({band.level}): levels must run standard, medium, high, each at most once"
                )
            last_level = rank
            if band.min_score < expected_min:
                raise ValueError(f"band {i} ({band.level}) starts at {band.min_score}: it overlaps the band before, "
                                 f"which ends at {expected_min - 1}")
            if band.min_score > expected_min:
                raise ValueError(f"band {i} ({band.level}) starts at {band.min_score}: scores from {expected_min} "
                                 f"to {band.min_score - 1} are in no band")
            if band.max_score is None:
                if not is_last:
                    raise ValueError(f"band {i} ({band.level}): only the last band may leave max_score null")
                if band.min_score > n:
                    raise ValueError(f"band {i} ({band.level}) starts at {band.min_score}, above the highest "
                                     f"possible score {n}")
                expected_min = n + 1
            else:
                if band.max_score > n:
                    raise ValueError(f"band {i} ({band.level}) ends at {band.max_score}, above the highest "
                                     f"possible score {n}")
                expected_min = band.max_score + 1
        if expected_min != n + 1:
            raise ValueError(f"the bands end at {expected_min - 1}: scores from {expected_min} to {n} are in no band")
        return self


@dataclass(frozen=True)
class Score:
    """The result of scoring one completed (or part-completed) form.

    ``value`` is the number of "yes" answers to scored questions. ``unanswered`` lists, in the
    instrument's order, the scored questions answered neither yes nor no (``None`` or absent);
    they count as not "yes", so the score of an incomplete form is a floor, not an estimate.
    ``supplementary_yes`` lists supplementary questions answered "yes" (recorded, not scored).
    """

    instrument_id: str
    value: int
    max_score: int
    unanswered: tuple[str, ...]
    supplementary_yes: tuple[str, ...] = ()

    @property
    def unanswered_count(self) -> int:
        return len(self.unanswered)

    @property
    def complete(self) -> bool:
        return not self.unanswered


def load_instrument(path: str | Path) -> Instrument:
    """Read and validate one instrument file; :class:`InstrumentError` names the file and the fault."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InstrumentError(f"{path}: cannot read instrument: {exc}") from exc
    if not isinstance(data, dict):
        raise InstrumentError(f"{path}: an instrument is a mapping of keys, got {type(data).__name__}")
    try:
        return Instrument.model_validate(data)
    except ValidationError as exc:
        raise InstrumentError(f"{path}: invalid instrument:\n{exc}") from exc


@lru_cache(maxsize=1)
def _shipped() -> tuple[tuple[str, Instrument], ...]:
    found: dict[str, Instrument] = {}
    for path in sorted(INSTRUMENTS_DIR.glob("*.yaml")):
        inst = load_instrument(path)
        if inst.id in found:
            raise InstrumentError(f"{path}: instrument id {inst.id!r} is used by another shipped file")
        found[inst.id] = inst
    return tuple(found.items())


def instruments() -> dict[str, Instrument]:
    """Every instrument shipped in ``instruments/``, by id (loaded once; a fresh dict each call)."""
    return dict(_shipped())


def score(instrument: Instrument, answers: Mapping[str, bool | None]) -> Score:
    """Score ``answers`` (question id to ``True``, ``False`` or ``None`` for unanswered).

    ``da.dash_score``: the score is the number of "yes" answers to scored questions; a
    question missing from ``answers`` is unanswered, like ``None``. An id that is not a question
    of the instrument raises ``ValueError`` naming it (a form from another instrument must not
    be scored silently); an answer that is not ``True``/``False``/``None`` raises ``TypeError``.
    """
    if instrument.scoring != "count_yes":  # pragma: no cover - the model admits nothing else
        raise ValueError(f"{instrument.id}: unknown scoring method {instrument.scoring!r}")
    known = {q.id for q in instrument.questions}
    unknown = sorted(k for k in answers if k not in known)
    if unknown:
        raise ValueError(f"{instrument.id}: unknown question id(s): {', '.join(map(repr, unknown))}")
    for qid, answer in answers.items():
        if answer is not None and not isinstance(answer, bool):
            raise TypeError(f"{instrument.id}: answer to {qid!r} must be True, False or None, got {answer!r}")
    yes = 0
    unanswered: list[str] = []
    supplementary_yes: list[str] = []
    for q in instrument.questions:
        answer = answers.get(q.id)
        if q.supplementary:
            if answer is True:
                supplementary_yes.append(q.id)
        elif answer is None:
            unanswered.append(q.id)
        elif answer:
            yes += 1
    return Score(instrument.id, yes, instrument.max_score, tuple(unanswered), tuple(supplementary_yes))


def level(instrument: Instrument, score: Score | int) -> RiskLevel:
    """The risk level the instrument's bands give ``score`` (``da.dash_bands``).

    ``score`` is a :class:`Score` from this instrument or a plain number from 0 to the
    instrument's ``max_score``; anything else raises ``ValueError``.
    """
    if isinstance(score, Score):
        if score.instrument_id != instrument.id:
            raise ValueError(f"score is from instrument {score.instrument_id!r}, not {instrument.id!r}")
        value = score.value
    elif isinstance(score, int) and not isinstance(score, bool):
        value = score
    else:
        raise TypeError(f"score must be a Score or an int, got {type(score).__name__}")
    if not 0 <= value <= instrument.max_score:
        raise ValueError(f"{instrument.id}: score {value} is outside 0 to {instrument.max_score}")
    for band in instrument.bands:
        if band.min_score <= value and (band.max_score is None or value <= band.max_score):
            return band.level
    raise AssertionError("validated bands cover every score")  # pragma: no cover


def instrument_by_id(instrument_id: str) -> Instrument:
    found = instruments().get(instrument_id)
    if found is None:
        raise InstrumentError(f"no risk identification instrument {instrument_id!r} is shipped")
    return found


def current_instrument(settings: Mapping[str, object]) -> Instrument:
    """The force's instrument (setting ``da.instrument``; DASH 2009 by default)."""
    return instrument_by_id(str(settings["da.instrument"]))
