"""Ask before doing something that cannot be taken back by a keypress (y / n / Enter / Esc)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from inspect_tui.tui.screens.dialog import Dialog
from inspect_tui.tui.text import literal


class ConfirmDialog(Dialog[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "confirm", "tui.key.yes"),
        Binding("n", "cancel", "tui.key.no"),
    ]

    def __init__(self, title: str, message: str) -> None:
        super().__init__(title)
        self.message = message

    def body(self) -> ComposeResult:
        yield Static(literal(self.message), id="dialog-message")

    def on_mount(self) -> None:
        self.query_one("#ok").focus()

    def submit(self) -> None:
        self.dismiss(True)

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
