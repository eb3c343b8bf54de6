"""Every open conflict with each inspector's value, who and when; pick one or type a new one.

`1`…`9` settles the highlighted conflict with the value of that number; `e` asks for a new
value. Settling writes one entry whose parents are all the rival values (see core.conflicts),
on the UI thread like every other save.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from inspect_tui.core.conflicts import OpenConflict, parse_value, show_value
from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.core.records import EVIDENCE_PREFIX
from inspect_tui.merge_view import rival_lines
from inspect_tui.store import ledger
from inspect_tui.store.conflicts import conflicts_of, resolve, where
from inspect_tui.store.inspection import Inspection
from inspect_tui.tui.bindings import localize_bindings
from inspect_tui.tui.history_text import field_name, local_time
from inspect_tui.tui.text import HEADER_ICON, literal

_RECORD_FIELDS = {"points", "deductions", "count", "methods", "notes", "problems", "advice",
                  "veto"}


def label_of(conflict: OpenConflict) -> str:
    """The field's name as the inspector knows it."""
    if (label := ledger.field_label(conflict.entity, conflict.field)) is not None:
        return label
    if conflict.criterion_id and (conflict.field in _RECORD_FIELDS
                                  or conflict.field.startswith(EVIDENCE_PREFIX)):
        return field_name(conflict.field)
    return conflict.field


def as_text(value: Any) -> str:
    """A value as the lead would type it again (the starting text of a new value)."""
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return "" if value is None else show_value(value)


class ConflictsScreen(Screen[bool]):
    """Dismissed with whether any conflict was settled."""

    CSS_PATH = "conflicts.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "pick(1)", "tui.key.conflict_pick", key_display="1-9"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)),
        Binding("e", "new_value", "tui.key.conflict_value"),
        Binding("escape", "back", "tui.key.back"),
    ]

    def __init__(self, inspection: Inspection) -> None:
        super().__init__()
        localize_bindings(self)
        self.inspection = inspection
        self.conflicts: list[OpenConflict] = []
        self.changed = False

    def compose(self) -> ComposeResult:
        yield Header(icon=HEADER_ICON)
        with Vertical(id="conflicts-body"):
            yield Label(id="conflicts-status")
            yield DataTable(id="conflicts", cursor_type="row", zebra_stripes=True)
            yield Static(id="conflict-detail")
            yield Input(id="conflict-value", placeholder=t("conflict.tui.value_hint"))
            yield Label(id="conflict-problem", classes="problem")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = t("conflict.tui.title", inspection=self.inspection.title)
        table = self.query_one(DataTable)
        table.add_columns(t("conflict.col.where"), t("conflict.col.field"),
                          t("conflict.tui.col.values"))
        self.query_one("#conflict-value", Input).display = False
        self.fill()
        table.focus()

    def fill(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        self.conflicts = conflicts_of(self.inspection)
        for c in self.conflicts:
            values = " / ".join(dict.fromkeys(show_value(r.value, t("conflict.empty"))
                                              for r in c.rivals))
            table.add_row(literal(where(self.inspection, c)), literal(label_of(c)),
                          literal(values))
        if self.conflicts:
            table.move_cursor(row=min(row, len(self.conflicts) - 1))
        self.query_one("#conflicts-status", Label).update(
            t("conflict.title", count=len(self.conflicts)) if self.conflicts
            else t("conflict.none"))
        self._show_detail()

    @property
    def current(self) -> OpenConflict | None:
        row = self.query_one(DataTable).cursor_row
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        c = self.current
        detail = "" if c is None else "\n".join(rival_lines(c, local_time))
        self.query_one("#conflict-detail", Static).update(literal(detail))

    def _problem(self, text: str) -> None:
        self.query_one("#conflict-problem", Label).update(literal(text))

    def _settle(self, conflict: OpenConflict, value: Any) -> bool:
        try:
            resolve(self.inspection, conflict, value)
        except (InspectError, ValueError) as exc:
            self._problem(str(exc))
            return False
        self.changed = True
        self._problem("")
        self.notify(t("conflict.resolved", where=where(self.inspection, conflict),
                      field=label_of(conflict), value=show_value(value, t("conflict.empty"))))
        self.fill()
        return True

    def action_pick(self, number: int) -> None:
        c = self.current
        if c is None:
            return
        if number > len(c.rivals):
            self._problem(t("conflict.pick_range", count=len(c.rivals)))
            return
        self._settle(c, c.rivals[number - 1].value)

    def action_new_value(self) -> None:
        c = self.current
        if c is None:
            return
        field = self.query_one("#conflict-value", Input)
        field.value = as_text(c.rivals[0].value)
        field.display = True
        field.focus()

    @on(Input.Submitted, "#conflict-value")
    def _typed(self, event: Input.Submitted) -> None:
        c = self.current
        if c is None:
            return
        try:
            value = parse_value(c.field, event.value)
        except ValueError as exc:
            self._problem(t("conflict.bad_value", value=event.value, field=label_of(c),
                            reason=str(exc)))
            return
        if self._settle(c, value):
            self._close_input()

    def _close_input(self) -> None:
        self.query_one("#conflict-value", Input).display = False
        self.query_one(DataTable).focus()

    def action_back(self) -> None:
        if self.query_one("#conflict-value", Input).display:
            self._close_input()
            return
        self.dismiss(self.changed)
