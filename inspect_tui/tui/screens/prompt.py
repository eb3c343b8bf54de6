"""Ask for one line of text (an evidence caption); the change is applied before closing."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input

from inspect_tui.tui.screens.dialog import Dialog


class PromptDialog(Dialog[str]):
    def __init__(self, title: str, value: str, apply: Callable[[str], object]) -> None:
        super().__init__(title)
        self.value = value
        self.apply = apply

    def body(self) -> ComposeResult:
        yield Input(self.value, id="prompt-input", compact=True)

    @on(Input.Submitted)
    def submit(self) -> None:
        text = self.query_one("#prompt-input", Input).value.strip()
        if self.attempt(self.apply, text):
            self.dismiss(text)
