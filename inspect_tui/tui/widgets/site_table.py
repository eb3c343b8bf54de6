"""The overview's table of sites, with the keys an inspector expects in a list."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from inspect_tui.tui.bindings import localize_bindings
from inspect_tui.tui.plain_cell import PlainCell


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

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Column widths from the rows just added. A row of PlainCells (one line, no label)
        is measured here, from the width each cell knows: DataTable measures each cell
        through rich, with the console's options (and a terminal size query) per cell — a
        quarter of drawing the first overview of 300 sites. Other rows as DataTable does."""
        columns = self.ordered_columns
        others = []
        for key in new_rows:
            row, data = self.rows.get(key), self._data.get(key, {})
            if row is None or self._row_locations.get(key) is None:
                continue  # removed before the table was idle
            cells = [data.get(column.key) for column in columns]
            if (row.label is not None or row.auto_height
                    or not all(type(cell) is PlainCell for cell in cells)):
                others.append(key)
                continue
            for column, cell in zip(columns, cells, strict=True):
                assert isinstance(cell, PlainCell)
                column.content_width = max(column.content_width, cell.width)
        super()._update_dimensions(others)
