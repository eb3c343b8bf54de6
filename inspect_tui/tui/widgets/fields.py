"""Editable record fields. Each posts `FieldEdited` with the field's value in the store's form.

`commit` says when to save: at once (a toggle, Enter, leaving the field) or after a pause in
typing. Values that cannot be saved (a score above the maximum) are reported with
`FieldInvalid` and never posted, so the typed text stays on screen to be corrected.

Fields are reused from criterion to criterion: `show()` puts a value in without posting
anything, so moving around never looks like an edit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
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


def own_width() -> Reactive[Size]:
    """The typed text's width is an input's own business (it scrolls within its fixed width):
    Textual's Input lays the whole screen out for it at each key, these fields do not."""
    return Reactive(Size(0, 0), layout=False)


class NumberField(Input):
    """A number typed into a one-line input (the score, a count)."""

    virtual_size = own_width()

    def __init__(self, field: str, **kwargs: Any) -> None:
        super().__init__(id=field, compact=True, select_on_focus=False, placeholder="-",
                         **kwargs)
        self.field = field
        self.parse: Parse = float

    def show(self, value: float | None, parse: Parse) -> None:
        self.parse = parse
        with self.prevent(Input.Changed):
            self.value = "" if value is None else f"{value:g}"

    def _post(self, commit: bool) -> None:
        try:
            value = self.parse(self.value)
        except ValueError as exc:
            self.post_message(FieldInvalid(self.field, str(exc)))
            return
        self.post_message(FieldInvalid(self.field, ""))
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


class LineField(Input):
    """One line of text (the reason for lost points, the reason a criterion does not apply);
    saved after a pause, on Enter or on leaving it."""

    virtual_size = own_width()

    def __init__(self, field: str, placeholder: str = "") -> None:
        super().__init__(id=field, compact=True, select_on_focus=False, placeholder=placeholder)
        self.field = field

    def show(self, text: str) -> None:
        with self.prevent(Input.Changed):
            self.value = text

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(FieldEdited(self.field, self.value.strip(), commit=False))

    @on(Input.Submitted)
    @on(Input.Blurred)
    def _done(self, event: Input.Submitted | Input.Blurred) -> None:
        if isinstance(event, Input.Blurred):
            event.stop()
        self.post_message(FieldEdited(self.field, self.value.strip(), commit=True))


class TextField(TextArea):
    """Free text (notes, problems found, advice); saved after a pause or on leaving it."""

    def __init__(self, field: str) -> None:
        super().__init__(id=field, soft_wrap=True, compact=True, tab_behavior="focus")
        self.field = field

    def show(self, text: str) -> None:
        if text == self.text:  # most are empty: skip rebuilding the document (a few ms)
            self.history.clear()  # what load_text also does: no undoing into another record
            self.move_cursor((0, 0))
            self.scroll_home(animate=False, immediate=True)
            return
        with self.prevent(TextArea.Changed):
            self.load_text(text)

    @on(TextArea.Changed)
    def _typed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.post_message(FieldEdited(self.field, self.text, commit=False))

    def on_blur(self, event: events.Blur) -> None:
        self.post_message(FieldEdited(self.field, self.text, commit=True))


class CheckGroup(VerticalGroup):
    """Tick any of several options; the value is the sorted list of ticked option values.

    The options are fixed: their check boxes are built once and only ticked by `show`."""

    def __init__(self, field: str, options: Sequence[tuple[Any, str | Text]], *,
                 horizontal: bool = False) -> None:
        super().__init__(id=field, classes="horizontal" if horizontal else "")
        self.field = field
        self.options = list(options)
        self.ticked: set[Any] = set()

    def compose(self) -> ComposeResult:
        for n, (_, label) in enumerate(self.options):
            yield Checkbox(label, compact=True, name=str(n))

    def show(self, ticked: Sequence[Any]) -> None:
        """Tick these options (and only these)."""
        self.ticked = set(ticked)
        with self.prevent(Checkbox.Changed):
            for box, (value, _) in zip(self.query_children(Checkbox), self.options,
                                       strict=True):
                box.value = value in self.ticked

    @on(Checkbox.Changed)
    def _toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        value = self.options[int(event.checkbox.name or 0)][0]
        (self.ticked.add if event.value else self.ticked.discard)(value)
        self.post_message(FieldEdited(self.field, sorted(self.ticked), commit=True))


class FlagField(Checkbox):
    """A yes/no field (the veto)."""

    def __init__(self, field: str, label: str) -> None:
        super().__init__(label, id=field, compact=True)
        self.field = field

    def show(self, value: bool) -> None:
        with self.prevent(Checkbox.Changed):
            self.value = value

    @on(Checkbox.Changed)
    def _toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.post_message(FieldEdited(self.field, event.value, commit=True))
