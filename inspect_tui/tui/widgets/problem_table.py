"""The 整改台账 table: Enter edits the highlighted problem (shown in the Footer)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from inspect_tui.tui.bindings import localize_bindings


class ProblemTable(DataTable[object]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "tui.key.ledger_edit"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        localize_bindings(self)
