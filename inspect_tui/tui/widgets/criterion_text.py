"""The full text of a criterion (or a section's outline): requirement, guide, source, owners.

The text is a Rich table, which costs several milliseconds to measure and again to draw — on
every move of the cursor. Each item's text is built once and keeps its height and its drawn
lines per width (`KeptVisual`), so coming back to a criterion, or drawing it again after a
layout, only looks them up. While nobody types, the other items are made ready one at a time,
nearest first (`WARM_PAUSE` apart, a few milliseconds each), so that moving to them finds
their text ready too.
"""

from __future__ import annotations

from typing import cast

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.timer import Timer
from textual.visual import RenderOptions, RichVisual, Visual
from textual.widgets import Static

from inspect_tui.core.checklist import Checklist, Criterion, Section
from inspect_tui.core.i18n import t
from inspect_tui.tui.text import number
from inspect_tui.tui.widgets.one_layout import OneLayout

Item = Criterion | Section
WARM_PAUSE = 0.03  # seconds between items made ready ahead


def _facts(rows: list[tuple[str, str]]) -> Table:
    """Label / text pairs; the text wraps in its own column, aligned under itself."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for label, text in rows:
        if text:
            table.add_row(label, Text(text, overflow="fold"))
    return table


class KeptVisual(Visual):
    """Another visual's height and lines, kept after the first time for each width (and
    base style): the same strips as the visual draws, reused (strips are not changed in
    place). Selected text is drawn afresh (the selection is part of the drawing)."""

    def __init__(self, visual: Visual) -> None:
        self._visual = visual
        self._heights: dict[int, int] = {}
        self._strips: dict[tuple[int, int | None, Style], list[Strip]] = {}

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._visual.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self._visual.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        if width not in self._heights:
            self._heights[width] = self._visual.get_height(rules, width)
        return self._heights[width]

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        if options.selection is not None:
            return self._visual.render_strips(width, height, style, options)
        key = (width, height, style)
        if key not in self._strips:
            if len(self._strips) > 8:  # a few sizes at most (the terminal resized)
                self._strips.clear()
            self._strips[key] = self._visual.render_strips(width, height, style, options)
        return self._strips[key]


class CriterionText(Static, OneLayout):
    def __init__(self, checklist: Checklist, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.checklist = checklist
        self._sources = {s.code: s.title for s in checklist.sources}
        self._kept: dict[tuple[bool, str], KeptVisual] = {}
        self._items: list[Item] = []
        for section in checklist.sections:
            self._items += [section, *section.criteria]
        self._shown = 0  # index in _items
        self._ready: set[tuple[int, int]] = set()  # (index, width) measured and drawn
        self._warm_timer: Timer | None = None

    def show(self, item: Item) -> None:
        self.update(self._kept_visual(item))
        self._shown = next((n for n, x in enumerate(self._items) if x is item), 0)
        if self._warm_timer is None:
            self._warm_timer = self.set_timer(WARM_PAUSE, self._warm)

    def _kept_visual(self, item: Item) -> KeptVisual:
        key = (isinstance(item, Criterion), item.id)
        if key not in self._kept:
            text = self._criterion(item) if isinstance(item, Criterion) else self._section(item)
            self._kept[key] = KeptVisual(RichVisual(self, text))
        return self._kept[key]

    def _warm(self) -> None:
        """Measure and draw the nearest item not ready at this width, then wait again."""
        self._warm_timer = None
        width = self.size.width
        if not width or not self.is_attached:
            return
        order = sorted(range(len(self._items)), key=lambda n: abs(n - self._shown))
        cold = next((n for n in order if (n, width) not in self._ready), None)
        if cold is None:
            return
        self._ready.add((cold, width))
        visual = self._kept_visual(self._items[cold])
        rules = cast(RulesMap, self.styles)  # what Textual itself passes
        height = visual.get_height(rules, width)
        visual.render_strips(width, height, self.visual_style,
                             RenderOptions(self._get_style, rules))
        self._warm_timer = self.set_timer(WARM_PAUSE, self._warm)

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
