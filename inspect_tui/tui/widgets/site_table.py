"""The overview's table of sites, with the keys an inspector expects in a list."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual._types import SegmentLines
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

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False) -> SegmentLines:
        """A PlainCell in a one-line row drawn here: the segments DataTable gets from rich
        (padding, the cell, the styles layered as Styled does), without rendering it through
        a console (most of drawing a screenful of the table). Others as DataTable does."""
        pad = self.cell_padding
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        row = self.rows.get(row_key) if row_key is not None else None
        cell = (self._data.get(row_key, {}).get(column_key)
                if row_key is not None and column_key is not None else None)
        if (row_key is None or column_key is None or row is None or row.height != 1
                or not isinstance(cell, PlainCell) or width <= 2 * pad):
            return super()._render_cell(row_index, column_index, base_style, width, cursor,
                                        hover)
        key = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor,
               self._update_count, self._pseudo_class_state)
        if key not in self._cell_render_cache:
            fixed = row_index < self.fixed_rows or column_index < self.fixed_columns
            component_style, post_style = self._get_styles_to_render_cell(
                False, False, fixed, hover, cursor, self.show_cursor, self._show_hover_cursor,
                self.cursor_foreground_priority == "css",
                self.cursor_background_priority == "css")
            style = (base_style + Style.from_meta({"row": row_index, "column": column_index})
                     + component_style)
            if post_style:
                style += post_style
            margin = Segment(" " * pad, style)
            self._cell_render_cache[key] = [[margin, Segment(cell.fitted(width - 2 * pad),
                                                              style), margin]]
        return self._cell_render_cache[key]
