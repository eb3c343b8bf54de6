"""Editable record fields. Each posts `FieldEdited` with the field's value in the store's form.

`commit` says when to save: at once (a toggle, Enter, leaving the field) or after a pause in
typing. Values that cannot be saved (a score above the maximum) are shown as a problem next
to the field and never posted, so the typed text stays on screen to be corrected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import HorizontalGroup, VerticalGroup
from textual.message import Message
from textual.widgets import Checkbox, Input, TextArea


@dataclass
class FieldEdited(Message):
    field: str
    value: Any
    commit: bool


@dataclass
class FieldInvalid(Message):
    field: str
    problem: str  # "" when the field became valid again


Parse = Callable[[str], Any]  # raises ValueError(problem) for text that is not a valid value


class NumberField(Input):
    """A number typed into a one-line input (the score, a count)."""

    def __init__(self, field: str, value: float | int | None, parse: Parse, **kwargs: Any) -> None:
        text = "" if value is None else f"{value:g}"
        super().__init__(text, id=field, compact=True, select_on_focus=False, **kwargs)
        self.field = field
        self.parse = parse

    def parsed(self) -> tuple[bool, Any]:
        try:
            value = self.parse(self.value)
        except ValueError as exc:
            self.post_message(FieldInvalid(self.field, str(exc)))
            return False, None
        self.post_message(FieldInvalid(self.field, ""))
        return True, value

    def _post(self, commit: bool) -> None:
        ok, value = self.parsed()
        if ok:
            self.post_message(FieldEdited(self.field, value, commit))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._post(commit=False)

    @on(Input.Submitted)
    @on(Input.Blurred)
    def _done(self, event: Input.Submitted | Input.Blurred) -> None:
        if isinstance(event, Input.Blurred):
            event.stop()  # Submitted goes on up: the screen may move the focus on
        self._post(commit=True)


class TextField(TextArea):
    """Free text (notes, problems found, advice); saved after a pause or on leaving it."""

    def __init__(self, field: str, text: str) -> None:
        super().__init__(text, id=field, soft_wrap=True, compact=True, tab_behavior="focus")
        self.field = field

    @on(TextArea.Changed)
    def _typed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.post_message(FieldEdited(self.field, self.text, commit=False))

    def on_blur(self, event: events.Blur) -> None:
        self.post_message(FieldEdited(self.field, self.text, commit=True))


class CheckGroup(VerticalGroup):
    """Tick any of several options; the value is the sorted list of ticked option values."""

    def __init__(self, field: str, options: Sequence[tuple[Any, str]], ticked: Sequence[Any],
                 *, horizontal: bool = False) -> None:
        super().__init__(id=field, classes="horizontal" if horizontal else "")
        self.field = field
        self.options = list(options)
        self.ticked = set(ticked)
        self.horizontal = horizontal

    def compose(self) -> ComposeResult:
        boxes = [Checkbox(label, value in self.ticked, compact=True, name=str(n))
                 for n, (value, label) in enumerate(self.options)]
        if self.horizontal:
            yield HorizontalGroup(*boxes)
        else:
            yield from boxes

    @on(Checkbox.Changed)
    def _toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        value = self.options[int(event.checkbox.name or 0)][0]
        (self.ticked.add if event.value else self.ticked.discard)(value)
        self.post_message(FieldEdited(self.field, sorted(self.ticked), commit=True))


class FlagField(Checkbox):
    """A yes/no field (the veto)."""

    def __init__(self, field: str, label: str, value: bool) -> None:
        super().__init__(label, value, id=field, compact=True)
        self.field = field

    @on(Checkbox.Changed)
    def _toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.post_message(FieldEdited(self.field, event.value, commit=True))
