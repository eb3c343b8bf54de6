"""Edit one problem of the 整改 ledger: deadline, who answers for it, status and 复查.

The store checks dates and the order of statuses (复查 after 已整改); a refusal shows inside
the dialog and what was typed stays. Dismissed with the problem as saved.
"""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Select

from inspect_tui.core.i18n import t
from inspect_tui.core.rectification import Problem, Status, status_label
from inspect_tui.store.inspection import Inspection
from inspect_tui.tui.screens.dialog import Dialog
from inspect_tui.tui.text import literal

# input id -> the ledger field it edits (the status is a Select)
FIELDS = {"p-deadline": "deadline", "p-owner-unit": "owner_unit", "p-owner": "owner_person",
          "p-recheck-date": "recheck_date", "p-recheck-by": "recheck_by",
          "p-recheck-note": "recheck_note"}


class ProblemDialog(Dialog[Problem]):
    def __init__(self, inspection: Inspection, problem: Problem) -> None:
        site = inspection.site(problem.site_id).name
        super().__init__(t("ledger.tui.problem_title", site=site,
                           criterion=problem.criterion_id))
        self.inspection = inspection
        self.problem = problem

    # Seven fields and the problem text are taller than a 24-row terminal: they scroll (the
    # focused field is scrolled into view) while the title and the buttons stay on screen.
    DEFAULT_CSS = """
    ProblemDialog #problem-fields {
        height: auto;
        max-height: 65vh;
    }
    """

    def body(self) -> ComposeResult:
        p = self.problem
        with VerticalScroll(id="problem-fields"):
            yield Label(literal(p.text), id="problem-text")
            for input_id, name in FIELDS.items():
                if name == "recheck_date":  # the status sits between the 整改 and 复查 fields
                    yield Label(t("ledger.tui.field.status"))
                    yield Select([(status_label(s), s.value) for s in Status], id="p-status",
                                 value=p.status.value, allow_blank=False, compact=True)
                yield Label(t(f"ledger.tui.field.{name}"))
                yield Input(getattr(p, name), id=input_id, compact=True,
                            placeholder="YYYY-MM-DD" if name.endswith(("date", "deadline"))
                            else "")

    def on_mount(self) -> None:
        self.query_one("#p-deadline").focus()

    @on(Input.Submitted)
    def submit(self) -> None:
        values = {name: self.query_one(f"#{input_id}", Input).value
                  for input_id, name in FIELDS.items()}
        values["status"] = str(self.query_one("#p-status", Select).value)
        rid = self.problem.record_id
        if self.attempt(partial(self.inspection.set_problem, rid, **values)):
            self.dismiss(next(p for p in self.inspection.problems(self.problem.site_id)
                              if p.record_id == rid))
