"""Vertical scroll bars that keep their drawing.

Textual draws a scroll bar afresh each time it is asked to — after every layout and every
scroll — and a 27-row bar costs about as much as a screenful of text (each row becomes several
Strip objects). On the scoring screen the tree's bar and the form's bar were drawn several
times per key, mostly in the same state as before. `KeptScrollBar` keeps the rows it drew
for each state (size, thumb, colours, theme) and gives them back when asked for the same
again; `KeptScrollBars` makes a widget use it for its vertical bar.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.geometry import Region
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widget import Widget

KEEP = 32  # states kept per bar (one per thumb size and place seen lately)


class KeptScrollBar(ScrollBar):
    def __init__(self, vertical: bool = True, name: str | None = None, *,
                 thickness: int = 1) -> None:
        super().__init__(vertical, name, thickness=thickness)
        self._kept: dict[Hashable, list[Strip]] = {}

    def _state(self, crop: Region) -> Hashable:
        """Everything the drawing depends on (what `render` reads, and the styles applied)."""
        bar = self.render()
        return (crop, self.size, tuple(sorted(vars(bar).items(), key=lambda kv: kv[0])),
                self.app.theme, self.app.ansi_color, self.background_colors,
                tuple(id(f) for f in self.get_line_filters()))

    def render_lines(self, crop: Region) -> list[Strip]:
        state = self._state(crop)
        strips = self._kept.get(state)
        if strips is None:
            if len(self._kept) >= KEEP:
                self._kept.clear()
            strips = self._kept[state] = super().render_lines(crop)
        return strips


class KeptScrollBars(Widget):
    """Put after the Textual widget class (as OneLayout): its vertical bar is kept."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        if self._vertical_scrollbar is None:
            bar = KeptScrollBar(vertical=True, name="vertical",
                                thickness=self.scrollbar_size_vertical)
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar
