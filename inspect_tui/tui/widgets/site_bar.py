"""The line above the scoring screen: which site, its progress and score, and the quiet
"已保存 HH:MM:SS" save indicator."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Label

from inspect_tui.core.i18n import t
from inspect_tui.core.records import Site
from inspect_tui.core.scoring import SiteResult
from inspect_tui.tui.site_rows import kind_label
from inspect_tui.tui.text import clock_time, literal, number
from inspect_tui.tui.widgets.one_layout import SteadyLabel


class SiteBar(HorizontalGroup):
    def __init__(self, site: Site, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.site = site

    def compose(self) -> ComposeResult:
        name = Text.assemble((self.site.name, "bold"), "  ", (kind_label(self.site.kind), "dim"),
                             "  ", (self.site.group, "dim"))
        yield Label(name, id="site-name")
        yield SteadyLabel(id="site-progress")
        yield SteadyLabel(id="save-state")

    def show_result(self, result: SiteResult) -> None:
        text = t("tui.site.progress", scored=result.scored, count=result.count,
                 score=number(result.total), max=number(result.max))
        if result.grade:
            text += "  " + t("tui.site.grade", grade=result.grade)
        self.query_one("#site-progress", Label).update(literal(text))  # the grade's name

    def saved(self, moment: datetime | None) -> None:
        label = self.query_one("#save-state", Label)
        label.update(t("tui.save.saved", time=clock_time(moment)) if moment else "")
        label.remove_class("failed")

    def failed(self) -> None:
        label = self.query_one("#save-state", Label)
        label.update(t("tui.save.failed"))
        label.add_class("failed")
