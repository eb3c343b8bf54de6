"""Scoring rules as pure functions: criterion scores, targets, subtotals, grades, problems.

Rules (the same ones the report prints):
- A typed score wins over ticked deductions; a score is clamped to [0, max] (扣完为止).
- With deductions ticked and no typed score, the score is max minus their sum, never below 0.
- A site's grade is given only when every criterion is scored, except that a triggered veto
  (一票否决) puts the site in the lowest band at once.
- Problems (问题清单) are the inspector's notes, every unmet countable target, and every veto.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from inspect_tui.core.checklist import Checklist, Criterion, GradeBand


@dataclass(frozen=True)
class Assessment:
    """What an inspector entered for one criterion at one site (the scoring-relevant part)."""

    points: float | None = None
    deductions: frozenset[int] = frozenset()  # indices into Criterion.deductions
    count: int | None = None
    veto: bool = False
    problems: str = ""
    advice: str = ""


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
    total: float
    max: float
    scored: int
    count: int
    sections: tuple[SectionResult, ...]
    grade: str | None  # None until complete (unless vetoed)
    vetoed_by: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return self.scored == self.count


def _clamp(value: float, high: float) -> float:
    return min(max(value, 0.0), high)


def criterion_score(criterion: Criterion, a: Assessment | None) -> float | None:
    """The score for one criterion, or None when it has not been scored."""
    if a is None:
        return None
    if a.points is not None:
        return _clamp(float(a.points), criterion.max)
    if a.deductions:
        taken = sum(criterion.deductions[i].points for i in a.deductions
                    if 0 <= i < len(criterion.deductions))
        return _clamp(criterion.max - taken, criterion.max)
    return None


def target_status(criterion: Criterion, count: int | None) -> TargetStatus:
    if criterion.target is None:
        return TargetStatus.NONE
    if count is None:
        return TargetStatus.UNKNOWN
    return TargetStatus.MET if count >= criterion.target.min else TargetStatus.UNMET


def veto_triggered(criterion: Criterion, a: Assessment | None) -> bool:
    return bool(criterion.veto and a is not None and a.veto)


def grade_for(grades: tuple[GradeBand, ...], score: float, total: float) -> str:
    """The band holding `score`: [min, max), and the top band also holds `total` itself."""
    for band in grades:
        if band.min <= score < band.max or (score == band.max == total):
            return band.name
    return lowest_grade(grades)


def lowest_grade(grades: tuple[GradeBand, ...]) -> str:
    return min(grades, key=lambda b: b.min).name


def site_problems(
    checklist: Checklist, assessments: Mapping[str, Assessment]
) -> tuple[Problem, ...]:
    """问题清单 in checklist order: vetoes, unmet targets, then the inspector's notes."""
    problems: list[Problem] = []
    for c in checklist.criteria:
        a = assessments.get(c.id)
        if a is None:
            continue
        if veto_triggered(c, a):
            problems.append(Problem(c.id, ProblemKind.VETO, c.title, a.advice))
        if target_status(c, a.count) is TargetStatus.UNMET and c.target is not None:
            problems.append(Problem(c.id, ProblemKind.TARGET, c.title, a.advice,
                                    count=a.count, target_min=c.target.min))
        if a.problems.strip():
            problems.append(Problem(c.id, ProblemKind.NOTED, a.problems.strip(), a.advice.strip()))
    return tuple(problems)


def site_result(checklist: Checklist, assessments: Mapping[str, Assessment]) -> SiteResult:
    """Subtotals, total, completion, grade, vetoes and problems for one site."""
    sections = []
    for s in checklist.sections:
        scores = [criterion_score(c, assessments.get(c.id)) for c in s.criteria]
        given = [x for x in scores if x is not None]
        sections.append(SectionResult(s.id, s.title, round(sum(given), 2), s.max,
                                      len(given), len(s.criteria)))
    total = round(sum(s.score for s in sections), 2)
    scored = sum(s.scored for s in sections)
    count = len(checklist.criteria)
    vetoed = tuple(c.id for c in checklist.criteria if veto_triggered(c, assessments.get(c.id)))
    if vetoed:
        grade: str | None = lowest_grade(checklist.grades)
    elif scored == count:
        grade = grade_for(checklist.grades, total, checklist.total)
    else:
        grade = None
    return SiteResult(total, checklist.total, scored, count, tuple(sections), grade, vetoed,
                      site_problems(checklist, assessments))
