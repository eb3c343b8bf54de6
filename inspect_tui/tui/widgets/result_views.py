"""A site's result drawn for the closing meeting: section bars, and the problem list.

Bars are coloured spaces, not block characters: every block glyph is "ambiguous width" in
East Asian terminals and would push the CJK columns out of line.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from inspect_tui.core.checklist import Checklist
from inspect_tui.core.i18n import t
from inspect_tui.core.scoring import Problem, ProblemKind, SiteResult
from inspect_tui.tui.text import literal, number

BAR_WIDTH = 20


def bar(score: float, maximum: float, width: int = BAR_WIDTH) -> Text:
    filled = round(width * score / maximum) if maximum else 0
    return Text.assemble((" " * filled, "on green"), (" " * (width - filled), "on grey30"))


class SectionBars(Static):
    def show(self, result: SiteResult) -> None:
        table = Table(expand=True, show_edge=False, pad_edge=False, box=None)
        table.add_column(t("tui.summary.section"), ratio=1)
        table.add_column(t("tui.summary.bar"), width=BAR_WIDTH, no_wrap=True)
        table.add_column(t("tui.summary.score"), justify="right", no_wrap=True)
        table.add_column(t("tui.summary.scored"), justify="right", no_wrap=True)
        for s in result.sections:
            table.add_row(literal(f"{s.section_id} {s.title}"), bar(s.score, s.max),
                          f"{number(s.score)}/{number(s.max)}", f"{s.scored}/{s.total}")
        self.update(table)


def problem_text(checklist: Checklist, problem: Problem) -> str:
    title = checklist.criterion(problem.criterion_id).title
    if problem.kind is ProblemKind.VETO:
        return t("tui.problem.veto", title=title)
    if problem.kind is ProblemKind.TARGET:
        target = checklist.criterion(problem.criterion_id).target
        return t("tui.problem.target", title=title, count=problem.count,
                 min=problem.target_min, unit=target.unit if target else "")
    return problem.text


class ProblemList(Static):
    def show(self, checklist: Checklist, result: SiteResult) -> None:
        if not result.problems:
            self.update(Text(t("tui.summary.no_problems"), style="dim"))
            return
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(no_wrap=True, style="bold")
        table.add_column(ratio=1)
        for n, problem in enumerate(result.problems, 1):
            style = "bold red" if problem.kind is ProblemKind.VETO else ""
            table.add_row(f"{n}.", Text.assemble((f"[{problem.criterion_id}] ", "dim"),
                                                 (problem_text(checklist, problem), style)))
            if problem.advice:
                table.add_row("", Text(t("tui.summary.advice", advice=problem.advice),
                                       style="italic"))
        self.update(table)


class ScoreBreakdown(Static):
    """How the total came about: the table used, base, 折算, 加分; 不适用 with reasons; every
    lost point with its reason (from core.explain, as `site result` prints it)."""

    def show(self, body: dict[str, Any]) -> None:
        table = body["table"]
        lines = [Text(t("tui.breakdown.table", title=table["title"],
                        kind=table["kind"] or "-", count=table["criteria"]), style="bold"),
                 Text(t("tui.breakdown.base", base=number(body["base"]),
                        max=number(body["base_max"])))]
        if body["conversion"]["rule"] != "none":
            lines.append(Text(t("tui.breakdown.converted", base=number(body["base"]),
                                base_max=number(body["base_max"]), total=number(body["max"]),
                                converted=number(body["converted"]))))
        if body["bonus"] or body["bonus_cap"]:
            lines.append(Text(t("tui.breakdown.bonus", bonus=number(body["bonus"]),
                                total=number(body["total"]))))
        for na in body["not_applicable"]:
            lines.append(literal(t("tui.breakdown.na", criterion=na["criterion"],
                                   title=na["title"], reason=na["reason"])))
        for lost in body["lost"]:
            reasons = "；".join(
                (x["reason"] or t("tui.why.no_reason"))
                + (f" × {x['times']}" if x["times"] > 1 else "") for x in lost["losses"])
            lines.append(literal(t("tui.breakdown.lost", criterion=lost["criterion"],
                                   title=lost["title"], lost=number(lost["lost"]),
                                   reasons=reasons or t("tui.why.no_reason"))))
        self.update(Text("\n").join(lines))
