"""The Textual application (placeholder until the inspector's TUI lands: lists the checklists)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

from inspect_tui.core.checklist_loader import load_checklist
from inspect_tui.core.errors import ChecklistError
from inspect_tui.core.i18n import t
from inspect_tui.paths import shipped_checklists


class InspectApp(App[None]):
    TITLE = "inspect-tui"
    BINDINGS: ClassVar = [("q", "quit", t("key.quit"))]

    def __init__(self, demo: bool = False) -> None:
        super().__init__()
        self.demo = demo
        self.sub_title = t("app.subtitle")

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="checklists", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(t("col.id"), t("col.title"), t("col.criteria"))
        for path in shipped_checklists():
            try:
                c = load_checklist(path)
            except ChecklistError:
                continue
            table.add_row(c.id, c.title, str(len(c.criteria)))
