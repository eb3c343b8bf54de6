"""Write the documents an office files from the app: the settings they print, which documents,
.docx and/or PDF, and the progress.

The settings are saved and the data snapshot taken on the UI thread (it owns the store); the
documents are laid out and written in a worker thread that posts progress and stops when
cancelled, leaving nothing behind (export/documents_run.py writes all or nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, ProgressBar
from textual.worker import get_current_worker

from inspect_tui.core.documents.catalog import KINDS
from inspect_tui.core.documents.inputs import DocInputs
from inspect_tui.core.documents.settings import clean_settings
from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.export.documents_gather import document_inputs
from inspect_tui.export.documents_run import DOC_FORMATS, write_documents
from inspect_tui.tui.screens.work_dialog import WorkDialog
from inspect_tui.tui.session import Session

FIELDS = ("issuer", "doc_number", "doc_date", "signatories")


class DocumentsDialog(WorkDialog):
    """Returns the documents folder, or None if nothing was written."""

    CSS_PATH: ClassVar = ["dialog.tcss", "documents.tcss"]
    STAGE = "#doc-stage"
    READY = "doc.tui.ready"

    @dataclass
    class Finished(Message):
        folder: Path
        files: int
        notes: list[str]

    def __init__(self, session: Session, out_dir: Path = Path("exports")) -> None:
        super().__init__(t("doc.tui.title", title=session.inspection.title))
        self.session = session
        self.out_dir = out_dir

    def body(self) -> ComposeResult:
        insp = self.session.inspection
        with Grid(id="doc-settings"):
            for name in FIELDS:
                value = insp.setting(name)
                yield Label(t(f"doc.set.label.{name}"))
                yield Input("、".join(value) if isinstance(value, list) else value,
                            placeholder=t(f"doc.tui.hint.{name}"), id=f"doc-{name}",
                            compact=True)
        yield Label(t("doc.tui.kinds"))
        with Grid(id="doc-kinds"):
            for kind in KINDS:
                yield Checkbox(t(f"doc.tui.kind.{kind}"), True, id=f"doc-kind-{kind}",
                               compact=True)
        with Horizontal(id="doc-formats"):
            for fmt in DOC_FORMATS:
                yield Checkbox(fmt.upper(), True, id=f"doc-format-{fmt}", compact=True)
        yield Label(t("doc.tui.out"))
        yield Input(str(self.out_dir), id="doc-out", compact=True)
        yield ProgressBar(total=1.0, show_eta=False, id="doc-progress")
        yield Label(t("doc.tui.ready"), id="doc-stage")

    def on_mount(self) -> None:
        self.query_one("#doc-issuer").focus()

    def _chosen(self, prefix: str, names: tuple[str, ...]) -> list[str]:
        return [n for n in names if self.query_one(f"#{prefix}-{n}", Checkbox).value]

    @on(Input.Submitted)
    def submit(self) -> None:
        if self.folder is not None:
            self.dismiss(self.folder)
            return
        if self.running:
            return
        kinds, formats = self._chosen("doc-kind", KINDS), self._chosen("doc-format", DOC_FORMATS)
        if not kinds or not formats:
            self.show_problem(t("doc.tui.choose"))
            return
        insp = self.session.inspection
        typed = {name: self.query_one(f"#doc-{name}", Input).value for name in FIELDS}
        try:
            changed = {k: v for k, v in clean_settings(typed).items() if v != insp.setting(k)}
            if changed:
                insp.set_inspection_fields(**changed)  # saved at once, in the history
            inputs = document_inputs(insp)
        except InspectError as exc:
            self.show_problem(str(exc))
            return
        out = self.query_one("#doc-out", Input).value.strip() or str(self.out_dir)
        self.started()
        self.write(inputs, kinds, frozenset(formats), Path(out).expanduser().resolve())

    @work(thread=True, exclusive=True, exit_on_error=False, group="documents")
    def write(self, inputs: DocInputs, kinds: list[str], formats: frozenset[str],
              out: Path) -> None:
        worker = get_current_worker()
        try:
            result = write_documents(
                inputs, kinds, formats, out,
                progress=lambda text, fraction: self.post_message(self.Progress(text, fraction)),
                cancelled=lambda: worker.is_cancelled)
        except InspectError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Finished(result.folder, len(result.files), result.notes))

    @on(Finished)
    def _finished(self, event: Finished) -> None:
        text = t("doc.done", folder=event.folder, count=event.files)
        self.finished(event.folder, "\n".join([text, *event.notes]))

    def action_cancel(self) -> None:
        """Stop a running write at the next document (nothing is left behind)."""
        self.workers.cancel_group(self, "documents")
        self.dismiss(self.folder)
