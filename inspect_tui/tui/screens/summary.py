"""A site's summary for the closing meeting (反馈会): total, grade, veto, sections, problems."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static

from inspect_tui.core.explain import site_explained
from inspect_tui.core.i18n import t
from inspect_tui.core.records import Site
from inspect_tui.core.scoring import SiteResult
from inspect_tui.tui.bindings import localize_bindings
from inspect_tui.tui.session import Session
from inspect_tui.tui.site_rows import kind_label
from inspect_tui.tui.text import HEADER_ICON, number
from inspect_tui.tui.widgets.result_views import ProblemList, ScoreBreakdown, SectionBars


def headline(result: SiteResult) -> Text:
    line = Text.assemble((t("tui.summary.total", total=number(result.total),
                            max=number(result.max)), "bold"), "   ")
    if result.grade:
        line.append(t("tui.summary.grade", grade=result.grade), "bold green")
    else:
        line.append(t("tui.summary.incomplete", scored=result.scored, count=result.count),
                    "yellow")
    return line


def veto_line(session: Session, result: SiteResult) -> Text:
    if not result.vetoed_by:
        return Text(t("tui.summary.no_veto"), style="dim")
    checklist = session.inspection.checklist
    titles = "、".join(f"{cid} {checklist.criterion(cid).title}" for cid in result.vetoed_by)
    return Text(t("tui.summary.vetoed", criteria=titles), style="bold red")


class SummaryScreen(Screen[None]):
    CSS_PATH = "summary.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "tui.key.back")]

    def __init__(self, session: Session, site: Site) -> None:
        super().__init__()
        localize_bindings(self)
        self.session = session
        self.site = site
        self.result = session.inspection.result(site.site_id)
        self.sub_title = t("tui.summary.subtitle", site=self.site.name)

    def compose(self) -> ComposeResult:
        result = self.result
        yield Header(icon=HEADER_ICON)
        with VerticalScroll(id="summary"):
            yield Label(Text.assemble((self.site.name, "bold"), "  ",
                                      (kind_label(self.site.kind), "dim"), "  ",
                                      (self.site.group, "dim")), id="summary-site")
            yield Static(headline(result), id="headline")
            yield Static(veto_line(self.session, result), id="veto")
            yield Label(t("tui.breakdown.heading"), classes="heading")
            yield ScoreBreakdown(id="breakdown")
            yield Label(t("tui.summary.sections"), classes="heading")
            yield SectionBars(id="sections")
            yield Label(t("tui.summary.problems", count=len(result.problems)),
                        classes="heading")
            yield ProblemList(id="problems")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(SectionBars).show(self.result)
        inspection = self.session.inspection
        self.query_one(ScoreBreakdown).show(site_explained(
            inspection.checklist, self.result, inspection.records(self.site.site_id)))
        self.query_one(ProblemList).show(self.session.inspection.checklist, self.result)

    def action_back(self) -> None:
        self.dismiss()
