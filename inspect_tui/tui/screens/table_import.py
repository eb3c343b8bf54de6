"""从 Excel/WPS 表导入…: read an office's 考核评分表, show the import report, then save the
checklist it makes; the caller creates the inspection with it. Nothing is written before the
user has seen the report and confirmed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Static

from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.core.table_grid import report_lines
from inspect_tui.tui.screens.dialog import Dialog
from inspect_tui.tui.text import literal
from inspect_tui.tui.widgets.path_suggester import PathSuggester
from inspect_tui.xlsx.convert import Imported, import_file, write_new


class TableImportDialog(Dialog[Path]):
    """Returns the path of the saved checklist (.toml), or None if cancelled."""

    CSS_PATH: ClassVar = ["dialog.tcss", "table_import.tcss"]

    @dataclass
    class Read(Message):
        """A table was read (or refused) by the worker."""

        path: Path
        imported: Imported | None
        problem: str

    def __init__(self) -> None:
        super().__init__(t("ctable.tui.title"))
        self.imported: Imported | None = None
        self.read_path: Path | None = None

    def body(self) -> ComposeResult:
        yield Label(t("ctable.tui.path"))
        yield Input(id="table-path", suggester=PathSuggester(), compact=True)
        yield Label(t("ctable.tui.out"))
        yield Input(id="out-path", compact=True)
        with VerticalScroll(id="table-report"):
            yield Static(id="report-text")

    def on_mount(self) -> None:
        self.query_one("#table-path").focus()

    @on(Input.Submitted, "#table-path")
    def read_table(self) -> None:
        value = self.query_one("#table-path", Input).value.strip()
        if value:
            path = Path(value).expanduser()
            self.imported = None
            self.show_problem("")
            self.query_one("#report-text", Static).update(
                literal(t("ctable.tui.reading", path=str(path))))
            self._read(path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="table-import")
    def _read(self, path: Path) -> None:
        """openpyxl takes a while on a big table: never on the UI thread."""
        try:
            self.post_message(self.Read(path, import_file(path), ""))
        except InspectError as exc:
            self.post_message(self.Read(path, None, str(exc)))

    @on(Read)
    def _shown(self, event: Read) -> None:
        self.read_path, self.imported = event.path, event.imported
        report = self.query_one("#report-text", Static)
        if event.imported is None:
            report.update("")
            self.show_problem(event.problem)
            return
        c = event.imported.checklist
        summary = t("ctable.tui.summary", title=c.title, sections=len(c.sections),
                    criteria=len(c.criteria), total=f"{c.total:g}",
                    rules=sum(len(x.deductions) for x in c.criteria))
        report.update(literal("\n".join([summary, *report_lines(event.imported.notes)])))
        out = self.query_one("#out-path", Input)
        if not out.value.strip():
            out.value = str(event.path.with_suffix(".toml"))
        out.focus()

    @on(Input.Submitted, "#out-path")
    def submit(self) -> None:
        typed = Path(self.query_one("#table-path", Input).value.strip()).expanduser()
        out = self.query_one("#out-path", Input).value.strip()
        if self.imported is None or typed != self.read_path or not out:
            self.show_problem(t("ctable.tui.read_first"))
            return
        target = Path(out).expanduser()
        if self.attempt(write_new, target, self.imported.toml):
            self.dismiss(target)
