"""The grading engine: Excellent, Good, Fair and Poor exactly as HMIC's 2007 report defines
them ("The grading process"), as a pure function with no database.

- Excellent: all Fair criteria and the vast majority of Good; and the force is a 'beacon'
  (others imported its practice) and has introduced and evaluated innovation.
- Good: all Fair criteria in full and most of Good.
- Fair: all significant Fair criteria.
- Poor: well short of a significant number of Fair criteria; or one critical ('dominant')
  criterion failed.

"Most", "the vast majority" and "a significant number" are settings (``Thresholds``). A
criterion is *met* only when assessed Met; Partly met and Not evidenced fall short of it but
are not *well short* (only Not met is). Not applicable criteria leave every count. Where the
words leave the grade to judgement the result is provisional and says why, for moderation:
- some significant Fair criteria are missed, but fewer than a significant number are not met
  (provisional Poor if any is not met, provisional Fair if they are only partly met or not
  evidenced);
- a dominant criterion is only partly met or not evidenced.
A framework with a significant Fair criterion Not evidenced, and not Poor on the criteria that
were evidenced, has no grade at all (``grade`` is None, "Not evidenced"): the report grades a
force on what it shows, and Fair or better cannot be shown while a significant criterion has no
evidence. Such a framework cannot be moderated to a grade or published until it is evidenced.
Borderline grades (up to ``margin`` criteria short of the next grade's threshold) are graded
by the letter and flagged for moderation, since a moderator may lift them.
"""
from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace

from beacon.inspection.types import Criterion, Framework, Grade, Level, Result, grade_label


@dataclass(frozen=True)
class Thresholds:
    most: float = 0.6
    vast_majority: float = 0.85
    significant_number: float = 0.25
    significant_number_min: int = 2
    margin: int = 1

    @classmethod
    def from_settings(cls, settings: Mapping[str, object]) -> Thresholds:
        return cls(most=float(settings["grading.most"]), vast_majority=float(settings["grading.vast_majority"]),
                   significant_number=float(settings["grading.significant_number"]),
                   significant_number_min=int(settings["grading.significant_number_min"]),
                   margin=int(settings["grading.moderation_margin"]))

    def needed(self, share: float, total: int) -> int:
        """The fewest of ``total`` that make up ``share`` of them (at least one when total > 0)."""
        return max(1, math.ceil(share * total - 1e-9)) if total else 0

    def significant_count(self, total: int) -> int:
        return max(self.significant_number_min, math.ceil(self.significant_number * total - 1e-9))


@dataclass(frozen=True)
class Tally:
    met: int
    applicable: int

    def __str__(self) -> str:
        return f"{self.met} of {self.applicable}"


@dataclass(frozen=True)
class GradeDecision:
    """The engine's grade for one framework, why, and what a moderator should look at. Stored as
    ``to_json()`` (``FrameworkGrade.explanation``) and read back with ``from_json``."""
    grade: Grade | None                  # None: not evidenced, so not graded
    provisional: bool
    reasons: tuple[str, ...]             # why this grade, in order
    deciding: tuple[str, ...]            # the criterion ids that decided it
    moderation: tuple[str, ...]          # why a moderator should look (empty: none needed)
    fair_significant: Tally
    fair: Tally
    good: Tally
    excellent: Tally

    @property
    def needs_moderation(self) -> bool:
        return self.provisional or bool(self.moderation)

    @property
    def evidenced(self) -> bool:
        return self.grade is not None

    @property
    def label(self) -> str:
        return grade_label(self.grade)

    def to_json(self) -> dict:
        return {"grade": self.grade.value if self.grade is not None else None, "provisional": self.provisional, "reasons": list(self.reasons),
                "deciding": list(self.deciding), "moderation": list(self.moderation),
                **{k: {"met": t.met, "applicable": t.applicable} for k, t in self.tallies().items()}}

    def tallies(self) -> dict[str, Tally]:
        return {"fair_significant": self.fair_significant, "fair": self.fair, "good": self.good,
                "excellent": self.excellent}

    @classmethod
    def from_json(cls, data: Mapping) -> GradeDecision:
        tally = lambda k: Tally(int(data[k]["met"]), int(data[k]["applicable"]))  # noqa: E731
        return cls(Grade(data["grade"]) if data["grade"] is not None else None, bool(data["provisional"]), tuple(data["reasons"]), tuple(data["deciding"]),
                   tuple(data.get("moderation", ())), tally("fair_significant"), tally("fair"), tally("good"),
                   tally("excellent"))


def grade(framework: Framework, results: Mapping[str, Result], *, beacon: bool, innovation_evaluated: bool,
          thresholds: Thresholds = Thresholds()) -> GradeDecision:
    """Grade one framework from the assessment of each of its criteria (a criterion with no
    assessment counts as Not evidenced)."""
    result = {c.id: results.get(c.id, Result.NOT_EVIDENCED) for c in framework.criteria}
    applicable = [c for c in framework.criteria if result[c.id] is not Result.NOT_APPLICABLE]
    fair = [c for c in applicable if c.level is Level.FAIR]
    significant = [c for c in fair if c.significant]
    good = [c for c in applicable if c.level is Level.GOOD]
    excellent = [c for c in applicable if c.level is Level.EXCELLENT]
    met = lambda cs: [c for c in cs if result[c.id] is Result.MET]  # noqa: E731
    tallies = dict(fair_significant=Tally(len(met(significant)), len(significant)),
                   fair=Tally(len(met(fair)), len(fair)), good=Tally(len(met(good)), len(good)),
                   excellent=Tally(len(met(excellent)), len(excellent)))
    moderation: list[str] = []

    def decide(g: Grade | None, reasons: list[str], deciding: list[Criterion], provisional: bool = False) -> GradeDecision:
        return GradeDecision(g, provisional, tuple(reasons), tuple(c.id for c in deciding), tuple(moderation), **tallies)

    dominant_failed = [c for c in significant if c.dominant and result[c.id] is Result.NOT_MET]
    not_met = [c for c in significant if result[c.id] is Result.NOT_MET]
    if dominant_failed:
        reasons = [f"A dominant criterion is not met, which alone warrants Poor: {_ids(dominant_failed)}."]
        others = [c for c in not_met if c not in dominant_failed]
        if others:
            reasons.append(f"Also not met among the significant Fair criteria: {_ids(others)} "
                           f"({len(significant) - len(not_met)} of {len(significant)} met in all).")
        return decide(Grade.POOR, reasons, dominant_failed + others)
    dominant_unclear = [c for c in significant if c.dominant and result[c.id] is not Result.MET]
    if dominant_unclear:
        moderation.append(f"Dominant criterion not fully met or not evidenced: {_ids(dominant_unclear)}; "
                          "moderation decides whether it alone warrants Poor.")

    short = [c for c in significant if result[c.id] is not Result.MET]
    well_short = thresholds.significant_count(len(significant))
    if len(not_met) >= well_short:
        return decide(Grade.POOR, [f"Well short of a significant number of significant Fair criteria: "
                                   f"{len(not_met)} not met, and {well_short} is a significant number of "
                                   f"{len(significant)}."], not_met)
    unevidenced = [c for c in significant if result[c.id] is Result.NOT_EVIDENCED]
    if unevidenced:
        moderation.clear()
        return decide(None, [f"Not evidenced: {len(unevidenced)} of {len(significant)} significant Fair criteria "
                             f"have no result from evidence ({_ids(unevidenced)}); a grade needs each of them "
                             f"evidenced."], unevidenced)
    if short:
        provisional_grade = Grade.POOR if not_met else Grade.FAIR
        moderation.append(f"{len(short)} significant Fair criteria missed ({len(not_met)} not met), fewer than the "
                          f"{well_short} that would be well short: the words leave Poor or Fair to judgement.")
        return decide(provisional_grade, [f"Does not meet all significant Fair criteria (missed: {_ids(short)}), "
                                          f"but is not well short of a significant number."], short, provisional=True)

    reasons = [f"Meets all {len(significant)} significant Fair criteria."]
    fair_missed = [c for c in fair if result[c.id] is not Result.MET]
    good_met = met(good)
    most, vast = thresholds.needed(thresholds.most, len(good)), thresholds.needed(thresholds.vast_majority, len(good))
    if not fair_missed and good:
        for needed, word, share in ((most, "most", thresholds.most),
                                    (vast, "the vast majority", thresholds.vast_majority)):
            if needed - thresholds.margin <= len(good_met) < needed:
                moderation.append(f"Borderline: {len(good_met)} of {len(good)} Good criteria met, just short of "
                                  f"the {needed} that make {word} ({share:.0%}).")
                break
    if fair_missed:
        reasons.append(f"Not all Fair criteria are met in full (missed: {_ids(fair_missed)}), so not Good.")
        return decide(Grade.FAIR, reasons, fair_missed)
    reasons.append(f"Meets all {len(fair)} Fair criteria in full.")
    if len(good_met) < most:
        reasons.append(f"Meets {len(good_met)} of {len(good)} Good criteria; most would be {most}.")
        return decide(Grade.FAIR, reasons, [c for c in good if result[c.id] is not Result.MET])
    if len(good_met) >= vast and beacon and innovation_evaluated:
        reasons.append(f"Meets {len(good_met)} of {len(good)} Good criteria (the vast majority is {vast}), is a "
                       "beacon to other forces and has introduced and evaluated innovation.")
        return decide(Grade.EXCELLENT, reasons, good_met)
    reasons.append(f"Meets {len(good_met)} of {len(good)} Good criteria; most is {most}.")
    if len(good_met) >= vast:
        missing = [w for w, ok in (("beacon evidence (others imported its practice)", beacon),
                                   ("evaluated innovation", innovation_evaluated)) if not ok]
        reasons.append("Excellent would also need " + " and ".join(missing) + ".")
    return decide(Grade.GOOD, reasons, good_met)


def _ids(criteria: list[Criterion]) -> str:
    return ", ".join(c.id for c in criteria)


def flag_overrides(decision: GradeDecision, overridden: Collection[str]) -> GradeDecision:
    """A grade that rests on results an inspector set against the records' proposal goes to
    moderation, naming them: the deciding criteria that were overridden."""
    resting = [c for c in decision.deciding if c in overridden]
    if not resting:
        return decision
    return replace(decision, moderation=(*decision.moderation,
                                         f"The grade rests on results set against the records' proposal: "
                                         f"{', '.join(resting)}; moderation weighs the reasons given."))
