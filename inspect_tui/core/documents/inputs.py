"""The plain data every document builder reads: settings, the checklist and each site's
records, result, visit and 整改 ledger. The shell (export/documents_gather.py) fills it in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from inspect_tui.core.checklist import Checklist, GradeBand
from inspect_tui.core.documents.model import chinese_date
from inspect_tui.core.ranking import SiteStanding
from inspect_tui.core.records import Record, Site
from inspect_tui.core.rectification import Problem, Status
from inspect_tui.core.scoring import SiteResult
from inspect_tui.core.visit import Visit


@dataclass(frozen=True)
class SiteDoc:
    site: Site
    records: Mapping[str, Record]
    result: SiteResult
    visit: Visit | None = None
    problems: tuple[Problem, ...] = ()  # the 整改 ledger's, checklist order

    @property
    def finished(self) -> bool:
        return self.result.complete and not self.result.unexplained

    @property
    def started(self) -> bool:
        return self.result.scored > 0


@dataclass(frozen=True)
class Settings:
    inspection_id: str
    title: str
    issuer: str  # 发文机关 (may be empty: the documents then leave a blank to fill in)
    doc_number: str
    day: date  # 成文日期
    signatories: tuple[str, ...] = ()
    team: tuple[str, ...] = ()

    @property
    def day_text(self) -> str:
        return chinese_date(self.day)


@dataclass(frozen=True)
class DocInputs:
    settings: Settings
    checklist: Checklist
    sites: tuple[SiteDoc, ...]
    today: date  # for 逾期

    def site(self, site_id: str) -> SiteDoc:
        return next(s for s in self.sites if s.site.site_id == site_id)


def standing(s: SiteDoc) -> SiteStanding:
    r = s.result
    open_problems = sum(1 for p in s.problems if p.status is not Status.PASSED)  # 未销号
    return SiteStanding(s.site.site_id, s.site.name, s.site.kind, s.site.group, r.total, r.grade,
                        s.finished, bool(r.vetoed_by), len(s.problems), open_problems,
                        r.scored, r.count)


def pass_band(grades: tuple[GradeBand, ...]) -> GradeBand:
    """The 合格 band (the lowest band that passes): named 合格, else the second lowest."""
    ordered = sorted(grades, key=lambda b: b.min)
    named = [b for b in ordered if b.name == "合格"]
    return named[0] if named else ordered[min(1, len(ordered) - 1)]


def below_pass(grades: tuple[GradeBand, ...], grade: str | None) -> bool:
    if grade is None:
        return False
    floor = pass_band(grades).min
    return any(b.name == grade and b.min < floor for b in grades)


def num(x: float) -> str:
    """A score as printed: 98.5, 89, 67.02."""
    return f"{round(x, 2):g}"


def iso_to_chinese(text: str) -> str:
    """An ISO date as "2026年12月1日"; other text unchanged (a date typed by hand)."""
    try:
        return chinese_date(date.fromisoformat(text[:10]))
    except ValueError:
        return text
