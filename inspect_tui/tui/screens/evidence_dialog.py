"""Attach an evidence file: type its path (→ completes it) or pick it in the folder tree."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.widgets import DirectoryTree, Input, Label

from inspect_tui.core.i18n import t
from inspect_tui.tui.screens.dialog import Dialog
from inspect_tui.tui.widgets.path_suggester import PathSuggester

Attach = Callable[[Path, str], object]


class EvidenceDialog(Dialog[bool]):
    def __init__(self, start: Path, attach: Attach) -> None:
        super().__init__(t("tui.evidence.attach_title"))
        self.start = start
        self.attach = attach

    def body(self) -> ComposeResult:
        yield Label(t("tui.evidence.path"))
        yield Input(id="path", placeholder=t("tui.evidence.path_hint"), compact=True,
                    suggester=PathSuggester())
        yield DirectoryTree(self.start, id="picker")
        yield Label(t("tui.evidence.caption"))
        yield Input(id="caption", placeholder=t("tui.evidence.caption_hint"), compact=True)

    def on_mount(self) -> None:
        self.query_one("#path").focus()

    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#path", Input).value = str(event.path)
        self.set_focus(self.query_one("#caption"))

    @on(Input.Submitted, "#path")
    def _path_entered(self) -> None:
        self.set_focus(self.query_one("#caption"))

    @on(Input.Submitted, "#caption")
    def submit(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self.show_problem(t("tui.evidence.no_path"))
            return
        caption = self.query_one("#caption", Input).value.strip()
        if self.attempt(self.attach, Path(text).expanduser(), caption):
            self.dismiss(True)
