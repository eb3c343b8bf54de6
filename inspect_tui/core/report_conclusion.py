"""The overall conclusion on a report's cover, drawn from its data: 总体评价 / 存在问题 /
下一步建议.

Pure facts only — counts, names and scores; the wording is export.view's. A site is
"finished" when every criterion that applies to it is scored, "partial" when some are, and
"not inspected" when none is (never ranked or averaged as if it scored 0).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from inspect_tui.core.report import Grade, Report, ReportSite

TOP = 3  # sites commended, sections named as where problems gather


def not_inspected(site: ReportSite) -> bool:
    """Nothing scored and nothing written (a note on a site is printed with it)."""
    return site.scored == 0 and all(r.changes == 0 for r in site.records)


def finished(site: ReportSite) -> bool:
    return site.count > 0 and site.scored == site.count


@dataclass(frozen=True)
class ProblemArea:
    section: str  # "2 普法宣传" (id and title)
    problems: int
    sites: int


@dataclass(frozen=True)
class Conclusion:
    sites: int
    finished: tuple[ReportSite, ...]
    partial: tuple[ReportSite, ...]
    not_inspected: tuple[ReportSite, ...]
    mean: float | None  # mean total of the finished sites
    grades: tuple[tuple[str, int], ...]  # grade name -> finished sites, in the checklist's order
    best: tuple[ReportSite, ...]  # highest totals among finished sites without a veto
    failing: tuple[ReportSite, ...]  # vetoed, or graded in the lowest band
    problems: int
    problem_sites: int
    areas: tuple[ProblemArea, ...]  # the sections with most problems, most first


def _lowest(grades: Sequence[Grade]) -> str | None:
    return min(grades, key=lambda g: g.min).name if grades else None


def _areas(sites: Sequence[ReportSite]) -> tuple[ProblemArea, ...]:
    titles = {r.criterion_id: f"{r.section_id} {r.section_title}"
              for s in sites for r in s.records}
    problems: Counter[str] = Counter()
    where: dict[str, set[str]] = {}
    for s in sites:
        for p in s.problems:
            area = titles.get(p.criterion_id, p.criterion_id)
            problems[area] += 1
            where.setdefault(area, set()).add(s.site_id)
    ranked = sorted(problems, key=lambda a: (-problems[a], -len(where[a]), a))
    return tuple(ProblemArea(a, problems[a], len(where[a])) for a in ranked[:TOP])


def conclude(report: Report) -> Conclusion:
    done = tuple(s for s in report.sites if finished(s))
    lowest = _lowest(report.grades)
    graded = Counter(s.grade for s in done if s.grade)
    ranked = sorted((s for s in done if not s.vetoed_by and s.grade), key=lambda s: -s.total)
    return Conclusion(
        sites=len(report.sites), finished=done,
        partial=tuple(s for s in report.sites if not finished(s) and not not_inspected(s)),
        not_inspected=tuple(s for s in report.sites if not_inspected(s)),
        mean=round(sum(s.total for s in done) / len(done), 2) if done else None,
        grades=tuple((g.name, graded[g.name]) for g in report.grades if graded[g.name]),
        best=tuple(ranked[:TOP]),
        failing=tuple(s for s in done if s.vetoed_by or (s.grade and s.grade == lowest)),
        problems=sum(len(s.problems) for s in report.sites),
        problem_sites=sum(1 for s in report.sites if s.problems),
        areas=_areas(report.sites),
    )
