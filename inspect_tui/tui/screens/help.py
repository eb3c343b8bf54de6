"""`?`: what the keys do on the screen below, and how scoring works."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from inspect_tui.core.i18n import t
from inspect_tui.tui.commands import screen_commands
from inspect_tui.tui.screens.dialog import Dialog


class HelpDialog(Dialog[None]):
    BUTTONS: ClassVar[tuple[str, ...]] = ("close",)

    def __init__(self, below: Screen[object]) -> None:
        super().__init__(t("tui.help.title"))
        self.commands = screen_commands(below)

    def body(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for command in self.commands:
            table.add_row(command.help, command.name)
        with VerticalScroll(id="help-body"):
            yield Static(table)
            yield Static(Text(t("tui.help.text")), id="help-text")

    def on_mount(self) -> None:
        self.query_one("#close").focus()

    def submit(self) -> None:
        self.dismiss(None)
