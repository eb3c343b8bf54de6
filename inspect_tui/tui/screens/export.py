"""Export a signed report from the app: choose the key, type its passphrase, watch the progress.

The snapshot of the data is taken on the UI thread (it owns the store); unlocking the key,
signing, laying out the PDF and writing the folder run in a worker thread that posts progress
messages and stops at the next stage when cancelled (leaving nothing behind).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, Select
from textual.worker import get_current_worker

from inspect_tui import keys
from inspect_tui.core.documents.inputs import DocInputs
from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.core.report_build import ReportInputs
from inspect_tui.export.run import ExportOptions, prepare, signer_of, write_report
from inspect_tui.tui.screens.work_dialog import WorkDialog
from inspect_tui.tui.session import Session
from inspect_tui.tui.text import literal


class ExportDialog(WorkDialog):
    """Returns the export folder, or None if nothing was exported."""

    CSS_PATH: ClassVar = ["dialog.tcss", "export.tcss"]
    BUTTONS: ClassVar = ("ok", "documents", "cancel")  # documents: no key needed
    STAGE = "#export-stage"
    READY = "export.tui.ready"

    @dataclass
    class Finished(Message):
        folder: Path
        report_id: str

    def __init__(self, session: Session, out_dir: Path = Path("exports")) -> None:
        super().__init__(t("export.tui.title", title=session.inspection.title))
        self.session = session
        self.out_dir = out_dir
        self.keys = keys.list_keys()
        self.conflicts = sum(len(r.conflicts) for r in session.inspection.conflicts())

    def body(self) -> ComposeResult:
        if not self.keys:
            yield Label(literal(t("export.tui.no_keys", folder=keys.keys_dir())),
                        id="export-no-keys")
            return
        yield Label(t("export.tui.key"))
        yield Select([(literal(f"{k.name}  {k.fingerprint}"), k.name) for k in self.keys],
                     value=self.keys[0].name, allow_blank=False, id="export-key", compact=True)
        yield Label(t("export.tui.passphrase"))
        yield Input(os.environ.get(keys.ENV_PASSPHRASE, ""), password=True, compact=True,
                    id="export-passphrase")
        with Horizontal(id="export-formats"):
            yield Checkbox("PDF", True, id="export-pdf", compact=True)
            yield Checkbox("HTML", True, id="export-html", compact=True)
            yield Checkbox(t("doc.tui.export_docx"), False, id="export-docx", compact=True)
        if self.conflicts:
            yield Checkbox(t("export.tui.allow_conflicts", count=self.conflicts),
                           id="export-allow-conflicts", compact=True)
        yield Label(t("export.tui.out"))
        yield Input(str(self.out_dir), id="export-out", compact=True)
        yield ProgressBar(total=1.0, show_eta=False, id="export-progress")
        yield Label(t("export.tui.ready"), id="export-stage")

    def on_mount(self) -> None:
        if self.keys:
            self.query_one("#export-passphrase").focus()

    def _options(self) -> ExportOptions:
        formats = {"json"} | {name for name in ("pdf", "html")
                              if self.query_one(f"#export-{name}", Checkbox).value}
        allow = bool(self.conflicts) and self.query_one("#export-allow-conflicts",
                                                        Checkbox).value
        out = self.query_one("#export-out", Input).value.strip() or str(self.out_dir)
        return ExportOptions(formats=frozenset(formats), allow_conflicts=allow,
                             out_dir=Path(out).expanduser().resolve())

    @on(Input.Submitted)
    def submit(self) -> None:
        if self.folder is not None:
            self.dismiss(self.folder)
            return
        if self.running or not self.keys:
            return
        name = str(self.query_one("#export-key", Select).value)
        options = self._options()
        try:
            info = keys.find_key(name)
            inputs = prepare(self.session.inspection, signer_of(info.name, info.public_key()),
                             options)
            docs = self._documents_snapshot()
        except InspectError as exc:
            self.show_problem(str(exc))
            return
        self.started()
        self.export(inputs, info.name, self.query_one("#export-passphrase", Input).value,
                    options, docs)

    def _documents_snapshot(self) -> DocInputs | None:
        """The documents' data when DOCX is ticked (the 文书/ set, as export --format docx);
        nothing to write is refused here, before anything is signed."""
        if not self.query_one("#export-docx", Checkbox).value:
            return None
        from inspect_tui.core.documents.catalog import KINDS
        from inspect_tui.export.documents_gather import document_inputs
        from inspect_tui.export.documents_run import plan

        docs = document_inputs(self.session.inspection)
        plan(docs, KINDS)
        return docs

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def export(self, inputs: ReportInputs, name: str, passphrase: str,
               options: ExportOptions, docs: DocInputs | None = None) -> None:
        worker = get_current_worker()

        def progress(text: str, fraction: float) -> None:
            self.post_message(self.Progress(text, fraction))

        try:
            key = keys.load_private(name, passphrase)
            result = write_report(inputs, key, options, progress=progress,
                                  cancelled=lambda: worker.is_cancelled)
            if docs is not None:
                from inspect_tui.core.documents.catalog import KINDS
                from inspect_tui.export.documents_run import DOCX_ONLY, write_into

                write_into(result.folder, docs, KINDS, DOCX_ONLY, progress,
                           lambda: worker.is_cancelled)
        except InspectError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Finished(result.folder, result.report.report_id))

    @on(Finished)
    def _finished(self, event: Finished) -> None:
        self.finished(event.folder, t("export.tui.done", folder=event.folder,
                                      report_id=event.report_id))

    @on(Button.Pressed, "#documents")
    def _documents(self) -> None:
        from inspect_tui.tui.screens.documents import DocumentsDialog

        self.app.push_screen(DocumentsDialog(self.session, self.out_dir))

    def action_cancel(self) -> None:
        """Stop a running export at its next stage (it then removes its partial folder)."""
        self.workers.cancel_group(self, "export")
        self.dismiss(self.folder)
