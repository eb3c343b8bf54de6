"""The evidence attached to a record: file name, size, caption; caption and detach by key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Label, ListItem, ListView

from inspect_tui.core.records import EvidenceRef
from inspect_tui.tui.bindings import localize_bindings


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class EvidenceItem(ListItem):
    def __init__(self, ref: EvidenceRef) -> None:
        line = Text.assemble(ref.name, (f"  {size_text(ref.size)}", "dim"))
        if ref.caption:
            line.append(f"  {ref.caption}", "italic")
        super().__init__(Label(line))
        self.ref = ref


class EvidenceList(ListView):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "caption", "tui.key.caption"),
        Binding("delete,x", "detach", "tui.key.detach"),
    ]

    @dataclass
    class CaptionRequested(Message):
        ref: EvidenceRef

    @dataclass
    class DetachRequested(Message):
        ref: EvidenceRef

    def __init__(self, refs: Sequence[EvidenceRef], *, id: str | None = None) -> None:
        super().__init__(*(EvidenceItem(ref) for ref in refs), id=id)
        localize_bindings(self)
        self.can_focus = bool(refs)

    def _highlighted_ref(self) -> EvidenceRef | None:
        item = self.highlighted_child
        return item.ref if isinstance(item, EvidenceItem) else None

    def action_caption(self) -> None:
        if ref := self._highlighted_ref():
            self.post_message(self.CaptionRequested(ref))

    def action_detach(self) -> None:
        if ref := self._highlighted_ref():
            self.post_message(self.DetachRequested(ref))
