"""Plain, immutable types shared by the criteria loader, the grading engine and the reports.
No database here: these are what the pure functions take and return."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from beacon.inspection.binding import Binding


class Level(str, Enum):
    """The grade a criterion belongs to in the specific grading criteria (SGC)."""
    FAIR = "fair"
    GOOD = "good"
    EXCELLENT = "excellent"


class Standard(str, Enum):
    """The assessment standards the 2007 report names for protecting vulnerable people
    (Protecting Vulnerable People – Overview, 'National contextual factors')."""
    LEADERSHIP = "leadership_and_accountability"
    POLICY = "policy_implementation"
    INFORMATION = "information_management"
    STAFFING = "staffing_workload_and_supervision"
    PERFORMANCE = "performance_monitoring_and_management"
    TRAINING = "training"
    RISK = "management_of_risk"
    PARTNERSHIP = "partnership_working"


class Grade(str, Enum):
    EXCELLENT = "excellent"
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"

    @property
    def rank(self) -> int:
        return {"poor": 0, "fair": 1, "good": 2, "excellent": 3}[self.value]

    @property
    def label(self) -> str:
        return self.value.capitalize()


def grade_rank(grade: Grade | None) -> int:
    """Not evidenced (None: no grade) sits below Poor."""
    return grade.rank if grade is not None else -1


def grade_label(grade: Grade | None) -> str:
    return grade.label if grade is not None else "Not evidenced"


def grade_value(grade: Grade | None) -> str | None:
    return grade.value if grade is not None else None


class Result(str, Enum):
    """An inspector's assessment of one criterion."""
    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    NOT_EVIDENCED = "not_evidenced"
    NOT_APPLICABLE = "not_applicable"


class Finding(str, Enum):
    """What a piece of evidence shows, in the report's own headings."""
    STRENGTH = "strength"
    WORK_IN_PROGRESS = "work_in_progress"
    AREA_FOR_IMPROVEMENT = "area_for_improvement"


@dataclass(frozen=True)
class Criterion:
    id: str                      # e.g. "mp.f.compliance-monitored"
    framework_id: str            # e.g. "missing_persons"
    standard: Standard
    level: Level
    text: str                    # what a force must show
    significant: bool = False    # Fair criteria only: must all be met for Fair
    dominant: bool = False       # failing it alone can warrant Poor
    typical_evidence: tuple[str, ...] = ()
    source: str = ""             # the report section and paragraph it comes from
    binding: Binding | None = None   # the measures that propose its result from records (None: judgement only)
    judgement: str = ""          # for an unbound criterion of a framework with bindings: why records cannot evidence it


@dataclass(frozen=True)
class Framework:
    id: str                      # e.g. "missing_persons"
    title: str                   # e.g. "Protecting Vulnerable People – Missing Persons"
    kind: str                    # "programmed" or "risk_based"
    area: str                    # "Neighbourhood Policing", "Performance management", "Protecting vulnerable people"
    description: str = ""
    criteria: tuple[Criterion, ...] = ()
    graded: bool = True          # the PVP overview is reported but not graded


@dataclass(frozen=True)
class Library:
    id: str                      # e.g. "hmic-2007"
    title: str
    version: str                 # semantic version of the criteria set, e.g. "1.0.0"
    effective_from: str          # ISO date the criteria apply from
    frameworks: tuple[Framework, ...] = field(default_factory=tuple)

    def framework(self, framework_id: str) -> Framework:
        for f in self.frameworks:
            if f.id == framework_id:
                return f
        raise KeyError(framework_id)
