"""The joint-investigation protocol agreed with children's social care, held as data.

A force's agreement (``agreements/<id>.yaml``) names the criteria that make an investigation a
joint one (any one met) and the risk factors every decision about a child must show as
considered. Loaded strictly: unknown keys, duplicate ids and empty lists are errors naming the
file and the field. Pure functions decide what the agreement says about a case, so a decision
recorded by any division can be checked against the same criteria.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictStr,
    ValidationError,
    model_validator,
)

AGREEMENTS_DIR = Path(__file__).with_name("agreements")
DEFAULT = "gwent-2007"
_ID = r"^[a-z0-9][a-z0-9\-]*$"
_CONFIG = ConfigDict(extra="forbid", frozen=True)


class AgreementError(ValueError):
    """An agreement file that cannot be loaded; the message names the file and the problem."""


class Item(BaseModel):
    model_config = _CONFIG
    id: StrictStr = Field(pattern=_ID, max_length=60)
    text: StrictStr = Field(min_length=1)


class Agreement(BaseModel):
    model_config = _CONFIG
    id: StrictStr = Field(pattern=_ID, max_length=40)
    title: StrictStr = Field(min_length=1)
    agreed_with: StrictStr = Field(min_length=1)
    source: StrictStr = Field(min_length=1)
    effective_from: date
    joint_investigation_criteria: tuple[Item, ...] = Field(min_length=1)
    risk_factors: tuple[Item, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Agreement:
        for name in ("joint_investigation_criteria", "risk_factors"):
            ids = [i.id for i in getattr(self, name)]
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            if repeated:
                raise ValueError(f"{name}: ids appear more than once: {', '.join(repeated)}")
        return self

    @property
    def criteria_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.joint_investigation_criteria)

    @property
    def factor_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.risk_factors)

    def criterion_text(self, criterion_id: str) -> str:
        return next(i.text for i in self.joint_investigation_criteria if i.id == criterion_id)

    def factor_text(self, factor_id: str) -> str:
        return next(i.text for i in self.risk_factors if i.id == factor_id)


def load_agreement(path: Path) -> Agreement:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise AgreementError(f"{path.name}: cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise AgreementError(f"{path.name}: must be a mapping of fields")
    try:
        agreement = Agreement.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'file'}: {e['msg']}" for e in exc.errors())
        raise AgreementError(f"{path.name}: {problems}") from exc
    if agreement.id != path.stem:
        raise AgreementError(f"{path.name}: id {agreement.id!r} must match the file name")
    return agreement


@lru_cache(maxsize=8)
def agreement(agreement_id: str = DEFAULT) -> Agreement:
    path = AGREEMENTS_DIR / f"{agreement_id}.yaml"
    if not path.is_file():
        raise AgreementError(f"no agreement {agreement_id!r} in {AGREEMENTS_DIR}")
    return load_agreement(path)


def unknown_criteria(agreement_: Agreement, criteria_met: Iterable[str]) -> list[str]:
    known = set(agreement_.criteria_ids)
    return sorted({c for c in criteria_met if c not in known})


def joint_required(agreement_: Agreement, criteria_met: Iterable[str]) -> bool:
    """The agreement requires a joint investigation when any one of its criteria is met."""
    met = set(criteria_met)
    if unknown := unknown_criteria(agreement_, met):
        raise AgreementError(f"criteria not in agreement {agreement_.id}: {', '.join(unknown)}")
    return bool(met)


def decision_consistent(agreement_: Agreement, criteria_met: Iterable[str], joint_investigation: bool) -> bool:
    """Whether a recorded joint-investigation decision is the one the agreement gives."""
    return joint_required(agreement_, criteria_met) == bool(joint_investigation)
