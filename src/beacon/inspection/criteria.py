"""Criteria libraries: HMIC's frameworks and specific grading criteria (SGC) as versioned YAML.

A library file (``criteria/*.yaml``) is checked strictly before anything grades against it:
the structure by pydantic models that forbid unknown keys, then the rules the grading process
relies on (unique ids that carry their framework's prefix and level letter, significant and
dominant only on Fair criteria, dominant implies significant, every graded framework has a
significant Fair and a Good criterion). Every problem names the file and the path inside it,
e.g. ``criteria/x.yaml: frameworks[2].criteria[5].level: 'superb' is not one of fair, good,
excellent``. Files are read with ``yaml.safe_load``, after a pass over the composed node tree
that refuses a key given twice in one mapping (PyYAML would keep the last silently). An
unquoted ``effective_from`` date is accepted as that date; ``version`` must be a quoted string.

    load_library(path) -> Library        raises CriteriaError(problems)
    load_all(directory) -> list[Library]
    check(path) -> list[str]             the problems; empty when the file is sound
    criteria_markdown(library) -> str    the reference in docs/criteria.md

``python -m beacon.inspection.criteria > docs/criteria.md`` regenerates the reference.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from beacon.inspection.binding import MEASURED_AUDITS, RATE, STATISTICS, Binding, Measure
from beacon.inspection.types import Criterion, Framework, Level, Library, Standard

SCHEMA_VERSION = 1
DEFAULT_DIRECTORY = "criteria"
PROJECT_ROOT = Path(__file__).resolve().parents[3]

LEVELS = tuple(level.value for level in Level)                 # fair, good, excellent
STANDARDS = tuple(standard.value for standard in Standard)
KINDS = ("programmed", "risk_based")
LEVEL_LETTER = {"fair": "f", "good": "g", "excellent": "e"}

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
LIBRARY_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRAMEWORK_ID = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
PREFIX = re.compile(r"^[a-z]{2,4}$")
CRITERION_ID = re.compile(r"^(?P<prefix>[a-z]{2,4})\.(?P<letter>[fge])\.(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CriteriaError(Exception):
    """A criteria library failed its checks; ``problems`` lists every one found."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# --- the file's shape ------------------------------------------------------------------------

def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


def _one_of(value: str, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class MeasureModel(_Strict):
    audit: str
    rule: str
    statistic: str = RATE

    _statistic = field_validator("statistic")(lambda v: _one_of(v, STATISTICS))


class ThresholdsModel(_Strict):
    met_at: float | None = None
    partly_at: float | None = None
    reason: str

    _texts = field_validator("reason")(_text)

    @field_validator("met_at", "partly_at", mode="before")
    @classmethod
    def _share(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{value!r} must be a share from 0 to 1, e.g. 0.9")
        if not 0 < value <= 1:
            raise ValueError(f"{value!r} is out of range: a share greater than 0 and at most 1")
        return float(value)


class CriterionModel(_Strict):
    id: str
    level: str
    significant: bool | None = None      # required on Fair criteria (checked below)
    dominant: bool = False
    standard: str
    text: str
    typical_evidence: list[str] = Field(min_length=1)
    source: str
    measures: list[MeasureModel] | None = None
    thresholds: ThresholdsModel | None = None
    judgement: str = ""

    _level = field_validator("level")(lambda v: _one_of(v, LEVELS))
    _standard = field_validator("standard")(lambda v: _one_of(v, STANDARDS))
    _texts = field_validator("id", "text", "source")(_text)

    @field_validator("typical_evidence")
    @classmethod
    def _evidence(cls, items: list[str]) -> list[str]:
        for item in items:
            if not item.strip():
                raise ValueError("items must not be empty")
        return [item.strip() for item in items]


class FrameworkModel(_Strict):
    id: str
    prefix: str
    title: str
    kind: str
    area: str
    graded: bool = True
    description: str = ""
    notes: str = ""
    criteria: list[CriterionModel] = Field(min_length=1)

    _kind = field_validator("kind")(lambda v: _one_of(v, KINDS))
    _texts = field_validator("id", "prefix", "title", "area")(_text)


class LibraryModel(_Strict):
    id: str
    title: str
    version: str
    effective_from: str
    schema_: int = Field(alias="schema")
    source: str = ""
    notes: str = ""
    frameworks: list[FrameworkModel] = Field(min_length=1)

    _texts = field_validator("id", "title")(_text)

    @field_validator("version", mode="before")
    @classmethod
    def _semver(cls, value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(f"{value!r} must be a quoted string MAJOR.MINOR.PATCH (e.g. \"1.0.0\")")
        if not SEMVER.match(value):
            raise ValueError(f"{value!r} is not a semantic version MAJOR.MINOR.PATCH (e.g. \"1.0.0\")")
        return value

    @field_validator("effective_from", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        if isinstance(value, datetime):
            raise ValueError(f"{value.isoformat()!r} is a date and time; give an ISO date YYYY-MM-DD")
        if isinstance(value, date):          # an unquoted date in YAML
            return value.isoformat()
        if isinstance(value, str):
            try:
                if not ISO_DATE.match(value):
                    raise ValueError
                date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{value!r} is not a real ISO date YYYY-MM-DD") from None
        return value


# --- reading and checking --------------------------------------------------------------------

def _duplicate_keys(node: yaml.Node | None, at: tuple[Any, ...] = (), seen: set[int] | None = None) -> list[str]:
    """Keys given twice in one mapping (which ``yaml.safe_load`` would settle silently in
    favour of the last), each as ``path: duplicate key (line N)``."""
    seen = set() if seen is None else seen
    if node is None or id(node) in seen:
        return []
    seen.add(id(node))
    found: list[str] = []
    if isinstance(node, yaml.MappingNode):
        keys: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
            line = key_node.start_mark.line + 1
            if key in keys:
                found.append(f"{_location((*at, key))}: duplicate key {key!r} (line {line}; first at line {keys[key]})")
            else:
                keys[key] = line
            found += _duplicate_keys(value_node, (*at, key), seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found += _duplicate_keys(item, (*at, i), seen)
    return found


def _location(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _message(error: dict[str, Any], model_fields: dict[tuple[str, ...], tuple[str, ...]]) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        parent = tuple(p for p in error["loc"][:-1] if not isinstance(p, int))
        allowed = model_fields.get(parent[-1:] if parent else (), ())
        return f"unknown key {error['loc'][-1]!r}" + (f" (allowed: {', '.join(allowed)})" if allowed else "")
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind == "too_short":
        return "must not be empty"
    return f"{error['msg']} (got {error['input']!r})"


_FIELDS = {
    (): tuple(f.alias or name for name, f in LibraryModel.model_fields.items()),
    ("frameworks",): tuple(FrameworkModel.model_fields),
    ("criteria",): tuple(CriterionModel.model_fields),
    ("measures",): tuple(MeasureModel.model_fields),
    ("thresholds",): tuple(ThresholdsModel.model_fields),
}


def _read(path: Path) -> tuple[Any, list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return None, [f"{path}: cannot read: {exc.strerror or exc}"]
    try:
        duplicates = _duplicate_keys(yaml.compose(text, Loader=yaml.SafeLoader))
        if duplicates:
            return None, [f"{path}: {d}" for d in duplicates]
        return yaml.safe_load(text), []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        return None, [f"{path}: {where}YAML syntax error: {problem}" + (f" ({context})" if context else "")]


def _structure(path: Path, raw: Any) -> tuple[LibraryModel | None, list[str]]:
    if not isinstance(raw, dict):
        return None, [f"{path}: (top level): expected a mapping of library fields, got {type(raw).__name__}"]
    if "schema" in raw and raw["schema"] != SCHEMA_VERSION:
        return None, [f"{path}: schema: this Beacon reads criteria schema {SCHEMA_VERSION}; the file says "
                      f"{raw['schema']!r}. Convert the file, or upgrade Beacon."]
    try:
        return LibraryModel.model_validate(raw), []
    except ValidationError as exc:
        return None, [f"{path}: {_location(e['loc'])}: {_message(e, _FIELDS)}" for e in exc.errors()]


def _rules(path: Path, lib: LibraryModel) -> list[str]:
    problems: list[str] = []

    def problem(where: str, message: str) -> None:
        problems.append(f"{path}: {where}: {message}")

    if not LIBRARY_ID.match(lib.id):
        problem("id", f"{lib.id!r} must be lower-case words joined by hyphens, e.g. 'hmic-2007'")
    framework_ids: dict[str, int] = {}
    prefixes: dict[str, int] = {}
    criterion_ids: dict[str, str] = {}
    for fi, fw in enumerate(lib.frameworks):
        at = f"frameworks[{fi}]"
        if not FRAMEWORK_ID.match(fw.id):
            problem(f"{at}.id", f"{fw.id!r} must be lower-case words joined by underscores")
        if fw.id in framework_ids:
            problem(f"{at}.id", f"duplicate framework id {fw.id!r} (also frameworks[{framework_ids[fw.id]}])")
        framework_ids.setdefault(fw.id, fi)
        if not PREFIX.match(fw.prefix):
            problem(f"{at}.prefix", f"{fw.prefix!r} must be 2 to 4 lower-case letters")
        if fw.prefix in prefixes:
            problem(f"{at}.prefix", f"duplicate prefix {fw.prefix!r} (also frameworks[{prefixes[fw.prefix]}])")
        prefixes.setdefault(fw.prefix, fi)
        if fw.kind == "risk_based" and not fw.description.strip():
            problem(f"{at}.description", "a risk-based framework needs a description")
        for ci, c in enumerate(fw.criteria):
            cat = f"{at}.criteria[{ci}]"
            m = CRITERION_ID.match(c.id)
            if not m:
                problem(f"{cat}.id", f"{c.id!r} does not match PREFIX.LEVEL.slug "
                                     f"(e.g. '{fw.prefix}.{LEVEL_LETTER[c.level]}.some-thing')")
            else:
                if m["prefix"] != fw.prefix:
                    problem(f"{cat}.id", f"{c.id!r} must start with the framework prefix {fw.prefix!r}")
                if m["letter"] != LEVEL_LETTER[c.level]:
                    problem(f"{cat}.id", f"{c.id!r}: level letter {m['letter']!r} does not match level "
                                         f"{c.level!r} (expected {LEVEL_LETTER[c.level]!r})")
            if c.id in criterion_ids:
                problem(f"{cat}.id", f"duplicate criterion id {c.id!r} (also {criterion_ids[c.id]})")
            criterion_ids.setdefault(c.id, cat)
            if c.level == "fair":
                if c.significant is None:
                    problem(f"{cat}.significant", "required on a Fair criterion (true or false)")
            else:
                if c.significant:
                    problem(f"{cat}.significant", f"only Fair criteria can be significant (this one is {c.level})")
                if c.dominant:
                    problem(f"{cat}.dominant", f"only Fair criteria can be dominant (this one is {c.level})")
            if c.dominant and c.level == "fair" and not c.significant:
                problem(f"{cat}.dominant", "a dominant criterion must also be significant")
            if c.dominant and not fw.graded:
                problem(f"{cat}.dominant", f"framework {fw.id!r} is not graded, so nothing can be dominant in it")
            _binding_rules(problem, cat, fw, c)
        if fw.graded:
            if not any(c.level == "fair" and c.significant for c in fw.criteria):
                problem(f"{at}.criteria", f"graded framework {fw.id!r} has no significant Fair criterion")
            if not any(c.level == "good" for c in fw.criteria):
                problem(f"{at}.criteria", f"graded framework {fw.id!r} has no Good criterion")
    return problems


def _binding_rules(problem, cat: str, fw: FrameworkModel, c: CriterionModel) -> None:
    """A binding names audits of its own framework and rules those audits count; thresholds only
    with measures, and partly met below met."""
    if c.measures is None:
        if c.thresholds is not None:
            problem(f"{cat}.thresholds", "thresholds without measures: bind the criterion to a measure first")
        return
    if c.judgement:
        problem(f"{cat}.judgement", "a bound criterion's result comes from its measures; remove the judgement note")
    if not fw.graded:
        problem(f"{cat}.measures", f"framework {fw.id!r} is not graded, so no criterion of it can be bound")
    if not c.measures:
        problem(f"{cat}.measures", "must name at least one measure (or leave measures out)")
    seen = set()
    for mi, m in enumerate(c.measures):
        at = f"{cat}.measures[{mi}]"
        known = MEASURED_AUDITS.get(m.audit)
        if known is None:
            problem(f"{at}.audit", f"{m.audit!r} is not an audit criteria can be bound to "
                                   f"(one of {', '.join(MEASURED_AUDITS)})")
            continue
        framework_id, rules = known
        if framework_id != fw.id:
            problem(f"{at}.audit", f"{m.audit!r} is evidence for the {framework_id} framework, not {fw.id}")
        if m.rule not in rules:
            problem(f"{at}.rule", f"{m.rule!r} is not a rule {m.audit} counts (one of {', '.join(rules)})")
        if (m.audit, m.rule, m.statistic) in seen:
            problem(at, f"the same measure twice ({m.audit} {m.rule} {m.statistic})")
        seen.add((m.audit, m.rule, m.statistic))
    t = c.thresholds
    if t is not None:
        if t.met_at is None and t.partly_at is None:
            problem(f"{cat}.thresholds", "give met_at, partly_at or both (or leave thresholds out)")
        if t.met_at is not None and t.partly_at is not None and t.partly_at > t.met_at:
            problem(f"{cat}.thresholds.partly_at", f"{t.partly_at} is above met_at {t.met_at}: partly met must "
                                                   "start below met")


def _binding(c: CriterionModel) -> Binding | None:
    if not c.measures:
        return None
    t = c.thresholds
    return Binding(c.id, tuple(Measure(m.audit, m.rule, m.statistic) for m in c.measures),
                   t.met_at if t else None, t.partly_at if t else None, " ".join(t.reason.split()) if t else "")


def _parse(path: str | Path) -> tuple[LibraryModel | None, list[str]]:
    path = Path(path)
    raw, problems = _read(path)
    if problems:
        return None, problems
    model, problems = _structure(path, raw)
    if model is None:
        return None, problems
    return model, _rules(path, model)


def check(path: str | Path) -> list[str]:
    """Every problem with the library file at ``path``; an empty list when it is sound."""
    return _parse(path)[1]


def _to_library(model: LibraryModel) -> Library:
    return Library(
        id=model.id, title=model.title, version=model.version, effective_from=model.effective_from,
        frameworks=tuple(
            Framework(
                id=fw.id, title=fw.title, kind=fw.kind, area=fw.area, description=" ".join(fw.description.split()),
                graded=fw.graded,
                criteria=tuple(
                    Criterion(id=c.id, framework_id=fw.id, standard=Standard(c.standard), level=Level(c.level),
                              text=c.text, significant=bool(c.significant), dominant=c.dominant,
                              typical_evidence=tuple(c.typical_evidence), source=c.source,
                              binding=_binding(c), judgement=" ".join(c.judgement.split()))
                    for c in fw.criteria))
            for fw in model.frameworks))


def load_library(path: str | Path) -> Library:
    """The library at ``path``; raises CriteriaError listing every problem if it is not sound."""
    model, problems = _parse(path)
    if problems or model is None:
        raise CriteriaError(problems)
    return _to_library(model)


def _directory(directory: str | Path) -> Path:
    d = Path(directory)
    if not d.is_absolute() and not d.is_dir() and (PROJECT_ROOT / d).is_dir():
        return PROJECT_ROOT / d
    return d


def library_files(directory: str | Path = DEFAULT_DIRECTORY) -> list[Path]:
    d = _directory(directory)
    return sorted([*d.glob("*.yaml"), *d.glob("*.yml")])


def load_all(directory: str | Path = DEFAULT_DIRECTORY) -> list[Library]:
    """Every library in ``directory`` (relative paths fall back to the project root), sorted by
    file name; raises CriteriaError with the problems of every unsound file, or if two files
    carry the same library id and version."""
    problems: list[str] = []
    libraries: list[Library] = []
    seen: dict[tuple[str, str], Path] = {}
    for path in library_files(directory):
        try:
            lib = load_library(path)
        except CriteriaError as exc:
            problems.extend(exc.problems)
            continue
        key = (lib.id, lib.version)
        if key in seen:
            problems.append(f"{path}: id: library {lib.id!r} version {lib.version} is also defined in {seen[key]}")
            continue
        seen[key] = path
        libraries.append(lib)
    if problems:
        raise CriteriaError(problems)
    return libraries


# --- reporting -------------------------------------------------------------------------------

def _counts(criteria: Iterable[Criterion]) -> dict[str, int]:
    criteria = list(criteria)
    by_level = Counter(c.level.value for c in criteria)
    return {"total": len(criteria), **{lv: by_level[lv] for lv in LEVELS},
            "significant": sum(c.significant for c in criteria), "dominant": sum(c.dominant for c in criteria)}


def summary(library: Library) -> list[str]:
    """Short lines describing a sound library: totals, then one line per framework."""
    all_criteria = [c for fw in library.frameworks for c in fw.criteria]
    t = _counts(all_criteria)
    lines = [f"{library.id} {library.version} (effective {library.effective_from}): {len(library.frameworks)} "
             f"frameworks, {t['total']} criteria (fair {t['fair']}, good {t['good']}, excellent {t['excellent']}; "
             f"{t['significant']} significant, {t['dominant']} dominant)"]
    for fw in library.frameworks:
        n = _counts(fw.criteria)
        flag = "" if fw.graded else ", not graded"
        lines.append(f"  {fw.id:<28} {fw.kind:<10} {n['total']:>3} criteria: F {n['fair']:>2} (S {n['significant']}, "
                     f"D {n['dominant']}), G {n['good']:>2}, E {n['excellent']}{flag}")
    return lines


def criteria_check_command(paths: list[str]) -> int:
    """``beacon criteria check [PATH...]``: check each library file (default: every file in the
    criteria directory), print a summary of each sound one or the problems; 0 if all are sound."""
    files = [Path(p) for p in paths] if paths else library_files()
    if not files:
        print(f"No criteria files found in {_directory(DEFAULT_DIRECTORY)}.")
        return 1
    failed = False
    for path in files:
        model, problems = _parse(path)
        if problems or model is None:
            failed = True
            print(f"{path}: {len(problems)} problem(s)")
            for p in problems:
                print(f"  {p}")
            continue
        print(f"{path}: OK")
        for line in summary(_to_library(model)):
            print(f"  {line}")
    return 1 if failed else 0


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def criteria_markdown(library: Library) -> str:
    """The reference for one library, as Markdown (docs/criteria.md)."""
    t = _counts(c for fw in library.frameworks for c in fw.criteria)
    out = [
        f"# Criteria: {library.title}",
        "",
        "Generated from `criteria/*.yaml` by `python -m beacon.inspection.criteria > docs/criteria.md`; "
        "do not edit by hand. Check a library with `beacon criteria check`.",
        "",
        f"Library `{library.id}`, version {library.version}, effective from {library.effective_from}: "
        f"{len(library.frameworks)} frameworks, {t['total']} criteria (Fair {t['fair']}, Good {t['good']}, "
        f"Excellent {t['excellent']}; {t['significant']} significant, {t['dominant']} dominant).",
        "",
        "Flags: **S** significant (every significant Fair criterion must be met for Fair); "
        "**D** dominant (failing it alone can warrant Poor).",
        "",
        "| framework | kind | area | graded | Fair (S, D) | Good | Excellent |",
        "|---|---|---|---|---|---|---|",
    ]
    for fw in library.frameworks:
        n = _counts(fw.criteria)
        out.append(f"| [{_cell(fw.title)}](#{fw.id.replace('_', '-')}) | {fw.kind} | {_cell(fw.area)} | "
                   f"{'yes' if fw.graded else 'no'} | {n['fair']} ({n['significant']}, {n['dominant']}) | "
                   f"{n['good']} | {n['excellent']} |")
    out += _bindings_markdown(library)
    for fw in library.frameworks:
        out += ["", f'<a id="{fw.id.replace("_", "-")}"></a>', "", f"## {fw.title}", "",
                f"`{fw.id}` · {fw.kind.replace('_', '-')} · {fw.area}" + ("" if fw.graded else " · not graded"), ""]
        if fw.description:
            out += [fw.description, ""]
        out += ["| id | level | flags | standard | criterion | source |", "|---|---|---|---|---|---|"]
        for c in fw.criteria:
            flags = " ".join(f for f, on in (("S", c.significant), ("D", c.dominant)) if on)
            out.append(f"| `{c.id}` | {c.level.value} | {flags} | {c.standard.value.replace('_', ' ')} | "
                       f"{_cell(c.text)} | {_cell(c.source)} |")
    return "\n".join(out) + "\n"


# Why a criterion records cannot evidence stays the inspector's, by its assessment standard.
JUDGEMENT_BY_STANDARD = {
    Standard.LEADERSHIP: "leadership is seen in plans, minutes and interviews, not in case records",
    Standard.POLICY: "whether a policy exists, complies and is communicated is read in documents and interviews",
    Standard.PARTNERSHIP: "partnership working is judged with the partners; Beacon holds only the police side",
    Standard.TRAINING: "training records are not in Beacon",
    Standard.STAFFING: "establishment, workload assessment and supervision structures are not case records",
    Standard.PERFORMANCE: "how the force uses its figures is judged from its meetings and products",
    Standard.INFORMATION: "systems and information flows are judged by testing them and reading documents",
    Standard.RISK: "no Beacon audit counts it yet",
}


def _bindings_markdown(library: Library) -> list[str]:
    """Which criteria the records evidence (their measures and thresholds), and which remain the
    inspector's judgement, with why, for every framework that has a binding."""
    with_bindings = [fw for fw in library.frameworks if any(c.binding for c in fw.criteria)]
    if not with_bindings:
        return []
    out = ["", "## Criteria bound to records", "",
           "A bound criterion's result is proposed from Beacon's audits of the force's records (computed "
           "evidence in an inspection; a rolling year for the live grades): Met from `grading.bound.met_at` "
           "(default 85%) of applicable records meeting the rule, Partly met from `grading.bound.partly_at` "
           "(70%), Not met below; Not evidenced when the rule applied to fewer than "
           "`grading.bound.minimum_records` (20). A binding may set stricter thresholds of its own, with the "
           "reason. The inspector accepts the proposal or sets another result with a reason (an override, "
           "flagged for moderation when the grade rests on it). Every other criterion stays the inspector's "
           "judgement.", "",
           "| criterion | measures | thresholds |", "|---|---|---|"]
    for fw in with_bindings:
        for c in fw.criteria:
            if c.binding:
                measures = "; ".join(f"`{m.rule_id}` ({m.audit}, "
                                     f"{'lowest division' if m.statistic == 'lowest_division' else 'force-wide rate'})"
                                     for m in c.binding.measures)
                b = c.binding
                own = (f"met {b.met_at:.0%}" if b.met_at is not None else "") + (
                    f", partly {b.partly_at:.0%}" if b.partly_at is not None else "")
                out.append(f"| `{c.id}` | {measures} | {_cell(own + ': ' + b.reason) if own else 'the settings'} |")
    out += ["", "### Judgement only", "",
            "| criterion | why the records cannot evidence it |", "|---|---|"]
    for fw in with_bindings:
        for c in fw.criteria:
            if not c.binding:
                why = c.judgement or (
                    "the Excellent factor is evidence of other forces importing the practice, or of evaluated "
                    "innovation" if c.level is Level.EXCELLENT else JUDGEMENT_BY_STANDARD[c.standard])
                out.append(f"| `{c.id}` | {_cell(why[:1].upper() + why[1:])} |")
    return out


def libraries_markdown(libraries: Iterable[Library]) -> str:
    return "\n".join(criteria_markdown(lib) for lib in libraries)


if __name__ == "__main__":
    try:
        sys.stdout.write(libraries_markdown(load_all()))
    except CriteriaError as exc:
        sys.stderr.write(str(exc) + "\n")
        sys.exit(1)
