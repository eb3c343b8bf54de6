"""The overview's table of sites, with the keys an inspector expects in a list."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from inspect_tui.tui.bindings import localize_bindings


class SiteTable(DataTable[object]):
    BINDINGS: ClassVar[list[BindingType]] = [
        # Enter opens the site. It stays the table's own (not a priority key of the screen)
        # so it is handled after the keys typed before it: "End Enter" opens the last site.
        Binding("enter", "select_cursor", "tui.key.score_site"),
        Binding("j", "cursor_down", show=False),
        Binding("k", "cursor_up", show=False),
        Binding("home,g", "scroll_top", show=False),  # first / last site, not first column
        Binding("end,G", "scroll_bottom", show=False),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        localize_bindings(self)
