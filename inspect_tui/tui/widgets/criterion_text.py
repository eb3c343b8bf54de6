"""The full text of a criterion (or a section's outline): requirement, guide, source, owners."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from inspect_tui.core.checklist import Checklist, Criterion, Section
from inspect_tui.core.i18n import t
from inspect_tui.tui.text import number
from inspect_tui.tui.widgets.one_layout import OneLayout


def _facts(rows: list[tuple[str, str]]) -> Table:
    """Label / text pairs; the text wraps in its own column, aligned under itself."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for label, text in rows:
        if text:
            table.add_row(label, Text(text, overflow="fold"))
    return table


class CriterionText(Static, OneLayout):
    def __init__(self, checklist: Checklist, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.checklist = checklist
        self._sources = {s.code: s.title for s in checklist.sources}

    def show(self, item: Criterion | Section) -> None:
        self.update(self._criterion(item) if isinstance(item, Criterion) else self._section(item))

    def source_text(self, source: str) -> str:
        title = self._sources.get(source.split(" ", 1)[0], "")
        return f"{source}\n{title}" if title else source

    def _criterion(self, c: Criterion) -> RenderableType:
        head = Text.assemble((f"{c.id} {c.title}", "bold"), "  ",
                             (t("tui.crit.max", max=number(c.max)), "dim"))
        if c.veto:
            head.append("  " + t("tui.crit.veto"), "bold red")
        rows = [
            (t("tui.crit.requirement"), c.requirement),
            (t("tui.crit.guide"), c.guide),
            (t("tui.crit.source"), self.source_text(c.source)),
            (t("tui.crit.deadline"), c.deadline),
            (t("tui.crit.owners"), "、".join(c.owners)),
            (t("tui.crit.evidence"), "、".join(c.evidence)),
        ]
        if c.target is not None:
            rows.append((t("tui.crit.target"), t("tui.crit.target_text", min=c.target.min,
                                                 unit=c.target.unit, period=c.target.period)))
        return Group(head, _facts(rows))

    def _section(self, s: Section) -> RenderableType:
        head = Text.assemble((f"{s.id} {s.title}", "bold"), "  ",
                             (t("tui.crit.max", max=number(s.max)), "dim"))
        rows = [(t("tui.crit.source"), self.source_text(s.source) if s.source else ""),
                (t("tui.crit.count"), t("tui.crit.count_text", count=len(s.criteria)))]
        return Group(head, _facts(rows), Text(t("tui.crit.section_hint"), style="dim"))
