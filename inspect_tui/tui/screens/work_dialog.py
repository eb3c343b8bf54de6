"""A dialog whose work runs in a worker thread: a progress bar, a stage line under it, and the
messages the worker posts (Progress, Failed); the subclass posts its own Finished and calls
`finished()` with the folder written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.message import Message
from textual.widgets import Button, Label, ProgressBar

from inspect_tui.core.i18n import t
from inspect_tui.tui.screens.dialog import Dialog
from inspect_tui.tui.text import literal


class WorkDialog(Dialog[Path]):
    STAGE: ClassVar[str] = "#stage"  # the Label under the progress bar
    READY: ClassVar[str] = ""  # message key shown when nothing is running

    @dataclass
    class Progress(Message):
        text: str
        fraction: float

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, WorkDialog.Progress)

    @dataclass
    class Failed(Message):
        text: str

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.folder: Path | None = None
        self.running = False

    def started(self) -> None:
        self.show_problem("")
        self.running = True
        self.query_one("#ok", Button).disabled = True

    def finished(self, folder: Path, text: str) -> None:
        self.running = False
        self.folder = folder
        self.query_one(ProgressBar).update(progress=1.0)
        self.query_one(self.STAGE, Label).update(literal(text))
        ok = self.query_one("#ok", Button)
        ok.label, ok.disabled = t("tui.dialog.close"), False
        ok.focus()

    @on(Progress)
    def _progress(self, event: Progress) -> None:
        self.query_one(ProgressBar).update(progress=event.fraction)
        self.query_one(self.STAGE, Label).update(literal(event.text))

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.running = False
        self.query_one("#ok", Button).disabled = False
        self.query_one(ProgressBar).update(progress=0)
        self.query_one(self.STAGE, Label).update(t(self.READY))
        self.show_problem(event.text)
