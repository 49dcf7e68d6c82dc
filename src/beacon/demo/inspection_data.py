"""The demo inspection's typed evidence and assessments, as data (``inspections/<id>.yaml``),
loaded as strictly as the criteria library: an unknown key, method, finding or result, a
criterion the library does not have, a criterion left unassessed, or an assessment citing
evidence that does not exist fails with the file, the entry and the problem."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError

from beacon.inspection.models import Method
from beacon.inspection.types import Finding, Library, Result

INSPECTIONS_DIR = Path(__file__).with_name("inspections")
_CONFIG = ConfigDict(extra="forbid", frozen=True)
_KEY = r"^[a-z0-9][a-z0-9\-]*$"


class InspectionDataError(ValueError):
    """An inspection data file that cannot be loaded; the message names the file and the entry."""


class EvidenceItem(BaseModel):
    model_config = _CONFIG
    key: StrictStr = Field(pattern=_KEY, max_length=60)
    method: Method
    title: StrictStr = Field(min_length=1, max_length=200)
    summary: StrictStr = Field(min_length=1)
    source: StrictStr = Field(min_length=1, max_length=200)
    finding: Finding | None
    criteria: tuple[StrictStr, ...]
    gathered_on: date


class Assessment(BaseModel):
    model_config = _CONFIG
    result: Result
    justification: StrictStr = Field(min_length=20)
    evidence: tuple[StrictStr, ...] = ()


class PracticeEntry(BaseModel):
    model_config = _CONFIG
    title: StrictStr = Field(min_length=1)
    problem: StrictStr = Field(min_length=1)
    solution: StrictStr = Field(min_length=1)
    outcomes: StrictStr = Field(min_length=1)
    force_contact: StrictStr = Field(min_length=1)


class FrameworkData(BaseModel):
    model_config = _CONFIG
    why: StrictStr = Field(min_length=1)
    evidence: tuple[EvidenceItem, ...] = ()
    assessments: dict[StrictStr, Assessment]
    moderation: StrictStr | None = None
    practice: tuple[PracticeEntry, ...] = ()


class InspectionData(BaseModel):
    model_config = _CONFIG
    id: StrictStr = Field(pattern=_KEY)
    library: StrictStr
    title: StrictStr
    source: StrictStr
    frameworks: dict[StrictStr, FrameworkData]


def load(path: Path, lib: Library, computed_keys: dict[str, set[str]]) -> InspectionData:
    """``computed_keys``: framework -> the keys of the evidence the demo computes from records,
    which assessments may cite beside the typed evidence."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = InspectionData.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise InspectionDataError(f"{path.name}: cannot be read: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InspectionDataError(f"{path.name}: {where}: {first['msg']}") from exc
    if data.library != lib.id:
        raise InspectionDataError(f"{path.name}: library: {data.library!r} is not {lib.id!r}")
    problems = []
    keys = [e.key for f in data.frameworks.values() for e in f.evidence]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        problems.append(f"evidence keys appear more than once: {', '.join(repeated)}")
    for fid, fw_data in data.frameworks.items():
        try:
            framework = lib.framework(fid)
        except KeyError:
            problems.append(f"frameworks.{fid}: not a framework of {lib.id}")
            continue
        ids = {c.id for c in framework.criteria}
        for e in fw_data.evidence:
            unknown = sorted(set(e.criteria) - ids)
            if unknown:
                problems.append(f"frameworks.{fid}.evidence.{e.key}: not criteria of {fid}: {', '.join(unknown)}")
        unknown = sorted(set(fw_data.assessments) - ids)
        if unknown:
            problems.append(f"frameworks.{fid}.assessments: not criteria of {fid}: {', '.join(unknown)}")
        missing = sorted(ids - set(fw_data.assessments))
        if missing:
            problems.append(f"frameworks.{fid}.assessments: criteria not assessed: {', '.join(missing)}")
        citable = {e.key for e in fw_data.evidence} | computed_keys.get(fid, set())
        for cid, a in fw_data.assessments.items():
            uncited = sorted(set(a.evidence) - citable)
            if uncited:
                problems.append(f"frameworks.{fid}.assessments.{cid}: no evidence {', '.join(uncited)}")
    if problems:
        raise InspectionDataError(f"{path.name}: " + "; ".join(problems))
    return data
