"""The frame every dialog shares: a title, a body, an inline problem line and buttons.

Dialogs that change data are given the function that does it; a refused change (a duplicate
site name, a missing evidence file) is shown inside the dialog, and what was typed stays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.tui.bindings import localize_bindings
from inspect_tui.tui.text import literal

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    CSS_PATH = "dialog.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "tui.key.cancel")]
    BUTTONS: ClassVar[tuple[str, ...]] = ("ok", "cancel")

    def __init__(self, title: str) -> None:
        super().__init__()
        localize_bindings(self)
        self.dialog_title = title

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(literal(self.dialog_title), id="dialog-title")
            yield from self.body()
            yield Label(id="dialog-problem")
            with Horizontal(id="dialog-buttons"):
                for name in self.BUTTONS:
                    yield Button(t(f"tui.dialog.{name}"), id=name, compact=True,
                                 variant="primary" if name == self.BUTTONS[0] else "default")

    def body(self) -> ComposeResult:
        yield from ()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.submit()

    @on(Button.Pressed, "#cancel, #close")
    def _cancel(self) -> None:
        self.action_cancel()

    def submit(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_problem(self, text: str) -> None:
        problem = self.query_one("#dialog-problem", Label)
        problem.update(literal(text))
        problem.display = bool(text)

    def attempt(self, change: Callable[..., Any], *args: Any) -> bool:
        """Run a change; show its refusal in the dialog instead of closing."""
        try:
            change(*args)
        except InspectError as exc:
            self.show_problem(str(exc))
            return False
        return True
