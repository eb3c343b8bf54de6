"""The overview's rows: one site with its result, and how rows are filtered and sorted."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from inspect_tui.core.i18n import t
from inspect_tui.core.records import Site, SiteKind
from inspect_tui.core.site_summary import ChecklistView, SiteFigures
from inspect_tui.store.inspection import Inspection
from inspect_tui.tui.text import number


class Column(IntEnum):
    NAME = 0
    KIND = 1
    GROUP = 2
    PROGRESS = 3
    SCORE = 4
    GRADE = 5
    PROBLEMS = 6


@dataclass(frozen=True)
class SiteRow:
    site: Site
    result: SiteFigures
    table: tuple[str, ...] = ()  # the criteria the site is scored on: ranks compare like tables

    @property
    def kind_label(self) -> str:
        return kind_label(self.site.kind)

    def cells(self) -> tuple[str, ...]:
        r = self.result
        return (self.site.name, self.kind_label, self.site.group, f"{r.scored}/{r.count}",
                number(r.total) if r.scored else "-", r.grade or "-", str(r.problems))

    def matches(self, text: str) -> bool:
        text = text.strip().lower()
        return not text or any(text in field.lower() for field in
                               (self.site.name, self.site.kind, self.kind_label, self.site.group))


def kind_label(kind: str) -> str:
    member = SiteKind._value2member_map_.get(kind)
    return t(f"tui.kind.{member.name.lower()}") if isinstance(member, SiteKind) else kind


def _sort_key(column: Column, grades: list[str]) -> Callable[[SiteRow], Any]:
    keys: dict[Column, Callable[[SiteRow], Any]] = {
        Column.NAME: lambda row: row.site.name,
        Column.KIND: lambda row: row.site.kind,
        Column.GROUP: lambda row: row.site.group,
        Column.PROGRESS: lambda row: (row.result.scored / max(row.result.count, 1)),
        Column.SCORE: lambda row: (row.table, row.result.scored > 0, row.result.total),
        Column.GRADE: lambda row: (grades.index(row.result.grade)
                                   if row.result.grade in grades else len(grades)),
        Column.PROBLEMS: lambda row: row.result.problems,
    }
    return keys[column]


def arrange(rows: list[SiteRow], text: str, column: Column | None, reverse: bool,
            grades: list[str]) -> list[SiteRow]:
    """The rows matching `text`, sorted by `column` (None keeps the order sites were added)."""
    shown = [row for row in rows if row.matches(text)]
    if column is not None:
        shown.sort(key=_sort_key(column, grades), reverse=reverse)
    return shown


def site_rows(inspection: Inspection, figures: Mapping[str, SiteFigures] | None = None,
              view: ChecklistView | None = None) -> list[SiteRow]:
    """A row per site shown; `figures` (from the summary) instead of each site's result, and
    its `view` of the checklist (covering every site's kind) instead of the checklist."""
    return [site_row(inspection, site, None if figures is None else figures[site.site_id],
                     view) for site in inspection.sites()]


def site_row(inspection: Inspection, site: Site, figures: SiteFigures | None = None,
             view: ChecklistView | None = None) -> SiteRow:
    table = (view.tables[site.kind] if view is not None else
             tuple(c.id for c in inspection.checklist.criteria_for(site.kind or None)))
    if figures is None:
        figures = SiteFigures.of(inspection.result(site.site_id))
    return SiteRow(site, figures, table)
