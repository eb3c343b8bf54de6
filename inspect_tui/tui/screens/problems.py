"""整改台账: every problem of the inspection with its deadline, owner, status and 复查.

Filter by status and by site with the two selects (or `o` for overdue problems only); `enter`
edits the highlighted problem in a dialog. Overdue problems (deadline passed, still open) are
marked in red. Edits are saved on the UI thread, like every other save.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Select

from inspect_tui.core.i18n import t
from inspect_tui.core.rectification import (
    Problem,
    Status,
    is_overdue,
    status_counts,
    status_label,
)
from inspect_tui.store.inspection import Inspection
from inspect_tui.tui.bindings import localize_bindings
from inspect_tui.tui.screens.problem_dialog import ProblemDialog
from inspect_tui.tui.text import HEADER_ICON, literal
from inspect_tui.tui.widgets.problem_table import ProblemTable

ALL = "*"


class ProblemsScreen(Screen[None]):
    CSS_PATH = "problems.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "overdue", "tui.key.ledger_overdue"),
        Binding("escape", "back", "tui.key.back"),
    ]

    def __init__(self, inspection: Inspection, today: date | None = None,
                 site_id: str | None = None) -> None:
        super().__init__()
        localize_bindings(self)
        self.inspection = inspection
        self.today = today or date.today()
        self.start_site = site_id
        self.problems: list[Problem] = []
        self.overdue_only = False

    def compose(self) -> ComposeResult:
        yield Header(icon=HEADER_ICON)
        sites = [(s.name, s.site_id) for s in self.inspection.sites()]
        with Horizontal(id="problem-filters"):
            yield Select([(t("ledger.tui.all_statuses"), ALL),
                          *((status_label(s), s.value) for s in Status)],
                         id="status-filter", value=ALL, allow_blank=False, compact=True)
            yield Select([(t("ledger.tui.all_sites"), ALL), *sites], id="site-filter",
                         value=self.start_site or ALL, allow_blank=False, compact=True)
        yield ProblemTable(id="problems", cursor_type="row", zebra_stripes=True)
        yield Label(id="problems-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = t("ledger.tui.title", inspection=self.inspection.title)
        table = self.table
        for key in ("site", "criterion", "problem", "deadline", "owner", "status", "overdue"):
            table.add_column(t(f"ledger.col.{key}"), key=key)
        self.fill()
        table.focus()

    @property
    def table(self) -> DataTable[object]:
        return self.query_one(ProblemTable)

    def shown(self) -> list[Problem]:
        status = self.query_one("#status-filter", Select).value
        site = self.query_one("#site-filter", Select).value
        return [p for p in self.problems
                if status in (ALL, p.status.value) and site in (ALL, p.site_id)
                and (not self.overdue_only or is_overdue(p, self.today))]

    def fill(self, select: str | None = None) -> None:
        """Read the ledger again and show the problems the filters let through."""
        self.problems = self.inspection.problems()
        names = {s.site_id: s.name for s in self.inspection.sites()}
        table = self.table
        current = self.current
        select = select or (current.record_id if current else None)
        table.clear()
        shown = self.shown()
        for p in shown:
            late = is_overdue(p, self.today)
            style = "bold red" if late else ""
            owner = " ".join(x for x in (p.owner_unit, p.owner_person) if x)
            table.add_row(literal(names.get(p.site_id, p.site_id)), p.criterion_id,
                          literal(_short(p.text)), Text(p.deadline or "—", style=style),
                          literal(owner or "—"),
                          Text(status_label(p.status), style=_style(p.status)),
                          Text(t("ledger.overdue_mark") if late else "", style=style),
                          key=p.record_id)
        keys = [p.record_id for p in shown]
        if select in keys:
            table.move_cursor(row=keys.index(select))
        counts = "，".join(f"{status_label(s)} {n}" for s, n in status_counts(shown).items())
        self.query_one("#problems-status", Label).update(t(
            "ledger.summary", count=len(shown), counts=counts,
            overdue=sum(is_overdue(p, self.today) for p in shown)))

    @property
    def current(self) -> Problem | None:
        if not self.table.row_count:
            return None
        key = self.table.coordinate_to_cell_key(self.table.cursor_coordinate).row_key.value
        return next((p for p in self.problems if p.record_id == key), None)

    @on(Select.Changed)
    def _filtered(self) -> None:
        if self.is_mounted and self.table.columns:
            self.fill()

    @on(DataTable.RowSelected)
    def action_edit(self) -> None:
        if (problem := self.current) is None:
            return

        def saved(p: Problem | None) -> None:
            if p is not None:
                self.fill(select=p.record_id)

        self.app.push_screen(ProblemDialog(self.inspection, problem), saved)

    def action_overdue(self) -> None:
        self.overdue_only = not self.overdue_only
        self.fill()

    def action_back(self) -> None:
        self.dismiss(None)


def _short(text: str, most: int = 40) -> str:
    line = " ".join(text.split())
    return line if len(line) <= most else line[: most - 1] + "…"


def _style(status: Status) -> str:
    return {Status.PASSED: "green", Status.FAILED: "red", Status.DONE: "cyan"}.get(status, "")
