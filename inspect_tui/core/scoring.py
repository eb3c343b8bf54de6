"""A site's result as pure functions: criterion scores, targets, subtotals, grades, problems.

How one criterion is scored (typed points, deduction rules, 不适用, 加分项) is in
`scoring_rules`; here the criteria a site is scored on add up:
- The site is scored on the criteria that apply to its kind; 不适用 ones leave the maximum, and
  the base score is also given 折算 to the checklist's total (42.5/50 → 85 of 100).
- 加分项 add to the 折算 score, up to the checklist's bonus cap: 总分 = 折算基础分 + 加分.
- A grade is given only when every criterion is scored (or 不适用) and, under the format-2
  rules, every lost point has a reason; a triggered veto (一票否决) puts the site in the lowest
  band at once. A site with nothing to score (no criterion of the table applies to its kind,
  or every one is 不适用) gets no grade: 0 of 0 is not 不合格.
- Problems (问题清单) are the inspector's notes, every unmet countable target, and every veto.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from inspect_tui.core.checklist import Checklist, Criterion, GradeBand
from inspect_tui.core.scoring_rules import (
    RULES_V1,
    Assessment,
    Outcome,
    converted,
    outcome,
    rules_version,
)

__all__ = ["RULES_V1", "Assessment", "Outcome"]


class TargetStatus(StrEnum):
    NONE = "none"  # the criterion has no countable target
    UNKNOWN = "unknown"  # no count entered yet
    MET = "met"
    UNMET = "unmet"


class ProblemKind(StrEnum):
    NOTED = "noted"
    TARGET = "target"
    VETO = "veto"


@dataclass(frozen=True)
class Problem:
    criterion_id: str
    kind: ProblemKind
    text: str
    advice: str = ""
    count: int | None = None
    target_min: int | None = None


@dataclass(frozen=True)
class SectionResult:
    section_id: str
    title: str
    score: float
    max: float
    scored: int
    total: int


@dataclass(frozen=True)
class SiteResult:
    total: float  # 总分: the 折算 base score plus 加分 (the base score itself when nothing is N/A)
    max: float  # the checklist's total
    scored: int  # criteria scored or 不适用
    count: int  # criteria the site is scored on
    sections: tuple[SectionResult, ...]
    grade: str | None  # None until complete (unless vetoed)
    vetoed_by: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = field(default=())
    base: float = 0.0  # 基础分: the sum of the criterion scores
    base_max: float = 0.0  # the maximum left after 不适用
    converted: float = 0.0  # 折算: base out of base_max as a score out of max
    bonus: float = 0.0  # 加分, after the checklist's cap
    not_applicable: tuple[str, ...] = ()  # criterion ids recorded 不适用
    unexplained: tuple[str, ...] = ()  # criterion ids with points lost and no reason
    kind: str | None = None  # the site kind the criteria were chosen for
    rules: str = RULES_V1

    @property
    def complete(self) -> bool:
        return self.scored == self.count


def criterion_score(criterion: Criterion, a: Assessment | None) -> float | None:
    """The score for one criterion, or None when it has not been scored (or is 不适用)."""
    return outcome(criterion, a).score


def target_status(criterion: Criterion, count: int | None) -> TargetStatus:
    if criterion.target is None:
        return TargetStatus.NONE
    if count is None:
        return TargetStatus.UNKNOWN
    return TargetStatus.MET if count >= criterion.target.min else TargetStatus.UNMET


def veto_triggered(criterion: Criterion, a: Assessment | None) -> bool:
    return outcome(criterion, a).vetoed


def grade_for(grades: tuple[GradeBand, ...], score: float, total: float) -> str:
    """The band holding `score`: [min, max), and the top band also holds `total` itself."""
    score = min(score, total)  # 加分 can lift a score above the total: still the top band
    for band in grades:
        if band.min <= score < band.max or (score == band.max == total):
            return band.name
    return lowest_grade(grades)


def lowest_grade(grades: tuple[GradeBand, ...]) -> str:
    return min(grades, key=lambda b: b.min).name


def site_problems(
    checklist: Checklist, assessments: Mapping[str, Assessment], kind: str | None = None,
    outcomes: Mapping[str, Outcome] | None = None,
) -> tuple[Problem, ...]:
    """问题清单 in checklist order: vetoes, unmet targets, then the inspector's notes.
    `outcomes`: each applicable criterion's, if already worked out (site_result has them)."""
    problems: list[Problem] = []
    for c in checklist.criteria_for(kind):
        a = assessments.get(c.id)
        if a is None or a.not_applicable:
            continue
        if (outcomes[c.id].vetoed if outcomes is not None else veto_triggered(c, a)):
            problems.append(Problem(c.id, ProblemKind.VETO, c.title, a.advice))
        if target_status(c, a.count) is TargetStatus.UNMET and c.target is not None:
            problems.append(Problem(c.id, ProblemKind.TARGET, c.title, a.advice,
                                    count=a.count, target_min=c.target.min))
        if a.problems.strip():
            problems.append(Problem(c.id, ProblemKind.NOTED, a.problems.strip(), a.advice.strip()))
    return tuple(problems)


def site_result(checklist: Checklist, assessments: Mapping[str, Assessment],
                kind: str | None = None) -> SiteResult:
    """Subtotals, base, 折算, 加分, total, completion, grade, vetoes and problems for one site
    of `kind` (None: every criterion applies)."""
    rules = rules_version(checklist.format)
    outcomes: dict[str, Outcome] = {
        c.id: outcome(c, assessments.get(c.id)) for c in checklist.criteria_for(kind)}
    sections = []
    for s in checklist.sections:
        base = [(c, outcomes[c.id]) for c in s.criteria if c.id in outcomes and not c.bonus]
        if not base:
            continue
        given = [o.score for _, o in base if o.score is not None]
        sections.append(SectionResult(
            s.id, s.title, round(sum(given), 2), round(sum(o.max for _, o in base), 2),
            sum(o.done for _, o in base), len(base)))
    base_total = round(sum(sec.score for sec in sections), 2)
    base_max = round(sum(sec.max for sec in sections), 2)
    scaled = converted(base_total, base_max, checklist.total)
    bonus = round(sum(o.score or 0.0 for cid, o in outcomes.items()
                      if checklist.criterion(cid).bonus), 2)
    if checklist.bonus_cap is not None:
        bonus = min(bonus, checklist.bonus_cap)
    total = round(scaled + bonus, 2)
    scored = sum(sec.scored for sec in sections)
    count = sum(sec.total for sec in sections)
    vetoed = tuple(cid for cid, o in outcomes.items() if o.vetoed)
    unexplained = tuple(cid for cid, o in outcomes.items() if o.unexplained)
    if vetoed:
        grade: str | None = lowest_grade(checklist.grades)
    elif scored == count and not unexplained and base_max > 0:
        grade = grade_for(checklist.grades, total, checklist.total)
    else:
        grade = None
    return SiteResult(total, checklist.total, scored, count, tuple(sections), grade, vetoed,
                      site_problems(checklist, assessments, kind, outcomes), base=base_total,
                      base_max=base_max, converted=scaled, bonus=bonus,
                      not_applicable=tuple(cid for cid, o in outcomes.items() if o.na),
                      unexplained=unexplained, kind=kind, rules=rules)
